"""The case kernel through its services: the table, reasons, versions, deadlines, review levels, 公示 and
objections, attachments, reminders and escalation."""

import datetime as dt
import stat

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404
from django.utils import timezone
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from gonghui.cases import selectors, services
from gonghui.cases.kinds import Deadline, days_until
from gonghui.cases.models import Case, CaseStep, PublicNotice
from gonghui.cases.tests.support import PDF, REVIEW, opened, submitted, with_documents
from gonghui.core import files
from gonghui.core.errors import ConflictError
from gonghui.core.models import AuditEvent, WorkdayOverride
from gonghui.core.workdays import add_working_days
from gonghui.orgs import access
from gonghui.testing.cast import add_user


def _move(actor, case, to, note=""):
    case.refresh_from_db()
    return services.case_transition(actor=actor, case=case, to=to, note=note, version=case.version)


def test_open_starts_in_the_first_status_with_a_working_day_deadline_and_a_step(cast):
    case = opened(cast)
    assert case.status == "draft" and case.version == 1
    assert case.deadline == add_working_days(timezone.localdate(), 10)
    assert list(case.steps.values_list("from_status", "to_status")) == [("", "draft")]
    assert AuditEvent.objects.filter(action="case.open", object_id=str(case.pk)).exists()


def test_open_refuses_personal_data_in_the_subject_and_a_reader(cast):
    with pytest.raises(ValidationError):
        opened(cast, subject="张伟 13812345678 帮扶")
    with pytest.raises(PermissionDenied):
        services.case_open(actor=cast.users.readonly, kind=REVIEW.code, org=cast.orgs.company, subject="帮扶")


def test_the_table_refuses_an_illegal_move(cast):
    case = with_documents(cast, opened(cast))
    with pytest.raises(ValidationError) as error:
        _move(cast.users.national_admin, case, "approved")
    assert "不能从“草稿”转为“已批准”" in str(error.value)
    assert Case.objects.get(pk=case.pk).status == "draft"


def test_a_return_requires_a_reason(cast):
    case = submitted(cast)
    with pytest.raises(ValidationError) as error:
        _move(cast.users.province_admin, case, "returned", note="  ")
    assert "须填写理由" in str(error.value)
    returned = _move(cast.users.province_admin, case, "returned", note="收入证明不清晰")
    assert returned.steps.last().note == "收入证明不清晰"
    assert returned.deadline == case.deadline  # a status without a deadline of its own keeps the running one


def test_a_stale_version_is_a_conflict(cast):
    case = submitted(cast)
    with pytest.raises(ConflictError):
        services.case_transition(actor=cast.users.province_admin, case=case, to="reviewed", version=1)


def test_required_documents_come_before_submitting(cast):
    case = opened(cast)
    with pytest.raises(ValidationError) as error:
        _move(cast.users.grassroots_admin, case, "submitted")
    assert "申请表" in str(error.value) and "收入证明" in str(error.value)


def test_the_deadline_of_each_status_honours_the_override_table(cast):
    today = timezone.localdate()
    plain = add_working_days(today, 5)
    WorkdayOverride.objects.create(day=add_working_days(today, 1), is_workday=False, note="地方调休")
    case = submitted(cast)
    assert case.deadline == add_working_days(today, 5) and case.deadline > plain
    reviewed = _move(cast.users.province_admin, case, "reviewed")
    assert reviewed.deadline == today + dt.timedelta(days=10)  # calendar days for this status


def test_the_review_chain_goes_up_level_by_level(cast):
    county = add_user("xihu", org=cast.orgs.xihu, display_name="西湖区总工会")
    case = submitted(cast)
    with pytest.raises(PermissionDenied):
        _move(cast.users.grassroots_admin, case, "reviewed")  # the grassroots union submits, never reviews
    assert AuditEvent.objects.filter(action="access.denied", result="denied").exists()
    _move(county, case, "reviewed")  # the level above reviews
    with pytest.raises(PermissionDenied):
        _move(county, case, "approved")  # but the level above that approves
    approved = _move(cast.users.province_admin, case, "approved")
    assert approved.closed_at is not None and approved.deadline is None
    steps = list(approved.steps.values_list("to_status", "actor__username"))
    assert steps[-2:] == [("reviewed", "xihu"), ("approved", "zhejiang")]


def test_out_of_scope_is_404_and_a_reader_is_403(cast):
    case = submitted(cast)
    with pytest.raises(Http404):
        _move(cast.users.sibling_admin, case, "reviewed")
    with pytest.raises(PermissionDenied):
        _move(cast.users.readonly, case, "reviewed")
    assert Case.objects.get(pk=case.pk).status == "submitted"


