"""Every write of union finance (docs/architecture.md rule 1): accounts, postings and reversals, period
closing, sharing rules, declarations and collections with their split at every level, dues income, budgets.

Each service checks its actor (docs/decisions/0010; ``actor=None`` is the platform: the daily job, the demo),
runs in one transaction and records its audit event. Amounts are fen (integers)."""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Count, F, Q, Sum
from django.urls import reverse
from django.utils import timezone

from gonghui.core.audit import acting_user, atomic_audited, audit_record
from gonghui.core.errors import ConflictError, field_error
from gonghui.finance import chart
from gonghui.finance.models import (
    Account,
    ArrearsReminder,
    AssetMove,
    Balance,
    Budget,
    Collection,
    Entry,
    FixedAsset,
    FundDeclaration,
    Level,
    Line,
    Period,
    ReserveReturn,
    Share,
    SharingRule,
    Spending,
)
from gonghui.finance.money import BASIS, percent_of, split, yuan
from gonghui.finance.policy import finance_policy
from gonghui.members.models import Employer
from gonghui.orgs import access
from gonghui.orgs.models import Org, OrgType

# The unions that keep the county-level-and-above chart (and may hold 132/212, collect 建会筹备金).
COUNTY_LEVEL = {OrgType.NATIONAL, OrgType.PROVINCE, OrgType.CITY, OrgType.COUNTY, OrgType.INDUSTRY}
LEVEL_OF_TYPE = {OrgType.COUNTY: Level.COUNTY, OrgType.CITY: Level.CITY, OrgType.PROVINCE: Level.PROVINCE,
                 OrgType.NATIONAL: Level.NATIONAL}  # fmt: skip
LEVEL_ORDER = list(Level.values)  # bottom up


def month_of(day: dt.date) -> dt.date:
    return day.replace(day=1)


def label(month: dt.date) -> str:
    return f"{month.year}年{month.month}月"


def is_county_level(org: Org) -> bool:
    return org.org_type in COUNTY_LEVEL


def chart_of(org: Org, own: list[Account] | None = None) -> list[chart.ChartAccount]:
    """The accounts ``org`` books on, by code: the standard ones of its set, and its own (``own``, when the
    caller has read them already for many orgs at once)."""
    own = [a.as_chart() for a in (Account.objects.filter(org=org) if own is None else own)]
    return sorted(chart.standard(county_level=is_county_level(org)) + own, key=lambda a: a.code)


def account_named(org: Org, code: str) -> chart.ChartAccount | None:
    return next((a for a in chart_of(org) if a.code == code), None)


# ----- 科目 -----------------------------------------------------------------------------------------------------


@atomic_audited
def account_add(*, actor, org: Org, parent_code: str, code: str, name: str) -> Account:
    """增设明细科目: an org's own sub-account two digits below an account of its chart."""
    access.require_write(actor, org)
    code, name = code.strip(), name.strip()
    parent = account_named(org, parent_code)
    if parent is None:
        raise field_error("parent_code", f"上级科目 {parent_code} 不在本工会的科目表中。")
    if not (code.isdigit() and len(code) == len(parent.code) + 2 and code.startswith(parent.code)):
        raise field_error("code", f"明细科目编号应为上级科目编号 {parent.code} 后加两位数字，如 {parent.code}01。")
    if not name:
        raise field_error("name", "请填写科目名称。")
    if account_named(org, code) is not None:
        raise field_error("code", f"科目 {code} 已存在。")
    if Line.objects.filter(org=org, code=parent.code).exists():
        raise field_error("parent_code", f"科目 {parent.code} 已有发生额，不能再增设明细科目。")
    account = Account.objects.create(org=org, code=code, name=name[:60], kind=parent.kind, side=parent.side)
    audit_record(actor=actor, action="finance.account.add", obj=account, org=org, detail={"code": code})
    return account


# ----- 记账 -----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LineIn:
    """One line to post: an account code, a debit or a credit in fen, earmarked (专项) or not."""

    code: str
    debit_fen: int = 0
    credit_fen: int = 0
    earmarked: bool = False
    party: Org | None = None  # the other union of an inter-level receivable or payable (131/132/211/212)
    counterparty: str = ""  # 往来单位 that is not a union, on 135/215 (an employer, a supplier), by name


def _check_accounts(org: Org, codes: set[str], own: list[Account] | None = None) -> None:
    accounts = {a.code: a for a in chart_of(org, own)}
    missing = sorted(codes - accounts.keys())
    if missing:
        raise field_error("lines", f"科目 {'、'.join(missing)} 不在{org.name}的科目表中。")
    summary = sorted(codes & {chart.parent_code(code) for code in accounts})
    if summary:
        raise field_error("lines", f"科目 {'、'.join(summary)} 设有明细科目，请记到明细科目。")


def _check_open(org: Org, month: dt.date) -> None:
    if Period.objects.filter(org=org, month=month, closed_at__isnull=False).exists():
        raise field_error("date", f"{org.name}{label(month)}已结账，不能再记账；请记到未结账的月份。")


def _check_lines(lines: list[LineIn]) -> None:
    if len(lines) < 2:
        raise field_error("lines", "一张凭证至少要有两条分录。")
    for line in lines:
        if not ((line.debit_fen > 0 and line.credit_fen == 0) or (line.credit_fen > 0 and line.debit_fen == 0)):
            raise field_error("lines", f"科目 {line.code} 的分录只能填借方或贷方中的一个正数金额。")
    debit, credit = sum(x.debit_fen for x in lines), sum(x.credit_fen for x in lines)
    if debit != credit:
        raise field_error("lines", f"借方合计 {yuan(debit)} 元与贷方合计 {yuan(credit)} 元不相等，凭证不平衡。")


# 月度发生额 (decision 0051): each posting adds its lines to their month's Balance rows in its own transaction.
# One statement per 500 keys; ON CONFLICT ... DO UPDATE adds the deltas to a row a concurrent transaction may
# have written meanwhile (PostgreSQL waits for it, then adds), which Django's bulk_create(update_conflicts=True)
# cannot do: it replaces the values. The conflict target is the unique index ``finance_balance_key``.
_BALANCE_UPSERT = """INSERT INTO finance_balance
(org_id, month, code, earmarked, party_id, counterparty, debit_fen, credit_fen) VALUES {rows}
ON CONFLICT (org_id, month, code, earmarked, COALESCE(party_id, 0), counterparty) DO UPDATE SET
debit_fen = finance_balance.debit_fen + excluded.debit_fen,
credit_fen = finance_balance.credit_fen + excluded.credit_fen"""
_BALANCE_CHUNK = 500

BalanceKey = tuple[int, dt.date, str, bool, int | None, str]  # org, month, code, earmarked, party, counterparty


def balance_key(line: Line) -> BalanceKey:
    return (line.org_id, line.month, line.code, line.earmarked, line.party_id, line.counterparty or "")


def _key_order(key: BalanceKey) -> tuple:
    return (*key[:4], key[4] or 0, key[5])


def balances_add(lines: list[Line]) -> list[Line]:
    """Add ``lines`` (just inserted, in the caller's transaction) to the monthly balances: their debits and
    credits summed per key in Python, then one upsert per key, the keys in one order so that two postings
    lock the rows they share in the same order. Returns ``lines``."""
    deltas: dict[BalanceKey, list[int]] = defaultdict(lambda: [0, 0])
    for line in lines:
        delta = deltas[balance_key(line)]
        delta[0] += line.debit_fen
        delta[1] += line.credit_fen
    keys = sorted(deltas, key=_key_order)
    adapt = connection.ops.adapt_datefield_value
    with connection.cursor() as cursor:
        for start in range(0, len(keys), _BALANCE_CHUNK):
            chunk = keys[start : start + _BALANCE_CHUNK]
            params = [v for k in chunk for v in (k[0], adapt(k[1]), k[2], k[3], k[4], k[5], *deltas[k])]
            cursor.execute(_BALANCE_UPSERT.format(rows=", ".join(["(%s, %s, %s, %s, %s, %s, %s, %s)"] * len(chunk))),
                           params)  # fmt: skip
    return lines


def _line_totals() -> dict[BalanceKey, tuple[int, int]]:
    rows = (Line.objects.values("org_id", "month", "code", "earmarked", "party_id", "counterparty")
            .annotate(debit=Sum("debit_fen"), credit=Sum("credit_fen")).order_by())  # fmt: skip
    out: dict[BalanceKey, list[int]] = defaultdict(lambda: [0, 0])  # counterparty NULL and '' are one key
    for r in rows.iterator(chunk_size=5000):
        total = out[(r["org_id"], r["month"], r["code"], r["earmarked"], r["party_id"], r["counterparty"] or "")]
        total[0] += r["debit"]
        total[1] += r["credit"]
    return {key: (d, c) for key, (d, c) in out.items()}


def balances_check() -> list[tuple[BalanceKey, tuple[int, int], tuple[int, int]]]:
    """The keys whose monthly balance differs from the sum of their lines: (key, from the lines, stored)."""
    lines = _line_totals()
    stored: dict[BalanceKey, tuple[int, int]] = {}
    rows = Balance.objects.values_list("org_id", "month", "code", "earmarked", "party_id", "counterparty",
                                       "debit_fen", "credit_fen")  # fmt: skip
    for *key, debit, credit in rows.iterator(chunk_size=5000):
        stored[tuple(key)] = (debit, credit)
    return [(key, lines.get(key, (0, 0)), stored.get(key, (0, 0)))
            for key in sorted(lines.keys() | stored.keys(), key=_key_order)
            if lines.get(key, (0, 0)) != stored.get(key, (0, 0))]  # fmt: skip


