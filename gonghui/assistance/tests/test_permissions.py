"""Every page of hardship assistance × every member of the cast (see gonghui.testing.matrix).

The file is 张伟's, submitted by his company's union (the grassroots admin): the review is the upper level's
(西湖区, so the province and the nation), Jiangsu does not see it; the worker has only their own pages."""

import datetime as dt

import pytest
from django.utils import timezone

from gonghui.assistance import cases as kinds
from gonghui.assistance import services
from gonghui.assistance.models import AidPayment, HardshipFile
from gonghui.assistance.tests.conftest import CHILD_ID, SPOUSE_ID, allowances, make_file
from gonghui.cases.models import PublicNotice
from gonghui.testing.api import ApiClient
from gonghui.testing.cast import ZHANG_WEI_ID
from gonghui.testing.matrix import USERS, Case, Page, api_tests, codes, expect

PUBLIC = dict.fromkeys(USERS, 200)
SIGNED_IN = PUBLIC | {"anonymous": 302}


def hardship_file(cast):
    if not hasattr(cast, "hardship_file"):
        cast.hardship_file = make_file(cast)
    return cast.hardship_file


def approved_file(cast):
    if not hasattr(cast, "approved_file"):
        file = services.file_step(actor=None, file=hardship_file(cast), to=kinds.NOTICING, version=1)
        PublicNotice.objects.filter(case=file.case).update(closes_on=timezone.localdate() - dt.timedelta(days=1))
        cast.approved_file = services.file_step(actor=None, file=file, to=kinds.APPROVED, version=2)
    return cast.approved_file


def reviewed_file(cast):
    file = approved_file(cast)
    services.reviews_open(today=file.next_review_on)
    return file


def _file(cast):
    return [hardship_file(cast).pk]


def _new(cast):
    form = {"org": cast.orgs.company.pk, "member_id_number": ZHANG_WEI_ID, "region_code": "330106", "year": 2026,
            "main_cause": "illness", "consent": "on", "m-TOTAL_FORMS": 2, "m-INITIAL_FORMS": 0}  # fmt: skip
    rows = [("self", "张伟", ZHANG_WEI_ID, "900"), ("child", "张小明", CHILD_ID, "0")]
    for i, (relation, name, number, income) in enumerate(rows):
        form |= {f"m-{i}-relation": relation, f"m-{i}-name": name, f"m-{i}-id_number": number,
                 f"m-{i}-monthly_income": income}  # fmt: skip
    return form


def _payment(cast):
    return {"kind": "living", "period": "2026", "amount": "1000", "fund_source": "帮扶专项资金",
            "paid_on": "2026-03-01", "received_by": "张伟"}  # fmt: skip


def _edit(cast):
    """The file as saved, the child left out: still 深度困难 (12 × 1000 ÷ 12 ÷ 2 = 500.00 < 1000)."""
    file = hardship_file(cast)
    rows = [(m.pk, m.relation, m.name, "1000" if m.relation == "self" else "0")
            for m in file.household.exclude(relation="child").order_by("pk")]  # fmt: skip
    form = {"version": file.version, "region_code": "330106", "year": 2026, "main_cause": "illness",
            "m-TOTAL_FORMS": len(rows), "m-INITIAL_FORMS": 0}  # fmt: skip
    for i, (pk, relation, name, income) in enumerate(rows):
        form |= {f"m-{i}-pk": pk, f"m-{i}-relation": relation, f"m-{i}-name": name, f"m-{i}-monthly_income": income}
    return form


def _apply(cast):
    return {"own_monthly_income": "900", "region_code": "330106", "main_cause": "illness", "consent": "on",
            "m-TOTAL_FORMS": 1, "m-INITIAL_FORMS": 0, "m-0-relation": "spouse", "m-0-name": "刘梅",
            "m-0-id_number": SPOUSE_ID, "m-0-monthly_income": "0"}  # fmt: skip


def _upload(cast):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from gonghui.cases.tests.support import PDF

    return {"document": "income", "file": SimpleUploadedFile("收入证明.pdf", PDF)}


CHECK = {"household_size": 3, "monthly_income": "2000", "region_code": "330106", "main_cause": "illness"}

