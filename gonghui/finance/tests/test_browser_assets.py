"""A grassroots cadre asks on a phone to transfer a computer to the district union; the province's cadre
approves it on a desktop and both unions' books show it; the reserve page and the manual entry with its
counterparty are photographed at both sizes."""

import datetime as dt
import os

import pytest

from gonghui.finance import services
from gonghui.finance.tests.test_browser import DESKTOP, PHONE, _fits, _signed_in
from gonghui.finance.tests.test_reserves import formed, held_reserve

SHOTS = "/tmp/shots/finassets"  # noqa: S108 — screenshots for people to look at, not data


@pytest.mark.browser
def test_an_asset_transfer_is_requested_on_a_phone_and_approved_above(browser, live_server, transactional_db, cast):
    os.makedirs(SHOTS, exist_ok=True)
    asset = services.asset_acquire(actor=None, org=cast.orgs.company, name="职工书屋电脑", category="general",
                                   value_fen=720_000, acquired_on=dt.date(2026, 1, 10))  # fmt: skip
    newco = held_reserve(cast)
    formed(cast, newco)
    phone = _signed_in(browser, live_server, cast.users.grassroots_admin, PHONE)
    phone.goto(f"{live_server.url}/finance/assets/{asset.pk}/")
    phone.select_option("#id_kind", "transfer")
    phone.select_option("#id_to_org", str(cast.orgs.xihu.pk))
    phone.fill("#id_reason", "调给区总工会职工服务中心使用")
    _fits(phone)
    phone.screenshot(path=f"{SHOTS}/asset-phone.png", full_page=True)
    phone.click("button:has-text('提交审批')")
    phone.wait_for_selector("text=等待杭州市西湖区总工会审批")
    _fits(phone)
    phone.screenshot(path=f"{SHOTS}/asset-move-pending-phone.png", full_page=True)
    move_url = phone.url
    phone.goto(f"{live_server.url}/finance/entries/new/?org={cast.orgs.company.pk}")
    _fits(phone)
    phone.screenshot(path=f"{SHOTS}/entry-new-phone.png", full_page=True)
    phone.close()

    desk = _signed_in(browser, live_server, cast.users.province_admin, DESKTOP)
    desk.goto(move_url)
    desk.fill("#id_note", "同意调拨")
    desk.click("button:has-text('批准并记账')")
    desk.wait_for_selector("text=已批准并记账")
    assert "调入" in desk.content()
    desk.screenshot(path=f"{SHOTS}/asset-move-approved-desktop.png", full_page=True)
    desk.goto(f"{live_server.url}/finance/assets/?org={cast.orgs.xihu.pk}")
    assert "职工书屋电脑" in desk.content()
    for size, tab_viewport in (("desktop", DESKTOP), ("phone", PHONE)):
        tab = desk if size == "desktop" else _signed_in(browser, live_server, cast.users.province_admin, tab_viewport)
        tab.goto(f"{live_server.url}/finance/reserves/?org={cast.orgs.xihu.pk}")
        assert "返还筹备金" in tab.content()
        _fits(tab)
        tab.screenshot(path=f"{SHOTS}/reserves-{size}.png", full_page=True)
        tab.close()
