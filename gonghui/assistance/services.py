"""Every write of hardship assistance: keyword-only, one transaction each, audited, the actor checked here
(docs/decisions/0010). A file is made only after the member's separate consent is recorded; its category is
computed by the means test, never typed."""

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone

from gonghui.assistance import cases as kinds
from gonghui.assistance.means import NONE, MeansResult, means_test
from gonghui.assistance.models import (
    AID_ACCOUNTS,
    AidKind,
    AidPayment,
    Cause,
    ExpenseKind,
    HardshipFile,
    HardshipReview,
    HouseholdMember,
    IncomeKind,
    IncomeLine,
    MinimumAllowance,
    Relation,
    RigidExpense,
)
from gonghui.assistance.policy import assistance_policy
from gonghui.assistance.selectors import apply_org, has_live_file
from gonghui.cases.services import case_open, case_transition, notice_publish
from gonghui.core import crypto
from gonghui.core.audit import acting_user, atomic_audited, audit_record
from gonghui.core.batches import in_batches
from gonghui.core.errors import ConflictError, field_error
from gonghui.core.sealed import seal_id_number
from gonghui.finance.models import Entry
from gonghui.finance.services import payment_post
from gonghui.members.models import Person
from gonghui.orgs import access
from gonghui.orgs.models import Org, OrgType, Region
from gonghui.privacy.models import ConsentCategory
from gonghui.privacy.services import consent_give

CONSENT_PURPOSE = "困难职工建档、核算和帮扶（家庭成员、收入、健康和帮扶账户信息）"
CONSENT_TEXT_VERSION = "hardship-2026-1"
DOUBLE_PAYMENT = "该户本期已发放过此项帮扶，不能重复发放。"


# ----- 低保标准 ----------------------------------------------------------------------------------------------


def allowance_for(region: Region, year: int) -> Decimal:
    """The 低保 of ``region`` for ``year``: its own figure, else its nearest ancestor's."""
    codes, current = [], region
    while current is not None:
        codes.append(current.code)
        current = current.parent
    found = dict(MinimumAllowance.objects.filter(region_id__in=codes, year=year).values_list("region_id", "monthly"))
    for code in codes:
        if code in found:
            return found[code]
    raise field_error("region", f"{region.name}及其上级地区尚未设置 {year} 年的低保标准，请先由管理员设置。")


ALLOWANCE_SETTERS = (OrgType.NATIONAL, OrgType.PROVINCE, OrgType.CITY, OrgType.COUNTY)


def allowance_covers(org: Org, region: Region) -> bool:
    """A local federation (全总, or the 总工会 of a province, city or county) keeps the figures of its own region
    and the regions below it; the national one of every region."""
    if org.org_type not in ALLOWANCE_SETTERS:
        return False
    return org.org_type == OrgType.NATIONAL or region.code.startswith(org.region_id)


@atomic_audited
def allowance_set(*, actor, org: Org, region: Region, year: int, monthly) -> MinimumAllowance:
    """设置低保标准: an admin of ``org`` (a local federation) sets a year's figure of a region it covers; a figure
    set again for the same year replaces the old one, both kept in the audit trail."""
    access.require_write(actor, org, manage=True)
    if not allowance_covers(org, region):
        raise field_error("region", "只能由地方总工会设置本地区及其下级地区的低保标准。")
    if region.level > Region.Level.COUNTY:
        raise field_error("region", "低保标准按省、市、县（市、区）设置。")
    if not 2000 <= year <= 2100:
        raise field_error("year", "请填写正确的年度。")
    monthly = _amount(monthly, "monthly")
    if monthly <= 0:
        raise field_error("monthly", "低保标准应大于 0。")
    before = MinimumAllowance.objects.filter(region=region, year=year).values_list("monthly", flat=True).first()
    allowance, _ = MinimumAllowance.objects.update_or_create(
        region=region, year=year, defaults={"monthly": monthly, "set_by": acting_user(actor)}
    )
    audit_record(actor=actor, action="assistance.allowance_set", obj=allowance, org=org,
                 detail={"region": region.code, "year": year, "monthly": str(monthly),
                         "before": None if before is None else str(before)})  # fmt: skip
    return allowance


# ----- 核算 ------------------------------------------------------------------------------------------------------


