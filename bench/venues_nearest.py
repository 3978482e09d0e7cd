"""Nearest-station benchmark: the 20 nearest of 200,000 stations, p95 against a full scan in the same run.
A measurement, not a test (never run by CI or pytest). Target: p95 ≤ 20 ms (issue 13).

It loads its own stations into the database it is given (and removes them again with --clean):

    psql -h 127.0.0.1 -U root postgres -c 'create database gonghui_bench_venues'
    DATABASE_URL=postgres://root@127.0.0.1:5432/gonghui_bench_venues .venv/bin/python bench/venues_nearest.py
    GONGHUI_VAR_DIR=/tmp/bench-venues .venv/bin/python bench/venues_nearest.py      # SQLite

The stations are spread like real ones: 90% around 40 city centres (a normal spread of 12 km), 10% anywhere
in the mainland's box. Positions asked from: 80% in a city (within ~10 km of its centre), 20% anywhere. The
indexed search is ``gonghui.venues.selectors.nearest`` (a box on the (lat, lng) index, widened until it
holds 20); the full scan reads every station's position and keeps the 20 nearest. Each answer of the
indexed search is checked against the full scan for the samples both ran. Results: docs/bench.md.
"""

import argparse
import heapq
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gonghui.settings")
os.environ["DEBUG"] = "0"

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from gonghui.orgs.models import Org, OrgType, Region  # noqa: E402
from gonghui.orgs.services import org_create  # noqa: E402
from gonghui.venues import geo  # noqa: E402
from gonghui.venues.demo import CITIES  # noqa: E402
from gonghui.venues.models import Kind, Venue  # noqa: E402
from gonghui.venues.selectors import nearest  # noqa: E402

PREFIX = "基准驿站"
EXTRA_CITIES = (  # 25 more centres (GCJ-02, rounded) to make 40
    (28.2282, 112.9388), (26.0745, 119.2965), (24.4798, 118.0894), (25.0406, 102.7123), (26.6470, 106.6302),
    (22.8170, 108.3665), (20.0442, 110.1999), (28.6820, 115.8579), (31.8206, 117.2272), (34.7466, 113.6253),
    (38.0428, 114.5149), (37.8706, 112.5489), (36.0611, 103.8343), (36.6171, 101.7782), (38.4872, 106.2309),
    (43.8256, 87.6168), (40.8426, 111.7497), (41.8057, 123.4315), (38.9140, 121.6147), (43.8171, 125.3235),
    (45.8038, 126.5350), (39.3434, 117.3616), (29.6500, 91.1000), (22.2783, 114.1747), (32.3942, 119.4129),
)  # fmt: skip
CENTRES = [(lat, lng) for _, _, lat, lng in CITIES] + list(EXTRA_CITIES)


def host() -> Org:
    org = Org.objects.order_by("depth", "pk").first()
    if org is None:
        org = org_create(actor=None, parent=None, name="基准测试总工会", org_type=OrgType.NATIONAL,
                         region=Region.objects.get(code="11"))  # fmt: skip
    return org


def load(n: int, seed: int) -> None:
    Venue.objects.filter(name__startswith=PREFIX).delete()
    rng, org, batch = random.Random(seed), host(), []
    for i in range(n):
        if rng.random() < 0.9:
            lat, lng = rng.choice(CENTRES)
            lat, lng = lat + rng.gauss(0, 12 / 111.2), lng + rng.gauss(0, 12 / 96.0)
        else:
            lat, lng = rng.uniform(21, 50), rng.uniform(80, 132)
        batch.append(Venue(org=org, kind=Kind.STATION, name=f"{PREFIX}{i}", address="—", lat=lat, lng=lng,
                           all_day=True, facilities=rng.randrange(64)))  # fmt: skip
        if len(batch) == 10_000:
            Venue.objects.bulk_create(batch)
            batch = []
    Venue.objects.bulk_create(batch)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE venues_venue")


