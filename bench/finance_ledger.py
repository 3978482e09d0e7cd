"""Union finance benchmark: posting collections of the 2% funds with their split at every level through the
batch service (beside the same collections posted one by one), and the consolidated 工会01 of a province
beside a naive aggregate, in the same run. A measurement, not a test.

Into a database of its own (the test database is untouched):

    export DATABASE_URL=postgres://root@127.0.0.1:5432/gonghui_bench_fin
    .venv/bin/python manage.py migrate
    .venv/bin/python bench/finance_ledger.py [--unions 4000] [--collections 1000000] [--batch 1000]

It builds a province (11 cities, 44 counties, grassroots unions with their employers) if the database has
none; posts ``--one-by-one`` collections through ``collection_register`` (each: a declaration when the month is
new, then the money split between five levels: five entries, eleven lines, two audit events) as the baseline,
then ``--collections`` through ``collections_post_batch`` (one transaction and one audit event per batch),
printing the rate and the queries per batch (both now keep the monthly balances, decision 0051); then times
the province's consolidated balance sheet three ways in the same run — from the monthly balances (what the
report reads), the same report over the lines (what it read before 0051), and a naive one (each union's lines
fetched and added up in Python), after ANALYZE of the tables they read — and stops with an error unless all
three give the same figures; then times ``finance_balances``' check of every balance against the lines. Each
figure is printed with the load average.
A second run adds to the same province. Results: docs/bench.md.
"""

import argparse
import datetime as dt
import os
import sys
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DATABASE_URL", "postgres://root@127.0.0.1:5432/gonghui_bench_fin")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gonghui.settings")
os.environ["DEBUG"] = "0"

import django  # noqa: E402

django.setup()

from dateutil.relativedelta import relativedelta  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from gonghui.finance import chart, reports, services  # noqa: E402
from gonghui.finance.models import Balance, Collection, Line  # noqa: E402
from gonghui.members.models import Employer  # noqa: E402
from gonghui.orgs.models import Org, OrgType, Region  # noqa: E402
from gonghui.orgs.services import org_create  # noqa: E402

SHARES = {"grassroots": 6000, "county": 1000, "city": 1000, "province": 1500, "national": 500}
YEAR = 2026
FIRST, LAST, PARTS = dt.date(2022, 1, 1), dt.date(2026, 10, 1), 5


def build(unions: int) -> Org:
    """全总 → 浙江 → 11 cities → 4 counties each → grassroots unions, each with its employer."""
    region = Region.objects.get(code="33")
    national = org_create(actor=None, parent=None, name="中华全国总工会（基准）", org_type=OrgType.NATIONAL,
                          region=Region.objects.get(code="11"))  # fmt: skip
    province = org_create(actor=None, parent=national, name="浙江省总工会（基准）", org_type=OrgType.PROVINCE,
                          region=region)  # fmt: skip
    counties = []
    for c in range(11):
        city = org_create(actor=None, parent=province, name=f"第{c + 1}市总工会", org_type=OrgType.CITY, region=region)
        counties += [org_create(actor=None, parent=city, name=f"第{c + 1}市第{k + 1}县总工会",
                                org_type=OrgType.COUNTY, region=region) for k in range(4)]  # fmt: skip
    for n in range(unions):
        employer = Employer.objects.create(name=f"基准企业{n + 1}")
        org_create(actor=None, parent=counties[n % len(counties)], name=f"基准企业{n + 1}工会",
                   org_type=OrgType.GRASSROOTS, region=region, employer=employer)  # fmt: skip
    services.rule_set(actor=None, province=province, effective_from=FIRST, shares=SHARES)
    return province


