"""The member tables LIST-partitioned by province on PostgreSQL (``manage.py partition_by_province``, decision 0052).

``members_person``, ``members_membership`` and the big per-member tables the apps declare (``partitioned_models``
in core.registry, decision 0055: the dues payments and wage bases) become partitioned tables: one partition per
province of the shipped divisions (``members_person_p33`` …) and a default one (national-level rows, province 0),
primary key ``(province, id)`` as PostgreSQL requires of every unique index of a partitioned table (and Citus of
its distribution column). Ids stay globally unique, drawn from one sequence.

What a partitioned table cannot hold moves to a small **locator** table beside it, ``<table>_locator``, kept by
row triggers on the partitioned table: the id (primary key) with its province, and the columns of every unique
index the table had (the blind index of the ID number; the card number, the card key and the one-active-
membership rule). The locator enforces them across the nation, as the plain table did, and every foreign key
that pointed at the table points at its locator instead (PostgreSQL cannot reference a partitioned table's id
alone: it is not unique there without the province). The partitioned table keeps plain (non-unique) twins of
those indexes for its own lookups.

The conversion is one transaction per table (a failure leaves the table as it was), idempotent (a converted table
is skipped), and copies every row with ``INSERT … SELECT`` into the new parent, which routes each row.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.checks import Error, register
from django.db import DatabaseError, connection, transaction

from gonghui.core.registry import partitioned_models
from gonghui.orgs.regions import province_codes

LOCATOR = "{table}_locator"
DEFAULT_PARTITION = "{table}_default"


class PartitioningRefused(Exception):
    """The database cannot be converted (not PostgreSQL, or the tables are missing)."""


@dataclass
class TableState:
    table: str
    exists: bool
    partitioned: bool
    rows: int
    partitions: int = 0
    locator_rows: int | None = None
    pointing_at_table: int = 0  # foreign keys still referencing the table itself (0 once converted)


def _fetch(sql: str, params=()) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _run(sql: str, params=()) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def _require_postgresql() -> None:
    if connection.vendor != "postgresql":
        raise PartitioningRefused("按省分区只适用于 PostgreSQL；SQLite 数据库保持普通表。")


def tables() -> list[str]:
    """The tables partitioned by province, the member tables first (the others' foreign keys point at them)."""
    return [model._meta.db_table for model in partitioned_models()]


def relkind(table: str) -> str | None:
    """'r' a plain table, 'p' a partitioned one, None missing."""
    rows = _fetch("SELECT relkind FROM pg_class WHERE oid = to_regclass(%s)", [table])
    return rows[0][0] if rows else None


def is_partitioned(table: str) -> bool:
    return relkind(table) == "p"


def all_partitioned() -> bool:
    """Every member table converted (what the system check asks when the setting is on)."""
    return connection.vendor == "postgresql" and all(is_partitioned(t) for t in tables())


def tables_exist() -> bool:
    return all(relkind(t) is not None for t in tables())


def locator_tables() -> list[str]:
    """The locator tables present (the test suite empties them with the tables they mirror)."""
    if connection.vendor != "postgresql":
        return []
    return [LOCATOR.format(table=t) for t in tables() if relkind(LOCATOR.format(table=t)) is not None]


def _referencing(table: str) -> list[tuple[str, str, str]]:
    """(table, constraint, definition) of every foreign key pointing at ``table`` from another table."""
    return _fetch(
        "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint "
        "WHERE contype = 'f' AND confrelid = to_regclass(%s) AND conrelid <> confrelid ORDER BY 1, 2",
        [table],
    )


def locate_person(id_number_bidx: str) -> list[tuple[int, int]]:
    """(id, province) of the person with this ID number's blind index, from the locator's unique index: at most
    one (a converted database only)."""
    return _fetch("SELECT id, province FROM members_person_locator WHERE id_number_bidx = %s", [id_number_bidx])


def state(table: str) -> TableState:
    kind = relkind(table)
    if kind is None:
        return TableState(table, exists=False, partitioned=False, rows=0)
    (rows,) = _fetch(f"SELECT count(*) FROM {table}")[0]  # noqa: S608 — one of tables()
    result = TableState(table, exists=True, partitioned=kind == "p", rows=rows)
    result.pointing_at_table = len(_referencing(table))
    if result.partitioned:
        result.partitions = _fetch("SELECT count(*) FROM pg_inherits WHERE inhparent = to_regclass(%s)", [table])[0][0]
        locator = LOCATOR.format(table=table)
        result.locator_rows = _fetch(f"SELECT count(*) FROM {locator}")[0][0]  # noqa: S608
    return result


def partition_rows(table: str) -> list[tuple[str, int]]:
    """(partition, rows) of a converted table, largest first."""
    parts = [r[0] for r in _fetch("SELECT inhrelid::regclass::text FROM pg_inherits WHERE inhparent = to_regclass(%s)",
                                  [table])]  # fmt: skip
    counts = [(p, _fetch(f"SELECT count(*) FROM {p}")[0][0]) for p in parts]  # noqa: S608 — names from the catalog
    return sorted(counts, key=lambda pc: (-pc[1], pc[0]))


def convert(*, log: Callable[[str], None] = lambda message: None) -> list[str]:
    """Convert every member table not converted yet; returns the tables converted now."""
    _require_postgresql()
    if not tables_exist():
        raise PartitioningRefused("会员表不存在：请先执行 manage.py migrate。")
    done = []
    for table in tables():
        if is_partitioned(table):
            log(f"{table}：已是按省分区表，跳过。")
            continue
        started = time.monotonic()
        with transaction.atomic():
            # Deferred foreign-key checks of rows written earlier in the transaction run now: a table with
            # pending trigger events cannot be altered. Django's foreign keys are all INITIALLY DEFERRED again after.
            _run("SET CONSTRAINTS ALL IMMEDIATE")
            _convert(table, log)
            _run("SET CONSTRAINTS ALL DEFERRED")
        log(f"{table}：转换完成，用时 {time.monotonic() - started:.1f} 秒。")
        done.append(table)
    return done


def _convert(table: str, log: Callable[[str], None]) -> None:
    locator, plain = LOCATOR.format(table=table), f"{table}_plain"
    _run(f"LOCK TABLE {table} IN ACCESS EXCLUSIVE MODE")
    indexes = _fetch(
        "SELECT c.relname, i.indisunique, pg_get_indexdef(i.indexrelid) FROM pg_index i "
        "JOIN pg_class c ON c.oid = i.indexrelid WHERE i.indrelid = to_regclass(%s) AND NOT i.indisprimary "
        "ORDER BY c.relname",
        [table],
    )
    own_keys = _fetch(
        "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = to_regclass(%s) "
        "AND contype = 'f' ORDER BY conname",
        [table],
    )
    referencing = _referencing(table)
    unique_columns = _unique_columns(table, [name for name, unique, _ in indexes if unique])
    columns = _fetch(
        "SELECT attname, format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = to_regclass(%s) "
        "AND attnum > 0 AND NOT attisdropped ORDER BY attnum",
        [table],
    )
    types = dict(columns)

    log(f"{table}：建分区表（{len(province_codes())} 个省级分区和 1 个默认分区）…")
    _run(f"ALTER TABLE {table} RENAME TO {plain}")
    # Columns, NOT NULL and CHECK constraints as they were; no identity (the sequence is made again below).
    _run(f"CREATE TABLE {table} (LIKE {plain} INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING STORAGE) "
         f"PARTITION BY LIST (province)")  # fmt: skip
    for code in province_codes():
        _run(f"CREATE TABLE {table}_p{code} PARTITION OF {table} FOR VALUES IN ({code})")
    _run(f"CREATE TABLE {DEFAULT_PARTITION.format(table=table)} PARTITION OF {table} DEFAULT")

    log(f"{table}：复制数据行…")
    _run(f"INSERT INTO {table} SELECT * FROM {plain}")  # noqa: S608 — same columns, same order (LIKE)

    log(f"{table}：建定位表 {locator}（{', '.join(['id', 'province', *unique_columns])}）…")
    kept = ["id", "province", *unique_columns]
    column_defs = ", ".join(f"{c} {types[c]}" + (" NOT NULL" if c in ("id", "province") else "") for c in kept)
    _run(f"CREATE TABLE {locator} ({column_defs}, PRIMARY KEY (id))")
    _run(f"INSERT INTO {locator} ({', '.join(kept)}) SELECT {', '.join(kept)} FROM {plain}")  # noqa: S608

    log(f"{table}：{len(referencing)} 个外键改为引用 {locator}…")
    for referrer, name, definition in referencing:
        _run(f"ALTER TABLE {referrer} DROP CONSTRAINT {name}")
        target = definition.replace(f"REFERENCES {table}(id)", f"REFERENCES {locator}(id)")
        if target == definition:
            raise PartitioningRefused(f"外键 {referrer}.{name} 的定义无法识别：{definition}")
        _run(f"ALTER TABLE {referrer} ADD CONSTRAINT {name} {target}")

    _run(f"DROP TABLE {plain}")
    sequence = f"{table}_id_seq"
    _run(f"CREATE SEQUENCE {sequence} AS bigint OWNED BY {table}.id")
    _run(f"SELECT setval(%s, COALESCE((SELECT max(id) FROM {table}), 0) + 1, false)", [sequence])  # noqa: S608
    _run(f"ALTER TABLE {table} ALTER COLUMN id SET DEFAULT nextval('{sequence}')")

    log(f"{table}：建主键 (province, id) 和 {len(indexes)} 个索引…")
    _run(f"ALTER TABLE {table} ADD CONSTRAINT {table}_pkey PRIMARY KEY (province, id)")
    # A lookup or a join by id alone (Person.objects.get(pk=…), a membership's person) cannot use the primary key
    # without the province: each partition gets an index on id (32 small probes instead of a scan).
    _run(f"CREATE INDEX {table}_id_idx ON {table} (id)")
    for name, definition in own_keys:  # one to the table itself (a reversal's original) points at the locator
        definition = definition.replace(f"REFERENCES {table}(id)", f"REFERENCES {locator}(id)")
        _run(f"ALTER TABLE {table} ADD CONSTRAINT {name} {definition}")
    for name, unique, definition in indexes:
        if unique:  # enforced on the locator across every province; a plain twin serves the table's lookups
            _run(definition.replace(f" ON public.{table} ", f" ON public.{locator} "))
            twin = f"{name[:58]}_part"
            _run(definition.replace(f"CREATE UNIQUE INDEX {name} ", f"CREATE INDEX {twin} ", 1))
        else:
            _run(definition)
    _sync_triggers(table, locator, kept)
    _run(f"ANALYZE {table}")
    _run(f"ANALYZE {locator}")


def _unique_columns(table: str, index_names: list[str]) -> list[str]:
    """The columns (and the columns their conditions read) of the table's unique indexes other than the primary
    key, in column order."""
    if not index_names:
        return []
    rows = _fetch(
        "SELECT DISTINCT a.attnum, a.attname FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
        "JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum > 0 AND NOT a.attisdropped "
        "AND (a.attnum = ANY(i.indkey::int2[]) OR pg_get_expr(i.indpred, i.indrelid) ~ ('\\m' || a.attname || '\\M')) "
        "WHERE i.indrelid = to_regclass(%s) AND c.relname = ANY(%s) ORDER BY a.attnum",
        [table, index_names],
    )
    return [name for _, name in rows if name not in ("id", "province")]


def _sync_triggers(table: str, locator: str, kept: list[str]) -> None:
    """Row triggers keeping the locator in step with the table: an insert (a COPY too) adds the row's id,
    province and unique columns, an update of any of them rewrites it (a row moving to another province's
    partition included), a delete removes it. Its unique indexes refuse a duplicate in the same statement."""
    columns = ", ".join(kept)
    values = ", ".join(f"NEW.{c}" for c in kept)
    updates = ", ".join(f"{c} = EXCLUDED.{c}" for c in kept if c != "id")
    function = f"{table}_locator_sync"
    _run(f"""
        CREATE OR REPLACE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_OP = 'DELETE' THEN
                DELETE FROM {locator} WHERE id = OLD.id;
            ELSE
                INSERT INTO {locator} ({columns}) VALUES ({values})
                ON CONFLICT (id) DO UPDATE SET {updates};
            END IF;
            RETURN NULL;
        END $$""")  # noqa: S608 — names from the catalog
    watched = ", ".join(c for c in kept if c != "id")
    _run(f"CREATE TRIGGER {table}_locator_insert AFTER INSERT ON {table} FOR EACH ROW EXECUTE FUNCTION {function}()")
    _run(f"CREATE TRIGGER {table}_locator_update AFTER UPDATE OF {watched} ON {table} FOR EACH ROW "
         f"EXECUTE FUNCTION {function}()")  # fmt: skip
    _run(f"CREATE TRIGGER {table}_locator_delete AFTER DELETE ON {table} FOR EACH ROW EXECUTE FUNCTION {function}()")


def check() -> list[str]:
    """What is wrong with the conversion, as sentences (empty: every table converted and consistent)."""
    _require_postgresql()
    problems = []
    for table in tables():
        s = state(table)
        if not s.exists:
            problems.append(f"{table} 不存在。")
        elif not s.partitioned:
            problems.append(f"{table} 尚未按省分区。")
        else:
            if s.locator_rows != s.rows:
                problems.append(f"{table} 有 {s.rows} 行，定位表有 {s.locator_rows} 行。")
            if s.pointing_at_table:
                problems.append(f"{s.pointing_at_table} 个外键仍直接引用 {table}。")
            wrong = _fetch(
                f"SELECT count(*) FROM {table} t LEFT JOIN {LOCATOR.format(table=table)} l "  # noqa: S608
                "ON l.id = t.id AND l.province = t.province WHERE l.id IS NULL"
            )[0][0]
            if wrong:
                problems.append(f"{table} 有 {wrong} 行在定位表中没有或省份不符。")
    return problems


@register()
def partitioned_when_set(app_configs, **kwargs):
    """GONGHUI_PARTITION_BY_PROVINCE needs PostgreSQL and the tables converted (a fresh database: after migrate)."""
    if not settings.GONGHUI_PARTITION_BY_PROVINCE:
        return []
    if connection.vendor != "postgresql":
        return [Error("GONGHUI_PARTITION_BY_PROVINCE 已开启，但数据库不是 PostgreSQL：SQLite 不支持按省分区。",
                      hint="关闭 GONGHUI_PARTITION_BY_PROVINCE，或改用 PostgreSQL（docs/deploy.md）。",
                      id="gonghui.E052")]  # fmt: skip
    try:
        if not tables_exist() or all_partitioned():
            return []
    except DatabaseError:  # the database is not reachable yet: other checks and commands say so
        return []
    return [Error("GONGHUI_PARTITION_BY_PROVINCE 已开启，但会员表尚未按省分区。",
                  hint="执行 manage.py partition_by_province 转换（docs/deploy.md“按省分区”），"
                       "或关闭 GONGHUI_PARTITION_BY_PROVINCE。",
                  id="gonghui.E053")]  # fmt: skip
