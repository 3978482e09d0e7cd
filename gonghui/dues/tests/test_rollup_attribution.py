"""The monthly rollup counts each member month at the union that held the membership that month (decision 0046):
after joins, payments, reversals, transfers and exits, month by month, every union-month row equals a recount
from the memberships the test itself recorded and the members' ledgers."""

import datetime as dt
from collections import Counter
from contextlib import suppress
from dataclasses import dataclass
from decimal import Decimal
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from gonghui.dues import services
from gonghui.dues.calculation import Status, add_months, month_of, months_between
from gonghui.dues.models import DuesOrgMonth, DuesPayment
from gonghui.dues.selectors import ROLLUP_FIELDS, DuesData, subtree_totals
from gonghui.governance.models import RollupDirty
from gonghui.members.models import Membership
from gonghui.members.services import (
    employer_close,
    member_create,
    membership_end,
    transfer_accept,
    transfer_release,
    transfer_start,
)
from gonghui.orgs.models import OrgType
from gonghui.testing.cast import add_org, valid_id

START = dt.date(2026, 1, 1)  # the simulated months: January to June 2026
PEOPLE = 4


@dataclass
class Held:
    """The test's own record of one stay of a person at a union: from ``start`` to ``end`` (exclusive)."""

    org_id: int
    start: dt.date
    end: dt.date | None = None

    def in_month(self, month: dt.date) -> bool:
        return self.start < add_months(month, 1) and (self.end is None or self.end > month)


def freeze_time(day: dt.date):
    """Today is ``day`` for the services (they read the date through ``timezone.localdate``)."""
    return mock.patch("django.utils.timezone.localdate", return_value=day)


class _Undo(Exception):
    """Rolls an example back: hypothesis runs many in one test's database."""


def _second_union(cast):
    return add_org(cast.orgs.xihu, "翠苑街道工会", OrgType.TOWNSHIP, "330106004")


def _join(cast, org, slot, today, base="8000"):
    membership = member_create(actor=None, org=org, name=f"会员{slot}", joined_on=today,
                               id_number=valid_id(f"33010619850203{slot:02d}5"))  # fmt: skip
    services.wage_base_set(actor=cast.users.national_admin, person=membership.person, base=base, effective_from=today)
    return membership


def _move(cast, membership, to_org):
    admin = cast.users.national_admin
    transfer = transfer_start(actor=admin, membership=membership, to_org=to_org, reason="工作调动")
    transfer = transfer_release(actor=admin, transfer=transfer)
    return transfer_accept(actor=admin, transfer=transfer).new_membership


def _active(person_id):
    return Membership.objects.filter(person_id=person_id, status="active").first()


def _recount(unions, stays: dict[int, list[Held]], today: dt.date):
    """Each union-month the simple way: every person's ledger month, at the union of their latest stay that
    overlaps the month; and how many were members anywhere each month."""
    now = month_of(today)
    months = months_between(START, now)
    expected = {(u.pk, m): dict.fromkeys(ROLLUP_FIELDS, 0) for u in unions for m in months}
    anywhere = Counter()
    data = DuesData.load(list(stays))
    for pid, held in stays.items():
        arrears = Decimal(0)
        for line in data.history(pid, now, since=START):
            arrears += line.owed
            there = [h for h in held if h.in_month(line.month)]
            assert (line.status == Status.NOT_MEMBER) == (not there), (line, held)
            if not there:
                continue
            anywhere[line.month] += 1
            t = expected[(there[-1].org_id, line.month)]
            t["members"] += 1
            t["members_unassessed"] += line.status == Status.UNASSESSED
            if line.due:
                t["members_due"], t["due_total"] = t["members_due"] + 1, t["due_total"] + line.due
            if line.paid > 0:
                t["members_paid"], t["paid_total"] = t["members_paid"] + 1, t["paid_total"] + line.paid
            if arrears > 0:
                t["members_in_arrears"], t["arrears_total"] = t["members_in_arrears"] + 1, t["arrears_total"] + arrears
    return months, expected, anywhere


def _assert_rollup(unions, stays, today):
    months, expected, anywhere = _recount(unions, stays, today)
    rows = {(r.org_id, r.month): r for r in DuesOrgMonth.objects.filter(org__in=unions, month__in=months)}
    for key, want in expected.items():
        row = rows.get(key)
        got = {f: getattr(row, f) if row else 0 for f in ROLLUP_FIELDS}
        assert got == want, (key, today)
    for month in months:
        held = sum(rows[(u.pk, month)].members for u in unions if (u.pk, month) in rows)
        assert held == anywhere[month], (month, today)


