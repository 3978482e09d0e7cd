"""The monthly rollup of the declared figures (decision 0028): every org's subtree value of every figure for the
current month, (re)computed by the daily job and ``manage.py governance_rollup``; ``--verify`` recounts.

A figure that declares ``per_org`` (each org's own share) is summed bottom-up: one grouped query for the shares,
the paths of the orgs that have a share, and each share added to the org and to every ancestor (its path's
prefixes). A figure that declares only ``subtree`` (a rate, distinct people) is asked once per org that can hold
a value: with ``held_by``, the orgs holding the records it reads and their ancestors; without, every org (correct,
slower: declare ``per_org`` when the figure adds up over the tree, else ``held_by``). Only values other than 0 are
stored; a missing row reads as 0."""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from django.apps import apps
from django.db import connection, transaction
from django.utils import timezone

from gonghui.core import registry
from gonghui.governance.models import FigureMonth, RollupDirty
from gonghui.governance.targets import month_of
from gonghui.orgs.models import PATH_SEGMENT_WIDTH, Org

BATCH = 2000
logger = logging.getLogger(__name__)


def _ancestor_paths(path: str) -> list[str]:
    """The path and each of its prefixes (the org and its ancestors)."""
    width = PATH_SEGMENT_WIDTH + 1
    return [path[:end] for end in range(width, len(path) + 1, width)]


def _bottom_up(shares: dict[int, Decimal]) -> dict[str, Decimal]:
    """Subtree totals by org path from each org's own share."""
    totals: dict[str, Decimal] = defaultdict(Decimal)
    ids = [pk for pk, value in shares.items() if value]
    for chunk in (ids[i : i + BATCH] for i in range(0, len(ids), BATCH)):
        for pk, path in Org.objects.filter(pk__in=chunk).values_list("pk", "path"):
            for prefix in _ancestor_paths(path):
                totals[prefix] += Decimal(shares[pk])
    return totals


def _by_path_to_ids(totals: dict[str, Decimal]) -> dict[int, Decimal]:
    paths = [p for p, v in totals.items() if v]
    found: dict[int, Decimal] = {}
    for chunk in (paths[i : i + BATCH] for i in range(0, len(paths), BATCH)):
        for pk, path in Org.objects.filter(path__in=chunk).values_list("pk", "path"):
            found[pk] = totals[path]
    return found


def figure_values(figure: registry.Figure) -> dict[int, Decimal]:
    """{org id: the figure for the org's subtree, now} for every org where it is not 0."""
    if figure.per_org:
        return _by_path_to_ids(_bottom_up(figure.values_by_org()))
    values = {}
    for org in _orgs_to_count(figure):
        value = Decimal(figure.value_under(org))
        if value:
            values[org.pk] = value
    return values


def _orgs_to_count(figure: registry.Figure) -> Iterator[Org]:
    """The orgs where a figure that does not add up can be other than 0: with ``held_by``, the orgs holding the
    records it reads and their ancestors (a few hundred of a tree of tens of thousands); else every org."""
    if not figure.held_by:
        yield from Org.objects.only("pk", "path").iterator(chunk_size=BATCH)
        return
    model = apps.get_model(figure.held_by)
    held = model._base_manager.values_list(model.scope_paths[0], flat=True).distinct()
    paths = sorted({prefix for path in held.iterator() if path for prefix in _ancestor_paths(path)})
    for chunk in (paths[i : i + BATCH] for i in range(0, len(paths), BATCH)):
        yield from Org.objects.filter(path__in=chunk).only("pk", "path")


def rollup_month(*, today: dt.date | None = None, keys: list[str] | None = None) -> int:
    """(Re)compute the current month's rows of every declared figure (or of ``keys``); returns the rows written.
    Idempotent; one transaction, so a page never reads half a month."""
    month = month_of(today or timezone.localdate())
    now = timezone.now()
    figures = [f for f in registry.overview_figures() if f.subtree and (keys is None or f.key in keys)]
    written = 0
    with transaction.atomic():
        _lock()
        if keys is None:  # the marks of writes committed by now are covered by this recompute
            RollupDirty.objects.filter(marked_at__lte=now).delete()
        for figure in figures:
            values = figure_values(figure)
            FigureMonth.objects.filter(month=month, key=figure.key).delete()
            rows = [FigureMonth(org_id=pk, month=month, key=figure.key, value=v, computed_at=now)
                    for pk, v in values.items()]  # fmt: skip
            FigureMonth.objects.bulk_create(rows, batch_size=BATCH)
            written += len(rows)
    return written


