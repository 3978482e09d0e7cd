"""Spending: posted at once up to the province's approval amount, above it approved as a case (by someone other
than the requester) before the entry posts; gifts checked against the province's yearly caps per member, never
cash or shopping cards."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.test import override_settings
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from gonghui.cases.models import Case
from gonghui.core.errors import ConflictError
from gonghui.finance import selectors, services
from gonghui.finance.models import Entry, Spending
from gonghui.finance.tests.conftest import balances
from gonghui.testing.api import ApiClient

DAY = dt.date(2026, 3, 9)


def submit(cast, amount_fen, *, actor=None, **extra):
    fields = {"memo": "职工技能培训", "code": "50101"} | extra
    return services.spending_submit(actor=actor, org=cast.orgs.company, date=DAY, amount_fen=amount_fen, **fields)


def gift(cast, amount_fen, headcount, purpose="festival", **extra):
    return submit(cast, amount_fen, memo="中秋慰问品", code="50105", purpose=purpose, form="goods",
                  headcount=headcount, **extra)  # fmt: skip


def test_spending_up_to_the_approval_amount_posts_at_once(cast):
    item = submit(cast, 500_000, actor=cast.users.grassroots_admin)
    assert item.status == Spending.Status.DIRECT and item.case is None
    assert item.entry.source == Entry.Source.SPENDING
    assert balances(cast.orgs.company) == {"50101": 500_000, "102": -500_000}


def test_spending_above_it_posts_only_once_approved_by_someone_else(client, cast):
    company = cast.orgs.company
    item = submit(cast, 800_000, actor=cast.users.grassroots_admin)
    assert item.status == Spending.Status.PENDING and item.entry is None and item.case.status == "pending"
    assert balances(company) == {}
    with pytest.raises(ValidationError, match="审批人不能是申请人本人"):
        services.spending_decide(actor=cast.users.grassroots_admin, spending=item, approve=True,
                                 version=item.case.version)  # fmt: skip
    with pytest.raises(PermissionDenied):
        services.spending_decide(actor=cast.users.readonly, spending=item, approve=True, version=item.case.version)
    client.force_login(cast.users.grassroots_admin)
    page = client.get(reverse("finance:spending", args=[item.pk])).content.decode()
    assert "等待本工会其他负责人或上级工会审批" in page and "批准并记账" not in page
    client.force_login(cast.users.province_admin)
    page = client.get(reverse("finance:spending", args=[item.pk])).content.decode()
    assert "批准并记账" in page
    response = client.post(reverse("finance:spending_decide", args=[item.pk]),
                           {"version": item.case.version, "decision": "approve", "note": "同意"})  # fmt: skip
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == Spending.Status.APPROVED and item.decided_by == cast.users.province_admin
    assert item.case.closed_at is not None and item.case.status == "approved"
    assert balances(company) == {"50101": 800_000, "102": -800_000}
    with pytest.raises(ConflictError):  # decided once
        services.spending_decide(actor=None, spending=item, approve=True, version=item.case.version)
    assert Entry.objects.filter(source=Entry.Source.SPENDING).count() == 1


def test_refusal_needs_a_reason_and_posts_nothing(cast):
    item = submit(cast, 900_000)
    with pytest.raises(ValidationError, match="须填写理由"):
        services.spending_decide(actor=cast.users.province_admin, spending=item, approve=False,
                                 version=item.case.version)  # fmt: skip
    item.refresh_from_db()
    assert item.status == Spending.Status.PENDING and item.case.steps.count() == 1
    item = services.spending_decide(actor=cast.users.province_admin, spending=item, approve=False,
                                    version=item.case.version, note="超出年度预算")  # fmt: skip
    assert item.status == Spending.Status.REFUSED and item.entry is None
    assert balances(cast.orgs.company) == {}


def test_stale_version_is_a_conflict(cast):
    item = submit(cast, 900_000)
    with pytest.raises(ConflictError):
        services.spending_decide(actor=None, spending=item, approve=True, version=item.case.version + 1)
    assert Spending.objects.get(pk=item.pk).entry is None


@override_settings(GONGHUI_FINANCE={"approval_yuan_by_province": {"33": 1000}})
def test_the_approval_amount_is_the_provinces(cast):
    assert submit(cast, 200_000).status == Spending.Status.PENDING  # 2,000 yuan in Zhejiang: above its 1,000
    assert Case.objects.filter(kind="finance_spending").count() == 1


def test_gift_caps_per_member_and_year(cast):
    gift(cast, 10_000_000, 100)  # 100,000 yuan for 100 members: 1,000 yuan each
    gift(cast, 1_000_000, 100)  # 100 yuan each: 1,100 so far
    with pytest.raises(
        ValidationError, match="节日慰问品每人每年不超过 1,300.00 元.*已发每人 1,100.00 元.*超出 200.00 元"
    ):
        gift(cast, 4_000_000, 100)  # 400 yuan each: 1,500 > 1,300
    assert Spending.objects.count() == 2
    gift(cast, 2_000_000, 100)  # exactly 1,300: allowed
    with pytest.raises(ValidationError, match="生日慰问每人每年不超过 300.00 元"):
        gift(cast, 30_001, 1, purpose="birthday")
    gift(cast, 30_000, 1, purpose="birthday")
    summary = {row["label"]: row for row in selectors.gift_summary(cast.orgs.company, 2026)}
    assert summary["节日慰问品"]["left_fen"] == 0 and summary["生日慰问"]["given_fen"] == 30_000


def test_a_refused_gift_does_not_count_and_a_province_sets_its_own_cap(cast):
    with override_settings(GONGHUI_FINANCE={"approval_yuan": 100}):
        pending = gift(cast, 1_200_000, 10)  # 1,200 yuan each, waiting
    with pytest.raises(ValidationError, match="超出"):
        gift(cast, 200_000, 10)  # 200 yuan each on top of the 1,200 waiting
    services.spending_decide(actor=None, spending=pending, approve=False, version=pending.case.version, note="超标")
    gift(cast, 200_000, 10)  # the refused one no longer counts: 200 so far
    with pytest.raises(ValidationError, match="超出"):
        gift(cast, 1_500_000, 10)  # 1,700 > 1,300
    with override_settings(GONGHUI_FINANCE={"gift_caps_by_province": {"33": {"festival": 2000}}}):
        gift(cast, 1_500_000, 10)  # under Zhejiang's own 2,000


@pytest.mark.parametrize("form", ["cash", "card"])
def test_cash_and_shopping_cards_are_refused_in_chinese(client, cast, form):
    client.force_login(cast.users.grassroots_admin)
    response = client.post(reverse("finance:spending_new"), {
        "org": cast.orgs.company.pk, "date": "2026-03-09", "memo": "春节慰问", "code": "50105", "amount": "500",
        "purpose": "festival", "form": form, "headcount": "5"})  # fmt: skip
    assert response.status_code == 400
    assert "不得发放现金、购物卡或代金券" in response.content.decode()
    assert not Spending.objects.exists() and not Entry.objects.exists()
    with pytest.raises(IntegrityError), transaction.atomic():  # the database refuses it too
        Spending.objects.create(org=cast.orgs.company, date=DAY, memo="x", code="50105", amount_fen=1, form=form,
                                status="direct")  # fmt: skip


def test_bad_input_is_refused(cast):
    with pytest.raises(ValidationError, match="支出科目"):
        submit(cast, 1000, code="102")
    with pytest.raises(ValidationError, match="明细科目"):
        submit(cast, 1000, code="501")
    with pytest.raises(ValidationError, match="发放人数"):
        gift(cast, 1000, None)
    with pytest.raises(ValidationError, match="只有慰问品"):
        submit(cast, 1000, headcount=3)
    assert not Spending.objects.exists()


def test_api_submit_and_decide(cast):
    api = ApiClient()
    body = {"org_id": cast.orgs.company.pk, "date": "2026-03-09", "memo": "劳动竞赛奖品", "code": "50301",
            "amount_fen": 1_200_000}  # fmt: skip
    created = api.post("/api/v1/finance/spending", cast.users.grassroots_admin, body).json()
    assert created["status"] == "pending" and created["entry_id"] is None
    path = f"/api/v1/finance/spending/{created['id']}/decide"
    stale = api.post(path, cast.users.province_admin, {"approve": True, "version": created["case_version"] + 1})
    assert stale.status_code == 409
    done = api.post(path, cast.users.province_admin, {"approve": True, "version": created["case_version"]}).json()
    assert done["status"] == "approved" and done["entry_id"]
    listed = api.get(f"/api/v1/finance/spending?status=approved&org_id={cast.orgs.company.pk}",
                     cast.users.province_admin).json()  # fmt: skip
    assert [row["id"] for row in listed["items"]] == [created["id"]]
    refused = api.post("/api/v1/finance/spending", cast.users.grassroots_admin,
                       body | {"purpose": "festival", "form": "card", "headcount": 2})  # fmt: skip
    assert refused.status_code == 400 and "购物卡" in str(refused.json())


@given(amount=st.integers(min_value=1, max_value=10**13), headcount=st.integers(min_value=1, max_value=10**7))
def test_per_member_is_rounded_up(amount, headcount):
    each = services.per_member_fen(amount, headcount)
    assert each * headcount >= amount > (each - 1) * headcount