steps = st.lists(
    st.tuples(
        st.integers(0, 5),  # month of the simulation
        st.integers(1, 28),  # day
        st.sampled_from(["join", "join", "pay", "pay", "pay", "transfer", "exit", "reverse"]),
        st.integers(0, PEOPLE - 1),  # who
        st.integers(0, 3),  # the union joined, months back paid, tens of days an exit is dated back
    ),
    min_size=1,
    max_size=12,
)


@pytest.mark.django_db
@hypothesis_settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=steps)
def test_every_union_month_equals_a_recount_of_who_held_whom(cast, steps):
    try:
        with transaction.atomic():
            _simulate(cast, steps)
            raise _Undo
    except _Undo:
        pass


def _simulate(cast, steps):
    unions = (cast.orgs.xixi, _second_union(cast))
    with freeze_time(START):  # both unions' rollups are kept from the start (a membership change keeps them)
        for union in unions:
            services.org_rollup_refresh(org=union)
    admin = cast.users.national_admin
    people: dict[int, int] = {}  # slot -> person id
    stays: dict[int, list[Held]] = {}  # person id -> their stays, in order
    last_month = None
    for month_index, day, kind, slot, arg in sorted(steps, key=lambda s: (s[0], s[1])):
        today = add_months(START, month_index).replace(day=day)
        for month in months_between(add_months(last_month, 1) if last_month else START, month_of(today)):
            with freeze_time(month):  # the daily job on the first of each month: last month's and this one's
                services.rollups_refresh_recent(today=month)
        last_month = month_of(today)
        with freeze_time(today):
            pid = people.get(slot)
            membership = _active(pid) if pid else None
            if kind == "join" and membership is None:
                org = unions[arg % 2]
                pid = people[slot] = _join(cast, org, slot, today, base=str(6000 + 1000 * arg)).person_id
                stays.setdefault(pid, []).append(Held(org.pk, today))
            elif kind == "pay" and membership is not None:
                with suppress(ValidationError):  # not a member then, or paid already
                    services.dues_pay(actor=admin, person=membership.person, month=add_months(month_of(today), -arg),
                                      method="cash", paid_on=today)  # fmt: skip
            elif kind == "reverse" and pid is not None:
                payment = DuesPayment.objects.filter(person_id=pid, kind="payment", is_reversed=False).first()
                if payment is not None:
                    services.dues_payment_reverse(actor=admin, payment=payment, reason="更正")
            elif kind == "transfer" and membership is not None:
                other = unions[1] if membership.org_id == unions[0].pk else unions[0]
                _move(cast, membership, other)
                stays[pid][-1].end = today
                stays[pid].append(Held(other.pk, today))
            elif kind == "exit" and membership is not None:
                ended_on = max(stays[pid][-1].start, today - dt.timedelta(days=10 * arg))
                membership_end(actor=admin, membership=membership, status="withdrawn", reason="调离",
                               ended_on=ended_on)  # fmt: skip
                stays[pid][-1].end = ended_on
            _assert_rollup(unions, stays, today)


