"""On a phone, a cadre meets two faults: an export that failed because the disk was full says so and offers no
download; a save whose database connection dropped shows the 503 page saying nothing was saved. Screenshots go to
/tmp/shots/prod (phone and desktop) for people to look at."""

import errno
import os

import pytest
from django.conf import settings
from django.db import OperationalError
from django.test import Client
from django.urls import reverse

from gonghui.core import exports, files
from gonghui.core.models import ExportJob
from gonghui.core.tasks import export_task
from gonghui.testing.browser import is_csp_violation
from gonghui.venues.tests.conftest import make_station

SHOTS = "/tmp/shots/prod"  # noqa: S108 — screenshots for people to look at, not data
PHONE, DESKTOP = {"width": 390, "height": 844}, {"width": 1366, "height": 900}


def _page(browser, live_server, user, viewport):
    os.makedirs(SHOTS, exist_ok=True)
    ctx = browser.new_context(viewport=viewport, device_scale_factor=1)
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    ctx.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])
    page = ctx.new_page()
    page.problems = []
    page.on("console", lambda m: page.problems.append(m.text) if is_csp_violation(m.text) else None)
    page.on("pageerror", lambda error: page.problems.append(f"script error: {error}"))
    return page


@pytest.mark.browser
def test_a_cadre_sees_a_failed_export_and_a_dropped_save_on_the_phone(cast, live_server, browser, settings,
                                                                       tmp_path, monkeypatch):  # fmt: skip
    settings.VAR_DIR = tmp_path
    user = cast.users.grassroots_admin

    def disk_full(self, data):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(files.EncryptingWriter, "write", disk_full)
    job = exports.export_start(actor=user, spec=exports.cadre_list("joining.codes"), params={})
    with pytest.raises(OSError):
        export_task.call(job.pk)
    assert ExportJob.objects.get(pk=job.pk).status == ExportJob.Status.FAILED

    for name, viewport in (("phone", PHONE), ("desktop", DESKTOP)):
        page = _page(browser, live_server, user, viewport)
        page.goto(live_server.url + reverse("exports:detail", args=[job.pk]))
        body = page.locator("body").inner_text()
        assert "失败：服务器存储空间不足，文件没有生成" in body and page.locator("a:has-text('下载')").count() == 0
        assert page.evaluate("document.scrollingElement.scrollWidth") <= viewport["width"]
        page.screenshot(path=f"{SHOTS}/export-disk-full-{name}.png", full_page=True)
        assert page.problems == []

    venue = make_station(cast)

    def dropped(*args, **kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    page = _page(browser, live_server, user, PHONE)
    page.goto(live_server.url + reverse("venues:edit", args=[venue.pk]))
    page.fill("input[name=name]", "西溪驿站（改）")
    monkeypatch.setattr("gonghui.venues.services.venue_update", dropped)
    page.locator("form button[type=submit]").last.click()
    page.wait_for_load_state()
    body = page.locator("body").inner_text()
    assert "服务暂时不可用" in body and "本次操作没有保存任何内容" in body
    assert page.evaluate("document.scrollingElement.scrollWidth") <= PHONE["width"]
    page.screenshot(path=f"{SHOTS}/database-dropped-phone.png", full_page=True)
    assert page.problems == []