def _lock() -> None:
    """One rollup writer at a time (the full recompute and the incremental one): on PostgreSQL a transaction
    advisory lock; SQLite has one writer anyway."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext('gonghui.governance.rollup'))")


def mark_dirty(sender=None, *, org_ids: set[int], keys: set[str], **kwargs) -> None:
    """The receiver of ``core.figures.figures_touched``: the orgs marked in the writer's transaction (so a write
    that rolls back marks nothing), and the incremental rollup asked for once it commits. The marks are their own
    outbox: if the queue does not answer then, they stay, and the next run (another write's, or the nightly
    recompute and the run after it) takes every mark left."""
    keys = keys & {f.key for f in registry.overview_figures() if f.subtree}
    if not keys:
        return
    RollupDirty.objects.bulk_create([RollupDirty(org_id=pk, key=key) for pk in org_ids for key in keys])
    if not any(func is _send_apply for _, func, _ in connection.run_on_commit):  # once per transaction
        transaction.on_commit(_send_apply)


def _send_apply() -> None:
    from gonghui.governance.tasks import rollup_apply_task

    try:
        rollup_apply_task.enqueue()
    except Exception:
        logger.error(
            "一屏总览增量汇总暂时无法排队：任务队列不可用。待汇总标记已保存，下次汇总时一并处理。", exc_info=True
        )


def _ids_up(path: str) -> list[int]:
    return [int(segment, 36) for segment in path.split(".") if segment]


def apply_dirty(*, today: dt.date | None = None) -> int:
    """The incremental rollup (decision 0044): the current month's rows of the orgs marked dirty and of their
    ancestors, and nothing else; returns the rows changed.

    A figure that adds up (``per_org``): each marked org's subtree is counted afresh (deepest first), and the
    difference from its stored row is added to the org and every ancestor (their ids are the path's segments)
    — a grassroots union's write costs a count of its own small subtree and at most eight row updates. A figure
    that does not add up (distinct people, an average, a rate) is counted afresh at the org and every ancestor.
    If the month has not been rolled up yet (the first write of a new month), the whole month is computed. The
    daily full recompute stays the reconciler (writes outside the model signals, org moves)."""
    month = month_of(today or timezone.localdate())
    figures = {f.key: f for f in registry.overview_figures() if f.subtree}
    with transaction.atomic():
        _lock()
        marks = list(RollupDirty.objects.order_by("pk").values_list("pk", "org_id", "key")[:50000])
        if not marks:
            return 0
        RollupDirty.objects.filter(pk__in=[pk for pk, _, _ in marks]).delete()
        if not FigureMonth.objects.filter(month=month).exists():
            return rollup_month(today=today)
        by_key: dict[str, set[int]] = defaultdict(set)
        for _, org_id, key in marks:
            if key in figures:
                by_key[key].add(org_id)
        paths = dict(Org.objects.filter(pk__in={pk for ids in by_key.values() for pk in ids})
                     .values_list("pk", "path"))  # fmt: skip
        changed = 0
        for key, org_ids in by_key.items():
            changed += _apply_figure(figures[key], month, [paths[pk] for pk in org_ids if pk in paths])
    return changed


def _apply_figure(figure: registry.Figure, month: dt.date, paths: list[str]) -> int:
    affected = {pk for path in paths for pk in _ids_up(path)}
    stored = dict(FigureMonth.objects.filter(month=month, key=figure.key, org_id__in=affected)
                  .values_list("org_id", "value"))  # fmt: skip
    values = {pk: stored.get(pk, Decimal(0)) for pk in affected}
    if figure.per_org:
        for path in sorted(set(paths), key=len, reverse=True):  # deepest first: an ancestor's own count absorbs
            ids = _ids_up(path)
            org = Org.objects.only("pk", "path").get(pk=ids[-1])
            delta = Decimal(figure.value_under(org)) - values[ids[-1]]
            if delta:
                for pk in ids:
                    values[pk] += delta
    else:
        for org in Org.objects.filter(pk__in=affected).only("pk", "path"):
            values[org.pk] = Decimal(figure.value_under(org))
    return _store(figure.key, month, {pk: v for pk, v in values.items() if v != stored.get(pk, Decimal(0))})


def _store(key: str, month: dt.date, values: dict[int, Decimal]) -> int:
    now = timezone.now()
    zero = [pk for pk, v in values.items() if not v]
    FigureMonth.objects.filter(month=month, key=key, org_id__in=zero).delete()
    present = set(FigureMonth.objects.filter(month=month, key=key, org_id__in=list(values))
                  .values_list("org_id", flat=True))  # fmt: skip
    for pk, value in values.items():
        if value and pk in present:
            FigureMonth.objects.filter(month=month, key=key, org_id=pk).update(value=value, computed_at=now)
    existing = set(Org.objects.filter(pk__in=[pk for pk, v in values.items() if v and pk not in present])
                   .values_list("pk", flat=True))  # fmt: skip
    FigureMonth.objects.bulk_create([FigureMonth(org_id=pk, month=month, key=key, value=values[pk], computed_at=now)
                                     for pk in existing])  # fmt: skip
    return len(values)


def daily_rollup(*, today: dt.date) -> int:
    """The daily job: this month's rollup."""
    return rollup_month(today=today)


@dataclass(frozen=True)
class Difference:
    org_id: int
    org_name: str
    key: str
    stored: Decimal
    recounted: Decimal


def verify_month(*, today: dt.date | None = None) -> list[Difference]:
    """Recount the current month of every org with the figures' subtree queries (an independent count: a prefix
    scan per org, not the bottom-up sum) and return every difference from the stored rows."""
    month = month_of(today or timezone.localdate())
    figures = [f for f in registry.overview_figures() if f.subtree]
    stored = {(pk, key): value for pk, key, value in
              FigureMonth.objects.filter(month=month).values_list("org_id", "key", "value")}  # fmt: skip
    differences = []
    for org in Org.objects.only("pk", "path", "name").order_by("path").iterator(chunk_size=BATCH):
        for figure in figures:
            recounted = Decimal(figure.value_under(org))
            kept = stored.get((org.pk, figure.key), Decimal(0))
            if recounted != kept:
                differences.append(Difference(org.pk, org.name, figure.key, kept, recounted))
    return differences
