"""On a phone, a member signs up for an event and sees their place; the cadre's pages on a desktop.
Screenshots go to /tmp/shots/venues."""

import datetime as dt

import pytest
from django.utils import timezone

from gonghui.activities import services
from gonghui.activities.tests.conftest import make_activity
from gonghui.venues.tests.test_browser import DESKTOP, PHONE, SHOTS, _fits, _page


@pytest.mark.browser
def test_member_signs_up_on_a_phone(browser, live_server, transactional_db, cast):
    activity = make_activity(cast, capacity=30, description="为户外劳动者送清凉饮品和防暑药品。")
    make_activity(cast, title="“金秋助学”说明会", campaign="autumn", place="市总工会三楼会议室", capacity=1)
    phone = _page(browser, live_server, cast.users.worker, PHONE)
    phone.goto(f"{live_server.url}/activities/mine/")
    _fits(phone)
    phone.locator(f"[data-activity='{activity.pk}'] button:has-text('报名')").click()
    phone.wait_for_selector("text=报名成功。")
    assert phone.locator(f"[data-activity='{activity.pk}'] [data-signup-status]").inner_text() == "报名成功"
    _fits(phone)
    phone.screenshot(path=f"{SHOTS}/activities-mine-phone.png", full_page=True)
    now = timezone.now()
    today = make_activity(cast, title="“夏送清凉”驿站现场慰问", starts_at=now, ends_at=now + dt.timedelta(hours=3),
                          signup_deadline=now - dt.timedelta(hours=1))  # fmt: skip
    services.signup_create(actor=cast.users.worker, activity=today, now=now - dt.timedelta(hours=2))
    phone.goto(f"{live_server.url}/activities/c/{services.checkin_token(today)}/")  # the organiser's QR code
    phone.click("button:has-text('确认签到')")
    phone.wait_for_selector("[data-checkin-done]")
    assert "签到成功" in phone.content()
    _fits(phone)
    phone.screenshot(path=f"{SHOTS}/activities-checkin-phone.png", full_page=True)
    assert not phone.problems, phone.problems
    phone.context.close()
    for viewport, suffix in ((DESKTOP, "desktop"), (PHONE, "phone")):
        desk = _page(browser, live_server, cast.users.grassroots_admin, viewport)
        for name, path in (("list", "/activities/"), ("detail", f"/activities/{today.pk}/"),
                           ("new", "/activities/new/"), ("qr", f"/activities/{today.pk}/qr/"),
                           ("report", f"/activities/report/?org={cast.orgs.company.pk}")):  # fmt: skip
            desk.goto(f"{live_server.url}{path}")
            _fits(desk)
            desk.screenshot(path=f"{SHOTS}/activities-{name}-{suffix}.png", full_page=True)
        assert not desk.problems, desk.problems
        desk.context.close()
