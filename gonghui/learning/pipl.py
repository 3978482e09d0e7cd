"""A member's completions and reading check-ins, for their own copy of their data (declared in apps.py)."""

from django.utils import timezone

from gonghui.learning.models import CheckIn, Completion
from gonghui.members.models import Person


def learning_section(person: Person) -> dict:
    completions = (
        Completion.objects.filter(person=person).select_related("course__org", "org").order_by("completed_on", "pk")
    )
    checkins = CheckIn.objects.filter(person=person).select_related("venue").order_by("read_on", "pk")
    return {
        "结业记录": [{"课程": c.course.title, "主办工会": c.course.org.name, "所在工会": c.org.name,
                      "结业日期": c.completed_on.isoformat(), "成绩": str(c.score) if c.score is not None else "",
                      "学分": str(c.credits), "来源": c.get_source_display()} for c in completions],
        "读书打卡": [{"书名": c.title, "阅读日期": c.read_on.isoformat(), "时长（分钟）": c.minutes, "读书心得": c.note,
                      "职工书屋": c.venue.name if c.venue else "", "学分": str(c.credits),
                      "打卡时间": timezone.localtime(c.created_at).isoformat()} for c in checkins],
    }  # fmt: skip
