"""Access scope: the ONE place that decides what a user may see and change.

A grant of a role on an org node covers that node's whole subtree. Anything outside a user's scope
reads as "does not exist" (Http404) so that existence does not leak; a read-only role gets
PermissionDenied (403) on writes. Users with no grant at all (workers, platform admins) get 403 on
cadre pages: they have nothing there to see.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from gonghui.accounts.models import Grant, User
from gonghui.core.audit import audit_record

if TYPE_CHECKING:
    from gonghui.orgs.models import Org

WRITE_ROLES = {Grant.Role.ADMIN, Grant.Role.STAFF}
ROLE_RANK = {Grant.Role.READONLY: 0, Grant.Role.STAFF: 1, Grant.Role.ADMIN: 2}
NO_GRANT_MESSAGE = "此功能仅供有组织授权的工会工作人员使用。"


def grants_of(user: User | None) -> list[Grant]:
    """The user's grants with their org paths, loaded once per request."""
    if user is None or not user.is_authenticated or not user.is_active:
        return []
    cached = getattr(user, "_gonghui_grants", None)
    if cached is None:
        cached = list(Grant.objects.filter(user=user).select_related("org"))
        user._gonghui_grants = cached
    return cached


def deny(user: User, message: str, org: Org | None = None) -> PermissionDenied:
    """Record the refusal (SECURITY.md item 8) and return the exception to raise."""
    audit_record(actor=user, action="access.denied", org=org, result="denied", detail={"reason": message})
    return PermissionDenied(message)


def forget_grants(user: User) -> None:
    """Drop the grants loaded on this user object, after they changed."""
    user.__dict__.pop("_gonghui_grants", None)


def require_cadre(user: User) -> None:
    if not grants_of(user):
        raise deny(user, NO_GRANT_MESSAGE)


def scope_q(user: User, path_field: str = "path", *, roles: set[str] | None = None) -> Q:
    """A filter on org paths: the union of the user's subtrees (matches nothing without grants);
    with ``roles``, only the subtrees of grants with one of those roles."""
    q = Q(pk__in=[])
    for grant in grants_of(user):
        if roles is None or grant.role in roles:
            q |= Q(**{f"{path_field}__startswith": grant.org.path})
    return q


def grant_covering(user: User, org: Org) -> Grant | None:
    """The strongest of the user's grants whose subtree contains ``org``."""
    covering = [g for g in grants_of(user) if org.path.startswith(g.org.path)]
    return max(covering, key=lambda g: (ROLE_RANK[g.role], g.can_unmask), default=None)


def top_orgs(user: User) -> list[Org]:
    """The roots of the user's scope: granted orgs not inside another granted org."""
    orgs = sorted({g.org.path: g.org for g in grants_of(user)}.values(), key=lambda o: o.path)
    roots: list[Org] = []
    for org in orgs:
        if not any(org.path.startswith(r.path) for r in roots):
            roots.append(org)
    return roots


def orgs_visible_to(user: User) -> QuerySet[Org]:
    from gonghui.orgs.models import Org

    return Org.objects.in_scope(user)


def orgs_writable_by(user: User, *, manage: bool = False) -> QuerySet[Org]:
    """Orgs the user may change: under a grant with a write role (``manage``: the admin role)."""
    from gonghui.orgs.models import Org

    return Org.objects.writable_by(user, manage=manage)


def org_for_read(user: User, pk: int) -> Org:
    from gonghui.orgs.models import Org

    return Org.objects.select_related("region", "parent", "employer").get_for_read(user, pk)


def require_role(user: User, org: Org, roles: set[str]) -> Grant:
    grant = grant_covering(user, org)
    if grant is None:
        raise Http404("组织不存在")
    if grant.role not in roles:
        raise deny(user, "您的角色没有修改此组织数据的权限。", org)
    return grant


def org_for_write(user: User, pk: int, *, manage: bool = False) -> Org:
    """An org the user may change: members (admin or staff) or, with ``manage``, the org itself (admin)."""
    from gonghui.orgs.models import Org

    return Org.objects.select_related("region", "parent", "employer").get_for_write(user, pk, manage=manage)


def can_unmask(user: User, org: Org) -> bool:
    grant = grant_covering(user, org)
    return bool(grant and grant.can_unmask)


