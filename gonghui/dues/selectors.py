"""Reads of dues, within the user's scope (orgs.access decides it). Ledgers are computed for the few
members a page shows; totals over a subtree come from the rollup table, never from member rows."""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, F, Sum
from django.db.models.functions import Substr
from django.utils import timezone

from gonghui.core import crypto
from gonghui.dues.calculation import (
    Arrears,
    MonthLine,
    Span,
    add_months,
    ledger,
    month_of,
    months_between,
    tracking_start,
)
from gonghui.dues.models import DuesOrgMonth, DuesPayment, DuesRate, WageBase
from gonghui.dues.policy import DuesPolicy, dues_policy
from gonghui.members.models import Membership, Person
from gonghui.orgs.models import PATH_SEGMENT_WIDTH, Org

ROLLUP_FIELDS = ("members", "members_due", "due_total", "members_paid", "paid_total", "members_in_arrears",
                 "arrears_total", "members_unassessed")  # fmt: skip


def current_month() -> dt.date:
    return month_of(timezone.localdate())


def province_of(org: Org) -> str:
    """The province whose rate applies: the first two digits of the org's region code."""
    return org.region_id[:2]


class RateTable:
    """Every province's rate history (a few rows per province), loaded once."""

    def __init__(self, policy: DuesPolicy):
        self.policy = policy
        self.rows: dict[str, list[tuple[dt.date, Decimal]]] = defaultdict(list)
        for code, month, rate in DuesRate.objects.order_by("effective_from").values_list(
            "province_code", "effective_from", "rate"
        ):
            self.rows[code].append((month, rate))

    def rate(self, province: str, month: dt.date) -> Decimal:
        return next((r for m, r in reversed(self.rows.get(province, [])) if m <= month), self.policy.rate)


def money(value) -> Decimal:
    """A sum from the database to the fen (SQLite's SUM loses the decimal places)."""
    return Decimal(value or 0).quantize(Decimal("0.01"))


def _totals(row: dict) -> dict:
    return {k: money(v) if k.endswith("_total") else (v or 0) for k, v in row.items()}


def decrypt_base(token: str) -> Decimal:
    return Decimal(crypto.decrypt(token))


@dataclass
class DuesData:
    """Memberships, wage bases and payments of a set of people, in four queries."""

    policy: DuesPolicy
    rates: RateTable
    spans: dict[int, list[Span]] = field(default_factory=lambda: defaultdict(list))
    bases: dict[int, list[tuple[dt.date, Decimal]]] = field(default_factory=lambda: defaultdict(list))
    paid: dict[int, dict[dt.date, Decimal]] = field(default_factory=lambda: defaultdict(dict))

    @classmethod
    def load(cls, person_ids, *, policy: DuesPolicy | None = None, rates: RateTable | None = None) -> "DuesData":
        policy = policy or dues_policy()
        data = cls(policy, rates or RateTable(policy))
        ids = list(person_ids)
        # Ended memberships first: after a transfer the new membership keeps the joining date, so for the
        # months before the move the old union's row is the one that held the member.
        memberships = Membership.objects.filter(person_id__in=ids).order_by(
            F("ended_on").asc(nulls_last=True), "joined_on", "id"
        )
        for pid, joined, ended, retired, region, org_id in memberships.values_list(
            "person_id", "joined_on", "ended_on", "is_retired", "org__region_id", "org_id"
        ):
            before = data.spans[pid][-1].ended_on if data.spans[pid] else None
            held_from = max(joined, before) if before else joined
            data.spans[pid].append(Span(joined, ended, retired, region[:2], org_id, held_from))
        for pid, month, token in WageBase.objects.filter(person_id__in=ids).values_list(
            "person_id", "effective_from", "base_enc"
        ):
            data.bases[pid].append((month, decrypt_base(token)))
        sums = DuesPayment.objects.filter(person_id__in=ids).values("person_id", "month").annotate(total=Sum("amount"))
        for row in sums.order_by():
            data.paid[row["person_id"]][row["month"]] = money(row["total"])
        return data

    def start(self, pid: int) -> dt.date | None:
        return tracking_start(self.policy, (m for m, _ in self.bases[pid]))

    def lines(self, pid: int, months: list[dt.date], today: dt.date | None = None) -> list[MonthLine]:
        return ledger(
            spans=self.spans[pid], bases=self.bases[pid], paid=self.paid[pid], rate_for=self.rates.rate,
            months=months, current_month=today or current_month(), policy=self.policy,
        )  # fmt: skip

    def history(self, pid: int, through: dt.date, *, since: dt.date | None = None,
                today: dt.date | None = None) -> list[MonthLine]:  # fmt: skip
        """Every month from the start of tracking (or ``through`` itself, with no start; or ``since``, if
        earlier) to ``through``: what arrears up to ``through`` add up from."""
        start, spans = self.start(pid), self.spans[pid]
        first = through if since is None else min(since, through)
        if start is not None and spans:
            first = min(max(start, month_of(min(s.joined_on for s in spans))), first)
        return self.lines(pid, months_between(first, through), today)

    def arrears(self, pid: int, today: dt.date | None = None) -> Arrears:
        return Arrears.of(self.history(pid, today or current_month(), today=today))


