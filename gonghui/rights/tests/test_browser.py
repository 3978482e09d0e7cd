"""On a phone, a worker files a request; the company union's cadre answers it; the worker reads the answer on
the phone. Screenshots of these pages go to /tmp/shots/rights."""

import os

import pytest

from gonghui.rights.models import RightsRequest
from gonghui.rights.tests.conftest import TECH_USCC, make_request
from gonghui.venues.tests.test_browser import PHONE, _fits, _page

SHOTS = "/tmp/shots/rights"  # noqa: S108 — screenshots for people to look at, not data
DESKTOP = {"width": 1366, "height": 900}


@pytest.mark.browser
def test_worker_files_on_a_phone_cadre_replies_worker_reads_it(browser, live_server, transactional_db, cast):
    os.makedirs(SHOTS, exist_ok=True)
    phone = _page(browser, live_server, cast.users.worker, PHONE)
    phone.goto(f"{live_server.url}/rights/mine/")
    phone.click("text=提交诉求")
    phone.select_option("#id_category", "wages")
    phone.fill("#id_employer_name", "杭州示例科技有限公司")
    phone.fill("#id_employer_uscc", TECH_USCC)
    phone.fill("#id_description", "九月到十一月的工资一直没发，共两万四千元，主管说公司资金紧张。")
    _fits(phone)
    phone.screenshot(path=f"{SHOTS}/file-phone.png", full_page=True)
    phone.click("button:has-text('提交')")
    phone.wait_for_selector("text=诉求已提交")
    assert phone.locator("#request-status").inner_text() == "待受理"
    request = RightsRequest.objects.get()

    make_request(cast, category="hours", anonymous=True)  # another row for the cadre's list
    desk = _page(browser, live_server, cast.users.grassroots_admin, DESKTOP)
    desk.goto(f"{live_server.url}/rights/")
    _fits(desk)
    desk.screenshot(path=f"{SHOTS}/list-desktop.png", full_page=True)
    desk.click(f"[data-request='{request.pk}'] a")
    desk.fill("#id_text", "已约谈单位负责人，单位承诺 12 月 5 日前补发全部工资。")
    desk.click("button:has-text('答复职工')")
    desk.wait_for_selector("text=已答复，职工可在手机上查看")
    _fits(desk)
    desk.screenshot(path=f"{SHOTS}/detail-desktop.png", full_page=True)
    assert not desk.problems, desk.problems
    desk.context.close()

    phone.goto(f"{live_server.url}/rights/mine/{request.pk}/")
    assert "12 月 5 日前补发" in phone.locator("#replies").inner_text()
    assert phone.locator("#request-status").inner_text() == "已答复"
    _fits(phone)
    phone.screenshot(path=f"{SHOTS}/reply-phone.png", full_page=True)
    phone.goto(f"{live_server.url}/rights/mine/")
    _fits(phone)
    phone.screenshot(path=f"{SHOTS}/mine-phone.png", full_page=True)
    assert not phone.problems, phone.problems
    phone.context.close()
