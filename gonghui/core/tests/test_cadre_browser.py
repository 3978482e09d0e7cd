"""The cadre's daily pages in a real browser, on a phone and a laptop: wide tables turn into cards below 576 px
(the audit log, transfers), the navigation text has at least 4.5:1 contrast, the union picker finds by pinyin and
shows the place, the tree's union search shows breadcrumbs, the security admin's account reset.

GONGHUI_SCREENSHOTS=<folder> keeps a screenshot of each page."""

import os

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from gonghui.accounts.services import grant_create
from gonghui.members.services import transfer_start
from gonghui.testing.cast import add_platform_admins

SIZES = [(390, 844), (1366, 768)]


def _shot(page, name: str) -> None:
    folder = os.environ.get("GONGHUI_SCREENSHOTS")
    if folder:
        page.screenshot(path=os.path.join(folder, f"{name}.png"), full_page=True)


def _signed_in(page, live_server, user) -> None:
    """The session of a test login (its second factor counted as given, see gonghui.testing.fixtures)."""
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}])


def _luminance(rgb: str) -> float:
    channels = [int(part) / 255 for part in rgb[rgb.index("(") + 1 : rgb.index(")")].split(",")[:3]]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _contrast(a: str, b: str) -> float:
    high, low = sorted([_luminance(a), _luminance(b)], reverse=True)
    return (high + 0.05) / (low + 0.05)


@pytest.mark.browser
@pytest.mark.parametrize(("width", "height"), SIZES)
def test_the_audit_log_reads_as_cards_on_a_phone_and_the_nav_is_legible(
    page, live_server, transactional_db, cast, width, height
):
    add_platform_admins(cast)
    grant_create(actor=cast.users.security_admin, user=cast.users.sibling_admin, org=cast.orgs.xihu, role="readonly")
    page.set_viewport_size({"width": width, "height": height})
    _signed_in(page, live_server, cast.users.audit_admin)
    page.goto(f"{live_server.url}/console/audit/")
    row = page.locator("#gh-list tbody tr").first
    assert "授予组织角色" in page.locator("#gh-list").inner_text()
    display = row.evaluate("tr => getComputedStyle(tr).display")
    label = row.locator("td").nth(2).evaluate("td => getComputedStyle(td, '::before').content")
    if width < 576:
        assert display == "block" and label == '"动作"'  # a card, each value under its column's heading
    else:
        assert display == "table-row"
    link = page.locator(".gh-navbar .nav-link").first
    colour = link.evaluate("a => getComputedStyle(a).color")
    background = page.locator(".gh-navbar").evaluate("nav => getComputedStyle(nav).backgroundColor")
    if width >= 768:  # the links are in the bar (on a phone they are behind the menu button)
        assert _contrast(colour, background) >= 4.5
    _shot(page, f"console-audit-{width}")


@pytest.mark.browser
@pytest.mark.parametrize(("width", "height"), SIZES)
def test_transfers_as_cards_and_the_union_picker_and_search(page, live_server, transactional_db, cast, width, height):
    transfer_start(actor=cast.users.grassroots_admin, membership=cast.members.zhang, to_org=cast.orgs.logistics,
                   reason="工作调动")  # fmt: skip
    page.set_viewport_size({"width": width, "height": height})
    _signed_in(page, live_server, cast.users.province_admin)

    page.goto(f"{live_server.url}/members/transfers/")
    cells = page.locator("#gh-list tbody tr").first.locator("td")
    assert cells.nth(1).evaluate("td => td.getAttribute('data-label')") == "会员"
    _shot(page, f"transfers-{width}")

    page.goto(f"{live_server.url}/members/new/")
    page.fill("input[name=org_q]", "hzsl")
    expect(page.locator("#id_org option")).to_have_count(1)
    assert "杭州示例科技有限公司工会（浙江省 › 杭州市 › 西湖区）" in page.locator("#id_org option").inner_text()
    _shot(page, f"picker-{width}")

    page.goto(f"{live_server.url}/orgs/")
    # The whole cadre menu (every app's entry) and the account's menu fit: nothing wider than the window.
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    _shot(page, f"tree-{width}")
    page.fill("input[name=q]", "xx")
    page.click("button:has-text('查找工会')")
    page.wait_for_url(f"{live_server.url}/orgs/?q=xx")
    assert "浙江省总工会 › 杭州市总工会 › 杭州市西湖区总工会" in page.locator(".gh-org-result").first.inner_text()
    _shot(page, f"tree-search-{width}")
    if page.locator(".navbar-toggler").is_visible():  # the phone's collapsed menu first, opened to its end
        page.click(".navbar-toggler")
        page.wait_for_selector("#gh-nav.show")  # a click while it still slides open can miss (it did, once, in CI)
    page.click("#gh-account")
    expect(page.locator("button.dropdown-item:has-text('退出')")).to_be_visible()


@pytest.mark.browser
@pytest.mark.parametrize(("width", "height"), SIZES)
def test_the_security_admin_resets_a_cadre(page, live_server, transactional_db, cast, width, height):
    page.set_viewport_size({"width": width, "height": height})
    _signed_in(page, live_server, cast.users.security_admin)
    page.goto(f"{live_server.url}/console/reset/")
    page.fill("#id_username", cast.users.province_admin.username)
    page.check("#id_confirm")
    page.click("button:has-text('重置账号')")
    page.locator("[data-field=temporary_password]").wait_for()
    assert len(page.locator("[data-field=temporary_password]").inner_text()) >= 16
    _shot(page, f"account-reset-{width}")
