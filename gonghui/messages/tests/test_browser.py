"""On a 390×844 phone (issue 9): the worker's home and its tiles, a message arriving after a cadre's decision
on the applicant's join application, and a password reset by text-message code. Screenshots of the home,
the inbox and the reset pages at 390×844 and 1366×768 go to /tmp/shots/home for people to look at."""

import re

import pytest

from gonghui.core import registry, sms
from gonghui.joining.tests.conftest import NEW_PHONE, PASSWORD, submit

SHOTS = "/tmp/shots/home"  # noqa: S108 — screenshots for people to look at, not data
DESKTOP = {"width": 1366, "height": 768}
NEW = "Xin-mima-2026-ok"


def _fits(page) -> None:
    assert page.evaluate("document.scrollingElement.scrollWidth") <= page.viewport_size["width"]


def _sign_in(page, live_server, username, password, lands="/me/"):
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}{lands}")


def _shoot(page, name: str) -> None:
    _fits(page)
    page.screenshot(path=f"{SHOTS}/{name}-390.png", full_page=True)
    page.set_viewport_size(DESKTOP)
    page.screenshot(path=f"{SHOTS}/{name}-1366.png", full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})


@pytest.mark.browser
def test_the_worker_home_and_its_tiles(page, live_server, transactional_db, cast):
    _sign_in(page, live_server, cast.users.worker.username, cast.password)
    tiles = page.locator("nav[aria-label='服务'] a")
    shown = [t.split("\n")[-1] for t in tiles.all_inner_texts()]
    assert shown and shown == [t.label for t in registry.worker_tiles(cast.users.worker)]  # the declared, in order
    assert page.locator("a.btn:has-text('出示电子会员证')").is_visible()  # the card, one tap away
    assert "没有正在办理的事项" in page.content() and "没有未读消息" in page.content()
    _shoot(page, "home")
    page.click("nav[aria-label='服务'] >> text=会费")
    page.wait_for_url(f"{live_server.url}/dues/mine/**")
    page.go_back()
    page.click("a.btn:has-text('出示电子会员证')")
    page.wait_for_url(f"{live_server.url}/me/card/")
    assert "张伟" in page.content()


@pytest.mark.browser
def test_a_message_arrives_after_the_cadre_accepts_the_application(page, browser, live_server, transactional_db,
                                                                    cast):  # fmt: skip
    application = submit(employer=cast.orgs.company.employer, employment_form="standard")
    _sign_in(page, live_server, NEW_PHONE, PASSWORD)
    assert "您还不是工会会员" in page.content() and "入会申请" in page.locator("nav[aria-label='服务']").inner_text()
    cases = page.locator("section[aria-labelledby='gh-home-cases']").inner_text()
    assert "入会申请" in cases and "待受理" in cases  # the open case, with its status
    _shoot(page, "home-applicant")

    desk = browser.new_page(viewport=DESKTOP)
    _sign_in(desk, live_server, cast.users.province_admin.username, cast.password, lands="/orgs/")
    desk.goto(f"{live_server.url}/join/todo/{application.pk}/")
    desk.click("button:has-text('受理入会')")
    desk.wait_for_selector("text=已受理入会")
    desk.close()

    page.reload()
    assert page.locator(".navbar-toggler .badge").inner_text().startswith("1")  # on the phone's menu button
    page.click(".navbar-toggler")
    assert page.locator(".navbar-nav .badge").inner_text() == "1"
    assert "入会申请已通过" in page.content() and "出示电子会员证" in page.content()
    page.goto(f"{live_server.url}/messages/")
    _shoot(page, "inbox")
    page.click("text=入会申请已通过")
    page.wait_for_selector("h1:has-text('入会申请已通过')")
    assert re.search(r"会员证号 \S+", page.inner_text("main"))
    _shoot(page, "message")
    page.click("text=查看详情")
    page.wait_for_url(f"{live_server.url}/me/")
    assert page.locator(".navbar .badge").count() == 0  # read
    page.goto(f"{live_server.url}/messages/settings/")
    _shoot(page, "message-settings")


@pytest.mark.browser
def test_a_worker_resets_a_forgotten_password_by_text_message(page, live_server, transactional_db, cast):
    submit()
    page.goto(f"{live_server.url}/login/")
    page.click("text=忘记密码？")
    page.wait_for_url(f"{live_server.url}/join/account/reset/")
    page.fill("#id_phone", NEW_PHONE)
    _shoot(page, "reset-phone")
    page.click("button:has-text('获取验证码')")
    page.wait_for_selector("text=验证码已发送")
    code = re.search(r"验证码是 (\d{6})", sms.outbox[-1].text).group(1)
    page.fill("#id_code", code)
    page.fill("#id_new_password1", NEW)
    page.fill("#id_new_password2", NEW)
    _shoot(page, "reset-code")
    page.click("button:has-text('设置新密码')")
    page.wait_for_selector("text=密码已重设，请用新密码登录。")
    _shoot(page, "reset-done")
    _sign_in(page, live_server, NEW_PHONE, NEW)
    assert "您还不是工会会员" in page.content()