def full_scan(lat: float, lng: float, k: int) -> list[int]:
    rows = Venue.objects.filter(is_active=True).values_list("pk", "lat", "lng").iterator(chunk_size=20_000)
    best = heapq.nsmallest(k, ((geo.distance_m(lat, lng, a, b), pk) for pk, a, b in rows if a is not None))
    return [pk for _, pk in best]


def asked(rng: random.Random) -> tuple[float, float]:
    if rng.random() < 0.8:
        lat, lng = rng.choice(CENTRES)
        return lat + rng.uniform(-0.09, 0.09), lng + rng.uniform(-0.1, 0.1)
    return rng.uniform(21, 50), rng.uniform(80, 132)


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stations", type=int, default=200_000)
    parser.add_argument("--samples", type=int, default=500)
    parser.add_argument("--scans", type=int, default=30, help="full-scan samples (each reads every station)")
    parser.add_argument("--seed", type=int, default=2021)
    parser.add_argument("--reuse", action="store_true", help="keep the stations already loaded")
    parser.add_argument("--clean", action="store_true", help="remove the bench stations and stop")
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    if args.clean:
        print(Venue.objects.filter(name__startswith=PREFIX).delete()[0], "rows removed")
        return
    if not args.reuse or not Venue.objects.filter(name__startswith=PREFIX).exists():
        started = time.perf_counter()
        load(args.stations, args.seed)
        print(f"loaded {args.stations:,} stations in {time.perf_counter() - started:.1f} s")
    total = Venue.objects.count()
    rng = random.Random(args.seed + 1)
    points = [asked(rng) for _ in range(args.samples)]
    for lat, lng in points[:20]:  # warm the caches
        nearest(lat=lat, lng=lng, limit=20)
    indexed, in_sql, answers = [], [], {}
    for i, (lat, lng) in enumerate(points):
        spent = [0.0]

        def timed(execute, sql, params, many, context, spent=spent):
            t = time.perf_counter()
            try:
                return execute(sql, params, many, context)
            finally:
                spent[0] += time.perf_counter() - t

        with connection.execute_wrapper(timed):
            t = time.perf_counter()
            found = nearest(lat=lat, lng=lng, limit=20)
            indexed.append((time.perf_counter() - t) * 1000)
        in_sql.append(spent[0] * 1000)
        answers[i] = [n.venue.pk for n in found]
    scans, wrong = [], 0
    for i in range(min(args.scans, len(points))):
        t = time.perf_counter()
        expected = full_scan(*points[i], 20)
        scans.append((time.perf_counter() - t) * 1000)
        # the indexed search stops at the policy's widest radius (50 km): compare within it
        lat, lng = points[i]
        within = [
            pk
            for pk in expected
            if geo.distance_m(lat, lng, *Venue.objects.values_list("lat", "lng").get(pk=pk)) <= 50_000
        ]
        wrong += answers[i] != within
    print(
        f"database: {connection.vendor}, {total:,} venues; {len(indexed)} indexed searches, {len(scans)} full scans;"
        f" load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs"
    )
    print(
        f"indexed 20 nearest: p50 {pct(indexed, 50):.2f} ms, p95 {pct(indexed, 95):.2f} ms, max {max(indexed):.2f} ms"
        f" (target p95 ≤ 20 ms: {'met' if pct(indexed, 95) <= 20 else 'NOT met'})"
    )
    print(f"  of which executing the queries: p50 {pct(in_sql, 50):.2f} ms, p95 {pct(in_sql, 95):.2f} ms")
    print(
        f"full scan:          p50 {pct(scans, 50):.2f} ms, p95 {pct(scans, 95):.2f} ms, "
        f"mean {statistics.mean(scans):.2f} ms"
    )
    print(f"answers differing from the full scan: {wrong} of {len(scans)}")
    if wrong:
        sys.exit(1)


if __name__ == "__main__":
    main()