def post(province: Org, collections: int, batch: int, one_by_one: int) -> None:
    """``one_by_one`` collections through ``collection_register`` (the baseline), then ``collections`` through the
    batch service, ``batch`` a transaction; each union's employer pays each month's 2% in five instalments (a
    tax-bureau statement's rows), months from 2022 on, so a million collections fit 4,000 unions."""
    unions = list(Org.objects.filter(path__startswith=province.path, org_type=OrgType.GRASSROOTS)
                  .select_related("employer").order_by("pk"))  # fmt: skip
    done = Collection.objects.filter(org__path__startswith=province.path).count()

    def item(i: int) -> services.CollectionIn:
        union = unions[(i // PARTS) % len(unions)]
        month = FIRST + relativedelta(months=i // PARTS // len(unions))
        if month > LAST:
            raise SystemExit(f"{i} collections need more unions than {len(unions)} (months up to {LAST:%Y-%m})")
        payroll = 10_000_000 + (i // PARTS) * 37
        return services.CollectionIn(employer=union.employer, org=union, month=month, payroll_fen=payroll,
                                     amount_fen=payroll * 2 // 100 // PARTS, route="tax" if i % 3 == 0 else "direct",
                                     received_on=month + dt.timedelta(days=40))  # fmt: skip

    started = time.perf_counter()
    for i in range(done, done + one_by_one):
        x = item(i)
        services.collection_register(actor=None, org=x.org, month=x.month, payroll_fen=x.payroll_fen,
                                     amount_fen=x.amount_fen, received_on=x.received_on, route=x.route)  # fmt: skip
    seconds = time.perf_counter() - started
    if one_by_one:
        print(f"one by one (collection_register): {one_by_one} collections in {seconds:.1f} s: "
              f"{one_by_one / seconds:.1f} collections/s; {load()}")  # fmt: skip
    done += one_by_one
    queries = []
    started = time.perf_counter()
    for start in range(done, done + collections, batch):
        items = [item(i) for i in range(start, min(start + batch, done + collections))]
        reset_queries()  # the log keeps 9,000 queries: once full, a capture would count nothing
        with CaptureQueriesContext(connection) as captured:
            services.collections_post_batch(actor=None, org=province, items=items)
        queries.append(len(captured))
        if len(queries) % 20 == 0:
            seconds = time.perf_counter() - started
            print(f"  {start + len(items) - done} collections in {seconds:.0f} s "
                  f"({(start + len(items) - done) / seconds:.0f}/s); {load()}", flush=True)  # fmt: skip
    seconds = time.perf_counter() - started
    if collections:
        print(f"batch (collections_post_batch, {batch} a batch): {collections} collections in {seconds:.1f} s: "
              f"{collections / seconds:.0f} collections/s; queries per batch: median "
              f"{sorted(queries)[len(queries) // 2]}, max {max(queries)}; {load()}")  # fmt: skip


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.1f} {five:.1f} {fifteen:.1f}"


def naive(province: Org, month: dt.date) -> dict[str, int]:
    """Every union's lines up to the month (every committed line is posted: decision 0048), fetched one union at
    a time and added up in Python, the receivables and payables between two unions of the province left out (a
    line names a union only on 131/132/211/212/135/215, as the consolidated report eliminates them)."""
    inside = set(Org.objects.filter(path__startswith=province.path).values_list("pk", flat=True))
    totals: dict[str, int] = defaultdict(int)
    for org in Org.objects.filter(path__startswith=province.path):
        lines = Line.objects.filter(org=org, month__lte=month)
        for code, debit, credit, party in lines.values_list("code", "debit_fen", "credit_fen", "party_id"):
            if party in inside:
                continue
            totals[chart.top_code(code)] += debit - credit
    return {code: value for code, value in totals.items() if value}


def over_lines(province: Org, month: dt.date) -> reports.Statement:
    """The same report reading the lines, as before decision 0051 (its aggregate over the subtree's lines)."""
    kept = reports._balances
    reports._balances = lambda org, subtree: (Line.objects.filter(org__path__startswith=org.path) if subtree
                                               else Line.objects.filter(org=org))  # fmt: skip
    try:
        return reports.balance_sheet(province, month, subtree=True)
    finally:
        reports._balances = kept


def timed(fn, *args, **kwargs):
    started = time.perf_counter()
    result = fn(*args, **kwargs)
    return result, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--unions", type=int, default=4000)
    parser.add_argument("--collections", type=int, default=1_000_000)
    parser.add_argument("--batch", type=int, default=1000)
    parser.add_argument("--one-by-one", type=int, default=200)
    args = parser.parse_args()
    province = Org.objects.filter(name="浙江省总工会（基准）").first()
    if province is None:
        (province, seconds) = timed(build, args.unions)
        print(f"built the province: {args.unions} grassroots unions in {seconds:.1f} s")
    post(province, args.collections, args.batch, args.one_by_one)
    lines = Line.objects.filter(org__path__startswith=province.path).count()
    print(f"the province now holds {Collection.objects.filter(org__path__startswith=province.path).count()} "
          f"collections and {lines} lines ({connection.vendor})")  # fmt: skip
    if connection.vendor == "postgresql":  # as autovacuum would (it is off on the bench machine): fresh statistics
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE finance_line, finance_balance, orgs_org")
    month = dt.date(YEAR, 12, 1)
    balances = Balance.objects.filter(org__path__startswith=province.path).count()
    print(f"the province's monthly balances: {balances} rows ({lines / max(balances, 1):.0f} lines per row)")
    sheet, ours = timed(reports.balance_sheet, province, month, subtree=True)
    sheet, ours_warm = timed(reports.balance_sheet, province, month, subtree=True)
    print(f"consolidated 工会01 from the balances: {ours * 1000:.0f} ms (warm {ours_warm * 1000:.0f} ms); {load()}")
    old, lines_cold = timed(over_lines, province, month)
    old, lines_warm = timed(over_lines, province, month)
    print(f"the same report over the lines: {lines_cold * 1000:.0f} ms (warm {lines_warm * 1000:.0f} ms); {load()}")
    totals, slow = timed(naive, province, month)
    print(f"naive per-union aggregate of the lines: {slow * 1000:.0f} ms; {load()}")
    if old.rows != sheet.rows:
        raise SystemExit("FAILED: the balance sheet from the balances differs from the one over the lines")
    figures = {text: values[1] for text, values, _ in sheet.rows}
    wrong = [
        code
        for code, text in reports.ASSETS
        if figures[f"{code} {text}"] != (1 if code != "163" else -1) * totals.get(code, 0)
    ]
    wrong += [code for code, text in reports.LIABILITIES if figures[f"{code} {text}"] != -totals.get(code, 0)]
    if wrong or figures["资产合计"] != sum(totals.get(c, 0) for c, _ in reports.ASSETS):
        raise SystemExit(f"FAILED: the naive aggregate differs from the report on {wrong or '资产合计'}")
    if figures["资产合计"] != figures["负债和净资产合计"]:
        raise SystemExit("FAILED: 资产合计 differs from 负债和净资产合计")
    print(f"same figures all three ways: 资产合计 {figures['资产合计'] / 100:,.2f} 元")
    wrong, seconds = timed(services.balances_check)
    if wrong:
        raise SystemExit(f"FAILED: {len(wrong)} monthly balances differ from their lines")
    print(f"finance_balances check (every balance against the lines, whole database): {seconds:.1f} s; {load()}")


if __name__ == "__main__":
    main()
