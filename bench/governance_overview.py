"""Governance overview benchmark (issue 18, decision 0044): the overview of a node and a drill-down step read from
the rollup, printed beside the same figures counted live by a naive aggregate in the same run; the full rollup
recompute; the incremental rollup after member writes, checked equal to a full recompute. A measurement, not a
test (never run by CI or pytest). Targets (issue 18): overview and drill-down p95 ≤ 100 ms; full recompute
≤ 5 minutes; no difference between incremental and full.

It reads a database loaded by the demo loader (COPY on PostgreSQL), e.g. 1,000,000 members (docs/bench.md):

    psql -h 127.0.0.1 -U root postgres -c 'create database gonghui_bench'
    export DATABASE_URL=postgres://root@127.0.0.1:5432/gonghui_bench
    .venv/bin/python manage.py migrate
    .venv/bin/python manage.py demo_data --members 1000000 --seed 2021 --batch-size 50000
    .venv/bin/python bench/governance_overview.py --samples 100 --writes 200

The writes are a random mix through the services, each followed by the incremental rollup: joins at random
grassroots unions (``member_create``, 5 in 10), transfers between unions (2 in 10), exits (2 in 10) and roster
imports of 20 new members checked and committed by the import's services (1 in 10). They run in a transaction
that is rolled back at the end, so the database is left as it was (the full recompute's rows of this month
stay); the incremental rows are then compared with a full recompute, which must give the same.
"""

import argparse
import io
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

from django.db import transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from gonghui.accounts.models import Grant  # noqa: E402
from gonghui.core import registry  # noqa: E402
from gonghui.core.sealed import id_number_index  # noqa: E402
from gonghui.governance import rollup, selectors  # noqa: E402
from gonghui.governance.models import FigureMonth  # noqa: E402
from gonghui.governance.targets import month_of  # noqa: E402
from gonghui.members.models import Membership, Person  # noqa: E402
from gonghui.members.services import member_create, membership_end, transfer_accept, transfer_release, transfer_start  # noqa: E402
from gonghui.orgs.models import Org, OrgType  # noqa: E402
from gonghui.rosters import services as rosters  # noqa: E402
from gonghui.rosters.tests.support import HEADER, xlsx  # noqa: E402
from gonghui.testing.cast import valid_id  # noqa: E402


class Rollback(Exception):
    pass


def ms(seconds: float) -> float:
    return round(seconds * 1000, 1)


def percentiles(samples: list[float]) -> str:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]
    return f"p50 {ms(statistics.median(ordered)):>8} ms  p95 {ms(p95):>8} ms  (n={len(ordered)})"


def naive(org: Org) -> dict:
    """What the page would count without the rollup: every declared figure for the node and each child, live."""
    figures = [f for f in registry.overview_figures() if f.subtree]
    values = {f.key: f.value_under(org) for f in figures}
    for child in Org.objects.filter(parent=org).only("pk", "path"):
        values[child.pk] = {f.key: f.value_under(child) for f in figures}
    return values


def _rows(month) -> dict:
    return {(o, k): v for o, k, v in FigureMonth.objects.filter(month=month).values_list("org_id", "key", "value")}


def _active_membership(rng: random.Random, grassroots: list[int]) -> Membership:
    for _ in range(100):
        found = Membership.objects.filter(org_id=rng.choice(grassroots), status=Membership.Status.ACTIVE).first()
        if found is not None:
            return found
    sys.exit("在 100 个随机基层工会中找不到在册会员：演示数据不完整。")


def _unused_ids(first14: str, count: int) -> list[str]:
    """``count`` valid ID numbers (``first14`` and a sequence) no person of the loaded data holds: a join or an
    import of this bench adds new people (at 10,000,000 members the demo holds many of any birthday)."""
    found = []
    for sequence in range(1000):
        number = valid_id(f"{first14}{sequence:03d}")
        if not Person.objects.filter(id_number_bidx=id_number_index(number)).exists():
            found.append(number)
            if len(found) == count:
                return found
    sys.exit(f"出生日期 {first14[6:]} 的身份证号已被占满：换一个日期。")


def _join(user, rng, grassroots, n) -> None:
    org = Org.objects.get(pk=rng.choice(grassroots))
    (number,) = _unused_ids(f"1101011980{1 + n % 12:02d}{1 + n % 28:02d}", 1)
    member_create(actor=None, org=org, name=f"基准会员{n}", id_number=number, employment_form="standard")


def _transfer(user, rng, grassroots, n) -> None:
    membership = _active_membership(rng, grassroots)
    to_org = Org.objects.get(pk=rng.choice([pk for pk in grassroots[:200] if pk != membership.org_id]))
    transfer = transfer_start(actor=user, membership=membership, to_org=to_org, reason="工作调动")
    transfer_release(actor=user, transfer=transfer)
    transfer_accept(actor=user, transfer=transfer)