@atomic_audited
def balances_rebuild(*, actor=None) -> int:
    """Recompute every monthly balance from the lines (an operator's command after a restore, or when
    ``balances_check`` found a difference); on PostgreSQL no posting runs meanwhile (the lines are locked
    against inserts). Returns the number of balance rows."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("LOCK TABLE finance_line IN SHARE MODE")
    Balance.objects.all().delete()
    lines = _line_totals()
    Balance.objects.bulk_create(
        [Balance(org_id=k[0], month=k[1], code=k[2], earmarked=k[3], party_id=k[4], counterparty=k[5],
                 debit_fen=d, credit_fen=c) for k, (d, c) in lines.items()],
        batch_size=2000,
    )  # fmt: skip
    audit_record(actor=actor, action="finance.balances.rebuild", detail={"balances": len(lines)})
    return len(lines)


def _post(*, actor, org: Org, date: dt.date, memo: str, lines: list[LineIn], source: str = Entry.Source.MANUAL,
          source_key: str = "", collection: Collection | None = None,
          reverses: Entry | None = None) -> Entry:  # fmt: skip
    """Write one balanced entry: the header unposted, its lines (added to the monthly balances), then the posting
    (one UPDATE that the database refuses unless the lines balance). The caller has checked the actor and holds
    the transaction."""
    _check_lines(lines)
    month = month_of(date)
    _check_open(org, month)
    _check_accounts(org, {line.code for line in lines})
    entry = Entry.objects.create(org=org, date=date, month=month, memo=memo.strip()[:200], source=source,
                                 source_key=source_key, collection=collection, reverses=reverses,
                                 created_by=acting_user(actor))  # fmt: skip
    balances_add(Line.objects.bulk_create([
        Line(entry=entry, org=org, month=month, code=x.code, debit_fen=x.debit_fen,
             credit_fen=x.credit_fen, earmarked=x.earmarked, party=x.party, counterparty=x.counterparty or None)
        for x in lines
    ]))  # fmt: skip
    Entry.objects.filter(pk=entry.pk).update(posted=True)
    entry.posted = True
    return entry


def _check_date(date: dt.date) -> dt.date:
    if date > timezone.localdate():
        raise field_error("date", "记账日期不能晚于今天。")
    return date


# 往来工会: the inter-level receivables and payables (and their sub-accounts) name the other union — above ``org``
# for 131 应收上级经费 and 211 应付上级经费, below it for 132 应收下级经费 and 212 应付下级经费. 135 其他应收款 and 215
# 其他应付款 (and their sub-accounts) may name the other side: a union (party, eliminated in a consolidated
# report when both are inside its subtree) or, when it is not a union, a unit by name (往来单位).
PARTY_ABOVE, PARTY_BELOW, COUNTERPARTY = {"131", "211"}, {"132", "212"}, {"135", "215"}


def check_parties(org: Org, lines: list[LineIn]) -> None:
    """A manual entry's lines on 131/132/211/212 name the union on the other side, in the right direction (so a
    consolidated report can eliminate them, decision 0040); those on 135/215 may name a union or a unit; no
    other line names one."""
    for line in lines:
        base = line.code[:3]
        if line.counterparty.strip() and base not in COUNTERPARTY:
            raise field_error("lines", f"科目 {line.code} 不填往来单位；只有 135 其他应收款、215 其他应付款可以填写。")
        if len(line.counterparty.strip()) > 100:
            raise field_error("lines", "往来单位名称最多 100 个字。")
        if base in COUNTERPARTY and line.party is not None:  # 其他应收、应付款 with another union: either side
            if line.counterparty.strip():
                raise field_error("lines", f"科目 {line.code} 的往来方是工会或其他单位之一，不能同时填写。")
            if line.party.pk == org.pk:
                raise field_error("lines", f"科目 {line.code} 的往来工会不能是{org.name}自己。")
            continue
        if base not in PARTY_ABOVE | PARTY_BELOW:
            if line.party is not None:
                message = f"科目 {line.code} 不需要往来工会；只有 131、132、211、212、135、215 科目可填。"
                raise field_error("lines", message)
            continue
        if line.party is None:
            raise field_error("lines", f"科目 {line.code} 是上下级往来科目，请选择往来工会。")
        if base in PARTY_ABOVE and not _is_below(org, line.party):
            raise field_error("lines", f"科目 {line.code} 的往来工会应是{org.name}的上级工会。")
        if base in PARTY_BELOW and not _is_below(line.party, org):
            raise field_error("lines", f"科目 {line.code} 的往来工会应是{org.name}的下级工会。")


@atomic_audited
def entry_post(*, actor, org: Org, date: dt.date, memo: str, lines: list[LineIn]) -> Entry:
    """记账: a manual journal entry of ``org``, posted at once (no drafts), never changed afterwards; the lines on
    the inter-level receivables and payables name the other union (``check_parties``)."""
    access.require_write(actor, org)
    if not memo.strip():
        raise field_error("memo", "请填写摘要。")
    _check_lines(lines)
    _check_accounts(org, {line.code for line in lines})
    check_parties(org, lines)
    entry = _post(actor=actor, org=org, date=_check_date(date), memo=memo, lines=lines)
    audit_record(actor=actor, action="finance.entry.post", obj=entry, org=org,
                 detail={"lines": len(lines), "amount": sum(x.debit_fen for x in lines)})  # fmt: skip
    return entry


def payment_post(*, actor, org: Org, date: dt.date, code: str, amount_fen: int, memo: str, source: str,
                 source_key: str) -> Entry:  # fmt: skip
    """A payment another app makes from the union's bank account (hardship aid), booked as spending on ``code``
    (debit) against 102 银行存款 (credit), in the caller's transaction: refused, with it, in a closed month. The
    caller has checked the actor; the budget of ``code`` then counts it."""
    entry = _post(actor=actor, org=org, date=_check_date(date), memo=memo,
                  lines=[LineIn(code, debit_fen=amount_fen), LineIn("102", credit_fen=amount_fen)],
                  source=source, source_key=source_key)  # fmt: skip
    audit_record(actor=actor, action="finance.entry.post", obj=entry, org=org,
                 detail={"lines": 2, "amount": amount_fen, "source": source})  # fmt: skip
    return entry


def _reversal(*, actor, entry: Entry, date: dt.date, reason: str) -> Entry:
    if Entry.objects.filter(reverses=entry).exists():
        raise ValidationError(f"凭证 {entry} 已冲销过，不能重复冲销。")
    if entry.reverses_id is not None:
        raise ValidationError("冲销凭证本身不能再冲销；如需恢复，请重新记账。")
    lines = [LineIn(x.code, debit_fen=x.credit_fen, credit_fen=x.debit_fen, earmarked=x.earmarked, party=x.party,
                    counterparty=x.counterparty or "")
             for x in entry.lines.select_related("party").order_by("pk")]  # fmt: skip
    try:
        with transaction.atomic():
            return _post(actor=actor, org=entry.org, date=date, memo=f"冲销{entry}：{reason.strip()}", lines=lines,
                         source=Entry.Source.REVERSAL, reverses=entry)  # fmt: skip
    except IntegrityError:  # a concurrent reversal of the same entry won (the one-to-one ``reverses``)
        raise ValidationError(f"凭证 {entry} 已冲销过，不能重复冲销。") from None


@atomic_audited
def entry_reverse(*, actor, entry: Entry, reason: str, date: dt.date | None = None) -> Entry:
    """冲销: a new entry with the same lines on the other side, in an open month; the original stays as it was."""
    access.require_write(actor, entry.org)
    if not reason.strip():
        raise field_error("reason", "请填写冲销原因。")
    if entry.collection_id is not None:
        raise ValidationError("经费收缴生成的凭证涉及各级工会，请在收缴记录上整笔冲销。")
    reversal = _reversal(actor=actor, entry=entry, date=_check_date(date or timezone.localdate()), reason=reason)
    audit_record(actor=actor, action="finance.entry.reverse", obj=entry, org=entry.org,
                 detail={"reversal": reversal.pk})  # fmt: skip
    return reversal


@atomic_audited
def period_close(*, actor, org: Org, month: dt.date) -> Period:
    """结账: no more postings into ``org``'s ``month``. Months close in order, and only after they end."""
    access.require_write(actor, org)
    month = month_of(month)
    if month >= month_of(timezone.localdate()):
        raise field_error("month", f"{label(month)}尚未结束，不能结账。")
    period = Period.objects.select_for_update().filter(org=org, month=month).first()
    if period is not None and period.closed_at is not None:
        raise field_error("month", f"{label(month)}已经结账。")
    closed = set(Period.objects.filter(org=org, closed_at__isnull=False).values_list("month", flat=True))
    earlier = sorted(set(Entry.objects.filter(org=org, month__lt=month).values_list("month", flat=True)) - closed)
    if earlier:
        raise field_error("month", f"请先结账{label(earlier[0])}。")
    now = timezone.now()
    if period is None:
        period = Period.objects.create(org=org, month=month, closed_at=now, closed_by=acting_user(actor))
    else:
        Period.objects.filter(pk=period.pk).update(closed_at=now, closed_by=acting_user(actor))
        period.closed_at = now
    audit_record(actor=actor, action="finance.period.close", obj=period, org=org, detail={"month": f"{month:%Y-%m}"})
    return period


