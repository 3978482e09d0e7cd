"""The roster import pipeline: rows streamed from the file, read, de-duplicated, classified against the
registry in batches and — on commit — written in bulk, one transaction per batch.

Person and membership rows are written here in bulk because the row-by-row member services cannot reach
the throughput a province's roster needs; the values are the ones those services write (ID numbers and
phones sealed by core.sealed, ``new_card_number``, pinyin ``name_keys``, the one-active
membership rule, ``member_count``). Within a batch every statement is set-based: COPY on PostgreSQL, one
prepared statement run over the batch elsewhere.

Outcomes of a row: create (not in the registry, or without an active membership: joins this union), update
(an active member of this union whose given cells differ; blank cells keep the registry's value), unchanged,
other_union (an active member of another union: a transfer candidate, never moved), duplicate (the same ID
earlier in the file) and invalid (with the reason)."""

import datetime as dt
import gc
import json
import multiprocessing
import os
from array import array
from bisect import bisect_left
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import chain, count, islice
from queue import Empty

from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from gonghui.core import crypto, files
from gonghui.core.masking import mask_id_number
from gonghui.core.pinyin import name_keys
from gonghui.core.sealed import SealedPhone, id_number_columns, id_number_index, phone_columns, phone_index
from gonghui.core.spreadsheets import cell_text, find_header, is_blank, read_sheets
from gonghui.members.models import Employer, Membership, Person
from gonghui.members.services import employer_resolve, membership_retire, new_card_number
from gonghui.orgs import access
from gonghui.orgs.counts import member_counts_add
from gonghui.orgs.models import Org
from gonghui.orgs.provinces import province_of
from gonghui.rosters.columns import (
    HEADINGS,
    INSTRUCTIONS_HEADER,
    RosterRow,
    column_map,
    columns_described,
    header_score,
    id_number_cell,
    row_parse,
)
from gonghui.rosters.models import ImportJob
from gonghui.rosters.policy import roster_policy

PERSON_READ = ("id", "name", "phone_enc", "phone_bidx", "phone_masked", "ethnicity", "education", "employment_form",
               "is_migrant", "employer_id", "job_title", "version")  # fmt: skip
PERSON_INSERT = (
    "name", "name_pinyin", "name_initials", "gender", "ethnicity", "birth_date", "id_number_enc", "id_number_bidx",
    "id_number_masked", "phone_enc", "phone_bidx", "phone_masked", "education", "employment_form", "is_migrant",
    "employer_id", "job_title", "version", "created_at", "updated_at", "province",
)  # fmt: skip
PERSON_UPDATE = ("name", "name_pinyin", "name_initials", "phone_enc", "phone_bidx", "phone_masked", "ethnicity",
                 "education", "employment_form", "is_migrant", "employer_id", "job_title")  # fmt: skip
MEMBERSHIP_INSERT = ("person_id", "org_id", "card_number", "joined_on", "status", "is_retired", "end_reason",
                     "created_at", "roster_digest", "roster_version", "province")  # fmt: skip
CHANGE_LABELS = HEADINGS | {"employer_id": HEADINGS["employer_name"], "is_retired": "会员状态（退休）"}
NOT_FOUND = -1  # an employer the dry run would create: differs from every stored employer id


# ----- reading -----------------------------------------------------------------------------------------------


@dataclass
class SourceRow:
    """A non-blank data row: its place in the file and its cells by column key (raw values)."""

    position: int  # 0-based over the data rows of the whole file: the commit's cursor counts these
    sheet: str
    row_number: int  # as Excel numbers it
    raw: list
    cells: dict
    # filled by ``row_read`` (and, for the commit, ``row_prepare``: in a worker process when there are workers)
    parsed: RosterRow | None = None
    error: str = ""  # why the row is invalid
    bidx: str = ""  # the ID's blind index
    id_key: int | None = None  # the ID's first 17 digits: duplicates in the file are found by them
    sealed: tuple = ()  # ID and phone columns (ciphertext, blind index, mask) and the name's pinyin keys
    digest: str = ""  # row_digest
    known: bool = False  # the digest is among the stored ones: probably imported before unchanged, not parsed


def row_read(row: SourceRow) -> SourceRow:
    """Parse a row once: its values, or why it is invalid, and its ID's blind index."""
    if row.parsed is None and not row.error and not row.known:
        try:
            row.parsed = row_parse(row.cells)
            row.bidx = id_number_index(row.parsed.id_number)
            row.id_key = int(row.parsed.id_number[:17])
        except ValidationError as error:
            row.error = "；".join(error.messages)
    return row


