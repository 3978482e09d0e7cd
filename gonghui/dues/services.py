"""Every write of dues. Keyword-only, one transaction each, audited; the wage itself never reaches an audit
detail or a log. Each write refreshes the rollup of the union it touched (docs/architecture.md rule 7)."""

import datetime as dt
import hashlib
from collections import Counter, defaultdict
from contextlib import contextmanager
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Q, Sum
from django.utils import timezone

from gonghui.accounts.models import Grant
from gonghui.core import crypto, figures
from gonghui.core.audit import acting_user, audit_record
from gonghui.core.errors import field_error
from gonghui.core.jobs import enqueue_on_commit
from gonghui.dues.calculation import Status, add_months, holder, month_of, parse_amount
from gonghui.dues.models import DuesOrgMonth, DuesPayment, DuesRate, WageBase
from gonghui.dues.policy import dues_policy
from gonghui.dues.selectors import (
    ROLLUP_FIELDS,
    DuesData,
    RateTable,
    current_month,
    direct_members,
    province_of,
    rollup_window,
)
from gonghui.members.models import Membership, Person
from gonghui.members.selectors import current_membership
from gonghui.members.services import memberships_mark_active
from gonghui.orgs import access
from gonghui.orgs.models import Org, OrgType

MAX_PAYMENT = Decimal("99999.99")


def _label(month: dt.date) -> str:
    return f"{month.year}年{month.month}月"


def _current_membership(person: Person) -> Membership:
    membership = current_membership(person)
    if membership is None:
        raise field_error("person", f"{person.name}没有有效会籍，不能办理会费业务。")
    return membership


# ----- 会费比例 -----------------------------------------------------------------------------------------------


@transaction.atomic
def dues_rate_set(*, actor, province: Org, rate: Decimal, effective_from: dt.date) -> DuesRate:
    """设置本省会费比例, from a month on; by an admin of the provincial federation (or above). A second
    setting for the same month replaces the first. The province's rollups are recomputed by a task."""
    if province.org_type != OrgType.PROVINCE:
        raise field_error("province", "会费比例按省（自治区、直辖市）设置，请选择省级总工会。")
    access.require_role(actor, province, {Grant.Role.ADMIN})
    policy = dues_policy()
    if not Decimal(0) < rate <= policy.max_rate:
        raise field_error("rate", f"会费比例应大于 0 且不超过 {policy.max_rate * 100:.2f}%。")
    if rate != rate.quantize(Decimal("0.000001")):
        raise field_error("rate", "会费比例最多精确到 0.0001%。")
    effective_from = month_of(effective_from)
    row, created = DuesRate.objects.update_or_create(
        province_code=province_of(province), effective_from=effective_from,
        defaults={"rate": rate, "set_by": acting_user(actor)},
    )  # fmt: skip
    audit_record(actor=actor, action="dues.rate_set", obj=row, org=province,
                 detail={"rate": str(rate), "from": f"{effective_from:%Y-%m}", "replaced": not created})  # fmt: skip
    from gonghui.dues.tasks import recompute_rollups_task

    enqueue_on_commit(recompute_rollups_task, province_code=row.province_code, since=effective_from.isoformat())
    return row


# ----- 缴费基数 -----------------------------------------------------------------------------------------------


def _check_base_month(effective_from: dt.date, membership: Membership, field: str = "effective_from") -> dt.date:
    month = month_of(effective_from)
    if month > add_months(current_month(), 12):
        raise field_error(field, "起始月份不能晚于一年以后。")
    if month < month_of(membership.joined_on):
        raise field_error(field, f"起始月份不能早于入会月份（{_label(month_of(membership.joined_on))}）。")
    return month


def _store_base(*, actor, person_id: int, org: Org, month: dt.date, base: Decimal) -> None:
    WageBase.objects.update_or_create(
        person_id=person_id, effective_from=month,
        defaults={"org": org, "base_enc": crypto.encrypt(str(base)), "set_by": acting_user(actor)},
    )  # fmt: skip


@transaction.atomic
def wage_base_set(*, actor, person: Person, base, effective_from: dt.date) -> WageBase:
    """核定缴费基数: the member's monthly wage base from a month on, by a writer of the member's union.
    Bonuses, allowances, subsidies, relief, pensions and severance are not part of it (工发[1978]101号)."""
    membership = _current_membership(person)
    access.require_role(actor, membership.org, access.WRITE_ROLES)
    base = parse_amount(base, "base", maximum=dues_policy().max_base, allow_zero=True)
    month = _check_base_month(effective_from, membership)
    with rollup_delta(person_ids=[person.pk], since=month):
        _store_base(actor=actor, person_id=person.pk, org=membership.org, month=month, base=base)
    audit_record(actor=actor, action="dues.base_set", obj=person, org=membership.org,
                 detail={"from": f"{month:%Y-%m}"})  # fmt: skip
    return WageBase.objects.get(person=person, effective_from=month)


