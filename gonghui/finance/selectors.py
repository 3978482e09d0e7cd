"""Every read of union finance, limited to the user's scope: the chart, entries, collections, declarations and
arrears, the sharing rules, budgets against actual spending, and the figures of the overview. The reports
(trial balance, 工会01, 工会02) are in ``reports``."""

import datetime as dt

from django.db.models import Count, F, Q, QuerySet, Sum
from django.utils import timezone

from gonghui.finance.chart import EXPENSE, ChartAccount
from gonghui.finance.models import (
    Balance,
    Budget,
    Collection,
    Entry,
    FundDeclaration,
    Line,
    Share,
    SharingRule,
    Spending,
)
from gonghui.finance.money import yuan_decimal
from gonghui.finance.policy import finance_policy
from gonghui.finance.services import chart_of
from gonghui.orgs import access
from gonghui.orgs.models import Org, OrgType
from gonghui.orgs.selectors import writable_orgs


def provinces_writable(user) -> QuerySet[Org]:
    return writable_orgs(user).filter(org_type=OrgType.PROVINCE)


def accounts_of(org: Org) -> list[ChartAccount]:
    return chart_of(org)


def entries_visible_to(user, *, org: Org | None = None, month: dt.date | None = None,
                       source: str = "") -> QuerySet[Entry]:  # fmt: skip
    rows = Entry.objects.in_scope(user).select_related("org")
    if org is not None:
        rows = rows.filter(org=org)
    if month is not None:
        rows = rows.filter(month=month)
    if source:
        rows = rows.filter(source=source)
    return rows.order_by("-date", "-pk")


def lines_of(entry: Entry) -> list[Line]:
    """The entry's lines, each with its account's ``name``."""
    names = {a.code: a.name for a in chart_of(entry.org)}
    lines = list(entry.lines.select_related("party").order_by("pk"))
    for line in lines:
        line.name = names.get(line.code, "")
    return lines


def collections_visible_to(user, *, org: Org | None = None) -> QuerySet[Collection]:
    """Collections the user sees: those of a union in scope, or a share of which went to one (the upper levels
    see what was split to them)."""
    shared = Share.objects.filter(Share.objects.scope_filter(user)).values("collection_id")
    rows = Collection.objects.filter(Collection.objects.scope_filter(user) | Q(pk__in=shared))
    if org is not None:
        rows = rows.filter(Q(org=org) | Q(shares__org=org)).distinct()
    return rows.select_related("org", "declaration__employer").order_by("-received_on", "-pk")


def collection_for_read(user, pk: int) -> Collection:
    access.require_cadre(user)
    found = collections_visible_to(user).filter(pk=pk).first()
    if found is None:
        raise Collection.objects.not_found()
    return found


def shares_of(collection: Collection) -> list[Share]:
    return list(collection.shares.select_related("org").order_by("org__depth").reverse())


def declarations_visible_to(user, *, arrears_only: bool = False, org: Org | None = None,
                            kind: str = "") -> QuerySet[FundDeclaration]:  # fmt: skip
    rows = FundDeclaration.objects.in_scope(user).select_related("org", "employer")
    if org is not None:
        rows = rows.filter(org__path__startswith=org.path)
    if arrears_only:
        rows = rows.filter(collected_fen__lt=F("due_fen"))
    if kind:
        rows = rows.filter(kind=kind)
    return rows.order_by("-month", "employer__name", "pk")


def arrears_by_employer(user, *, org: Org | None = None) -> QuerySet:
    """欠缴: per employer, the months owed and the amount, largest first."""
    rows = declarations_visible_to(user, arrears_only=True, org=org)
    return (rows.values("employer_id", "employer__name", "org__name")
            .annotate(owed=Sum(F("due_fen") - F("collected_fen")), months=Sum(1))
            .order_by("-owed", "employer__name"))  # fmt: skip


def arrears_yuan_by_employer() -> dict:
    """欠缴经费 per employer (employer id), in yuan: the governance risk alerts' signal."""
    rows = (FundDeclaration.objects.filter(collected_fen__lt=F("due_fen")).values("employer")
            .annotate(owed=Sum(F("due_fen") - F("collected_fen"))))  # fmt: skip
    return {row["employer"]: yuan_decimal(row["owed"]) for row in rows if row["employer"] and row["owed"]}


def rules_visible_to(user) -> QuerySet[SharingRule]:
    return SharingRule.objects.in_scope(user).select_related("province", "set_by")


