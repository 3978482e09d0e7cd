"""Roster import benchmark: an N-row xlsx roster (default 1,000,000) into PostgreSQL, end to end — parse,
normalise, validate, encrypt, de-duplicate, upsert — then the same file again, and raw COPY of the same rows
(persons and memberships, everything precomputed: the floor). A measurement, not a test (never run by CI).

    psql -h 127.0.0.1 -U root test -c 'create database gonghui_bench_rosters'
    DATABASE_URL=postgres://root@127.0.0.1:5432/gonghui_bench_rosters .venv/bin/python manage.py migrate
    .venv/bin/python bench/rosters_import.py [--rows 1000000] [--batch-size 5000]

The roster is generated once under var/bench/ (names, ID numbers and phones from gonghui/members/demo) and
reused. Every run starts from an empty registry in its own database. The django-import-export baseline
needs ``.venv/bin/pip install -r bench/requirements.txt`` (not an application dependency). Results: docs/bench.md.
"""

import argparse
import contextlib
import os
import pickle
import resource
import sys
import time
from itertools import islice
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
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

from gonghui.core.spreadsheets import read_sheets  # noqa: E402
from gonghui.members.demo.people import PeopleGenerator  # noqa: E402
from gonghui.members.models import Membership, Person  # noqa: E402
from gonghui.orgs.models import Org, OrgType, Region  # noqa: E402
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
TARGET_RPS, TARGET_RSS_MB = 50_000, 600


def peak_rss_mb() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return (own + children) / 1024


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


def our_import(path: Path, org: Org) -> tuple[float, ImportJob]:
    relative = path.relative_to(settings.VAR_DIR)
    job = ImportJob.objects.create(
        org=org,
        file_name=path.name,
        file_path=str(relative),
        kind="xlsx",
        sha256="",
        status=ImportJob.Status.COMMITTING,
    )
    start = time.perf_counter()
    job = services.import_run(job=job)
    return time.perf_counter() - start, job


def raw_copy(path: Path, org: Org, rows: int) -> float:
    """The floor: the same rows the import writes — the people and their memberships, ciphertexts, blind
    indexes, pinyin keys, ids and card numbers computed beforehand — written by COPY only, into the same
    tables with the same indexes."""
    classifier = importer.Classifier(
        ImportJob(org=org, file_path=str(path.relative_to(settings.VAR_DIR)), kind="xlsx"), create_employers=True
    )
    source = importer.source_rows(classifier.job, [], [])
    people, memberships, now, today = [], [], timezone.now(), timezone.localdate()
    for pk, row in enumerate(source, start=1):  # the ids TRUNCATE ... RESTART IDENTITY gives back
        outcome = classifier._read(row)
        outcome.bidx = importer.id_number_index(outcome.parsed.id_number)
        people.append((pk, *importer._person_row(outcome, now)))
        joined = outcome.parsed.joined_on or today
        card = outcome.parsed.card_number or f"{org.region_id[:6]}{joined.year}{pk:07d}"
        memberships.append((pk, org.pk, card, joined, "active", False, "", now))
    fresh_org()
    start = time.perf_counter()
    importer._insert(Person, ("id", *importer.PERSON_INSERT), people)
    importer._insert(Membership, importer.MEMBERSHIP_INSERT, memberships)
    connection.commit() if not connection.get_autocommit() else None
    seconds = time.perf_counter() - start
    assert len(people) == len(memberships) == rows == Membership.objects.filter(org=org).count()
    return seconds


def import_export_baseline(path: Path, org: Org, rows: int) -> float:
    """django-import-export (bench/requirements.txt) importing the first ``rows`` rows the way one would write
    it: a ModelResource for Person keyed on the ID blind index, the row read, validated and encrypted in
    ``before_import_row``, the membership created in ``after_save_instance``. Timed from reading the file."""
    import tablib
    from import_export import resources

    from gonghui.core.pinyin import name_keys
    from gonghui.core.sealed import id_number_columns, phone_columns
    from gonghui.members.services import new_card_number
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
                Membership.objects.create(person=instance, org=org, joined_on=row["joined_on"],
                                          card_number=new_card_number(org, row["joined_on"].year))  # fmt: skip

    fresh_org()
    start = time.perf_counter()
    sheet = next(read_sheets(path, "xlsx"))
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