@transaction.atomic
def wage_bases_set_bulk(*, actor, org: Org, effective_from: dt.date, bases: dict[int, object]) -> int:
    """批量核定缴费基数 for the org's own members (person id → base); blank entries are skipped. All or
    nothing: any bad entry refuses the whole batch, naming the member."""
    access.require_role(actor, org, access.WRITE_ROLES)
    policy = dues_policy()
    members = {m.person_id: m for m in direct_members(org).filter(person_id__in=list(bases)).select_related("person")}
    parsed: dict[int, Decimal] = {}
    month = month_of(effective_from)
    for person_id, value in bases.items():
        if value is None or str(value).strip() == "":
            continue
        membership = members.get(person_id)
        if membership is None:
            raise field_error("bases", "名单中有不是本工会有效会员的人员，请刷新页面后重试。")
        try:
            parsed[person_id] = parse_amount(value, "base", maximum=policy.max_base, allow_zero=True)
            _check_base_month(month, membership)
        except ValidationError as error:
            raise field_error("bases", f"{membership.person.name}：{error.messages[0]}") from None
    if not parsed:
        raise field_error("bases", "请至少填写一名会员的缴费基数。")
    with rollup_delta(person_ids=list(parsed), since=month):
        for person_id, base in parsed.items():
            _store_base(actor=actor, person_id=person_id, org=org, month=month, base=base)
    audit_record(actor=actor, action="dues.base_set_bulk", obj=org, org=org,
                 detail={"from": f"{month:%Y-%m}", "count": len(parsed)})  # fmt: skip
    return len(parsed)


# ----- 缴纳 ---------------------------------------------------------------------------------------------------


def _check_paid_on(paid_on: dt.date) -> dt.date:
    if paid_on > timezone.localdate():
        raise field_error("paid_on", "缴纳日期不能晚于今天。")
    return paid_on


def _check_pay_month(month: dt.date) -> dt.date:
    month = month_of(month)
    if month > current_month():
        raise field_error("month", "不能登记未来月份的会费。")
    return month


def _refuse_second(person: Person, month: dt.date) -> None:
    earlier = DuesPayment.objects.filter(person=person, month=month, kind=DuesPayment.Kind.PAYMENT,
                                         is_reversed=False).first()  # fmt: skip
    if earlier is not None:
        raise field_error("month", f"{person.name}{_label(month)}的会费已于 {earlier.paid_on:%Y-%m-%d} 登记，不能重复"
                                   "登记；如需更正，请先冲正原记录。", code="already_paid")  # fmt: skip


@transaction.atomic
def dues_pay(*, actor, person: Person, month: dt.date, method: str, paid_on: dt.date, amount=None,
             note: str = "") -> DuesPayment:  # fmt: skip
    """登记缴纳: one member's dues for one month (the amount due unless given). A month is paid once."""
    membership = _current_membership(person)
    access.require_role(actor, membership.org, access.WRITE_ROLES)
    if method not in DuesPayment.Method.values:
        raise field_error("method", "请选择缴纳方式：代扣、现金、转账或线上。")
    month, paid_on = _check_pay_month(month), _check_paid_on(paid_on)
    line = DuesData.load([person.pk]).lines(person.pk, [month])[0]
    if line.status != Status.DUE:
        raise field_error("month", f"{person.name}{_label(month)}{line.status_label}，无需登记缴纳。")
    if amount is None or str(amount).strip() == "":
        amount = line.due
    amount = parse_amount(amount, "amount", maximum=MAX_PAYMENT)
    _refuse_second(person, month)
    with rollup_delta(person_ids=[person.pk], since=month):
        try:
            with transaction.atomic():
                payment = DuesPayment.objects.create(
                    person=person, membership=membership, org=membership.org, month=month, amount=amount,
                    method=method, paid_on=paid_on, note=note.strip()[:200], recorded_by=acting_user(actor),
                )  # fmt: skip
        except IntegrityError:  # a concurrent record of the same month won (dues_one_payment_per_month)
            _refuse_second(person, month)
            raise
    memberships_mark_active(membership_ids=[membership.pk], on=month)
    audit_record(actor=actor, action="dues.pay", obj=payment, org=membership.org,
                 detail={"month": f"{month:%Y-%m}", "method": method})  # fmt: skip
    return payment


