"""Fund review reads, each limited to the user's scope (a cadre sees their own subtree)."""

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from gonghui.fundreview.models import Committee, CommitteeMember, Finding, Officer, Plan, Report
from gonghui.orgs.models import Org


def _under(qs, org: Org | None, path: str = "org__path"):
    return qs.filter(**{f"{path}__startswith": org.path}) if org is not None else qs


def committees_visible_to(user, *, org: Org | None = None) -> QuerySet[Committee]:
    qs = Committee.objects.in_scope(user).select_related("org").annotate(member_total=Count("members"))
    return _under(qs, org).order_by("org__path", "-term_start")


def members_of(committee: Committee) -> QuerySet[CommitteeMember]:
    return committee.members.select_related("person").order_by("role", "pk")


def officers_of(user, org: Org) -> QuerySet[Officer]:
    return Officer.objects.in_scope(user).filter(org=org).select_related("person").order_by("-since", "pk")


def plans_visible_to(user, *, org: Org | None = None, year: int | None = None) -> QuerySet[Plan]:
    qs = (
        Plan.objects.in_scope(user)
        .select_related("org")
        .annotate(finding_total=Count("findings"), open_total=Count("findings", filter=~Q(findings__status="closed")))
    )
    qs = qs.filter(year=year) if year else qs
    return _under(qs, org).order_by("-year", "-planned_on", "-pk")


def findings_visible_to(user, *, org: Org | None = None, status: str = "", overdue: bool = False,
                        plan: Plan | None = None) -> QuerySet[Finding]:  # fmt: skip
    qs = Finding.objects.in_scope(user).select_related("org", "plan")
    if status == "open":
        qs = qs.exclude(status=Finding.Status.CLOSED)
    elif status:
        qs = qs.filter(status=status)
    if overdue:
        qs = qs.exclude(status=Finding.Status.CLOSED).filter(deadline__lt=timezone.localdate())
    if plan is not None:
        qs = qs.filter(plan=plan)
    return _under(qs, org).order_by("deadline", "pk")


def reports_visible_to(user, *, org: Org | None = None) -> QuerySet[Report]:
    return _under(Report.objects.in_scope(user).select_related("org"), org).order_by("-year", "org__path")


# ----- overview figures --------------------------------------------------------------------------------------


def _open():
    return Finding.objects.exclude(status=Finding.Status.CLOSED)


def open_rectifications(user) -> int:
    return Finding.objects.in_scope(user).exclude(status=Finding.Status.CLOSED).count()


def open_rectifications_under(org: Org) -> int:
    return _open().filter(org__path__startswith=org.path).count()


def open_rectifications_by_org() -> dict[int, int]:
    return dict(_open().values("org").annotate(n=Count("id")).values_list("org", "n"))


def _rate(qs) -> float:
    counts = qs.aggregate(total=Count("id"), closed=Count("id", filter=Q(status=Finding.Status.CLOSED)))
    return round(counts["closed"] * 100 / counts["total"], 1) if counts["total"] else 0


def _this_year():
    return Finding.objects.filter(plan__year=timezone.localdate().year)


def closure_rate(user) -> float:
    """整改销号率 of this year's findings in the user's scope, in percent."""
    return _rate(Finding.objects.in_scope(user).filter(plan__year=timezone.localdate().year))


def closure_rate_under(org: Org) -> float:
    return _rate(_this_year().filter(org__path__startswith=org.path))
