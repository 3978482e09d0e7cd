"""Reads of the union tree, always through the user's scope (orgs.access)."""

from dataclasses import dataclass

from django.db.models import Case, Exists, OuterRef, Q, QuerySet, Value, When

from gonghui.orgs import access
from gonghui.orgs.models import (
    ALLOWED_CHILDREN,
    COMMITTEE_THRESHOLD,
    MEMBER_HOLDING_TYPES,
    Org,
    OrgType,
    Region,
)


def writable_orgs(user) -> QuerySet[Org]:
    """The unions the user may write for (a write role on them or above), in tree order: the choices of every
    "which union" field of a form that creates something."""
    return Org.objects.filter(access.scope_q(user, roles=access.WRITE_ROLES)).order_by("path")


def subtree_member_count(org: Org) -> int:
    """Active members in the org's subtree: the running total kept on its row (orgs.counts), read afresh."""
    return Org.objects.filter(pk=org.pk).values_list("subtree_member_count", flat=True).first() or 0


def subtree_counts(orgs: list[Org]) -> dict[int, int]:
    """Subtree member counts of several orgs: the totals kept on their rows, read afresh in one query."""
    counts = dict(Org.objects.filter(pk__in=[org.pk for org in orgs]).values_list("pk", "subtree_member_count"))
    return {org.pk: counts.get(org.pk, 0) for org in orgs}


def children_and_total(user, org: Org) -> tuple[list[Org], int]:
    """The org page: its visible children ready for the tree page (each with its subtree total, kept on its
    row), and its own subtree total."""
    nodes = list(children_of(user, org).annotate(has_children=Exists(Org.objects.filter(parent=OuterRef("pk")))))
    for node in nodes:
        node.subtree_members = node.subtree_member_count
    return nodes, subtree_member_count(org)


# 组织类型 in the order of the tree (全国总工会 … 工会小组): federations before the unions they lead.
TYPE_RANK = Case(*[When(org_type=value, then=Value(rank)) for rank, value in enumerate(OrgType.values)], default=99)


def children_of(user, org: Org) -> QuerySet[Org]:
    """The visible children of ``org`` by 行政区划代码 (杭州 3301 before 宁波 3302), then by type, then by name."""
    children = Org.objects.in_scope(user).filter(parent=org).select_related("region")
    return children.order_by("region_id", TYPE_RANK, "name", "id")


def ancestors_of_many(user, orgs: list[Org]) -> dict[int, list[Org]]:
    """The breadcrumb of each of ``orgs`` (its ancestors the user may see, from the top), in one query."""
    paths = {path for org in orgs for path in org.ancestor_paths()}
    found = {o.path: o for o in Org.objects.in_scope(user).filter(path__in=paths).only("id", "name", "path", "depth")}
    return {org.pk: [found[path] for path in org.ancestor_paths() if path in found] for org in orgs}


def _with_tree_info(orgs: QuerySet[Org]) -> list[Org]:
    """Orgs with ``has_children`` and ``subtree_members`` set, for the tree page."""
    nodes = list(orgs.annotate(has_children=Exists(Org.objects.filter(parent=OuterRef("pk")))))
    for node in nodes:
        node.subtree_members = node.subtree_member_count  # kept on the row (orgs.counts)
    return nodes


def tree_roots(user) -> list[Org]:
    """The roots of the user's scope, ready for the tree page."""
    roots = Org.objects.filter(pk__in=[org.pk for org in access.top_orgs(user)]).select_related("region")
    return _with_tree_info(roots.order_by("path"))


def tree_children(user, org: Org) -> list[Org]:
    """The visible children of ``org``, ready for the tree page."""
    return _with_tree_info(children_of(user, org))


PICKER_RELATED = ("parent", "region__parent__parent__parent")  # what a union picker's labels read, in one query


