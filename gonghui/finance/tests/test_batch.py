"""Batch posting of collections (services.collections_post_batch): the same entries, shares and balances as
posting one by one, in one transaction and one audit event, refusing the whole batch for one bad item."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import Count
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gonghui.core.models import AuditEvent
from gonghui.finance import services
from gonghui.finance.models import Collection, Entry, FundDeclaration, Line, Period, Share
from gonghui.finance.money import percent_of
from gonghui.finance.services import CollectionIn
from gonghui.finance.tests.conftest import SHARES, zhejiang_rule
from gonghui.members.models import Employer
from gonghui.testing.cast import add_org

MARCH, APRIL = dt.date(2026, 3, 1), dt.date(2026, 4, 1)


def unions(cast, n: int) -> list:
    """``n`` grassroots unions with their employers: the cast's company and more under 西湖区 and 杭州市."""
    out = [cast.orgs.company]
    for i in range(1, n):
        employer = Employer.objects.create(name=f"批量测试企业{i}", uscc=f"91330106MA2B{i:04d}X3")
        parent = cast.orgs.xihu if i % 2 else cast.orgs.hangzhou  # under the city: the county's share goes up
        out.append(add_org(parent, f"批量测试企业{i}工会", "grassroots", "330106", employer=employer))
    return out


def ledger() -> list[tuple]:
    """Every line, in a form that does not depend on ids or posting order."""
    return sorted(Line.objects.filter(entry__posted=True).values_list(
        "org_id", "month", "code", "debit_fen", "credit_fen", "party_id", "counterparty", "entry__source",
        "entry__date", "entry__memo"))  # fmt: skip


def state() -> tuple:
    shares = sorted(Share.objects.values_list("collection__declaration__employer_id", "org_id", "level", "amount_fen"))
    declared = sorted(FundDeclaration.objects.values_list("employer_id", "month", "org_id", "kind", "payroll_fen",
                                                          "due_fen", "collected_fen"))  # fmt: skip
    entries = sorted(Entry.objects.values("collection__declaration__employer_id").annotate(n=Count("pk"))
                     .values_list("collection__declaration__employer_id", "n"))  # fmt: skip
    return ledger(), shares, declared, entries


item_st = st.tuples(
    st.integers(min_value=0, max_value=3),  # which union
    st.sampled_from([MARCH, APRIL]),  # the month declared
    st.integers(min_value=1, max_value=10**9),  # payroll in fen
    st.integers(min_value=1, max_value=100),  # the part of what is owed paid now, in percent
    st.sampled_from(["direct", "tax"]),
    st.integers(min_value=0, max_value=80),  # days after the month's start it is received
)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(item_st, min_size=1, max_size=8))
def test_batch_posts_exactly_what_one_by_one_posts(cast, rows):
    """Any mix of unions, months (both rules), partial payments and routes: the same lines (org, month, code,
    amounts, counterparty, date, memo), shares, declarations and entries per collection as one by one."""
    sid = transaction.savepoint()
    try:
        zhejiang_rule(cast)
        zhejiang_rule(
            cast,
            effective_from=dt.date(2026, 5, 1),
            shares={"grassroots": 6500, "county": 1000, "city": 1000, "province": 1000, "national": 500},
        )
        orgs = unions(cast, 4)
        items, seen, paid = [], {}, {}
        for which, month, payroll, percent, route, days in rows:
            org = orgs[which]
            key = (org.pk, month)
            payroll = seen.setdefault(key, payroll)  # a second row of the same month pays against its declaration
            due = percent_of(payroll, 200)
            amount = max(due * percent // 100 // len(rows), 1)
            if paid.get(key, 0) + amount > due:
                continue  # more than owed: refused either way (test_one_bad_item_refuses_the_whole_batch)
            paid[key] = paid.get(key, 0) + amount
            items.append(CollectionIn(employer=org.employer, org=org, month=month, payroll_fen=payroll,
                                      amount_fen=amount, route=route,
                                      received_on=month + dt.timedelta(days=days)))  # fmt: skip
        if not items:
            return
        inner = transaction.savepoint()
        for i in items:
            services.collection_register(actor=None, org=i.org, month=i.month, payroll_fen=i.payroll_fen,
                                         amount_fen=i.amount_fen, received_on=i.received_on, route=i.route,
                                         employer=i.employer)  # fmt: skip
        one_by_one = state()
        transaction.savepoint_rollback(inner)
        assert not Line.objects.exists()
        services.collections_post_batch(actor=None, org=cast.orgs.zhejiang, items=items)
        assert state() == one_by_one
    finally:
        transaction.savepoint_rollback(sid)


def test_batch_is_one_audit_event_and_few_queries(cast):
    zhejiang_rule(cast)
    orgs = unions(cast, 6)
    items = [CollectionIn(employer=o.employer, org=o, month=m, payroll_fen=1_000_000 + k, amount_fen=20_000,
                          received_on=m + dt.timedelta(days=40))
             for k, o in enumerate(orgs) for m in (MARCH, APRIL)]  # fmt: skip
    before = AuditEvent.objects.count()
    with CaptureQueriesContext(connection) as queries:
        done = services.collections_post_batch(actor=cast.users.province_admin, org=cast.orgs.zhejiang, items=items)
    assert len(done) == 12 and Collection.objects.count() == 12
    assert AuditEvent.objects.count() == before + 1
    event = AuditEvent.objects.latest("pk")
    assert event.action == "finance.collection.batch" and event.detail["collections"] == 12
    assert event.detail["declared"] == 12 and event.detail["amount"] == 240_000
    # Reads once per batch (and per union's chain), not per collection: 12 collections one by one take ~57 each.
    assert len(queries) < 60, len(queries)
    assert not Entry.objects.filter(posted=False).exists()
    for collection in done:
        assert sum(s.amount_fen for s in collection.shares.all()) == collection.amount_fen


def test_one_bad_item_refuses_the_whole_batch(cast):
    zhejiang_rule(cast)
    orgs = unions(cast, 3)
    good = CollectionIn(employer=orgs[1].employer, org=orgs[1], month=MARCH, payroll_fen=1_000_000, amount_fen=20_000,
                        received_on=APRIL, label="第 2 行")  # fmt: skip
    too_much = CollectionIn(employer=orgs[2].employer, org=orgs[2], month=MARCH, payroll_fen=1_000_000,
                            amount_fen=20_001, received_on=APRIL, label="第 3 行")  # fmt: skip
    with pytest.raises(ValidationError, match="第 3 行：金额超过2026年3月应缴未缴的 200.00 元"):
        services.collections_post_batch(actor=None, org=cast.orgs.zhejiang, items=[good, too_much])
    assert not FundDeclaration.objects.exists() and not Line.objects.exists()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"payroll_fen": None}, "尚未申报，请填写工资总额"),
        ({"amount_fen": 0}, "金额应大于零"),
        ({"route": "cash"}, "请选择收缴方式"),
        ({"received_on": dt.date(2099, 1, 1)}, "到账日期不能晚于今天"),
        ({"month": dt.date(2099, 1, 1)}, "不能申报未来月份"),
    ],
)
def test_refusals_name_the_row(cast, change, message):
    zhejiang_rule(cast)
    o = cast.orgs.company
    fields = {"employer": o.employer, "org": o, "month": MARCH, "payroll_fen": 1_000_000, "amount_fen": 100,
              "received_on": APRIL, "label": "第 7 行"} | change  # fmt: skip
    with pytest.raises(ValidationError, match=f"第 7 行：.*{message}"):
        services.collections_post_batch(actor=None, org=cast.orgs.zhejiang, items=[CollectionIn(**fields)])