@atomic_audited
def year_close(*, actor, org: Org, year: int) -> Entry:
    """年终结转: the year's income and spending moved out of the 4xx and 5xx accounts on 31 December, the
    earmarked (专项) net to 321 工会资金结转 and the general net to 322 工会资金结余. Once a year, after it
    ends, while December is open; the months before must be closed."""
    access.require_write(actor, org)
    if not 2000 <= year <= 2100:
        raise field_error("year", "年度无效。")
    end = dt.date(year, 12, 31)
    if end >= timezone.localdate():
        raise field_error("year", f"{year}年尚未结束，不能年终结转。")
    if Entry.objects.filter(org=org, source=Entry.Source.CLOSING, source_key=str(year)).exists():
        raise field_error("year", f"{org.name}{year}年已经年终结转。")
    closed = Period.objects.filter(org=org, month__year=year, closed_at__isnull=False)
    closed = set(closed.values_list("month", flat=True))
    booked = set(Entry.objects.filter(org=org, month__year=year, month__lt=dt.date(year, 12, 1))
                 .values_list("month", flat=True))  # fmt: skip
    if booked - closed:
        raise field_error("year", f"请先结账{label(min(booked - closed))}。")
    rows = (Balance.objects.filter(Q(code__startswith="4") | Q(code__startswith="5"), org=org, month__year=year)
            .values("code", "earmarked").annotate(debit=Sum("debit_fen"), credit=Sum("credit_fen"))
            .order_by("code", "earmarked"))  # fmt: skip
    lines: list[LineIn] = []
    net = {True: 0, False: 0}  # earmarked -> income minus spending
    for row in rows:
        balance = row["debit"] - row["credit"]  # income: negative (credit); spending: positive
        if balance > 0:
            lines.append(LineIn(row["code"], credit_fen=balance, earmarked=row["earmarked"]))
        elif balance < 0:
            lines.append(LineIn(row["code"], debit_fen=-balance, earmarked=row["earmarked"]))
        net[row["earmarked"]] -= balance
    for earmarked, code in ((True, "321"), (False, "322")):
        if net[earmarked] > 0:
            lines.append(LineIn(code, credit_fen=net[earmarked], earmarked=earmarked))
        elif net[earmarked] < 0:
            lines.append(LineIn(code, debit_fen=-net[earmarked], earmarked=earmarked))
    if len(lines) < 2:
        raise field_error("year", f"{org.name}{year}年没有需要结转的收入和支出。")
    entry = _post(actor=actor, org=org, date=end, memo=f"{year}年收支结转", lines=lines, source=Entry.Source.CLOSING,
                  source_key=str(year))  # fmt: skip
    audit_record(actor=actor, action="finance.year.close", obj=entry, org=org,
                 detail={"year": year, "earmarked": net[True], "general": net[False]})  # fmt: skip
    return entry


# ----- 经费分成 --------------------------------------------------------------------------------------------------


def province_of(org: Org) -> Org | None:
    if org.org_type == OrgType.PROVINCE:
        return org
    return Org.objects.filter(path__in=org.ancestor_paths(), org_type=OrgType.PROVINCE).order_by("-depth").first()


@atomic_audited
def rule_set(*, actor, province: Org, effective_from: dt.date, shares: dict[str, int], tax_landing: str = Level.CITY,
             note: str = "") -> SharingRule:  # fmt: skip
    """设置分成比例: a province's split (basis points per level) from a month on. A month's rule that no
    collection has used yet may be set again; one already applied stays as it was."""
    access.require_write(actor, province)
    if province.org_type != OrgType.PROVINCE:
        raise field_error("province", "分成比例由省级总工会设置。")
    policy = finance_policy()
    values = {level: int(shares.get(level, 0)) for level in Level.values}
    if any(v < 0 for v in values.values()):
        raise field_error("shares", "分成比例不能是负数。")
    if sum(values.values()) != BASIS:
        raise field_error("shares", f"各级分成比例之和是 {sum(values.values()) / 100:g}%，必须是 100%。")
    if values[Level.GRASSROOTS] < policy.grassroots_floor_bp:
        raise field_error(
            "shares", f"基层工会留成不得低于 {policy.grassroots_floor_bp / 100:g}%（工财字〔2004〕42号）。"
        )
    if tax_landing not in Level.values or tax_landing == Level.GRASSROOTS:
        raise field_error("tax_landing", "请选择税务代收的到账层级：县（区）、市、省或全国总工会。")
    month = month_of(effective_from)
    existing = SharingRule.objects.select_for_update().filter(province=province, effective_from=month).first()
    if existing is not None and Collection.objects.filter(rule=existing).exists():
        raise field_error(
            "effective_from", f"{label(month)}起的分成比例已用于经费收缴，不能修改；请从下个月起设置新比例。"
        )
    fields = {f"{level}_bp": bp for level, bp in values.items()} | {
        "tax_landing": tax_landing, "note": note.strip()[:200], "set_by": acting_user(actor)}  # fmt: skip
    rule, _ = SharingRule.objects.update_or_create(province=province, effective_from=month, defaults=fields)
    audit_record(actor=actor, action="finance.rule.set", obj=rule, org=province,
                 detail={"from": f"{month:%Y-%m}", **values})  # fmt: skip
    return rule


def rule_for(province: Org, month: dt.date) -> SharingRule:
    rule = (SharingRule.objects.filter(province=province, effective_from__lte=month)
            .order_by("-effective_from").first())  # fmt: skip
    if rule is None:
        raise field_error("received_on", f"{province.name}尚未设置{label(month)}适用的经费分成比例。")
    return rule


def beneficiaries(
    grassroots: Org, rule: SharingRule, known: dict[str, Org] | None = None
) -> list[tuple[str, Org, int]]:
    """(level, org, basis points) bottom up: the collecting union and the nearest union of each level above it.
    A level missing from the chain passes its share to the next level up (the top keeps what is left).
    ``known``: the unions by path when the caller has read the ancestors of many unions at once."""
    paths = grassroots.ancestor_paths()
    if known is None:
        ancestors = list(Org.objects.filter(path__in=paths).order_by("-depth"))
    else:
        ancestors = [known[path] for path in reversed(paths) if path in known]
    present: dict[str, Org] = {Level.GRASSROOTS: grassroots}
    for org in ancestors:
        level = LEVEL_OF_TYPE.get(org.org_type)
        if level is not None and level not in present:
            present[level] = org
    out: list[tuple[str, Org, int]] = []
    carried = 0
    for level in LEVEL_ORDER:
        carried += rule.shares()[level]
        if level in present:
            out.append((level, present[level], carried))
            carried = 0
    if carried:
        level, org, bp = out[-1]
        out[-1] = (level, org, bp + carried)
    return out


def split_collection(amount_fen: int, parties: list[tuple[str, Org, int]]) -> list[tuple[str, Org, int]]:
    """The parties' parts of ``amount_fen``, adding up to it exactly (money.split)."""
    parts = split(amount_fen, [bp for _, _, bp in parties])
    return [(level, org, part) for (level, org, _), part in zip(parties, parts, strict=True)]


def _is_below(org: Org, other: Org) -> bool:
    return org.path.startswith(other.path) and org.path != other.path


def collection_lines(amount_fen: int, landing: Org, parts: list[tuple[str, Org, int]]) -> dict[Org, list[LineIn]]:
    """Each org's lines for a collection that landed at ``landing``: the landing union's bank, its own share as
    拨缴经费收入, and a payable for every other share (211 up, 212 down); each other union a receivable
    (132 from below, 131 from above) against its income. Each receivable and payable names the other union
    (``party``), so a consolidated report can eliminate the pairs inside its subtree."""
    lines: dict[Org, list[LineIn]] = defaultdict(list)
    owed: list[LineIn] = []  # the landing union's payables, one line per union it owes
    for _, org, part in parts:
        if part == 0:
            continue
        if org == landing:
            lines[landing].append(LineIn("402", credit_fen=part))
            continue
        below = _is_below(org, landing)
        owed.append(LineIn("212" if below else "211", credit_fen=part, party=org))
        lines[org] += [LineIn("131" if below else "132", debit_fen=part, party=landing),
                       LineIn("402", credit_fen=part)]  # fmt: skip
    lines[landing] = [LineIn("102", debit_fen=amount_fen), *lines[landing], *sorted(owed, key=lambda x: x.code)]
    return lines


def _check_declaration(*, employer: Employer, org: Org, month: dt.date, payroll_fen: int, kind: str,
                       has_union: bool) -> None:  # fmt: skip
    """A declaration's own rules: a month not in the future, a plausible payroll, 工会经费 to a grassroots union
    and 建会筹备金 (employers without a union) to a county-level one."""
    if month > month_of(timezone.localdate()):
        raise field_error("month", "不能申报未来月份。")
    if payroll_fen <= 0 or payroll_fen > finance_policy().max_payroll_yuan * 100:
        raise field_error("payroll", "工资总额应大于零，且不超过合理范围，请核对。")
    if kind == FundDeclaration.Kind.FUNDS:
        if is_county_level(org) or org.org_type == OrgType.TOWNSHIP:
            raise field_error("org", "工会经费由单位的基层工会收缴；未建会单位请按建会筹备金申报。")
    elif kind == FundDeclaration.Kind.RESERVE:
        if has_union:
            raise field_error("kind", f"{employer.name}已建立工会，应缴工会经费而不是建会筹备金。")
        if not is_county_level(org):
            raise field_error("org", "建会筹备金由上级工会（县级及以上总工会）收缴。")
    else:
        raise field_error("kind", "请选择申报类别：工会经费或建会筹备金。")


@atomic_audited
def declaration_record(*, actor, employer: Employer, org: Org, month: dt.date, payroll_fen: int,
                       kind: str = FundDeclaration.Kind.FUNDS) -> FundDeclaration:  # fmt: skip
    """申报: an employer's payroll for a month and the 2% due on it, to its union (工会经费) or, for an employer
    without a union, to the upper-level union ``org`` (建会筹备金)."""
    access.require_write(actor, org)
    policy = finance_policy()
    month = month_of(month)
    has_union = Org.objects.filter(employer=employer).exclude(status=Org.Status.REVOKED).exists()
    _check_declaration(employer=employer, org=org, month=month, payroll_fen=payroll_fen, kind=kind,
                       has_union=has_union)  # fmt: skip
    if FundDeclaration.objects.filter(employer=employer, month=month).exists():
        raise field_error("month", f"{employer.name}{label(month)}已申报。")
    try:
        with transaction.atomic():
            declaration = FundDeclaration.objects.create(
                employer=employer, org=org, kind=kind, month=month, payroll_fen=payroll_fen,
                due_fen=percent_of(payroll_fen, policy.funds_rate_bp), declared_by=acting_user(actor))  # fmt: skip
    except IntegrityError:
        raise field_error("month", f"{employer.name}{label(month)}已申报。") from None
    audit_record(actor=actor, action="finance.declaration.record", obj=declaration, org=org,
                 detail={"month": f"{month:%Y-%m}", "kind": kind})  # fmt: skip
    return declaration