@transaction.atomic
def dues_pay_org_month(*, actor, org: Org, month: dt.date, method: str, paid_on: dt.date) -> dict[str, int]:
    """按月批量登记（代扣）: records the amount due for every own member of the org who owes dues for the
    month and has not paid it; members already paid, retired or without a wage base are skipped and counted.
    Running it twice records nothing the second time."""
    access.require_role(actor, org, access.WRITE_ROLES)
    if method not in DuesPayment.Method.values:
        raise field_error("method", "请选择缴纳方式：代扣、现金、转账或线上。")
    month, paid_on = _check_pay_month(month), _check_paid_on(paid_on)
    Org.objects.select_for_update().filter(pk=org.pk).first()  # one batch per union at a time
    counts = {"recorded": 0, "already_paid": 0, "unassessed": 0, "exempt": 0}
    memberships = list(direct_members(org).values_list("id", "person_id"))
    # The union is recomputed after the batch; members it did not hold in every month since (they moved in)
    # also change the rollup of the unions that held them, by their difference.
    movers = _held_from(month).filter(person_id__in=direct_members(org).values("person_id")).exclude(org=org)
    movers = set(movers.values_list("person_id", flat=True))
    with rollup_delta(person_ids=movers, since=month, recomputed=[org.pk]):
        _pay_org_month(actor, org, month, method, paid_on, memberships, counts)
    audit_record(actor=actor, action="dues.pay_batch", obj=org, org=org,
                 detail={"month": f"{month:%Y-%m}", "method": method, **counts})  # fmt: skip
    org_rollup_refresh(org=org, since=month)
    figures.touch_app([org.pk], "dues")  # payments and rows written in bulk: the overview is told
    return counts


def _pay_org_month(actor, org: Org, month: dt.date, method: str, paid_on: dt.date, memberships: list,
                   counts: dict) -> None:  # fmt: skip
    policy = dues_policy()
    rates = RateTable(policy)
    for start in range(0, len(memberships), policy.batch_size):
        chunk = dict(memberships[start : start + policy.batch_size])
        data = DuesData.load(chunk.values(), policy=policy, rates=rates)
        paid = set(DuesPayment.objects.filter(person_id__in=chunk.values(), month=month, kind="payment",
                                              is_reversed=False).values_list("person_id", flat=True))  # fmt: skip
        new = []
        for membership_id, person_id in chunk.items():
            line = data.lines(person_id, [month])[0]
            if person_id in paid:
                counts["already_paid"] += 1
            elif line.status == Status.UNASSESSED:
                counts["unassessed"] += 1
            elif line.status != Status.DUE or not line.due:
                counts["exempt"] += 1
            else:
                new.append(DuesPayment(
                    person_id=person_id, membership_id=membership_id, org=org, month=month, amount=line.due,
                    method=method, paid_on=paid_on, recorded_by=acting_user(actor),
                ))  # fmt: skip
        DuesPayment.objects.bulk_create(new)
        memberships_mark_active(membership_ids=[p.membership_id for p in new], on=month)
        counts["recorded"] += len(new)


@transaction.atomic
def dues_payment_reverse(*, actor, payment: DuesPayment, reason: str) -> DuesPayment:
    """冲正: cancels a payment by a negative record pointing at it; the month can then be recorded again."""
    access.require_role(actor, payment.org, access.WRITE_ROLES)
    if not reason.strip():
        raise field_error("reason", "请填写冲正原因。")
    original = DuesPayment.objects.select_for_update().get(pk=payment.pk)
    if original.kind != DuesPayment.Kind.PAYMENT or original.is_reversed:
        raise ValidationError("该记录已冲正或本身是冲正记录，不能再冲正。")
    with rollup_delta(person_ids=[original.person_id], since=original.month):
        DuesPayment.objects.filter(pk=original.pk).update(is_reversed=True)
        reversal = DuesPayment.objects.create(
            person_id=original.person_id, membership_id=original.membership_id, org_id=original.org_id,
            month=original.month, amount=-original.amount, method=original.method, paid_on=timezone.localdate(),
            kind=DuesPayment.Kind.REVERSAL, reverses=original, note=reason.strip()[:200],
            recorded_by=acting_user(actor),
        )  # fmt: skip
    audit_record(actor=actor, action="dues.reverse", obj=original, org=payment.org,
                 detail={"month": f"{original.month:%Y-%m}"})  # fmt: skip
    return reversal


# ----- 月度汇总 -----------------------------------------------------------------------------------------------
# Each member month counts at the union that held the membership that month (decision 0046): a member who
# moved from A to B in May counts at A up to April and at B from May; one who left in May counts at A up to
# May (when the membership ended after May 1st) and nowhere after.


