"""Bulk work over many rows, one committed batch of primary keys at a time (bounded memory and locks)."""

from collections.abc import Callable

from django.db import transaction


def in_batches(queryset, work: Callable[[list], int], batch_size: int) -> int:
    """Apply ``work(ids)`` to the queryset's rows, one committed batch at a time; the total it reports."""
    done, last = 0, 0
    while True:
        ids = list(queryset.filter(pk__gt=last).order_by("pk").values_list("pk", flat=True)[:batch_size])
        if not ids:
            return done
        with transaction.atomic():
            done += work(ids)
        last = ids[-1]
