"""An admin's two-factor journey in a real browser: password, enrol an authenticator (the test reads
the secret off the page and computes codes as a phone app would), sign out, sign in again with password
and code. Screenshots of the enrolment and verify pages, phone and desktop, go to var/screenshots/."""

import time
from pathlib import Path

import pytest
from django.conf import settings

from gonghui.accounts import totp
from gonghui.accounts.models import RecoveryCode, TotpDevice

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}


def shoot(page, name: str) -> None:
    """Phone and desktop screenshots of the page as it is now."""
    folder = Path(settings.BASE_DIR) / "var" / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    for label, size in (("phone", PHONE), ("desktop", DESKTOP)):
        page.set_viewport_size(size)
        page.evaluate("window.scrollTo(0, 0)")  # the sticky navbar would otherwise sit mid-picture
        page.screenshot(path=str(folder / f"{name}-{label}.png"), full_page=True)
    page.set_viewport_size(DESKTOP)


def sign_in(page, base, username, password):
    page.goto(f"{base}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")


@pytest.mark.browser
def test_admin_enrols_totp_and_signs_in_with_it(browser, live_server, transactional_db, cast,
                                                real_two_factor):  # fmt: skip
    user = cast.users.national_admin
    page = browser.new_page(viewport=DESKTOP)
    base = live_server.url

    sign_in(page, base, user.username, cast.password)
    page.wait_for_url(f"{base}/account/2fa/")  # an unmasking admin must enrol before anything else
    assert page.locator("h1").inner_text() == "启用两步验证"
    assert page.locator("[data-qr] svg").count() == 1
    shoot(page, "2fa-enrol")
    page.goto(f"{base}/orgs/")
    page.wait_for_url(f"{base}/account/2fa/")

    secret = page.locator("[data-secret]").get_attribute("data-secret")
    assert page.locator("[data-secret]").inner_text().replace(" ", "") == secret
    page.fill("#id_code", totp.code_for(secret))
    page.click("button:has-text('验证并启用')")
    page.wait_for_load_state()
    codes = page.locator("[data-recovery-codes] li").all_inner_texts()
    assert len(codes) == 10
    shoot(page, "2fa-recovery-codes")
    assert TotpDevice.objects.get(user=user).confirmed_at is not None
    assert RecoveryCode.objects.filter(user=user, used_at__isnull=True).count() == 10
    page.click("text=我已保存，继续")
    page.wait_for_url(f"{base}/orgs/")

    page.click("#gh-account")  # the account's menu
    page.click("button:has-text('退出')")
    page.wait_for_url(f"{base}/login/")

    sign_in(page, base, user.username, cast.password)
    page.wait_for_url(f"{base}/account/2fa/verify/**")
    assert page.locator("h1").inner_text() == "两步验证"
    shoot(page, "2fa-verify")
    page.goto(f"{base}/members/")
    page.wait_for_url(f"{base}/account/2fa/verify/**")
    page.fill("#id_code", "000000" if totp.code_for(secret, time.time() + 30) != "000000" else "111111")
    page.click("button:has-text('验证')")
    assert "动态口令或恢复码不正确" in page.locator(".alert-danger").inner_text()
    shoot(page, "2fa-verify-error")

    page.fill("#id_code", totp.code_for(secret, time.time() + 30))  # the next step: never the enrolment's code
    page.click("button:has-text('验证')")
    page.wait_for_url(f"{base}/members/")
    assert page.locator("h1").count() >= 1 and "两步验证" not in page.title()
