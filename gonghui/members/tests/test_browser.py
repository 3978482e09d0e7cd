"""A province admin's journey in a real browser: sign in, search by initials, open a member, see his masked ID.

The live server needs committed data (transactional_db); the regions come from a data migration and stay
loaded across the flushes of transactional tests (gonghui.testing.fixtures).

Every page the browser opens is watched: a Content-Security-Policy violation (an inline script, style or
event handler that slipped into a template) or a script error fails the test."""

import pytest

from gonghui.testing.browser import sign_in
from gonghui.testing.cast import ZHANG_WEI_ID


@pytest.mark.browser
def test_province_admin_finds_zhang_wei_by_initials(page, live_server, transactional_db, cast):
    sign_in(page, live_server, cast.users.province_admin, cast.password)

    toggle = page.locator(".gh-toggle").first  # the tree opens and closes (static/js/gonghui.js)
    children = page.locator(f"#{toggle.get_attribute('data-gh-children')}")
    toggle.click()
    children.locator(".gh-tree-node").first.wait_for()
    assert toggle.get_attribute("aria-expanded") == "true"
    toggle.click()
    assert toggle.get_attribute("aria-expanded") == "false"
    assert "d-none" in children.get_attribute("class")

    page.goto(f"{live_server.url}/members/")
    page.fill("input[name=q]", "zw")
    page.click("button:has-text('查找')")
    page.wait_for_load_state()
    rows = page.locator(".gh-member-row")
    assert rows.count() == 1
    assert "zw" not in page.url and page.url.endswith("/members/")
    rows.first.click()

    page.wait_for_url(f"{live_server.url}/members/{cast.members.zhang.person_id}/")
    assert page.locator("h1").inner_text() == "张伟"
    assert page.locator("[data-field=id_number]").inner_text() == "3301**********1236"
    assert ZHANG_WEI_ID not in page.content()
    assert page.locator("text=查看完整信息").count() == 0  # the province admin may not unmask
