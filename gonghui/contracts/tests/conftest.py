"""Contract tests: contracts of the cast's company union (浙江) made through the services, taken through their
steps with dates relative to today."""

import datetime as dt

from django.utils import timezone

from gonghui.contracts import services

FIELDS = {
    "level": "enterprise",
    "kind": "comprehensive",
    "title": "杭州示例科技有限公司综合集体合同",
    "union_party": "杭州示例科技有限公司工会",
    "union_rep": "陈建国（工会主席）",
    "employer_party": "杭州示例科技有限公司",
    "employer_rep": "周海涛（总经理）",
    "workers_covered": 120,
    "term_years": 3,
}


def make_contract(cast, *, org=None, until="drafted", signed_on=None, actor=None, **extra):
    """A contract of the company (or ``org``), through the steps up to ``until`` (drafted, adopted, signed,
    filed: filed six days after signing, which settles it when the window has passed)."""
    today = timezone.localdate()
    signed_on = signed_on or today - dt.timedelta(days=2)
    contract = services.contract_create(actor=actor, org=org or cast.orgs.company, **(FIELDS | extra))
    if until == "drafted":
        return contract
    services.contract_adopt(
        actor=actor,
        contract=contract,
        adopted_by="congress",
        adopted_on=signed_on - dt.timedelta(days=5),
        voters_total=60,
        voters_present=50,
        votes_for=45,
        votes_against=3,
        votes_abstain=2,
    )
    if until == "adopted":
        return contract
    services.contract_sign(actor=actor, contract=contract, signed_on=signed_on)
    if until == "signed":
        contract.refresh_from_db()
        return contract
    filed_on = min(signed_on + dt.timedelta(days=6), today)
    services.contract_file(
        actor=actor, contract=contract, filed_on=filed_on, filed_with="杭州市西湖区人力资源和社会保障局"
    )
    contract.refresh_from_db()
    return contract
