"""Assets' user unit (使用单位) and venue link, 盘亏 through 182 待处理财产损溢, and the counterparty that is not a
union on 135/215 — through the pages and the API."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from gonghui.core.lists import cadre_list, export_rows
from gonghui.finance import services
from gonghui.finance.models import AssetMove, Entry, FixedAsset, Line
from gonghui.finance.tests.conftest import balances
from gonghui.testing.api import ApiClient
from gonghui.venues.tests.conftest import make_station


def bought(cast, value_fen=720_000, **extra):
    return services.asset_acquire(actor=None, org=cast.orgs.company, name="职工书屋电脑", category="general",
                                  value_fen=value_fen, acquired_on=dt.date(2026, 1, 10), **extra)  # fmt: skip


def test_asset_with_user_unit_and_venue_through_the_pages(client, cast):
    station = make_station(cast)
    client.force_login(cast.users.grassroots_admin)
    response = client.post(reverse("finance:asset_new"), {
        "org": cast.orgs.company.pk, "name": "户外劳动者服务站空调", "category": "general", "value": "6000",
        "acquired_on": "2026-03-01", "user_unit": "西溪街道工会", "venue": station.pk})  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:3000]
    asset = FixedAsset.objects.get(name="户外劳动者服务站空调")
    assert asset.user_unit == "西溪街道工会" and asset.venue == station and asset.org == cast.orgs.company
    page = client.get(reverse("finance:asset", args=[asset.pk])).content.decode()
    assert "西溪街道工会" in page and station.name in page and reverse("venues:detail", args=[station.pk]) in page
    listing = client.get(reverse("finance:assets") + f"?org={cast.orgs.company.pk}").content.decode()
    assert "使用单位：西溪街道工会" in listing
    spec = cadre_list("finance.assets")
    header = [c.heading for c in spec.columns]
    rows = [spec.cells(r) for r in export_rows(spec, cast.users.grassroots_admin, {"org": cast.orgs.company.pk})]
    row = dict(zip(header, rows[0], strict=True))
    assert (
        row["使用单位"] == "西溪街道工会" and row["服务阵地"] == station.name and row["工会"] == cast.orgs.company.name
    )
    # changed later on the asset page; back to the owning union itself
    response = client.post(reverse("finance:asset_use", args=[asset.pk]), {"user_unit": "", "venue": ""})
    asset.refresh_from_db()
    assert response.status_code == 302 and asset.user_unit == "" and asset.venue is None


def test_a_venue_of_another_union_is_refused(client, cast):
    station = make_station(cast, actor=cast.users.national_admin, org=cast.orgs.logistics)
    with pytest.raises(ValidationError, match="不是杭州示例科技有限公司工会或其下级工会的阵地"):
        bought(cast, venue=station)
    asset = bought(cast)
    client.force_login(cast.users.national_admin)
    client.post(reverse("finance:asset_use", args=[asset.pk]), {"user_unit": "x", "venue": station.pk})
    asset.refresh_from_db()
    assert asset.venue is None and asset.user_unit == ""  # the form offers the owning union's venues only


def test_inventory_loss_goes_through_182_until_approved(cast):
    """盘亏: reported → 182 待处理财产损溢 (the asset off 162, no more depreciation); approved → 182 written off
    against 301 资产基金; the asset disposed."""
    asset = bought(cast)
    services.depreciation_post(org=cast.orgs.company, month=dt.date(2026, 3, 1))
    asset.refresh_from_db()
    depreciated = asset.depreciated_fen
    assert depreciated == 720_000 * 2 // 72
    move = services.asset_move_submit(actor=cast.users.grassroots_admin, asset=asset, kind="loss",
                                      reason="年终盘点未找到")  # fmt: skip
    b = balances(cast.orgs.company, {"162", "163", "182", "301"})
    assert b == {"182": 720_000 - depreciated, "301": -(720_000 - depreciated)}
    assert FixedAsset.objects.get(pk=asset.pk).status == "loss_pending"
    assert services.depreciation_post(org=cast.orgs.company, month=dt.date(2026, 4, 1)) is None  # not depreciated
    move = services.asset_move_decide(actor=cast.users.province_admin, move=move, approve=True,
                                      version=move.case.version)  # fmt: skip
    assert balances(cast.orgs.company, {"162", "163", "182", "301"}) == {}
    assert FixedAsset.objects.get(pk=asset.pk).status == "disposed"
    assert [x.code for x in move.entry.lines.order_by("pk")] == ["301", "182"]


def test_a_refused_loss_puts_the_asset_back(client, cast):
    asset = bought(cast)
    client.force_login(cast.users.grassroots_admin)
    response = client.post(reverse("finance:asset", args=[asset.pk]), {"kind": "loss", "reason": "盘点未找到"})
    assert response.status_code == 302
    move = AssetMove.objects.get()
    assert balances(cast.orgs.company, {"182"}) == {"182": 720_000}
    client.force_login(cast.users.province_admin)
    response = client.post(reverse("finance:asset_move_decide", args=[move.pk]),
                           {"version": move.case.version, "decision": "refuse", "note": "已找到"})  # fmt: skip
    assert response.status_code == 302
    assert balances(cast.orgs.company, {"162", "182", "301"}) == {"162": 720_000, "301": -720_000}
    assert FixedAsset.objects.get(pk=asset.pk).status == "in_use"
    assert Entry.objects.filter(reverses=move.pending_entry).exists()


def test_counterparty_on_other_receivables_and_payables(client, cast):
    client.force_login(cast.users.grassroots_admin)
    form = {"org": cast.orgs.company.pk, "date": "2026-03-05", "memo": "代垫职工体检费", "l-TOTAL_FORMS": 2,
            "l-INITIAL_FORMS": 0, "l-0-code": "135", "l-0-debit": "3000", "l-0-counterparty": "杭州示例科技有限公司",
            "l-1-code": "102", "l-1-credit": "3000"}  # fmt: skip
    response = client.post(reverse("finance:entry_new"), form)
    assert response.status_code == 302
    line = Line.objects.get(code="135")
    assert line.counterparty == "杭州示例科技有限公司" and line.party is None
    page = client.get(response.url).content.decode()
    assert "往来单位：杭州示例科技有限公司" in page
    # on another account it is refused, in Chinese
    form |= {"l-1-counterparty": "某银行"}
    response = client.post(reverse("finance:entry_new"), form)
    assert response.status_code == 400 and "科目 102 不填往来单位" in response.content.decode()
    # the reversal names the same unit
    services.entry_reverse(actor=None, entry=line.entry, reason="重复", date=dt.date(2026, 3, 6))
    assert set(Line.objects.filter(code="135").values_list("counterparty", flat=True)) == {"杭州示例科技有限公司"}


def test_counterparty_through_the_api(cast):
    api, user = ApiClient(), cast.users.grassroots_admin
    body = {"org_id": cast.orgs.company.pk, "date": "2026-03-06", "memo": "收到供应商押金",
            "lines": [{"code": "102", "debit_fen": 50_000},
                      {"code": "215", "credit_fen": 50_000, "counterparty": "杭州某文体用品公司"}]}  # fmt: skip
    response = api.post("/api/v1/finance/entries", user, body)
    assert response.status_code == 201, response.content
    lines = response.json()["lines"]
    assert {x["code"]: x["counterparty"] for x in lines}["215"] == "杭州某文体用品公司"
    body["lines"][1] |= {"party_id": cast.orgs.xihu.pk}  # a union or a unit, never both
    response = api.post("/api/v1/finance/entries", user, body)
    assert response.status_code == 400 and "不能同时填写" in response.json()["detail"]
    body["lines"][0] |= {"party_id": cast.orgs.xihu.pk}
    body["lines"][1] |= {"counterparty": ""}
    response = api.post("/api/v1/finance/entries", user, body)
    assert response.status_code == 400 and "不需要往来工会" in response.json()["detail"]
