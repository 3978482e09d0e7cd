"""The ledger: balanced postings only (the service and the database), posted entries immutable, corrections
by reversal, periods that close in order; property tests over random postings."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.http import Http404
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gonghui.core.models import AuditEvent
from gonghui.finance import services
from gonghui.finance.models import Entry, Line, Period
from gonghui.finance.services import LineIn
from gonghui.finance.tests.conftest import balances

DAY = dt.date(2026, 3, 5)


def post(cast, lines, org=None, actor=None, date=DAY):
    return services.entry_post(actor=actor, org=org or cast.orgs.company, date=date, memo="测试", lines=lines)


def test_chart_has_the_two_sets(cast):
    grassroots = {a.code for a in services.chart_of(cast.orgs.company)}
    county = {a.code for a in services.chart_of(cast.orgs.xihu)}
    top = {c for c in grassroots if len(c) == 3}
    assert len(top) == 24  # 工会会计制度: the grassroots set
    assert {"132", "212", "404", "406", "506", "508"} <= county - grassroots
    assert {"50101", "50301", "50406"} <= grassroots


def test_post_balanced_entry(cast):
    entry = post(cast, [LineIn("50102", debit_fen=12_000), LineIn("102", credit_fen=12_000)],
                 actor=cast.users.grassroots_admin)  # fmt: skip
    assert entry.posted and entry.month == dt.date(2026, 3, 1)
    assert balances(cast.orgs.company) == {"50102": 12_000, "102": -12_000}
    assert AuditEvent.objects.filter(action="finance.entry.post", object_id=str(entry.pk)).exists()


@pytest.mark.parametrize(
    ("lines", "message"),
    [
        ([LineIn("501", debit_fen=100), LineIn("102", credit_fen=100)], "设有明细科目"),
        ([LineIn("50101", debit_fen=100), LineIn("102", credit_fen=99)], "不平衡"),
        ([LineIn("50101", debit_fen=100)], "至少要有两条"),
        ([LineIn("132", debit_fen=100), LineIn("102", credit_fen=100)], "不在"),
        ([LineIn("50101", debit_fen=100, credit_fen=100), LineIn("102", credit_fen=0)], "只能填借方或贷方"),
    ],
)
def test_refused_entries_keep_nothing(cast, lines, message):
    with pytest.raises(ValidationError, match=message):
        post(cast, lines)
    assert not Entry.objects.exists() and not Line.objects.exists()


def test_database_refuses_an_unbalanced_posting(cast):
    org = cast.orgs.company
    with pytest.raises(IntegrityError), transaction.atomic():
        entry = Entry.objects.create(org=org, date=DAY, month=DAY.replace(day=1), memo="绕过服务")
        Line.objects.create(entry=entry, org=org, month=entry.month, code="102", debit_fen=5)
        Line.objects.create(entry=entry, org=org, month=entry.month, code="102", credit_fen=4)
        Entry.objects.filter(pk=entry.pk).update(posted=True)


def test_database_keeps_posted_entries(cast):
    entry = post(cast, [LineIn("50102", debit_fen=500), LineIn("102", credit_fen=500)])
    line = entry.lines.first()
    for change in (
        lambda: Line.objects.filter(pk=line.pk).update(debit_fen=line.debit_fen + 1, credit_fen=0),
        lambda: Entry.objects.filter(pk=entry.pk).update(memo="改了"),
        lambda: Line.objects.create(entry=entry, org=entry.org, month=entry.month, code="102", debit_fen=1),
    ):  # fmt: skip
        with pytest.raises(IntegrityError), transaction.atomic():
            change()
    if connection.vendor == "postgresql":
        with pytest.raises(IntegrityError), transaction.atomic():
            Line.objects.filter(pk=line.pk).delete()


@pytest.mark.skipif("connection.vendor != 'postgresql'")
def test_postgresql_refuses_to_commit_an_unposted_entry(cast):
    org = cast.orgs.company
    with pytest.raises(IntegrityError), transaction.atomic():
        Entry.objects.create(org=org, date=DAY, month=DAY.replace(day=1), memo="未过账")
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def test_reversal_restores_balances_and_only_once(cast):
    entry = post(cast, [LineIn("50102", debit_fen=700), LineIn("102", credit_fen=700)])
    reversal = services.entry_reverse(actor=cast.users.grassroots_admin, entry=entry, reason="重复报销", date=DAY)
    assert reversal.reverses == entry and balances(cast.orgs.company) == {}
    with pytest.raises(ValidationError, match="已冲销"):
        services.entry_reverse(actor=None, entry=entry, reason="再来", date=DAY)
    with pytest.raises(ValidationError, match="冲销凭证本身"):
        services.entry_reverse(actor=None, entry=reversal, reason="再来", date=DAY)


def test_period_closes_in_order_and_refuses_postings(cast, settings):
    org = cast.orgs.company
    post(cast, [LineIn("50102", debit_fen=100), LineIn("102", credit_fen=100)], date=dt.date(2026, 1, 5))
    post(cast, [LineIn("50102", debit_fen=100), LineIn("102", credit_fen=100)], date=dt.date(2026, 2, 5))
    with pytest.raises(ValidationError, match="请先结账2026年1月"):
        services.period_close(actor=None, org=org, month=dt.date(2026, 2, 1))
    services.period_close(actor=cast.users.grassroots_admin, org=org, month=dt.date(2026, 1, 1))
    with pytest.raises(ValidationError, match="已结账"):
        post(cast, [LineIn("50102", debit_fen=100), LineIn("102", credit_fen=100)], date=dt.date(2026, 1, 20))
    with pytest.raises(ValidationError, match="已经结账"):
        services.period_close(actor=None, org=org, month=dt.date(2026, 1, 1))
    with pytest.raises(ValidationError, match="尚未结束"):
        services.period_close(actor=None, org=org, month=dt.date.today())
    assert Period.objects.filter(org=org, closed_at__isnull=False).count() == 1


def test_scope_and_roles(cast):
    lines = [LineIn("50102", debit_fen=100), LineIn("102", credit_fen=100)]
    with pytest.raises(Http404):
        post(cast, lines, actor=cast.users.sibling_admin)
    with pytest.raises(PermissionDenied):
        post(cast, lines, actor=cast.users.readonly)
    assert not Entry.objects.exists()
    assert AuditEvent.objects.filter(action="access.denied", actor=cast.users.readonly).exists()


def test_own_sub_account(cast):
    org = cast.orgs.company
    account = services.account_add(actor=cast.users.grassroots_admin, org=org, parent_code="50102", code="5010201",
                                   name="篮球赛")  # fmt: skip
    assert account.kind == "expense"
    with pytest.raises(ValidationError, match="设有明细科目"):
        post(cast, [LineIn("50102", debit_fen=100), LineIn("102", credit_fen=100)])
    post(cast, [LineIn("5010201", debit_fen=100), LineIn("102", credit_fen=100)])
    with pytest.raises(ValidationError, match="后加两位数字"):
        services.account_add(actor=None, org=org, parent_code="102", code="1031", name="x")
    assert services.account_named(cast.orgs.logistics, "5010201") is None


CODES = ["101", "102", "135", "141", "211", "215", "401", "402", "408", "50101", "50301", "50404", "505", "510"]
line_st = st.tuples(st.sampled_from(CODES), st.integers(min_value=1, max_value=10**9))
entry_st = st.lists(line_st, min_size=1, max_size=4)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(entries=st.lists(entry_st, min_size=1, max_size=5), data=st.data())
def test_random_postings_balance_and_reverse_to_zero(cast, entries, data):
    """Every posted entry balances, the trial balance sums to zero, reversing everything restores zero."""
    org = cast.orgs.company
    sid = transaction.savepoint()
    try:
        posted = []
        for debits in entries:
            up = {"211": cast.orgs.xihu}  # an inter-level payable names the union above (services.check_parties)
            lines = [LineIn(code, debit_fen=fen, party=up.get(code)) for code, fen in debits]
            credit_code = data.draw(st.sampled_from(CODES))
            lines.append(LineIn(credit_code, credit_fen=sum(fen for _, fen in debits), party=up.get(credit_code)))
            posted.append(post(cast, lines))
        for entry in posted:
            assert sum(x.debit_fen - x.credit_fen for x in entry.lines.all()) == 0
        assert sum(balances(org).values()) == 0
        for entry in posted:
            services.entry_reverse(actor=None, entry=entry, reason="测试", date=DAY)
        assert balances(org) == {}
    finally:
        transaction.savepoint_rollback(sid)


def test_year_end_closing_moves_income_and_spending_to_321_and_322(cast):
    org = cast.orgs.company
    day = dt.date(2025, 6, 1)
    post(cast, [LineIn("102", debit_fen=100_000), LineIn("402", credit_fen=100_000)], date=day)
    post(cast, [LineIn("102", debit_fen=30_000), LineIn("403", credit_fen=30_000, earmarked=True)], date=day)
    post(cast, [LineIn("50404", debit_fen=20_000, earmarked=True), LineIn("102", credit_fen=20_000)], date=day)
    post(cast, [LineIn("50102", debit_fen=45_000), LineIn("102", credit_fen=45_000)], date=day)
    with pytest.raises(ValidationError, match="请先结账2025年6月"):
        services.year_close(actor=None, org=org, year=2025)
    for month in range(1, 12):
        services.period_close(actor=None, org=org, month=dt.date(2025, month, 1))
    services.year_close(actor=cast.users.grassroots_admin, org=org, year=2025)
    assert balances(org) == {"102": 65_000, "321": -10_000, "322": -55_000}
    with pytest.raises(ValidationError, match="已经年终结转"):
        services.year_close(actor=None, org=org, year=2025)
    with pytest.raises(ValidationError, match="尚未结束"):
        services.year_close(actor=None, org=org, year=dt.date.today().year)
