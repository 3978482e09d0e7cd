"""On a phone, a judge opens their sheet, scores both entrants, signs, and sees the scores locked; then the
organiser's ranking, round, registries and the certificate check on a phone and a desktop. Screenshots go to
/tmp/shots/workforce for people to look at."""

import datetime as dt
import os
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from gonghui.testing.browser import is_csp_violation
from gonghui.workforce import certificates, selectors, services
from gonghui.workforce.models import Certificate, Score, Studio
from gonghui.workforce.tests.conftest import YEAR, make_event, make_model_worker

SHOTS = "/tmp/shots/workforce"  # noqa: S108 — screenshots for people to look at, not data
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PHONE, DESKTOP = {"width": 390, "height": 844}, {"width": 1366, "height": 900}


def _page(browser, live_server, user, viewport):
    os.makedirs(SHOTS, exist_ok=True)
    ctx = browser.new_context(viewport=viewport)
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


def _fits(page) -> None:
    assert page.evaluate("document.scrollingElement.scrollWidth") <= page.viewport_size["width"]


@pytest.mark.browser
def test_a_judge_scores_on_a_phone_and_the_organiser_sees_the_results(browser, live_server, transactional_db, cast):
    ev = make_event(cast, judges=2)
    judge = ev.judges[0]
    phone = _page(browser, live_server, judge.user, PHONE)
    phone.goto(f"{live_server.url}/workforce/judging/")
    phone.click("text=2026年浙江省职工职业技能大赛")
    phone.wait_for_selector("[data-competitor='1']")
    _fits(phone)
    phone.screenshot(path=f"{SHOTS}/sheet-phone.png", full_page=True)
    for number, value in (("1", "91.5"), ("2", "87")):
        card = phone.locator(f"[data-competitor='{number}']")
        card.locator("input[name=value]").fill(value)
        card.locator("button:has-text('保存')").click()
        phone.wait_for_selector(f"[data-competitor='{number}'] [data-score]")
    assert "已评 2/2" in phone.inner_text("main")
    phone.click("button:has-text('签字确认')")
    phone.wait_for_selector("[data-signed]")
    scores = Score.objects.filter(judge=judge).order_by("competitor__entry__number").values_list("value", "signed")
    assert list(scores) == [(Decimal("91.5"), True), (Decimal("87"), True)]
    # a locked score changes only with a reason
    card = phone.locator("[data-competitor='2']")
    card.locator("input[name=value]").fill("88")
    card.locator("button:has-text('保存')").click()
    phone.wait_for_selector("[data-score-error]")
    assert "理由" in phone.inner_text("[data-score-error]")
    _fits(phone)
    phone.screenshot(path=f"{SHOTS}/sheet-signed-phone.png", full_page=True)
    assert not phone.problems, phone.problems

    # the second judge scores and signs, the event ends, certificates go out; the organiser's pages
    other = ev.judges[1]
    for competitor, value in zip(ev.competitors, ("93", "85"), strict=True):
        services.score_set(actor=other.user, judge=other, competitor=competitor, value=Decimal(value))
    services.sheet_sign(actor=other.user, judge=other)
    services.event_end(actor=ev.actor, event=ev.event, at=timezone.now() - dt.timedelta(hours=3))
    services.certificates_issue(actor=ev.actor, event=ev.event)
    worker = make_model_worker(cast)
    publicised = services.publicity_add(actor=None, model_worker=worker, level="national", campaign="大国工匠年度人物",
                                        published_on=dt.date(2024, 3, 1), link="https://www.workercn.cn/")  # fmt: skip
    services.care_year_open(actor=None, org=cast.orgs.zhejiang, year=YEAR)
    services.studio_create(actor=None, org=cast.orgs.zhejiang, name="张伟劳模创新工作室", level="national_demo",
                           leader=worker, leader_name="张伟", field="电力运维", host_employer="杭州示例科技有限公司",
                           named_year=2024, members=15)  # fmt: skip
    rules = [{"category": "industrial", "at_least": True, "percent": 35}]
    round_ = services.round_create(actor=None, org=cast.orgs.zhejiang, name="2026年浙江省五一劳动奖章评选",
                                   title="may_day_medal", year=YEAR, quotas_by_org={str(cast.orgs.company.pk): 1},
                                   share_rules=rules)  # fmt: skip
    for member, categories in ((cast.members.li, ["industrial"]), (cast.members.zhang, ["frontline"])):
        services.nomination_add(actor=None, round=round_, org=cast.orgs.company, person=member.person,
                                unit="杭州示例科技有限公司", categories=categories,
                                deeds="攻克关键工艺难题")  # fmt: skip
    code = certificates.certificate_code(Certificate.objects.get(competitor=ev.competitors[0]))
    # an innovation submitted by the worker and adopted with its benefit; a unit nominated with one check answered;
    # an alliance of two studios
    idea = services.innovation_submit(actor=cast.users.worker, kind="renovation", title="数控车床快速换刀夹具",
                                      unit="机加工车间", problem="换刀一次要 20 分钟。",
                                      proposal="改用快换夹具。")  # fmt: skip
    for to, extra in (("review", {}), ("adopted", {}), ("assessed", {"benefit_fen": 1_234_567, "note": "按工时测算"})):
        idea.case.refresh_from_db()
        services.innovation_advance(actor=None, innovation=idea, to=to, version=idea.case.version, **extra)
    award = services.round_create(actor=None, org=cast.orgs.zhejiang, name="2026年浙江省五一劳动奖状评选",
                                  title="may_day_award", year=YEAR)  # fmt: skip
    unit = services.nomination_add(actor=None, round=award, org=cast.orgs.company, unit="杭州西湖区，软件业",
                                   categories=[], deeds="连续五年无欠薪。",
                                   employer=selectors.employer_named("91330106MA2A0000X3"))  # fmt: skip
    services.unit_check_answer(actor=None, nomination=unit, item="no_union", present=False, note="工会健全",
                               file=SimpleUploadedFile("证明.pdf", PDF), file_name="证明.pdf")  # fmt: skip
    second = services.studio_create(actor=None, org=cast.orgs.hangzhou, name="李娜数控创新工作室", level="city",
                                    leader_name="李娜", field="数控加工", host_employer="杭州电力公司",
                                    named_year=2024)  # fmt: skip
    lead = Studio.objects.get(name="张伟劳模创新工作室")
    services.alliance_create(actor=None, org=cast.orgs.zhejiang, name="浙江劳模工匠创新工作室联盟", field="智能制造",
                             formed_year=2025, lead=lead, members=[second])  # fmt: skip
    worker = _page(browser, live_server, cast.users.worker, PHONE)
    for name, path in (("my-innovations", "/workforce/my/innovations/"),
                       ("my-innovation-new", "/workforce/my/innovations/new/"),
                       ("my-innovation", f"/workforce/my/innovations/{idea.pk}/")):  # fmt: skip
        worker.goto(live_server.url + path)
        _fits(worker)
        worker.screenshot(path=f"{SHOTS}/{name}-phone.png", full_page=True)
    assert "效益已核定" in worker.inner_text("main") and not worker.problems, worker.problems
    pages = {"competitions": "/workforce/", "event": f"/workforce/events/{ev.event.pk}/",
             "round": f"/workforce/rounds/{round_.pk}/", "innovations": "/workforce/innovations/",
             "innovation": f"/workforce/innovations/{idea.pk}/",
             "unit-nomination": f"/workforce/nominations/{unit.pk}/",
             "alliances": "/workforce/studios/alliances/", "studios": "/workforce/studios/",
             "model-workers": "/workforce/model-workers/", "care": f"/workforce/care/?year={YEAR}",
             "model-worker": f"/workforce/model-workers/{publicised.model_worker_id}/"}  # fmt: skip
    for size, viewport, shown in (("phone", PHONE, pages), ("desktop", DESKTOP, list(pages)[:7])):
        page = _page(browser, live_server, cast.users.province_admin, viewport)
        for name in shown:
            page.goto(live_server.url + pages[name])
            if size == "phone":
                _fits(page)
            page.screenshot(path=f"{SHOTS}/{name}-{size}.png", full_page=True)
        page.goto(f"{live_server.url}/workforce/verify/{code}/")
        assert page.get_attribute("[data-verify-status]", "data-verify-status") == "valid"
        page.screenshot(path=f"{SHOTS}/verify-{size}.png", full_page=True)
        assert not page.problems, page.problems
