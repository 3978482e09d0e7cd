"""Every page and API operation of the overview × every member of the cast (see gonghui.testing.matrix).

浙江's nodes: the national and 浙江 admins and the read-only 浙江 role see them, 江苏 does not (404), the company
union's admin sees only its own union; targets are set and split by an admin of the node (read-only: 403)."""

import pytest
from django.utils import timezone

from gonghui.governance.models import FigureMonth, OpinionItem, OpinionWord, RiskWeight, Target, YearReport
from gonghui.governance.risk import weight_defaults
from gonghui.governance.tests.conftest import (
    DUE,
    rolled,
    zhejiang_alert,
    zhejiang_job,
    zhejiang_report,
    zhejiang_target,
)
from gonghui.testing.api import ApiClient
from gonghui.testing.matrix import Case, Page, api_tests, codes, expect


def _target_form(cast):
    return {"key": "members", "value": "100", "due_on": DUE.isoformat(), "source": "浙江省总工会工作要点"}


def _split_form(cast):
    target = zhejiang_target(cast)
    return {"version": target.version, f"org_{cast.orgs.hangzhou.pk}": "10"}


def _import_form(cast):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile

    from gonghui.core.spreadsheets import write_xlsx

    buffer = io.BytesIO()
    write_xlsx(buffer, [("条目", ["编号", "发生时间", "内容"], [["M-1", "2026-05-01 09:30", "骑手讨薪难"]])])
    return {"org": cast.orgs.hangzhou.pk, "mode": "import", "file": SimpleUploadedFile("m.xlsx", buffer.getvalue())}


PAGES: list = [
    Page("governance:home", expect(200, 200, 200, 200, 200), setup=rolled),
    Page("governance:org", expect(200, 200, 404, 200, 200), args=lambda c: [c.orgs.company.pk], setup=rolled),
    Page("governance:target_new", expect(200, 200, 404, 404, 200), args=lambda c: [c.orgs.zhejiang.pk]),
    Page("governance:target_new", expect(302, 302, 404, 404, 403), method="post",
         args=lambda c: [c.orgs.zhejiang.pk], data=_target_form),
    Page("governance:target_split", expect(200, 200, 404, 404, 200), args=lambda c: [zhejiang_target(c).pk]),
    Page("governance:target_split", expect(302, 302, 404, 404, 403), method="post",
         args=lambda c: [zhejiang_target(c).pk], data=_split_form),
    Page("governance:risk_weights", expect(200, 200, 200, 200, 200)),
    Page("governance:risk_weights", expect(302, 404, 404, 404, 404), method="post",
         data=lambda c: {key: str(default) for key, (_, default) in weight_defaults().items()}),
    Page("governance:risk_alerts", expect(200, 200, 200, 200, 200), setup=lambda c: zhejiang_alert(c)),
    Page("governance:opinion", expect(200, 200, 200, 200, 200)),
    Page("governance:opinion", expect(200, 200, 404, 404, 200), variant="org",
         query=lambda c: f"?org={c.orgs.hangzhou.pk}"),
    Page("governance:opinion_words", expect(200, 200, 200, 200, 200)),
    Page("governance:opinion_words", expect(302, 404, 404, 404, 404), method="post",
         data=lambda c: {"word": "躺平", "weight": "-2"}),
    Page("governance:opinion_import", expect(200, 200, 200, 200, 200)),
    Page("governance:opinion_import", expect(302, 302, 400, 400, 400), method="post", data=_import_form),
    Page("governance:opinion_template", expect(200, 200, 200, 200, 200)),
    Page("governance:year_reports", expect(200, 200, 404, 404, 200), args=lambda c: [c.orgs.zhejiang.pk]),
    Page("governance:employer_scores", expect(200, 200, 404, 404, 200), args=lambda c: [c.orgs.zhejiang.pk]),
    Page("governance:year_reports", expect(302, 302, 404, 404, 403), method="post",
         args=lambda c: [c.orgs.zhejiang.pk], data=lambda c: {"year": timezone.localdate().year - 1}),
    Page("governance:year_report", expect(200, 200, 404, 404, 200), args=lambda c: [zhejiang_report(c).pk]),
    Page("governance:year_report_job", expect(200, 200, 404, 404, 200), args=lambda c: [zhejiang_job(c).pk]),
    Page("governance:year_report_file", expect(200, 200, 404, 404, 200),
         args=lambda c: [zhejiang_report(c).pk, "xlsx"]),
]  # fmt: skip


def _push_body(cast, caller):
    item = {"id": f"m-{caller}", "occurred_at": timezone.now().isoformat(), "text": "骑手讨薪难"}
    return {"org_id": cast.orgs.hangzhou.pk, "items": [item]}


API_CASES: list = [
    Case("overview", "list", "GET", "/governance", codes(200, 200, 200, 200, 200, 403, 403, 401)),
    Case("overview_org", "detail", "GET", "/governance/orgs/{org_id}", codes(200, 200, 404, 200, 200, 403, 403, 401),
         path=lambda c: f"/governance/orgs/{c.orgs.company.pk}"),
    Case("opinion", "list", "GET", "/governance/opinion", codes(200, 200, 200, 200, 200, 403, 403, 401)),
    Case("opinion_org", "list", "GET", "/governance/opinion", codes(200, 200, 404, 404, 200, 403, 403, 401),
         path=lambda c: f"/governance/opinion?org_id={c.orgs.hangzhou.pk}"),
    Case("opinion_push", "create", "POST", "/governance/opinion/items",
         codes(201, 201, 404, 404, 403, 403, 403, 401), body=_push_body),
]  # fmt: skip


def snapshot():
    return (
        list(Target.objects.order_by("pk").values_list("pk", "value", "version")),
        list(FigureMonth.objects.order_by("pk").values_list("pk", "value")),
        list(RiskWeight.objects.order_by("pk").values_list("pk", "weight")),
        list(OpinionItem.objects.order_by("pk").values_list("pk", "text")),
        list(OpinionWord.objects.order_by("pk").values_list("pk", "weight")),
        list(YearReport.objects.order_by("pk").values_list("pk", "version", "xlsx_file")),
    )


@pytest.fixture
def api(cast):
    client = ApiClient()
    yield client
    client.assert_no_personal_data()


test_api_permissions = api_tests(API_CASES, snapshot)
