"""Roster import benchmark: an N-row xlsx roster (default 1,000,000) into PostgreSQL, end to end — parse,
normalise, validate, encrypt, de-duplicate, upsert — with 1 and 2 worker processes (``--workers``, decision 0047),
each followed by the same file again (the repeat import: unchanged rows skipped by their digest); then raw COPY
of the same rows (persons and memberships, everything precomputed: the floor), django-import-export on
``--baseline-rows`` rows (default: all of them), and the per-stage CPU profile. A measurement, not a test
(never run by CI).

    psql -h 127.0.0.1 -U root postgres -c 'create database pimport_bench_rosters'
    DATABASE_URL=postgres://root@127.0.0.1:5432/pimport_bench_rosters .venv/bin/python manage.py migrate
    .venv/bin/pip install --target var/benchdeps -r bench/requirements.txt   # django-import-export, tablib
    BENCH_DATABASE_URL=postgres://root@127.0.0.1:5432/pimport_bench_rosters \
        .venv/bin/python bench/rosters_import.py [--rows 1000000] [--workers 1 2] [--baseline-rows N]

The roster is generated once under var/bench/ (names, ID numbers and phones from gonghui/members/demo) and
reused. Every import starts from an empty registry in its own database. Memory is the peak over the import of
the sum of the resident set (and of the proportional set size, which counts pages shared by the forked
processes once) of the bench process and all its children, sampled from /proc every 0.1 s; CPU is split
between the importing process, its children (reader, workers) and the PostgreSQL backend of the connection.
It stops with a message when it cannot measure one of these. Results: docs/bench.md.
"""

import argparse
import contextlib
import os
import pickle
import resource
import sys
import threading
import time
from dataclasses import dataclass
from itertools import islice
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
# django-import-export from var/benchdeps, after the virtualenv: its own copy of Django there never shadows ours.
sys.path.append(str(Path(__file__).resolve().parent.parent / "var" / "benchdeps"))
# Its own database, whatever DATABASE_URL says: the bench truncates the member tables and the audit log.
os.environ["DATABASE_URL"] = os.environ.get(
    "BENCH_DATABASE_URL", "postgres://root@127.0.0.1:5432/gonghui_bench_rosters"
)
if not os.environ["DATABASE_URL"].rstrip("/").endswith("_bench_rosters"):
    sys.exit("BENCH_DATABASE_URL must name a database ending in _bench_rosters: the bench empties its tables.")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gonghui.settings")
os.environ["DEBUG"] = "0"

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.exceptions import ValidationError  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

from gonghui.core import files  # noqa: E402
from gonghui.core.spreadsheets import read_sheets  # noqa: E402
from gonghui.members.demo.people import PeopleGenerator  # noqa: E402
from gonghui.members.models import Membership, Person  # noqa: E402
from gonghui.orgs.models import Org, OrgType, Region  # noqa: E402
from gonghui.orgs.provinces import province_of  # noqa: E402
from gonghui.orgs.services import org_create  # noqa: E402
from gonghui.rosters import importer, services  # noqa: E402
from gonghui.rosters.models import ImportJob  # noqa: E402

HEADER = ["姓名", "身份证号", "手机号", "民族", "学历", "就业形态", "农民工", "工作单位", "岗位", "入会日期",
          "会员证号"]  # fmt: skip
EDUCATION = ["初中", "高中", "大专", "本科", "硕士"]
FORMS = ["全日制用工", "劳务派遣", "外卖配送员", "快递员", "网约车司机"]
CHAIN = (
    ("中华全国总工会", OrgType.NATIONAL, "11"),
    ("浙江省总工会", OrgType.PROVINCE, "33"),
    ("杭州市总工会", OrgType.CITY, "3301"),
    ("杭州市西湖区总工会", OrgType.COUNTY, "330106"),
    ("基准测试工会", OrgType.GRASSROOTS, "330106"),
)
TARGET_COPY_SHARE, TARGET_REPEAT, TARGET_MB = 0.70, 3.0, 600


