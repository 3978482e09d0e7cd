"""On a phone, a cadre records a collective contract, the workers' congress vote, the signing and the filing;
then the list, the contract and the coverage on a phone and a desktop. Screenshots go to /tmp/shots/contracts."""

import datetime as dt

import pytest
from django.utils import timezone

from gonghui.contracts.models import Contract, Status
from gonghui.contracts.tests.conftest import make_contract
from gonghui.venues.tests import test_browser as venues_browser
from gonghui.venues.tests.test_browser import DESKTOP, PHONE, _fits, _page

SHOTS = "/tmp/shots/contracts"  # noqa: S108 — screenshots for people to look at, not data


def _day(n: int) -> str:
    return f"{timezone.localdate() + dt.timedelta(days=n):%Y-%m-%d}"


@pytest.mark.browser
def test_a_cadre_records_a_contract_and_files_it_on_a_phone(browser, live_server, transactional_db, cast, monkeypatch):
    monkeypatch.setattr(venues_browser, "SHOTS", SHOTS)
    make_contract(
        cast,
        until="filed",
        signed_on=timezone.localdate() - dt.timedelta(days=60),
        kind="safety",
        title="杭州示例科技有限公司安全生产专项集体合同",
    )
    phone = _page(browser, live_server, cast.users.grassroots_admin, PHONE)
    phone.goto(f"{live_server.url}/contracts/new/")
    phone.select_option("#id_org", str(cast.orgs.company.pk))
    phone.select_option("#id_kind", "wage")
    for field, value in (
        ("title", "杭州示例科技有限公司工资专项集体合同"),
        ("union_party", "杭州示例科技有限公司工会"),
        ("union_rep", "陈建国（工会主席）"),
        ("employer_party", "杭州示例科技有限公司"),
        ("employer_rep", "周海涛（总经理）"),
        ("workers_covered", "126"),
        ("wage_increase_pct", "5.5"),
        ("minimum_wage", "2490"),
    ):
        phone.fill(f"#id_{field}", value)
    _fits(phone)
    phone.screenshot(path=f"{SHOTS}/new-phone.png", full_page=True)
    phone.click("button:has-text('登记')")
    phone.wait_for_selector("text=合同已登记")
    for field, value in (
        ("adopted_on", _day(-30)),
        ("voters_total", "60"),
        ("voters_present", "38"),
        ("votes_for", "35"),
    ):
        phone.fill(f"#id_{field}", value)
    phone.click("[data-step='adopt'] button[type=submit]")
    phone.wait_for_selector("text=不足应到 60 人的三分之二")  # 38 < 40: the vote is refused, the figures kept
    phone.fill("#id_voters_present", "52")
    phone.click("[data-step='adopt'] button[type=submit]")
    phone.wait_for_selector("text=已记录职工代表大会审议通过")
    phone.fill("#id_signed_on", _day(-28))
    phone.click("[data-step='sign'] button[type=submit]")
    phone.wait_for_selector("text=报送截止")
    phone.fill("#id_filed_on", _day(-25))
    phone.fill("#id_filed_with", "杭州市西湖区人力资源和社会保障局")
    phone.click("[data-step='file'] button[type=submit]")
    phone.wait_for_selector("text=已记录报送审查")
    contract = Contract.objects.get(kind="wage")
    assert contract.status == Status.EFFECTIVE and contract.votes_for == 35
    assert phone.locator("[data-status]").first.inner_text() == "生效"
    _fits(phone)
    phone.screenshot(path=f"{SHOTS}/detail-phone.png", full_page=True)
    assert not phone.problems, phone.problems
    phone.context.close()
    for viewport, suffix in ((DESKTOP, "desktop"), (PHONE, "phone")):
        page = _page(browser, live_server, cast.users.province_admin, viewport)
        for name, path in (
            ("list", "/contracts/"),
            ("coverage", "/contracts/coverage/"),
            ("detail-province", f"/contracts/{contract.pk}/"),
        ):
            page.goto(f"{live_server.url}{path}")
            _fits(page)
            page.screenshot(path=f"{SHOTS}/{name}-{suffix}.png", full_page=True)
        assert not page.problems, page.problems
        page.context.close()