ROW_DIGEST_PURPOSE = "rosters.row"


def row_digest(cells: dict) -> str:
    """HMAC-SM3 (the blind-index key, its own purpose) of a row's cells by column key, as read: the same
    cells under the same columns in the same order give the same digest, whatever the sheet or the place in it
    (columns reordered give another: the rows are then read in full, once)."""
    return crypto.blind_index(repr(cells), purpose=ROW_DIGEST_PURPOSE)


@dataclass(frozen=True)
class KnownRows:
    """The row digests stored on a union's active memberships: the first 64 bits of each, sorted (8 bytes a
    member: what the reading processes test a row's digest against, so that a known row is not parsed or
    sealed), and the membership each came from, in the same order (what ``Classifier.classify`` checks)."""

    prefixes: array  # "Q"
    memberships: array  # "q"

    def __contains__(self, digest: str) -> bool:
        prefix = int(digest[:16], 16)
        at = bisect_left(self.prefixes, prefix)
        return at < len(self.prefixes) and self.prefixes[at] == prefix

    def memberships_of(self, digest: str) -> list[int]:
        """The memberships whose stored digest begins as ``digest`` does (one, but for a 64-bit collision)."""
        prefix = int(digest[:16], 16)
        at, found = bisect_left(self.prefixes, prefix), []
        while at < len(self.prefixes) and self.prefixes[at] == prefix:
            found.append(self.memberships[at])
            at += 1
        return found


def known_digests(org: Org) -> KnownRows:
    """``org``'s active memberships with a row digest (16 bytes a member). A row whose digest is not among
    them is read in full; one whose digest is probably came unchanged from an earlier import:
    ``Classifier.classify`` checks, in its batch's transaction, the whole digest, that the membership is still
    active here and that the person has not changed since (by its version)."""
    stored = (Membership.objects.filter(org=org, status=Membership.Status.ACTIVE).exclude(roster_digest="")
              .values_list("roster_digest", "pk").iterator(chunk_size=20000))  # fmt: skip
    packed = sorted(int(digest[:16], 16) << 64 | pk for digest, pk in stored)  # one int a member while sorting
    return KnownRows(array("Q", (v >> 64 for v in packed)), array("q", (v & (1 << 64) - 1 for v in packed)))


def row_prepare(row: SourceRow, known: KnownRows | None = None) -> SourceRow:
    """What the commit needs of a row: its digest; for a row whose digest is ``known`` only its ID (index
    and key); for any other row its values read (``row_read``), the ID and phone sealed and the pinyin keys
    — the work per row that does not need the database, done where the rows are read."""
    row.digest = row.digest or row_digest(row.cells)
    if known and row.digest in known:
        try:
            number = id_number_cell(row.cells.get("id_number")).number
        except ValidationError:
            pass  # cannot be from a stored row after all: read in full below
        else:
            row.known, row.bidx, row.id_key = True, id_number_index(number), int(number[:17])
            return row
    if row_read(row).parsed is not None:
        p = row.parsed
        row.sealed = (*id_number_columns(p.id_number, index=row.bidx), *phone_columns(p.phone or ""),
                      *name_keys(p.name))  # fmt: skip
    return row


@dataclass
class SheetInfo:
    name: str
    header: list[str]
    columns: list[dict]  # columns_described: what each heading matched
    rows: int = 0


def source_rows(job: ImportJob, sheets: list[SheetInfo], skipped: list[str]) -> Iterator[SourceRow]:
    """Every data row of every sheet with a recognisable header, read with the job's column mapping; ``sheets``
    and ``skipped`` fill as it goes (the template's own instructions sheet is left out of both)."""
    with files.open_private(job.file_path) as source:  # decrypted as it is read, never copied to disk
        yield from _source_rows(read_sheets(source, job.kind, job.encoding or None), job.mapping or {}, sheets, skipped)


