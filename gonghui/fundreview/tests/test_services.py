"""The committee's composition (the chair, the finance vice-chair and finance staff kept off, from the register
and from the ledger), rectification to closure (the finance side reports, only a committee member closes, never
the one who reported), the overdue reminder, and the yearly report fixed once issued."""

import datetime as dt
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from gonghui.cases.models import Case
from gonghui.core.errors import ConflictError
from gonghui.core.models import AuditEvent
from gonghui.finance import services as finance
from gonghui.finance.services import LineIn
from gonghui.fundreview import reports, selectors, services
from gonghui.fundreview.models import CommitteeMember, Finding, Plan, Report
from gonghui.fundreview.tests.conftest import make_committee, make_finding, make_plan, reviewer, scene, today
from gonghui.messages.models import Message
from gonghui.testing.cast import add_user


def messages_of(error) -> str:
    return " ".join(error.messages)


def test_the_chair_in_the_register_may_not_sit_on_the_committee(cast):
    committee = make_committee(cast, members=False)
    services.officer_record(actor=cast.users.grassroots_admin, org=cast.orgs.company, person=cast.members.li.person,
                            post="chair", since=today() - dt.timedelta(days=400))  # fmt: skip
    with pytest.raises(ValidationError) as refused:
        services.member_add(actor=cast.users.grassroots_admin, committee=committee, person=cast.members.li.person)
    assert "李娜现任本会工会主席" in messages_of(refused.value)
    assert "不得担任经费审查委员会委员" in messages_of(refused.value)
    assert not committee.members.exists()


@pytest.mark.parametrize("post", ["finance_vice_chair", "accountant", "cashier", "finance_staff"])
def test_finance_posts_are_kept_off(cast, post):
    committee = make_committee(cast, members=False)
    services.officer_record(actor=None, org=cast.orgs.company, person=cast.members.zhang.person, post=post,
                            since=today() - dt.timedelta(days=10))  # fmt: skip
    with pytest.raises(ValidationError, match="不得担任经费审查委员会委员"):
        services.member_add(actor=None, committee=committee, person=cast.members.zhang.person)


def test_a_post_that_ended_no_longer_bars(cast):
    committee = make_committee(cast, members=False)
    services.officer_record(actor=None, org=cast.orgs.company, person=cast.members.zhang.person, post="cashier",
                            since=today() - dt.timedelta(days=900), until=today() - dt.timedelta(days=400))  # fmt: skip
    assert services.member_add(actor=None, committee=committee, person=cast.members.zhang.person).role == "member"


def test_whoever_kept_the_books_counts_as_finance_staff(cast):
    """Not in the register, but the work account 张伟 would confirm with posted an entry in the company union's
    ledger: refused with it (without an account he may sit, and never confirms anything)."""
    committee = make_committee(cast, members=False)
    keeper = add_user("zw-books", org=cast.orgs.company, display_name="张伟")
    finance.entry_post(actor=keeper, org=cast.orgs.company, date=today(), memo="购买办公用品",
                       lines=[LineIn("505", debit_fen=10_000), LineIn("102", credit_fen=10_000)])  # fmt: skip
    with pytest.raises(ValidationError, match="经办过本会的财务记账，属于财务人员"):
        services.member_add(actor=None, committee=committee, person=cast.members.zhang.person, account=keeper)
    assert services.member_add(actor=None, committee=committee, person=cast.members.zhang.person).account is None


def test_members_come_from_the_union_and_one_director(cast):
    committee = make_committee(cast, members=False)
    with pytest.raises(ValidationError, match="王芳不是本会会员"):
        services.member_add(actor=None, committee=committee, person=cast.members.wang.person)
    services.member_add(actor=None, committee=committee, person=cast.members.li.person, role="director")
    with pytest.raises(ValidationError, match="已有主任"):
        services.member_add(actor=None, committee=committee, person=cast.members.zhang.person, role="director")
    with pytest.raises(ValidationError, match="已是本届委员会委员"):
        services.member_add(actor=None, committee=committee, person=cast.members.li.person)


def test_a_sitting_member_cannot_be_registered_as_finance_staff(cast):
    make_committee(cast)
    with pytest.raises(ValidationError, match="须先退出委员会才能担任会计"):
        services.officer_record(actor=None, org=cast.orgs.company, person=cast.members.zhang.person,
                                post="accountant", since=today())  # fmt: skip


def test_terms_are_those_of_the_union_committee_and_do_not_overlap(cast):
    start = dt.date(2024, 1, 1)
    with pytest.raises(ValidationError, match="为 3或5 年"):
        services.committee_create(actor=None, org=cast.orgs.company, term_start=start, term_end=dt.date(2026, 1, 1),
                                  elected_on=start)  # fmt: skip
    services.committee_create(actor=None, org=cast.orgs.company, term_start=start, term_end=dt.date(2026, 12, 31),
                              elected_on=start)  # fmt: skip
    with pytest.raises(ValidationError, match="重叠"):
        services.committee_create(actor=None, org=cast.orgs.company, term_start=dt.date(2026, 6, 1),
                                  term_end=dt.date(2029, 5, 31), elected_on=dt.date(2026, 6, 1))  # fmt: skip


