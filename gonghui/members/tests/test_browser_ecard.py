"""A member shows the e-card on the phone; a stranger scans it; the member revokes it (real browser)."""

import pytest
from django.urls import reverse

from gonghui.members import ecard
from gonghui.members.models import Membership


@pytest.mark.browser
def test_member_shows_the_card_a_stranger_verifies_it_and_the_member_revokes_it(
    browser, page, live_server, transactional_db, cast
):
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", cast.users.worker.username)
    page.fill("#id_password", cast.password)
    page.click("button[type=submit]")
    page.goto(f"{live_server.url}{reverse('portal:me')}")
    page.click("text=出示电子会员证")
    page.wait_for_url(f"{live_server.url}{reverse('portal:card')}")
    assert page.locator("[data-qr] svg").is_visible()
    box = page.locator("[data-qr] svg").bounding_box()
    assert 150 <= box["width"] <= 390  # large enough to scan, inside a phone's width
    code = ecard.card_code(Membership.objects.get(pk=cast.members.zhang.pk))
    verify_url = f"{live_server.url}{reverse('public:card_verify', args=[code])}"

    stranger = browser.new_page(viewport={"width": 390, "height": 844})
    stranger.goto(verify_url)
    assert stranger.locator("[data-verify-status]").inner_text() == "有效"
    assert "杭州示例科技有限公司工会" in stranger.content() and "张伟" not in stranger.content()

    page.fill("#revoke-reason", "截图外泄")
    page.click("button:has-text('作废')")
    page.wait_for_selector("text=原电子会员证已作废")
    stranger.goto(verify_url)
    assert stranger.locator("[data-verify-status]").inner_text() == "已作废"
    stranger.close()