def _rollup_months(since: dt.date | None) -> list[dt.date]:
    window = rollup_window()
    return [m for m in window if since is None or m >= month_of(since)] or window[-1:]


def _held_from(start: dt.date):
    """Memberships that can hold a month from ``start`` on: open, or ended after the month began."""
    return Membership.objects.filter(Q(ended_on__isnull=True) | Q(ended_on__gt=start))


def _zero(months: list[dt.date]) -> dict:
    return {m: dict.fromkeys(ROLLUP_FIELDS, 0) for m in months}


def _members_totals(person_ids: list[int], months: list[dt.date]) -> dict[int, dict]:
    """The given members' share of the rollup for ``months``, from their ledgers, in batches: {org id: {month:
    totals}}, each month of a member added to the union that held them that month."""
    policy = dues_policy()
    totals: dict[int, dict] = defaultdict(lambda: _zero(months))
    rates = RateTable(policy)
    for start in range(0, len(person_ids), policy.batch_size):
        chunk = person_ids[start : start + policy.batch_size]
        data = DuesData.load(chunk, policy=policy, rates=rates)
        for pid in chunk:
            _add_member(totals, data.history(pid, months[-1], since=months[0]), data.spans[pid], months)
    return totals


def _members_checks(org_ids) -> dict[int, str]:
    """Each union's memberships that can hold a month of the kept window (count, ids, the open ones, the ended
    ones, retirees), when a rollup row was written: a write applies its difference only while they are
    unchanged, else the union is recomputed. Joins, exits, transfers and retirements all change it."""
    found = (
        _held_from(rollup_window()[0]).filter(org_id__in=list(org_ids)).order_by().values("org_id")
        .annotate(n=Count("id"), ids=Sum("id"), open=Count("id", filter=Q(ended_on__isnull=True)),
                  ended=Sum("id", filter=Q(ended_on__isnull=False)), retired=Count("id", filter=Q(is_retired=True)))
    )  # fmt: skip
    checks = dict.fromkeys(org_ids, "0:0:0:0:0")
    for row in found:
        text = ":".join(str(row[k] or 0) for k in ("n", "ids", "open", "ended", "retired"))
        checks[row["org_id"]] = text if len(text) <= 40 else hashlib.blake2b(text.encode(), digest_size=20).hexdigest()
    return checks


@contextmanager
def rollup_delta(*, person_ids, since: dt.date | None, orgs=(), recomputed=(), when_kept: bool = False):
    """Wraps a write that changes only these members' ledgers or memberships, from ``since`` on: their share
    of the rollup of every union holding them in those months is taken before and after it and the
    difference applied, so a write costs its members, not the unions'. ``orgs``: unions the write may make
    hold them (a transfer's receiving union); ``recomputed``: unions the caller recomputes itself after it.
    A union with a month's row missing, or whose memberships changed since its rows were computed
    (``members_check``), is recomputed instead, over the whole window (``org_rollup_refresh`` stays the repair
    path). A membership
    change moves the union's check on to the new memberships. ``when_kept``: only if one of the unions has
    rows in the window (a membership change at unions whose rollup nobody computed yet leaves it to the daily
    job, as before)."""
    months, person_ids = _rollup_months(since), list(person_ids)
    held = _held_from(months[0]).filter(person_id__in=person_ids).values_list("org_id", flat=True)
    org_ids = sorted({*(getattr(o, "pk", o) for o in orgs), *held} - set(recomputed))
    list(Org.objects.select_for_update().filter(pk__in=org_ids).order_by("pk").values_list("pk"))  # one at a time
    if when_kept and not DuesOrgMonth.objects.filter(org_id__in=org_ids, month__gte=rollup_window()[0]).exists():
        yield
        return
    checks = _members_checks(org_ids)
    rows = DuesOrgMonth.objects.filter(org_id__in=org_ids, month__in=months).values_list("org_id", "members_check")
    current = Counter(org_id for org_id, check in rows if check == checks[org_id])
    fresh = {org_id for org_id in org_ids if current[org_id] == len(months)}
    before = _members_totals(person_ids, months) if fresh else {}
    yield
    after = _members_totals(person_ids, months) if fresh else {}
    now = _members_checks(org_ids)
    for org_id in org_ids:
        if org_id not in fresh:  # the whole window: costs about what its tail would (arrears go back anyway)
            _refresh(org_id, None)
            continue
        for month in months:
            old, new = before.get(org_id, {}).get(month), after.get(org_id, {}).get(month)
            old, new = old or dict.fromkeys(ROLLUP_FIELDS, 0), new or dict.fromkeys(ROLLUP_FIELDS, 0)
            if any(new[f] != old[f] for f in ROLLUP_FIELDS):
                diff = {f: F(f) + (new[f] - old[f]) for f in ROLLUP_FIELDS}
                DuesOrgMonth.objects.filter(org_id=org_id, month=month).update(**diff)
        if now[org_id] != checks[org_id]:  # the months before ``since`` did not change: still in step
            DuesOrgMonth.objects.filter(org_id=org_id, members_check=checks[org_id]).update(members_check=now[org_id])
    for org_id in sorted(set(after) - set(org_ids) - set(recomputed)):  # held by a union nobody named: recompute it
        _refresh(org_id, None)
    # the rows were written by UPDATE and bulk_create: the overview's dues figures are told of every union
    figures.touch_app({*org_ids, *after}, "dues")