def test_a_plan_needs_a_committee_with_a_director(cast):
    with pytest.raises(ValidationError, match="没有在任的经费审查委员会"):
        services.plan_create(actor=None, org=cast.orgs.company, year=today().year, scope="budget", title="预算执行审查",
                             planned_on=today())  # fmt: skip
    make_committee(cast, members=False)
    with pytest.raises(ValidationError, match="尚未确定主任"):
        services.plan_create(actor=None, org=cast.orgs.company, year=today().year, scope="budget", title="预算执行审查",
                             planned_on=today())  # fmt: skip


def test_rectification_to_closure(cast):
    s = scene(cast)
    finding = s.finding
    assert finding.status == Finding.Status.RECTIFYING and finding.case.deadline == finding.deadline
    admin = cast.users.grassroots_admin
    finding = services.rectification_respond(actor=admin, finding=finding, response="已补齐签收记录。",
                                             version=finding.case.version)  # fmt: skip
    assert finding.status == Finding.Status.RESPONDED
    with pytest.raises(ValidationError, match="须由本会经费审查委员会委员确认"):
        services.rectification_close(actor=admin, finding=finding, accept=True, version=finding.case.version)
    finding = services.rectification_close(actor=s.reviewer, finding=finding, accept=True,
                                           version=Case.objects.get(pk=finding.case_id).version)  # fmt: skip
    assert finding.status == Finding.Status.CLOSED and finding.closed_by == s.reviewer
    assert Case.objects.get(pk=finding.case_id).closed_at is not None
    actions = set(AuditEvent.objects.filter(object_id=str(finding.pk)).values_list("action", flat=True))
    assert {
        "fundreview.finding.record",
        "fundreview.rectification.respond",
        "fundreview.rectification.close",
    } <= actions


def test_sent_back_needs_a_reason_and_the_reporter_may_not_close(cast):
    s = scene(cast)
    finding = services.rectification_respond(actor=s.reviewer, finding=s.finding, response="已整改。",
                                             version=s.finding.case.version)  # fmt: skip
    with pytest.raises(ValidationError, match="报送整改情况的人不能自己确认销号"):
        services.rectification_close(actor=s.reviewer, finding=finding, accept=True, version=finding.case.version)
    other = add_user("zw-review", org=cast.orgs.company, display_name="张伟")
    CommitteeMember.objects.filter(person=cast.members.zhang.person).update(account=other)
    with pytest.raises(ValidationError, match="须填写理由"):
        services.rectification_close(actor=other, finding=finding, accept=False, version=finding.case.version)
    finding = services.rectification_close(actor=other, finding=finding, accept=False, note="签收清单不全",
                                           version=Case.objects.get(pk=finding.case_id).version)  # fmt: skip
    assert finding.status == Finding.Status.RECTIFYING and finding.closed_on is None


def test_a_stale_version_is_a_conflict_and_nothing_changes(cast):
    s = scene(cast)
    with pytest.raises(ConflictError):
        services.rectification_respond(
            actor=None, finding=s.finding, response="已整改。", version=s.finding.case.version - 1
        )
    s.finding.refresh_from_db()
    assert s.finding.status == Finding.Status.RECTIFYING and s.finding.response == ""


def test_out_of_scope_and_read_only_are_refused(cast):
    s = scene(cast)
    with pytest.raises(Http404):
        services.rectification_respond(actor=cast.users.sibling_admin, finding=s.finding, response="x", version=1)
    with pytest.raises(PermissionDenied):
        services.finding_record(actor=cast.users.readonly, plan=s.plan, title="t", detail="d", severity="minor",
                                requirement="r")  # fmt: skip


def test_findings_refused_with_clear_chinese_errors(cast):
    plan = make_plan(cast)
    with pytest.raises(ValidationError, match="整改期限应晚于今天"):
        make_finding(cast, plan, deadline=today())
    with pytest.raises(ValidationError, match="问题描述中不能含身份证号码或手机号码"):
        make_finding(cast, plan, detail="经办人 13812345678 未签字")
    services.plan_complete(actor=None, plan=plan, conclusion="规范。", done_on=today(), version=plan.version)
    with pytest.raises(ValidationError, match="该审查已经完成"):
        make_finding(cast, plan)


def test_overdue_rectification_tells_the_unions_cadres_once(cast):
    s = scene(cast)
    later = s.finding.deadline + dt.timedelta(days=1)
    assert services.rectifications_overdue_remind(today=later) == 1
    assert services.rectifications_overdue_remind(today=later) == 0
    sent = Message.objects.filter(event="fundreview.overdue")
    assert {m.user for m in sent} == {cast.users.grassroots_admin, s.reviewer}
    assert selectors.findings_visible_to(cast.users.province_admin, overdue=True).count() == 0  # not yet today
    Finding.objects.filter(pk=s.finding.pk).update(deadline=today() - dt.timedelta(days=1))
    assert list(selectors.findings_visible_to(cast.users.province_admin, overdue=True)) == [s.finding]


