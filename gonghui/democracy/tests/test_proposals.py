"""Proposals (提案) as people take them: a formal representative proposes on the phone with co-signers who
confirm on theirs; the committee reviews (a refusal needs reasons), assigns with a deadline in working days, the
department handles, the committee replies, the proposer rates; an unresolved proposal is carried over when the
next sitting opens; lists by status, department and overdue, in scope; the overview figure."""

import datetime as dt
import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gonghui.cases.models import Case
from gonghui.core.models import AuditEvent
from gonghui.core.workdays import add_working_days, working_days_between
from gonghui.democracy import selectors, services
from gonghui.democracy.lists import PROPOSALS
from gonghui.democracy.models import Proposal, Sitting
from gonghui.democracy.tests.conftest import congress_of
from gonghui.messages.models import Message

LINK = re.compile(r'href="/democracy/proposals/\d+/"')
TEXT = {"title": "关于改善一线车间夏季防暑降温条件的提案", "reasons": "车间夏季室温常超过35℃。",
        "measures": "加装冷风机，足额发放高温津贴。"}  # fmt: skip


def proposed(c, proposer="李娜", signers=("陈军", "刘芳"), confirm=True) -> Proposal:
    """A proposal of ``proposer`` in the congress's open sitting, its co-signers confirmed (through services)."""
    proposal = services.proposal_submit(actor=c.users[proposer], sitting=c.sitting,
                                        cosigners=[c.reps[n] for n in signers], **TEXT)  # fmt: skip
    if confirm:
        for name in signers:
            proposal = services.proposal_cosign(actor=c.users[name], proposal=proposal)
    return proposal


def test_the_whole_life_of_a_proposal_through_the_pages(client, cast):
    c = congress_of(cast)
    zhang, admin = c.users["张伟"], c.admin
    client.force_login(zhang)
    propose = reverse("democracy:propose", args=[c.sitting.pk])
    assert "提出提案" in client.get(propose).content.decode()
    # One co-signer is not enough: refused, nothing saved.
    one = client.post(propose, TEXT | {"cosigners": [c.reps["李娜"].pk]})
    assert one.status_code == 400 and "2 名以上其他正式代表附议" in one.content.decode()
    assert not Proposal.objects.exists()
    made = client.post(propose, TEXT | {"cosigners": [c.reps["李娜"].pk, c.reps["陈军"].pk]})
    proposal = Proposal.objects.get()
    assert made.status_code == 302 and made["Location"] == reverse("democracy:proposal_mine", args=[proposal.pk])
    assert proposal.status == "cosigning" and proposal.case is None and proposal.code == "第1次会议第1号"
    assert Message.objects.filter(user=c.users["李娜"], event="democracy.cosign_requested").exists()

    # The co-signers confirm on their phones; the second opens the case for the committee.
    mine = reverse("democracy:proposal_mine", args=[proposal.pk])
    for name in ("李娜", "陈军"):
        client.force_login(c.users[name])
        assert "确认附议" in client.get(mine).content.decode()
        assert client.post(mine, {"action": "cosign"}).status_code == 302
    again = client.post(mine, {"action": "cosign"})
    assert again.status_code == 400 and "已经确认附议" in again.content.decode()
    proposal.refresh_from_db()
    assert proposal.status == "submitted" and proposal.case.org == cast.orgs.company

    # The committee: refusing without reasons is refused; then accepted, the proposer told.
    client.force_login(admin)
    page, act = reverse("democracy:proposal", args=[proposal.pk]), reverse("democracy:proposal_act", args=[proposal.pk])
    assert "提案审查" in client.get(page).content.decode()
    bare = client.post(act, {"action": "review", "decision": "reject", "note": " "})
    assert bare.status_code == 400 and "须书面说明理由" in bare.content.decode()
    assert Proposal.objects.get().status == "submitted"
    assert client.post(act, {"action": "review", "decision": "accept"}).status_code == 302
    assert Message.objects.filter(user=zhang, event="democracy.proposal_reviewed").exists()
    bad_days = client.post(act, {"action": "assign", "department": "后勤保障部", "responsible": "吴海燕", "days": 500})
    assert bad_days.status_code == 400 and "1 至 120 个工作日" in bad_days.content.decode()
    client.post(act, {"action": "assign", "department": "后勤保障部", "responsible": "吴海燕", "days": 15})
    proposal.refresh_from_db()
    assert proposal.status == "assigned" and proposal.due_on == add_working_days(timezone.localdate(), 15)
    assert proposal.case.deadline == proposal.due_on
    stale = client.post(act, {"action": "handled", "note": "已加装冷风机", "version": proposal.version - 1})
    assert stale.status_code == 302 and Proposal.objects.get().status == "assigned"  # someone else moved it
    client.post(act, {"action": "handled", "note": "已在两个车间加装冷风机12台。", "version": proposal.version})
    client.post(act, {"action": "reply", "text": "建议已采纳并落实，高温津贴按月足额发放。"})
    proposal.refresh_from_db()
    assert proposal.status == "replied" and proposal.replied_on == timezone.localdate() and proposal.due_on is None
    assert Message.objects.filter(user=zhang, event="democracy.proposal_replied").exists()

    # A co-signer may not rate; the proposer does, and it is closed with its case.
    client.force_login(c.users["李娜"])
    assert client.post(mine, {"action": "rate", "satisfaction": "satisfied"}).status_code == 400
    client.force_login(zhang)
    assert "提交评价" in client.get(mine).content.decode()
    assert client.post(mine, {"action": "rate", "satisfaction": "basic"}).status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == "closed" and proposal.satisfaction == "basic" and proposal.case.closed_at is not None
    actions = set(AuditEvent.objects.filter(object_id=str(proposal.pk)).values_list("action", flat=True))
    assert {"democracy.proposal_submit", "democracy.proposal_cosign", "democracy.proposal_review",
            "democracy.proposal_assign", "democracy.proposal_handled", "democracy.proposal_reply",
            "democracy.proposal_rate"} <= actions  # fmt: skip
    assert "已评价办结" in client.get(reverse("democracy:my_proposals")).content.decode()