def _source_rows(workbook: Iterator, mapping: dict, sheets: list[SheetInfo], skipped: list[str]) -> Iterator[SourceRow]:
    position = 0
    scan = roster_policy().header_scan_rows
    for sheet in workbook:
        first = next(sheet.rows, None)
        rows = chain([first], sheet.rows) if first is not None else iter(())
        header, index, after = find_header(rows, lambda row: header_score(row, mapping), scan=scan)
        if not header:
            if [cell_text(c) for c in first or []][:3] != INSTRUCTIONS_HEADER:
                skipped.append(sheet.name)
            continue
        info = SheetInfo(sheet.name, [cell_text(c) for c in header], columns_described(header, mapping))
        sheets.append(info)
        columns = column_map(header, mapping)
        for row_number, row in enumerate(chain(after, rows), start=index + 2):
            if is_blank(row):
                continue
            cells = {key: row[i] if i < len(row) else None for key, i in columns.items()}
            yield SourceRow(position, sheet.name, row_number, row, cells)
            position += 1
            info.rows += 1


def batches(rows: Iterator, size: int) -> Iterator[list]:
    """Lists of up to ``size`` rows (itertools.batched is Python 3.12)."""
    return iter(lambda: list(islice(rows, size)), [])


def prepared_rows(job: ImportJob, known: KnownRows, workers: int) -> Iterator[SourceRow]:
    """The rows of the file prepared for the commit (``row_prepare``), in file order, made by other processes
    while this one classifies and writes: a reading process cuts the file into chunks and hands them to
    ``workers`` worker processes (0 or 1: it prepares them itself). The chunks come back in any order and are
    put back in file order here. At most ``2 × workers + 2`` chunks are read and not yet taken (a
    semaphore), so memory stays bounded whatever the number of workers and however slow one of them is. The
    children use no database connection; a child that dies fails the commit (``RosterReadError``).
    A row comes without its raw cells (``raw``, and ``cells`` unless it is ``known``): only the dry run's
    issues need them."""
    context = multiprocessing.get_context("fork")
    workers = workers if workers > 1 else 0
    slots = context.Semaphore(2 * max(workers, 1) + 2)
    tasks, results = context.Queue(), context.Queue()  # bounded by the slots
    children = [context.Process(target=_read_into, args=(job, known, workers, tasks, results, slots), daemon=True)]
    children += [context.Process(target=_prepare_into, args=(known, tasks, results), daemon=True)
                 for _ in range(workers)]  # fmt: skip
    gc.freeze()  # the children's garbage collector leaves the inherited objects alone: their pages stay shared
    try:
        for child in children:
            child.start()
    finally:
        gc.unfreeze()
    try:
        waiting: dict[int, object] = {}
        for index in count():
            while index not in waiting:
                waiting.update([_next_result(results, children)])
            chunk = waiting.pop(index)
            if chunk is None:
                return
            if isinstance(chunk, str):
                raise RosterReadError(chunk)
            slots.release()
            for packed in chunk:
                yield _unpack(packed)
    finally:
        for child in children:
            child.kill()
        for child in children:
            child.join()
        for queue in (tasks, results):
            queue.cancel_join_thread()
            queue.close()


CHUNK_ROWS = 500  # rows a worker prepares at a time: small enough to spread a batch over the workers


class RosterReadError(Exception):
    """A reading or worker process failed (its exception's class name is the message: no cell values)."""


def _next_result(results, children: list) -> tuple[int, object]:
    while True:
        try:
            return results.get(timeout=PARENT_CHECK_SECONDS)
        except Empty:
            if any(child.exitcode not in (None, 0) for child in children):  # killed, out of memory
                raise RosterReadError("WorkerDied") from None


def _pack(r: SourceRow) -> tuple:
    """What the commit uses of a row, as a tuple (pickled: a dataclass, or the raw cells, would cost more)."""
    return (r.position, r.sheet, r.row_number, r.cells if r.known else None, r.parsed, r.error, r.bidx, r.id_key,
            r.sealed, r.digest, r.known)  # fmt: skip


def _unpack(packed: tuple) -> SourceRow:
    position, sheet, number, cells, *prepared = packed
    return SourceRow(position, sheet, number, [], cells or {}, *prepared)


def _read_into(job: ImportJob, known: KnownRows, workers: int, tasks, results, slots) -> None:
    parent, index = os.getppid(), 0
    try:
        for chunk in batches(source_rows(job, [], []), CHUNK_ROWS):
            while not slots.acquire(timeout=PARENT_CHECK_SECONDS):
                _exit_if_orphaned(parent)
            if workers:
                tasks.put((index, [(r.position, r.sheet, r.row_number, r.cells) for r in chunk]))
            else:
                results.put((index, [_pack(row_prepare(r, known)) for r in chunk]))
            index += 1
        results.put((index, None))
    except Exception as error:  # noqa: BLE001 - reported to the parent, which fails the job
        results.put((index, error.__class__.__name__))
    finally:
        for _ in range(workers):
            tasks.put(None)