def test_a_transfer_in_may_counts_january_to_april_at_the_old_union_and_may_on_at_the_new(cast):
    a, admin = cast.orgs.xixi, cast.users.national_admin
    with freeze_time(START):
        b = _second_union(cast)
        mover = _join(cast, a, 1, START)
        stayer = _join(cast, a, 2, START)
        leaver = _join(cast, a, 3, START)
    with freeze_time(dt.date(2026, 3, 10)):
        services.dues_pay(actor=admin, person=mover.person, month=dt.date(2026, 2, 1), method="cash",
                          paid_on=dt.date(2026, 3, 10))  # fmt: skip
    for month in months_between(dt.date(2026, 4, 1), dt.date(2026, 5, 1)):
        with freeze_time(month):
            services.rollups_refresh_recent(today=month)
    with freeze_time(dt.date(2026, 5, 12)):
        _move(cast, mover, b)
        membership_end(actor=admin, membership=leaver, status="withdrawn", reason="调离", ended_on=dt.date(2026, 5, 3))
        for month in months_between(START, dt.date(2026, 4, 1)):
            assert DuesOrgMonth.objects.get(org=a, month=month).members == 3, month
            assert not DuesOrgMonth.objects.filter(org=b, month=month, members__gt=0).exists()
        assert DuesOrgMonth.objects.get(org=a, month=dt.date(2026, 5, 1)).members == 2  # the stayer and the leaver
        may = DuesOrgMonth.objects.get(org=b, month=dt.date(2026, 5, 1))
        assert may.members == 1 and may.due_total == Decimal("40.00")
        # the mover's unpaid January, March and April go with them; February was paid at the old union
        assert may.arrears_total == Decimal("120.00")
        assert DuesOrgMonth.objects.get(org=a, month=dt.date(2026, 4, 1)).paid_total == 0
        assert DuesOrgMonth.objects.get(org=a, month=dt.date(2026, 2, 1)).paid_total == Decimal("40.00")
        company = DuesOrgMonth.objects.get(org=cast.orgs.company, month=dt.date(2026, 5, 1)).members
        assert subtree_totals(cast.orgs.xihu, dt.date(2026, 5, 1))["members"] == company + 3  # the mover once
        _assert_rollup((a, b), {m.person_id: h for m, h in (
            (mover, [Held(a.pk, START, dt.date(2026, 5, 12)), Held(b.pk, dt.date(2026, 5, 12))]),
            (stayer, [Held(a.pk, START)]), (leaver, [Held(a.pk, START, dt.date(2026, 5, 3))]),
        )}, dt.date(2026, 5, 12))  # fmt: skip
    with freeze_time(dt.date(2026, 6, 1)):
        services.rollups_refresh_recent(today=dt.date(2026, 6, 1))
        june = {org: DuesOrgMonth.objects.get(org=org, month=dt.date(2026, 6, 1)).members for org in (a, b)}
        assert june == {a: 1, b: 1}  # the leaver is nowhere
        fields = ("org", "month", *ROLLUP_FIELDS)
        kept = DuesOrgMonth.objects.filter(org__in=(a, b), month__gte=START, members__gt=0).order_by("org", "month")
        before = list(kept.values_list(*fields))
        DuesOrgMonth.objects.all().delete()
        services.rollups_recompute()  # the monthly task agrees with what the writes kept
        assert list(kept.values_list(*fields)) == before


def test_a_transfer_applies_its_member_difference_to_both_unions(cast, monkeypatch):
    a, b = cast.orgs.xixi, _second_union(cast)
    members = [_join(cast, a, slot, month_of(dt.date.today())) for slot in range(4)]
    services.rollups_recompute()
    loaded, load = [], DuesData.load

    def counting_load(person_ids, **kw):
        loaded.append(len(list(person_ids)))
        return load(person_ids, **kw)

    monkeypatch.setattr(DuesData, "load", counting_load)
    RollupDirty.objects.all().delete()
    _move(cast, members[0], b)
    assert max(loaded) == 1  # the mover's ledger, not either union's
    counts = dict(DuesOrgMonth.objects.filter(month=month_of(dt.date.today())).values_list("org", "members"))
    assert (counts[a.pk], counts[b.pk]) == (3, 1)
    # the overview's dues figures are marked for both unions, not only the receiving one
    marked = set(RollupDirty.objects.filter(key="dues_arrears").values_list("org_id", flat=True))
    assert {a.pk, b.pk} <= marked


def test_an_employer_closure_moves_the_closed_unions_months_to_the_upper_union(cast):
    company, xihu = cast.orgs.company, cast.orgs.xihu
    month = month_of(dt.date.today())
    for membership in (cast.members.zhang, cast.members.li):
        services.wage_base_set(actor=cast.users.national_admin, person=membership.person, base="8000",
                               effective_from=month)  # fmt: skip
    assert DuesOrgMonth.objects.get(org=company, month=month).members == 2
    employer_close(actor=cast.users.province_admin, org=company)
    rows = dict(DuesOrgMonth.objects.filter(month=month).values_list("org", "members"))
    assert (rows[company.pk], rows[xihu.pk]) == (0, 2)  # the memberships moved in place, their months with them


def test_a_membership_change_behind_the_services_back_is_caught_by_the_check(cast):
    a, admin = cast.orgs.xixi, cast.users.national_admin
    members = [_join(cast, a, slot, dt.date.today().replace(day=1)) for slot in range(3)]
    services.rollups_recompute()
    Membership.objects.filter(pk=members[0].pk).update(status="withdrawn", ended_on=dt.date.today().replace(day=1))
    services.dues_pay(actor=admin, person=members[1].person, month=month_of(dt.date.today()), method="cash",
                      paid_on=dt.date.today())  # fmt: skip
    row = DuesOrgMonth.objects.get(org=a, month=month_of(dt.date.today()))
    assert (row.members, row.members_paid) == (2, 1)  # recomputed: the ended one is gone, not just the payment added