# ----- members ------------------------------------------------------------------------------------------------


def member_arrears(person: Person) -> Arrears:
    return DuesData.load([person.pk]).arrears(person.pk)


@dataclass(frozen=True)
class StatementLine:
    line: MonthLine
    payments: list[DuesPayment]


@dataclass(frozen=True)
class Statement:
    """年度会费明细: each month of a year, its totals, and the member's arrears now."""

    person: Person
    year: int
    lines: list[StatementLine]
    due_total: Decimal
    paid_total: Decimal
    arrears: Arrears
    bases: list[tuple[dt.date, Decimal | None]]  # (from month, monthly dues at that base) — never the wage


def statement(person: Person, year: int) -> Statement:
    data = DuesData.load([person.pk])
    lines = data.lines(person.pk, months_between(dt.date(year, 1, 1), dt.date(year, 12, 1)))
    payments = defaultdict(list)
    rows = DuesPayment.objects.filter(person=person, month__year=year).select_related("org").order_by("month", "id")
    for payment in rows:
        payments[payment.month].append(payment)
    return Statement(
        person=person, year=year, lines=[StatementLine(line, payments[line.month]) for line in lines],
        due_total=sum((line.due or 0 for line in lines), Decimal("0.00")),
        paid_total=sum((line.paid for line in lines), Decimal("0.00")),
        arrears=data.arrears(person.pk), bases=base_dues(data, person.pk),
    )  # fmt: skip


def base_dues(data: DuesData, pid: int) -> list[tuple[dt.date, Decimal | None]]:
    """Each wage base's start month and the monthly dues it gives (at the rate of that month), newest first."""
    return [(month, _due_at(data, pid, month)) for month, _ in sorted(data.bases[pid], reverse=True)]


def _due_at(data: DuesData, pid: int, month: dt.date) -> Decimal | None:
    return data.lines(pid, [month], today=max(month, current_month()))[0].due


def dues_at(person: Person, month: dt.date) -> Decimal | None:
    """The member's monthly dues in ``month`` (zero when exempt, None without a wage base)."""
    return _due_at(DuesData.load([person.pk]), person.pk, month)


def payments_of(person: Person) -> list[DuesPayment]:
    payments = DuesPayment.objects.filter(person=person).select_related("org", "recorded_by")
    return list(payments.order_by("-month", "-id"))


def province_rates() -> list[DuesRate]:
    return list(DuesRate.objects.order_by("province_code", "-effective_from"))


# ----- orgs ---------------------------------------------------------------------------------------------------


def direct_members(org: Org):
    """The org's own active members (not those of its sub-unions), in a stable order."""
    return Membership.objects.filter(org=org, status=Membership.Status.ACTIVE).order_by("id")


@dataclass(frozen=True)
class MemberRow:
    membership: Membership
    line: MonthLine
    arrears: Arrears


