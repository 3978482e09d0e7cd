"""Monthly balances (decision 0051): every posting path keeps them equal to the sum of its lines per key, and
every report figure read from them equals the figure read from the lines; concurrent postings to one key keep
both deltas (PostgreSQL); ``manage.py finance_balances`` finds a difference and rebuilds."""

import datetime as dt
import threading
import time

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gonghui.core.models import AuditEvent
from gonghui.finance import reports, selectors, services
from gonghui.finance.models import Balance, Collection, Line
from gonghui.finance.money import percent_of
from gonghui.finance.services import CollectionIn, LineIn
from gonghui.finance.tests.conftest import zhejiang_rule
from gonghui.testing.concurrency import at_once

MONTHS = [dt.date(2026, m, 1) for m in (1, 2, 3, 4)]


def from_lines(org, subtree):
    """What the reports read before decision 0051: the lines themselves."""
    return Line.objects.filter(org__path__startswith=org.path) if subtree else Line.objects.filter(org=org)


def figures(cast) -> list:
    """Every figure of the three reports, of unions alone and consolidated, in two months."""
    out = []
    for org, subtree in ((cast.orgs.company, False), (cast.orgs.xihu, False), (cast.orgs.xihu, True),
                         (cast.orgs.zhejiang, True)):  # fmt: skip
        for month in (MONTHS[1], MONTHS[3]):
            trial = reports.trial_balance(org, month, subtree=subtree)
            out.append([(r.code, r.opening, r.debit, r.credit) for r in trial.rows])
            out.append(reports.balance_sheet(org, month, subtree=subtree).rows)
            out.append(reports.income_statement(org, month, subtree=subtree).rows)
    return out


def manual_lines(cast, org, kind: int, fen: int, earmarked: bool) -> list[LineIn]:
    """An entry of ``org`` touching the keys the balances split on: parties, units, earmarked income."""
    o = cast.orgs
    if org == o.company:
        return [
            [LineIn("50101", debit_fen=fen), LineIn("102", credit_fen=fen)],
            [LineIn("102", debit_fen=fen), LineIn("403", credit_fen=fen, earmarked=earmarked)],
            [LineIn("50101", debit_fen=fen), LineIn("211", credit_fen=fen, party=o.xihu)],
            [LineIn("135", debit_fen=fen, counterparty="杭州某文体用品公司"), LineIn("102", credit_fen=fen)],
            [LineIn("135", debit_fen=fen, party=o.xixi), LineIn("102", credit_fen=fen)],
        ][kind]
    return [
        [LineIn("505", debit_fen=fen), LineIn("102", credit_fen=fen)],
        [LineIn("102", debit_fen=fen), LineIn("404", credit_fen=fen, earmarked=earmarked)],
        [LineIn("132", debit_fen=fen, party=o.company), LineIn("402", credit_fen=fen)],
        [LineIn("102", debit_fen=fen), LineIn("215", credit_fen=fen, counterparty="杭州某文体用品公司")],
        [LineIn("102", debit_fen=fen), LineIn("215", credit_fen=fen, party=o.company)],
    ][kind]