def test_a_clock_starts_with_its_status_and_stops_when_the_case_leaves_it(cast):
    case = submitted(cast)
    clock = case.clocks.get()
    assert clock.name == "审核期限" and clock.days_left == 15 and clock.stopped_on is None
    _move(cast.users.province_admin, case, "reviewed")
    clock.refresh_from_db()
    assert clock.stopped_on == timezone.localdate()


@pytest.mark.django_db
@hypothesis_settings(max_examples=40, deadline=None)
@given(start=st.dates(dt.date(2020, 1, 1), dt.date(2030, 12, 31)), days=st.integers(0, 40), working=st.booleans())
def test_days_left_counts_back_what_the_deadline_added(start, days, working):
    due = Deadline(days, working=working).due(start)
    assert days_until(due, working=working, today=start) == days
    assert days_until(start, working=working, today=due) == -days


# ----- 公示 and objections ------------------------------------------------------------------------------------


def _notice(cast, case, audience=PublicNotice.Audience.PUBLIC):
    return services.notice_publish(
        actor=cast.users.grassroots_admin, case=case, audience=audience, person_name="张伟",
        unit="杭州示例科技有限公司", decision="拟给予困难帮扶",
    )  # fmt: skip


def test_a_notice_is_open_five_working_days_and_blocks_moving_on(cast):
    case = submitted(cast)
    notice = _notice(cast, case)
    assert notice.closes_on == add_working_days(timezone.localdate(), 5)
    with pytest.raises(ValidationError) as error:
        _move(cast.users.province_admin, case, "reviewed")
    assert "公示期" in str(error.value)
    PublicNotice.objects.filter(pk=notice.pk).update(closes_on=timezone.localdate() - dt.timedelta(days=1))
    assert _move(cast.users.province_admin, case, "reviewed").status == "reviewed"


def test_a_notice_carries_no_personal_data_beyond_name_unit_and_decision(cast):
    case = submitted(cast)
    with pytest.raises(ValidationError):
        services.notice_publish(actor=cast.users.grassroots_admin, case=case, audience="public", person_name="张伟",
                                unit="身份证 330106199003071236", decision="帮扶")  # fmt: skip


def test_an_unanswered_objection_blocks_until_answered(cast):
    case = submitted(cast)
    notice = _notice(cast, case)
    objection = services.objection_submit(actor=None, notice=notice, text="其家庭收入不符合条件", name="李四",
                                          phone="13955556666")  # fmt: skip
    PublicNotice.objects.filter(pk=notice.pk).update(closes_on=timezone.localdate() - dt.timedelta(days=1))
    with pytest.raises(ValidationError) as error:
        _move(cast.users.province_admin, case, "reviewed")
    assert "异议尚未全部答复" in str(error.value)
    with pytest.raises(PermissionDenied):
        services.objection_answer(actor=cast.users.readonly, objection=objection, answer="已核实")
    services.objection_answer(actor=cast.users.grassroots_admin, objection=objection, answer="经核实符合条件")
    with pytest.raises(ConflictError):
        services.objection_answer(actor=cast.users.grassroots_admin, objection=objection, answer="再答复")
    assert _move(cast.users.province_admin, case, "reviewed").status == "reviewed"


def test_the_objectors_identity_is_encrypted_and_shown_to_reviewers_only(cast):
    case = submitted(cast)
    objection = services.objection_submit(actor=None, notice=_notice(cast, case), text="有异议", name="李四",
                                          phone="13955556666")  # fmt: skip
    assert "李四" not in objection.objector_enc and "13955556666" not in objection.objector_enc
    assert selectors.objector_of(cast.users.grassroots_admin, objection, case) == "李四（139****6666）"
    assert selectors.objector_of(cast.users.readonly, objection, case) is None


def test_a_subtree_notice_takes_objections_from_its_members_only(cast):
    case = submitted(cast)
    notice = _notice(cast, case, PublicNotice.Audience.SUBTREE)
    with pytest.raises(Http404):
        services.objection_submit(actor=None, notice=notice, text="异议", name="路人", phone="13955556666")
    member = services.objection_submit(actor=cast.users.worker, notice=notice, text="异议", name="张伟",
                                       phone="13812345678")  # fmt: skip
    assert member.pk