def _amount(value, field: str) -> Decimal:
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        raise field_error(field, "请填写正确的金额。") from None
    if not amount.is_finite() or amount < 0 or amount != amount.quantize(Decimal("0.01")):
        raise field_error(field, "金额应为不小于 0 的数，最多两位小数。")
    return amount.quantize(Decimal("0.01"))


def household_figures(file: HardshipFile) -> tuple[Decimal, Decimal, int]:
    """Annual disposable income (12 × the members' monthly incomes + the other yearly incomes), rigid
    expenses and household size, decrypted from the file's rows."""
    members = list(file.household.all())
    monthly = sum((Decimal(crypto.decrypt(m.monthly_income_enc)) for m in members), Decimal(0))
    others = sum((Decimal(crypto.decrypt(i.annual_enc)) for i in file.incomes.all()), Decimal(0))
    expenses = sum((Decimal(crypto.decrypt(e.annual_enc)) for e in file.expenses.all()), Decimal(0))
    return 12 * monthly + others, expenses, len(members)


def file_means(file: HardshipFile) -> MeansResult:
    """The means test of a stored file, against its county's 低保 for its year."""
    income, expenses, size = household_figures(file)
    losses = Decimal(crypto.decrypt(file.losses_enc)) if file.losses_enc else Decimal(0)
    return means_test(annual_income=income, rigid_expenses=expenses, household_size=size,
                      allowance=allowance_for(file.region, file.year), on_duty_accident=bool(file.accident),
                      losses_in_year=losses, loss_share=assistance_policy().accident_loss_share)  # fmt: skip


# ----- 建档 ------------------------------------------------------------------------------------------------------


def _check_migrant(is_migrant: bool, since: dt.date | None, today: dt.date) -> None:
    years = assistance_policy().migrant_min_years
    if is_migrant and (since is None or since > today.replace(year=today.year - years)):
        raise field_error("city_work_since", f"农民工须在本市务工满 {years} 年方可建档。")


def _check_household(household: list[dict]) -> None:
    if not household:
        raise field_error("household", "请填写家庭成员。")
    if sum(1 for m in household if m["relation"] == Relation.SELF) != 1:
        raise field_error("household", "家庭成员中应有且只有一位“本人”。")
    for m in household:
        if m["relation"] not in Relation.values or not m["name"].strip():
            raise field_error("household", "请填写每位家庭成员的关系和姓名。")


def _check_causes(main: str, secondary: list[str]) -> None:
    if main not in Cause.values:
        raise field_error("main_cause", "请选择主要致困原因。")
    if any(c not in Cause.values or c == main for c in secondary):
        raise field_error("secondary_causes", "次要致困原因应从全国分类中选择，且不与主要原因重复。")


def _mask_account(number: str) -> str:
    return f"{number[:4]} **** {number[-4:]}"


def _bank_columns(bank_name: str, account: str) -> dict:
    account = account.replace(" ", "")
    if not account:
        return {}
    if not account.isdigit() or not 12 <= len(account) <= 19:
        raise field_error("bank_account", "请填写正确的银行卡号（12 至 19 位数字）。")
    return {"bank_name": bank_name.strip()[:50], "bank_account_enc": crypto.encrypt(account),
            "bank_account_masked": _mask_account(account)}  # fmt: skip


def _replace_household(file: HardshipFile, household: list[dict]) -> None:
    """The household as entered: a row with ``pk`` updates that member (its ID number kept unless a new one is
    typed), a row without adds one, a member left out is removed (not a child already paid 金秋助学)."""
    current = {m.pk: m for m in file.household.all()}
    kept = {m["pk"] for m in household if m.get("pk")}
    if kept - current.keys():
        raise field_error("household", "家庭成员已被他人修改，请刷新后重试。")
    removed = current.keys() - kept
    if AidPayment.objects.filter(child_id__in=removed).exists():
        raise field_error("household", "已领取金秋助学的子女不能从家庭成员中删除。")
    HouseholdMember.objects.filter(pk__in=removed).delete()
    rows, seen = [], set()
    for m in household:
        member = current.get(m.get("pk")) or HouseholdMember(file=file)
        if m.get("id_number") or member.pk is None:
            for column, value in seal_id_number(m.get("id_number", "")).columns().items():
                setattr(member, column, value)
        if member.id_number_bidx in seen:
            raise field_error("household", "家庭成员的身份证号码重复。")
        seen.add(member.id_number_bidx)
        health = m.get("health", "").strip()
        member.relation, member.name, member.schooling = m["relation"], m["name"].strip()[:50], m.get("schooling", "")
        member.work, member.health_enc = m.get("work", "").strip()[:50], crypto.encrypt(health) if health else ""
        member.monthly_income_enc = crypto.encrypt(str(_amount(m.get("monthly_income", 0), "household")))
        rows.append(member)
    for member in rows:
        member.save()


