"""On a phone, a member claims a 夏送清凉 voucher and shows its QR code; the merchant, on its own phone, opens the
scanned link and redeems it once. The cadre's pages on a desktop and a phone. Screenshots go to
/tmp/shots/benefits."""

import re

import pytest

from gonghui.benefits.models import Voucher
from gonghui.benefits.tests.conftest import make_merchant, make_offer
from gonghui.venues.tests import test_browser as venues_browser
from gonghui.venues.tests.test_browser import DESKTOP, PHONE, _fits

SHOTS = "/tmp/shots/benefits"  # noqa: S108 — screenshots for people to look at, not data


@pytest.fixture(autouse=True)
def _shots_here(monkeypatch):
    monkeypatch.setattr(venues_browser, "SHOTS", SHOTS)


def _page(browser, live_server, user, viewport):
    return venues_browser._page(browser, live_server, user, viewport)


@pytest.mark.browser
def test_member_claims_and_merchant_redeems_on_phones(browser, live_server, transactional_db, cast):
    shop = make_merchant(cast)
    offer = make_offer(cast, merchants=[shop], description="凭券购买防暑降温用品抵扣 30 元，不找零、不兑现。")
    make_offer(cast, title="职工健身八折券", kind="discount", discount_percent=80, value_fen=5000, merchants=[shop])
    phone = _page(browser, live_server, cast.users.worker, PHONE)
    phone.goto(f"{live_server.url}/benefits/mine/")
    _fits(phone)
    phone.screenshot(path=f"{SHOTS}/mine-phone.png", full_page=True)
    phone.locator(f"[data-offer='{offer.pk}'] button:has-text('领取')").click()
    phone.wait_for_selector("text=领取成功")
    assert phone.locator("[data-voucher-code]").is_visible() and phone.locator(".gh-qr svg").count() == 1
    _fits(phone)
    phone.screenshot(path=f"{SHOTS}/voucher-phone.png", full_page=True)
    code = re.sub(r"\s", "", phone.locator("[data-voucher-code]").inner_text())
    assert not phone.problems, phone.problems
    till = _page(browser, live_server, shop.account, PHONE)
    till.goto(f"{live_server.url}/benefits/r/?c={code}")  # what the phone's camera opens from the QR code
    till.wait_for_selector("text=可以核销，请确认。")
    _fits(till)
    till.screenshot(path=f"{SHOTS}/scan-phone.png", full_page=True)
    till.click("button:has-text('确认核销')")
    till.wait_for_selector("text=核销成功")
    _fits(till)
    till.screenshot(path=f"{SHOTS}/redeem-phone.png", full_page=True)
    till.goto(f"{live_server.url}/benefits/r/?c={code}")
    assert "不能重复使用" in till.locator("[data-refusal]").inner_text()
    assert not till.problems, till.problems
    assert Voucher.objects.get(offer=offer).merchant_id == shop.pk
    phone.reload()
    assert "使用" in phone.locator("[data-voucher-status]").inner_text()
    for user, viewport, suffix in ((cast.users.province_admin, DESKTOP, "desktop"),
                                   (cast.users.province_admin, PHONE, "phone")):  # fmt: skip
        desk = _page(browser, live_server, user, viewport)
        pages = (("list", "/benefits/"), ("detail", f"/benefits/{offer.pk}/"), ("new", "/benefits/new/"),
                 ("merchants", "/benefits/merchants/"), ("merchant-new", "/benefits/merchants/new/"))  # fmt: skip
        for name, path in pages:
            desk.goto(f"{live_server.url}{path}")
            _fits(desk)
            desk.screenshot(path=f"{SHOTS}/{name}-{suffix}.png", full_page=True)
        assert not desk.problems, desk.problems
        desk.context.close()