step_st = st.one_of(
    st.tuples(st.just("entry"), st.booleans(), st.integers(0, 4), st.integers(1, 10**9), st.booleans(),
              st.integers(0, 3)),
    st.tuples(st.just("collect"), st.integers(10_000, 10**9), st.integers(1, 100), st.sampled_from(["direct", "tax"]),
              st.integers(0, 3)),
    st.tuples(st.just("reverse"), st.integers(0, 50)),
)  # fmt: skip


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(step_st, min_size=1, max_size=10), batch=st.booleans())
def test_balances_equal_the_lines_and_reports_agree(cast, monkeypatch, steps, batch):
    """Random manual postings (parties, units, earmarked), collections one by one or in one batch, reversals of
    both: each balance is the sum of its key's lines, and every report figure is the same read either way."""
    sid = transaction.savepoint()
    try:
        zhejiang_rule(cast)
        posted, pending, reversed_ = [], [], set()
        for step in steps:
            if step[0] == "entry":
                _, at_county, kind, fen, earmarked, month = step
                org = cast.orgs.xihu if at_county else cast.orgs.company
                lines = manual_lines(cast, org, kind, fen, earmarked)
                posted.append(services.entry_post(actor=None, org=org, date=MONTHS[month] + dt.timedelta(days=4),
                                                  memo="测试", lines=lines))  # fmt: skip
            elif step[0] == "collect":
                _, payroll, percent, route, month = step
                pending.append(CollectionIn(employer=cast.orgs.company.employer, org=cast.orgs.company,
                                            month=MONTHS[month], payroll_fen=payroll, route=route,
                                            amount_fen=max(percent_of(payroll, 200) * percent // 100, 1),
                                            received_on=MONTHS[month] + dt.timedelta(days=9)))  # fmt: skip
            elif posted and posted[step[1] % len(posted)].pk not in reversed_:
                entry = posted[step[1] % len(posted)]
                services.entry_reverse(actor=None, entry=entry, reason="测试", date=dt.date(2026, 4, 20))
                reversed_.add(entry.pk)
        items = list({i.month: i for i in pending}.values())  # one collection per declared month
        if batch and items:
            services.collections_post_batch(actor=None, org=cast.orgs.zhejiang, items=items)
        for i in [] if batch else items:
            services.collection_register(actor=None, org=i.org, month=i.month, payroll_fen=i.payroll_fen,
                                         amount_fen=i.amount_fen, received_on=i.received_on, route=i.route,
                                         employer=i.employer)  # fmt: skip
        for collection in Collection.objects.order_by("pk")[:1]:
            services.collection_reverse(actor=None, collection=collection, reason="测试")
        assert services.balances_check() == []
        assert Balance.objects.exists() == Line.objects.exists()
        from_balances = figures(cast)
        monkeypatch.setattr(reports, "_balances", from_lines)
        assert figures(cast) == from_balances
        monkeypatch.undo()
    finally:
        transaction.savepoint_rollback(sid)


def test_year_end_closing_keeps_balances_and_the_budget_reads_them(cast):
    org = cast.orgs.company
    day = dt.date(2025, 6, 1)
    post = services.entry_post
    post(
        actor=None,
        org=org,
        date=day,
        memo="拨缴",
        lines=[LineIn("102", debit_fen=100_000), LineIn("402", credit_fen=100_000)],
    )
    post(
        actor=None,
        org=org,
        date=day,
        memo="补助",
        lines=[LineIn("102", debit_fen=30_000), LineIn("403", credit_fen=30_000, earmarked=True)],
    )
    post(
        actor=None,
        org=org,
        date=day,
        memo="活动",
        lines=[LineIn("50102", debit_fen=45_000), LineIn("102", credit_fen=45_000)],
    )
    services.budget_set(actor=None, org=org, year=2025, code="501", amount_fen=50_000)
    assert selectors.budget_vs_actual(org, 2025)[0]["actual_fen"] == 45_000
    for month in range(1, 12):
        services.period_close(actor=None, org=org, month=dt.date(2025, month, 1))
    services.year_close(actor=None, org=org, year=2025)
    assert services.balances_check() == []
    closing = Balance.objects.get(org=org, month=dt.date(2025, 12, 1), code="322")
    assert (closing.debit_fen, closing.credit_fen, closing.earmarked) == (0, 55_000, False)
    sheet = {text: values for text, values, _ in reports.balance_sheet(org, dt.date(2025, 12, 1)).rows}
    assert sheet["322 工会资金结余"][1] == 55_000 and sheet["321 工会资金结转"][1] == 30_000


def test_consolidation_eliminates_union_pairs_inside_the_subtree_only(cast):
    o = cast.orgs
    day = dt.date(2026, 3, 5)
    services.entry_post(
        actor=None,
        org=o.company,
        date=day,
        memo="借给街道工会",
        lines=[LineIn("135", debit_fen=8_000, party=o.xixi), LineIn("102", credit_fen=8_000)],
    )
    services.entry_post(
        actor=None,
        org=o.xixi,
        date=day,
        memo="向企业工会借款",
        lines=[LineIn("102", debit_fen=8_000), LineIn("215", credit_fen=8_000, party=o.company)],
    )
    month = dt.date(2026, 3, 1)
    inside = {t: v for t, v, _ in reports.balance_sheet(o.xihu, month, subtree=True).rows}
    alone = {t: v for t, v, _ in reports.balance_sheet(o.company, month).rows}
    assert alone["135 其他应收款"][1] == 8_000
    assert inside["135 其他应收款"][1] == 0 and inside["215 其他应付款"][1] == 0
    assert inside["资产合计"][1] == inside["负债和净资产合计"][1]


def test_a_union_or_a_unit_never_both(cast):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="不能同时填写"):
        services.entry_post(
            actor=None,
            org=cast.orgs.company,
            date=dt.date(2026, 3, 5),
            memo="x",
            lines=[
                LineIn("135", debit_fen=1, party=cast.orgs.xixi, counterparty="某公司"),
                LineIn("102", credit_fen=1),
            ],
        )
    with pytest.raises(ValidationError, match="不能是"):
        services.entry_post(
            actor=None,
            org=cast.orgs.company,
            date=dt.date(2026, 3, 5),
            memo="x",
            lines=[LineIn("135", debit_fen=1, party=cast.orgs.company), LineIn("102", credit_fen=1)],
        )
    assert not Balance.objects.exists()