def budget_vs_actual(org: Org, year: int) -> list[dict]:
    """Each budget line of ``org``'s year beside what was posted to its account (and the accounts below it):
    spending for expense accounts, income for income accounts; ``warn`` when the warning share is reached,
    ``over`` above the budget."""
    policy = finance_policy()
    budgets = list(Budget.objects.filter(org=org, year=year).order_by("code"))
    names = {a.code: a for a in chart_of(org)}
    rows = (Balance.objects.filter(org=org, month__year=year).values("code")
            .annotate(debit=Sum("debit_fen"), credit=Sum("credit_fen")).order_by())  # fmt: skip
    out = []
    for budget in budgets:
        account = names.get(budget.code)
        expense = account is None or account.kind == EXPENSE
        actual = sum((r["debit"] - r["credit"]) if expense else (r["credit"] - r["debit"])
                     for r in rows if r["code"].startswith(budget.code))  # fmt: skip
        used_bp = actual * 10_000 // budget.amount_fen if budget.amount_fen else (10_001 if actual else 0)
        out.append({"budget": budget, "name": account.name if account else budget.code, "expense": expense,
                    "actual_fen": actual, "left_fen": budget.amount_fen - actual, "used_pct": used_bp / 100,
                    "over": expense and actual > budget.amount_fen,
                    "warn": expense and used_bp >= policy.budget_warn_bp})  # fmt: skip
    return out


def budget_warnings(org: Org, year: int, codes: set[str]) -> list[str]:
    """What a cadre is told after posting to ``codes``: the budgets they reached or passed."""
    messages = []
    for row in budget_vs_actual(org, year):
        if row["expense"] and any(code.startswith(row["budget"].code) for code in codes) and row["warn"]:
            state = "已超出预算" if row["over"] else "已接近预算"
            messages.append(f"{row['budget'].code} {row['name']}{state}：已用 {row['used_pct']:.1f}%。")
    return messages


def year_collected_yuan(user):
    """The overview's figure: union funds collected this year by the unions in scope (indexed by org and date)."""
    year = timezone.localdate().year
    total = (Collection.objects.in_scope(user).filter(received_on__year=year, reversed_at=None)
             .aggregate(total=Sum("amount_fen"))["total"])  # fmt: skip
    return yuan_decimal(total)


def arrears_yuan(user):
    total = declarations_visible_to(user, arrears_only=True).aggregate(total=Sum(F("due_fen") - F("collected_fen")))
    return yuan_decimal(total["total"])


def arrears_yuan_for(org: Org):
    """Arrears owed to ``org`` and the unions below it."""
    total = (FundDeclaration.objects.filter(org__path__startswith=org.path, collected_fen__lt=F("due_fen"))
             .aggregate(total=Sum(F("due_fen") - F("collected_fen")))["total"])  # fmt: skip
    return yuan_decimal(total)


def _collected_this_year():
    return Collection.objects.filter(received_on__year=timezone.localdate().year, reversed_at=None)


def year_collected_yuan_under(org: Org):
    """本年经费收缴 by the unions of ``org``'s whole subtree."""
    total = _collected_this_year().filter(org__path__startswith=org.path).aggregate(total=Sum("amount_fen"))
    return yuan_decimal(total["total"])


def year_collected_yuan_by_org() -> dict:
    rows = _collected_this_year().values("org").annotate(total=Sum("amount_fen"))
    return {org_id: yuan_decimal(total) for org_id, total in rows.values_list("org", "total") if total}


def arrears_yuan_under(org: Org):
    return arrears_yuan_for(org)


def arrears_yuan_by_org() -> dict:
    rows = (FundDeclaration.objects.filter(collected_fen__lt=F("due_fen")).values("org")
            .annotate(total=Sum(F("due_fen") - F("collected_fen"))))  # fmt: skip
    return {org_id: yuan_decimal(total) for org_id, total in rows.values_list("org", "total") if total}


def spendings_visible_to(user, *, org: Org | None = None, status: str = "") -> QuerySet[Spending]:
    """经费支出 of the unions in scope (of ``org``'s subtree), newest first."""
    rows = Spending.objects.in_scope(user).select_related("org", "case", "entry")
    if org is not None:
        rows = rows.filter(org__path__startswith=org.path)
    if status:
        rows = rows.filter(status=status)
    return rows.order_by("-requested_at", "-pk")


