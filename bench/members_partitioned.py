"""Member tables plain and partitioned by province (decision 0052): the same data measured on both. A measurement,
not a test (never run by CI).

Load a database of its own with demo_data's fast path (COPY), then run the bench on it:

    psql -h 127.0.0.1 -U root postgres -c "create database gonghui_bench_part lc_collate 'C.UTF-8' \\
        lc_ctype 'C.UTF-8' template template0"
    export DATABASE_URL=postgres://root@127.0.0.1:5432/gonghui_bench_part
    nice -n 10 .venv/bin/python manage.py migrate
    nice -n 10 .venv/bin/python manage.py demo_data --members 1000000 --seed 2021 --batch-size 50000
    nice -n 10 .venv/bin/python bench/members_partitioned.py [--samples 100] [--import-rows 10000]

The bench measures on the plain tables, converts them (``partition_by_province``, timed), turns
GONGHUI_PARTITION_BY_PROVINCE on and measures the same again: an exact ID-number search as the province admin
(浙江) and as the national admin, the subtree count of a city from the kept totals, the active members of a city
counted in the province admin's scope, the governance overview of the province, and a roster import of
``--import-rows`` new members into one grassroots union of the province (a fresh set of people each time). Every
line shows p50 and p95 plain and partitioned and their ratio; the load average is printed beside each phase.
It stops with a message when the database is not a plain PostgreSQL one with the demo data, or when a search
does not find the member it looks for. Results: docs/bench.md, docs/scale.md section 4.
"""

import argparse
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DATABASE_URL", "postgres://root@127.0.0.1:5432/gonghui_bench_part")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gonghui.settings")
os.environ["DEBUG"] = "0"

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402

from gonghui.accounts.models import Grant  # noqa: E402
from gonghui.core import crypto, files  # noqa: E402
from gonghui.governance.selectors import overview  # noqa: E402
from gonghui.members import partitioning  # noqa: E402
from gonghui.members.demo.people import PeopleGenerator  # noqa: E402
from gonghui.members.models import Person  # noqa: E402
from gonghui.members.selectors import member_search  # noqa: E402
from gonghui.orgs.models import Org, OrgType  # noqa: E402
from gonghui.orgs.selectors import subtree_member_count  # noqa: E402
from gonghui.rosters import services  # noqa: E402
from gonghui.rosters.columns import HEADINGS  # noqa: E402
from gonghui.rosters.models import ImportJob  # noqa: E402

PROVINCE = "33"
RESULTS: dict[str, dict[str, list[float]]] = {}


def load() -> str:
    return "load average " + " / ".join(f"{x:.1f}" for x in os.getloadavg())


