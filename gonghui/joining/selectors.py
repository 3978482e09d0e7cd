"""Reads of online joining, always within the user's scope (orgs.access). Lists never decrypt."""

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from gonghui.joining.models import JoinApplication, JoinCode
from gonghui.members.models import Membership
from gonghui.orgs import access
from gonghui.orgs.models import MEMBER_HOLDING_TYPES, Org
from gonghui.orgs.selectors import PICKER_RELATED, named

TODO_FILTERS = {"open": "待办", "overdue": "已超期", "done": "已办结"}


def applications_visible_to(user, *, show: str = "open") -> QuerySet[JoinApplication]:
    """Applications handled in the user's scope or escalated to it; the most urgent first."""
    qs = JoinApplication.objects.in_scope(user)
    if show == "all":
        qs = qs.order_by("-id")
    elif show == "done":
        qs = qs.exclude(status=JoinApplication.Status.PENDING).order_by("-decided_at", "-id")
    else:
        qs = qs.filter(status=JoinApplication.Status.PENDING).order_by("due_on", "id")
        if show == "overdue":  # computed now, so nothing waits for the daily job
            qs = qs.filter(due_on__lt=timezone.localdate())
    # The region's whole chain (its full name is shown) and the membership (the card number), in the one query.
    return qs.select_related("org", "escalated_to", "employer", "region__parent__parent__parent", "membership")


def is_overdue(application: JoinApplication) -> bool:
    return application.status == JoinApplication.Status.PENDING and application.due_on < timezone.localdate()


def own_applications(user) -> QuerySet[JoinApplication]:
    """The signed-in applicant's own applications, newest first."""
    return JoinApplication.objects.filter(account=user).select_related("org", "membership").order_by("-id")


def again_refusal(previous: JoinApplication) -> str:
    """Why the applicant of ``previous`` (their latest application) may not apply again; "" if they may:
    it was refused or withdrawn, and the person is not a member meanwhile."""
    from gonghui.joining.services import ALREADY_MEMBER, PENDING_EXISTS

    if previous.status == JoinApplication.Status.PENDING:
        return PENDING_EXISTS
    if (
        previous.status == JoinApplication.Status.ACCEPTED
        or Membership.objects.filter(
            person__id_number_bidx=previous.id_number_bidx, status=Membership.Status.ACTIVE
        ).exists()
    ):
        return ALREADY_MEMBER
    return ""


def can_apply_again(user) -> bool:
    latest = own_applications(user).first()
    return latest is not None and not again_refusal(latest)


def join_codes_visible_to(user) -> QuerySet[JoinCode]:
    return (
        JoinCode.objects.in_scope(user)
        .select_related("org")
        .annotate(application_count=Count("applications"))
        .order_by("-id")
    )


def reassign_targets(user, application: JoinApplication, *, q: str = "", limit: int = 30) -> QuerySet[Org]:
    """Member-holding unions the user may hand the application to (when they write at the upper level): the first
    ``limit`` in tree order, narrowed by name or pinyin (``q``, the picker's search)."""
    upper = application.org.parent or application.org
    if not access.can_write(user, upper):
        return Org.objects.none()
    orgs = Org.objects.writable_by(user).filter(
        Q(path__startswith=upper.path), org_type__in=MEMBER_HOLDING_TYPES, status=Org.Status.ACTIVE
    )
    return named(orgs, q).exclude(pk=application.org_id).select_related(*PICKER_RELATED).order_by("path")[:limit]


def code_org_options(user) -> QuerySet[Org]:
    """Unions the user may print a join code for."""
    return (
        Org.objects.writable_by(user)
        .filter(org_type__in=MEMBER_HOLDING_TYPES, status=Org.Status.ACTIVE)
        .order_by("path")[:200]
    )


def open_application_count(user) -> int:
    """待办入会申请: the pending applications the user's unions handle or were escalated to (one count)."""
    return applications_visible_to(user).count()


def _pending():
    return JoinApplication.objects.filter(status=JoinApplication.Status.PENDING)


def open_application_count_under(org: Org) -> int:
    """待办入会申请 handled by the unions of ``org``'s subtree (an escalation goes to an ancestor of the handling
    union, so it is inside every subtree that holds the handling union: nothing is counted twice)."""
    return _pending().filter(org__path__startswith=org.path).count()


def open_application_count_by_org() -> dict[int, int]:
    return dict(_pending().values("org").annotate(n=Count("id")).values_list("org", "n"))
