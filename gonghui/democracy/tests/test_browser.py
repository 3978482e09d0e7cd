"""On a phone, a representative scans the sitting's QR code, checks in, votes item by item and is shown the
receipt; the result is published and the receipt finds the paper. The cadre's pages at desktop and phone size.
Screenshots go to /tmp/shots/democracy."""

import re

import pytest
from django.urls import reverse

from gonghui.democracy import services
from gonghui.democracy.tests.conftest import secret_ballot
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
