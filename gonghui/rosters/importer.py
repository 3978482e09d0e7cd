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
import json
import multiprocessing
import os
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import chain, islice
from queue import Full

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
from gonghui.rosters.columns import (
    HEADINGS,
    INSTRUCTIONS_HEADER,
    RosterRow,
    column_map,
    columns_described,
    header_score,
    row_parse,
)
from gonghui.rosters.models import ImportJob
from gonghui.rosters.policy import roster_policy

PERSON_READ = ("id", "name", "phone_enc", "phone_bidx", "phone_masked", "ethnicity", "education", "employment_form",
               "is_migrant", "employer_id", "job_title")  # fmt: skip
PERSON_INSERT = (
    "name", "name_pinyin", "name_initials", "gender", "ethnicity", "birth_date", "id_number_enc", "id_number_bidx",
    "id_number_masked", "phone_enc", "phone_bidx", "phone_masked", "education", "employment_form", "is_migrant",
    "employer_id", "job_title", "version", "created_at", "updated_at",
)  # fmt: skip
PERSON_UPDATE = ("name", "name_pinyin", "name_initials", "phone_enc", "phone_bidx", "phone_masked", "ethnicity",
                 "education", "employment_form", "is_migrant", "employer_id", "job_title")  # fmt: skip
MEMBERSHIP_INSERT = ("person_id", "org_id", "card_number", "joined_on", "status", "is_retired", "end_reason",
                     "created_at")  # fmt: skip
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
    # filled by ``row_read`` (in the reading process when the commit reads ahead: ``read_ahead``)
    parsed: RosterRow | None = None
    error: str = ""  # why the row is invalid
    bidx: str = ""  # the ID's blind index


def row_read(row: SourceRow) -> SourceRow:
    """Parse a row once: its values, or why it is invalid, and its ID's blind index."""
    if row.parsed is None and not row.error:
        try:
            row.parsed = row_parse(row.cells)
            row.bidx = id_number_index(row.parsed.id_number)
        except ValidationError as error:
            row.error = "；".join(error.messages)
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


def read_ahead(job: ImportJob, size: int) -> Iterator[list[SourceRow]]:
    """Batches of read rows (``row_read``) made by a child process while this one classifies and writes the
    previous ones: reading, normalising and hashing a row costs as much as the rest, and there are two cores.
    At most ``READ_AHEAD`` batches wait, so memory stays bounded. The child uses no database connection.
    The rows come without their raw cells (``raw``, ``cells``), which only the dry run's issues need."""
    context = multiprocessing.get_context("fork")
    queue = context.Queue(maxsize=READ_AHEAD)
    child = context.Process(target=_read_into, args=(job, size, queue), daemon=True)
    child.start()
    try:
        while (batch := queue.get()) is not None:
            if isinstance(batch, str):
                raise RosterReadError(batch)
            yield [SourceRow(position, sheet, number, [], {}, parsed, error, bidx)
                   for position, sheet, number, parsed, error, bidx in batch]  # fmt: skip
    finally:
        child.kill()
        child.join()
        queue.close()


READ_AHEAD = 2


class RosterReadError(Exception):
    """The reading process failed (its exception's class name is the message: no cell values)."""


def _read_into(job: ImportJob, size: int, queue) -> None:
    parent = os.getppid()
    try:
        for batch in batches(map(row_read, source_rows(job, [], [])), size):
            # what the commit uses of a row, as tuples (pickled: the raw cells would double the cost)
            _put(queue, [(r.position, r.sheet, r.row_number, r.parsed, r.error, r.bidx) for r in batch], parent)
        _put(queue, None, parent)
    except Exception as error:  # noqa: BLE001 - reported to the parent, which fails the job
        _put(queue, error.__class__.__name__, parent)


def _put(queue, item, parent: int) -> None:
    """Hand a batch to the parent; exit as soon as the parent is gone (killed: ``kill -9`` runs no cleanup, and
    a daemon child would wait on a full queue for ever). A dead parent's child is re-parented, so its parent
    pid changes: checked every second, on Linux and macOS alike (PR_SET_PDEATHSIG is Linux only)."""
    while True:
        try:
            queue.put(item, timeout=PARENT_CHECK_SECONDS)
            return
        except Full:
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


