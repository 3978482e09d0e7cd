"""Reads of learning accounts. The scope is in one place each: a cadre sees the courses of the unions in their
scope and of the unions above them (whose courses reach their members), and the completions and check-ins of the
members of the unions in their scope (``access.scope_q`` on the copied union path); a worker sees their own. The
sums (credits per member per year, per child union, the overview figures) are computed by the database."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Case, Count, DecimalField, OuterRef, Q, QuerySet, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from gonghui.learning.models import CheckIn, Completion, Course
from gonghui.members.models import Membership
from gonghui.orgs import access
from gonghui.orgs.models import Org
from gonghui.venues.models import Kind as VenueKind
from gonghui.venues.models import Venue

ZERO = Decimal("0.0")
TENTH = Decimal("0.1")

# ----- the cadre's side ------------------------------------------------------------------------------------------


def _reaching_scope(user) -> Q:
    """Courses of the unions in the user's scope, and of the unions above the user's granted unions."""
    above = {path for grant in access.grants_of(user) for path in grant.org.ancestor_paths()}
    return access.scope_q(user, "org__path") | Q(org__path__in=above)


def courses_visible_to(user, *, q: str = "", category: str = "", year: int | None = None) -> QuerySet[Course]:
    rows = Course.objects.filter(_reaching_scope(user)).select_related("org")
    if q.strip():
        rows = rows.filter(title__icontains=q.strip())
    if category:
        rows = rows.filter(category=category)
    if year:
        rows = rows.filter(starts_on__year__lte=year, ends_on__year__gte=year)
    return rows.annotate(done=Count("completions")).order_by("-starts_on", "-id")


def course_for_read(user, pk: int) -> Course:
    access.require_cadre(user)
    course = Course.objects.filter(_reaching_scope(user)).select_related("org").filter(pk=pk).first()
    if course is None:
        raise Http404("课程培训不存在")
    return course


def completions_visible_to(user, *, course: int | None = None, year: int | None = None) -> QuerySet[Completion]:
    """The completions of the members of the unions in the user's scope (of one course, of one year)."""
    rows = Completion.objects.filter(access.scope_q(user, "org_path")).select_related("course", "person", "org")
    if course:
        rows = rows.filter(course_id=course)
    if year:
        rows = rows.filter(year=year)
    return rows.order_by("-completed_on", "-id")


def checkins_visible_to(user, *, year: int | None = None) -> QuerySet[CheckIn]:
    rows = CheckIn.objects.filter(access.scope_q(user, "org_path")).select_related("person", "org", "venue")
    if year:
        rows = rows.filter(year=year)
    return rows.order_by("-read_on", "-id")


def _per_union(model, value, year: int, zero) -> Coalesce:
    """One number of the records of ``model`` in ``year`` under the outer union's path (its whole subtree)."""
    rows = (model.objects.filter(year=year, org_path__startswith=OuterRef("path")).order_by().values("year")
            .annotate(v=value).values("v")[:1])  # fmt: skip
    return Coalesce(Subquery(rows), zero)


def report_rows(org: Org, year: int) -> QuerySet[Org]:
    """学习情况 of ``org``'s subtree in ``year``: the union itself (its whole subtree: the totals) and then each
    child union (its subtree), with the members with at least one completion (``learners``), the credits of
    completions, the average per learner, the reading check-ins and their credits — each a subquery on the copied
    union path (a prefix scan of one index), one row per child. The caller checked the scope. A member counts
    under the union they were in when the record was made."""
    none, nothing = Value(0), Value(ZERO, output_field=DecimalField(max_digits=12, decimal_places=1))
    rows = (Org.objects.filter(Q(pk=org.pk) | Q(parent=org))
            .annotate(learners=_per_union(Completion, Count("person", distinct=True), year, none),
                      credits=_per_union(Completion, Sum("credits"), year, nothing),
                      checkins=_per_union(CheckIn, Count("id"), year, none),
                      reading_credits=_per_union(CheckIn, Sum("credits"), year, nothing),
                      total_row=Case(When(pk=org.pk, then=Value(0)), default=Value(1)))
            .order_by("total_row", "name", "pk"))  # fmt: skip
    return rows


def tenths(value) -> Decimal:
    """A sum of credits in one decimal place, whatever the database gives back."""
    return Decimal(value or 0).quantize(TENTH)


def average(credits, learners) -> Decimal:
    return (Decimal(credits) / learners).quantize(Decimal("0.1")) if learners else ZERO


# ----- the worker's side -----------------------------------------------------------------------------------------


def membership_of(user) -> Membership | None:
    person = getattr(user, "person_id", None)
    if not person:
        return None
    return (Membership.objects.filter(person_id=person, status=Membership.Status.ACTIVE)
            .select_related("org", "person").first())  # fmt: skip


@dataclass(frozen=True)
class Credits:
    """A member's credits of a year: from completions, from reading, and both."""

    year: int
    courses: Decimal
    reading: Decimal

    def __post_init__(self):  # one decimal place whatever the database's sum gives back
        object.__setattr__(self, "courses", Decimal(self.courses).quantize(TENTH))
        object.__setattr__(self, "reading", Decimal(self.reading).quantize(TENTH))

    @property
    def total(self) -> Decimal:
        return self.courses + self.reading


