"""The union's finance side reports a rectification on a phone; the committee's director closes it on a desktop
and the open list empties. The fund review pages are photographed at phone and desktop size."""

import os

import pytest
from django.conf import settings
from django.test import Client

from gonghui.fundreview.tests.conftest import make_finding, reviewer

SHOTS = "/tmp/shots/fundreview"  # noqa: S108 — screenshots for people to look at, not data
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
def test_a_rectification_is_reported_and_closed(browser, live_server, transactional_db, cast):
    os.makedirs(SHOTS, exist_ok=True)
    finding = make_finding(cast)
    org = cast.orgs.company.pk
    phone = _signed_in(browser, live_server, cast.users.grassroots_admin, PHONE)
    phone.goto(f"{live_server.url}/fundreview/?org={org}")
    assert "李娜" in phone.inner_text("#fr-members")
    _fits(phone)
    phone.screenshot(path=f"{SHOTS}/home-phone.png", full_page=True)
    phone.goto(f"{live_server.url}/fundreview/findings/{finding.pk}/")
    phone.fill("#id_response", "已补齐 42 人签收清单并附入凭证。")
    _fits(phone)
    phone.click("button:has-text('报送整改情况')")
    phone.wait_for_selector("text=已报送整改情况，等待经费审查委员会确认。")
    assert "已报整改情况" in phone.inner_text("#fr-status")
    phone.screenshot(path=f"{SHOTS}/finding-phone.png", full_page=True)
    phone.goto(f"{live_server.url}/fundreview/plans/{finding.plan_id}/")
    _fits(phone)
    phone.screenshot(path=f"{SHOTS}/plan-phone.png", full_page=True)
    phone.close()

    desk = _signed_in(browser, live_server, reviewer(cast), DESKTOP)
    desk.goto(f"{live_server.url}/fundreview/findings/{finding.pk}/")
    desk.fill("#id_note", "核对签收清单无误。")
    desk.click("button:has-text('确认整改完成（销号）')")
    desk.wait_for_selector("text=已确认整改完成，问题销号。")
    assert "整改完成（已销号）" in desk.inner_text("#fr-status")
    desk.screenshot(path=f"{SHOTS}/finding-desktop.png", full_page=True)
    desk.goto(f"{live_server.url}/fundreview/findings/?status=open")
    assert "没有符合条件的问题" in desk.content()
    desk.goto(f"{live_server.url}/fundreview/?org={org}")
    desk.screenshot(path=f"{SHOTS}/home-desktop.png", full_page=True)
    desk.goto(f"{live_server.url}/fundreview/plans/{finding.plan_id}/")
    desk.screenshot(path=f"{SHOTS}/plan-desktop.png", full_page=True)
    desk.close()
