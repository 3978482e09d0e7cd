"""Fixed assets: the threshold, the double booking against 301, straight-line monthly depreciation that adds up
to the value exactly, once a month."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from gonghui.finance import reports, services
from gonghui.finance.models import FixedAsset
from gonghui.finance.services import depreciation_due
from gonghui.finance.tests.conftest import balances


def test_asset_is_booked_twice_and_depreciates_monthly(cast):
    org = cast.orgs.company
    asset = services.asset_acquire(actor=cast.users.grassroots_admin, org=org, name="职工书屋电脑",
                                   category="general", value_fen=720_000, acquired_on=dt.date(2026, 1, 10))  # fmt: skip
    assert asset.life_months == 72
    assert balances(org) == {"507": 720_000, "102": -720_000, "162": 720_000, "301": -720_000}
    assert services.depreciation_monthly(today=dt.date(2026, 3, 2)) == 1  # February: 1 month after January
    assert services.depreciation_monthly(today=dt.date(2026, 3, 20)) == 0  # once a month
    asset.refresh_from_db()
    assert asset.depreciated_fen == 10_000 and asset.net_fen == 710_000
    services.depreciation_post(org=org, month=dt.date(2026, 5, 1))  # catches up March to May
    assert balances(org, {"163", "301"}) == {"163": -40_000, "301": -680_000}
    sheet = {text: values for text, values, _ in reports.balance_sheet(org, dt.date(2026, 5, 1)).rows}
    assert sheet["162 固定资产原值"][1] == 720_000 and sheet["163 减：累计折旧"][1] == 40_000
    assert sheet["资产合计"] == sheet["负债和净资产合计"]


def test_threshold(cast):
    with pytest.raises(ValidationError, match="不作为固定资产"):
        services.asset_acquire(actor=None, org=cast.orgs.company, name="办公椅", category="general", value_fen=99_999,
                               acquired_on=dt.date(2026, 1, 10))  # fmt: skip
    with pytest.raises(ValidationError, match="1,500.00"):
        services.asset_acquire(actor=None, org=cast.orgs.company, name="体检仪", category="special",
                               value_fen=120_000, acquired_on=dt.date(2026, 1, 10))  # fmt: skip
    assert not FixedAsset.objects.exists()


@given(value=st.integers(min_value=1, max_value=10**12), life=st.integers(min_value=12, max_value=600))
def test_depreciation_schedule_adds_up_to_the_value(value, life):
    monthly = [depreciation_due(value, life, m) - depreciation_due(value, life, m - 1) for m in range(1, life + 3)]
    assert sum(monthly) == value and all(0 <= x <= value // life + 1 for x in monthly)
    assert depreciation_due(value, life, life + 5) == value