def credits_of(person_id: int, year: int) -> Credits:
    """学分 of a person in a year, summed by the database (two indexed aggregates)."""
    courses = Completion.objects.filter(person_id=person_id, year=year).aggregate(s=Sum("credits"))["s"]
    reading = CheckIn.objects.filter(person_id=person_id, year=year).aggregate(s=Sum("credits"))["s"]
    return Credits(year, courses or ZERO, reading or ZERO)


def credits_by_year(person_id: int) -> list[Credits]:
    """Every year the person earned credits in, newest first (two grouped queries)."""
    courses = dict(Completion.objects.filter(person_id=person_id).values("year").annotate(s=Sum("credits"))
                   .values_list("year", "s"))  # fmt: skip
    reading = dict(CheckIn.objects.filter(person_id=person_id).values("year").annotate(s=Sum("credits"))
                   .values_list("year", "s"))  # fmt: skip
    years = sorted(courses.keys() | reading.keys(), reverse=True)
    return [Credits(y, courses.get(y) or ZERO, reading.get(y) or ZERO) for y in years]


def my_completions(person_id: int) -> QuerySet[Completion]:
    return (
        Completion.objects.filter(person_id=person_id)
        .select_related("course", "course__org")
        .order_by("-completed_on", "-id")
    )


def my_checkins(person_id: int, limit: int = 30) -> list[CheckIn]:
    return list(CheckIn.objects.filter(person_id=person_id).select_related("venue").order_by("-read_on", "-id")[:limit])


def open_courses(membership: Membership, today: dt.date | None = None) -> QuerySet[Course]:
    """Courses that reach the member (their union's or a union's above) and have not ended."""
    today = today or timezone.localdate()
    paths = [*membership.org.ancestor_paths(), membership.org.path]
    return (Course.objects.filter(org__path__in=paths, ends_on__gte=today).select_related("org")
            .exclude(completions__person_id=membership.person_id).order_by("starts_on", "pk"))  # fmt: skip


def libraries_for(membership: Membership, limit: int = 30) -> list[Venue]:
    """The worker libraries a worker may pick: those of their union and the unions above it, nearest union first."""
    paths = [*membership.org.ancestor_paths(), membership.org.path]
    rows = (Venue.objects.filter(kind=VenueKind.LIBRARY, is_active=True, org__path__in=paths)
            .select_related("org").order_by("-org__depth", "name", "pk"))  # fmt: skip
    return list(rows[:limit])


def today_credits(person_id: int, today: dt.date | None = None) -> Decimal:
    today = today or timezone.localdate()
    total = CheckIn.objects.filter(person_id=person_id, read_on=today).aggregate(s=Sum("credits"))["s"] or ZERO
    return Decimal(total).quantize(TENTH)


# ----- the overview figures --------------------------------------------------------------------------------------


def _year() -> int:
    return timezone.localdate().year


def learners_this_year(user) -> int:
    """本年参学职工: members of the unions in scope with at least one completion this year."""
    rows = Completion.objects.filter(access.scope_q(user, "org_path"), year=_year())
    return rows.values("person").distinct().count()


def learners_this_year_under(org: Org) -> int:
    return Completion.objects.filter(org_path__startswith=org.path, year=_year()).values("person").distinct().count()


def _sum(rows: QuerySet) -> Decimal:
    return rows.aggregate(s=Sum("credits"))["s"] or ZERO


def _by_org(model) -> dict[int, Decimal]:
    """Each union's own share this year (the records of its own members); the rollups add them up the tree."""
    rows = model.objects.filter(year=_year()).values("org").annotate(s=Sum("credits")).values_list("org", "s")
    return {org: total or ZERO for org, total in rows}


def course_credits_this_year(user) -> Decimal:
    """本年课程学分: credits of this year's completions of the members of the unions in scope (one aggregate)."""
    return _sum(Completion.objects.filter(access.scope_q(user, "org_path"), year=_year()))


def course_credits_this_year_under(org: Org) -> Decimal:
    return _sum(Completion.objects.filter(org_path__startswith=org.path, year=_year()))


def course_credits_this_year_by_org() -> dict[int, Decimal]:
    return _by_org(Completion)


def reading_credits_this_year(user) -> Decimal:
    """本年读书学分: credits of this year's reading check-ins of the members of the unions in scope."""
    return _sum(CheckIn.objects.filter(access.scope_q(user, "org_path"), year=_year()))


def reading_credits_this_year_under(org: Org) -> Decimal:
    return _sum(CheckIn.objects.filter(org_path__startswith=org.path, year=_year()))


def readers_this_year(user) -> int:
    """本年职工书屋读者 (the plan's e-library readers, decision 0044): distinct members of the unions in scope with
    at least one reading check-in this year."""
    rows = CheckIn.objects.filter(access.scope_q(user, "org_path"), year=_year())
    return rows.values("person").distinct().count()


def readers_this_year_under(org: Org) -> int:
    """The same for ``org``'s whole subtree (distinct people: it does not add up over the tree)."""
    return CheckIn.objects.filter(org_path__startswith=org.path, year=_year()).values("person").distinct().count()


def reading_credits_this_year_by_org() -> dict[int, Decimal]:
    return _by_org(CheckIn)