class Memory:
    """Peak, over a measurement, of the sum of RSS and of PSS of this process and all its descendants (the
    reading and worker processes), sampled from /proc every ``interval`` seconds in a thread."""

    def __init__(self, interval: float = 0.1):
        self.interval, self.rss, self.pss = interval, 0, 0
        self._sample()  # fails here, loudly, where /proc is not readable
        if not self.rss or not self.pss:
            sys.exit("cannot read the resident and proportional set sizes from /proc/<pid>/smaps_rollup")

    def __enter__(self):
        self.rss = self.pss = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            self._sample()

    def _sample(self) -> None:
        parents: dict[int, list[int]] = {}
        for entry in os.scandir("/proc"):
            if entry.name.isdigit():
                with contextlib.suppress(OSError, IndexError, ValueError):
                    stat = Path(entry.path, "stat").read_text()
                    parents.setdefault(int(stat.rpartition(")")[2].split()[1]), []).append(int(entry.name))
        tree, rss, pss = [os.getpid()], 0, 0
        while tree:
            pid = tree.pop()
            tree += parents.get(pid, [])
            with contextlib.suppress(OSError):
                fields = dict(
                    line.split(":", 1) for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()[1:]
                )
                rss += int(fields["Rss"].split()[0]) * 1024
                pss += int(fields["Pss"].split()[0]) * 1024
        self.rss, self.pss = max(self.rss, rss), max(self.pss, pss)


