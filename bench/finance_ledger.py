"""Union finance benchmark: posting collections of the 2% funds with their split at every level, and the
consolidated 工会01 of a province beside a naive aggregate, in the same run. A measurement, not a test.

Into a database of its own (the test database is untouched):

    export DATABASE_URL=postgres://root@127.0.0.1:5432/h_finance
    .venv/bin/python manage.py migrate
    .venv/bin/python bench/finance_ledger.py [--unions 2000] [--collections 20000]

It builds a province (cities, counties, grassroots unions with their employers) if the database has none,
posts ``--collections`` collections through the services (each: a declaration, then the money split between
five levels: five entries, eleven lines), then times the province's consolidated balance sheet (one
aggregate by account code over the subtree) against a naive one (each union's lines fetched and added up in
Python), and checks that both give the same figures. Results: docs/bench.md.
"""

import argparse
import datetime as dt
import os
import sys
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DATABASE_URL", "postgres://root@127.0.0.1:5432/h_finance")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gonghui.settings")
os.environ["DEBUG"] = "0"

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402

from gonghui.finance import chart, reports, services  # noqa: E402
from gonghui.finance.models import Collection, FundDeclaration, Line  # noqa: E402
from gonghui.members.models import Employer  # noqa: E402
from gonghui.orgs.models import Org, OrgType, Region  # noqa: E402
from gonghui.orgs.services import org_create  # noqa: E402

SHARES = {"grassroots": 6000, "county": 1000, "city": 1000, "province": 1500, "national": 500}
YEAR = 2026


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
    services.rule_set(actor=None, province=province, effective_from=dt.date(YEAR, 1, 1), shares=SHARES)
    return province


def post(province: Org, collections: int) -> float:
    unions = list(Org.objects.filter(path__startswith=province.path, org_type=OrgType.GRASSROOTS)
                  .select_related("employer").order_by("pk"))  # fmt: skip
    done = FundDeclaration.objects.filter(org__path__startswith=province.path).count()
    started = time.perf_counter()
    for i in range(done, done + collections):
        union = unions[i % len(unions)]
        month = dt.date(YEAR, 1 + (i // len(unions)) % 10, 1)
        declaration = services.declaration_record(actor=None, employer=union.employer, org=union, month=month,
                                                  payroll_fen=10_000_000 + i * 37)  # fmt: skip
        services.collection_record(actor=None, declaration=declaration, amount_fen=declaration.due_fen,
                                   received_on=month + dt.timedelta(days=40))  # fmt: skip
    return time.perf_counter() - started


def naive(province: Org, month: dt.date) -> dict[str, int]:
    """Every union's posted lines up to the month, fetched one union at a time and added up in Python."""
    totals: dict[str, int] = defaultdict(int)
    for org in Org.objects.filter(path__startswith=province.path):
        for code, debit, credit in Line.objects.filter(org=org, month__lte=month, entry__posted=True).values_list(
            "code", "debit_fen", "credit_fen"
        ):
            totals[chart.top_code(code)] += debit - credit
    return {code: value for code, value in totals.items() if value}


def timed(fn, *args, **kwargs):
    started = time.perf_counter()
    result = fn(*args, **kwargs)
    return result, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--unions", type=int, default=2000)
    parser.add_argument("--collections", type=int, default=20000)
    args = parser.parse_args()
    province = Org.objects.filter(name="浙江省总工会（基准）").first()
    if province is None:
        (province, seconds) = timed(build, args.unions)
        print(f"built the province: {args.unions} grassroots unions in {seconds:.1f} s")
    seconds = post(province, args.collections)
    rate, each = args.collections / seconds, seconds / args.collections * 1000
    print(f"posted {args.collections} collections ({args.collections * 5} entries) in {seconds:.1f} s: "
          f"{rate:.0f} collections/s, {each:.1f} ms each")  # fmt: skip
    lines = Line.objects.filter(org__path__startswith=province.path).count()
    print(f"the province now holds {Collection.objects.filter(org__path__startswith=province.path).count()} "
          f"collections and {lines} lines ({connection.vendor})")  # fmt: skip
    month = dt.date(YEAR, 12, 1)
    sheet, ours = timed(reports.balance_sheet, province, month, subtree=True)
    sheet, ours_warm = timed(reports.balance_sheet, province, month, subtree=True)
    totals, slow = timed(naive, province, month)
    figures = {text: values[1] for text, values, _ in sheet.rows}
    assert figures["资产合计"] == totals.get("102", 0) + totals.get("131", 0) + totals.get("132", 0)
    assert figures["资产合计"] == figures["负债和净资产合计"]
    assets = figures["资产合计"] / 100
    print(f"consolidated 工会01 of the province: {ours * 1000:.0f} ms (warm {ours_warm * 1000:.0f} ms); "
          f"naive per-union aggregate: {slow * 1000:.0f} ms; same figures: 资产合计 {assets:,.2f} 元")  # fmt: skip


if __name__ == "__main__":
    main()