def _replace_lines(file: HardshipFile, incomes: dict[str, Decimal], expenses: dict[str, Decimal]) -> None:
    IncomeLine.objects.filter(file=file).delete()
    RigidExpense.objects.filter(file=file).delete()
    for kind, value in incomes.items():
        if kind not in IncomeKind.values:
            raise field_error("incomes", "收入类别不正确。")
        IncomeLine.objects.create(file=file, kind=kind, annual_enc=crypto.encrypt(str(_amount(value, "incomes"))))
    for kind, value in expenses.items():
        if kind not in ExpenseKind.values:
            raise field_error("expenses", "支出类别不正确。")
        RigidExpense.objects.create(file=file, kind=kind, annual_enc=crypto.encrypt(str(_amount(value, "expenses"))))


def _check_details(*, region: Region, is_migrant: bool, city_work_since: dt.date | None, household: list[dict],
                   main_cause: str, secondary_causes: list[str]) -> None:  # fmt: skip
    if region.level != Region.Level.COUNTY:
        raise field_error("region", "请选择家庭所在的县（市、区）。")
    _check_migrant(is_migrant, city_work_since, timezone.localdate())
    _check_household(household)
    _check_causes(main_cause, list(secondary_causes))


def _categorise(file: HardshipFile) -> MeansResult:
    """The means test on the stored rows sets the category; a household that does not qualify is refused."""
    result = file_means(file)
    if result.category == NONE:
        raise ValidationError(f"不符合建档条件：{result.rule}。", code="not_eligible")
    HardshipFile.objects.filter(pk=file.pk).update(category=result.category)
    file.category = result.category
    return result


def _consent(actor, person: Person, consent: bool) -> None:
    """The separate consent (个人信息保护法第二十九条), recorded before the file exists."""
    if not consent:
        raise field_error("consent", "建档前须取得职工本人对处理其家庭、收入、健康和账户信息的单独同意。")
    consent_give(actor=actor, person=person, category=ConsentCategory.HARDSHIP, purpose=CONSENT_PURPOSE,
                 text_version=CONSENT_TEXT_VERSION)  # fmt: skip


def _new_file(*, actor, org: Org, person: Person, region: Region, year: int, household: list[dict], main_cause: str,
              secondary_causes, incomes, expenses, accident: str, losses, is_migrant: bool,
              city_work_since: dt.date | None, long_term: bool, bank_name: str,
              bank_account: str) -> HardshipFile:  # fmt: skip
    _check_details(region=region, is_migrant=is_migrant, city_work_since=city_work_since, household=household,
                   main_cause=main_cause, secondary_causes=secondary_causes)  # fmt: skip
    losses = _amount(losses or "0", "losses")
    case = case_open(actor=actor, kind=kinds.HARDSHIP, org=org, subject=kinds.SUBJECT)
    file = HardshipFile.objects.create(
        case=case, org=org, person=person, region=region, year=year, category=NONE, status=case.status,
        main_cause=main_cause, secondary_causes=list(secondary_causes), accident=accident,
        losses_enc=crypto.encrypt(str(losses)) if losses else "", is_migrant=is_migrant,
        city_work_since=city_work_since, long_term=long_term, **_bank_columns(bank_name, bank_account),
    )  # fmt: skip
    _replace_household(file, household)
    _replace_lines(file, incomes or {}, expenses or {})
    _categorise(file)
    return file


