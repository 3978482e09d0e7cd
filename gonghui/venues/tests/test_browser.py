"""On a phone, a rider lets the page read their position, finds the station nearby on the list and the point
map, and checks in by its QR code; the keeper sees the visit. A cadre's pages on a desktop. Screenshots go to
/tmp/shots/venues for people to look at."""

import os

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from gonghui.testing.browser import is_csp_violation
from gonghui.venues import services
from gonghui.venues.tests.conftest import XIHU, make_station

SHOTS = "/tmp/shots/venues"  # noqa: S108 — screenshots for people to look at, not data
PHONE, DESKTOP = {"width": 390, "height": 844}, {"width": 1366, "height": 768}


def _page(browser, live_server, user, viewport, **context):
    """A page signed in as ``user`` by a session cookie, failing the test on a CSP violation or script error."""
    os.makedirs(SHOTS, exist_ok=True)
    ctx = browser.new_context(viewport=viewport, **context)
    if user is not None:
        client = Client()
        client.force_login(user)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME]
        ctx.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])
    page = ctx.new_page()
    page.problems = []
    page.on("console", lambda m: page.problems.append(m.text) if is_csp_violation(m.text) else None)
    page.on("pageerror", lambda error: page.problems.append(f"script error: {error}"))
    return page


def _picture():
    from io import BytesIO

    from PIL import Image, ImageDraw

    image = Image.new("RGB", (800, 600), (200, 225, 240))
    ImageDraw.Draw(image).rectangle((200, 260, 600, 470), fill=(214, 40, 40))
    out = BytesIO()
    image.save(out, "JPEG")
    out.seek(0)
    return out


def _fits(page) -> None:
    assert page.evaluate("document.scrollingElement.scrollWidth") <= page.viewport_size["width"]


@pytest.mark.browser
def test_rider_finds_a_station_and_checks_in_on_a_phone(browser, live_server, transactional_db, cast, settings,
                                                        tmp_path):  # fmt: skip
    settings.VAR_DIR = tmp_path
    station = make_station(cast, keeper=cast.users.grassroots_admin)
    services.photo_add(actor=None, venue=station, file=_picture(), caption="驿站外观")
    make_station(cast, name="文三路快递驿站", lat=XIHU[0] + 0.012, lng=XIHU[1] + 0.010, all_day=True)
    closed_today = "".join(d for d in "1234567" if d != str(timezone.localdate().isoweekday()))
    make_station(cast, name="古墩路书屋", kind="library", library_grade="self_built", checked=[], lat=XIHU[0] - 0.008,
                 lng=XIHU[1] - 0.004, all_day=True, open_days=closed_today)  # fmt: skip
    phone = _page(browser, live_server, cast.users.worker, PHONE, permissions=["geolocation"],
                  geolocation={"latitude": XIHU[0], "longitude": XIHU[1]})  # fmt: skip
    phone.goto(f"{live_server.url}/venues/nearby/")
    phone.click("text=使用我的位置")
    phone.wait_for_selector("[data-nearby-list]")
    first = phone.locator("[data-nearby-list] li").first
    assert "西溪路环卫工会驿站" in first.inner_text() and "米" in first.inner_text()
    phone.wait_for_selector("[data-venues-map] svg")
    assert phone.locator("[data-venues-map] svg path").count() >= 3  # the points and the pin
    _fits(phone)
    phone.screenshot(path=f"{SHOTS}/nearby-phone.png", full_page=True)
    phone.fill("#id_q", "杭州市西湖区")  # a typed place: the district's registered stations' centre
    phone.click("button:has-text('查找')")
    phone.wait_for_selector("[data-place-note]")
    assert "已定位到：浙江省杭州市西湖区" in phone.content() and "西溪路环卫工会驿站" in phone.content()
    _fits(phone)
    phone.screenshot(path=f"{SHOTS}/nearby-typed-phone.png", full_page=True)
    phone.click("[data-nearby-list] a:has-text('西溪路环卫工会驿站')")
    phone.wait_for_selector("[data-photo-list] img")
    # The element is there before its picture has arrived: img.decode() settles once the browser has decoded it
    # (a predicate string for wait_for_function would be eval'd, which the page's CSP refuses).
    assert phone.locator("[data-photo-list] img").first.evaluate("img => img.decode().then(() => img.naturalWidth)") > 0
    _fits(phone)
    phone.screenshot(path=f"{SHOTS}/station-phone.png", full_page=True)
    phone.goto(f"{live_server.url}/venues/nearby/?lat={XIHU[0]}&lng={XIHU[1]}")
    phone.check("#id_open_now")
    phone.click("button:has-text('查找')")
    phone.wait_for_selector("[data-nearby-list]")
    assert "古墩路书屋" not in phone.content()  # closed today
    phone.goto(f"{live_server.url}/venues/c/{services.qr_token(station)}/")
    phone.click("button:has-text('确认签到')")
    phone.wait_for_selector("[data-checkin-done]")
    assert "签到成功" in phone.content()
    _fits(phone)
    phone.screenshot(path=f"{SHOTS}/checkin-phone.png", full_page=True)
    assert not phone.problems, phone.problems
    phone.context.close()

    keeper = _page(browser, live_server, cast.users.grassroots_admin, PHONE)
    keeper.goto(f"{live_server.url}/venues/keeper/")
    assert keeper.locator(f"[data-visits='{station.pk}']").inner_text().startswith("1")
    keeper.screenshot(path=f"{SHOTS}/keeper-phone.png", full_page=True)
    keeper.context.close()

    for viewport, suffix in ((DESKTOP, "desktop"), (PHONE, "phone")):
        desk = _page(browser, live_server, cast.users.province_admin, viewport)
        for name, path in (("list", "/venues/"), ("detail", f"/venues/{station.pk}/"), ("new", "/venues/new/"),
                           ("report", "/venues/report/"), ("nearby-empty", "/venues/nearby/")):  # fmt: skip
            desk.goto(f"{live_server.url}{path}")
            _fits(desk)
            desk.screenshot(path=f"{SHOTS}/{name}-{suffix}.png", full_page=True)
        assert not desk.problems, desk.problems
        desk.context.close()
