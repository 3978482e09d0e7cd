"""The person's readings and read receipts, for their own copy of their data (declared in apps.py)."""

from django.utils import timezone

from gonghui.members.models import Person
from gonghui.news.models import Comment, Like, Reading


def readings_section(person: Person) -> list[dict]:
    rows = Reading.objects.filter(person=person).select_related("article").order_by("read_at", "pk")
    return [{"资讯通知": r.article.title, "阅读时间": timezone.localtime(r.read_at).isoformat(),
             "确认阅读时间": timezone.localtime(r.confirmed_at).isoformat() if r.confirmed_at else ""}
            for r in rows]  # fmt: skip


def comments_section(person: Person) -> dict:
    comments = Comment.objects.filter(person=person).select_related("article").order_by("created_at", "pk")
    likes = Like.objects.filter(person=person).select_related("article").order_by("created_at", "pk")
    return {
        "评论": [{"资讯通知": c.article.title, "内容": c.text, "状态": c.get_status_display(),
                  "时间": timezone.localtime(c.created_at).isoformat()} for c in comments],
        "点赞": [{"资讯通知": x.article.title, "时间": timezone.localtime(x.created_at).isoformat()} for x in likes],
    }  # fmt: skip


def attempts_section(person: Person) -> list[dict]:
    """知识竞赛答题记录: each attempt with its score and, once submitted, the answers given."""
    from gonghui.news.models import Attempt

    rows = Attempt.objects.filter(person=person).select_related("contest").prefetch_related("items__question")
    return [{"竞赛": a.contest.title, "第几次": a.number, "开始时间": timezone.localtime(a.started_at).isoformat(),
             "交卷时间": timezone.localtime(a.submitted_at).isoformat() if a.submitted_at else "",
             "得分": a.score if a.submitted_at else None, "用时（秒）": a.seconds,
             "答题": [{"题目": i.question.text, "所选答案": i.chosen} for i in a.items.all()]}
            for a in rows.order_by("started_at", "pk")]  # fmt: skip


def talks_section(person: Person) -> list[dict]:
    """宣讲签到记录: the talks and study sessions the person signed in to."""
    from gonghui.news.models import TalkAttendance

    rows = TalkAttendance.objects.filter(person=person).select_related("talk").order_by("recorded_at", "pk")
    return [{"宣讲": r.talk.topic, "类型": r.talk.get_kind_display(),
             "签到时间": timezone.localtime(r.recorded_at).isoformat()} for r in rows]  # fmt: skip
