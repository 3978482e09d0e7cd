"""The member counts kept on the orgs (decision 0030): ``member_count`` (the org's own active memberships) and
``subtree_member_count`` (those of its whole subtree, itself included). Every write that changes who is an active
member of which union changes both through ``member_counts_add``, in the writer's transaction; the org pages
then read a child's total from its row instead of summing its subtree.

Kept apart from ``orgs.services`` (which imports the member services) so that the member services, the roster
importer and the demo loader can call it without an import cycle."""

from collections import Counter
from collections.abc import Iterable, Mapping

from django.db.models import Case, F, IntegerField, Value, When

from gonghui.core import figures
from gonghui.orgs.models import PATH_SEGMENT_WIDTH, Org

WIDTH = PATH_SEGMENT_WIDTH + 1  # a segment and its dot


def paths_up(path: str) -> list[str]:
    """The path of the org and of each of its ancestors, from the top: ``a.b.c.`` → ``a.``, ``a.b.``, ``a.b.c.``."""
    return [path[:end] for end in range(WIDTH, len(path) + 1, WIDTH)]


def ids_up(path: str) -> list[int]:
    """The ids of the org and of each of its ancestors, from the top: a path is its orgs' ids in base 36."""
    return [int(segment, 36) for segment in path.split(".") if segment]


def member_counts_add(changes: Mapping[Org, int]) -> None:
    """Add ``delta`` members to each org (``member_count``) and to its subtree total and every ancestor's, in one
    UPDATE by primary key (one statement: the rows are locked in one order, so two writers cannot deadlock on
    each other's ancestors). The ancestors are read from the paths of the objects passed in."""
    own: Counter[int] = Counter()
    subtree: Counter[int] = Counter()
    for org, delta in changes.items():
        own[org.pk] += delta
        for pk in [*ids_up(org.path)[:-1], org.pk]:
            subtree[pk] += delta
    own = Counter({pk: n for pk, n in own.items() if n})
    subtree = Counter({pk: n for pk, n in subtree.items() if n})  # an ancestor of both sides of a move: 0
    if own or subtree:
        Org.objects.filter(pk__in={*own, *subtree}).update(
            member_count=F("member_count") + _by_id(own),
            subtree_member_count=F("subtree_member_count") + _by_id(subtree),
        )
        # the one writer of the member counts (an UPDATE: no model signal) tells the overview's rollup itself
        figures.touch_app(own, "members")


def subtree_moved(*, members: int, old_path: str, new_parent_path: str) -> None:
    """A subtree of ``members`` members moved: its old ancestors lose them, its new ones gain them (its own
    rows keep their totals). Called by ``org_move``."""
    lose, gain = set(ids_up(old_path)[:-1]), set(ids_up(new_parent_path))
    deltas = dict.fromkeys(lose - gain, -members) | dict.fromkeys(gain - lose, members)
    if members and deltas:
        Org.objects.filter(pk__in=deltas).update(subtree_member_count=F("subtree_member_count") + _by_id(deltas))


def _by_id(deltas: Mapping[int, int]) -> Case:
    return Case(
        *[When(pk=pk, then=Value(n)) for pk, n in deltas.items()], default=Value(0), output_field=IntegerField()
    )


def subtree_totals(rows: Iterable[tuple[str, int]]) -> Counter[str]:
    """Subtree totals by path from (path, member_count) rows: each row's members counted at every prefix."""
    totals: Counter[str] = Counter()
    for path, count in rows:
        if count:
            for prefix in paths_up(path):
                totals[prefix] += count
    return totals


def subtree_totals_recount(under: Org | None = None, *, batch_size: int = 2000) -> int:
    """Recount the subtree totals of ``under``'s subtree (of the whole tree if None) from the ``member_count`` of
    the rows and store those that differ: the migration that added the column, and a repair after writes made
    outside the services. Returns how many rows changed. Not for concurrent use with member writes."""
    orgs = Org.objects.order_by()
    if under is not None:
        orgs = orgs.filter(path__startswith=under.path)
    rows = list(orgs.values_list("pk", "path", "member_count", "subtree_member_count"))
    totals = subtree_totals((path, count) for _, path, count, _ in rows)
    stale = [Org(pk=pk, subtree_member_count=totals[path]) for pk, path, _, kept in rows if kept != totals[path]]
    Org.objects.bulk_update(stale, ["subtree_member_count"], batch_size=batch_size)
    return len(stale)