@atomic_audited
def file_create(*, actor, org: Org, person: Person, region: Region, year: int, consent: bool, household: list[dict],
                main_cause: str, secondary_causes: list[str] = (), incomes: dict | None = None,
                expenses: dict | None = None, accident: str = "", losses: Decimal | str = "0",
                is_migrant: bool = False, city_work_since: dt.date | None = None, long_term: bool = False,
                bank_name: str = "", bank_account: str = "") -> HardshipFile:  # fmt: skip
    """建档申请: the grassroots union submits a household's file for review. The member's separate consent
    (个人信息保护法第二十九条) is recorded first; the household must meet the means test."""
    access.require_write(actor, org)
    _consent(actor, person, consent)
    file = _new_file(
        actor=actor, org=org, person=person, region=region, year=year, household=household, main_cause=main_cause,
        secondary_causes=secondary_causes, incomes=incomes, expenses=expenses, accident=accident, losses=losses,
        is_migrant=is_migrant, city_work_since=city_work_since, long_term=long_term, bank_name=bank_name,
        bank_account=bank_account,
    )  # fmt: skip
    audit_record(actor=actor, action="assistance.file_create", obj=file, org=org,
                 detail={"category": file.category})  # fmt: skip
    return file


@atomic_audited
def file_apply(*, actor, consent: bool, region: Region, own: dict, household: list[dict], main_cause: str,
               secondary_causes: list[str] = (), incomes: dict | None = None, expenses: dict | None = None,
               accident: str = "", losses: Decimal | str = "0", is_migrant: bool = False,
               city_work_since: dt.date | None = None, bank_name: str = "",
               bank_account: str = "") -> HardshipFile:  # fmt: skip
    """职工申请 from the phone: after their separate consent, a member files their own household (``own``: their
    monthly income, work and health; ``household``: the others) with the union of their active membership,
    where it arrives as a submitted file for the current year. One live file per person."""
    org = apply_org(actor)
    if org is None:
        raise ValidationError("只有本人账号已关联会籍的会员才能在线申请，请联系所在工会。", code="no_membership")
    if has_live_file(actor):
        raise ValidationError("您已有困难职工档案或申请正在办理，请查看办理进度。", code="pending")
    person = Person.objects.get(pk=actor.person_id)
    _consent(actor, person, consent)
    me = {**own, "relation": Relation.SELF, "name": person.name, "id_number": crypto.decrypt(person.id_number_enc)}
    file = _new_file(
        actor=actor, org=org, person=person, region=region, year=timezone.localdate().year,
        household=[me, *household], main_cause=main_cause, secondary_causes=secondary_causes, incomes=incomes,
        expenses=expenses, accident=accident, losses=losses, is_migrant=is_migrant,
        city_work_since=city_work_since, long_term=False, bank_name=bank_name, bank_account=bank_account,
    )  # fmt: skip
    audit_record(actor=actor, action="assistance.file_apply", obj=file, org=org,
                 detail={"category": file.category})  # fmt: skip
    return file


EDITABLE = (kinds.SUBMITTED, kinds.RETURNED, kinds.APPROVED)
EDIT_CONFLICT = "该困难职工档案已被他人修改并保存，您这次填写的内容没有保存。请刷新后重新编辑。"


@atomic_audited
def file_update(*, actor, file: HardshipFile, version: int, region: Region, year: int, household: list[dict],
                main_cause: str, secondary_causes: list[str] = (), incomes: dict | None = None,
                expenses: dict | None = None, accident: str = "", losses: Decimal | str = "0",
                is_migrant: bool = False, city_work_since: dt.date | None = None, long_term: bool = False,
                bank_name: str = "", bank_account: str = "") -> HardshipFile:  # fmt: skip
    """修改档案: the household, incomes, expenses, causes and account as now entered, replacing what was saved,
    when ``version`` is still the saved one (else a ``ConflictError``); the means test is computed again and a
    household that no longer qualifies is refused (解困脱困 is the way out). Not while in 公示 or closed."""
    access.require_write(actor, file.org)
    file = HardshipFile.objects.select_for_update().get(pk=file.pk)
    if file.version != version:
        raise ConflictError(EDIT_CONFLICT)
    if file.status not in EDITABLE:
        raise ValidationError("公示中、不予建档或已解困脱困的档案不能修改（解困后情况变化请先“重新申请”）。",
                              code="not_editable")  # fmt: skip
    _check_details(region=region, is_migrant=is_migrant, city_work_since=city_work_since, household=household,
                   main_cause=main_cause, secondary_causes=secondary_causes)  # fmt: skip
    losses, before = _amount(losses or "0", "losses"), file.category
    bank = {"bank_name": bank_name.strip()[:50], "bank_account_enc": "", "bank_account_masked": ""}
    HardshipFile.objects.filter(pk=file.pk).update(
        region=region, year=year, main_cause=main_cause, secondary_causes=list(secondary_causes), accident=accident,
        losses_enc=crypto.encrypt(str(losses)) if losses else "", is_migrant=is_migrant,
        city_work_since=city_work_since, long_term=long_term, version=version + 1,
        **(bank | _bank_columns(bank_name, bank_account)),
    )  # fmt: skip
    file.refresh_from_db()
    _replace_household(file, household)
    _replace_lines(file, incomes or {}, expenses or {})
    _categorise(file)
    audit_record(actor=actor, action="assistance.file_update", obj=file, org=file.org,
                 detail={"version": file.version, "category": file.category, "before": before})  # fmt: skip
    return file


