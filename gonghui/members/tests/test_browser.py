"""A province admin's journey in a real browser: sign in, search by initials, open a member, see his masked ID.

The live server needs committed data (transactional_db); the regions come from a data migration and stay
loaded across the flushes of transactional tests (gonghui.testing.fixtures).

Every page the browser opens is watched: a Content-Security-Policy violation (an inline script, style or
event handler that slipped into a template) or a script error fails the test."""

import os

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
    assert "zw" not in page.url and "/members/?s=" in page.url
    rows.first.click()

    page.wait_for_url(f"{live_server.url}/members/{cast.members.zhang.person_id}/")
    assert page.locator("h1").inner_text() == "张伟"
    assert page.locator("[data-field=id_number]").inner_text() == "3301**********1236"
    assert ZHANG_WEI_ID not in page.content()
    assert page.locator("text=查看完整信息").count() == 0  # the province admin may not unmask


def _shot(page, name: str) -> None:
    folder = os.environ.get("GONGHUI_SCREENSHOTS")
    if folder:
        page.screenshot(path=os.path.join(folder, f"{name}.png"), full_page=True)


@pytest.mark.browser
@pytest.mark.parametrize(("width", "height"), [(390, 844), (1366, 768)])
def test_back_after_a_member_search_shows_the_results_again_without_resubmitting(
    page, live_server, transactional_db, cast, width, height
):
    """Post/Redirect/Get: the ID number is POSTed once; the results page, Back to it and refreshing it are GETs
    of a URL that carries only an opaque token."""
    page.set_viewport_size({"width": width, "height": height})
    requests: list[str] = []
    page.on("request", lambda request: requests.append(f"{request.method} {request.url}"))
    page.on("dialog", lambda dialog: pytest.fail(f"a dialog appeared: {dialog.message}"))
    sign_in(page, live_server, cast.users.province_admin, cast.password)

    page.goto(f"{live_server.url}/members/")
    page.fill("input[name=q]", ZHANG_WEI_ID)
    page.click("button:has-text('查找')")
    page.wait_for_url(f"{live_server.url}/members/?s=*")
    results_url = page.url
    assert page.locator(".gh-member-row").count() == 1
    assert page.get_by_text("按“3301**********1236”查找的结果").is_visible()
    _shot(page, f"search-results-{width}")

    page.locator(".gh-member-row").first.click()
    page.wait_for_url(f"{live_server.url}/members/{cast.members.zhang.person_id}/")
    requests.clear()
    page.go_back()
    page.wait_for_url(results_url)
    assert page.locator(".gh-member-row").count() == 1
    page.reload()
    assert page.locator(".gh-member-row").count() == 1
    assert not [r for r in requests if r.startswith("POST")]  # Back and refresh sent nothing again
    assert all(ZHANG_WEI_ID not in r and "13812345678" not in r for r in requests)
    assert ZHANG_WEI_ID not in page.content()