def percentile(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def timed(mode: str, name: str, fn, inputs) -> None:
    inputs = list(inputs)
    fn(inputs[-1])  # one call first: the plans and the caches of the process (the overview's figures) warm
    out = []
    for value in inputs:
        start = time.perf_counter()
        fn(value)
        out.append((time.perf_counter() - start) * 1000)
    RESULTS.setdefault(name, {})[mode] = out
    print(f"  {name}: p50 {percentile(out, 50):.1f} ms, p95 {percentile(out, 95):.1f} ms ({load()})", flush=True)


def fresh(user):
    user.__dict__.pop("_gonghui_grants", None)
    return user


def cast():
    """The national and the province admin (demo accounts), the province's cities and a grassroots union."""
    national = Grant.objects.filter(org__depth=0, role=Grant.Role.ADMIN).select_related("user").first()
    province_org = Org.objects.get(depth=1, org_type=OrgType.PROVINCE, region_id=PROVINCE)
    province = Grant.objects.filter(org=province_org, role=Grant.Role.ADMIN).select_related("user").first()
    if national is None or province is None:
        sys.exit("The database has no demo accounts: load it with demo_data (see the docstring).")
    cities = list(Org.objects.filter(parent=province_org, org_type=OrgType.CITY).order_by("path"))
    union = (
        Org.objects.filter(path__startswith=province_org.path, org_type=OrgType.GRASSROOTS, member_count__gt=50)
        .order_by("path")
        .first()
    )
    return national.user, province.user, province_org, cities, union


def id_numbers(province: int | None, n: int, rng: random.Random) -> list[str]:
    people = Person.objects.all() if province is None else Person.objects.filter(province=province)
    top = people.order_by("-id").values_list("id", flat=True).first()
    ids = [rng.randint(1, top) for _ in range(n * 3)]
    found = list(people.filter(pk__in=ids).values_list("id_number_enc", flat=True)[:n])
    return [crypto.decrypt(token) for token in found]


def roster(path: Path, rows: int, seed: int) -> str:
    """An xlsx of ``rows`` new members (stored as uploads are: encrypted at rest); returns its stored name."""
    from openpyxl import Workbook

    gen = PeopleGenerator(seed)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("花名册")
    sheet.append([HEADINGS[k] for k in ("name", "id_number", "phone")])
    for n in range(rows):
        gender = "M" if n % 2 else "F"
        number, born = gen.id_number("330106", gender, young=n % 3 == 0)
        sheet.append([gen.name(gender, born.year), number, gen.phone()])
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(path)
    relative = str(path.relative_to(settings.VAR_DIR)) + ".stored"
    with path.open("rb") as source, files.create(relative) as out:
        out.write(source.read())
    return relative


def import_rows(mode: str, union: Org, rows: int, seed: int) -> None:
    stored = roster(Path(settings.VAR_DIR) / "bench" / f"partitioned-{mode}-{rows}-{seed}.xlsx", rows, seed)
    job = ImportJob.objects.create(org=union, file_name="花名册.xlsx", file_path=stored, kind="xlsx", sha256="",
                                   status=ImportJob.Status.COMMITTING)  # fmt: skip
    start = time.perf_counter()
    job = services.import_run(job=job, workers=1)
    seconds = time.perf_counter() - start
    created = job.committed.get("create", 0)
    if job.status != ImportJob.Status.COMMITTED or created < rows * 0.99:
        sys.exit(f"the import did not finish: {job.status}, {job.committed} of {rows} rows ({job.error})")
    RESULTS.setdefault(f"import of {rows} rows", {})[mode] = [seconds * 1000]
    print(f"  import of {rows} rows: {seconds:.1f} s, {created} created, {created / seconds:.0f} rows/s ({load()})",
          flush=True)  # fmt: skip


def measure(mode: str, args, national, province, province_org, cities, union, samples) -> None:
    print(f"{mode}: ({load()})", flush=True)
    own, anywhere = samples

    def search(user):
        def run(number):
            if not list(member_search(fresh(user), q=number)[:20]):
                sys.exit(f"{mode}: the search for a member of the sample found nothing")

        return run

    timed(mode, "exact ID search, province admin", search(province), own)
    timed(mode, "exact ID search, national admin", search(national), anywhere)
    timed(mode, "subtree count of a city (kept totals)", subtree_member_count, cities * 5)
    timed(mode, "active members of a city, province scope",
          lambda city: member_search(fresh(province), org=city).count(), cities * 3)  # fmt: skip
    timed(mode, "overview of the province", lambda _: overview(fresh(province), province_org), range(20))
    # New people each time (a seed of its own per run and mode): an ID number already registered would not count.
    import_rows(mode, union, args.import_rows, seed=int(time.time()) * 2 + (mode == "partitioned"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--samples", type=int, default=100)
    parser.add_argument("--import-rows", type=int, default=10000)
    parser.add_argument("--partitioned-only", action="store_true",
                        help="measure the partitioned side again, on a database an earlier run converted")  # fmt: skip
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("The bench needs PostgreSQL (DATABASE_URL).")
    if partitioning.all_partitioned() != args.partitioned_only:
        sys.exit("The bench measures plain tables first (load a fresh database), or with --partitioned-only a "
                 "database an earlier run converted.")  # fmt: skip
    settings.GONGHUI_PARTITION_BY_PROVINCE = False
    national, province, province_org, cities, union = cast()
    rng = random.Random(2021)
    samples = (id_numbers(int(PROVINCE), args.samples, rng), id_numbers(None, args.samples, rng))
    people = Person.objects.count()
    print(f"{people} people, {Org.objects.count()} orgs; {len(cities)} cities in {province_org.name}; {load()}")

    if args.partitioned_only:
        settings.GONGHUI_PARTITION_BY_PROVINCE = True
        measure("partitioned", args, national, province, province_org, cities, union, samples)
        return
    measure("plain", args, national, province, province_org, cities, union, samples)

    print(f"converting ({load()})", flush=True)
    start = time.perf_counter()
    partitioning.convert(log=lambda message: print(f"  {time.perf_counter() - start:7.1f} s  {message}", flush=True))
    converted = time.perf_counter() - start
    print(f"conversion: {converted:.0f} s for {people} people ({load()})", flush=True)
    problems = partitioning.check()
    if problems:
        sys.exit("the conversion check failed: " + " ".join(problems))
    settings.GONGHUI_PARTITION_BY_PROVINCE = True

    measure("partitioned", args, national, province, province_org, cities, union, samples)

    print()
    print("| measurement | plain p50 / p95 | partitioned p50 / p95 | p95 ratio |")
    print("|---|---|---|---|")
    for name, modes in RESULTS.items():
        plain, part = modes["plain"], modes["partitioned"]
        ratio = percentile(part, 95) / max(percentile(plain, 95), 1e-6)
        print(f"| {name} | {percentile(plain, 50):.1f} / {percentile(plain, 95):.1f} ms | "
              f"{percentile(part, 50):.1f} / {percentile(part, 95):.1f} ms | {ratio:.2f} |")  # fmt: skip
    print(f"| conversion (both tables) | | {converted:.0f} s | |")
    print(load())


if __name__ == "__main__":
    main()
