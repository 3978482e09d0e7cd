"""A cadre files a household on a desktop, the upper level reviews, the 公示 closes, it approves and aid is
paid; a worker checks on a phone whether they are likely to qualify."""

import datetime as dt

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from gonghui.assistance.tests.conftest import CHILD_ID, SPOUSE_ID, allowances
from gonghui.cases.models import PublicNotice
from gonghui.testing.browser import sign_in
from gonghui.testing.cast import ZHANG_WEI_ID

SHOTS = "/tmp/shots"  # noqa: S108 — screenshots for people to look at, not data


def _fits(page) -> None:
    assert page.evaluate("document.scrollingElement.scrollWidth") <= page.viewport_size["width"]


def _with_session(page, live_server, user):
    """``page`` signed in as ``user`` by a session cookie (an unmasking cadre would be asked for a second factor
    at the sign-in form, which is not what these tests are about)."""
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])
    return page


def _signed_in(browser, live_server, user):
    return _with_session(browser.new_page(viewport={"width": 1280, "height": 900}), live_server, user)


def _step(desk, label: str) -> None:
    desk.click(f"button:has-text('{label}')")
    desk.wait_for_selector("text=已办理")


@pytest.mark.browser
def test_cadre_files_a_household_and_aid_is_paid(browser, live_server, transactional_db, cast):
    allowances()
    desk = _signed_in(browser, live_server, cast.users.grassroots_admin)
    desk.goto(f"{live_server.url}/assistance/new/")
    desk.fill("#id_member_id_number", ZHANG_WEI_ID)
    desk.fill("#id_region_code", "330106")
    desk.select_option("#id_main_cause", "illness")
    desk.fill("#id_bank_name", "中国工商银行")
    desk.fill("#id_bank_account", "6222021234567890123")
    desk.check("#id_consent")
    for i, (relation, name, number, income) in enumerate(
        [("self", "张伟", ZHANG_WEI_ID, "900"), ("child", "张小明", CHILD_ID, "0")]
    ):
        desk.select_option(f"#id_m-{i}-relation", relation)
        desk.fill(f"#id_m-{i}-name", name)
        desk.fill(f"#id_m-{i}-id_number", number)
        desk.fill(f"#id_m-{i}-monthly_income", income)
    desk.fill("#id_expense_medical", "1200")
    desk.screenshot(path=f"{SHOTS}/assistance-new.png", full_page=True)
    desk.click("button:has-text('提交上级工会审核')")
    desk.wait_for_selector("text=已提交建档申请")
    # (900 × 12 − 1200) ÷ 12 ÷ 2 = 400.00 < 1000.
    assert "400.00 元" in desk.content() and "深度困难" in desk.content() and "6222 **** 0123" in desk.content()
    file_url = desk.url
    desk.close()

    upper = browser.new_page(viewport={"width": 1280, "height": 900})
    sign_in(upper, live_server, cast.users.province_admin, cast.password)
    upper.goto(file_url)
    _step(upper, "审核通过并公示")
    assert "公示中" in upper.content()
    PublicNotice.objects.update(closes_on=timezone.localdate() - dt.timedelta(days=1))
    upper.reload()
    _step(upper, "批准建档")
    assert "已建档" in upper.content()
    upper.select_option("#id_kind", "living")
    upper.fill("#id_period", "2026")
    upper.fill("#id_amount", "2000")
    upper.fill("#id_fund_source", "帮扶专项资金")
    upper.fill("#id_received_by", "张伟")
    upper.click("button:has-text('登记发放')")
    upper.wait_for_selector("text=已登记发放")
    assert "2000.00 元" in upper.content()
    upper.screenshot(path=f"{SHOTS}/assistance-detail.png", full_page=True)
    upper.close()


@pytest.mark.browser
def test_worker_self_check_and_application_on_a_phone(page, live_server, transactional_db, cast):
    allowances()
    _with_session(page, live_server, cast.users.worker)
    page.goto(f"{live_server.url}/assistance/self-check/")
    page.fill("#id_household_size", "3")
    page.fill("#id_monthly_income", "4200")
    page.fill("#id_yearly_expenses", "6000")
    page.fill("#id_region_code", "330106")
    page.select_option("#id_main_cause", "illness")
    _fits(page)
    page.click("button:has-text('自测')")
    page.wait_for_selector("#self-check-result")
    # (4200 × 12 − 6000) ÷ 12 ÷ 3 = 1233.33: below 2 × 1000.
    assert "可能符合“相对困难”" in page.content() and "医院诊断证明" in page.content()
    _fits(page)
    page.screenshot(path=f"{SHOTS}/assistance-self-check-phone.png", full_page=True)

    # From the result to the application: their own income, the spouse, the medical costs, the consent.
    page.click("a:has-text('去申请')")
    page.click("a:has-text('申请困难帮扶')")
    page.wait_for_selector("text=杭州示例科技有限公司工会")
    page.fill("#id_own_monthly_income", "2800")
    page.fill("#id_own_work", "操作工")
    page.select_option("#id_m-0-relation", "spouse")
    page.fill("#id_m-0-name", "刘梅")
    page.fill("#id_m-0-id_number", SPOUSE_ID)
    page.fill("#id_m-0-health", "尿毒症，透析")
    page.fill("#id_m-0-monthly_income", "1400")
    page.select_option("#id_main_cause", "illness")
    page.fill("#id_expense_medical", "6000")
    _fits(page)
    page.click("button:has-text('提交申请')")
    page.wait_for_selector("#id_consent.is-invalid, .invalid-feedback, .alert-danger")
    assert "单独同意" in page.content()  # nothing filed without the consent; what was typed is still there
    assert page.input_value("#id_m-0-name") == "刘梅"
    page.check("#id_consent")
    page.click("button:has-text('提交申请')")
    page.wait_for_selector("text=已提交申请")
    # (12 × 4200 − 6000) ÷ 12 ÷ 2 = 1850.00 < 2 × 1000: 相对困难, waiting for the upper level.
    assert page.inner_text("#my-file-status") == "待上级审核" and "相对困难" in page.content()
    assert "致困原因证明" in page.content()
    _fits(page)
    page.screenshot(path=f"{SHOTS}/assistance-mine-phone.png", full_page=True)
