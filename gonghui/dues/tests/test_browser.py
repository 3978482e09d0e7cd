"""A province admin records a month's dues for a union on a phone-sized page, in a real browser: the
confirmation comes from static/dues/dues.js (no inline script under the CSP), the page fits 390px."""

import pytest

from gonghui.dues.models import DuesPayment
from gonghui.dues.tests.support import months_ago, set_base
from gonghui.testing.browser import sign_in


@pytest.mark.browser
def test_batch_payment_on_a_phone(page, live_server, transactional_db, cast):
    set_base(cast, cast.members.zhang)
    sign_in(page, live_server, cast.users.province_admin, cast.password)
    page.goto(f"{live_server.url}/dues/?org={cast.orgs.company.pk}&month={months_ago(1):%Y-%m}")
    assert page.evaluate("document.scrollingElement.scrollWidth") <= 390
    assert "未核定缴费基数" in page.content()
    page.once("dialog", lambda dialog: dialog.dismiss())
    page.click("button:has-text('按月批量登记')")
    assert not DuesPayment.objects.exists()  # dismissed: nothing sent
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("button:has-text('按月批量登记')")
    page.wait_for_selector("text=已登记 1 人")
    assert DuesPayment.objects.count() == 1
    page.click("text=张伟")
    page.wait_for_selector("text=年度会费明细")
    assert page.evaluate("document.scrollingElement.scrollWidth") <= 390
