"""Fund review reads, each limited to the user's scope (a cadre sees their own subtree)."""

from django.core.exceptions import ValidationError
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from gonghui.accounts.models import User
from gonghui.fundreview.models import Committee, CommitteeMember, Finding, Officer, Plan, Report
from gonghui.members.models import Membership
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


def member_by_card(org: Org, card_number: str):
    """The person holding membership card ``card_number`` in ``org`` or a union below it; a refusal in Chinese."""
    membership = (Membership.objects.filter(card_number=card_number.strip(), org__path__startswith=org.path)
                  .select_related("person").first())  # fmt: skip
    if membership is None:
        raise ValidationError({"card_number": ValidationError(f"在{org.name}及下级工会中没有会员证号为该号码的会员。")})
    return membership.person


def work_account(username: str) -> User | None:
    """The active cadre account named ``username`` (never a worker's), none for a blank; a refusal in Chinese."""
    if not username.strip():
        return None
    account = User.objects.filter(username=username.strip(), is_active=True, person__isnull=True).first()
    if account is None:
        raise ValidationError({"account": ValidationError("没有这个工作账号。")})
    return account


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
