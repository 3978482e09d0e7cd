"""The person's sign-ups, for their own copy of their data (declared in apps.py): the status, the check-in at the
event, and the rating and comment they gave."""

from django.utils import timezone

from gonghui.activities.models import SignUp
from gonghui.core import crypto
from gonghui.members.models import Person


def _moment(value) -> str:
    return timezone.localtime(value).isoformat() if value else ""


def signups_section(person: Person) -> list[dict]:
    rows = SignUp.objects.filter(person=person).select_related("activity").order_by("created_at", "pk")
    return [{"活动": s.activity.title, "状态": s.get_status_display(), "报名时间": _moment(s.created_at),
             "现场签到时间": _moment(s.checked_in_at), "满意度": s.rating or "",
             "评价意见": crypto.decrypt(s.comment_enc) if s.comment_enc else ""} for s in rows]  # fmt: skip
