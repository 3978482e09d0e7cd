"""Every page and API operation of fund review × every member of the cast (see gonghui.testing.matrix).

The committee, its plan and finding belong to 杭州示例科技有限公司工会 (the grassroots admin's), inside 浙江 (the
province admin and the read-only user) under 全总; 江苏's admin sees none of it; the worker and the security admin
have no grant. A refused rule (a non-member closing a rectification…) is shown on the page it returns to (302)."""

import datetime as dt

import pytest

from gonghui.fundreview import services
from gonghui.fundreview.models import CommitteeMember, Finding, Plan, Report
from gonghui.fundreview.tests.conftest import make_committee, make_finding, make_plan, today
from gonghui.testing.api import ApiClient
from gonghui.testing.matrix import Case, Page, api_tests, codes, expect

ALL_CADRES = expect(200, 200, 200, 200, 200)
IN_ZHEJIANG = expect(200, 200, 404, 200, 200)
WRITE_COMPANY = expect(302, 302, 404, 302, 403)
READ = codes(200, 200, 200, 200, 200, 403, 403, 401)


def plan(cast):
    if not hasattr(cast, "plan"):
        cast.plan = make_plan(cast)
    return cast.plan


def finding(cast):
    if not hasattr(cast, "finding"):
        cast.finding = make_finding(cast, plan(cast))
    return cast.finding


def responded(cast):
    item = finding(cast)
    if item.status == Finding.Status.RECTIFYING:
        item = services.rectification_respond(actor=None, finding=item, response="已整改。", version=item.case.version)
        cast.finding = item
    return item


def report(cast):
    if not hasattr(cast, "report"):
        plan(cast)
        cast.report = services.report_issue(actor=None, org=cast.orgs.company, year=today().year)
    return cast.report


def member(cast):
    plan(cast)
    return CommitteeMember.objects.filter(committee=cast.committee, role="member").first()


def _company(cast):
    return f"?org={cast.orgs.company.pk}"


def _with_org(form):
    return lambda cast: {"org": cast.orgs.company.pk, **form(cast)}


def _committee_form(cast):
    start = today().replace(month=1, day=1) - dt.timedelta(days=2000)
    return {"term_start": start, "term_end": start.replace(year=start.year + 5) - dt.timedelta(days=1),
            "elected_on": start}  # fmt: skip


PAGES: list = [
    Page("fundreview:home", ALL_CADRES),
    Page("fundreview:home", IN_ZHEJIANG, query=_company, variant="company", setup=plan),
    Page("fundreview:committee_new", WRITE_COMPANY, method="post", data=_with_org(_committee_form)),
    Page("fundreview:member_add", WRITE_COMPANY, method="post", setup=make_committee,
         data=_with_org(lambda c: {"card_number": c.members.zhang.card_number, "role": "member", "account": ""})),
    Page("fundreview:member_remove", WRITE_COMPANY, method="post", args=lambda c: [member(c).pk]),
    Page("fundreview:officer_new", WRITE_COMPANY, method="post",
         data=_with_org(lambda c: {"card_number": c.members.zhang.card_number, "post": "cashier",
                                   "since": today().isoformat(), "account": ""})),
    Page("fundreview:plans", ALL_CADRES),
    Page("fundreview:plan_new", WRITE_COMPANY, method="post", setup=make_committee,
         data=_with_org(lambda c: {"year": today().year, "scope": "final", "title": "年度决算审查",
                                   "planned_on": today().isoformat()})),
    Page("fundreview:plan", IN_ZHEJIANG, args=lambda c: [plan(c).pk]),
    Page("fundreview:plan_complete", WRITE_COMPANY, method="post", args=lambda c: [plan(c).pk],
         data=lambda c: {"version": plan(c).version, "conclusion": "规范。", "done_on": today().isoformat()}),
    Page("fundreview:finding_new", WRITE_COMPANY, method="post", args=lambda c: [plan(c).pk],
         data=lambda c: {"title": "账实不符", "detail": "库存物品账实不符。", "severity": "major", "amount": "1200.50",
                         "code": "141", "requirement": "盘点并调整。",
                         "deadline": (today() + dt.timedelta(days=20)).isoformat()}),
    Page("fundreview:findings", ALL_CADRES),
    Page("fundreview:finding", IN_ZHEJIANG, args=lambda c: [finding(c).pk]),
    Page("fundreview:finding_respond", WRITE_COMPANY, method="post", args=lambda c: [finding(c).pk],
         data=lambda c: {"version": finding(c).case.version, "response": "已盘点调整。"}),
    Page("fundreview:finding_close", WRITE_COMPANY, method="post", args=lambda c: [responded(c).pk],
         data=lambda c: {"version": responded(c).case.version, "decision": "accept", "note": ""}),
    Page("fundreview:report_issue", WRITE_COMPANY, method="post", setup=plan,
         data=_with_org(lambda c: {"year": today().year})),
    Page("fundreview:report_file", IN_ZHEJIANG, args=lambda c: [report(c).pk, "pdf"]),
    Page("fundreview:report_file", IN_ZHEJIANG, args=lambda c: [report(c).pk, "xlsx"], variant="xlsx"),
]  # fmt: skip


API_CASES: list = [
    Case("review plans", "list", "GET", "/fundreview/plans", READ, path=lambda c: plan(c) and "/fundreview/plans"),
    Case("review findings", "list", "GET", "/fundreview/findings", READ,
         path=lambda c: finding(c) and "/fundreview/findings?status=open"),
]  # fmt: skip


def snapshot():
    return (list(Plan.objects.order_by("pk").values_list("pk", "status")),
            list(Finding.objects.order_by("pk").values_list("pk", "status")),
            list(Report.objects.values_list("pk")))  # fmt: skip


@pytest.fixture
def api(cast):
    client = ApiClient()
    yield client
    client.assert_no_personal_data()


test_api_permissions = api_tests(API_CASES, snapshot)
