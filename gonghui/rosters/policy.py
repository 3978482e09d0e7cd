"""The numbers of roster import and export (docs/architecture.md rule 5), overridable.

``settings.GONGHUI_ROSTERS`` (a dict) overrides any field, e.g. ``{"batch_size": 5000}``."""

import datetime as dt
import os
from dataclasses import dataclass, field
from functools import lru_cache

from django.conf import settings


@dataclass(frozen=True)
class RosterPolicy:
    # Rows written per transaction: each batch commits with the job's cursor, so a crash loses at most one
    # batch of work and never half of one; memory holds one batch. Our choice (measured: bench/rosters_import.py).
    batch_size: int = 2000
    # The commit reads, normalises and hashes rows in a second process (fork) while this one writes: on two
    # cores about 2x the rows per second (bench/rosters_import.py). Off: one process.
    read_ahead: bool = True
    # With ``read_ahead``, this many worker processes normalise, validate, index, seal and spell in pinyin the
    # rows the reading process hands them (decision 0047); 0 or 1: the reading process does it itself. One per
    # core by default; the environment variable GONGHUI_ROSTER_WORKERS or ``manage.py roster_import
    # --workers`` overrides it.
    workers: int = field(default_factory=lambda: int(os.environ.get("GONGHUI_ROSTER_WORKERS") or os.cpu_count() or 1))
    # A commit of at least this many rows refreshes the planner statistics of the member tables (ANALYZE)
    # when it finishes: a fresh load otherwise plans as if the tables were empty. Our choice.
    analyze_after_rows: int = 10000
    # The header is looked for in this many rows at the top of each sheet (title rows above it are common).
    header_scan_rows: int = 20
    # The preview shows this many rows of each outcome; the error file has all of them.
    preview_rows: int = 20
    # The ACFTU was founded on 1925-05-01: no membership of a union in the registry starts earlier.
    earliest_joined_on: dt.date = dt.date(1925, 5, 1)
    # Uploaded rosters and generated exports are deleted this many days after they were made (PIPL art. 19:
    # no longer than the purpose needs; our default, like privacy's export_keep_days).
    file_keep_days: int = 7


def roster_policy() -> RosterPolicy:
    """The policy in force; the same object while the settings and GONGHUI_ROSTER_WORKERS stay the same (row_parse
    asks for it once a row: building it, and counting the cores, cost more than the rest of a date's checks)."""
    overrides = getattr(settings, "GONGHUI_ROSTERS", {})
    try:
        return _policy(tuple(overrides.items()), os.environ.get("GONGHUI_ROSTER_WORKERS"))
    except TypeError:  # a value that cannot be a key: built every time
        return RosterPolicy(**overrides)


@lru_cache(maxsize=16)
def _policy(overrides: tuple, workers: str | None) -> RosterPolicy:  # workers: part of the key, read by the default
    return RosterPolicy(**dict(overrides))
