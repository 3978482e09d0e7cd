"""Editing questions and contests through the pages: allowed before the contest opens, refused in Chinese
after (a question: while an opened contest could draw it)."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from gonghui.news.models import Contest, Question
from gonghui.news.tests.conftest import a_bank, a_contest

pytestmark = pytest.mark.django_db


def _moment(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%dT%H:%M")


def test_a_contest_is_edited_before_it_opens_and_not_after(client, cast):
    a_bank(cast, n=6)
    soon = timezone.now() + dt.timedelta(days=1)
    contest = a_contest(cast, starts_at=soon, ends_at=soon + dt.timedelta(days=2))
    client.force_login(cast.users.grassroots_admin)
    form = {"title": "工会法知识竞赛（第二轮）", "audience": "subtree", "starts_at": _moment(soon),
            "ends_at": _moment(soon + dt.timedelta(days=3)), "question_count": 4, "time_limit_minutes": 8,
            "attempts_allowed": 1, "difficulty": ""}  # fmt: skip
    bad = client.post(reverse("news:contest_edit", args=[contest.pk]), form | {"question_count": 50})
    assert bad.status_code == 400 and "题库中符合条件的题目只有 6 道" in bad.content.decode()
    assert client.post(reverse("news:contest_edit", args=[contest.pk]), form).status_code == 302
    contest.refresh_from_db()
    assert (contest.title, contest.question_count, contest.time_limit_minutes) == ("工会法知识竞赛（第二轮）", 4, 8)
    Contest.objects.filter(pk=contest.pk).update(starts_at=timezone.now() - dt.timedelta(minutes=1))
    page = client.get(reverse("news:contest_edit", args=[contest.pk])).content.decode()
    assert "竞赛已经开始，不能再修改" in page and "data-started" in page
    refused = client.post(reverse("news:contest_edit", args=[contest.pk]), form | {"title": "改名"})
    assert refused.status_code == 400 and "竞赛已经开始，不能再修改" in refused.content.decode()
    contest.refresh_from_db()
    assert contest.title == "工会法知识竞赛（第二轮）"
    client.force_login(cast.users.sibling_admin)
    assert client.get(reverse("news:contest_edit", args=[contest.pk])).status_code in (403, 404)


def test_a_question_is_edited_until_an_opened_contest_could_draw_it(client, cast):
    first, *_ = a_bank(cast, n=6)
    other = Question.objects.create(org=cast.orgs.company, kind="judge", text="安全生产题", options=["正确", "错误"],
                                    answer="A", category="安全生产")  # fmt: skip
    client.force_login(cast.users.grassroots_admin)
    form = {"kind": "single", "text": "工会会员享有哪项权利？", "option_a": "选举权", "option_b": "无",
            "answer": "A", "category": "工会法", "difficulty": "easy"}  # fmt: skip
    assert "修改题目" in client.get(reverse("news:question_edit", args=[first.pk])).content.decode()
    assert client.post(reverse("news:question_edit", args=[first.pk]), form).status_code == 302
    first.refresh_from_db()
    assert (first.text, first.options, first.answer) == ("工会会员享有哪项权利？", ["选举权", "无"], "A")
    a_contest(cast, category="工会法")  # opened an hour ago, draws on 工会法
    refused = client.post(reverse("news:question_edit", args=[first.pk]), form | {"text": "改了"})
    assert refused.status_code == 400 and "已开始的竞赛会抽到这道题" in refused.content.decode()
    moved = client.post(reverse("news:question_edit", args=[other.pk]), form | {"category": "工会法"})
    assert moved.status_code == 400  # moving a question into an opened contest's pool is changing it too
    judge = {
        "kind": "judge",
        "text": "安全生产人人有责。",
        "answer": "正确",
        "category": "安全生产",
        "difficulty": "easy",
    }
    assert client.post(reverse("news:question_edit", args=[other.pk]), judge).status_code == 302
    other.refresh_from_db()
    assert other.text == "安全生产人人有责。"
