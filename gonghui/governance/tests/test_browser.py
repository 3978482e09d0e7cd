"""A leader drills down two levels from 全总 and back by the breadcrumbs, on a desktop and on a phone; the charts
draw (no CSP violation, no script error); the employers' risk list and a yearly report's progress page (polled by
htmx until the worker has kept it) show on both. Screenshots go to /tmp/shots/governance for people to look at."""

import os
import random
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from gonghui.governance import demo, rollup, services
from gonghui.governance.tests.conftest import company_dues_arrears, zhejiang_target
from gonghui.testing.browser import is_csp_violation
from gonghui.venues.tests.conftest import make_station

SHOTS = "/tmp/shots/governance"  # noqa: S108 — screenshots for people to look at, not data
PHONE, DESKTOP = {"width": 390, "height": 844}, {"width": 1366, "height": 900}


def _page(browser, live_server, user, viewport):
    os.makedirs(SHOTS, exist_ok=True)
    ctx = browser.new_context(viewport=viewport)
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
def test_a_leader_drills_down_two_levels_and_back(browser, live_server, transactional_db, cast):
    make_station(cast)
    make_station(cast, actor=cast.users.national_admin, org=cast.orgs.logistics, name="玄武湖畔驿站")
    make_station(cast, name="西溪书屋", kind="library", library_grade="self_built", checked=[])
    rollup.rollup_month()
    demo._backfill(SimpleNamespace(rng=random.Random(3)), timezone.localdate())
    zhejiang_target(cast, value="3")
    company_dues_arrears(cast)
    services.risk_alerts_raise(today=timezone.localdate())
    job = services.year_report_request(actor=cast.users.province_admin, org=cast.orgs.zhejiang,
                                       year=timezone.localdate().year - 1)  # fmt: skip
    for viewport, suffix in ((DESKTOP, "desktop"), (PHONE, "phone")):
        page = _page(browser, live_server, cast.users.national_admin, viewport)
        page.goto(f"{live_server.url}/governance/")
        page.wait_for_selector("[data-chart=trend] svg")
        page.wait_for_selector("[data-chart=rings] svg")
        assert page.inner_text("[data-org-name]") == "中华全国总工会"
        assert page.evaluate("document.scrollingElement.scrollWidth") <= viewport["width"]
        page.screenshot(path=f"{SHOTS}/overview-{suffix}.png", full_page=True)
        page.click("[data-figure=venues_stations] a.stretched-link")
        page.wait_for_selector("[data-chart=children] svg")
        page.click(f"[data-child='{cast.orgs.zhejiang.pk}']")
        page.wait_for_selector("[data-chart=children] svg")
        assert page.inner_text("[data-org-name]") == "浙江省总工会" and "f=venues_stations" in page.url
        assert "下级对比：工会驿站" in page.content()
        page.click(f"[data-child='{cast.orgs.hangzhou.pk}']")
        page.wait_for_selector("[data-chart=trend] svg")
        assert page.inner_text("[data-org-name]") == "杭州市总工会"
        crumbs = ["一屏总览", "中华全国总工会", "浙江省总工会", "杭州市总工会"]
        assert page.inner_text("[data-breadcrumb]").split() == crumbs
        page.screenshot(path=f"{SHOTS}/drilled-{suffix}.png", full_page=True)
        page.click("[data-breadcrumb] >> text=浙江省总工会")
        page.wait_for_selector("[data-targets]")
        assert page.inner_text("[data-org-name]") == "浙江省总工会" and "会员数" in page.inner_text("[data-targets]")
        page.screenshot(path=f"{SHOTS}/province-{suffix}.png", full_page=True)
        page.click("[data-employer-scores] >> text=全部用人单位")
        page.wait_for_selector("[data-employer-list]")
        assert "杭州示例科技" in page.inner_text("[data-employer-list]")
        assert page.evaluate("document.scrollingElement.scrollWidth") <= viewport["width"]
        page.screenshot(path=f"{SHOTS}/employers-{suffix}.png", full_page=True)
        page.goto(f"{live_server.url}/governance/reports/jobs/{job.pk}/")
        if suffix == "desktop":
            page.wait_for_selector("[data-job=running]")
            page.screenshot(path=f"{SHOTS}/year-report-running-{suffix}.png", full_page=True)
            services.year_report_run(job_id=job.pk)  # the worker keeps it: the page follows by itself
        page.wait_for_selector("[data-job=done] >> text=查看年报", timeout=10000)
        page.screenshot(path=f"{SHOTS}/year-report-done-{suffix}.png", full_page=True)
        page.goto(f"{live_server.url}/governance/")
        page.click("[data-breadcrumb] >> text=中华全国总工会")
        page.wait_for_selector("[data-chart=children] svg")
        assert page.inner_text("[data-org-name]") == "中华全国总工会"
        assert not page.problems, page.problems
        page.context.close()
