"""Asset transfers and disposals approved by level as a case, with the write-off (163 and 301 against 162) and,
on a transfer, the receiving union's booking; the approving union chosen by the original value per province."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.test import override_settings
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from gonghui.core.errors import ConflictError
from gonghui.finance import services
from gonghui.finance.models import AssetMove, Entry, FixedAsset
from gonghui.finance.policy import FinancePolicy
from gonghui.finance.services import LineIn, _check_lines, asset_in_lines, asset_off_lines
from gonghui.finance.tests.conftest import balances
from gonghui.testing.cast import add_user


def bought(cast, value_fen=720_000, category="general"):
    """An asset of the company union bought in January 2026, depreciated to the end of April (3 months)."""
    org = cast.orgs.company
    asset = services.asset_acquire(actor=None, org=org, name="职工书屋电脑", category=category, value_fen=value_fen,
                                   acquired_on=dt.date(2026, 1, 10))  # fmt: skip
    services.depreciation_post(org=org, month=dt.date(2026, 4, 1))
    asset.refresh_from_db()
    return asset


def test_sale_approved_by_the_union_itself_writes_off_and_books_the_proceeds(cast):
    asset = bought(cast)
    assert asset.depreciated_fen == 30_000
    move = services.asset_move_submit(actor=cast.users.grassroots_admin, asset=asset, kind="sale", reason="设备更新",
                                      proceeds_fen=50_000)  # fmt: skip
    assert move.approver == cast.orgs.company and move.case.org == cast.orgs.company and move.entry is None
    assert balances(cast.orgs.company, {"162", "163", "301"}) == {"162": 720_000, "163": -30_000, "301": -690_000}
    with pytest.raises(ValidationError, match="审批人不能是申请人本人"):
        services.asset_move_decide(actor=cast.users.grassroots_admin, move=move, approve=True,
                                   version=move.case.version)  # fmt: skip
    with pytest.raises(ValidationError, match="待审批"):  # one pending request per asset
        services.asset_move_submit(actor=None, asset=asset, kind="scrap", reason="报废")
    chair = add_user("company2", org=cast.orgs.company, display_name="工会副主席")
    move = services.asset_move_decide(actor=chair, move=move, approve=True, version=move.case.version, note="同意")
    assert move.status == AssetMove.Status.APPROVED and move.case.status == "approved" and move.decided_by == chair
    assert move.entry.source == Entry.Source.ASSET_MOVE
    left = balances(cast.orgs.company, {"162", "163", "301", "408"})
    assert left == {"408": -50_000}  # the asset is gone from the books; the proceeds are other income
    asset.refresh_from_db()
    assert asset.status == "disposed"
    assert services.depreciation_post(org=cast.orgs.company, month=dt.date(2026, 6, 1)) is None  # no longer depreciated
    with pytest.raises(ConflictError):
        services.asset_move_decide(actor=None, move=move, approve=True, version=move.case.version)
    with pytest.raises(ValidationError, match="已处置"):
        services.asset_move_submit(actor=None, asset=asset, kind="scrap", reason="再报废")


def test_transfer_is_approved_above_and_booked_by_the_receiving_union(cast):
    asset = bought(cast, value_fen=6_000_000)  # 60,000 yuan: above the union's own 50,000, approved one level up
    xihu = cast.orgs.xihu
    move = services.asset_move_submit(actor=cast.users.grassroots_admin, asset=asset, kind="transfer", to_org=xihu,
                                      reason="调给区总工会职工服务中心使用")  # fmt: skip
    assert move.approver == xihu
    with pytest.raises(PermissionDenied):
        services.asset_move_decide(actor=cast.users.readonly, move=move, approve=True, version=move.case.version)
    chair = add_user("company2", org=cast.orgs.company)  # the union itself may not approve this one
    with pytest.raises(Http404):
        services.asset_move_decide(actor=chair, move=move, approve=True, version=move.case.version)
    move = services.asset_move_decide(actor=cast.users.province_admin, move=move, approve=True,
                                      version=move.case.version)  # fmt: skip
    dep, net = 250_000, 5_750_000  # 3 of 72 months
    assert balances(cast.orgs.company, {"162", "163", "301"}) == {}
    assert balances(xihu, {"162", "163", "301"}) == {"162": 6_000_000, "163": -dep, "301": -net}
    new = move.new_asset
    assert (new.org, new.value_fen, new.depreciated_fen, new.acquired_on, new.transferred_from) == (
        xihu,
        6_000_000,
        dep,
        dt.date(2026, 1, 10),
        asset,
    )
    services.depreciation_post(org=xihu, month=dt.date(2026, 5, 1))  # the schedule goes on at the new union
    new.refresh_from_db()
    assert new.depreciated_fen == 6_000_000 * 4 // 72
    assert FixedAsset.objects.get(pk=asset.pk).status == "transferred"


def test_refusal_needs_a_reason_and_books_nothing(cast):
    asset = bought(cast)
    move = services.asset_move_submit(actor=None, asset=asset, kind="loss", reason="盘点未找到")
    with pytest.raises(ValidationError, match="须填写理由"):
        services.asset_move_decide(actor=cast.users.province_admin, move=move, approve=False, version=move.case.version)
    move.refresh_from_db()
    move = services.asset_move_decide(actor=cast.users.province_admin, move=move, approve=False,
                                      version=move.case.version, note="请再次盘点")  # fmt: skip
    assert move.status == AssetMove.Status.REFUSED and move.entry is None
    assert balances(cast.orgs.company, {"162"}) == {"162": 720_000}
    again = services.asset_move_submit(actor=None, asset=asset, kind="scrap", reason="再次盘点后报废")
    assert again.status == AssetMove.Status.PENDING


def test_checks_at_submission(cast):
    asset = bought(cast)
    with pytest.raises(ValidationError, match="请选择调入的工会"):
        services.asset_move_submit(actor=None, asset=asset, kind="transfer", reason="调拨")
    with pytest.raises(ValidationError, match="只有出售有处置收入"):
        services.asset_move_submit(actor=None, asset=asset, kind="scrap", reason="报废", proceeds_fen=100)
    with pytest.raises(ValidationError, match="事由"):
        services.asset_move_submit(actor=None, asset=asset, kind="scrap", reason=" ")
    with pytest.raises(PermissionDenied):
        services.asset_move_submit(actor=cast.users.readonly, asset=asset, kind="scrap", reason="报废")


def test_approving_union_by_value_and_province(cast):
    company, logistics = cast.orgs.company, cast.orgs.logistics
    assert services.asset_approver(company, "own") == company
    assert services.asset_approver(company, "upper") == cast.orgs.xihu
    assert services.asset_approver(company, "province") == cast.orgs.zhejiang
    assert services.asset_approver(company, "national") == cast.orgs.national
    assert services.asset_approver(company, "own", to_org=logistics) == cast.orgs.national  # across provinces
    assert services.asset_approver(company, "upper", to_org=cast.orgs.xixi) == cast.orgs.xihu
    policy = FinancePolicy(asset_approval_by_province={"33": {"own": 20_000}})
    assert policy.asset_approval_level("330106", 3_000_000) == "upper"
    assert policy.asset_approval_level("320102", 3_000_000) == "own"
    assert policy.asset_approval_level("330106", 1_000_000_001) == "national"
    with override_settings(GONGHUI_FINANCE={"asset_approval_by_province": {"33": {"own": 5_000}}}):
        asset = bought(cast)  # 7,200 yuan: above Zhejiang's own limit here
        move = services.asset_move_submit(actor=None, asset=asset, kind="scrap", reason="损坏")
    assert move.approver == cast.orgs.xihu


@given(value=st.integers(min_value=1, max_value=10**12), data=st.data())
def test_write_off_and_booking_balance_and_mirror(value, data):
    depreciated = data.draw(st.integers(min_value=0, max_value=value))
    asset = FixedAsset(value_fen=value, depreciated_fen=depreciated)
    off, book = asset_off_lines(asset), asset_in_lines(asset)
    _check_lines(off)  # balanced, one positive side per line
    _check_lines(book)

    def net(lines: list[LineIn]) -> dict[str, int]:
        out: dict[str, int] = {}
        for x in lines:
            out[x.code] = out.get(x.code, 0) + x.debit_fen - x.credit_fen
        return out

    assert {code: -v for code, v in net(off).items()} == net(book)  # what one side writes off the other books
    assert net(book) == {k: v for k, v in {"162": value, "163": -depreciated, "301": depreciated - value}.items() if v}


@given(value=st.integers(min_value=1, max_value=10**13), limits=st.lists(st.integers(1, 10**8), min_size=3,
                                                                       max_size=3).map(sorted))  # fmt: skip
def test_approval_level_rises_with_the_value(value, limits):
    policy = FinancePolicy(asset_approval_yuan=dict(zip(("own", "upper", "province"), limits, strict=True)))
    order = ["own", "upper", "province", "national"]
    level = policy.asset_approval_level("33", value)
    assert order.index(level) <= order.index(policy.asset_approval_level("33", value + 1))
    bounds = [limit * 100 for limit in limits]
    assert level == order[sum(1 for bound in bounds if value > bound)]


def test_pages(client, cast):
    asset = bought(cast)
    client.force_login(cast.users.grassroots_admin)
    page = client.get(reverse("finance:asset", args=[asset.pk])).content.decode()
    assert "申请调拨或处置" in page and "由本工会审批" in page
    response = client.post(reverse("finance:asset", args=[asset.pk]), {"kind": "transfer", "reason": "调拨"})
    assert response.status_code == 400 and "请选择调入的工会" in response.content.decode()
    response = client.post(reverse("finance:asset", args=[asset.pk]),
                           {"kind": "transfer", "reason": "调给区总工会", "to_org": cast.orgs.xihu.pk})  # fmt: skip
    move = AssetMove.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("finance:asset_move", args=[move.pk])
    page = client.get(response["Location"]).content.decode()
    assert "等待杭州市西湖区总工会审批" in page and "批准并记账" not in page
    client.force_login(cast.users.province_admin)
    page = client.get(reverse("finance:asset_move", args=[move.pk])).content.decode()
    assert "批准并记账" in page
    response = client.post(reverse("finance:asset_move_decide", args=[move.pk]),
                           {"version": move.case.version, "decision": "approve"})  # fmt: skip
    assert response.status_code == 302
    move.refresh_from_db()
    assert move.status == "approved" and move.to_entry.org == cast.orgs.xihu
    page = client.get(f"{reverse('finance:assets')}?org={cast.orgs.xihu.pk}").content.decode()
    assert "职工书屋电脑" in page
    client.force_login(cast.users.sibling_admin)  # another province: not found
    assert client.get(reverse("finance:asset_move", args=[move.pk])).status_code == 404
    assert client.get(reverse("finance:asset", args=[asset.pk])).status_code == 404
    client.force_login(cast.users.readonly)
    assert client.get(reverse("finance:asset", args=[asset.pk])).status_code == 200
    response = client.post(reverse("finance:asset", args=[move.new_asset.pk]), {"kind": "scrap", "reason": "报废"})
    assert response.status_code == 403