def named(orgs: QuerySet[Org], q: str) -> QuerySet[Org]:
    """Orgs whose name contains ``q``, or whose full pinyin or initials start with it (西湖, xihu, xhq): the one
    name search of every union picker."""
    q = q.strip()
    if not q:
        return orgs
    key = q.lower().replace(" ", "")
    match = Q(name__contains=q)
    if key.isascii() and key.isalnum():
        match |= Q(name_pinyin__startswith=key) | Q(name_initials__startswith=key)
    return orgs.filter(match)


def org_search(
    user, *, q: str = "", org_type: str = "", under: Org | None = None, limit: int | None = 50
) -> QuerySet[Org]:
    """Orgs in the user's scope by name (or pinyin) and type, in tree order; the first ``limit`` (all if None)."""
    orgs = named(Org.objects.in_scope(user).select_related(*PICKER_RELATED), q)
    if under is not None:
        orgs = orgs.filter(path__startswith=under.path)
    if org_type:
        orgs = orgs.filter(org_type=org_type)
    orgs = orgs.order_by("path")
    return orgs if limit is None else orgs[:limit]


def regions_under(parent_code: str = "") -> QuerySet[Region]:
    """行政区划 one level down: the provinces, or the children of ``parent_code`` (public reference data)."""
    if not parent_code:
        return Region.objects.filter(parent__isnull=True).order_by("code")
    return Region.objects.filter(parent_id=parent_code).order_by("code")


def parent_candidates(user, org: Org, *, q: str = "", limit: int = 20) -> QuerySet[Org]:
    """Where the user may move ``org``: orgs they administer that accept its type, outside its subtree."""
    types = [parent_type for parent_type, children in ALLOWED_CHILDREN.items() if org.org_type in children]
    orgs = Org.objects.writable_by(user, manage=True).filter(org_type__in=types).exclude(path__startswith=org.path)
    return named(orgs, q).exclude(pk=org.parent_id).select_related(*PICKER_RELATED).order_by("path")[:limit]


@dataclass(frozen=True)
class RegionLevel:
    """One select of the cascading region chooser: the choices, the chosen code, and the code above."""

    options: list[Region]
    selected: str
    parent_code: str


def region_levels(region: Region | None) -> list[RegionLevel]:
    """Province, city, county, township selects down to ``region``, plus its children if it has any."""
    chain: list[Region] = []
    while region is not None:
        chain.insert(0, region)
        region = region.parent
    levels, parent_code = [], ""
    for node in chain:
        levels.append(RegionLevel(list(Region.objects.filter(parent_id=node.parent_id)), node.code, parent_code))
        parent_code = node.code
    children = list(Region.objects.filter(parent_id=parent_code or None))
    if children:
        levels.append(RegionLevel(children, "", parent_code))
    return levels


def member_org_choices(user, *, q: str = "", limit: int = 30) -> QuerySet[Org]:
    """Unions where the user may register members: writable and of a member-holding type."""
    orgs = Org.objects.writable_by(user).filter(org_type__in=MEMBER_HOLDING_TYPES)
    return named(orgs, q).select_related(*PICKER_RELATED).order_by("path")[:limit]


def region_by_code(code: str) -> Region | None:
    return Region.objects.filter(code=code).select_related("parent").first() if code else None


def ancestors_visible(user, org: Org) -> list[Org]:
    """The breadcrumb: the org's ancestors that the user may see."""
    return list(Org.objects.in_scope(user).filter(path__in=org.ancestor_paths()).order_by("depth"))


@dataclass(frozen=True)
class CommitteeRule:
    """工会法: 25 members or more must form a committee; fewer may have an organiser (组织员)."""

    members: int
    required: bool
    met: bool


def committee_rule(org: Org, members: int) -> CommitteeRule:
    required = members >= COMMITTEE_THRESHOLD
    return CommitteeRule(members, required, not required or org.leadership == Org.Leadership.COMMITTEE)


def transfer_target(pk: int | None) -> Org | None:
    """A union that can receive a transferred member, wherever it is (only its name and type are shown)."""
    if pk is None:
        return None
    return Org.objects.filter(pk=pk, org_type__in=MEMBER_HOLDING_TYPES, status=Org.Status.ACTIVE).first()
