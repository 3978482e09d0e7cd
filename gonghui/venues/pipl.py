"""The person's check-ins, for their own copy of their data (declared in apps.py)."""

from django.utils import timezone

from gonghui.members.models import Person
from gonghui.venues.models import CheckIn


def checkins_section(person: Person) -> list[dict]:
    """Every check-in of the person's accounts still kept (they are deleted after the retention period)."""
    rows = CheckIn.objects.filter(user__person=person).select_related("venue").order_by("at", "id")
    return [{"阵地": c.venue.name, "地址": c.venue.address, "时间": timezone.localtime(c.at).isoformat()} for c in rows]