def org_rollup_refresh(*, org: Org, since: dt.date | None = None) -> int:
    """Recompute the org's rollup rows from ``since`` (within the kept window) to the current month, from the
    ledgers of the members it held in those months (present and former), in batches: the repair path, the
    batch and the monthly task."""
    return _refresh(org.pk, since)


def _refresh(org_id: int, since: dt.date | None) -> int:
    Org.objects.select_for_update().filter(pk=org_id).first()  # one refresh of an org at a time
    months = _rollup_months(since)
    held = _held_from(months[0]).filter(org_id=org_id).order_by("person_id").values_list("person_id", flat=True)
    totals = _members_totals(list(held.distinct()), months).get(org_id) or _zero(months)
    DuesOrgMonth.objects.filter(org_id=org_id, month__in=months).delete()
    check = _members_checks([org_id])[org_id]
    DuesOrgMonth.objects.bulk_create(
        DuesOrgMonth(org_id=org_id, month=m, members_check=check, **t) for m, t in totals.items()
    )
    return len(months)


def _add_member(totals: dict, history: list, spans: list, months: list[dt.date]) -> None:
    """Adds one member's months to the totals of the unions that held them; arrears of a month are all unpaid
    months up to it (wherever the member was then), counted where the member is in that month."""
    owed, cumulative = Decimal(0), {}
    for line in history:
        owed += line.owed
        cumulative[line.month] = (line, owed)
    for month in months:
        line, arrears = cumulative[month]
        if line.status in {Status.NOT_MEMBER, Status.FUTURE}:
            continue
        t = totals[holder(spans, month).org_id][month]
        t["members"] += 1
        t["members_unassessed"] += line.status == Status.UNASSESSED
        if line.due:
            t["members_due"] += 1
            t["due_total"] += line.due
        if line.paid > 0:
            t["members_paid"] += 1
            t["paid_total"] += line.paid
        if arrears > 0:
            t["members_in_arrears"] += 1
            t["arrears_total"] += arrears


def rollups_recompute(*, province_code: str = "", since: dt.date | None = None) -> int:
    """Recompute the rollups of every union with members, or with members in a month of the kept window (of
    one province, if given): the monthly task, and after a province changes its rate. Idempotent; each union
    in its own transaction."""
    held = DuesOrgMonth.objects.filter(month__gte=rollup_window()[0], members__gt=0).values("org_id")
    orgs = Org.objects.filter(Q(member_count__gt=0) | Q(pk__in=held)).order_by("pk")
    if province_code:
        orgs = orgs.filter(region__code__startswith=province_code)
    done = 0
    for org in orgs.iterator(chunk_size=500):
        with transaction.atomic():
            org_rollup_refresh(org=org, since=since)
        done += 1
    return done


def membership_changes(sender, change, **kwargs):
    """members.signals.membership_changes (decision 0046): around a change of named members, their difference
    applied to the unions that held them before and after; around a change of a whole union (no members
    named), the unions named recomputed after it."""
    if change.person_ids is not None:
        return rollup_delta(person_ids=change.person_ids, since=change.since, orgs=change.org_ids, when_kept=True)
    return _unions_recomputed(change.org_ids, change.since)


@contextmanager
def _unions_recomputed(org_ids: set[int], since: dt.date | None):
    yield
    kept = DuesOrgMonth.objects.filter(org_id__in=org_ids, month__gte=rollup_window()[0])
    for org_id in sorted(org_ids) if kept.exists() else ():
        _refresh(org_id, since)
    figures.touch_app(org_ids, "dues")


def rollups_refresh_recent(*, today: dt.date) -> int:
    """The daily job: last month's and this month's rollups of every union with members, so that joins,
    transfers, retirements and ended memberships recorded since yesterday show in the arrears figures."""
    last_month = (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    return rollups_recompute(since=last_month)
