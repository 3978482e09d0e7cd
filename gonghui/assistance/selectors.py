"""Reads of hardship assistance, each limited to the user's scope (``in_scope``); a worker reads their own."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import Substr
from django.http import Http404

from gonghui.accounts.models import Grant
from gonghui.assistance import cases as kinds
from gonghui.assistance.means import ACCIDENT, DEEP, NONE, RELATIVE, MeansResult, means_test
from gonghui.assistance.models import AID_ACCOUNTS, AidPayment, HardshipFile, HouseholdMember, MinimumAllowance
from gonghui.assistance.policy import assistance_policy
from gonghui.cases.kinds import kind_of
from gonghui.cases.models import Case, CaseStep
from gonghui.cases.selectors import checklist
from gonghui.finance.selectors import budget_vs_actual
from gonghui.members.models import Membership
from gonghui.orgs import access
from gonghui.orgs.models import Org, OrgType, Region, path_segment

STATUS_FILTERS = {"": "全部", **kinds.CASE_KINDS[0].statuses}
IN_FILE = (kinds.APPROVED,)  # 在档: approved and not exited


def in_file_person_ids(category: str = "") -> QuerySet:
    """The people with a hardship file in force (of ``category`` when given): the groups 在档困难职工 and its
    categories (``AssistanceConfig.person_groups``)."""
    rows = HardshipFile.objects.filter(status__in=IN_FILE)
    return (rows.filter(category=category) if category else rows).values("person_id")


def deep_person_ids() -> QuerySet:
    return in_file_person_ids(DEEP)


def relative_person_ids() -> QuerySet:
    return in_file_person_ids(RELATIVE)


def accident_person_ids() -> QuerySet:
    return in_file_person_ids(ACCIDENT)


def files_visible_to(user, *, status: str = "", category: str = "") -> QuerySet[HardshipFile]:
    rows = HardshipFile.objects.in_scope(user).select_related("org", "person", "region", "case__opened_by")
    if status:
        rows = rows.filter(status=status)
    if category:
        rows = rows.filter(category=category)
    return rows.order_by("-created_at", "-id")


def file_for_read(user, pk: int) -> HardshipFile:
    return HardshipFile.objects.get_for_read(user, pk)


def own_files(user) -> QuerySet[HardshipFile]:
    """The signed-in worker's own files (by their person record)."""
    person = getattr(user, "person_id", None)
    return (
        HardshipFile.objects.filter(person_id=person).select_related("org") if person else HardshipFile.objects.none()
    )


LIVE = (kinds.SUBMITTED, kinds.RETURNED, kinds.NOTICING, kinds.APPROVED)


def has_live_file(user) -> bool:
    """The worker has a file under way or approved (one at a time)."""
    return own_files(user).filter(status__in=LIVE).exists()


def own_files_status(user) -> list[dict]:
    """The worker's own files, newest first: the status, the documents still to bring while it is being
    handled, and the note of the last step (why it was returned, refused or exited)."""
    rows = []
    for file in own_files(user).select_related("case").order_by("-created_at", "-id"):
        last = file.case.steps.order_by("-at", "-id").first()
        missing = [name for _, name, present in checklist(file.case) if not present]
        rows.append({"f": file, "label": file.status_label, "note": last.note if last else "",
                     "missing": missing if file.status in (kinds.SUBMITTED, kinds.RETURNED) else []})  # fmt: skip
    return rows


def apply_org(user) -> Org | None:
    """The union a worker's application goes to: that of their active membership."""
    person = getattr(user, "person_id", None)
    if person is None:
        return None
    active = Membership.objects.filter(person_id=person, status=Membership.Status.ACTIVE)
    membership = active.select_related("org__region__parent__parent").order_by("pk").first()
    return membership.org if membership else None


def county_of(region: Region | None) -> Region | None:
    """The county (县级) a region lies in; None above the county level."""
    while region is not None and region.level > Region.Level.COUNTY:
        region = region.parent
    return region if region is not None and region.level == Region.Level.COUNTY else None


def open_count(user) -> int:
    """在档困难职工: approved files in the user's scope (an indexed count on org and status)."""
    return HardshipFile.objects.in_scope(user).filter(status__in=IN_FILE).count()


def elsewhere(file: HardshipFile) -> bool:
    """在其他工会有困难档案: an ID number of this household is in a live file of another union (anywhere in the
    nation). Only the fact is told, nothing of the other file."""
    indexes = file.household.values_list("id_number_bidx", flat=True)
    return (
        HouseholdMember.objects.filter(id_number_bidx__in=list(indexes))
        .exclude(file__org_id=file.org_id)
        .exclude(file__status__in=(kinds.REFUSED, kinds.EXITED))
        .exists()
    )