def stage_profile(path: Path, org: Org) -> None:
    """CPU µs a row of each stage the import does per row, in one process, over the whole file: the arithmetic
    for more cores (the reading, parsing and sealing stages are per row and independent of each other)."""
    from gonghui.core.pinyin import name_keys
    from gonghui.core.sealed import id_number_columns, id_number_index, phone_columns
    from gonghui.rosters.columns import row_parse

    job = ImportJob(org=org, file_path=str(path.relative_to(settings.VAR_DIR)), kind="xlsx")
    clock, spent = time.process_time, {}
    start = clock()
    rows = list(importer.source_rows(job, [], []))
    spent["read xlsx, find header, map columns"] = clock() - start
    start, parsed = clock(), []
    for row in rows:
        with contextlib.suppress(ValidationError):
            parsed.append(row_parse(row.cells))
    spent["normalise and validate"] = clock() - start
    stages = (
        ("ID blind index (HMAC-SM3)", lambda p: id_number_index(p.id_number)),
        ("seal ID and phone (SM4-GCM, phone index, masks)",
         lambda p: (id_number_columns(p.id_number, index="-"), phone_columns(p.phone or ""))),
        ("pinyin keys", lambda p: name_keys(p.name)),
        ("pickle for the read-ahead queue", lambda p: pickle.dumps(p)),
    )  # fmt: skip
    for name, stage in stages:
        start = clock()
        for p in parsed:
            stage(p)
        spent[name] = clock() - start
    print(f"per-stage CPU, one process, {len(rows):,} rows ({len(parsed):,} valid):")
    for name, seconds in spent.items():
        print(f"  {name:<52} {seconds / len(rows) * 1e6:7.1f} µs/row")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--batch-size", type=int, default=5000)
    parser.add_argument("--baseline-rows", type=int, default=10_000)
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
    seconds, job = our_import(path, org)
    rss, ours_rps = peak_rss_mb(), args.rows / seconds
    assert Person.objects.count() == job.committed["create"] == args.rows, job.committed
    assert Membership.objects.filter(org=org).count() == args.rows
    print(
        f"import         {args.rows:>9,} rows {seconds:7.1f} s {args.rows / seconds:>9,.0f} rows/s "
        f"(target ≥ {TARGET_RPS:,})  peak RSS {rss:,.0f} MB (target ≤ {TARGET_RSS_MB})"
    )
    seconds, job = our_import(path, org)
    assert job.committed["unchanged"] == args.rows, job.committed
    print(f"repeat import  {args.rows:>9,} rows {seconds:7.1f} s {args.rows / seconds:>9,.0f} rows/s (all unchanged)")
    repeat_rps = args.rows / seconds
    seconds = raw_copy(path, org, args.rows)
    copy_rps = args.rows / seconds
    print(
        f"raw COPY       {args.rows:>9,} rows {seconds:7.1f} s {copy_rps:>9,.0f} rows/s "
        f"(the same persons and memberships, everything precomputed)"
    )
    baseline_rows = min(args.rows, args.baseline_rows)
    seconds = import_export_baseline(path, org, baseline_rows)
    baseline_rps = baseline_rows / seconds
    print(f"django-import-export {baseline_rows:>9,} rows {seconds:7.1f} s {baseline_rps:>9,.0f} rows/s")
    print(
        f"ours / django-import-export: import {ours_rps / baseline_rps:.0f}x, repeat {repeat_rps / baseline_rps:.0f}x "
        f"(goal ≈ 70x);  ours / raw COPY: {ours_rps / copy_rps:.0%} (goal ≥ 70%);  peak RSS {rss:,.0f} MB"
    )


if __name__ == "__main__":
    main()