def cpu_seconds() -> tuple[float, float, float]:
    """CPU seconds so far of this process, of its finished children and of this connection's PostgreSQL backend."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        backend = cursor.fetchone()[0]
    try:
        fields = Path(f"/proc/{backend}/stat").read_text().rpartition(")")[2].split()
    except OSError:
        sys.exit(f"cannot read the CPU time of the PostgreSQL backend {backend}: the database must be local")
    server = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return own.ru_utime + own.ru_stime, children.ru_utime + children.ru_stime, server


@dataclass
class Run:
    seconds: float
    job: ImportJob
    cpu: tuple[float, float, float]  # importing process, its children, PostgreSQL backend
    rss: int
    pss: int


def make_roster(path: Path, rows: int) -> None:
    from openpyxl import Workbook

    gen = PeopleGenerator(2021)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("花名册")
    sheet.append(["杭州示例科技有限公司工会会员花名册"])
    sheet.append(HEADER)
    for n in range(rows):
        gender = "M" if n % 2 else "F"
        number, born = gen.id_number("330106", gender, young=n % 3 == 0)
        gen.next_person_id += 1
        sheet.append(
            [
                gen.name(gender, born.year),
                number,
                gen.phone(),
                "汉族",
                EDUCATION[n % 5],
                FORMS[n % 5],
                "是" if n % 4 == 0 else "否",
                "杭州示例科技有限公司",
                "操作工",
                f"{2000 + n % 24}-07-16",
                "",
            ]
        )
    workbook.save(path)


def stored(path: Path) -> str:
    """The roster as an upload is stored (core.files: encrypted at rest), made once beside it; the import reads
    it decrypting as it streams, as it reads every upload."""
    relative = str(path.relative_to(settings.VAR_DIR)) + ".stored"
    if not files.exists(relative):
        with path.open("rb") as source, files.create(relative) as out:
            while chunk := source.read(2**20):
                out.write(chunk)
    return relative


def fresh_org() -> Org:
    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE members_membership, members_person, rosters_importissue, rosters_importjob, "
            "core_exportjob, core_auditevent RESTART IDENTITY CASCADE"
        )
    org = Org.objects.filter(name="基准测试工会").first()
    if org is None:
        parent = None
        for name, org_type, code in CHAIN:
            parent = Org.objects.filter(name=name).first() or org_create(
                actor=None, parent=parent, name=name, org_type=org_type, region=Region.objects.get(code=code)
            )
        org = parent
    Org.objects.filter(pk=org.pk).update(member_count=0)
    return org


def our_import(path: Path, org: Org, rows: int, workers: int, memory: Memory) -> Run:
    job = ImportJob.objects.create(
        org=org,
        file_name=path.name,
        file_path=stored(path),
        kind="xlsx",
        sha256="",
        status=ImportJob.Status.COMMITTING,
        rows_total=rows,  # as the check before it counts them: a large import refreshes the planner statistics
    )
    before = cpu_seconds()
    with memory:
        start = time.perf_counter()
        job = services.import_run(job=job, workers=workers)
        seconds = time.perf_counter() - start
    cpu = tuple(after - then for after, then in zip(cpu_seconds(), before, strict=True))
    return Run(seconds, job, cpu, memory.rss, memory.pss)


def raw_copy(path: Path, org: Org, rows: int) -> tuple[float, tuple[float, float, float]]:
    """The floor: the same rows the import writes — the people and their memberships, ciphertexts, blind
    indexes, pinyin keys, ids, card numbers and row digests computed beforehand — written by COPY only, into the
    same tables with the same indexes."""
    classifier = importer.Classifier(ImportJob(org=org, file_path=stored(path), kind="xlsx"), create_employers=True)
    source = importer.source_rows(classifier.job, [], [])
    people, memberships, now, today = [], [], timezone.now(), timezone.localdate()
    province = province_of(org)
    for pk, row in enumerate(source, start=1):  # the ids TRUNCATE ... RESTART IDENTITY gives back
        outcome = classifier._read(importer.row_prepare(row))
        outcome.bidx = row.bidx
        people.append((pk, *importer._person_row(outcome, now), province))
        joined = outcome.parsed.joined_on or today
        card = outcome.parsed.card_number or f"{org.region_id[:6]}{joined.year}{pk:07d}"
        memberships.append((pk, org.pk, card, joined, "active", False, "", now, row.digest, 1, province))
    fresh_org()
    before = cpu_seconds()
    start = time.perf_counter()
    importer._insert(Person, ("id", *importer.PERSON_INSERT), people)
    importer._insert(Membership, importer.MEMBERSHIP_INSERT, memberships)
    connection.commit() if not connection.get_autocommit() else None
    seconds = time.perf_counter() - start
    cpu = tuple(after - then for after, then in zip(cpu_seconds(), before, strict=True))
    assert len(people) == len(memberships) == rows == Membership.objects.filter(org=org).count()
    return seconds, cpu


def import_export_baseline(path: Path, org: Org, rows: int) -> float:
    """django-import-export (bench/requirements.txt) importing the first ``rows`` rows the way one would write
    it: a ModelResource for Person keyed on the ID blind index, the row read, validated and encrypted in
    ``before_import_row``, the membership created in ``after_save_instance``. Timed from reading the file."""
    import tablib
    from import_export import resources

    from gonghui.core.pinyin import name_keys
    from gonghui.core.sealed import id_number_columns, phone_columns
    from gonghui.rosters.columns import row_parse

    class PersonResource(resources.ModelResource):
        class Meta:
            model = Person
            import_id_fields = ("id_number_bidx",)
            fields = ("name", "name_pinyin", "name_initials", "gender", "ethnicity", "birth_date", "id_number_enc",
                      "id_number_bidx", "id_number_masked", "phone_enc", "phone_bidx", "phone_masked", "education",
                      "employment_form", "is_migrant", "job_title")  # fmt: skip

        def before_import_row(self, row, **kwargs):
            parsed = row_parse({key: row[heading] for key, heading in importer.HEADINGS.items() if heading in row})
            row["name"], (row["name_pinyin"], row["name_initials"]) = parsed.name, name_keys(parsed.name)
            row["gender"], row["birth_date"], row["ethnicity"] = parsed.gender, parsed.birth_date, parsed.ethnicity
            row["id_number_enc"], row["id_number_bidx"], row["id_number_masked"] = id_number_columns(parsed.id_number)
            row["phone_enc"], row["phone_bidx"], row["phone_masked"] = phone_columns(parsed.phone)
            row["education"] = parsed.education
            row["employment_form"], row["is_migrant"] = parsed.employment_form, parsed.is_migrant
            row["job_title"], row["joined_on"] = parsed.job_title, parsed.joined_on

        def after_save_instance(self, instance, row, **kwargs):
            if not kwargs.get("dry_run"):
                card = f"{org.region_id[:6]}{row['joined_on'].year}{instance.pk:07d}"  # unique, as raw COPY's
                Membership.objects.create(person=instance, org=org, joined_on=row["joined_on"], card_number=card)

    fresh_org()
    start = time.perf_counter()
    sheet = next(read_sheets(files.open_private(stored(path)), "xlsx"))
    next(sheet.rows)  # the title row
    header = [str(h) for h in next(sheet.rows)]
    extra = [f for f in PersonResource._meta.fields if f not in header]  # filled in before_import_row
    dataset = tablib.Dataset(headers=[*header, *extra, "joined_on"])
    for row in islice(sheet.rows, rows):
        dataset.append([*row, *[""] * (len(extra) + 1)])
    result = PersonResource().import_data(dataset, dry_run=False, raise_errors=True)
    seconds = time.perf_counter() - start
    assert not result.has_errors() and Membership.objects.filter(org=org).count() == rows
    return seconds


STAGE_ROWS = 200_000  # the stage profile holds its rows in memory: the first ones of a larger file


def stage_profile(path: Path, org: Org) -> dict[str, float]:
    """CPU µs a row of each stage the import does per row, in one process, over (up to ``STAGE_ROWS`` of) the
    file: the arithmetic
    for more cores (reading is one process; the stages after it run in the workers, per row and independent)."""
    from gonghui.core.pinyin import name_keys
    from gonghui.core.sealed import id_number_columns, id_number_index, phone_columns
    from gonghui.rosters.columns import id_number_cell, row_parse

    job = ImportJob(org=org, file_path=stored(path), kind="xlsx")
    clock, spent = time.process_time, {}
    start = clock()
    rows = list(islice(importer.source_rows(job, [], []), STAGE_ROWS))
    spent["reader: read xlsx, find header, map columns"] = clock() - start
    start = clock()
    for chunk in importer.batches(iter(rows), importer.CHUNK_ROWS):
        pickle.loads(pickle.dumps([(r.position, r.sheet, r.row_number, r.cells) for r in chunk]))
    spent["reader → worker: pickle the cells (both ends)"] = clock() - start
    start, parsed = clock(), []
    for row in rows:
        with contextlib.suppress(ValidationError):
            parsed.append(row_parse(row.cells))
    spent["worker: normalise and validate (row_parse)"] = clock() - start
    stages = (
        ("worker: ID blind index (HMAC-SM3)", lambda p: id_number_index(p.id_number)),
        ("worker: seal ID and phone (SM4-GCM, phone index, masks)",
         lambda p: (id_number_columns(p.id_number, index="-"), phone_columns(p.phone or ""))),
        ("worker: pinyin keys", lambda p: name_keys(p.name)),
    )  # fmt: skip
    for name, stage in stages:
        start = clock()
        for p in parsed:
            stage(p)
        spent[name] = clock() - start
    start = clock()
    for row in rows:
        importer.row_digest(row.cells)
    spent["worker: row digest (HMAC-SM3 of the cells)"] = clock() - start
    start = clock()
    for row in rows:
        id_number_index(id_number_cell(row.cells.get("id_number")).number)
    spent["worker, repeat: a known row's ID only (parse, index)"] = clock() - start
    prepared = [importer.row_prepare(row) for row in rows[:50_000]]
    start = clock()
    for chunk in importer.batches(iter(prepared), importer.CHUNK_ROWS):
        [importer._unpack(t) for t in pickle.loads(pickle.dumps([importer._pack(r) for r in chunk]))]
    spent["worker → importer: pack and pickle a prepared row (both ends)"] = (
        (clock() - start) * len(rows) / len(prepared)
    )
    spent["importer: COPY rows formatted by write_row (person + membership)"] = (
        copy_formatting(job, prepared) * len(rows) / len(prepared)
    )
    print(f"per-stage CPU, one process, {len(rows):,} rows ({len(parsed):,} valid):")
    for name, seconds in spent.items():
        print(f"  {name:<66} {seconds / len(rows) * 1e6:7.1f} µs/row")
    return {name: seconds / len(rows) * 1e6 for name, seconds in spent.items()}


def copy_formatting(job: ImportJob, prepared: list) -> float:
    """CPU seconds the importing process spends handing the new persons and memberships of ``prepared`` rows to
    COPY (psycopg's ``write_row``: the formatting that building the COPY text in the workers would move), into
    temporary tables without indexes or constraints: the server's side is not in this process's CPU time."""
    classifier, now = importer.Classifier(job, create_employers=False), timezone.now()
    outcomes = [o for o in map(classifier._read, prepared) if o.kind == "pending"]
    for o in outcomes:
        o.bidx = o.row.bidx
    province = province_of(job.org)
    people = [(pk, *importer._person_row(o, now), province) for pk, o in enumerate(outcomes, start=1)]
    memberships = [(pk, job.org_id, f"{pk:017d}", o.parsed.joined_on or now.date(), "active", False, "", now,
                    o.row.digest, 1, province) for pk, o in enumerate(outcomes, start=1)]  # fmt: skip
    spent = 0.0
    with connection.cursor() as cursor:
        for model, columns, rows in ((Person, ("id", *importer.PERSON_INSERT), people),
                                     (Membership, importer.MEMBERSHIP_INSERT, memberships)):  # fmt: skip
            cursor.execute(f"CREATE TEMP TABLE bench_copy AS SELECT * FROM {model._meta.db_table} WITH NO DATA")
            start = time.process_time()
            with cursor.cursor.copy(f"COPY bench_copy ({', '.join(columns)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            spent += time.process_time() - start
            cursor.execute("DROP TABLE bench_copy")
    if not people:
        sys.exit("no valid rows to measure the COPY formatting with")
    return spent * len(prepared) / len(people)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--batch-size", type=int, default=5000)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2], help="worker processes, one run each")
    parser.add_argument("--baseline-rows", type=int, help="django-import-export's rows (default --rows; 0: not run)")
    parser.add_argument("--stages", action="store_true", help="only the per-stage µs/row profile")
    args = parser.parse_args()
    settings.GONGHUI_ROSTERS = {"batch_size": args.batch_size}
    path = Path(settings.VAR_DIR) / "bench" / f"roster-{args.rows}.xlsx"
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        start = time.perf_counter()
        make_roster(path, args.rows)
        print(f"generated {path.name} ({path.stat().st_size / 2**20:.0f} MB) in {time.perf_counter() - start:.0f} s")
    org = fresh_org()
    if args.stages:
        stage_profile(path, org)
        return
    baseline_rows = args.rows if args.baseline_rows is None else args.baseline_rows
    if baseline_rows:
        try:
            import import_export  # noqa: F401
        except ImportError:
            sys.exit("django-import-export is not installed (see the docstring), or pass --baseline-rows 0")
    memory, n = Memory(), args.rows
    print(f"{n:,} rows, batches of {args.batch_size:,}; load average {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    print(f"{'':<22}{'seconds':>9}{'rows/s':>9}  CPU µs/row: importer + children + PostgreSQL   peak RSS / PSS")
    runs = {}
    for workers in args.workers:
        fresh_org()
        first = our_import(path, org, n, workers, memory)
        assert Person.objects.count() == first.job.committed["create"] == n, first.job.committed
        assert Membership.objects.filter(org=org).count() == n
        repeat = our_import(path, org, n, workers, memory)
        assert repeat.job.committed["unchanged"] == n, repeat.job.committed
        runs[workers] = first, repeat
        for label, run in ((f"import, {workers} worker(s)", first), ("  repeat (unchanged)", repeat)):
            cpu = "  + ".join(f"{seconds / n * 1e6:6.1f}" for seconds in run.cpu)
            print(f"{label:<22}{run.seconds:9.1f}{n / run.seconds:9,.0f}  {cpu:<38}"
                  f"{run.rss / 2**20:6,.0f} / {run.pss / 2**20:,.0f} MB")  # fmt: skip
    copy_seconds, copy_cpu = raw_copy(path, org, n)
    cpu = "  + ".join(f"{seconds / n * 1e6:6.1f}" for seconds in copy_cpu)
    print(f"{'raw COPY':<22}{copy_seconds:9.1f}{n / copy_seconds:9,.0f}  {cpu:<38}"
          "(the same persons and memberships, precomputed)")  # fmt: skip
    baseline_rps = None
    if baseline_rows:
        seconds = import_export_baseline(path, org, baseline_rows)
        baseline_rps = baseline_rows / seconds
        print(f"{'django-import-export':<22}{seconds:9.1f}{baseline_rps:9,.0f}  ({baseline_rows:,} rows)")
    stage_profile(path, org)
    print(f"load average {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    for workers, (first, repeat) in runs.items():
        rps = n / first.seconds
        versus = f"{rps / baseline_rps:.1f}x django-import-export" if baseline_rps else "django-import-export not run"
        print(f"{workers} worker(s): first import {rps / (n / copy_seconds):.0%} of raw COPY (goal ≥ "
              f"{TARGET_COPY_SHARE:.0%}), {versus}; repeat {first.seconds / repeat.seconds:.1f}x the first "
              f"(goal ≥ {TARGET_REPEAT:.0f}x); peak PSS {max(first.pss, repeat.pss) / 2**20:,.0f} MB "
              f"(goal ≤ {TARGET_MB})")  # fmt: skip


if __name__ == "__main__":
    main()
