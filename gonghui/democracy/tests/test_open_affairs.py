"""厂务公开 as people take it: a board for the company (a non-public firm: 7 standing items), disclosures with
the 15-day minimum, the sitting's agenda and results against their deadlines, the worker reading the board on
the phone and asking, the cadre answering (the worker told), the overdue lists, the daily reminder, the figure,
and scope."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from gonghui.democracy import selectors, services
from gonghui.democracy.models import Board, Disclosure, Question
from gonghui.democracy.policy import NON_PUBLIC_ITEMS, STATE_ITEMS, disclosure_catalogue
from gonghui.democracy.tests.conftest import congress_of
from gonghui.messages.models import Message


def test_the_catalogues_are_policy_data(settings):
    assert len(disclosure_catalogue("state", "330106")) == 11 == len(STATE_ITEMS)
    assert len(disclosure_catalogue("non_public", "330106")) == 7 == len(NON_PUBLIC_ITEMS)
    settings.GONGHUI_DEMOCRACY = {"disclosure_items_by_province": {"37": {"state": [["a", "甲"]],
                                                                          "non_public": [["b", "乙"]]}}}  # fmt: skip
    assert disclosure_catalogue("state", "370102") == (("a", "甲"),)
    assert len(disclosure_catalogue("state", "330106")) == 11


def _board(cast) -> Board:
    return services.board_create(actor=cast.users.grassroots_admin, org=cast.orgs.company, ownership="non_public")


def test_disclosures_questions_and_answers_through_the_pages(client, cast):
    admin, today = cast.users.grassroots_admin, timezone.localdate()
    client.force_login(admin)
    made = client.post(reverse("democracy:boards"), {"org": cast.orgs.company.pk, "ownership": "non_public"})
    board = Board.objects.get()
    assert made.status_code == 302 and made["Location"] == reverse("democracy:board", args=[board.pk])
    act = reverse("democracy:board_act", args=[board.pk])
    post = {"action": "post", "kind": "item", "item": "pay", "title": "2026年工资调整方案",
            "body": "一线岗位工资平均上调5%。", "posted_on": today.isoformat()}  # fmt: skip
    short = client.post(act, post | {"until": (today + dt.timedelta(days=14)).isoformat()})
    assert short.status_code == 400 and "公开时间不少于 15 日" in short.content.decode()
    assert not Disclosure.objects.exists()
    wrong = client.post(act, post | {"item": "integrity", "until": (today + dt.timedelta(days=15)).isoformat()})
    assert wrong.status_code == 400 and not Disclosure.objects.exists()  # a state-firm item, not in this catalogue
    assert client.post(act, post | {"until": (today + dt.timedelta(days=15)).isoformat()}).status_code == 302
    page = client.get(reverse("democracy:board", args=[board.pk])).content.decode()
    assert "工资支付、加班和劳动定额" in page and "2026年工资调整方案" in page
    assert selectors.disclosure_completeness(admin) == 100 * 1 // 7
    assert selectors.disclosure_completeness_under(cast.orgs.zhejiang) == 14
    assert selectors.disclosure_completeness_under(cast.orgs.jiangsu) == 0

    # The worker (a member of the company's union) reads it on the phone and asks.
    worker = cast.users.worker
    client.force_login(worker)
    mine = reverse("democracy:open_affairs")
    shown = client.get(mine).content.decode()
    assert "2026年工资调整方案" in shown and "一线岗位工资平均上调5%" in shown
    disclosure = Disclosure.objects.get()
    short_q = client.post(mine, {"disclosure": disclosure.pk, "text": "为何"})
    assert short_q.status_code == 400 and "5 至 1000 字" in short_q.content.decode()
    assert client.post(mine, {"disclosure": disclosure.pk, "text": "辅助岗位是否同步调整？"}).status_code == 302
    question = Question.objects.get()
    assert question.due_on == today + dt.timedelta(days=30) and "辅助岗位" not in question.text_enc  # encrypted
    assert question.text == "辅助岗位是否同步调整？"
    # 王芳 (another union's member) and a cadre in another province cannot ask or see it.
    with pytest.raises(ValidationError, match="本单位工会会员"):
        services.question_ask(actor=cast.users.national_admin, disclosure=disclosure, text="外单位的问题能问吗？")
    client.force_login(cast.users.sibling_admin)
    assert client.get(reverse("democracy:board", args=[board.pk])).status_code == 404

    # The cadre answers; the worker is told; the read-only role may not answer.
    client.force_login(cast.users.readonly)
    assert client.post(act, {"action": "answer", "question": question.pk, "answer": "同步调整"}).status_code == 403
    client.force_login(admin)
    assert "辅助岗位是否同步调整？" in client.get(reverse("democracy:board", args=[board.pk])).content.decode()
    assert (
        client.post(act, {"action": "answer", "question": question.pk, "answer": "辅助岗位同步上调3%。"}).status_code
        == 302
    )
    question.refresh_from_db()
    assert question.answered_on == today
    told = Message.objects.get(event="democracy.question_answered")
    assert told.user == worker and told.link == mine
    client.force_login(worker)
    assert "辅助岗位同步上调3%" in client.get(mine).content.decode()


def test_overdue_agendas_results_and_questions_and_the_daily_reminder(client, cast):
    c = congress_of(cast)  # the company's congress: its first sitting opened today
    board, admin, today = _board(cast), c.admin, timezone.localdate()
    soon = services.sitting_create(actor=admin, term=c.term, number=2, title="第三届职代会第二次会议",
                                   starts_on=today + dt.timedelta(days=5), place="公司报告厅")  # fmt: skip
    overdue = {s.pk: what for s, what in selectors.overdue_sittings(admin)}
    assert "会前 7 日" in overdue[soon.pk]
    agenda = services.disclosure_post(actor=admin, board=board, kind="agenda", sitting=soon, title="第二次会议议程",
                                      body="审议2027年度工资集体协商方案。", posted_on=today,
                                      until=today + dt.timedelta(days=20))  # fmt: skip
    assert soon.pk not in {s.pk for s, _ in selectors.overdue_sittings(admin)}
    assert selectors.late_agenda(agenda)  # 5 days ahead: posted, but late
    client.force_login(admin)
    assert "未在会前7日公开" in client.get(reverse("democracy:board", args=[board.pk])).content.decode()

    # A question left unanswered past its 30 days is overdue; the daily job reminds the cadres 5 days before.
    item = services.disclosure_post(actor=admin, board=board, kind="item", item="safety", title="防暑降温措施",
                                    body="高温津贴按月发放。", posted_on=today,
                                    until=today + dt.timedelta(days=30))  # fmt: skip
    question = services.question_ask(actor=cast.users.worker, disclosure=item, text="津贴标准是多少？")
    assert services.disclosures_remind(today=question.due_on - dt.timedelta(days=5)) == 1
    assert Message.objects.filter(event="democracy.question_due", user=admin).count() == 1
    assert services.disclosures_remind(today=question.due_on - dt.timedelta(days=4)) == 0
    Question.objects.filter(pk=question.pk).update(due_on=today - dt.timedelta(days=1))
    assert [q.pk for q in selectors.overdue_questions(admin)] == [question.pk]
    assert not selectors.overdue_questions(cast.users.sibling_admin)
    page = client.get(reverse("democracy:boards")).content.decode()
    assert "防暑降温措施" in page and "应于" in page
    # The agenda reminder: 2 days before the agenda is due, for a sitting without one.
    later = services.sitting_create(actor=admin, term=c.term, number=3, title="第三次会议",
                                    starts_on=today + dt.timedelta(days=20), place="会议室")  # fmt: skip
    assert services.disclosures_remind(today=later.starts_on - dt.timedelta(days=9)) == 1
    assert Message.objects.filter(event="democracy.agenda_due").count() == 1


def test_questions_are_deleted_after_their_keep_days(cast):
    """Retention (democracy_question): a question asked before the cutoff goes with its answer; a newer one stays."""
    board, today = _board(cast), timezone.localdate()
    item = services.disclosure_post(actor=cast.users.grassroots_admin, board=board, kind="item", item="pay",
                                    title="工资方案", body="上调5%", posted_on=today,
                                    until=today + dt.timedelta(days=15))  # fmt: skip
    old = services.question_ask(actor=cast.users.worker, disclosure=item, text="是否包括派遣人员？")
    new = services.question_ask(actor=cast.users.worker, disclosure=item, text="何时发放？")
    Question.objects.filter(pk=old.pk).update(asked_on=today - dt.timedelta(days=731))
    cutoff = timezone.now() - dt.timedelta(days=730)
    assert services.questions_delete(cutoff=cutoff, batch_size=1) == 1
    assert list(Question.objects.values_list("pk", flat=True)) == [new.pk]
