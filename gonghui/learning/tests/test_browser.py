"""On a phone, a worker checks in a reading at a worker library and sees the credits; the cadre's pages on a
phone and a desktop. Screenshots go to /tmp/shots/learning."""

import pytest

from gonghui.learning.tests.conftest import a_completion, a_course
from gonghui.venues.models import Kind, Venue
from gonghui.venues.tests import test_browser as kit

SHOTS = "/tmp/shots/learning"  # noqa: S108 — screenshots for people to look at, not data


@pytest.mark.browser
def test_worker_checks_in_a_reading_and_sees_the_credits(browser, live_server, transactional_db, cast, monkeypatch):
    monkeypatch.setattr(kit, "SHOTS", SHOTS)
    course = a_course(cast)
    a_completion(cast, course)
    a_course(cast, title="新就业形态劳动者权益保障法律知识", days=(-2, 30), mode="online", credits="1.5")
    library = Venue.objects.create(org=cast.orgs.xihu, kind=Kind.LIBRARY, name="西湖区职工书屋", address="文三路 1 号")
    phone = kit._page(browser, live_server, cast.users.worker, kit.PHONE)
    phone.goto(f"{live_server.url}/learning/me/")
    kit._fits(phone)
    assert phone.inner_text("[data-credits-total]") == "2.0"
    phone.screenshot(path=f"{SHOTS}/me-phone.png", full_page=True)
    phone.fill("#id_title", "平凡的世界")
    phone.fill("#id_minutes", "90")
    phone.select_option("#id_venue", str(library.pk))
    phone.fill("#id_note", "孙少平在煤矿的日子，让我想起刚进厂的时候。")
    phone.locator("[data-checkin-form] button[type=submit]").click()
    phone.wait_for_selector("text=打卡成功，获得 1.5 学分")
    assert phone.inner_text("[data-credits-total]") == "3.5"
    assert "西湖区职工书屋" in phone.inner_text("[data-checkin]")
    kit._fits(phone)
    phone.screenshot(path=f"{SHOTS}/me-checked-in-phone.png", full_page=True)
    phone.fill("#id_title", "《平凡的世界》")
    phone.fill("#id_minutes", "30")
    phone.locator("[data-checkin-form] button[type=submit]").click()
    phone.wait_for_selector("text=今天已经为《平凡的世界》打过卡了")
    kit._fits(phone)
    phone.screenshot(path=f"{SHOTS}/checkin-refused-phone.png", full_page=True)
    assert not phone.problems, phone.problems
    phone.context.close()
    for viewport, suffix in ((kit.DESKTOP, "desktop"), (kit.PHONE, "phone")):
        desk = kit._page(browser, live_server, cast.users.province_admin, viewport)
        for name, path in (("courses", "/learning/"), ("course", f"/learning/courses/{course.pk}/"),
                           ("report", "/learning/report/"), ("checkins", "/learning/checkins/"),
                           ("import", f"/learning/courses/{course.pk}/completions/import/"),
                           ("new", "/learning/courses/new/")):  # fmt: skip
            desk.goto(f"{live_server.url}{path}")
            kit._fits(desk)
            desk.screenshot(path=f"{SHOTS}/{name}-{suffix}.png", full_page=True)
        assert not desk.problems, desk.problems
        desk.context.close()
