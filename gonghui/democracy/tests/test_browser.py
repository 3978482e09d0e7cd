"""On a phone, a representative scans the sitting's QR code, checks in, votes item by item and is shown the
receipt; the result is published and the receipt finds the paper. The cadre's pages at desktop and phone size.
Screenshots go to /tmp/shots/democracy."""

import re

import pytest
from django.urls import reverse

from gonghui.democracy import services
from gonghui.democracy.models import Proposal
from gonghui.democracy.tests.conftest import congress_of, secret_ballot
from gonghui.venues.tests import test_browser as kit

SHOTS = "/tmp/shots/democracy"  # noqa: S108 — screenshots for people to look at, not data


@pytest.mark.browser
def test_a_representative_checks_in_and_votes_on_a_phone(browser, live_server, transactional_db, cast, monkeypatch):
    monkeypatch.setattr(kit, "SHOTS", SHOTS)
    ballot = secret_ballot(cast)
    c = cast.congress
    phone = kit._page(browser, live_server, c.users["张伟"], kit.PHONE)
    # The QR code on the hall's screen holds this link.
    phone.goto(f"{live_server.url}{reverse('democracy:checkin', args=[services.checkin_token(c.sitting)])}")
    phone.click("#checkin-confirm")
    phone.wait_for_selector("#checked-in")
    kit._fits(phone)
    phone.screenshot(path=f"{SHOTS}/mine-phone.png", full_page=True)
    phone.click("a:has-text('投票')")
    phone.check("input[name=item_1][value=yes]")
    phone.check("input[name=item_2][value=abstain]")
    kit._fits(phone)
    phone.screenshot(path=f"{SHOTS}/vote-phone.png", full_page=True)
    phone.click("#vote-submit")
    code = phone.locator("#receipt-code").inner_text()
    assert re.fullmatch(r"[A-Z2-9]{4}(-[A-Z2-9]{4}){3}", code)
    phone.screenshot(path=f"{SHOTS}/receipt-phone.png", full_page=True)
    ballot = services.ballot_close(actor=c.admin, ballot=ballot)
    services.ballot_publish(actor=c.admin, ballot=ballot)
    phone.goto(f"{live_server.url}{reverse('democracy:papers', args=[ballot.pk])}")
    phone.fill("#receipt", code)
    phone.click("button:has-text('查找')")
    assert "1. 赞成；2. 弃权" in phone.locator("#found").inner_text()
    kit._fits(phone)
    phone.screenshot(path=f"{SHOTS}/papers-phone.png", full_page=True)
    assert not phone.problems, phone.problems
    phone.context.close()
    sitting, result = reverse("democracy:sitting", args=[c.sitting.pk]), reverse("democracy:ballot", args=[ballot.pk])
    shots = {"desktop": (("congress", reverse("democracy:congress", args=[c.congress.pk])), ("sitting", sitting),
                         ("ballot", result)),
             "phone": (("sitting", sitting), ("ballot", result))}  # fmt: skip
    for viewport, suffix in ((kit.DESKTOP, "desktop"), (kit.PHONE, "phone")):
        desk = kit._page(browser, live_server, c.admin, viewport)
        for name, path in shots[suffix]:
            desk.goto(f"{live_server.url}{path}")
            kit._fits(desk)
            desk.screenshot(path=f"{SHOTS}/{name}-{suffix}.png", full_page=True)
        assert "复核一致" in desk.content() and not desk.problems, desk.problems
        desk.context.close()


@pytest.mark.browser
def test_a_representative_proposes_and_rates_on_a_phone(browser, live_server, transactional_db, cast, monkeypatch):
    """张伟 proposes with two co-signers on the phone; they confirm, the committee accepts, assigns and replies;
    张伟 rates it. The committee's list and proposal at desktop and phone size. Screenshots to /tmp/shots/proposals."""
    shots = "/tmp/shots/proposals"  # noqa: S108 — screenshots for people to look at
    monkeypatch.setattr(kit, "SHOTS", shots)
    c = congress_of(cast)
    phone = kit._page(browser, live_server, c.users["张伟"], kit.PHONE)
    phone.goto(f"{live_server.url}{reverse('democracy:my_proposals')}")
    phone.click("a:has-text('提出提案')")
    phone.fill("#id_title", "关于延长职工食堂供餐时间的提案")
    phone.fill("#id_reasons", "中夜班职工下班后食堂已停止供餐，只能外出就餐。")
    phone.fill("#id_measures", "食堂增加夜宵供应时段（22:00—23:30），并开通线上预订。")
    phone.check(f"input[name=cosigners][value='{c.reps['李娜'].pk}']")
    phone.check(f"input[name=cosigners][value='{c.reps['陈军'].pk}']")
    kit._fits(phone)
    phone.screenshot(path=f"{shots}/propose-phone.png", full_page=True)
    phone.click("#propose-submit")
    phone.wait_for_selector("#proposal-status:has-text('征集附议')")
    proposal = Proposal.objects.get()
    for name in ("李娜", "陈军"):
        proposal = services.proposal_cosign(actor=c.users[name], proposal=proposal)
    proposal = services.proposal_review(actor=c.admin, proposal=proposal, decision="accept")
    proposal = services.proposal_assign(actor=c.admin, proposal=proposal, department="后勤保障部", responsible="吴海燕",
                                        days=15)  # fmt: skip
    proposal = services.proposal_handled(actor=c.admin, proposal=proposal, note="已增加夜宵供应时段。")
    services.proposal_reply(actor=c.admin, proposal=proposal, text="建议已采纳，下月起食堂供应夜宵。")
    phone.reload()
    phone.check("input[name=satisfaction][value=satisfied]")
    kit._fits(phone)
    phone.screenshot(path=f"{shots}/rate-phone.png", full_page=True)
    phone.click("#rate")
    assert phone.locator("#satisfaction").inner_text() == "满意"
    assert not phone.problems, phone.problems
    phone.context.close()
    services.submit_for(rep=c.reps["赵强"], sitting=c.sitting, title="关于增设厂区电动自行车充电设施的提案",
                        reasons="私拉电线充电存在消防隐患。", measures="在停车棚增设集中充电桩。",
                        cosigners=[c.reps["李娜"], c.reps["刘芳"]])  # fmt: skip
    pages = (("proposals", reverse("democracy:proposals")), ("proposal", reverse("democracy:proposal",
                                                                               args=[proposal.pk])))  # fmt: skip
    for viewport, suffix in ((kit.DESKTOP, "desktop"), (kit.PHONE, "phone")):
        desk = kit._page(browser, live_server, c.admin, viewport)
        for name, path in pages:
            desk.goto(f"{live_server.url}{path}")
            kit._fits(desk)
            desk.screenshot(path=f"{shots}/{name}-{suffix}.png", full_page=True)
        assert "已评价办结" in desk.content() and not desk.problems, desk.problems
        desk.context.close()
