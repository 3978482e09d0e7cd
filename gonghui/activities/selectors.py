"""Reads of activities: a cadre's events in scope, an event's sign-ups; a member's open events (those of
their union and the unions above it) and their own sign-ups."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import BooleanField, Case, Count, OuterRef, Q, QuerySet, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from gonghui.activities.models import Activity, SignUp
from gonghui.core import crypto
from gonghui.members.models import Membership
from gonghui.orgs import access
from gonghui.orgs.models import Org


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


def signup_for_checkin(user, activity: Activity) -> SignUp | None:
    """The member's live sign-up to ``activity`` (the check-in page tells them where they stand)."""
    person = getattr(user, "person_id", None)
    rows = SignUp.objects.filter(activity=activity, person_id=person).exclude(status=SignUp.Status.CANCELLED)
    return rows.first() if person else None


def attendance_of(activity: Activity) -> dict:
    """What the organiser sees after the event: confirmed, checked in, rated, the average and the comments
    (without names: the organiser needs what was said, not who said it)."""
    rows = activity.signups.filter(rating__isnull=False).exclude(comment_enc="").order_by("-rated_at", "-pk")
    comments = [{"rating": s.rating, "comment": crypto.decrypt(s.comment_enc), "at": s.rated_at} for s in rows[:50]]
    ratings = dict(activity.signups.filter(rating__isnull=False).values_list("rating").annotate(n=Count("pk")))
    return {"confirmed": activity.confirmed, "checked_in": activity.checked_in, "rated": activity.rating_count,
            "satisfaction": activity.satisfaction, "comments": comments,
            "by_rating": [(r, ratings.get(r, 0)) for r in range(5, 0, -1)]}  # fmt: skip


# ----- 活动统计: reports for any subtree, the overview figures ---------------------------------------------------


def _year(rows: QuerySet, year: int | None, field: str = "starts_at") -> QuerySet:
    return rows.filter(**{f"{field}__year": year}) if year else rows


def _in(user, org: Org | None, year: int | None) -> QuerySet[Activity]:
    rows = Activity.objects.in_scope(user)
    rows = rows.filter(org__path__startswith=org.path) if org is not None else rows
    return _year(rows, year)


@dataclass(frozen=True)
class Totals:
    events: int
    signed_up: int
    participants: int
    checkins: int
    rated: int
    satisfaction: Decimal | None


def report_totals(user, org: Org | None = None, year: int | None = None) -> Totals:
    """活动统计 of the user's scope or ``org``'s subtree (read through the scope), in a year or all years:
    events, confirmed places, distinct participants (members who checked in at least once), check-ins, ratings
    and the average satisfaction (from the rollups kept on each event)."""
    rows = _in(user, org, year)
    sums = rows.aggregate(events=Count("pk"), signed_up=Sum("confirmed"), checkins=Sum("checked_in"),
                          rated=Sum("rating_count"), points=Sum("rating_sum"))  # fmt: skip
    participants = (SignUp.objects.filter(activity__in=rows, checked_in_at__isnull=False)
                    .values("person_id").distinct().count())  # fmt: skip
    rated = sums["rated"] or 0
    return Totals(events=sums["events"], signed_up=sums["signed_up"] or 0, participants=participants,
                  checkins=sums["checkins"] or 0, rated=rated,
                  satisfaction=_average(sums["points"], rated))  # fmt: skip


def _average(points, count) -> Decimal | None:
    return (Decimal(points) / Decimal(count)).quantize(Decimal("0.1")) if count else None


def _one(rows: QuerySet, value) -> Coalesce:
    """A subquery's single aggregate (0 when nothing matches), for annotating each union's row."""
    grouped = rows.order_by().annotate(_all=Value(1)).values("_all").annotate(v=value).values("v")[:1]
    return Coalesce(Subquery(grouped), 0)


def report_orgs(user, org: Org | None = None, year: int | None = None) -> QuerySet[Org]:
    """One row per union for the report table and its export: ``org`` itself (its own events, 本级) and each of
    its children (their whole subtree); without ``org``, the roots of the user's scope. Each row is annotated
    with events, confirmed places, distinct participants, check-ins, rating count and points."""
    if org is None:
        unions = Org.objects.filter(pk__in=[o.pk for o in access.top_orgs(user)])
        own = Value(False)
    else:
        unions = Org.objects.in_scope(user).filter(Q(pk=org.pk) | Q(parent=org))
        own = Case(When(pk=org.pk, then=Value(True)), default=Value(False), output_field=BooleanField())
    events = _year(Activity.objects.all(), year)
    people = _year(SignUp.objects.filter(checked_in_at__isnull=False), year, "activity__starts_at")
    under = {"org__path__startswith": OuterRef("path")}
    mine = {"org": OuterRef("pk")}

    def both(rows: QuerySet, value, prefix: str = ""):
        key = {f"{prefix}{k}": v for k, v in (mine if org is not None else under).items()}
        subtree = _one(rows.filter(**{f"{prefix}{k}": v for k, v in under.items()}), value)
        if org is None:
            return subtree
        return Case(When(pk=org.pk, then=_one(rows.filter(**key), value)), default=subtree)

    return unions.annotate(
        own_row=own,
        events=both(events, Count("pk")), signed_up=both(events, Sum("confirmed")),
        checkins=both(events, Sum("checked_in")), rated=both(events, Sum("rating_count")),
        points=both(events, Sum("rating_sum")),
        participants=both(people, Count("person", distinct=True), "activity__"),
    ).order_by("-own_row", "path")  # fmt: skip


def row_satisfaction(row) -> Decimal | None:
    return _average(row.points, row.rated)


def events_count(user) -> int:
    return Activity.objects.in_scope(user).count()


def events_count_under(org: Org) -> int:
    return Activity.objects.filter(org__path__startswith=org.path).count()


def events_count_by_org() -> dict[int, int]:
    return dict(Activity.objects.values("org").annotate(n=Count("pk")).values_list("org", "n"))


def checkins_count(user) -> int:
    return Activity.objects.in_scope(user).aggregate(n=Sum("checked_in"))["n"] or 0


def checkins_count_under(org: Org) -> int:
    return Activity.objects.filter(org__path__startswith=org.path).aggregate(n=Sum("checked_in"))["n"] or 0


def checkins_count_by_org() -> dict[int, int]:
    rows = Activity.objects.filter(checked_in__gt=0).values("org").annotate(n=Sum("checked_in"))
    return dict(rows.values_list("org", "n"))


def _satisfaction(rows: QuerySet[Activity]) -> Decimal:
    sums = rows.aggregate(points=Sum("rating_sum"), rated=Sum("rating_count"))
    return _average(sums["points"], sums["rated"] or 0) or Decimal(0)


def satisfaction(user) -> Decimal:
    """平均满意度 of the events in scope (0 before anyone rated): an average, so it does not add up over the tree
    (no per-org shares)."""
    return _satisfaction(Activity.objects.in_scope(user))


def satisfaction_under(org: Org) -> Decimal:
    return _satisfaction(Activity.objects.filter(org__path__startswith=org.path))