def payments_of(file: HardshipFile) -> QuerySet[AidPayment]:
    return file.payments.select_related("child", "paid_by").order_by("-paid_on", "-id")


def history_of(file: HardshipFile) -> list[CaseStep]:
    """Every step of the file's case and of its yearly reviews, oldest first, each with its status label."""
    cases = Case.objects.filter(pk=file.case_id) | Case.objects.filter(hardship_review__file=file)
    steps = list(CaseStep.objects.filter(case__in=cases).select_related("actor", "case").order_by("at", "id"))
    for step in steps:
        kind = kind_of(step.case.kind)
        step.label = f"{kind.name}：{kind.status_label(step.to_status)}"
    return steps


def open_review(file: HardshipFile):
    return file.reviews.filter(case__closed_at__isnull=True).select_related("case").first()


CAUSE_DOCUMENTS = {
    "illness": "医院诊断证明和医疗费用票据", "disability": "残疾人证", "education": "子女在读证明和学费票据",
    "unemployment": "失业登记证明", "accident": "事故认定书或工伤认定书", "disaster": "受灾证明",
    "single_parent": "离婚证明或配偶死亡证明",
}  # fmt: skip


@dataclass(frozen=True)
class SelfCheck:
    """职工自测的结果: the means test on what the worker entered, and what to prepare."""

    result: MeansResult
    likely: bool
    notes: list[str]
    documents: list[str]


def self_check(*, region: Region, year: int, household_size: int, monthly_income: Decimal, yearly_expenses: Decimal,
               main_cause: str, on_duty_accident: bool, losses: Decimal, is_migrant: bool,
               city_years: Decimal) -> SelfCheck:  # fmt: skip
    """Whether the household is likely to qualify (nothing is stored): the means test against the county's
    低保, the migrant workers' year in the city, and the documents to prepare."""
    from gonghui.assistance.services import allowance_for

    policy = assistance_policy()
    result = means_test(annual_income=12 * monthly_income, rigid_expenses=yearly_expenses,
                        household_size=household_size, allowance=allowance_for(region, year),
                        on_duty_accident=on_duty_accident, losses_in_year=losses,
                        loss_share=policy.accident_loss_share)  # fmt: skip
    notes = []
    if is_migrant and city_years < policy.migrant_min_years:
        notes.append(f"农民工须在本市务工满 {policy.migrant_min_years} 年方可申请建档。")
    documents = list(kinds.DOCUMENTS.values())
    if main_cause in CAUSE_DOCUMENTS:
        documents.append(CAUSE_DOCUMENTS[main_cause])
    return SelfCheck(result, result.category != NONE and not notes, notes, documents)


@dataclass(frozen=True)
class Report:
    """帮扶统计 of a subtree: files by year and category, by year, county and status, and the aid paid by year
    and kind."""

    by_category: list[dict]
    by_region: list[dict]
    paid: list[dict]
    units: list[dict]  # the next level down: {"org", "n", "approved"}, to drill into


def _units(user, files: QuerySet, org) -> list[dict]:
    """Files per union one level below ``org`` (the files of ``org`` itself as its own row), or per root of the
    user's scope when no org is chosen: each subtree counted by one prefix of the org paths."""
    roots = access.top_orgs(user)
    base = org if org is not None else (roots[0] if len(roots) == 1 else None)
    width = len(path_segment(1))
    if base is None:
        counted = {r.path: files.filter(org__path__startswith=r.path) for r in roots}
        rows = [(r, q.count(), q.filter(status=kinds.APPROVED).count()) for r, q in counted.items()]
    else:
        below = (files.annotate(unit=Substr("org__path", 1, len(base.path) + width)).values("unit")
                 .annotate(n=Count("id"), approved=Count("id", filter=Q(status=kinds.APPROVED))))  # fmt: skip
        found = {row["unit"]: row for row in below}
        orgs = {o.path: o for o in Org.objects.filter(path__in=[u for u in found if u != base.path])}
        rows = [(orgs[u], r["n"], r["approved"]) for u, r in sorted(found.items()) if u in orgs]
        here = files.filter(org=base)
        if here.exists():
            rows.insert(0, (base, here.count(), here.filter(status=kinds.APPROVED).count()))
    return [{"org": o, "n": n, "approved": a, "drill": o != base} for o, n, a in rows if n]


def report(user, org=None) -> Report:
    """The user's scope, or the subtree of ``org`` (already read through its scope)."""
    files = HardshipFile.objects.in_scope(user)
    payments = AidPayment.objects.in_scope(user)
    if org is not None:
        files = files.filter(org__path__startswith=org.path)
        payments = payments.filter(org__path__startswith=org.path)
    by_category = files.values("year", "category").annotate(n=Count("id")).order_by("-year", "category")
    by_region = (files.values("year", "region__name", "status").annotate(n=Count("id"))
                 .order_by("-year", "region__name", "status"))  # fmt: skip
    paid = (payments.values("paid_on__year", "kind").annotate(total=Sum("amount"), n=Count("id"))
            .order_by("-paid_on__year", "kind"))  # fmt: skip
    return Report(list(by_category), list(by_region), list(paid), _units(user, files, org))