def member_rows(page: list[Membership], month: dt.date) -> list[MemberRow]:
    """One page of an org's direct members with their dues of ``month`` and arrears up to it."""
    data = DuesData.load([m.person_id for m in page])
    rows = []
    for m in page:
        history = data.history(m.person_id, month)
        rows.append(MemberRow(m, history[-1], Arrears.of(history)))
    return rows


def subtree_totals(org: Org, month: dt.date) -> dict:
    """The rollup summed over the org's subtree for ``month`` (one query over orgs, not members)."""
    rows = DuesOrgMonth.objects.filter(org__path__startswith=org.path, month=month)
    totals = rows.aggregate(**{f: Sum(f) for f in ROLLUP_FIELDS}, orgs=Count("id"))
    return _totals(totals)


def child_totals(org: Org, month: dt.date) -> list[tuple[Org, dict]]:
    """Each direct sub-union's subtree totals for ``month`` (all of them), in two queries."""
    width = len(org.path) + PATH_SEGMENT_WIDTH + 1
    rows = (
        DuesOrgMonth.objects.filter(org__path__startswith=org.path, month=month)
        .exclude(org=org)
        .annotate(child=Substr("org__path", 1, width))
        .values("child")
        .annotate(**{f: Sum(f) for f in ROLLUP_FIELDS})
        .order_by("child")
    )
    by_path = {row.pop("child"): _totals(row) for row in rows}
    children = Org.objects.filter(path__in=list(by_path)).order_by("path")
    return [(child, by_path[child.path]) for child in children]


def rollup_window(policy: DuesPolicy | None = None) -> list[dt.date]:
    """The months the rollup is kept for, oldest first, ending with the current month."""
    policy = policy or dues_policy()
    now = current_month()
    return months_between(add_months(now, -(policy.rollup_months - 1)), now)


def month_paid_total(user) -> Decimal:
    """本月会费: dues paid this month in the user's scope, summed from the rollup (not from payments)."""
    rows = DuesOrgMonth.objects.in_scope(user).filter(month=current_month())
    return money(rows.aggregate(n=Sum("paid_total"))["n"])


def month_paid_total_under(org: Org) -> Decimal:
    """本月会费 of ``org``'s whole subtree, from the monthly rollup."""
    rows = DuesOrgMonth.objects.filter(month=current_month(), org__path__startswith=org.path)
    return money(rows.aggregate(n=Sum("paid_total"))["n"])


def month_paid_total_by_org() -> dict[int, Decimal]:
    rows = DuesOrgMonth.objects.filter(month=current_month(), paid_total__gt=0)
    return {org_id: money(paid) for org_id, paid in rows.values_list("org", "paid_total")}


def month_arrears_total(user) -> Decimal:
    """欠缴会费: the arrears (all months up to last) of the members in the user's scope, from this month's rollup."""
    rows = DuesOrgMonth.objects.in_scope(user).filter(month=current_month())
    return money(rows.aggregate(n=Sum("arrears_total"))["n"])


def month_arrears_total_under(org: Org) -> Decimal:
    """欠缴会费 of ``org``'s whole subtree (the governance overview and its risk score)."""
    rows = DuesOrgMonth.objects.filter(month=current_month(), org__path__startswith=org.path)
    return money(rows.aggregate(n=Sum("arrears_total"))["n"])


def month_arrears_total_by_org() -> dict[int, Decimal]:
    rows = DuesOrgMonth.objects.filter(month=current_month(), arrears_total__gt=0)
    return {org_id: money(owed) for org_id, owed in rows.values_list("org", "arrears_total")}


def arrears_by_employer() -> dict[int, Decimal]:
    """欠缴会费 per employer (employer id): the arrears of this month's rollup of the employers' own unions (the
    governance risk alerts)."""
    rows = (DuesOrgMonth.objects.filter(month=current_month(), arrears_total__gt=0, org__employer__isnull=False)
            .values("org__employer").annotate(n=Sum("arrears_total")))  # fmt: skip
    return {row["org__employer"]: money(row["n"]) for row in rows}