def gift_summary(org: Org, year: int) -> list[dict]:
    """The year's gifts per member against the province's caps, per purpose (for the spending form)."""
    from gonghui.finance.services import GIFTS, gift_given_fen

    policy = finance_policy()
    out = []
    for purpose in sorted(GIFTS):
        cap = policy.gift_cap_fen_for(org.region_id, purpose)
        given = gift_given_fen(org, purpose, year)
        out.append({"label": Spending.Purpose(purpose).label, "cap_fen": cap, "given_fen": given,
                    "left_fen": max(cap - given, 0)})  # fmt: skip
    return out


def reserves_held(org: Org) -> list[dict]:
    """建会筹备金 ``org`` holds, per employer (collected, not reversed, not returned): the amount and months, and
    the union now formed at the employer (then it may be returned)."""
    from gonghui.finance.services import union_of
    from gonghui.members.models import Employer

    rows = (Collection.objects.filter(org=org, declaration__kind=FundDeclaration.Kind.RESERVE, reversed_at=None,
                                      reserve_return=None)
            .values("declaration__employer")
            .annotate(held=Sum("amount_fen"), months=Count("declaration", distinct=True))
            .order_by("declaration__employer"))  # fmt: skip
    employers = Employer.objects.in_bulk([row["declaration__employer"] for row in rows])
    out = []
    for row in rows:
        employer = employers[row["declaration__employer"]]
        out.append({"employer": employer, "held": row["held"], "months": row["months"], "union": union_of(employer)})
    return sorted(out, key=lambda r: (r["union"] is None, r["employer"].name))


def reserve_returns(org: Org):
    from gonghui.finance.models import ReserveReturn

    return ReserveReturn.objects.filter(org=org).select_related("union", "employer").order_by("-date", "-pk")


def asset_move_targets(user, org: Org):
    """The unions an asset of ``org`` may be transferred to from the form: the unions above it and those the
    user keeps books for (not ``org`` itself)."""
    above = Org.objects.filter(path__in=org.ancestor_paths()).values("pk")
    mine = writable_orgs(user).values("pk")
    return (Org.objects.filter(Q(pk__in=above) | Q(pk__in=mine)).exclude(pk=org.pk)
            .exclude(status=Org.Status.REVOKED).order_by("path"))  # fmt: skip


def entry_parties(org: Org) -> QuerySet[Org]:
    """The unions a manual entry of ``org`` may name as the other side of an inter-level receivable or payable:
    the unions above it, the unions directly below it, and any union it already has such a balance with."""
    booked = Balance.objects.filter(org=org, party__isnull=False).values("party")
    return (Org.objects.filter(Q(path__in=org.ancestor_paths()) | Q(parent=org) | Q(pk__in=booked))
            .exclude(pk=org.pk).order_by("path"))  # fmt: skip


def venues_for_assets(user, org: Org | None = None):
    """The venues (venues app) an asset may name: those in the user's scope, below ``org`` when given (the
    service checks the venue is the owning union's or below it)."""
    from gonghui.venues.models import Venue

    venues = Venue.objects.in_scope(user).select_related("org").order_by("name")
    return venues.filter(org__path__startswith=org.path) if org is not None else venues


# 往来余额: the receivables and payables that name the other side — 131/211 and 132/212 with the union above or
# below, 135/215 with a union or a unit — and their sub-accounts.
COUNTERPARTY_CODES = ("131", "132", "135", "211", "212", "215")


def counterparty_balances(user, org: Org, *, until: dt.date, code: str = "") -> QuerySet:
    """往来单位余额: ``org``'s own balances on the receivable and payable accounts at the end of ``until``'s month,
    per account and other side (a union or a unit), those not zero, read from the monthly balances (decision
    0051); ``code``: one of ``COUNTERPARTY_CODES`` and its sub-accounts. Rows are dicts: code, party, party__name,
    counterparty, debit, credit, balance (debit minus credit), in fen."""
    codes = [code] if code in COUNTERPARTY_CODES else COUNTERPARTY_CODES
    accounts = Q()
    for prefix in codes:
        accounts |= Q(code__startswith=prefix)
    rows = Balance.objects.in_scope(user).filter(accounts, org=org, month__lte=until.replace(day=1))
    return (rows.values("code", "party", "party__name", "counterparty")
            .annotate(debit=Sum("debit_fen"), credit=Sum("credit_fen"), balance=Sum(F("debit_fen") - F("credit_fen")))
            .exclude(balance=0).order_by("code", "party__name", "counterparty"))  # fmt: skip