def test_no_objection_after_the_notice_closes(cast):
    notice = _notice(cast, submitted(cast))
    PublicNotice.objects.filter(pk=notice.pk).update(closes_on=timezone.localdate() - dt.timedelta(days=1))
    notice.refresh_from_db()
    with pytest.raises(ValidationError):
        services.objection_submit(actor=None, notice=notice, text="异议", name="李四", phone="13955556666")


# ----- attachments --------------------------------------------------------------------------------------------


def test_an_attachment_is_checked_by_content_and_stored_owner_only(cast, settings):
    case = opened(cast)
    attachment = services.attachment_add(
        actor=cast.users.grassroots_admin, case=case, document="application",
        file=SimpleUploadedFile("申请表.pdf", PDF), file_name="申请表.pdf",
    )  # fmt: skip
    path = files.path_of(attachment.file_path)
    assert files.open_private(attachment.file_path).read() == PDF and attachment.file_kind == "pdf"
    assert PDF[:8] not in path.read_bytes()  # encrypted at rest
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert stat.S_IMODE(path.parent.parent.stat().st_mode) == 0o700
    with pytest.raises(ValidationError) as error:
        services.attachment_add(
            actor=cast.users.grassroots_admin, case=case, document="income",
            file=SimpleUploadedFile("证明.pdf", b"MZ\x90\x00 windows"), file_name="证明.pdf",
        )  # fmt: skip
    assert "可执行文件" in str(error.value)
    with pytest.raises(ValidationError):
        services.attachment_add(actor=cast.users.grassroots_admin, case=case, document="income",
                                file=SimpleUploadedFile("x.pdf", b"%PDF-1.4 /JavaScript (app.alert(1))"),
                                file_name="x.pdf")  # fmt: skip
    assert [c[2] for c in selectors.checklist(case)] == [True, False]


# ----- reminders and escalation -------------------------------------------------------------------------------


def test_overdue_cases_escalate_once_to_the_upper_union(cast):
    case = submitted(cast)
    assert services.cases_escalate_overdue(today=case.deadline) == 0  # due today: not overdue yet
    assert services.cases_escalate_overdue(today=case.deadline + dt.timedelta(days=1)) == 1
    case.refresh_from_db()
    assert case.escalated_to == cast.orgs.xihu and case.escalated_at
    assert services.cases_escalate_overdue(today=case.deadline + dt.timedelta(days=2)) == 0
    assert AuditEvent.objects.filter(action="test_review.escalate").count() == 1
    assert CaseStep.objects.filter(case=case, note__contains="升级至").count() == 1


def test_a_reminder_is_recorded_once_per_deadline(cast):
    case = submitted(cast)
    assert services.cases_remind(today=case.deadline - dt.timedelta(days=3)) == 0
    assert services.cases_daily(today=case.deadline - dt.timedelta(days=2)) == 1
    assert services.cases_remind(today=case.deadline - dt.timedelta(days=1)) == 0
    assert AuditEvent.objects.filter(action="case.remind", object_id=str(case.pk)).count() == 1


def test_closed_cases_neither_escalate_nor_remind(cast):
    case = submitted(cast)
    _move(cast.users.province_admin, case, "returned", note="材料不全")
    Case.objects.filter(pk=case.pk).update(closed_at=timezone.now())
    assert services.cases_daily(today=case.deadline + dt.timedelta(days=30)) == 0


# ----- the to-do list -----------------------------------------------------------------------------------------


def test_the_todo_list_is_scoped_and_overdue_first(cast):
    late, soon = submitted(cast), opened(cast, subject="第二件")
    Case.objects.filter(pk=late.pk).update(deadline=dt.date(2024, 1, 2))
    assert list(selectors.todo(cast.users.grassroots_admin)) == [late, soon]
    assert list(selectors.todo(cast.users.grassroots_admin, show="overdue")) == [late]
    assert list(selectors.todo(cast.users.sibling_admin)) == []
    assert selectors.overdue_counts(cast.users.province_admin) == {cast.orgs.company.pk: 1}
    assert selectors.overdue_counts(cast.users.sibling_admin) == {}


def test_the_todo_list_is_one_query_however_many_kinds_and_rows(cast, django_assert_num_queries):
    opened(cast)
    user = cast.users.national_admin
    access.grants_of(user)  # grants load once per request, before the list
    with django_assert_num_queries(1):
        one = list(selectors.todo(user))
    for n in range(5):
        opened(cast, subject=f"帮扶 {n}")
    with django_assert_num_queries(1):
        rows = list(selectors.todo(user))
        [(r.org.name, r.escalated_to, r.assignee) for r in rows]
    assert len(rows) == len(one) + 5
