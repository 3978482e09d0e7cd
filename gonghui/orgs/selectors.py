"""Reads of the union tree, always through the user's scope (orgs.access)."""

from dataclasses import dataclass

from django.db.models import Q, QuerySet, Sum

from gonghui.orgs import access
from gonghui.orgs.models import COMMITTEE_THRESHOLD, Org


def subtree_member_count(org: Org) -> int:
    """Active members in the org's subtree: a sum of the per-node counts over one prefix scan."""
    return Org.objects.filter(path__startswith=org.path).aggregate(n=Sum("member_count"))["n"] or 0


def subtree_counts(orgs: list[Org]) -> dict[int, int]:
    """Subtree member counts of several orgs (the children shown on a tree page)."""
    return {org.pk: subtree_member_count(org) for org in orgs}


def children_of(user, org: Org) -> QuerySet[Org]:
    return access.orgs_visible_to(user).filter(parent=org).select_related("region").order_by("org_type", "name")


def org_search(user, *, q: str = "", org_type: str = "", limit: int = 50) -> QuerySet[Org]:
    orgs = access.orgs_visible_to(user).select_related("region", "parent")
    if q:
        orgs = orgs.filter(Q(name__contains=q.strip()))
    if org_type:
        orgs = orgs.filter(org_type=org_type)
    return orgs.order_by("path")[:limit]


def ancestors_visible(user, org: Org) -> list[Org]:
    """The breadcrumb: the org's ancestors that the user may see."""
    return list(access.orgs_visible_to(user).filter(path__in=org.ancestor_paths()).order_by("depth"))


@dataclass(frozen=True)
class CommitteeRule:
    """工会法: 25 members or more must form a committee; fewer may have an organiser (组织员)."""

    members: int
    required: bool
    met: bool


def committee_rule(org: Org, members: int) -> CommitteeRule:
    required = members >= COMMITTEE_THRESHOLD
    return CommitteeRule(members, required, not required or org.leadership == Org.Leadership.COMMITTEE)