def aid_budget(org, year: int) -> list[dict]:
    """帮扶资金预算执行: the union's own budgets of the aid accounts (50404 困难职工帮扶支出, 50405 送温暖支出, or
    504 维权支出 above them) beside what was paid from them this year (every aid payment is booked there)."""
    codes = set(AID_ACCOUNTS.values())
    parents = {code[:3] for code in codes}
    return [row for row in budget_vs_actual(org, year) if row["budget"].code in codes | parents]


# ----- 低保标准 ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AllowanceRow:
    """A region's 低保 for a year: its own figure, or the one it inherits and from where (None: none set)."""

    region: Region
    own: Decimal | None
    applies: Decimal | None
    source: Region | None


def allowance_orgs(user) -> list[Org]:
    """The local federations whose admins the user is: they keep the figures of their regions."""
    from gonghui.assistance.services import ALLOWANCE_SETTERS

    return [g.org for g in access.grants_of(user) if g.role == Grant.Role.ADMIN and g.org.org_type in ALLOWANCE_SETTERS]


def allowance_org(user, region: Region) -> Org | None:
    """The local federation through which the user may set ``region``'s figure (an admin grant), if any."""
    from gonghui.assistance.services import allowance_covers

    return next((org for org in allowance_orgs(user) if allowance_covers(org, region)), None)


def allowance_home(user) -> Region | None:
    """Where the 低保 page opens: the region of the user's top union (None for the nation: the provinces)."""
    top = access.top_orgs(user)
    if not top or any(org.org_type == OrgType.NATIONAL for org in top):
        return None
    return Region.objects.select_related("parent__parent").get(code=top[0].region_id)


def allowance_region_for_read(user, code: str) -> Region | None:
    """A region within the user's scope (the regions of their unions and below; every region for the nation)."""
    access.require_cadre(user)
    if not code:
        return allowance_home(user)
    region = Region.objects.filter(code=code, level__lte=Region.Level.COUNTY).select_related("parent__parent").first()
    orgs = [g.org for g in access.grants_of(user)]
    if region is None or not any(o.org_type == OrgType.NATIONAL or code.startswith(o.region_id) for o in orgs):
        raise Http404("地区不存在或不在您的管辖范围内")
    return region


def _chain(region: Region | None) -> list[Region]:
    chain = []
    while region is not None:
        chain.append(region)
        region = region.parent
    return chain


def allowance_table(region: Region | None, year: int) -> tuple[AllowanceRow | None, list[AllowanceRow]]:
    """The region's row and its sub-regions' rows (down to counties) for ``year``, each with the figure that
    applies to it: its own, else its nearest ancestor's."""
    chain = _chain(region)
    children = list(
        Region.objects.filter(parent=region, level__lte=Region.Level.COUNTY) if region is not None
        else Region.objects.filter(level=Region.Level.PROVINCE)
    )  # fmt: skip
    codes = [r.code for r in chain + children]
    figures = dict(MinimumAllowance.objects.filter(year=year, region_id__in=codes).values_list("region_id", "monthly"))
    inherited = next(((figures[r.code], r) for r in chain if r.code in figures), (None, None))

    def row(r: Region, above: tuple) -> AllowanceRow:
        own = figures.get(r.code)
        return AllowanceRow(r, own, own if own is not None else above[0], r if own is not None else above[1])

    parent_chain = next(((figures[r.code], r) for r in chain[1:] if r.code in figures), (None, None))
    head = row(region, parent_chain) if region is not None else None
    return head, [row(child, inherited) for child in children]


def allowance_history(region: Region | None) -> QuerySet[MinimumAllowance]:
    """Every year's figure of the region and of the regions above it, newest year first."""
    rows = MinimumAllowance.objects.select_related("region", "set_by")
    if region is None:
        rows = rows.filter(region__level=Region.Level.PROVINCE)
    else:
        rows = rows.filter(region_id__in=[r.code for r in _chain(region)])
    return rows.order_by("-year", "region_id")


def open_count_under(org: Org) -> int:
    """在档困难职工 of ``org``'s whole subtree."""
    return HardshipFile.objects.filter(status__in=IN_FILE, org__path__startswith=org.path).count()


def open_count_by_org() -> dict[int, int]:
    rows = HardshipFile.objects.filter(status__in=IN_FILE).values("org").annotate(n=Count("id"))
    return dict(rows.values_list("org", "n"))