def _prepare_into(known: KnownRows, tasks, results) -> None:
    parent = os.getppid()
    while True:
        try:
            task = tasks.get(timeout=PARENT_CHECK_SECONDS)
        except Empty:
            _exit_if_orphaned(parent)
            continue
        if task is None:
            return
        index, chunk = task
        try:
            prepared = [row_prepare(SourceRow(position, sheet, number, [], cells), known)
                        for position, sheet, number, cells in chunk]  # fmt: skip
            results.put((index, [_pack(r) for r in prepared]))
        except Exception as error:  # noqa: BLE001 - reported to the parent, which fails the job
            results.put((index, error.__class__.__name__))


def _exit_if_orphaned(parent: int) -> None:
    """Exit as soon as the importing process is gone (killed: ``kill -9`` runs no cleanup, and a daemon child
    would wait for ever). A dead parent's child is re-parented, so its parent pid changes: checked every
    second, on Linux and macOS alike (PR_SET_PDEATHSIG is Linux only)."""
    if os.getppid() != parent:
        os._exit(0)


PARENT_CHECK_SECONDS = 1.0


# ----- classifying -------------------------------------------------------------------------------------------


@dataclass
class Outcome:
    row: SourceRow
    kind: str
    reason: str = ""
    parsed: RosterRow | None = None
    bidx: str = ""
    person: dict | None = None  # the registry's person, when there is one
    changes: dict = field(default_factory=dict)
    employer_id: int | None = None
    other_org: str = ""
    membership_id: int | None = None  # an active membership here that the file says has retired
    active: dict | None = None  # the person's active membership here, when there is one