# ----- 审核、公示、建档、解困、重新申请 ------------------------------------------------------------------------


def _notice(actor, file: HardshipFile) -> None:
    person = file.person
    notice_publish(actor=actor, case=file.case, audience="subtree", person_name=person.name, unit=file.org.name,
                   decision=f"拟认定为{file.get_category_display()}职工，建立困难职工档案",
                   days=assistance_policy().notice_days_for(file.org.region_id))  # fmt: skip


@atomic_audited
def file_step(*, actor, file: HardshipFile, to: str, version: int, note: str = "",
              on: dt.date | None = None) -> HardshipFile:  # fmt: skip
    """One step of the file's case: 审核通过并公示 opens the notice; 批准建档 sets the first yearly review;
    解困脱困 records its reason and date (``on``, today by default); 重新申请 clears them."""
    today = timezone.localdate()
    case = case_transition(actor=actor, case=file.case, to=to, note=note, version=version)
    file.refresh_from_db()
    file.case = case
    if to == kinds.NOTICING:
        _notice(actor, file)
    updates = {}
    if to == kinds.APPROVED:
        updates = {"next_review_on": today + dt.timedelta(days=assistance_policy().review_every_days)}
    elif to == kinds.EXITED:
        if on is not None and on > today:
            raise field_error("on", "解困日期不能晚于今天。")
        updates = {"exit_reason": note.strip()[:200], "exited_on": on or today, "next_review_on": None}
    elif to == kinds.SUBMITTED and file.exited_on:
        updates = {"exit_reason": "", "exited_on": None}
    if updates:
        HardshipFile.objects.filter(pk=file.pk).update(**updates)
        file.refresh_from_db()
    audit_record(actor=actor, action="assistance.file_step", obj=file, org=file.org, detail={"to": to})
    return file


# ----- 年度复核 --------------------------------------------------------------------------------------------------


def reviews_open(*, today: dt.date) -> int:
    """The daily job: a yearly review case for every approved file whose review is due and has none open."""
    reviewing = HardshipReview.objects.filter(case__closed_at__isnull=True).values("file_id")
    due = HardshipFile.objects.filter(status=kinds.APPROVED, next_review_on__lte=today).exclude(pk__in=reviewing)
    made = 0
    for file in due:
        with transaction.atomic():
            case = case_open(actor=None, kind=kinds.REVIEW, org=file.org, subject=kinds.REVIEW_SUBJECT)
            HardshipReview.objects.create(file=file, case=case, due_on=file.next_review_on)
            audit_record(actor=None, action="assistance.review_open", obj=file, org=file.org)
            made += 1
    return made


@atomic_audited
def review_decide(*, actor, review: HardshipReview, keep: bool, version: int, note: str = "") -> HardshipReview:
    """复核: 继续帮扶 (the next review a year on) or 解困脱困 (the file exits with the reason, today)."""
    to = kinds.KEPT if keep else kinds.EXITED
    case_transition(actor=actor, case=review.case, to=to, note=note, version=version)
    file = review.file
    if keep:
        next_on = timezone.localdate() + dt.timedelta(days=assistance_policy().review_every_days)
        HardshipFile.objects.filter(pk=file.pk).update(next_review_on=next_on)
    else:
        file_step(actor=actor, file=file, to=kinds.EXITED, version=file.case.version, note=note)
    audit_record(actor=actor, action="assistance.review_decide", obj=file, org=file.org, detail={"keep": keep})
    review.refresh_from_db()
    return review


# ----- 帮扶资金 --------------------------------------------------------------------------------------------------


