"""Access scope: the ONE place that decides what a user may see and change.

A grant of a role on an org node covers that node's whole subtree. Anything outside a user's scope
reads as "does not exist" (Http404) so that existence does not leak; a read-only role gets
PermissionDenied (403) on writes. Users with no grant at all (workers, platform admins) get 403 on
cadre pages: they have nothing there to see.

Models apply these rules by declaring their scope (gonghui.orgs.scope); the rules for people, transfers
and a member's own records are members' (gonghui.members.access).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404

from gonghui.accounts.models import Grant, User
from gonghui.core.audit import audited_refusal

if TYPE_CHECKING:
    from gonghui.orgs.models import Org

WRITE_ROLES = {Grant.Role.ADMIN, Grant.Role.STAFF}
ROLE_RANK = {Grant.Role.READONLY: 0, Grant.Role.STAFF: 1, Grant.Role.ADMIN: 2}
NO_GRANT_MESSAGE = "此功能仅供有组织授权的工会工作人员使用。"
ROLE_MESSAGE = "您的角色没有修改此组织数据的权限。"


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
    """Record the refusal (docs/security.md §8) and return the exception to raise."""
    return audited_refusal(actor=user, message=message, org=org)


def forget_grants(user: User) -> None:
    """Drop the grants loaded on this user object, after they changed."""
    user.__dict__.pop("_gonghui_grants", None)


def require_cadre(user: User) -> None:
    if not grants_of(user):
        raise deny(user, NO_GRANT_MESSAGE)


def scope_q(
    user: User, path_field: str = "path", *, roles: set[str] | None = None, province_field: str | None = None
) -> Q:
    """A filter on org paths: the union of the user's subtrees (matches nothing without grants);
    with ``roles``, only the subtrees of grants with one of those roles.

    With ``province_field`` (a row's ``province`` column, which equals the province of the org at
    ``path_field``) and the member tables partitioned by province, a grant inside one province also filters
    ``province = X``, so that PostgreSQL reads that province's partition only (decision 0052)."""
    from gonghui.orgs.provinces import province_of

    by_province = province_field is not None and settings.GONGHUI_PARTITION_BY_PROVINCE
    q = Q(pk__in=[])
    for grant in grants_of(user):
        if roles is None or grant.role in roles:
            subtree = Q(**{f"{path_field}__startswith": grant.org.path})
            if by_province and (province := province_of(grant.org)):
                subtree &= Q(**{province_field: province})
            q |= subtree
    return q


def grant_covering(user: User, org: Org) -> Grant | None:
    """The strongest of the user's grants whose subtree contains ``org``."""
    covering = [g for g in grants_of(user) if org.path.startswith(g.org.path)]
    return max(covering, key=lambda g: (ROLE_RANK[g.role], g.can_unmask), default=None)


def org_or_first(user: User, pk: int | None) -> Org:
    """The union a page or an API call is about: ``pk`` in the user's scope (404 outside), else the first root
    of the user's scope. Cadres only."""
    from gonghui.orgs.models import Org

    require_cadre(user)
    return Org.objects.get_for_read(user, pk) if pk is not None else top_orgs(user)[0]


def top_orgs(user: User) -> list[Org]:
    """The roots of the user's scope: granted orgs not inside another granted org."""
    orgs = sorted({g.org.path: g.org for g in grants_of(user)}.values(), key=lambda o: o.path)
    roots: list[Org] = []
    for org in orgs:
        if not any(org.path.startswith(r.path) for r in roots):
            roots.append(org)
    return roots


def require_role(user: User, org: Org, roles: set[str]) -> Grant:
    grant = grant_covering(user, org)
    if grant is None:
        raise Http404("组织不存在")
    if grant.role not in roles:
        raise deny(user, ROLE_MESSAGE, org)
    return grant


def require_write(actor: User | None, org: Org, *, manage: bool = False) -> None:
    """A service's own check (docs/decisions/0010) that ``actor`` may change ``org``'s data (``manage``: the
    org itself): 404 outside the scope, an audited 403 for a role that may not. ``None`` is the platform
    itself (commands, daily jobs, the demo loader), never a signed-in request."""
    if actor is not None:
        require_role(actor, org, {Grant.Role.ADMIN} if manage else WRITE_ROLES)


def can_unmask(user: User, org: Org) -> bool:
    grant = grant_covering(user, org)
    return bool(grant and grant.can_unmask)


def can_export_unmasked(user: User, org: Org) -> bool:
    """A bulk file with full personal data: ``can_unmask`` on a write role (docs/decisions/0013; a read-only
    grant exports masked only, whatever its ``can_unmask``)."""
    grant = grant_covering(user, org)
    return bool(grant and grant.can_unmask and grant.role in WRITE_ROLES)


def can_write(user: User, org: Org) -> bool:
    grant = grant_covering(user, org)
    return bool(grant and grant.role in WRITE_ROLES)


def can_manage(user: User, org: Org) -> bool:
    """An admin grant covers ``org`` (what require_role(user, org, {ADMIN}) lets through)."""
    grant = grant_covering(user, org)
    return bool(grant and grant.role == Grant.Role.ADMIN)
