"""Reads of hardship assistance, each limited to the user's scope (``in_scope``); a worker reads their own."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, QuerySet, Sum

from gonghui.assistance import cases as kinds
from gonghui.assistance.means import NONE, MeansResult, means_test
from gonghui.assistance.models import AidPayment, HardshipFile, HouseholdMember
from gonghui.assistance.policy import assistance_policy
from gonghui.cases.kinds import kind_of
from gonghui.cases.models import Case, CaseStep
from gonghui.orgs.models import Region

STATUS_FILTERS = {"": "全部", **kinds.CASE_KINDS[0].statuses}
IN_FILE = (kinds.APPROVED,)  # 在档: approved and not exited


def files_visible_to(user, *, status: str = "", category: str = "") -> QuerySet[HardshipFile]:
    rows = HardshipFile.objects.in_scope(user).select_related("org", "person", "region")
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


def own_requests(user) -> list[tuple[Case, str]]:
    """The worker's own applications from the phone, newest first, with their status labels."""
    kind = kind_of(kinds.REQUEST)
    rows = Case.objects.filter(kind=kinds.REQUEST, opened_by=user).select_related("org").order_by("-opened_at")
    return [(case, kind.status_label(case.status)) for case in rows]


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
    """帮扶统计 of a subtree: files by year and category, by county and status, and the aid paid by year and kind."""

    by_category: list[dict]
    by_region: list[dict]
    paid: list[dict]


def report(user, org=None) -> Report:
    """The user's scope, or the subtree of ``org`` (already read through its scope)."""
    files = HardshipFile.objects.in_scope(user)
    payments = AidPayment.objects.in_scope(user)
    if org is not None:
        files = files.filter(org__path__startswith=org.path)
        payments = payments.filter(org__path__startswith=org.path)
    by_category = files.values("year", "category").annotate(n=Count("id")).order_by("-year", "category")
    by_region = files.values("region__name", "status").annotate(n=Count("id")).order_by("region__name", "status")
    paid = (payments.values("paid_on__year", "kind").annotate(total=Sum("amount"), n=Count("id"))
            .order_by("-paid_on__year", "kind"))  # fmt: skip
    return Report(list(by_category), list(by_region), list(paid))