def test_closed_month_and_missing_rule_and_scope(cast):
    o = cast.orgs
    item = CollectionIn(employer=o.company.employer, org=o.company, month=MARCH, payroll_fen=1_000_000,
                        amount_fen=100, received_on=APRIL)  # fmt: skip
    with pytest.raises(ValidationError, match="尚未设置2026年4月适用的经费分成比例"):
        services.collections_post_batch(actor=None, org=o.zhejiang, items=[item])
    zhejiang_rule(cast)
    Period.objects.create(org=o.hangzhou, month=APRIL, closed_at=dt.datetime(2026, 5, 3, tzinfo=dt.UTC))
    with pytest.raises(ValidationError, match="杭州市总工会2026年4月已结账"):
        services.collections_post_batch(actor=None, org=o.zhejiang, items=[item])
    with pytest.raises(ValidationError, match="不在南京市总工会之下"):
        services.collections_post_batch(actor=None, org=o.nanjing, items=[item])
    with pytest.raises(Http404):
        services.collections_post_batch(actor=cast.users.sibling_admin, org=o.zhejiang, items=[item])
    with pytest.raises(PermissionDenied):
        services.collections_post_batch(actor=cast.users.readonly, org=o.zhejiang, items=[item])
    assert not Line.objects.exists()


def test_reserve_rows_are_held_on_215_and_shares_add_up(cast):
    """An employer without a union pays 建会筹备金 to the county-level union that collects it."""
    zhejiang_rule(cast)
    employer = Employer.objects.create(name="未建会企业", uscc="91330106MA2C0001X3")
    o = cast.orgs
    items = [CollectionIn(employer=employer, org=o.xihu, month=MARCH, payroll_fen=500_000, amount_fen=10_000,
                          received_on=APRIL),
             CollectionIn(employer=o.company.employer, org=o.company, month=MARCH, payroll_fen=123_456_789,
                          amount_fen=2_469_136, received_on=APRIL)]  # fmt: skip
    services.collections_post_batch(actor=None, org=o.xihu, items=items)
    reserve = FundDeclaration.objects.get(employer=employer)
    assert reserve.kind == "reserve" and reserve.collected_fen == 10_000
    assert set(Line.objects.filter(entry__source="reserve").values_list("code", "debit_fen", "credit_fen")) == {
        ("102", 10_000, 0), ("215", 0, 10_000)}  # fmt: skip
    shares = dict(Share.objects.values_list("level", "amount_fen"))
    assert sum(shares.values()) == 2_469_136 and shares["grassroots"] == 1_481_482
    assert SHARES["grassroots"] == 6000