def _landing(route: str, rule: SharingRule, parts: list[tuple[str, Org, int]]) -> Org:
    if route == Collection.Route.DIRECT:
        return parts[0][1]
    wanted = LEVEL_ORDER.index(rule.tax_landing)
    at_or_above = [org for level, org, _ in parts if LEVEL_ORDER.index(level) >= wanted]
    return at_or_above[0] if at_or_above else parts[-1][1]


@atomic_audited
def collection_record(*, actor, declaration: FundDeclaration, amount_fen: int, received_on: dt.date,
                      route: str = Collection.Route.DIRECT) -> Collection:  # fmt: skip
    """收缴: money received against a declaration. 工会经费 is split by the province's rule for the month it is
    received in, and every union's entry is posted at once (the parts add up to the amount, to the fen);
    建会筹备金 is held by the collecting union as a payable (215)."""
    access.require_write(actor, declaration.org)
    if route not in Collection.Route.values:
        raise field_error("route", "请选择收缴方式：工会直接收缴或税务代收。")
    received_on = _check_date(received_on)
    declaration = FundDeclaration.objects.select_for_update().select_related("org", "employer").get(pk=declaration.pk)
    if amount_fen <= 0:
        raise field_error("amount", "金额应大于零。")
    if amount_fen > declaration.arrears_fen:
        raise field_error(
            "amount", f"金额超过{label(declaration.month)}应缴未缴的 {yuan(declaration.arrears_fen)} 元。"
        )
    org = declaration.org
    collection = Collection(declaration=declaration, org=org, amount_fen=amount_fen, received_on=received_on,
                            route=route, recorded_by=acting_user(actor))  # fmt: skip
    memo = f"{declaration.employer.name}{label(declaration.month)}{declaration.get_kind_display()}"
    if declaration.kind == FundDeclaration.Kind.RESERVE:
        collection.save()
        _post(actor=actor, org=org, date=received_on, memo=memo, source=Entry.Source.RESERVE, collection=collection,
              lines=[LineIn("102", debit_fen=amount_fen), LineIn("215", credit_fen=amount_fen)])  # fmt: skip
    else:
        province = province_of(org)
        if province is None:
            raise field_error("org", f"{org.name}不在任何省级总工会之下，无法确定分成比例。")
        rule = rule_for(province, month_of(received_on))
        collection.rule = rule
        collection.save()
        parts = split_collection(amount_fen, beneficiaries(org, rule))
        landing = _landing(route, rule, parts)
        for party, lines in collection_lines(amount_fen, landing, parts).items():
            _post(actor=actor, org=party, date=received_on, memo=memo, lines=lines, source=Entry.Source.COLLECTION,
                  collection=collection)  # fmt: skip
        Share.objects.bulk_create([Share(collection=collection, org=party, level=level, amount_fen=part)
                                   for level, party, part in parts if part])  # fmt: skip
    FundDeclaration.objects.filter(pk=declaration.pk).update(collected_fen=declaration.collected_fen + amount_fen)
    audit_record(actor=actor, action="finance.collection.record", obj=collection, org=org,
                 detail={"amount": amount_fen, "route": route})  # fmt: skip
    return collection


@atomic_audited
def collection_register(*, actor, org: Org, month: dt.date, payroll_fen: int | None, received_on: dt.date,
                        amount_fen: int | None = None, employer: Employer | None = None,
                        route: str = Collection.Route.DIRECT) -> Collection:  # fmt: skip
    """登记收缴 as a cadre does it on one form: the employer's declaration for the month (made now unless it was
    declared before; 工会经费 to a grassroots union, 建会筹备金 to a county-level one), then the money received
    against it (all that is owed unless ``amount_fen`` says less)."""
    access.require_write(actor, org)
    employer = employer or org.employer
    if employer is None:
        raise field_error("employer", f"{org.name}没有登记所在单位，请填写缴费单位。")
    declaration = FundDeclaration.objects.filter(employer=employer, month=month_of(month)).first()
    if declaration is None:
        if payroll_fen is None:
            raise field_error("payroll", "该单位本月尚未申报，请填写工资总额。")
        kind = FundDeclaration.Kind.RESERVE if is_county_level(org) else FundDeclaration.Kind.FUNDS
        declaration = declaration_record(actor=actor, employer=employer, org=org, month=month,
                                         payroll_fen=payroll_fen, kind=kind)  # fmt: skip
    elif declaration.org_id != org.pk:
        raise field_error("employer", f"{employer.name}{label(month_of(month))}已向{declaration.org.name}申报。")
    if declaration.arrears_fen == 0:
        raise field_error("amount", f"{employer.name}{label(declaration.month)}的经费已缴清。")
    return collection_record(actor=actor, declaration=declaration, received_on=received_on, route=route,
                             amount_fen=declaration.arrears_fen if amount_fen is None else amount_fen)  # fmt: skip


@dataclass(frozen=True)
class CollectionIn:
    """One collection of a batch (a row of a collection sheet): ``amount_fen`` received on ``received_on`` from
    ``employer`` for ``month`` at its collecting union ``org``, declared now with ``payroll_fen`` unless the month
    was declared before; ``label`` names it in a refusal (第 5 行)."""

    employer: Employer
    org: Org
    month: dt.date
    amount_fen: int
    received_on: dt.date
    payroll_fen: int | None = None
    route: str = Collection.Route.DIRECT
    label: str = ""


@dataclass
class _Planned:
    item: CollectionIn
    declaration: FundDeclaration
    rule: SharingRule | None
    parts: list[tuple[str, Org, int]]
    books: dict[Org, list[LineIn]]


def _refuse(item: CollectionIn, message: str):
    return field_error("items", f"{item.label}：{message}" if item.label else message)


