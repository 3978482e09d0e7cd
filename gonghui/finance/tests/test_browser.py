"""A grassroots cadre records an employer's 2% on a phone and sees it split; the province's cadre finds its own
share in the province's books on a desktop. Every finance page is photographed at phone and desktop size."""

import os

import pytest
from django.conf import settings
from django.test import Client

from gonghui.finance.tests.conftest import zhejiang_rule
from gonghui.finance.tests.test_permissions import manual_entry, pending_spending

SHOTS = "/tmp/shots/finance"  # noqa: S108 — screenshots for people to look at, not data
PHONE, DESKTOP = {"width": 390, "height": 844}, {"width": 1366, "height": 768}


def _signed_in(browser, live_server, user, viewport):
    client = Client()
    client.force_login(user)
    tab = browser.new_page(viewport=viewport)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    tab.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])
    return tab


def _fits(tab) -> None:
    assert tab.evaluate("document.scrollingElement.scrollWidth") <= tab.viewport_size["width"]


@pytest.mark.browser
def test_a_collection_is_split_and_seen_at_two_levels(browser, live_server, transactional_db, cast):
    os.makedirs(SHOTS, exist_ok=True)
    zhejiang_rule(cast)
    phone = _signed_in(browser, live_server, cast.users.grassroots_admin, PHONE)
    phone.goto(f"{live_server.url}/finance/collections/new/?org={cast.orgs.company.pk}")
    phone.fill("#id_month", "2026-03")
    phone.fill("#id_payroll", "1,234,567.89")
    phone.fill("#id_received_on", "2026-04-10")
    _fits(phone)
    phone.click("button:has-text('登记收缴')")
    phone.wait_for_selector("text=已登记收缴 24,691.36 元")
    shares = phone.inner_text("#gh-shares")
    assert "杭州示例科技有限公司工会" in shares and "14,814.82" in shares and "3,703.70" in shares
    assert "24,691.36" in shares  # the parts add up to the whole
    _fits(phone)
    phone.screenshot(path=f"{SHOTS}/collection-phone.png", full_page=True)
    phone.goto(f"{live_server.url}/finance/report/?org={cast.orgs.company.pk}&month=2026-04")
    assert "14,814.82" in phone.content()  # 402 拨缴经费收入 of the grassroots union
    phone.close()

    desk = _signed_in(browser, live_server, cast.users.province_admin, DESKTOP)
    desk.goto(f"{live_server.url}/finance/report/?org={cast.orgs.zhejiang.pk}&month=2026-04")
    sheet = desk.content()
    assert "132 应收下级经费" in sheet and "3,703.70" in sheet  # the province's own share, owed from below
    desk.goto(f"{live_server.url}/finance/collections/?org={cast.orgs.zhejiang.pk}")
    desk.click("text=杭州示例科技有限公司")
    desk.wait_for_selector("#gh-shares")
    assert "浙江省总工会" in desk.content() and "记字第" in desk.content()
    desk.screenshot(path=f"{SHOTS}/collection-desktop.png", full_page=True)
    desk.close()


@pytest.mark.browser
def test_every_page_at_phone_and_desktop_size(browser, live_server, transactional_db, cast):
    os.makedirs(SHOTS, exist_ok=True)
    zhejiang_rule(cast)
    entry = manual_entry(cast)
    spending = pending_spending(cast)
    org = cast.orgs.company.pk
    pages = {"home": f"/finance/?org={org}", "entries": f"/finance/entries/?org={org}",
             "entry-new": f"/finance/entries/new/?org={org}", "entry": f"/finance/entries/{entry.pk}/",
             "collection-new": f"/finance/collections/new/?org={org}", "arrears": "/finance/arrears/",
             "report": f"/finance/report/?org={org}&month=2026-03", "budgets": f"/finance/budgets/?org={org}&year=2026",
             "rules": "/finance/rules/", "assets": f"/finance/assets/?org={org}",
             "asset-new": f"/finance/assets/new/?org={org}", "spendings": f"/finance/spending/?org={org}",
             "spending-new": f"/finance/spending/new/?org={org}",
             "spending": f"/finance/spending/{spending.pk}/"}  # fmt: skip
    for size, viewport in (("phone", PHONE), ("desktop", DESKTOP)):
        tab = _signed_in(browser, live_server, cast.users.province_admin, viewport)
        for name, path in pages.items():
            tab.goto(f"{live_server.url}{path}")
            assert tab.title() and "错误" not in tab.title()
            _fits(tab)
            tab.screenshot(path=f"{SHOTS}/{name}-{size}.png", full_page=True)
        tab.close()