class Classifier:
    """Classifies rows batch by batch; remembers the IDs seen so far (duplicates across batches)."""

    def __init__(self, job: ImportJob, *, create_employers: bool, known: KnownRows | None = None):
        self.job, self.org, self.known = job, job.org, known
        self.actor = job.created_by
        self.create_employers = create_employers
        self.seen: dict[int, int] = {}  # first 17 digits of an ID -> the row number it was first seen on
        self.employers: dict[tuple[str, str], int | None] = {}

    def remember(self, row: SourceRow) -> None:
        """A row before the commit's cursor: only its ID is noted, so that later duplicates are still found."""
        if row.known or row_read(row).parsed is not None:
            self._first_time(row)

    def _first_time(self, row: SourceRow) -> int | None:
        first = self.seen.get(row.id_key)
        if first is None:
            self.seen[row.id_key] = row.row_number
        return first

    def classify(self, rows: list[SourceRow]) -> list[Outcome]:
        unchanged = self._unchanged([row for row in rows if row.known])
        for row in rows:
            if row.known and row.digest not in unchanged:
                row.known = False  # its digest's first 64 bits matched another row's, or the member has changed
                row_prepare(row)
            row_read(row)
        person, membership, org = (m._meta.db_table for m in (Person, Membership, Org))
        people = {p["id_number_bidx"]: p for p in _select(
            f"SELECT id_number_bidx, {', '.join(PERSON_READ)} FROM {person} WHERE", "id_number_bidx",  # noqa: S608
            [row.bidx for row in rows if row.bidx and not row.known])}  # fmt: skip
        active = {m["person_id"]: m for m in _select(
            f"SELECT m.person_id, m.id, m.org_id, m.is_retired, m.roster_digest, m.roster_version, "  # noqa: S608
            f"o.path AS org__path, o.name AS org__name FROM {membership} m "
            f"JOIN {org} o ON o.id = m.org_id WHERE m.status = 'active' AND", "m.person_id",
            [p["id"] for p in people.values()])}  # fmt: skip
        outcomes = [self._read(row) for row in rows]
        valid = [o for o in outcomes if o.kind == "pending"]
        cards = _card_numbers_in_use([o.parsed.card_number for o in valid if o.parsed.card_number])
        for o in valid:
            o.bidx = o.row.bidx
            self._decide(o, people.get(o.bidx), active, cards)
        return outcomes

    def _unchanged(self, rows: list[SourceRow]) -> set[str]:
        """The digests, among those of the known ``rows``, that last wrote a membership still active in this
        union whose person has not changed since (its version): by the memberships' primary keys, without the
        people's blind indexes or anything decrypted."""
        candidates = [pk for row in rows for pk in self.known.memberships_of(row.digest)] if rows else []
        person, membership = Person._meta.db_table, Membership._meta.db_table
        found = _select(
            f"SELECT m.roster_digest FROM {membership} m JOIN {person} p ON p.id = m.person_id "  # noqa: S608
            f"WHERE m.org_id = %s AND m.province = %s AND m.status = 'active' AND m.roster_version = p.version AND",
            "m.id", candidates, [self.org.pk, province_of(self.org)],
        )  # fmt: skip
        return {m["roster_digest"] for m in found}

    def _read(self, row: SourceRow) -> Outcome:
        if row.known:  # checked by classify: as the registry holds it
            first = self._first_time(row)
            if first is not None:
                return Outcome(row, "duplicate", f"与本表第 {first} 行的身份证号码相同。")
            return Outcome(row, "unchanged", bidx=row.bidx)
        parsed = row_read(row).parsed
        if parsed is None:
            return Outcome(row, "invalid", row.error)
        first = self._first_time(row)
        if first is not None:
            return Outcome(row, "duplicate", f"与本表第 {first} 行的身份证号码相同。", parsed)
        try:
            employer_id = self._employer(parsed)
        except ValidationError as error:
            return Outcome(row, "invalid", "；".join(error.messages), parsed)
        return Outcome(row, "pending", parsed=parsed, employer_id=employer_id)

    def _employer(self, parsed: RosterRow) -> int | None:
        key = (parsed.employer_name, parsed.employer_uscc)
        if key not in self.employers:
            if self.create_employers:
                employer = employer_resolve(name=key[0], uscc=key[1])
                self.employers[key] = employer.pk if employer else None
            else:
                self.employers[key] = _employer_lookup(*key)
        return self.employers[key]

    def _decide(self, o: Outcome, person: dict | None, active: dict, cards: set[str]) -> None:
        o.person = person
        membership = o.active = active.get(person["id"]) if person else None
        if membership is not None and membership["org_id"] != self.org.pk:
            visible = access.grant_covering(self.actor, _OrgPath(membership["org__path"])) is not None
            o.kind, o.other_org = "other_union", membership["org__name"] if visible else "其他工会"
            o.reason = f"已是“{o.other_org}”的会员，如需转入请办理会员关系接转。"
            return
        o.changes = _changes(o.parsed, person, o.employer_id) if person else {}
        if membership is not None and o.parsed.is_retired and not membership["is_retired"]:
            o.changes["is_retired"], o.membership_id = True, membership["id"]  # retired since: membership_retire
        if membership is not None:
            o.kind = "update" if o.changes else "unchanged"
        elif o.parsed.card_number in cards:
            o.kind, o.reason = "invalid", f"会员证号 {o.parsed.card_number} 已被使用。"
        else:
            o.kind = "create"


@dataclass(frozen=True)
class _OrgPath:
    """Enough of an org for ``access.grant_covering``: its path."""

    path: str


def _employer_lookup(name: str, uscc: str) -> int | None:
    if uscc:
        found = Employer.objects.filter(uscc=uscc).values_list("pk", flat=True).first()
    elif name:
        found = Employer.objects.filter(name=name, uscc__isnull=True).values_list("pk", flat=True).first()
    else:
        return None
    return NOT_FOUND if found is None else found


def _changes(parsed: RosterRow, person: dict, employer_id: int | None) -> dict:
    """The given cells that differ from the registry (column -> new value)."""
    given = {
        "name": parsed.name, "ethnicity": parsed.ethnicity, "education": parsed.education,
        "employment_form": parsed.employment_form, "is_migrant": parsed.is_migrant, "job_title": parsed.job_title,
        "employer_id": employer_id if (parsed.employer_name or parsed.employer_uscc) else None,
    }  # fmt: skip
    changes = {k: v for k, v in given.items() if v is not None and v != person[k]}
    if parsed.phone and phone_index(parsed.phone) != person["phone_bidx"]:
        changes["phone"] = parsed.phone
    return changes


# ----- writing -----------------------------------------------------------------------------------------------


