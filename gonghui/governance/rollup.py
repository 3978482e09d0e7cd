"""The monthly rollup of the declared figures (decision 0028): every org's subtree value of every figure for the
current month, (re)computed by the daily job and ``manage.py governance_rollup``; ``--verify`` recounts.

A figure that declares ``per_org`` (each org's own share) is summed bottom-up: one grouped query for the shares,
the paths of the orgs that have a share, and each share added to the org and to every ancestor (its path's
prefixes). A figure that declares only ``subtree`` is asked once per org (correct, slower: declare ``per_org``
when the figure adds up over the tree). Only values other than 0 are stored; a missing row reads as 0."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from gonghui.core import registry
from gonghui.governance.models import FigureMonth
from gonghui.governance.targets import month_of
from gonghui.orgs.models import PATH_SEGMENT_WIDTH, Org

BATCH = 2000


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
    for org in Org.objects.only("pk", "path").iterator(chunk_size=BATCH):
        value = Decimal(figure.value_under(org))
        if value:
            values[org.pk] = value
    return values


def rollup_month(*, today: dt.date | None = None, keys: list[str] | None = None) -> int:
    """(Re)compute the current month's rows of every declared figure (or of ``keys``); returns the rows written.
    Idempotent; one transaction, so a page never reads half a month."""
    month = month_of(today or timezone.localdate())
    now = timezone.now()
    figures = [f for f in registry.overview_figures() if f.subtree and (keys is None or f.key in keys)]
    written = 0
    with transaction.atomic():
        for figure in figures:
            values = figure_values(figure)
            FigureMonth.objects.filter(month=month, key=figure.key).delete()
            rows = [FigureMonth(org_id=pk, month=month, key=figure.key, value=v, computed_at=now)
                    for pk, v in values.items()]  # fmt: skip
            FigureMonth.objects.bulk_create(rows, batch_size=BATCH)
            written += len(rows)
    return written


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