@atomic_audited
def collections_post_batch(*, actor, org: Org, items: list[CollectionIn]) -> list[Collection]:
    """批量登记收缴: many collections at unions in ``org``'s subtree posted in one transaction with one audit
    event, as ``collection_register`` posts each (the declaration made when the month was not declared; the
    province's rule of the month the money is received in; every level's entry; the parts adding up to the
    amount), but with a fixed number of queries per batch: the declarations, rules, periods and accounts are
    read once, and the collections, entries, lines and shares are bulk inserted. The entries are inserted
    unposted and posted by one UPDATE, which the database's guard refuses for any entry that does not balance
    or falls in a closed month (decision 0023), as it does for one. Any refused item refuses the whole batch."""
    access.require_write(actor, org)
    if not items:
        raise field_error("items", "没有要登记的收缴。")
    today = timezone.localdate()
    for item in items:
        if item.org.pk != org.pk and not _is_below(item.org, org):
            raise _refuse(item, f"{item.org.name}不在{org.name}之下，不能由{org.name}登记。")
        if item.route not in Collection.Route.values:
            raise _refuse(item, "请选择收缴方式：工会直接收缴或税务代收。")
        if item.amount_fen <= 0:
            raise _refuse(item, "金额应大于零。")
        if item.received_on > today:
            raise _refuse(item, "到账日期不能晚于今天。")

    # The declarations: the existing ones locked (as collection_record does), the missing ones made now.
    keys = {(item.employer.pk, month_of(item.month)) for item in items}
    employers = {key[0] for key in keys}
    found = (FundDeclaration.objects.select_for_update(of=("self",)).select_related("org")
             .filter(employer_id__in=employers, month__in={key[1] for key in keys}).order_by("pk"))  # fmt: skip
    declarations = {(d.employer_id, d.month): d for d in found if (d.employer_id, d.month) in keys}
    with_union = set(Org.objects.filter(employer_id__in=employers).exclude(status=Org.Status.REVOKED)
                     .values_list("employer_id", flat=True))  # fmt: skip
    funds_rate = finance_policy().funds_rate_bp
    new: list[FundDeclaration] = []
    for item in items:
        key = (item.employer.pk, month_of(item.month))
        declaration = declarations.get(key)
        if declaration is None:
            if item.payroll_fen is None:
                raise _refuse(item, f"{item.employer.name}{label(key[1])}尚未申报，请填写工资总额。")
            kind = FundDeclaration.Kind.RESERVE if is_county_level(item.org) else FundDeclaration.Kind.FUNDS
            try:
                _check_declaration(employer=item.employer, org=item.org, month=key[1], payroll_fen=item.payroll_fen,
                                   kind=kind, has_union=item.employer.pk in with_union)  # fmt: skip
            except ValidationError as error:
                raise _refuse(item, "；".join(error.messages)) from None
            declaration = FundDeclaration(employer=item.employer, org=item.org, kind=kind, month=key[1],
                                          payroll_fen=item.payroll_fen, declared_by=acting_user(actor),
                                          due_fen=percent_of(item.payroll_fen, funds_rate))  # fmt: skip
            declarations[key] = declaration
            new.append(declaration)
        elif declaration.org_id != item.org.pk:
            raise _refuse(item, f"{item.employer.name}{label(key[1])}已向{declaration.org.name}申报。")
    try:
        with transaction.atomic():
            FundDeclaration.objects.bulk_create(new)
    except IntegrityError:  # a concurrent declaration of the same employer and month won
        raise field_error("items", "其中有单位的同一月份刚刚由他人申报，请重新提交。") from None

    # Each collection's split and lines, the rules and chains read once per province, month and union.
    collected = {key: d.collected_fen for key, d in declarations.items()}
    paths = {path for item in items for path in item.org.ancestor_paths()}
    known = {o.path: o for o in Org.objects.filter(path__in=paths)}  # every union's chain, read once
    rules: dict[tuple[int, dt.date], SharingRule] = {}
    chains: dict[tuple[int, int], list[tuple[str, Org, int]]] = {}
    planned: list[_Planned] = []
    for item in items:
        key = (item.employer.pk, month_of(item.month))
        declaration = declarations[key]
        owed = declaration.due_fen - collected[key]
        if item.amount_fen > owed:
            raise _refuse(item, f"金额超过{label(key[1])}应缴未缴的 {yuan(max(owed, 0))} 元。")
        collected[key] += item.amount_fen
        if declaration.kind == FundDeclaration.Kind.RESERVE:
            books = {item.org: [LineIn("102", debit_fen=item.amount_fen), LineIn("215", credit_fen=item.amount_fen)]}
            planned.append(_Planned(item, declaration, None, [], books))
            continue
        above = [known[path] for path in item.org.ancestor_paths() if path in known]
        province = (
            item.org
            if item.org.org_type == OrgType.PROVINCE
            else next((o for o in reversed(above) if o.org_type == OrgType.PROVINCE), None)
        )
        if province is None:
            raise _refuse(item, f"{item.org.name}不在任何省级总工会之下，无法确定分成比例。")
        month = month_of(item.received_on)
        if (province.pk, month) not in rules:
            try:
                rules[province.pk, month] = rule_for(province, month)
            except ValidationError as error:
                raise _refuse(item, "；".join(error.messages)) from None
        rule = rules[province.pk, month]
        if (item.org.pk, rule.pk) not in chains:
            chains[item.org.pk, rule.pk] = beneficiaries(item.org, rule, known)
        parts = split_collection(item.amount_fen, chains[item.org.pk, rule.pk])
        books = collection_lines(item.amount_fen, _landing(item.route, rule, parts), parts)
        planned.append(_Planned(item, declaration, rule, parts, books))

    # The ledger's checks, for every entry at once: balanced, open months, the accounts of each union's chart.
    orgs = {party.pk: party for plan in planned for party in plan.books}
    months = {month_of(plan.item.received_on) for plan in planned}
    closed = set(Period.objects.filter(org_id__in=orgs, month__in=months, closed_at__isnull=False)
                 .values_list("org_id", "month"))  # fmt: skip
    own: dict[int, list[Account]] = defaultdict(list)
    for account in Account.objects.filter(org_id__in=orgs):
        own[account.org_id].append(account)
    codes: dict[int, set[str]] = defaultdict(set)
    for plan in planned:
        month = month_of(plan.item.received_on)
        for party, lines in plan.books.items():
            _check_lines(lines)
            if (party.pk, month) in closed:
                raise _refuse(plan.item, f"{party.name}{label(month)}已结账，不能再记账；请记到未结账的月份。")
            codes[party.pk] |= {line.code for line in lines}
    for pk, used in codes.items():
        _check_accounts(orgs[pk], used, own[pk])

    # The writes: bulk inserts (the lines added to the monthly balances, one upsert per key of the whole batch),
    # then one UPDATE posts every entry (the database checks each).
    user = acting_user(actor)
    collections = Collection.objects.bulk_create([
        Collection(declaration=plan.declaration, org=plan.item.org, amount_fen=plan.item.amount_fen,
                   received_on=plan.item.received_on, route=plan.item.route, rule=plan.rule, recorded_by=user)
        for plan in planned
    ])  # fmt: skip
    entries: list[Entry] = []
    pending: list[tuple[Entry, list[LineIn]]] = []
    for plan, collection in zip(planned, collections, strict=True):
        d = plan.declaration
        memo = f"{plan.item.employer.name}{label(d.month)}{d.get_kind_display()}"
        source = Entry.Source.RESERVE if plan.rule is None else Entry.Source.COLLECTION
        for party, lines in plan.books.items():
            entry = Entry(org=party, date=plan.item.received_on, month=month_of(plan.item.received_on), memo=memo,
                          source=source, collection=collection, created_by=user)  # fmt: skip
            entries.append(entry)
            pending.append((entry, lines))
    Entry.objects.bulk_create(entries)
    balances_add(Line.objects.bulk_create([
        Line(entry=entry, org_id=entry.org_id, month=entry.month, code=x.code, debit_fen=x.debit_fen,
             credit_fen=x.credit_fen, earmarked=x.earmarked, party=x.party)
        for entry, lines in pending for x in lines
    ]))  # fmt: skip
    Entry.objects.filter(pk__in=[entry.pk for entry in entries]).update(posted=True)
    Share.objects.bulk_create([
        Share(collection=collection, org=party, level=level, amount_fen=part)
        for plan, collection in zip(planned, collections, strict=True) for level, party, part in plan.parts if part
    ])  # fmt: skip
    touched = [d for key, d in declarations.items() if collected[key] != d.collected_fen]
    for d in touched:
        d.collected_fen = collected[(d.employer_id, d.month)]
    FundDeclaration.objects.bulk_update(touched, ["collected_fen"])
    audit_record(actor=actor, action="finance.collection.batch", org=org,
                 detail={"collections": len(collections), "amount": sum(c.amount_fen for c in collections),
                         "entries": len(entries), "declared": len(new)})  # fmt: skip
    return collections


@atomic_audited
def collection_reverse(*, actor, collection: Collection, reason: str) -> Collection:
    """冲销收缴: every entry it made, at every level, reversed at once; the declaration owes the amount again."""
    access.require_write(actor, collection.org)
    if not reason.strip():
        raise field_error("reason", "请填写冲销原因。")
    collection = Collection.objects.select_for_update().get(pk=collection.pk)
    if collection.reversed_at is not None:
        raise ValidationError("这笔收缴已冲销。")
    if collection.reserve_return_id is not None:
        raise ValidationError("这笔建会筹备金已返还给新建工会，不能再冲销；如有差错，请另行记账更正。")
    today = timezone.localdate()
    for entry in collection.entries.filter(reverses=None).select_related("org").order_by("pk"):
        _reversal(actor=actor, entry=entry, date=today, reason=reason)
    Collection.objects.filter(pk=collection.pk).update(reversed_at=timezone.now())
    declaration = FundDeclaration.objects.select_for_update().get(pk=collection.declaration_id)
    FundDeclaration.objects.filter(pk=declaration.pk).update(
        collected_fen=declaration.collected_fen - collection.amount_fen
    )
    audit_record(actor=actor, action="finance.collection.reverse", obj=collection, org=collection.org,
                 detail={"amount": collection.amount_fen})  # fmt: skip
    collection.refresh_from_db()
    return collection


# ----- 会费收入 --------------------------------------------------------------------------------------------------


def _dues_posted(month: dt.date) -> dict[int, int]:
    key = f"{month:%Y-%m}"
    rows = (Line.objects.filter(entry__source=Entry.Source.DUES, entry__source_key__startswith=key, code="401")
            .values("org").annotate(credit=Sum("credit_fen"), debit=Sum("debit_fen")))  # fmt: skip
    return {row["org"]: row["credit"] - row["debit"] for row in rows}


