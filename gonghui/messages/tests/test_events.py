"""The events that matter reach the worker (issue 9): a join application accepted or refused with the reason,
a transfer completed or refused, a case of theirs moved, waiting for them, or near its deadline (the daily job),
and a cadre's case near its deadline. Each through the owning app's service, the way a cadre takes it."""

import datetime as dt

import pytest

from gonghui.assistance import cases as hardship
from gonghui.assistance.services import file_step
from gonghui.assistance.tests.test_services import apply
from gonghui.cases.kinds import CaseKind, Deadline, TransitionRule, register
from gonghui.cases.models import Case
from gonghui.cases.services import case_open, case_transition, cases_remind
from gonghui.core import sms
from gonghui.joining import services as joining
from gonghui.joining.tests.conftest import NEW_PHONE, submit
from gonghui.members import services as members
from gonghui.messages import selectors, services
from gonghui.messages.models import Message

pytestmark = pytest.mark.django_db

AWAITING = register(
    CaseKind(
        code="test_awaits_owner",
        name="补充材料测试事项",
        statuses={"pending": "待受理", "more": "待补充材料", "done": "已办结"},
        initial="pending",
        closed=frozenset({"done"}),
        transitions={
            "pending": {"more": TransitionRule("要求补充", reason_required=True)},
            "more": {"done": TransitionRule("办结")},
        },  # fmt: skip
        deadlines={"pending": Deadline(5), "more": Deadline(5)},
        opened_by_cadre=False,
        awaits_owner=frozenset({"more"}),
    )
)


def only_message(user) -> Message:
    (message,) = selectors.inbox(user)
    return message


def sent_sms(message: Message) -> str:
    services.message_deliver(message_id=message.pk)
    return sms.outbox[-1].text


def test_an_accepted_application_tells_the_applicant_with_the_card_number(cast):
    application = submit(employer=cast.orgs.company.employer, employment_form="standard")
    joining.application_accept(actor=cast.users.grassroots_admin, application=application, version=1)
    application.refresh_from_db()
    message = only_message(application.account)
    assert message.title == "入会申请已通过" and message.link == "/me/"
    assert application.membership.card_number in selectors.body(message)
    text = sent_sms(message)
    assert sms.outbox[-1].phone == NEW_PHONE and "杭州示例科技有限公司工会已通过" in text


def test_a_refused_application_tells_the_reason(cast):
    application = submit(employer=cast.orgs.company.employer, employment_form="standard")
    joining.application_reject(actor=cast.users.grassroots_admin, application=application, version=1,
                               reason="您不在本单位工作，请向所在街道工会申请")  # fmt: skip
    message = only_message(application.account)
    assert message.essential and "您不在本单位工作" in selectors.body(message)
    assert "原因：您不在本单位工作" in sent_sms(message)


def test_a_completed_transfer_and_a_refused_one_tell_the_member(cast):
    zhang = cast.members.zhang
    transfer = members.transfer_start(actor=cast.users.worker, membership=zhang, to_org=cast.orgs.logistics,
                                      reason="换了工作")  # fmt: skip
    members.transfer_release(actor=cast.users.grassroots_admin, transfer=transfer)
    members.transfer_accept(actor=cast.users.sibling_admin, transfer=transfer)
    message = only_message(cast.users.worker)
    assert message.title == "转会已完成" and "转入南京示例物流有限公司工会" in selectors.body(message)
    moved = zhang.person.memberships.get(status="active")
    again = members.transfer_start(actor=cast.users.worker, membership=moved, to_org=cast.orgs.company,
                                   reason="回杭州了")  # fmt: skip
    members.transfer_reject(actor=cast.users.sibling_admin, transfer=again, reason="手续不全")
    assert "原因：手续不全" in selectors.body(selectors.inbox(cast.users.worker).first())


def test_a_case_the_worker_submitted_tells_them_each_step_and_the_result(cast):
    file = apply(cast)  # the worker's own hardship application from the phone
    assert not Message.objects.exists()  # their own step tells them nothing
    file_step(actor=cast.users.province_admin, file=file, to=hardship.REFUSED, note="家庭收入高于标准",
              version=file.case.version)  # fmt: skip
    message = only_message(cast.users.worker)
    assert message.title == "困难职工建档已办结：不予建档" and message.link == "/assistance/mine/"
    assert "说明：家庭收入高于标准" in selectors.body(message)


def test_a_cadre_who_entered_a_case_for_someone_is_not_told_as_its_submitter(cast):
    case = case_open(actor=cast.users.grassroots_admin, kind=AWAITING.code, org=cast.orgs.company, subject="代录")
    case_transition(actor=cast.users.province_admin, case=case, to="more", note="请补充", version=case.version)
    assert not Message.objects.exists()


def test_a_case_waiting_for_the_worker_and_its_deadline_near(cast):
    case = case_open(actor=cast.users.worker, kind=AWAITING.code, org=cast.orgs.company, subject="补充材料测试")
    case = case_transition(actor=cast.users.grassroots_admin, case=case, to="more", note="请补充收入证明",
                           version=case.version)  # fmt: skip
    message = only_message(cast.users.worker)
    assert message.event == "cases.action_needed" and "需要您办理" in message.title
    assert "请补充收入证明" in selectors.body(message) and "前办理" in selectors.body(message)
    Case.objects.filter(pk=case.pk).update(assignee=cast.users.grassroots_admin)
    assert cases_remind(today=case.deadline - dt.timedelta(days=1)) == 1
    assert selectors.inbox(cast.users.worker).first().event == "cases.deadline_near"
    handler = only_message(cast.users.grassroots_admin)
    assert handler.event == "cases.deadline_near_handler" and handler.link == f"/cases/{case.pk}/"
    assert not handler.deliveries.exists()  # the cadre's reminder stays in the inbox
    assert cases_remind(today=case.deadline - dt.timedelta(days=1)) == 0  # once per deadline