def write_batch(job: ImportJob, outcomes: list[Outcome]) -> int:
    """Write one classified batch (inside the caller's transaction); returns the memberships created."""
    now = timezone.now()
    province = province_of(job.org)  # of the new rows, people and memberships (decision 0052)
    creates = [o for o in outcomes if o.kind == "create"]
    new_people = [o for o in creates if o.person is None]
    rejoining = [o.person["id"] for o in creates if o.person is not None]
    if connection.vendor == "postgresql":  # ids drawn from the sequence first: COPY cannot return them
        ids = _next_ids(Person, len(new_people))
        rows = [(pk, *_person_row(o, now), province) for pk, o in zip(ids, new_people, strict=True)]
        _insert(Person, ("id", *PERSON_INSERT), rows)
        for pk, o in zip(ids, new_people, strict=True):
            o.person = {"id": pk}
    else:
        _insert(Person, PERSON_INSERT, [(*_person_row(o, now), province) for o in new_people])
        ids = {p["id_number_bidx"]: p["id"] for p in _select(
            f"SELECT id_number_bidx, id FROM {Person._meta.db_table} WHERE", "id_number_bidx",  # noqa: S608
            [o.bidx for o in new_people])}  # fmt: skip
        for o in new_people:
            o.person = {"id": ids[o.bidx]}
    changed = [o for o in outcomes if o.kind in ("create", "update") and set(o.changes) - {"is_retired"}]
    _update_people(changed, now)
    for o in changed:
        o.person["version"] += 1  # as the update left it
    for o in outcomes:  # few in a file: through the member service (lapse warnings lifted, audited)
        if o.kind == "update" and o.membership_id:
            membership_retire(actor=job.created_by, membership=Membership.objects.select_related("org")
                              .get(pk=o.membership_id))  # fmt: skip
    rows = _membership_rows(job, creates, now, province)
    _insert(Membership, MEMBERSHIP_INSERT, rows)
    Person.objects.filter(pk__in=rejoining).exclude(province=province).update(province=province)
    if rows:
        member_counts_add({job.org: len(rows)})
    _stamp([o for o in outcomes if o.kind in ("update", "unchanged") and o.active])
    return len(rows)


def _stamp(outcomes: list[Outcome]) -> None:
    """The rows' digests onto the memberships they updated or found unchanged by reading them in full (a row
    typed differently for the same values, or a member from before the digests): the next import of the same
    row skips it."""
    stamps = [(o.row.digest, o.person["version"], o.active) for o in outcomes if o.row.digest]
    rows = [(digest, version, m["id"]) for digest, version, m in stamps
            if (m["roster_digest"], m["roster_version"]) != (digest, version)]  # fmt: skip
    if rows:
        sql = f"UPDATE {Membership._meta.db_table} SET roster_digest = %s, roster_version = %s WHERE id = %s"  # noqa: S608
        with connection.cursor() as cursor:
            cursor.executemany(sql, rows)


def _person_row(o: Outcome, now: dt.datetime) -> tuple:
    """A new person's columns; the values sealed, indexed and spelled by ``row_prepare``."""
    p = o.parsed
    id_enc, _, id_masked, *phone, pinyin, initials = o.row.sealed
    return (
        p.name, pinyin, initials, p.gender, p.ethnicity or "汉族", p.birth_date, id_enc, o.bidx, id_masked, *phone,
        p.education or "", p.employment_form or "standard", bool(p.is_migrant),
        o.employer_id if o.employer_id != NOT_FOUND else None, p.job_title or "", 1, now, now,
    )  # fmt: skip


def _update_people(changed: list[Outcome], now: dt.datetime) -> None:
    """Changed people: the new values where given and different, the registry's elsewhere; version + 1."""
    if not changed:
        return
    rows = []
    for o in changed:
        values = {**o.person, **{k: v for k, v in o.changes.items() if k not in ("phone", "is_retired")}}
        given = values["name"] == o.parsed.name  # else the registry's name stays: its keys are made again
        values["name_pinyin"], values["name_initials"] = o.row.sealed[6:] if given else name_keys(values["name"])
        if "phone" in o.changes:  # the file's phone, sealed by row_prepare
            values |= SealedPhone(*o.row.sealed[3:6]).columns()
        rows.append(tuple(values[c] for c in PERSON_UPDATE) + (now, o.person["id"]))
    qn = connection.ops.quote_name
    assignments = ", ".join(f"{qn(c)} = %s" for c in PERSON_UPDATE)
    sql = (f"UPDATE {qn(Person._meta.db_table)} SET {assignments}, updated_at = %s, "  # noqa: S608
           f"version = version + 1 WHERE id = %s")  # fmt: skip
    with connection.cursor() as cursor:
        cursor.executemany(sql, [_adapt(row) for row in rows])