def people_visible_q(user: User) -> Q:
    """People whose current union (or, with none active, any former union) lies in the user's scope."""
    from gonghui.members.models import Membership

    in_scope = Membership.objects.filter(scope_q(user, "org__path"), person=OuterRef("pk"))
    active = Membership.objects.filter(person=OuterRef("pk"), status=Membership.Status.ACTIVE)
    return Q(Exists(in_scope.filter(status=Membership.Status.ACTIVE))) | (~Q(Exists(active)) & Q(Exists(in_scope)))


def person_for_read(user: User, pk: int):
    from gonghui.members.models import Person

    require_cadre(user)
    person = Person.objects.filter(people_visible_q(user), pk=pk).select_related("employer").first()
    if person is None:
        raise Http404("会员不存在")
    return person


def person_for_self_or_read(user: User, pk: int):
    """The person ``pk``: the signed-in worker's own record, or one in the user's scope (else 404)."""
    from gonghui.members.models import Person

    if user is not None and user.is_authenticated and user.person_id == pk:
        return Person.objects.get(pk=pk)
    return person_for_read(user, pk)


def person_for_write(user: User, pk: int):
    person = person_for_read(user, pk)
    require_role(user, home_org(person), WRITE_ROLES)
    return person


def home_org(person) -> Org:
    """The union that holds the person's record: the active membership's, else the latest one's."""
    from gonghui.members.models import Membership

    memberships = Membership.objects.filter(person=person).select_related("org")
    current = memberships.filter(status=Membership.Status.ACTIVE).first()
    return (current or memberships.order_by("-joined_on", "-id").first()).org


def transfers_visible_q(user: User) -> Q:
    """Transfers whose sending or receiving union lies in the user's scope: both sides see the transfer."""
    return scope_q(user, "from_org__path") | scope_q(user, "to_org__path")


def transfer_for_read(user: User, pk: int):
    from gonghui.members.models import TransferRequest

    require_cadre(user)
    transfer = (
        TransferRequest.objects.filter(transfers_visible_q(user), pk=pk)
        .select_related("membership__person", "from_org", "to_org")
        .first()
    )
    if transfer is None:
        raise Http404("接转记录不存在")
    return transfer


def transfer_for_self_or_read(user: User, pk: int):
    """A transfer of the signed-in worker's own membership, or one the cadre may read."""
    from gonghui.members.models import TransferRequest

    if user.is_authenticated and user.person_id and not grants_of(user):
        transfer = TransferRequest.objects.filter(pk=pk, membership__person_id=user.person_id).first()
        if transfer is None:
            raise Http404("接转记录不存在")
        return transfer
    return transfer_for_read(user, pk)


def lapse_warning_for_read(user: User, pk: int):
    from gonghui.members.models import LapseWarning

    require_cadre(user)
    warning = LapseWarning.objects.filter(scope_q(user, "org__path"), pk=pk).select_related("membership", "org").first()
    if warning is None:
        raise Http404("会籍预警不存在")
    return warning


def require_transfer_side(user: User, transfer, side: str) -> None:
    """Only ``side`` ("from": the sending union, "to": the receiving union) may take this step: a user who
    sees neither side reads 404, one who sees the transfer but not with a write role on that side gets 403."""
    org = transfer.from_org if side == "from" else transfer.to_org
    other = transfer.to_org if side == "from" else transfer.from_org
    grant = grant_covering(user, org)
    if grant is None and grant_covering(user, other) is None:
        raise Http404("接转记录不存在")
    if grant is None or grant.role not in WRITE_ROLES:
        who = "转出工会" if side == "from" else "转入工会"
        raise deny(user, f"此步骤只能由{who}办理。", org)


def can_write(user: User, org: Org) -> bool:
    grant = grant_covering(user, org)
    return bool(grant and grant.role in WRITE_ROLES)


def can_manage(user: User, org: Org) -> bool:
    """An admin grant covers ``org`` (what require_role(user, org, {ADMIN}) lets through)."""
    grant = grant_covering(user, org)
    return bool(grant and grant.role == Grant.Role.ADMIN)


def is_own_membership(user: User | None, membership) -> bool:
    """The member themself, signed in with their worker account."""
    return bool(user is not None and user.is_authenticated and user.person_id == membership.person_id)
