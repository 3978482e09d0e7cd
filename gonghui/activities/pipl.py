"""The person's sign-ups, for their own copy of their data (declared in apps.py)."""

from django.utils import timezone

from gonghui.activities.models import SignUp
from gonghui.members.models import Person


def signups_section(person: Person) -> list[dict]:
    rows = SignUp.objects.filter(person=person).select_related("activity").order_by("created_at", "pk")
    return [{"活动": s.activity.title, "状态": s.get_status_display(),
             "报名时间": timezone.localtime(s.created_at).isoformat()} for s in rows]  # fmt: skip