def test_the_co_signer_rules(cast):
    c = congress_of(cast)
    submit = services.proposal_submit
    with pytest.raises(ValidationError, match="其他正式代表"):  # 孙丽 attends without a vote
        submit(actor=c.users["张伟"], sitting=c.sitting, cosigners=[c.reps["李娜"], c.reps["孙丽"]], **TEXT)
    with pytest.raises(ValidationError, match="本人不能作为附议人"):
        submit(actor=c.users["张伟"], sitting=c.sitting, cosigners=[c.reps["张伟"], c.reps["李娜"]], **TEXT)
    with pytest.raises(ValidationError, match="只有本届正式代表"):
        submit(actor=c.users["孙丽"], sitting=c.sitting, cosigners=[c.reps["李娜"], c.reps["陈军"]], **TEXT)
    with pytest.raises(ValidationError, match="请填写建议措施"):
        submit(actor=c.users["张伟"], sitting=c.sitting, cosigners=[c.reps["李娜"], c.reps["陈军"]],
               **TEXT | {"measures": "  "})  # fmt: skip
    assert not Proposal.objects.exists()
    proposal = proposed(c, "张伟", ("李娜", "陈军", "刘芳"), confirm=False)
    with pytest.raises(ValidationError, match="不是这件提案的附议人"):
        services.proposal_cosign(actor=c.users["赵强"], proposal=proposal)
    with pytest.raises(ValidationError, match="征集附议"):  # the committee cannot review it yet
        services.proposal_review(actor=c.admin, proposal=proposal, decision="accept")
    services.proposal_cosign(actor=c.users["李娜"], proposal=proposal)
    assert Proposal.objects.get().case is None  # one of two
    services.proposal_cosign(actor=c.users["刘芳"], proposal=proposal)
    assert Proposal.objects.get().status == "submitted" and Case.objects.filter(kind="congress_proposal").count() == 1
    services.proposal_cosign(actor=c.users["陈军"], proposal=proposal)  # a third may still confirm: one case
    assert Case.objects.filter(kind="congress_proposal").count() == 1
    services.sitting_close(actor=c.admin, sitting=c.sitting)
    with pytest.raises(ValidationError, match="已经闭会"):
        proposed(c, "张伟", confirm=False)


def test_an_opinion_and_a_refusal_need_reasons_and_close_it(cast):
    c = congress_of(cast)
    first, second = proposed(c), proposed(c, "赵强", ("张伟", "陈军"))
    with pytest.raises(ValidationError, match="须书面说明理由"):
        services.proposal_review(actor=c.admin, proposal=first, decision="opinion")
    first = services.proposal_review(actor=c.admin, proposal=first, decision="opinion", note="属日常管理事项")
    second = services.proposal_review(actor=c.admin, proposal=second, decision="reject", note="已列入工资协商议题")
    assert (first.status, second.status) == ("opinion", "rejected") and second.review_note == "已列入工资协商议题"
    assert Case.objects.filter(kind="congress_proposal", closed_at__isnull=False).count() == 2
    with pytest.raises(ValidationError, match="只有已立案"):
        services.proposal_assign(actor=c.admin, proposal=second, department="人力资源部", responsible="周建华", days=10)
    with pytest.raises(ValidationError, match="已经审查"):
        services.proposal_review(actor=c.admin, proposal=first, decision="accept")