class Classifier:
    """Classifies rows batch by batch; remembers the IDs seen so far (duplicates across batches)."""

    def __init__(self, job: ImportJob, *, create_employers: bool):
        self.job, self.org = job, job.org
        self.actor = job.created_by
        self.create_employers = create_employers
        self.seen: dict[int, int] = {}  # first 17 digits of an ID -> the row number it was first seen on
        self.employers: dict[tuple[str, str], int | None] = {}

    def remember(self, row: SourceRow) -> None:
        """A row before the commit's cursor: only its ID is noted, so that later duplicates are still found."""
        if row_read(row).parsed is not None:
            self._first_time(row.parsed, row)

    def _first_time(self, parsed: RosterRow, row: SourceRow) -> int | None:
        key = int(parsed.id_number[:17])
        first = self.seen.get(key)
        if first is None:
            self.seen[key] = row.row_number
        return first

    def classify(self, rows: list[SourceRow]) -> list[Outcome]:
        outcomes = [self._read(row) for row in rows]
        valid = [o for o in outcomes if o.kind == "pending"]
        for o in valid:
            o.bidx = o.row.bidx
        person, membership, org = (m._meta.db_table for m in (Person, Membership, Org))
        people = {p["id_number_bidx"]: p for p in _select(
            f"SELECT id_number_bidx, {', '.join(PERSON_READ)} FROM {person} WHERE", "id_number_bidx",  # noqa: S608
            [o.bidx for o in valid])}  # fmt: skip
        active = {m["person_id"]: m for m in _select(
            f"SELECT m.person_id, m.id, m.org_id, m.is_retired, o.path AS org__path, o.name AS org__name "  # noqa: S608
            f"FROM {membership} m "
            f"JOIN {org} o ON o.id = m.org_id WHERE m.status = 'active' AND", "m.person_id",
            [p["id"] for p in people.values()])}  # fmt: skip
        cards = _card_numbers_in_use([o.parsed.card_number for o in valid if o.parsed.card_number])
        for o in valid:
            self._decide(o, people.get(o.bidx), active, cards)
        return outcomes

    def _read(self, row: SourceRow) -> Outcome:
        parsed = row_read(row).parsed
        if parsed is None:
            return Outcome(row, "invalid", row.error)
        first = self._first_time(parsed, row)
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
        membership = active.get(person["id"]) if person else None
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
    creates = [o for o in outcomes if o.kind == "create"]
    new_people = [o for o in creates if o.person is None]
    if connection.vendor == "postgresql":  # ids drawn from the sequence first: COPY cannot return them
        ids = _next_ids(Person, len(new_people))
        rows = [(pk, *_person_row(o, now)) for pk, o in zip(ids, new_people, strict=True)]
        _insert(Person, ("id", *PERSON_INSERT), rows)
        for pk, o in zip(ids, new_people, strict=True):
            o.person = {"id": pk}
    else:
        _insert(Person, PERSON_INSERT, [_person_row(o, now) for o in new_people])
        ids = {p["id_number_bidx"]: p["id"] for p in _select(
            f"SELECT id_number_bidx, id FROM {Person._meta.db_table} WHERE", "id_number_bidx",  # noqa: S608
            [o.bidx for o in new_people])}  # fmt: skip
        for o in new_people:
            o.person = {"id": ids[o.bidx]}
    changed = [o for o in outcomes if o.kind in ("create", "update") and set(o.changes) - {"is_retired"}]
    _update_people(changed, now)
    for o in outcomes:  # few in a file: through the member service (lapse warnings lifted, audited)
        if o.kind == "update" and o.membership_id:
            membership_retire(actor=job.created_by, membership=Membership.objects.select_related("org")
                              .get(pk=o.membership_id))  # fmt: skip
    rows = _membership_rows(job, creates, now)
    _insert(Membership, MEMBERSHIP_INSERT, rows)
    if rows:
        member_counts_add({job.org: len(rows)})
    return len(rows)


def _person_row(o: Outcome, now: dt.datetime) -> tuple:
    p = o.parsed
    pinyin, initials = name_keys(p.name)
    return (
        p.name, pinyin, initials, p.gender, p.ethnicity or "汉族", p.birth_date,
        *id_number_columns(p.id_number, index=o.bidx), *phone_columns(p.phone or ""), p.education or "",
        p.employment_form or "standard", bool(p.is_migrant),
        o.employer_id if o.employer_id != NOT_FOUND else None, p.job_title or "", 1, now, now,
    )  # fmt: skip


def _update_people(changed: list[Outcome], now: dt.datetime) -> None:
    """Changed people: the new values where given and different, the registry's elsewhere; version + 1."""
    if not changed:
        return
    rows = []
    for o in changed:
        values = {**o.person, **{k: v for k, v in o.changes.items() if k not in ("phone", "is_retired")}}
        values["name_pinyin"], values["name_initials"] = name_keys(values["name"])
        if "phone" in o.changes:
            values |= SealedPhone(*phone_columns(o.changes["phone"])).columns()
        rows.append(tuple(values[c] for c in PERSON_UPDATE) + (now, o.person["id"]))
    qn = connection.ops.quote_name
    assignments = ", ".join(f"{qn(c)} = %s" for c in PERSON_UPDATE)
    sql = (f"UPDATE {qn(Person._meta.db_table)} SET {assignments}, updated_at = %s, "  # noqa: S608
           f"version = version + 1 WHERE id = %s")  # fmt: skip
    with connection.cursor() as cursor:
        cursor.executemany(sql, [_adapt(row) for row in rows])


def _membership_rows(job: ImportJob, creates: list[Outcome], now: dt.datetime) -> list[tuple]:
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
    return [(o.person["id"], job.org_id, numbers[id(o)], joined[id(o)], "active", bool(o.parsed.is_retired), "", now)
            for o in creates]  # fmt: skip


def _select(sql: str, column: str, values: list) -> list[dict]:
    """Rows of ``sql`` (ending in WHERE or AND) whose ``column`` is one of ``values``, as dicts: one array
    parameter on PostgreSQL (a batch of thousands would otherwise be as many placeholders), a list elsewhere."""
    if not values:
        return []
    if connection.vendor == "postgresql":  # typed: a list of small ints would be sent as smallint[] (no index)
        array = "bigint[]" if isinstance(values[0], int) else "text[]"
        sql, params = f"{sql} {column} = ANY(%s::{array})", [values]
    else:
        sql, params = f"{sql} {column} IN ({', '.join(['%s'] * len(values))})", values
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