def test_the_command_finds_a_difference_and_rebuilds(cast):
    org = cast.orgs.company
    services.entry_post(
        actor=None,
        org=org,
        date=dt.date(2026, 3, 5),
        memo="活动",
        lines=[LineIn("50102", debit_fen=12_000), LineIn("102", credit_fen=12_000)],
    )
    call_command("finance_balances")  # agrees: no error
    Balance.objects.filter(code="102").update(credit_fen=11_000)  # as a restore of an older table would leave it
    Balance.objects.create(org=org, month=dt.date(2026, 2, 1), code="401", credit_fen=5)
    with pytest.raises(CommandError, match="2 个月度发生额与分录不一致"):
        call_command("finance_balances")
    call_command("finance_balances", "--rebuild")
    assert services.balances_check() == []
    assert sorted(Balance.objects.values_list("code", "debit_fen", "credit_fen")) == [("102", 0, 12_000),
                                                                                   ("50102", 12_000, 0)]  # fmt: skip
    assert AuditEvent.objects.filter(action="finance.balances.rebuild", detail__balances=2).exists()


def test_the_migrations_backfill_gives_the_same_balances(cast):
    """Migration 0012 fills the table from the lines already posted: the same rows the postings keep."""
    from importlib import import_module

    backfill = import_module("gonghui.finance.migrations.0012_monthly_balances").BACKFILL
    o = cast.orgs
    services.entry_post(
        actor=None,
        org=o.company,
        date=dt.date(2026, 3, 5),
        memo="押金",
        lines=[LineIn("135", debit_fen=700, counterparty="某公司"), LineIn("102", credit_fen=700)],
    )
    services.entry_post(
        actor=None,
        org=o.company,
        date=dt.date(2026, 3, 6),
        memo="应缴",
        lines=[LineIn("50101", debit_fen=90), LineIn("211", credit_fen=90, party=o.xihu)],
    )
    kept = sorted(Balance.objects.values_list("org", "month", "code", "earmarked", "party", "counterparty",
                                              "debit_fen", "credit_fen"))  # fmt: skip
    Balance.objects.all().delete()
    with connection.cursor() as cursor:
        cursor.execute(backfill)
    assert sorted(Balance.objects.values_list("org", "month", "code", "earmarked", "party", "counterparty",
                                              "debit_fen", "credit_fen")) == kept  # fmt: skip
    assert len(kept) == 4 and services.balances_check() == []  # 102 twice: one row


@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent transactions")
@pytest.mark.django_db(transaction=True)
def test_two_postings_to_one_new_key_at_once_keep_both_deltas(cast):
    """The first transaction inserts the key's row and holds it uncommitted; the second, on the same key, waits
    for it and then adds its own delta (ON CONFLICT DO UPDATE), instead of failing or overwriting."""
    org, day = cast.orgs.company, dt.date(2026, 3, 5)
    first_posted = threading.Event()
    timings = {}

    def first():
        with transaction.atomic():
            services.entry_post(
                actor=None,
                org=org,
                date=day,
                memo="一",
                lines=[LineIn("50102", debit_fen=100), LineIn("102", credit_fen=100)],
            )
            first_posted.set()
            time.sleep(1)
        return "first"

    def second():
        first_posted.wait(10)
        started = time.monotonic()
        services.entry_post(
            actor=None,
            org=org,
            date=day,
            memo="二",
            lines=[LineIn("50102", debit_fen=250), LineIn("102", credit_fen=250)],
        )
        timings["second"] = time.monotonic() - started
        return "second"

    assert sorted(at_once([first, second], timeout=30)) == ["first", "second"]
    assert timings["second"] > 0.5  # it did wait on the first one's row
    row = Balance.objects.get(org=org, code="50102")
    assert (row.debit_fen, row.credit_fen) == (350, 0)
    assert services.balances_check() == []