def test_unresolved_proposals_are_carried_over_when_the_next_sitting_opens(cast):
    c = congress_of(cast)
    waiting = proposed(c)  # 待审查
    handling = services.proposal_review(actor=c.admin, proposal=proposed(c, "赵强", ("张伟", "陈军")),
                                        decision="accept")  # fmt: skip
    refused = services.proposal_review(actor=c.admin, proposal=proposed(c, "刘芳", ("张伟", "赵强")),
                                       decision="reject", note="不属于职代会职权")  # fmt: skip
    collecting = proposed(c, "陈军", ("张伟", "李娜"), confirm=False)
    services.sitting_close(actor=c.admin, sitting=c.sitting)
    today = timezone.localdate()
    nxt = services.sitting_create(actor=c.admin, term=c.term, number=2, title="第三届职代会第二次会议",
                                  starts_on=today + dt.timedelta(days=1), place="公司报告厅")  # fmt: skip
    assert Proposal.objects.filter(sitting=nxt).count() == 0  # only when it opens
    services.sitting_open(actor=c.admin, sitting=nxt)
    rows = {p.pk: (p.sitting_id, p.carried) for p in Proposal.objects.all()}
    assert rows[waiting.pk] == rows[handling.pk] == (nxt.pk, 1)
    assert rows[refused.pk] == rows[collecting.pk] == (c.sitting.pk, 0)
    assert AuditEvent.objects.filter(action="democracy.proposal_carry").count() == 2
    assert Proposal.objects.get(pk=waiting.pk).first_sitting_id == c.sitting.pk  # keeps its number
    # Carried again to the sitting after, counted; the proposer sees where it is now.
    services.sitting_close(actor=c.admin, sitting=nxt)
    third = services.sitting_create(actor=c.admin, term=c.term, number=3, title="第三届职代会第三次会议",
                                    starts_on=today + dt.timedelta(days=2), place="公司报告厅")  # fmt: skip
    services.sitting_open(actor=c.admin, sitting=Sitting.objects.get(pk=third.pk))
    assert Proposal.objects.get(pk=handling.pk).carried == 2


def test_lists_by_status_department_and_overdue_in_scope(client, cast):
    c = congress_of(cast)
    late = services.proposal_review(actor=c.admin, proposal=proposed(c), decision="accept")
    late = services.proposal_assign(actor=c.admin, proposal=late, department="后勤保障部", responsible="吴海燕", days=5)
    Proposal.objects.filter(pk=late.pk).update(due_on=timezone.localdate() - dt.timedelta(days=1))
    on_time = services.proposal_review(actor=c.admin, proposal=proposed(c, "赵强", ("张伟", "陈军")), decision="accept")
    services.proposal_assign(actor=c.admin, proposal=on_time, department="人力资源部", responsible="周建华", days=20)
    proposed(c, "刘芳", ("张伟", "赵强"))  # 待审查
    client.force_login(cast.users.province_admin)
    url = reverse("democracy:proposals")
    assert len(LINK.findall(client.get(url).content.decode())) == 3
    overdue = client.get(url, {"overdue": "on"}).content.decode()
    assert len(LINK.findall(overdue)) == 1 and "超期" in overdue
    assert len(LINK.findall(client.get(url, {"department": "人力"}).content.decode())) == 1
    assert len(LINK.findall(client.get(url, {"status": "submitted"}).content.decode())) == 1
    rows = list(PROPOSALS.rows(cast.users.province_admin, {"overdue": True}))
    assert [PROPOSALS.cells(r)[6:9] for r in rows] == [["后勤保障部", rows[0].due_on.isoformat(), "是"]]
    # Another province sees none of them; a representative's phone page is theirs only.
    client.force_login(cast.users.sibling_admin)
    assert not LINK.findall(client.get(url).content.decode())
    assert client.get(reverse("democracy:proposal", args=[late.pk])).status_code == 404
    client.force_login(c.users["赵强"])  # neither proposer nor co-signer of the first
    assert client.get(reverse("democracy:proposal_mine", args=[late.pk])).status_code == 404
    # The overview figure: open proposals, in scope and by org.
    assert selectors.open_proposals(cast.users.province_admin) == 3
    assert selectors.open_proposals(cast.users.sibling_admin) == 0
    assert selectors.open_proposals_under(cast.orgs.zhejiang) == 3
    assert selectors.open_proposals_by_org() == {cast.orgs.company.pk: 3}


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(days=st.integers(min_value=1, max_value=120), offset=st.integers(min_value=-400, max_value=400))
def test_the_handling_deadline_and_the_overdue_flag(db, days, offset):
    """The deadline a committee sets is that many working days after the day it assigns (weekends and the
    statutory holidays skipped); only an assigned proposal is overdue, from the day after its deadline."""
    start = timezone.localdate() + dt.timedelta(days=offset)
    due = add_working_days(start, days)
    assert working_days_between(start, due) == days and due > start
    for status in ("assigned", "handled", "replied"):
        overdue = Proposal(status=status, due_on=due).is_overdue
        assert overdue == (status == "assigned" and (due - timezone.localdate()).days < 0)
