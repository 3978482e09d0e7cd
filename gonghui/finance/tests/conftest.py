"""Finance tests: the cast's tree with Zhejiang's split (60% kept; county 10, city 10, province 15, national 5)
and 杭州示例科技's monthly declaration."""

import datetime as dt

from gonghui.finance import services
from gonghui.finance.models import FundDeclaration

MONTH = dt.date(2026, 3, 1)
SHARES = {"grassroots": 6000, "county": 1000, "city": 1000, "province": 1500, "national": 500}


def zhejiang_rule(cast, shares=None, effective_from=dt.date(2026, 1, 1), **extra):
    return services.rule_set(actor=None, province=cast.orgs.zhejiang, effective_from=effective_from,
                             shares=shares or SHARES, **extra)  # fmt: skip


def declaration(cast, payroll_fen=123_456_789, month=MONTH, actor=None) -> FundDeclaration:
    """杭州示例科技: a payroll of 1,234,567.89 yuan in March 2026, so 24,691.36 yuan due."""
    return services.declaration_record(actor=actor, employer=cast.orgs.company.employer, org=cast.orgs.company,
                                       month=month, payroll_fen=payroll_fen)  # fmt: skip


def collected(cast, amount_fen=None, route="direct", received_on=dt.date(2026, 4, 10), actor=None):
    zhejiang_rule(cast)
    d = declaration(cast)
    return services.collection_record(actor=actor, declaration=d, amount_fen=amount_fen or d.due_fen,
                                      received_on=received_on, route=route)  # fmt: skip


def balances(org, codes=None) -> dict[str, int]:
    """Each account's debit-minus-credit balance of ``org``."""
    from django.db.models import Sum

    from gonghui.finance.models import Line

    rows = Line.objects.filter(org=org).values("code").annotate(d=Sum("debit_fen"), c=Sum("credit_fen"))
    out = {row["code"]: row["d"] - row["c"] for row in rows}
    return {code: value for code, value in out.items() if value and (codes is None or code in codes)}