def _check_period(kind: str, period: str, child: HouseholdMember | None, file: HardshipFile) -> None:
    if kind == AidKind.SCHOOL:
        if child is None or child.file_id != file.pk or child.relation != Relation.CHILD:
            raise field_error("child", "金秋助学须选择本户在学的子女。")
        if not (len(period) == 5 and period[:4].isdigit() and period[4] in "春秋"):
            raise field_error("period", "金秋助学的期间为学期，如“2026秋”。")
    else:
        if child is not None:
            raise field_error("child", "只有金秋助学按子女发放。")
        if not (len(period) == 4 and period.isdigit()):
            raise field_error("period", "帮扶期间为年度，如“2026”。")


@atomic_audited
def aid_pay(*, actor, file: HardshipFile, kind: str, period: str, amount, fund_source: str, paid_on: dt.date,
            received_by: str, child: HouseholdMember | None = None) -> AidPayment:  # fmt: skip
    """发放帮扶资金 to an approved file: once per aid, period (and child), within the yearly cap; two cadres
    clicking at once are stopped by the unique constraint. Booked in the union's ledger in the same transaction
    (50404 困难职工帮扶支出 or 50405 送温暖支出 against 102), so its budget counts it; a closed month refuses both."""
    access.require_write(actor, file.org)
    file = HardshipFile.objects.select_for_update().get(pk=file.pk)
    if file.status != kinds.APPROVED:
        raise ValidationError("只有已建档的困难职工才能发放帮扶资金。", code="not_approved")
    if kind not in AidKind.values:
        raise field_error("kind", "请选择帮扶类型。")
    _check_period(kind, period.strip(), child, file)
    amount = _amount(amount, "amount")
    if amount <= 0:
        raise field_error("amount", "金额应大于 0。")
    if not fund_source.strip() or not received_by.strip():
        raise field_error("fund_source" if not fund_source.strip() else "received_by", "请填写资金来源和领取人。")
    cap = assistance_policy().yearly_caps[kind]
    paid = AidPayment.objects.filter(file=file, kind=kind, paid_on__year=paid_on.year).aggregate(s=Sum("amount"))["s"]
    if (paid or 0) + amount > cap:
        raise field_error("amount", f"{AidKind(kind).label}每户每年不超过 {cap} 元，本年已发放 {paid or 0} 元。")
    try:
        with transaction.atomic():
            payment = AidPayment.objects.create(
                file=file, org=file.org, kind=kind, period=period.strip(), child=child, amount=amount,
                fund_source=fund_source.strip()[:100], paid_on=paid_on, paid_by=acting_user(actor),
                received_by=received_by.strip()[:50],
            )  # fmt: skip
    except IntegrityError:
        raise ValidationError(DOUBLE_PAYMENT, code="double_payment") from None
    # Booked in the paying union's ledger at once (no names in the memo: the file number says whose).
    payment.entry = payment_post(
        actor=actor, org=file.org, date=paid_on, code=AID_ACCOUNTS[kind], amount_fen=int(amount * 100),
        memo=f"{AidKind(kind).label} {payment.period}（困难职工档案 {file.pk}）", source=Entry.Source.AID,
        source_key=f"aid:{payment.pk}",
    )  # fmt: skip
    payment.save(update_fields=["entry"])
    audit_record(actor=actor, action="assistance.aid_pay", obj=payment, org=file.org,
                 detail={"kind": kind, "period": payment.period, "amount": str(amount)})  # fmt: skip
    return payment


# ----- 保存期限 --------------------------------------------------------------------------------------------------


def _erase(ids: list[int]) -> int:
    HouseholdMember.objects.filter(file_id__in=ids).update(health_enc="", monthly_income_enc="")
    IncomeLine.objects.filter(file_id__in=ids).delete()
    RigidExpense.objects.filter(file_id__in=ids).delete()
    return HardshipFile.objects.filter(pk__in=ids).update(
        bank_account_enc="", bank_account_masked="", losses_enc="", erased_on=timezone.localdate()
    )


def exited_files_erase(*, cutoff: dt.datetime, batch_size: int) -> int:
    """Retention (保存期限): the health, income and account data of files that exited before ``cutoff`` are
    erased, in committed batches (the file, its household's names and the aid paid stay as the record)."""
    stale = HardshipFile.objects.filter(status=kinds.EXITED, exited_on__lt=timezone.localdate(cutoff),
                                        erased_on__isnull=True)  # fmt: skip
    return in_batches(stale, _erase, batch_size)