PAGES: list = [
    Page("assistance:list", expect(200, 200, 200, 200, 200)),
    Page("assistance:new", expect(200, 200, 200, 200, 200)),
    # Jiangsu and the read-only role have no union to file for: the form refuses the org.
    Page("assistance:new", expect(302, 302, 400, 302, 400), method="post", setup=lambda c: allowances(), data=_new),
    Page("assistance:detail", expect(200, 200, 404, 200, 200), args=_file),
    # Editing shows the saved data in full: a writer who may unmask (national, grassroots); the province's
    # admin may write but not unmask.
    Page("assistance:edit", expect(200, 403, 404, 200, 403), args=_file),
    Page("assistance:edit", expect(302, 403, 404, 302, 403), method="post", args=_file, data=_edit),
    Page("assistance:attach", expect(302, 302, 404, 302, 403), method="post", args=_file, data=_upload),
    Page("assistance:step", expect(302, 302, 404, 403, 403), method="post", args=_file,
         data=lambda c: {"to": kinds.NOTICING, "version": 1}),
    Page("assistance:pay", expect(302, 302, 404, 302, 403), method="post", args=lambda c: [approved_file(c).pk],
         data=_payment),
    Page("assistance:review", expect(302, 302, 404, 302, 403), method="post", args=lambda c: [reviewed_file(c).pk],
         data=lambda c: {"version": 1, "keep": "1"}),
    Page("assistance:unmask", expect(200, 403, 404, 200, 403), method="post", args=_file),
    Page("assistance:report", expect(200, 200, 200, 200, 200)),
    Page("assistance:report", expect(200, 200, 404, 200, 200), query=lambda c: f"?org={c.orgs.company.pk}",
         variant="org"),
    Page("assistance:report_export", expect(200, 200, 200, 200, 200)),
    Page("assistance:report_export", expect(200, 200, 404, 200, 200), query=lambda c: f"?org={c.orgs.company.pk}",
         variant="org"),
    Page("assistance:allowances", expect(200, 200, 200, 200, 200)),
    # A region within the user's unions' regions (the grassroots union's is its county, 330106).
    Page("assistance:allowances", expect(200, 200, 404, 404, 200), query="?region=3301&year=2026", variant="region"),
    # Only a local federation's admin sets a figure: the grassroots union's admin may not, nor Jiangsu in Zhejiang.
    Page("assistance:allowances", expect(302, 302, 404, 403, 403), method="post",
         data=lambda c: {"region_code": "330106", "year": 2026, "monthly": "1180"}),
    Page("assistance:mine", SIGNED_IN),
    Page("assistance:apply", SIGNED_IN),
    # Only a member with an active membership applies (张伟, the worker); everyone else is told so on the page.
    Page("assistance:apply", SIGNED_IN | dict.fromkeys(USERS[:-1], 400) | {"worker": 302}, method="post",
         data=_apply, setup=lambda c: allowances()),
    Page("assistance:self_check", PUBLIC),
    Page("assistance:self_check", PUBLIC, method="post", data=lambda c: CHECK, setup=lambda c: allowances()),
]  # fmt: skip


def _api_update(cast, caller):
    """The file as saved (ID numbers kept), at its current version: each allowed caller saves once."""
    file = HardshipFile.objects.get(pk=hardship_file(cast).pk)
    household = [{"id": m.pk, "relation": m.relation, "name": m.name, "monthly_income": "1000" if m.relation == "self"
                  else "0"} for m in file.household.order_by("pk")]  # fmt: skip
    return {"version": file.version, "region_code": "330106", "year": 2026, "main_cause": "illness",
            "household": household, "long_term": caller == "national_admin"}  # fmt: skip


def _api_payment(cast, caller):
    return _payment(cast) if approved_file(cast) else None


API_CASES: list = [
    Case("hardship files", "list", "GET", "/assistance/files", codes(200, 200, 200, 200, 200, 403, 403, 401)),
    Case("hardship file", "detail", "GET", "/assistance/files/{file_id}", codes(200, 200, 404, 200, 200, 403, 403, 401),
         path=lambda c: f"/assistance/files/{hardship_file(c).pk}"),
    Case("hardship step", "update", "POST", "/assistance/files/{file_id}/step",
         codes(200, 200, 404, 403, 403, 403, 403, 401), path=lambda c: f"/assistance/files/{hardship_file(c).pk}/step",
         body=lambda c, u: {"to": kinds.NOTICING, "version": hardship_file(c).case.version}),
    Case("hardship file", "update", "PUT", "/assistance/files/{file_id}",
         codes(200, 200, 404, 200, 403, 403, 403, 401), path=lambda c: f"/assistance/files/{hardship_file(c).pk}",
         body=_api_update),
    Case("hardship pay", "create", "POST", "/assistance/files/{file_id}/payments",
         codes(201, 201, 404, 201, 403, 403, 403, 401),
         path=lambda c: f"/assistance/files/{approved_file(c).pk}/payments", body=_api_payment),
    Case("hardship mine", "list", "GET", "/assistance/mine", codes(200, 200, 200, 200, 200, 200, 200, 401)),
]  # fmt: skip


def snapshot():
    """What a refused write must leave unchanged."""
    return (
        list(HardshipFile.objects.order_by("pk").values_list("pk", "status", "version")),
        list(AidPayment.objects.order_by("pk").values_list("pk", "amount")),
    )


@pytest.fixture
def api(cast):
    client = ApiClient()
    client.remember_secret(ZHANG_WEI_ID, SPOUSE_ID, CHILD_ID)
    yield client
    client.assert_no_personal_data()


test_api_permissions = api_tests(API_CASES, snapshot)


# Responses that may carry full values (gonghui.testing.pii_guard): the audited unmasking of one hardship file.
UNMASKED = {r"^/assistance/\d+/unmask/$": "查看一份困难档案的完整证件号码和账号：需有权限，逐次审计"}


def probe_targets(cast) -> dict:
    """浙江's objects for the scope probe (gonghui/core/tests/test_scope_probe.py)."""
    return {"file_id": hardship_file(cast).pk}
