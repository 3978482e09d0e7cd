"""Reads of activities: a cadre's events in scope, an event's sign-ups; a member's open events (those of
their union and the unions above it) and their own sign-ups."""

from django.db.models import QuerySet
from django.utils import timezone

from gonghui.activities.models import Activity, SignUp
from gonghui.members.models import Membership


def activities_visible_to(user, *, campaign: str = "") -> QuerySet[Activity]:
    rows = Activity.objects.in_scope(user).select_related("org")
    if campaign:
        rows = rows.filter(campaign=campaign)
    return rows.order_by("-starts_at", "-id")


def activity_for_read(user, pk: int) -> Activity:
    return Activity.objects.get_for_read(user, pk)


def signups_of(activity: Activity) -> QuerySet[SignUp]:
    """Confirmed first, then the waiting list in its order, then the cancelled."""
    order = {"confirmed": 0, "waiting": 1, "cancelled": 2}
    rows = list(activity.signups.select_related("person").order_by("created_at", "pk"))
    return sorted(rows, key=lambda s: order[s.status])


def open_for(user) -> QuerySet[Activity]:
    """Events still open for sign-up held by the member's union or a union above it."""
    person = getattr(user, "person_id", None)
    if not person:
        return Activity.objects.none()
    paths = set()
    for membership in Membership.objects.filter(person_id=person, status=Membership.Status.ACTIVE).select_related(
        "org"
    ):
        paths |= {*membership.org.ancestor_paths(), membership.org.path}
    return (Activity.objects.filter(org__path__in=paths, signup_deadline__gte=timezone.now())
            .select_related("org").order_by("starts_at", "pk"))  # fmt: skip


def own_signups(user) -> QuerySet[SignUp]:
    person = getattr(user, "person_id", None)
    rows = SignUp.objects.filter(person_id=person) if person else SignUp.objects.none()
    return rows.select_related("activity__org").order_by("-created_at", "-pk")


def own_signup(user, pk: int) -> SignUp | None:
    return own_signups(user).filter(pk=pk).first()