def _membership_rows(job: ImportJob, creates: list[Outcome], now: dt.datetime, province: int) -> list[tuple]:
    """New memberships with their card numbers: given ones, else new ones not in use (drawn again on a clash)."""
    today = timezone.localdate()
    joined = {id(o): o.parsed.joined_on or today for o in creates}
    numbers = {id(o): o.parsed.card_number for o in creates}
    while True:
        drawn = {k for k, v in numbers.items() if not v}
        for o in creates:
            if id(o) in drawn:
                numbers[id(o)] = new_card_number(job.org, joined[id(o)].year)
        fresh = [numbers[k] for k in drawn]
        times = Counter(numbers.values())  # against the whole batch: the numbers kept from earlier rounds too
        clashes = _card_numbers_in_use(fresh) | {n for n in fresh if times[n] > 1}
        if not clashes:
            break
        for k in drawn:
            if numbers[k] in clashes:
                numbers[k] = ""
    return [(o.person["id"], job.org_id, numbers[id(o)], joined[id(o)], "active", bool(o.parsed.is_retired), "", now,
             o.row.digest, o.person.get("version", 1), province) for o in creates]  # fmt: skip


def _select(sql: str, column: str, values: list, params: list = ()) -> list[dict]:
    """Rows of ``sql`` (ending in WHERE or AND; its own ``params`` first) whose ``column`` is one of ``values``,
    as dicts: one array parameter on PostgreSQL (a batch of thousands would otherwise be as many placeholders),
    a list elsewhere."""
    if not values:
        return []
    if connection.vendor == "postgresql":  # typed: a list of small ints would be sent as smallint[] (no index)
        array = "bigint[]" if isinstance(values[0], int) else "text[]"
        sql, params = f"{sql} {column} = ANY(%s::{array})", [*params, values]
    else:
        sql, params = f"{sql} {column} IN ({', '.join(['%s'] * len(values))})", [*params, *values]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        names = [c[0] for c in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def _card_numbers_in_use(numbers: list[str]) -> set[str]:
    table = Membership._meta.db_table
    sql = f"SELECT card_number FROM {table} WHERE"  # noqa: S608
    return {r["card_number"] for r in _select(sql, "card_number", numbers)}


def _next_ids(model, count: int) -> list[int]:
    """``count`` primary keys drawn from the table's sequence (PostgreSQL)."""
    if not count:
        return []
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                       [model._meta.db_table, count])  # fmt: skip
        return [row[0] for row in cursor.fetchall()]


def _adapt(row: tuple) -> tuple:
    """Dates and datetimes as the database driver wants them (what Field.get_db_prep_save would do)."""
    ops = connection.ops
    return tuple(
        ops.adapt_datetimefield_value(v) if isinstance(v, dt.datetime)
        else ops.adapt_datefield_value(v) if isinstance(v, dt.date) else v
        for v in row
    )  # fmt: skip


def _insert(model, columns: tuple[str, ...], rows: list[tuple]) -> None:
    if not rows:
        return
    qn = connection.ops.quote_name
    table, names = qn(model._meta.db_table), ", ".join(qn(c) for c in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            placeholders = ", ".join(["%s"] * len(columns))
            cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({placeholders})",  # noqa: S608
                               [_adapt(row) for row in rows])  # fmt: skip


def issue_cells(row: SourceRow) -> str:
    """The original cells of a row, encrypted (they hold ID numbers and phones)."""
    return crypto.encrypt(json.dumps([cell_text(c) for c in row.raw], ensure_ascii=False))


def preview_item(o: Outcome) -> dict:
    """A row of the preview page: masked, like every list."""
    p = o.parsed
    return {
        "sheet": o.row.sheet, "row": o.row.row_number,
        "name": p.name if p else cell_text(o.row.cells.get("name")),
        "id_masked": mask_id_number(p.id_number) if p else "",
        "detail": o.reason or "、".join(CHANGE_LABELS[k] for k in o.changes),
    }  # fmt: skip
