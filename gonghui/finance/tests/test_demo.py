"""The finance demo: a province's year of collections split between levels, arrears, reserve, budgets."""

import datetime as dt
import random

from gonghui.finance import reports
from gonghui.finance.demo import load_demo_finance
from gonghui.finance.models import (
    ArrearsReminder,
    AssetMove,
    Budget,
    Collection,
    CollectionImport,
    FixedAsset,
    FundDeclaration,
    Line,
    Period,
    ReserveReturn,
    Share,
    SharingRule,
    Spending,
)
from gonghui.members.demo import load_demo
from gonghui.orgs.models import Org, OrgType
from gonghui.venues.services import venue_create
from gonghui.venues.tests.conftest import station_data


def test_demo_year_of_finance(db):
    load_demo(members=1500, seed=3, provinces={"33"})
    county = Org.objects.filter(org_type=OrgType.COUNTY, region__code__startswith="33").order_by("path").first()
    venue_create(actor=None, org=county, **station_data())  # the venues demo's part
    today = dt.date(2026, 11, 30)
    counts = load_demo_finance(rng=random.Random(3), today=today)
    assert counts["collections"] + counts["imported"] == Collection.objects.filter(declaration__kind="funds").count()
    assert counts["collections"] > 0 and counts["imported"] > 0  # the tax bureau's statement, imported
    assert CollectionImport.objects.get().status == "committed"
    assert FixedAsset.objects.filter(venue__isnull=False).exclude(user_unit="").count() == counts["venue_assets"] == 1
    assert Line.objects.filter(code="135").exclude(counterparty=None).exists()
    assert Line.objects.filter(code="182").exists()  # a 盘亏 waiting for approval
    assert SharingRule.objects.count() == 2
    assert {s.level for s in Share.objects.all()} >= {"grassroots", "city", "province", "national"}
    assert FundDeclaration.objects.filter(kind="reserve").exists()
    assert any(d.arrears_fen for d in FundDeclaration.objects.all())
    assert Budget.objects.exists() and Period.objects.filter(closed_at__isnull=False).exists()
    assert FixedAsset.objects.filter(depreciated_fen__gt=0).exists()
    assert set(Spending.objects.values_list("status", flat=True)) == {"direct", "pending", "approved", "refused"}
    assert Spending.objects.filter(purpose="birthday").exists()
    moves = dict(AssetMove.objects.values_list("kind", "status"))
    assert moves == {"transfer": "approved", "scrap": "approved", "sale": "pending", "loss": "pending"}
    assert FixedAsset.objects.filter(transferred_from__isnull=False).count() == 1
    assert ReserveReturn.objects.count() == 1
    assert ArrearsReminder.objects.filter(month=today.replace(day=1)).exists()  # the job found arrears
    province = Org.objects.get(org_type=OrgType.PROVINCE, region_id="33")
    sheet = reports.balance_sheet(province, dt.date(2026, 10, 1), subtree=True)
    totals = {text: values for text, values, _ in sheet.rows}
    assert totals["资产合计"] == totals["负债和净资产合计"] and totals["资产合计"][1] > 0