def test_the_report_is_generated_and_kept_once_issued(cast):
    s = scene(cast)
    finance.budget_set(actor=None, org=cast.orgs.company, year=today().year, code="501", amount_fen=1_000_000)
    report = services.report_issue(actor=cast.users.grassroots_admin, org=cast.orgs.company, year=today().year)
    assert report.content["totals"] == {"plans": 1, "done": 0, "findings": 1, "closed": 0, "open": 1,
                                        "amount_fen": 126_000, "closure_pct": 0.0}  # fmt: skip
    assert report.content["budget"][0]["code"] == "501"
    assert report.content["committee"]["members"] == ["李娜（主任）", "张伟（委员）"]
    # later rectification does not change the issued report
    finding = services.rectification_respond(actor=None, finding=s.finding, response="已整改。",
                                             version=s.finding.case.version)  # fmt: skip
    services.rectification_close(actor=None, finding=finding, accept=True, version=finding.case.version)
    report.refresh_from_db()
    assert report.content["totals"]["closed"] == 0
    with pytest.raises(ValidationError, match="已经签发，不能重复签发"):
        services.report_issue(actor=None, org=cast.orgs.company, year=today().year)
    assert Report.objects.count() == 1
    pdf = reports.report_pdf(report.content)
    assert pdf.startswith(b"%PDF") and b"FontFile2" in pdf  # the Chinese font is embedded
    book = load_workbook(io.BytesIO(reports.report_xlsx(report.content)))
    assert book.sheetnames == ["概况", "审查计划", "发现问题与整改", "预算执行"]
    assert book["发现问题与整改"]["B2"].value == "慰问品发放缺少签收"


def test_no_report_without_plans(cast):
    make_committee(cast)
    with pytest.raises(ValidationError, match="没有审查计划，无法生成报告"):
        services.report_issue(actor=None, org=cast.orgs.company, year=today().year)


def test_figures_follow_scope(cast):
    s = scene(cast)
    assert selectors.open_rectifications(cast.users.province_admin) == 1
    assert selectors.open_rectifications(cast.users.sibling_admin) == 0
    assert selectors.open_rectifications_under(cast.orgs.xihu) == 1
    assert selectors.open_rectifications_by_org() == {cast.orgs.company.pk: 1}
    assert selectors.closure_rate(cast.users.grassroots_admin) == 0
    finding = services.rectification_respond(actor=None, finding=s.finding, response="已整改。",
                                             version=s.finding.case.version)  # fmt: skip
    services.rectification_close(actor=None, finding=finding, accept=True, version=finding.case.version)
    assert selectors.closure_rate(cast.users.national_admin) == 100.0
    assert selectors.closure_rate_under(cast.orgs.jiangsu) == 0


@settings(max_examples=25, deadline=None)
@given(closed=st.integers(0, 40), open_=st.integers(0, 40))
def test_summary_rate_is_closed_over_all(closed, open_):
    content = {"year": 2026, "totals": {"plans": 1, "done": 1, "findings": closed + open_, "closed": closed,
                                        "open": open_, "amount_fen": 0,
                                        "closure_pct": round(closed * 100 / (closed + open_), 1)
                                        if closed + open_ else None}}  # fmt: skip
    text = reports._summary(content)
    assert f"已整改销号 {closed} 个，尚在整改 {open_} 个" in text
    assert text.endswith("—。") if closed + open_ == 0 else f"{content['totals']['closure_pct']}%" in text


def test_plan_complete_checks(cast):
    plan = make_plan(cast)
    with pytest.raises(ValidationError, match="请填写审查结论"):
        services.plan_complete(actor=None, plan=plan, conclusion=" ", done_on=today(), version=plan.version)
    with pytest.raises(ConflictError):
        services.plan_complete(actor=None, plan=plan, conclusion="好", done_on=today(), version=plan.version + 1)
    plan = services.plan_complete(actor=None, plan=plan, conclusion="好", done_on=today(), version=plan.version)
    assert plan.status == Plan.Status.DONE


def test_the_confirming_account_must_be_able_to_write_and_not_keep_the_books(cast):
    committee = make_committee(cast, members=False)
    with pytest.raises(ValidationError, match="没有杭州示例科技有限公司工会的办理权限"):
        services.member_add(actor=None, committee=committee, person=cast.members.li.person,
                            account=cast.users.readonly)  # fmt: skip
    services.officer_record(actor=None, org=cast.orgs.company, person=cast.members.zhang.person, post="chair",
                            since=today(), account=cast.users.grassroots_admin)  # fmt: skip
    with pytest.raises(ValidationError, match="现任本会工会主席"):  # the chair's account under another name
        services.member_add(actor=None, committee=committee, person=cast.members.li.person,
                            account=cast.users.grassroots_admin)  # fmt: skip


def test_reviewer_helper_is_a_committee_member(cast):
    make_committee(cast)
    assert services.sits_on(reviewer(cast), cast.orgs.company)
    assert not services.sits_on(cast.users.grassroots_admin, cast.orgs.company)
