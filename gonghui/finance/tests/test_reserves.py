"""建会筹备金: held by the upper-level union until a union forms at the employer, then the grassroots share
returned and the rest booked as the levels' 拨缴经费; arrears reminded monthly to the collecting union's admins;
the payment-order file generated on request."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from gonghui.core.models import AuditEvent
from gonghui.finance import reports, services
from gonghui.finance.models import Entry, ReserveReturn
from gonghui.finance.money import split
from gonghui.finance.services import _check_lines, reserve_return_lines
from gonghui.finance.tests.conftest import balances, declaration, zhejiang_rule
from gonghui.members.services import employer_resolve
from gonghui.messages import selectors as message_selectors
from gonghui.messages.models import Message
from gonghui.orgs.models import Org, OrgType
from gonghui.testing.cast import add_org


def held_reserve(cast):
    """杭州新创科技 (no union) paid two months of 20,000 yuan to 西湖区总工会 as 建会筹备金."""
    zhejiang_rule(cast)
    newco = employer_resolve(name="杭州新创科技有限公司")
    for month in (dt.date(2026, 1, 1), dt.date(2026, 2, 1)):
        services.collection_register(actor=None, org=cast.orgs.xihu, employer=newco, month=month,
                                     payroll_fen=100_000_000, received_on=dt.date(2026, 3, 10))  # fmt: skip
    return newco


def formed(cast, employer):
    return add_org(cast.orgs.xihu, "杭州新创科技有限公司工会", OrgType.GRASSROOTS, "330106", employer=employer)


def test_reserve_is_returned_once_a_union_forms(cast):
    xihu = cast.orgs.xihu
    newco = held_reserve(cast)
    assert balances(xihu) == {"102": 4_000_000, "215": -4_000_000}
    with pytest.raises(ValidationError, match="尚未建立工会"):
        services.reserve_return(actor=None, org=xihu, employer=newco)
    union = formed(cast, newco)
    with pytest.raises(PermissionDenied):
        services.reserve_return(actor=cast.users.readonly, org=xihu, employer=newco)
    record = services.reserve_return(actor=cast.users.province_admin, org=xihu, employer=newco)
    assert (record.union, record.held_fen, record.returned_fen) == (union, 4_000_000, 2_400_000)  # 60% returned
    assert balances(xihu) == {"102": 1_600_000, "402": -400_000, "211": -1_200_000}  # 215 settled
    assert balances(union) == {"102": 2_400_000, "402": -2_400_000}
    assert balances(cast.orgs.hangzhou) == {"132": 400_000, "402": -400_000}
    assert balances(cast.orgs.zhejiang) == {"132": 600_000, "402": -600_000}
    assert balances(cast.orgs.national) == {"132": 200_000, "402": -200_000}
    assert Entry.objects.filter(source=Entry.Source.RESERVE_RETURN).count() == 5
    with pytest.raises(ValidationError, match="没有代管"):
        services.reserve_return(actor=None, org=xihu, employer=newco)
    with pytest.raises(ValidationError, match="已返还"):
        services.collection_reverse(actor=None, collection=record.collections.first(), reason="录错")


@given(held=st.integers(min_value=1, max_value=10**12), data=st.data())
def test_return_lines_balance_and_pay_the_grassroots_share(held, data):
    grassroots_bp = data.draw(st.integers(min_value=4000, max_value=10_000))
    rest = 10_000 - grassroots_bp
    county_bp = data.draw(st.integers(min_value=0, max_value=rest))
    orgs = [Org(pk=i + 1, path=path) for i, path in enumerate(("a.b.c.", "a.b.", "a.", ""))]
    new, county, city, province = orgs
    weights = [grassroots_bp, county_bp, rest - county_bp, 0]
    parts = [(level, org, part) for level, org, part in zip(("grassroots", "county", "city", "province"), orgs,
                                                            split(held, weights), strict=True)]  # fmt: skip
    lines = reserve_return_lines(held, county, parts)
    for org_lines in lines.values():
        if org_lines:
            _check_lines(org_lines)

    def total(org: Org, code: str) -> int:
        return sum(x.debit_fen - x.credit_fen for x in lines.get(org, []) if x.code == code)

    assert total(county, "215") == held  # the whole payable settled
    assert total(county, "102") == -parts[0][2] and total(new, "102") == parts[0][2]  # the grassroots share paid
    income = sum(-total(org, "402") for org in orgs)
    assert income == held  # every fen becomes some level's 拨缴经费
    assert all(x.code != "131" for x in lines.get(new, []))


def test_reserves_page_and_return_action(client, cast):
    newco = held_reserve(cast)
    client.force_login(cast.users.province_admin)
    url = f"{reverse('finance:reserves')}?org={cast.orgs.xihu.pk}"
    page = client.get(url).content.decode()
    assert "杭州新创科技有限公司" in page and "尚未建会" in page and "返还筹备金" not in page
    union = formed(cast, newco)
    page = client.get(url).content.decode()
    assert union.name in page and "返还筹备金" in page
    response = client.post(reverse("finance:reserve_return"), {"org": cast.orgs.xihu.pk, "employer": newco.pk})
    assert response.status_code == 302
    assert ReserveReturn.objects.get().returned_fen == 2_400_000
    page = client.get(url).content.decode()
    assert "没有代管的建会筹备金" in page and "¥24,000.00" in page
    client.force_login(cast.users.readonly)
    response = client.post(reverse("finance:reserve_return"), {"org": cast.orgs.xihu.pk, "employer": newco.pk})
    assert response.status_code == 403
    client.force_login(cast.users.sibling_admin)
    assert client.get(url).status_code == 404


def test_arrears_reminded_once_a_month_to_the_unions_admins(cast):
    declaration(cast)  # March 2026, nothing paid
    assert services.arrears_remind(today=dt.date(2026, 4, 20)) == 0  # not yet 30 days after March ended
    assert services.arrears_remind(today=dt.date(2026, 5, 2)) == 1
    message = Message.objects.get(event="finance.arrears")
    assert message.user == cast.users.grassroots_admin and f"org={cast.orgs.company.pk}" in message.link
    body = message_selectors.body(message)
    assert "1 家单位" in body and "24,691.36" in body
    assert services.arrears_remind(today=dt.date(2026, 5, 20)) == 0  # once a month
    assert services.arrears_remind(today=dt.date(2026, 6, 1)) == 1


def test_payment_order_pdf(client, cast):
    zhejiang_rule(cast)
    d = declaration(cast)
    services.collection_record(actor=None, declaration=d, amount_fen=1_000_000, received_on=dt.date(2026, 4, 10))
    rows = reports.payment_order_rows(cast.orgs.company, cast.orgs.company.employer)
    assert [(r.month, r.arrears_fen) for r in rows] == [(dt.date(2026, 3, 1), 2_469_136 - 1_000_000)]
    client.force_login(cast.users.grassroots_admin)
    url = reverse("finance:payment_order")
    response = client.get(f"{url}?org={cast.orgs.company.pk}&employer={cast.orgs.company.employer_id}")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF") and b"FontFile2" in response.content
    assert AuditEvent.objects.filter(action="finance.payment_order.pdf").count() == 1
    page = client.get(f"{reverse('finance:arrears')}?org={cast.orgs.company.pk}").content.decode()
    assert "支付令申请材料" in page
    other = employer_resolve(name="无欠缴单位")
    assert client.get(f"{url}?org={cast.orgs.company.pk}&employer={other.pk}").status_code == 404
    client.force_login(cast.users.readonly)
    assert client.get(f"{url}?org={cast.orgs.company.pk}&employer={other.pk}").status_code == 403