def _dues_entry_date(org: Org, month: dt.date, today: dt.date) -> dt.date:
    last = (month + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
    day = min(last, today)
    if Period.objects.filter(org=org, month=month, closed_at__isnull=False).exists():
        day = today
    return day


@transaction.atomic
def dues_post_month(*, month: dt.date, today: dt.date, orgs: list[int] | None = None) -> int:
    """会费收入记账: each union's dues paid for ``month`` (the dues app's monthly rollup, paid_total) posted to
    102/401, as the difference from what was posted before (late payments, 冲正). The platform runs it; dues
    stay with the grassroots union in full. Returns the entries posted."""
    from gonghui.dues.models import DuesOrgMonth

    month = month_of(month)
    rows = DuesOrgMonth.objects.filter(month=month).exclude(paid_total=0)
    if orgs is not None:
        rows = rows.filter(org_id__in=orgs)
    paid = {row.org_id: int(row.paid_total * 100) for row in rows}
    posted = _dues_posted(month)
    if orgs is not None:
        posted = {org: fen for org, fen in posted.items() if org in orgs}
    changed = {org: paid.get(org, 0) - posted.get(org, 0) for org in paid.keys() | posted.keys()}
    count = 0
    for org in Org.objects.filter(pk__in=[o for o, delta in changed.items() if delta]).order_by("pk"):
        delta = changed[org.pk]
        n = Entry.objects.filter(org=org, source=Entry.Source.DUES, source_key__startswith=f"{month:%Y-%m}").count()
        lines = ([LineIn("102", debit_fen=delta), LineIn("401", credit_fen=delta)] if delta > 0
                 else [LineIn("401", debit_fen=-delta), LineIn("102", credit_fen=-delta)])  # fmt: skip
        key = f"{month:%Y-%m}" + (f"#{n + 1}" if n else "")
        _post(actor=None, org=org, date=_dues_entry_date(org, month, today), memo=f"{label(month)}会费收入",
              lines=lines, source=Entry.Source.DUES, source_key=key)  # fmt: skip
        count += 1
    if count:
        audit_record(actor=None, action="finance.dues.post", detail={"month": f"{month:%Y-%m}", "entries": count})
    return count


def dues_post_last_month(*, today: dt.date) -> int:
    """The daily job: last month's and this month's dues income, as far as they have changed."""
    this = month_of(today)
    last = month_of(this - dt.timedelta(days=1))
    return dues_post_month(month=last, today=today) + dues_post_month(month=this, today=today)


# ----- 固定资产 ------------------------------------------------------------------------------------------------


def depreciation_due(value_fen: int, life_months: int, months_elapsed: int) -> int:
    """Straight-line accumulated depreciation after ``months_elapsed`` whole months: value × months ÷ life,
    rounded down to the fen, and the whole value at the end of the life (so the schedule adds up exactly)."""
    months = max(0, min(months_elapsed, life_months))
    return value_fen * months // life_months


def months_between(start: dt.date, month: dt.date) -> int:
    """Whole months from the month after ``start`` up to and including ``month``."""
    return (month.year - start.year) * 12 + month.month - start.month


def _check_use(org: Org, user_unit: str, venue) -> str:
    """使用单位 and 阵地 of an asset of ``org``: a unit's name (blank: the owning union uses it), and a venue
    hosted by ``org`` or a union below it."""
    user_unit = user_unit.strip()
    if len(user_unit) > 100:
        raise field_error("user_unit", "使用单位名称最多 100 个字。")
    if user_unit == org.name:
        user_unit = ""  # the owning union itself
    if venue is not None and not (venue.org_id == org.pk or venue.org.path.startswith(org.path)):
        raise field_error("venue", f"阵地“{venue.name}”不是{org.name}或其下级工会的阵地。")
    return user_unit


@atomic_audited
def asset_use_set(*, actor, asset: FixedAsset, user_unit: str, venue=None) -> FixedAsset:
    """设置使用单位和阵地: who uses the asset (统一所有、分级管理、单位使用: ownership stays with the union) and the
    venue it is; no entry (the books follow ownership, not use)."""
    access.require_write(actor, asset.org)
    asset = FixedAsset.objects.select_for_update().select_related("org").get(pk=asset.pk)
    if asset.status not in ("in_use", "loss_pending"):
        raise field_error("user_unit", f"“{asset.name}”已{asset.get_status_display()}，不能再修改使用单位。")
    asset.user_unit, asset.venue = _check_use(asset.org, user_unit, venue), venue
    asset.save(update_fields=["user_unit", "venue"])
    audit_record(actor=actor, action="finance.asset.use_set", obj=asset, org=asset.org,
                 detail={"user_unit": asset.user_unit, "venue": getattr(venue, "pk", None)})  # fmt: skip
    return asset


@atomic_audited
def asset_acquire(*, actor, org: Org, name: str, category: str, value_fen: int, acquired_on: dt.date,
                  life_months: int | None = None, user_unit: str = "", venue=None) -> FixedAsset:  # fmt: skip
    """登记固定资产: bought from the bank, booked twice — 507 资本性支出 against 102, and 162 固定资产 against
    301 资产基金. Below the threshold it is spending, not an asset. ``user_unit`` and ``venue``: who uses it and
    the venue it is (``asset_use_set``)."""
    access.require_write(actor, org)
    user_unit = _check_use(org, user_unit, venue)
    policy = finance_policy()
    if category not in FixedAsset.Category.values:
        raise field_error("category", "请选择资产类别。")
    threshold = (
        policy.special_asset_threshold_fen if category == FixedAsset.Category.SPECIAL else policy.asset_threshold_fen
    )
    if value_fen < threshold:
        raise field_error("value", f"单价低于 {yuan(threshold)} 元，不作为固定资产，请作为支出记账。")
    life = life_months or policy.asset_life_months[category]
    if not 12 <= life <= 600:
        raise field_error("life_months", "折旧年限应在 12 到 600 个月之间。")
    if not name.strip():
        raise field_error("name", "请填写资产名称。")
    acquired_on = _check_date(acquired_on)
    asset = FixedAsset.objects.create(org=org, name=name.strip()[:100], category=category, value_fen=value_fen,
                                      acquired_on=acquired_on, life_months=life, user_unit=user_unit,
                                      venue=venue, recorded_by=acting_user(actor))  # fmt: skip
    _post(actor=actor, org=org, date=acquired_on, memo=f"购置{asset.name}", source=Entry.Source.ASSET,
          lines=[LineIn("507", debit_fen=value_fen), LineIn("102", credit_fen=value_fen),
                 LineIn("162", debit_fen=value_fen), LineIn("301", credit_fen=value_fen)])  # fmt: skip
    audit_record(actor=actor, action="finance.asset.acquire", obj=asset, org=org, detail={"value": value_fen})
    return asset


@transaction.atomic
def depreciation_post(*, org: Org, month: dt.date) -> Entry | None:
    """计提折旧: ``org``'s assets' depreciation for ``month`` in one entry (301 资产基金 against 163 累计折旧),
    at most once a month; each asset catches up to its straight-line accumulated amount."""
    month = month_of(month)
    if Entry.objects.filter(org=org, source=Entry.Source.DEPRECIATION, source_key=f"{month:%Y-%m}").exists():
        return None
    total = 0
    for asset in FixedAsset.objects.select_for_update().filter(org=org, acquired_on__lt=month, status="in_use"):
        due = depreciation_due(asset.value_fen, asset.life_months, months_between(asset.acquired_on, month))
        if due > asset.depreciated_fen:
            total += due - asset.depreciated_fen
            FixedAsset.objects.filter(pk=asset.pk).update(depreciated_fen=due)
    if total == 0:
        return None
    last_day = (month + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
    return _post(actor=None, org=org, date=last_day, memo=f"{label(month)}计提固定资产折旧",
                 source=Entry.Source.DEPRECIATION, source_key=f"{month:%Y-%m}",
                 lines=[LineIn("301", debit_fen=total), LineIn("163", credit_fen=total)])  # fmt: skip


def depreciation_monthly(*, today: dt.date) -> int:
    """The daily job: last month's depreciation for every union with assets (idempotent)."""
    month = month_of(month_of(today) - dt.timedelta(days=1))
    assets = FixedAsset.objects.filter(acquired_on__lt=month, status="in_use")
    orgs = Org.objects.filter(pk__in=assets.values("org")).order_by("pk")
    posted = sum(1 for org in orgs if depreciation_post(org=org, month=month) is not None)
    if posted:
        audit_record(actor=None, action="finance.depreciation.post", detail={"month": f"{month:%Y-%m}", "orgs": posted})
    return posted


# ----- 预算 -----------------------------------------------------------------------------------------------------


@atomic_audited
def budget_set(*, actor, org: Org, year: int, code: str, amount_fen: int, version: int | None = None) -> Budget:
    """编制预算: ``org``'s budget for ``year`` on an income or expense account (a new one, or a version-checked
    change)."""
    access.require_write(actor, org)
    account = account_named(org, code)
    if account is None or account.kind not in {chart.INCOME, chart.EXPENSE}:
        raise field_error("code", "预算只能编到本工会科目表中的收入或支出科目。")
    if amount_fen < 0:
        raise field_error("amount", "预算金额不能是负数。")
    if not 2000 <= year <= 2100:
        raise field_error("year", "年度无效。")
    budget = Budget.objects.select_for_update().filter(org=org, year=year, code=code).first()
    if budget is None:
        try:
            with transaction.atomic():
                budget = Budget.objects.create(org=org, year=year, code=code, amount_fen=amount_fen,
                                               set_by=acting_user(actor))  # fmt: skip
        except IntegrityError:
            raise ConflictError() from None
    else:
        if version is not None and version != budget.version:
            raise ConflictError()
        Budget.objects.filter(pk=budget.pk).update(amount_fen=amount_fen, version=budget.version + 1,
                                                   set_by=acting_user(actor), set_at=timezone.now())  # fmt: skip
        budget.refresh_from_db()
    audit_record(actor=actor, action="finance.budget.set", obj=budget, org=org,
                 detail={"year": year, "code": code, "amount": amount_fen})  # fmt: skip
    return budget


# ----- 经费支出与审批 ---------------------------------------------------------------------------------------------

GIFTS = {Spending.Purpose.FESTIVAL, Spending.Purpose.BIRTHDAY}
NO_CASH = "按照《基层工会经费收支管理办法》，慰问品不得发放现金、购物卡或代金券，请改为实物或活动。"


def per_member_fen(amount_fen: int, headcount: int) -> int:
    """The amount per member, rounded up to the fen (so that the cap is never passed by rounding)."""
    return -(-amount_fen // headcount)


def gift_given_fen(org: Org, purpose: str, year: int) -> int:
    """What ``org`` has given per member on ``purpose`` in ``year`` so far: the gifts posted or awaiting
    approval (a refused one does not count)."""
    rows = Spending.objects.filter(org=org, purpose=purpose, date__year=year).exclude(status=Spending.Status.REFUSED)
    return rows.aggregate(total=Sum("per_member_fen"))["total"] or 0


def _spending_entry(actor, spending: Spending) -> Entry:
    return _post(actor=actor, org=spending.org, date=spending.date, memo=spending.memo, source=Entry.Source.SPENDING,
                 source_key=f"spending-{spending.pk}",
                 lines=[LineIn(spending.code, debit_fen=spending.amount_fen),
                        LineIn("102", credit_fen=spending.amount_fen)])  # fmt: skip


@atomic_audited
def spending_submit(*, actor, org: Org, date: dt.date, memo: str, code: str, amount_fen: int,
                    purpose: str = Spending.Purpose.GENERAL, form: str = Spending.Form.SERVICE,
                    headcount: int | None = None) -> Spending:  # fmt: skip
    """经费支出: a payment from the bank on an expense account. Gifts (节日、生日慰问) are refused as cash or shopping
    cards and above the province's yearly cap per member (what was given this year counts); up to the
    province's approval amount the entry is posted at once, above it an approval case opens and nothing is
    posted until it is approved."""
    access.require_write(actor, org)
    from gonghui.cases.services import case_open
    from gonghui.finance import cases

    policy = finance_policy()
    memo = memo.strip()
    if not memo:
        raise field_error("memo", "请填写支出事由。")
    if purpose not in Spending.Purpose.values:
        raise field_error("purpose", "请选择支出用途。")
    if form not in Spending.Form.values:
        raise field_error("form", "请选择发放形式。")
    if form in {Spending.Form.CASH, Spending.Form.CARD}:
        raise field_error("form", NO_CASH)
    account = account_named(org, code)
    if account is None or account.kind != chart.EXPENSE:
        raise field_error("code", "支出只能记到本工会科目表中的支出科目。")
    if code in {chart.parent_code(a.code) for a in chart_of(org)}:
        raise field_error("code", f"科目 {code} 设有明细科目，请记到明细科目。")
    if amount_fen <= 0:
        raise field_error("amount", "金额应大于零。")
    date = _check_date(date)
    _check_open(org, month_of(date))
    per_member = 0
    if purpose in GIFTS:
        if not headcount or headcount <= 0:
            raise field_error("headcount", "慰问品请填写发放人数。")
        per_member = per_member_fen(amount_fen, headcount)
        Org.objects.select_for_update().filter(pk=org.pk).first()  # one gift check at a time per union
        cap = policy.gift_cap_fen_for(org.region_id, purpose)
        given = gift_given_fen(org, purpose, date.year)
        if given + per_member > cap:
            name = Spending.Purpose(purpose).label
            raise field_error(
                "amount",
                f"{name}每人每年不超过 {yuan(cap)} 元：{date.year}年已发每人 {yuan(given)} 元，本次每人 "
                f"{yuan(per_member)} 元，超出 {yuan(given + per_member - cap)} 元。",
            )
    elif headcount:
        raise field_error("headcount", "只有慰问品需要填写发放人数。")
    needs_approval = amount_fen > policy.approval_fen_for(org.region_id)
    spending = Spending.objects.create(
        org=org, date=date, memo=memo[:200], code=code, amount_fen=amount_fen, purpose=purpose, form=form,
        headcount=headcount if purpose in GIFTS else None, per_member_fen=per_member,
        status=Spending.Status.PENDING if needs_approval else Spending.Status.DIRECT, requested_by=acting_user(actor),
    )  # fmt: skip
    if needs_approval:
        spending.case = case_open(actor=actor, kind=cases.SPENDING, org=org, subject=cases.SUBJECT,
                                  note=f"{memo[:100]}，{yuan(amount_fen)} 元")  # fmt: skip
        spending.save(update_fields=["case"])
    else:
        spending.entry = _spending_entry(actor, spending)
        spending.save(update_fields=["entry"])
    audit_record(actor=actor, action="finance.spending.submit", obj=spending, org=org,
                 detail={"amount": amount_fen, "purpose": purpose, "approval": needs_approval})  # fmt: skip
    return spending


@atomic_audited
def spending_decide(*, actor, spending: Spending, approve: bool, version: int, note: str = "") -> Spending:
    """审批: approve (the entry is posted, dated the day of the request or, if that month is closed, today) or
    refuse with a reason; by an admin of the union or above who is not the requester."""
    from gonghui.cases.services import case_transition

    access.require_write(actor, spending.org)
    spending = Spending.objects.select_for_update(of=("self",)).select_related("org", "case").get(pk=spending.pk)
    if spending.case is None:
        raise field_error("status", "这笔支出无需审批，已直接记账。")
    if spending.status != Spending.Status.PENDING:
        raise ConflictError("这笔支出已经审批过，请刷新后查看。")
    if actor is not None and spending.requested_by_id == getattr(acting_user(actor), "pk", None):
        raise field_error("to", "审批人不能是申请人本人，请由本工会其他负责人或上级工会审批。")
    to = Spending.Status.APPROVED if approve else Spending.Status.REFUSED
    case_transition(actor=actor, case=spending.case, to=to, note=note, version=version)
    spending.refresh_from_db()
    if approve:
        if Period.objects.filter(org=spending.org, month=month_of(spending.date), closed_at__isnull=False).exists():
            spending.date = timezone.localdate()
        spending.entry = _spending_entry(actor, spending)
    spending.decided_by, spending.decided_at = acting_user(actor), timezone.now()
    spending.save(update_fields=["date", "entry", "decided_by", "decided_at"])
    audit_record(actor=actor, action="finance.spending.decide", obj=spending, org=spending.org,
                 detail={"approved": approve, "amount": spending.amount_fen})  # fmt: skip
    return spending


# ----- 资产调拨与处置 --------------------------------------------------------------------------------------------

APPROVAL_LEVEL_LABELS = {"own": "本工会", "upper": "上一级工会", "province": "省级总工会", "national": "全国总工会"}


def asset_approver(org: Org, level: str, to_org: Org | None = None) -> Org:
    """The union that approves moving an asset of ``org`` at ``level``; for a transfer, also an ancestor of the
    receiving union (the lowest union above both), so that one approver answers for both sides."""
    chain = list(Org.objects.filter(path__in=org.ancestor_paths()).order_by("-depth"))  # nearest first
    if level == "own":
        approver = org
    elif level == "upper":
        approver = chain[0] if chain else org
    elif level == "province":
        approver = (
            org
            if org.org_type in {OrgType.PROVINCE, OrgType.NATIONAL}
            else province_of(org) or (chain[-1] if chain else org)
        )
    else:
        approver = next((o for o in chain if o.org_type == OrgType.NATIONAL), chain[-1] if chain else org)
    if to_org is not None:
        ups = [org, *chain]
        start = ups.index(approver) if approver in ups else 0
        approver = next((o for o in ups[start:] if to_org.path.startswith(o.path)), ups[-1])
    return approver


def asset_off_lines(asset: FixedAsset) -> list[LineIn]:
    """Writing an asset off the holding union's books (工会会计制度: 冲减资产基金): 163 累计折旧 and 301 资产基金
    (the net value) debited, 162 固定资产 credited at the original value."""
    lines = [LineIn("163", debit_fen=asset.depreciated_fen)] if asset.depreciated_fen else []
    if asset.net_fen:
        lines.append(LineIn("301", debit_fen=asset.net_fen))
    return [*lines, LineIn("162", credit_fen=asset.value_fen)]


def asset_loss_lines(asset: FixedAsset) -> list[LineIn]:
    """盘亏 reported (工会会计制度: 待处理财产损溢): the asset out of 162 at its original value, its accumulated
    depreciation out of 163, and the net value into 182 待处理财产损溢 until the loss is approved."""
    lines = [LineIn("163", debit_fen=asset.depreciated_fen)] if asset.depreciated_fen else []
    if asset.net_fen:
        lines.append(LineIn("182", debit_fen=asset.net_fen))
    return [*lines, LineIn("162", credit_fen=asset.value_fen)]


def asset_in_lines(asset: FixedAsset) -> list[LineIn]:
    """Booking a transferred asset at the receiving union (无偿调入, no money moves): 162 at the original value
    against 163 (the accumulated depreciation carried over) and 301 (the net value)."""
    lines = [LineIn("162", debit_fen=asset.value_fen)]
    if asset.depreciated_fen:
        lines.append(LineIn("163", credit_fen=asset.depreciated_fen))
    if asset.net_fen:
        lines.append(LineIn("301", credit_fen=asset.net_fen))
    return lines


@atomic_audited
def asset_move_submit(*, actor, asset: FixedAsset, kind: str, reason: str, to_org: Org | None = None,
                      proceeds_fen: int = 0) -> AssetMove:  # fmt: skip
    """申请调拨或处置: opens an approval case at the union the asset's original value calls for (policy
    ``asset_approval_yuan``, per province); nothing is booked until it is approved."""
    from gonghui.cases.services import case_open
    from gonghui.finance import cases

    access.require_write(actor, asset.org)
    asset = FixedAsset.objects.select_for_update().select_related("org").get(pk=asset.pk)
    org = asset.org
    if asset.status == "loss_pending":
        raise field_error("asset", f"“{asset.name}”已报盘亏，正在等待审批。")
    if asset.status != "in_use":
        raise field_error("asset", f"“{asset.name}”已{asset.get_status_display()}，不能再调拨或处置。")
    if AssetMove.objects.filter(asset=asset, status=AssetMove.Status.PENDING).exists():
        raise field_error("asset", f"“{asset.name}”已有待审批的调拨或处置申请。")
    if kind not in AssetMove.Kind.values:
        raise field_error("kind", "请选择调拨，或报废、出售、对外捐赠、盘亏。")
    reason = reason.strip()
    if not reason:
        raise field_error("reason", "请填写调拨或处置的事由。")
    if kind == AssetMove.Kind.TRANSFER:
        if to_org is None:
            raise field_error("to_org", "请选择调入的工会。")
        if to_org.pk == org.pk:
            raise field_error("to_org", "调入工会不能是资产所属工会本身。")
        if to_org.status == Org.Status.REVOKED:
            raise field_error("to_org", f"{to_org.name}已撤销，不能调入资产。")
    elif to_org is not None:
        raise field_error("to_org", "只有调拨需要选择调入工会。")
    if proceeds_fen < 0:
        raise field_error("proceeds", "处置收入不能是负数。")
    if proceeds_fen and kind != AssetMove.Kind.SALE:
        raise field_error("proceeds", "只有出售有处置收入。")
    level = finance_policy().asset_approval_level(org.region_id, asset.value_fen)
    approver = asset_approver(org, level, to_org if kind == AssetMove.Kind.TRANSFER else None)
    move = AssetMove.objects.create(asset=asset, org=org, kind=kind, to_org=to_org, proceeds_fen=proceeds_fen,
                                    reason=reason[:200], approver=approver,
                                    requested_by=acting_user(actor))  # fmt: skip
    note = f"{move.get_kind_display()}“{asset.name}”，原值 {yuan(asset.value_fen)} 元：{reason[:80]}"
    move.case = case_open(actor=actor, kind=cases.ASSET, org=approver, subject=cases.ASSET_SUBJECT, note=note)
    if kind == AssetMove.Kind.LOSS:  # a loss is booked when found, to 182, and written off once approved
        move.pending_entry = _post(actor=actor, org=org, date=timezone.localdate(), memo=f"盘亏{asset.name}，待处理",
                                   lines=asset_loss_lines(asset), source=Entry.Source.ASSET_MOVE,
                                   source_key=f"move-{move.pk}-pending")  # fmt: skip
        FixedAsset.objects.filter(pk=asset.pk).update(status="loss_pending")
    move.save(update_fields=["case", "pending_entry"])
    audit_record(actor=actor, action="finance.asset.move_submit", obj=move, org=org,
                 detail={"kind": kind, "value": asset.value_fen, "approver": approver.pk, "level": level})  # fmt: skip
    return move


@atomic_audited
def asset_move_decide(*, actor, move: AssetMove, approve: bool, version: int, note: str = "") -> AssetMove:
    """审批调拨或处置 by an admin of the approving union or above who is not the requester. Approving posts, in
    the same transaction: the write-off at the holding union (and the sale's proceeds, 102 against 408 其他收入),
    and on a transfer the receiving union's booking and its new asset row (same value, acquisition date, life
    and accumulated depreciation, so its depreciation continues the schedule)."""
    from gonghui.cases.services import case_transition

    move = AssetMove.objects.select_for_update(of=("self",)).select_related("org", "to_org", "case").get(pk=move.pk)
    access.require_write(actor, move.approver)
    if move.status != AssetMove.Status.PENDING:
        raise ConflictError("这项申请已经审批过，请刷新后查看。")
    if actor is not None and move.requested_by_id == getattr(acting_user(actor), "pk", None):
        raise field_error("to", "审批人不能是申请人本人，请由审批工会的其他负责人审批。")
    to = AssetMove.Status.APPROVED if approve else AssetMove.Status.REFUSED
    case_transition(actor=actor, case=move.case, to=to, note=note, version=version)
    move.refresh_from_db()
    asset = FixedAsset.objects.select_for_update().get(pk=move.asset_id)
    today = timezone.localdate()
    if move.kind == AssetMove.Kind.LOSS:
        if approve and asset.net_fen:  # the loss approved: 182 written off against 资产基金
            move.entry = _post(actor=actor, org=move.org, date=today, memo=f"盘亏{asset.name}，经批准核销",
                               lines=[LineIn("301", debit_fen=asset.net_fen), LineIn("182", credit_fen=asset.net_fen)],
                               source=Entry.Source.ASSET_MOVE, source_key=f"move-{move.pk}")  # fmt: skip
        elif not approve:  # not approved (found again, or counted wrong): the asset is back on the books
            _reversal(actor=actor, entry=move.pending_entry, date=today, reason="盘亏未获批准")
        FixedAsset.objects.filter(pk=asset.pk).update(status="disposed" if approve else "in_use")
    elif approve:
        label_ = f"{move.get_kind_display()}{asset.name}"
        lines = asset_off_lines(asset)
        if move.proceeds_fen:
            lines += [LineIn("102", debit_fen=move.proceeds_fen), LineIn("408", credit_fen=move.proceeds_fen)]
        move.entry = _post(actor=actor, org=move.org, date=today, memo=label_, lines=lines,
                           source=Entry.Source.ASSET_MOVE, source_key=f"move-{move.pk}")  # fmt: skip
        if move.kind == AssetMove.Kind.TRANSFER:
            move.new_asset = FixedAsset.objects.create(
                org=move.to_org, name=asset.name, category=asset.category, value_fen=asset.value_fen,
                acquired_on=asset.acquired_on, life_months=asset.life_months, depreciated_fen=asset.depreciated_fen,
                transferred_from=asset, recorded_by=acting_user(actor),
            )  # fmt: skip
            move.to_entry = _post(actor=actor, org=move.to_org, date=today, memo=f"调入{asset.name}（{move.org.name}）",
                                  lines=asset_in_lines(asset), source=Entry.Source.ASSET_MOVE,
                                  source_key=f"move-{move.pk}-in")  # fmt: skip
        FixedAsset.objects.filter(pk=asset.pk).update(
            status="transferred" if move.kind == AssetMove.Kind.TRANSFER else "disposed"
        )
    move.decided_by, move.decided_at = acting_user(actor), timezone.now()
    move.save(update_fields=["entry", "to_entry", "new_asset", "decided_by", "decided_at"])
    audit_record(actor=actor, action="finance.asset.move_decide", obj=move, org=move.org,
                 detail={"approved": approve, "kind": move.kind})  # fmt: skip
    return move


# ----- 建会筹备金返还 --------------------------------------------------------------------------------------------


def reserve_held(org: Org, employer: Employer):
    """The collections of 建会筹备金 ``org`` holds for ``employer`` and has not returned (nor reversed)."""
    return Collection.objects.filter(org=org, declaration__employer=employer, reversed_at=None, reserve_return=None,
                                     declaration__kind=FundDeclaration.Kind.RESERVE)  # fmt: skip


def union_of(employer: Employer) -> Org | None:
    """The union formed at ``employer`` (not revoked), if there is one."""
    return Org.objects.filter(employer=employer).exclude(status=Org.Status.REVOKED).order_by("pk").first()


def reserve_return_lines(held_fen: int, holding: Org, parts: list[tuple[str, Org, int]]) -> dict[Org, list[LineIn]]:
    """Each union's lines for returning ``held_fen`` of reserve held by ``holding``: the collection's lines with
    the holding union's bank debit replaced by 215 其他应付款 (the payable is settled), the new union's share paid
    out of the bank (102 credit instead of a 212 payable) and received into its bank (102 instead of 131)."""
    grassroots = parts[0][1]
    out = collection_lines(held_fen, holding, parts)
    for org, lines in out.items():
        changed = []
        for line in lines:
            if org == holding and line.code == "102" and line.debit_fen:
                line = LineIn("215", debit_fen=line.debit_fen)
            elif org == holding and line.party == grassroots and line.code == "212":
                line = LineIn("102", credit_fen=line.credit_fen)
            elif org == grassroots and line.code == "131":
                line = LineIn("102", debit_fen=line.debit_fen)
            changed.append(line)
        out[org] = changed
    return out


@atomic_audited
def reserve_return(*, actor, org: Org, employer: Employer, date: dt.date | None = None) -> ReserveReturn:
    """返还建会筹备金: ``employer`` now has a union; ``org`` (the upper-level union that collected the reserve)
    returns the grassroots share by the province's split of the month, and the other levels' shares become
    their 拨缴经费 as with any collection (the parts add up to the whole, to the fen). Every union's entry posts
    at once; the collections returned name the return, so nothing is returned twice."""
    access.require_write(actor, org)
    date = _check_date(date or timezone.localdate())
    union = union_of(employer)
    if union is None:
        raise field_error("employer", f"{employer.name}尚未建立工会，筹备金继续由{org.name}代管。")
    if not _is_below(union, org):
        raise field_error("employer", f"{union.name}不在{org.name}之下，请由其上级工会办理返还。")
    Org.objects.select_for_update().filter(pk=org.pk).first()  # one return at a time per holding union
    held = list(reserve_held(org, employer).select_for_update())
    held_fen = sum(c.amount_fen for c in held)
    if held_fen == 0:
        raise field_error("employer", f"{org.name}没有代管{employer.name}未返还的建会筹备金。")
    province = province_of(union)
    if province is None:
        raise field_error("org", f"{union.name}不在任何省级总工会之下，无法确定分成比例。")
    rule = rule_for(province, month_of(date))
    parts = split_collection(held_fen, beneficiaries(union, rule))
    returned = next((part for level, party, part in parts if party == union), 0)
    record = ReserveReturn.objects.create(org=org, union=union, employer=employer, date=date, held_fen=held_fen,
                                          returned_fen=returned, rule=rule, recorded_by=acting_user(actor))  # fmt: skip
    memo = f"返还{employer.name}建会筹备金"
    for party, lines in reserve_return_lines(held_fen, org, parts).items():
        _post(actor=actor, org=party, date=date, memo=memo, lines=lines, source=Entry.Source.RESERVE_RETURN,
              source_key=f"return-{record.pk}")  # fmt: skip
    Collection.objects.filter(pk__in=[c.pk for c in held]).update(reserve_return=record)
    audit_record(actor=actor, action="finance.reserve.return", obj=record, org=org,
                 detail={"held": held_fen, "returned": returned, "union": union.pk})  # fmt: skip
    return record


# ----- 欠缴提醒 -----------------------------------------------------------------------------------------------


def arrears_remind(*, today: dt.date) -> int:
    """The daily job: each union owed money on months that ended ``arrears_remind_after_days`` ago or more tells
    its admins through the message centre (how many employers, how much, the arrears page), at most once a
    calendar month per union. Returns the messages sent."""
    from gonghui.accounts.models import Grant
    from gonghui.messages.services import notify

    cutoff = month_of(today - dt.timedelta(days=finance_policy().arrears_remind_after_days))
    rows = (FundDeclaration.objects.filter(collected_fen__lt=F("due_fen"), month__lt=cutoff)
            .values("org").annotate(owed=Sum(F("due_fen") - F("collected_fen")),
                                    employers=Count("employer", distinct=True)))  # fmt: skip
    owed = {row["org"]: row for row in rows}
    if not owed:
        return 0
    month = month_of(today)
    reminded = set(ArrearsReminder.objects.filter(month=month).values_list("org", flat=True))
    sent = 0
    for org in Org.objects.filter(pk__in=set(owed) - reminded).order_by("pk"):
        link = f"{reverse('finance:arrears')}?org={org.pk}"
        row = owed[org.pk]
        ArrearsReminder.objects.create(org=org, month=month, employers=row["employers"], owed_fen=row["owed"])
        for grant in Grant.objects.filter(org=org, role=Grant.Role.ADMIN, user__is_active=True).select_related("user"):
            notify(user=grant.user, event="finance.arrears", link=link,
                   context={"org": org.name, "employers": row["employers"], "owed": yuan(row["owed"])})  # fmt: skip
            sent += 1
    if sent:
        audit_record(actor=None, action="finance.arrears.remind", detail={"messages": sent})
    return sent