def _exit(user, rng, grassroots, n) -> None:
    membership_end(actor=user, membership=_active_membership(rng, grassroots), status=Membership.Status.WITHDRAWN,
                   reason="离职")  # fmt: skip


def _import(user, rng, grassroots, n) -> None:
    """A roster of 20 new members at one union, checked and committed through the import's services."""
    org = Org.objects.get(pk=rng.choice(grassroots))
    numbers = _unused_ids(f"1101011985{1 + n % 12:02d}{1 + n % 28:02d}", 20)
    rows = [[f"导入会员{n}_{k}", number, f"1380000{n % 100:02d}{k:02d}", *[""] * (len(HEADER) - 3)]
            for k, number in enumerate(numbers)]  # fmt: skip
    job = rosters.import_upload(actor=user, org=org, file=io.BytesIO(xlsx({"花名册": [HEADER, *rows]})),
                                file_name="bench.xlsx", background=False)  # fmt: skip
    job = rosters.import_check(job=job)
    if job.counts.get("create") != 20:
        sys.exit(f"花名册导入的预检没有得到 20 条新增：{job.counts}")
    rosters.import_commit(actor=user, job=job, background=False)
    rosters.import_run(job=job, actor=user)


WRITES = {"join": _join, "transfer": _transfer, "exit": _exit, "import": _import}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=100, help="nodes read (overview and drill-down)")
    parser.add_argument("--naive-samples", type=int, default=10, help="nodes counted by the naive aggregate")
    parser.add_argument("--writes", type=int, default=100, help="member joins for the incremental rollup")
    parser.add_argument("--seed", type=int, default=2021)
    args = parser.parse_args()
    rng = random.Random(args.seed)

    grant = Grant.objects.filter(org__parent__isnull=True, role=Grant.Role.ADMIN).select_related("user").first()
    if grant is None:
        sys.exit("没有全国管理员账号：请先运行 demo_data。")
    user = grant.user
    members = sum(Org.objects.filter(parent__isnull=True).values_list("subtree_member_count", flat=True))
    print(f"orgs {Org.objects.count():,}  members {members:,}")

    started = time.perf_counter()
    rows = rollup.rollup_month()
    print(f"full rollup recompute: {time.perf_counter() - started:.1f} s, {rows:,} rows")

    parents = list(Org.objects.filter(org_type__in=[OrgType.NATIONAL, OrgType.PROVINCE, OrgType.CITY,
                                                    OrgType.COUNTY]).values_list("pk", flat=True))  # fmt: skip
    nodes = [Org.objects.get(pk=pk) for pk in rng.sample(parents, min(args.samples, len(parents)))]
    overview, drill, naive_times = [], [], []
    for org in nodes:
        started = time.perf_counter()
        data = selectors.overview(user, org)
        overview.append(time.perf_counter() - started)
        if data.children:
            child = rng.choice(data.children).org
            started = time.perf_counter()
            selectors.overview(user, Org.objects.get(pk=child.pk))
            drill.append(time.perf_counter() - started)
    for org in nodes[: args.naive_samples]:
        started = time.perf_counter()
        naive(org)
        naive_times.append(time.perf_counter() - started)
    print(f"overview of a node (rollup)      {percentiles(overview)}")
    print(f"drill-down step (rollup)         {percentiles(drill)}")
    print(f"same figures, naive aggregate    {percentiles(naive_times)}")

    grassroots = list(Org.objects.filter(org_type=OrgType.GRASSROOTS, status=Org.Status.ACTIVE)
                      .values_list("pk", flat=True)[:50000])  # fmt: skip
    month = month_of(timezone.localdate())
    try:
        with transaction.atomic():
            applied: dict[str, list[float]] = {"join": [], "transfer": [], "exit": [], "import": []}
            for n in range(args.writes):
                op = rng.choices(list(applied), weights=(5, 2, 2, 1))[0]
                WRITES[op](user, rng, grassroots, n)
                started = time.perf_counter()
                rollup.apply_dirty()
                applied[op].append(time.perf_counter() - started)
            for op, times in applied.items():
                print(f"incremental rollup after {op:<8} {percentiles(times) if times else '(none drawn)'}")
            incremental = _rows(month)
            rollup.rollup_month()
            full = _rows(month)
            differences = {key for key in incremental.keys() | full.keys() if incremental.get(key) != full.get(key)}
            print(f"incremental vs full recompute: {len(differences)} differences")
            for pair in sorted(differences)[:10]:
                print(f"  org {pair[0]} {pair[1]}: incremental {incremental.get(pair)}, full {full.get(pair)}")
            raise Rollback
    except Rollback:
        pass


if __name__ == "__main__":
    main()
