"""Writes of collective contracts: register a draft (or a renewal), record the workers' congress vote, the
signing, the filing with the labour department, an objection from it; end a contract; attach its text. The
dated steps (effective when the objection window passes, lapsed when the term ends unrenewed, renewed when the
successor takes effect) happen in ``settle``, run at once for a past date and by the daily job
(docs/decisions/0025-collective-contracts.md). Every write checks the actor and is audited."""

import datetime as dt
import hashlib
from decimal import Decimal
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from gonghui.accounts.models import Grant
from gonghui.contracts import terms
from gonghui.contracts.models import AdoptedBy, Contract, ContractStep, Kind, Level, Status
from gonghui.core import files
from gonghui.core.audit import atomic_audited, audit_record
from gonghui.core.errors import field_error
from gonghui.core.uploads import check_document
from gonghui.core.workdays import is_workday
from gonghui.messages.services import notify
from gonghui.orgs import access
from gonghui.orgs.models import Org, OrgType

ENTERPRISE_ORGS = {OrgType.GRASSROOTS, OrgType.JOINT_GRASSROOTS}
# 集体合同规定 art. 56: sector and regional contracts are signed at county level and below.
AREA_ORGS = {OrgType.COUNTY, OrgType.TOWNSHIP, OrgType.INDUSTRY, OrgType.REGIONAL_FEDERATION, OrgType.SECTOR_FEDERATION}
LIVE = {Status.DRAFTED, Status.ADOPTED, Status.SIGNED, Status.FILED, Status.EFFECTIVE}
TEXT_KINDS = {"pdf", "png", "jpg"}  # the kinds core.uploads.check_document names


def _today(today: dt.date | None) -> dt.date:
    return today or timezone.localdate()


def _step(contract: Contract, to: str, on: dt.date, note: str = "") -> None:
    ContractStep.objects.create(contract=contract, on=on, from_status=contract.status, to_status=to, note=note[:300])
    contract.status = to


def _locked(contract: Contract, expected: set[str], message: str) -> Contract:
    locked = Contract.objects.select_for_update().select_related("org").get(pk=contract.pk)
    if locked.status not in expected:
        raise field_error("status", f"合同当前状态为“{locked.get_status_display()}”，{message}")
    return locked


def _not_future(field: str, day: dt.date, label: str, today: dt.date) -> None:
    if day > today:
        raise field_error(field, f"{label}不能晚于今天。")


def _save(contract: Contract, *fields: str) -> None:
    contract.version += 1
    contract.save(update_fields=[*fields, "status", "version"])


# ----- the draft ------------------------------------------------------------------------------------------------


def _check_parties(
    *,
    org: Org,
    level: str,
    kind: str,
    title: str,
    union_party: str,
    union_rep: str,
    employer_party: str,
    employer_rep: str,
    employers_covered: int,
    workers_covered: int,
    term_years: int,
    wage_increase_pct,
    minimum_wage,
) -> None:
    if level not in Level.values:
        raise field_error("level", "请选择合同层级。")
    if kind not in Kind.values:
        raise field_error("kind", "请选择合同种类。")
    if level == Level.ENTERPRISE and org.org_type not in ENTERPRISE_ORGS:
        raise field_error("org", "企业集体合同由企业（联合）基层工会签订，请选择基层工会。")
    if level != Level.ENTERPRISE and org.org_type not in AREA_ORGS:
        raise field_error("org", "行业性、区域性集体合同由县级以下的地方工会、产业工会或行业性、区域性工会联合会签订。")
    for field, value, label in (
        ("title", title, "合同名称"),
        ("union_party", union_party, "工会方"),
        ("union_rep", union_rep, "工会方首席代表"),
        ("employer_party", employer_party, "企业方"),
        ("employer_rep", employer_rep, "企业方首席代表"),
    ):
        if not (value or "").strip():
            raise field_error(field, f"请填写{label}。")
    if employers_covered < 1:
        raise field_error("employers_covered", "覆盖企业数至少为 1。")
    if level == Level.ENTERPRISE and employers_covered != 1:
        raise field_error("employers_covered", "企业集体合同覆盖 1 家企业；多家企业请签订行业性或区域性集体合同。")
    if workers_covered < 1:
        raise field_error("workers_covered", "覆盖职工人数至少为 1。")
    try:
        terms.check_term(term_years)
    except ValueError as error:
        raise field_error("term_years", str(error)) from None
    if kind == Kind.WAGE:
        if wage_increase_pct is None:
            raise field_error("wage_increase_pct", "工资专项集体合同须写明约定的工资增长幅度。")
        if not Decimal("-50") <= Decimal(wage_increase_pct) <= Decimal("100"):
            raise field_error("wage_increase_pct", "工资增长幅度应在 -50% 至 100% 之间。")
        if minimum_wage is None or Decimal(minimum_wage) <= 0:
            raise field_error("minimum_wage", "工资专项集体合同须写明本单位（行业、区域）的最低工资标准。")
    elif wage_increase_pct is not None or minimum_wage is not None:
        raise field_error("wage_increase_pct", "工资增长幅度和最低工资标准只属于工资专项集体合同。")


@atomic_audited
def contract_create(
    *,
    actor,
    org: Org,
    level: str,
    kind: str,
    title: str,
    union_party: str,
    union_rep: str,
    employer_party: str,
    employer_rep: str,
    workers_covered: int,
    term_years: int,
    employers_covered: int = 1,
    wage_increase_pct: Decimal | None = None,
    minimum_wage: Decimal | None = None,
    renews: Contract | None = None,
) -> Contract:
    """登记集体合同草案 for ``org`` (a write role on it); a renewal names the contract it follows (same union and
    kind, in effect or lapsed, not already being renewed)."""
    access.require_write(actor, org)
    fields = {
        "title": title,
        "union_party": union_party,
        "union_rep": union_rep,
        "employer_party": employer_party,
        "employer_rep": employer_rep,
    }
    _check_parties(
        org=org,
        level=level,
        kind=kind,
        employers_covered=employers_covered,
        workers_covered=workers_covered,
        term_years=term_years,
        wage_increase_pct=wage_increase_pct,
        minimum_wage=minimum_wage,
        **fields,
    )
    if renews is not None:
        renews = Contract.objects.select_for_update().get(pk=renews.pk)
        if renews.org_id != org.pk or renews.kind != kind:
            raise field_error("renews", "续订的合同须由同一工会签订、种类相同。")
        if renews.status not in {Status.EFFECTIVE, Status.LAPSED}:
            raise field_error("renews", "只有生效中或期满未续订的合同可以续订。")
        if renews.renewals.filter(status__in=LIVE).exists():
            raise field_error("renews", "这份合同已有正在办理的续订合同。")
    contract = Contract.objects.create(
        org=org,
        level=level,
        kind=kind,
        employers_covered=employers_covered,
        workers_covered=workers_covered,
        term_years=term_years,
        wage_increase_pct=wage_increase_pct if kind == Kind.WAGE else None,
        minimum_wage=minimum_wage if kind == Kind.WAGE else None,
        renews=renews,
        **{k: v.strip() for k, v in fields.items()},
    )
    ContractStep.objects.create(
        contract=contract,
        on=timezone.localdate(),
        to_status=Status.DRAFTED,
        note=f"续订《{renews.title}》" if renews else "",
    )
    audit_record(
        actor=actor,
        action="contracts.contract_create",
        obj=contract,
        org=org,
        detail={"kind": kind, "level": level, "renews": renews.pk if renews else None},
    )
    return contract


# ----- the steps ------------------------------------------------------------------------------------------------


@atomic_audited
def contract_adopt(
    *,
    actor,
    contract: Contract,
    adopted_by: str,
    adopted_on: dt.date,
    voters_total: int,
    voters_present: int,
    votes_for: int,
    votes_against: int = 0,
    votes_abstain: int = 0,
    today: dt.date | None = None,
) -> Contract:
    """职代会审议通过: the vote is recorded only when it adopts the draft (two thirds present, more than half of
    all in favour; 集体合同规定 art. 36)."""
    access.require_write(actor, contract.org)
    contract = _locked(contract, {Status.DRAFTED}, "不能再审议。")
    if adopted_by not in AdoptedBy.values:
        raise field_error("adopted_by", "请选择审议方式。")
    _not_future("adopted_on", adopted_on, "审议日期", _today(today))
    problem = terms.adoption_problem(
        total=voters_total, present=voters_present, votes_for=votes_for, against=votes_against, abstain=votes_abstain
    )
    if problem:
        raise field_error("votes_for", problem)
    contract.adopted_by, contract.adopted_on = adopted_by, adopted_on
    contract.voters_total, contract.voters_present = voters_total, voters_present
    contract.votes_for, contract.votes_against, contract.votes_abstain = votes_for, votes_against, votes_abstain
    _step(
        contract,
        Status.ADOPTED,
        adopted_on,
        f"{AdoptedBy(adopted_by).label}应到 {voters_total} 人，实到 {voters_present} 人，赞成 {votes_for} 票",
    )
    _save(
        contract,
        "adopted_by",
        "adopted_on",
        "voters_total",
        "voters_present",
        "votes_for",
        "votes_against",
        "votes_abstain",
    )
    audit_record(
        actor=actor,
        action="contracts.contract_adopt",
        obj=contract,
        org=contract.org,
        detail={"present": voters_present, "for": votes_for},
    )
    return contract


@atomic_audited
def contract_sign(*, actor, contract: Contract, signed_on: dt.date, today: dt.date | None = None) -> Contract:
    """签订: on or after the adoption; the filing is due 10 days later."""
    access.require_write(actor, contract.org)
    contract = _locked(contract, {Status.ADOPTED}, "须先经职工代表大会审议通过才能签订。")
    _not_future("signed_on", signed_on, "签订日期", _today(today))
    if signed_on < contract.adopted_on:
        raise field_error("signed_on", "签订日期不能早于职工代表大会审议通过的日期。")
    contract.signed_on, contract.filing_due = signed_on, terms.filing_due(signed_on, is_workday)
    _step(contract, Status.SIGNED, signed_on, f"应于 {contract.filing_due:%Y年%m月%d日} 前报送劳动保障行政部门")
    _save(contract, "signed_on", "filing_due")
    audit_record(actor=actor, action="contracts.contract_sign", obj=contract, org=contract.org)
    return contract


@atomic_audited
def contract_file(
    *, actor, contract: Contract, filed_on: dt.date, filed_with: str, today: dt.date | None = None
) -> Contract:
    """报送审查: the day the labour department received the text; with no objection in 15 days the contract takes
    effect (at once here when that day has passed). A late filing is recorded as such."""
    access.require_write(actor, contract.org)
    today = _today(today)
    contract = _locked(contract, {Status.SIGNED}, "只有已签订的合同可以报送。")
    if not (filed_with or "").strip():
        raise field_error("filed_with", "请填写审查的劳动保障行政部门。")
    _not_future("filed_on", filed_on, "报送日期", today)
    if filed_on < contract.signed_on:
        raise field_error("filed_on", "报送日期不能早于签订日期。")
    late = filed_on > contract.filing_due
    contract.filed_on, contract.filed_with = filed_on, filed_with.strip()
    contract.objection_until = terms.objection_until(filed_on, is_workday)
    contract.effective_on = terms.effective_on(filed_on, is_workday)
    contract.expires_on = terms.expires_on(contract.effective_on, contract.term_years)
    contract.renewal_from = terms.renewal_from(contract.expires_on)
    note = f"审查异议期至 {contract.objection_until:%Y年%m月%d日}" + ("（逾期报送）" if late else "")
    _step(contract, Status.FILED, filed_on, note)
    _save(contract, "filed_on", "filed_with", "objection_until", "effective_on", "expires_on", "renewal_from")
    audit_record(actor=actor, action="contracts.contract_file", obj=contract, org=contract.org, detail={"late": late})
    _settle(contract, today)
    return contract


@atomic_audited
def contract_objection(
    *, actor, contract: Contract, received_on: dt.date, note: str, today: dt.date | None = None
) -> Contract:
    """审查意见: the labour department objected within the window; the parties negotiate again, the workers'
    congress votes again and the contract is signed and filed again (art. 46), so it returns to the draft."""
    access.require_write(actor, contract.org)
    contract = _locked(contract, {Status.FILED}, "只有报送审查中的合同可以登记审查意见。")
    if not (note or "").strip():
        raise field_error("note", "请填写劳动保障行政部门的审查意见。")
    _not_future("received_on", received_on, "收到审查意见的日期", _today(today))
    if not contract.filed_on <= received_on <= contract.objection_until:
        raise field_error(
            "received_on",
            f"审查意见须在审查异议期内（{contract.filed_on:%Y-%m-%d} 至 {contract.objection_until:%Y-%m-%d}）提出。",
        )
    cleared = (
        "adopted_by",
        "adopted_on",
        "voters_total",
        "voters_present",
        "votes_for",
        "votes_against",
        "votes_abstain",
        "signed_on",
        "filing_due",
        "filed_on",
        "filed_with",
        "objection_until",
        "effective_on",
        "expires_on",
        "renewal_from",
    )
    for field in cleared:
        setattr(contract, field, "" if field in {"adopted_by", "filed_with"} else None)
    _step(contract, Status.DRAFTED, received_on, f"审查意见：{note.strip()}")
    _save(contract, *cleared)
    audit_record(actor=actor, action="contracts.contract_objection", obj=contract, org=contract.org)
    return contract


@atomic_audited
def contract_end(
    *, actor, contract: Contract, ended_on: dt.date, reason: str, today: dt.date | None = None
) -> Contract:
    """终止: a contract in effect ended before its term (the employer closed, a sector contract replaces it…), or
    a lapsed one closed with the reason it will not be renewed. It no longer counts as lapsed."""
    access.require_write(actor, contract.org)
    contract = _locked(contract, {Status.EFFECTIVE, Status.LAPSED}, "不能终止。")
    if not (reason or "").strip():
        raise field_error("reason", "请填写终止原因。")
    _not_future("ended_on", ended_on, "终止日期", _today(today))
    if ended_on < contract.effective_on:
        raise field_error("ended_on", "终止日期不能早于生效日期。")
    contract.ended_on, contract.end_reason = ended_on, reason.strip()[:200]
    _step(contract, Status.EXPIRED, ended_on, reason)
    _save(contract, "ended_on", "end_reason")
    audit_record(actor=actor, action="contracts.contract_end", obj=contract, org=contract.org)
    return contract


@atomic_audited
def text_attach(*, actor, contract: Contract, file, file_name: str) -> Contract:
    """合同文本: the signed text as a PDF or a scan (checked by content), stored encrypted; it replaces the
    previous one, which is deleted once the change is committed."""
    access.require_write(actor, contract.org)
    contract = Contract.objects.select_for_update().select_related("org").get(pk=contract.pk)
    try:
        checked = check_document(file)
    except ValidationError as error:
        raise field_error("file", error.messages[0], code=error.code or "invalid") from None
    if checked.kind not in TEXT_KINDS:
        raise field_error("file", "合同文本请上传 PDF 文件或 PNG、JPEG 扫描件。")
    relative = files.new_relative(Path("contracts") / str(contract.pk), checked.kind)
    digest = hashlib.sha256()
    with files.create(relative) as out:
        while chunk := file.read(1024 * 1024):
            digest.update(chunk)
            out.write(chunk)
    transaction.on_commit(lambda old=contract.text_file: files.remove(old) if old else None)
    contract.text_file, contract.text_name = str(relative), Path(file_name).name[:200]
    contract.version += 1
    contract.save(update_fields=["text_file", "text_name", "version"])
    audit_record(
        actor=actor,
        action="contracts.text_attach",
        obj=contract,
        org=contract.org,
        detail={"kind": checked.kind, "sha256": digest.hexdigest()},
    )
    return contract


# ----- the dated steps and the daily jobs -----------------------------------------------------------------------


def _settle(contract: Contract, today: dt.date) -> bool:
    """The steps that dates make for one (locked) contract: filed → effective once the objection window has
    passed (its predecessor then renewed); effective → lapsed after the expiry unless a renewal is in effect
    (then renewed). True when it changed."""
    changed = False
    if contract.status == Status.FILED and contract.effective_on <= today:
        _step(contract, Status.EFFECTIVE, contract.effective_on, "审查异议期内未收到异议，合同生效")
        _save(contract)
        changed = True
        if contract.renews_id:
            before = Contract.objects.select_for_update().get(pk=contract.renews_id)
            if before.status in {Status.EFFECTIVE, Status.LAPSED}:
                _step(before, Status.RENEWED, contract.effective_on, f"由《{contract.title}》续订")
                _save(before)
    if contract.status == Status.EFFECTIVE and terms.lapsed(contract.expires_on, today):
        _step(contract, Status.LAPSED, contract.expires_on + dt.timedelta(days=1), "期满未续订")
        _save(contract)
        changed = True
    return changed


def contracts_settle(*, today: dt.date) -> int:
    """Daily job: contracts whose objection window passed take effect, those whose term ended lapse."""
    due = Contract.objects.filter(status=Status.FILED, effective_on__lte=today).values_list("pk", flat=True)
    ended = Contract.objects.filter(status=Status.EFFECTIVE, expires_on__lt=today).values_list("pk", flat=True)
    changed = 0
    for pk in [*due, *ended]:  # the renewals first: a predecessor they renew is then no longer lapsing
        with transaction.atomic():
            contract = Contract.objects.select_for_update().get(pk=pk)
            changed += _settle(contract, today)
    return changed


def cadres_to_tell(org: Org) -> list:
    """The union's own staff and admins; with none, those of the nearest union above that has some."""
    for path in [org.path, *reversed(org.ancestor_paths())]:
        users = [
            g.user
            for g in Grant.objects.filter(
                org__path=path, role__in=access.WRITE_ROLES, user__is_active=True
            ).select_related("user")
        ]
        if users:
            return users
    return []


def renewals_remind(*, today: dt.date) -> int:
    """Daily job: once per contract, from 3 months before the expiry, the union's cadres are told to start
    negotiating the renewal (unless one is already being made)."""
    rows = (
        Contract.objects.filter(
            status=Status.EFFECTIVE, renewal_from__lte=today, expires_on__gte=today, reminded_on__isnull=True
        )
        .exclude(renewals__status__in=LIVE)
        .select_related("org")
    )
    told = 0
    for contract in rows:
        with transaction.atomic():
            if not Contract.objects.filter(pk=contract.pk, reminded_on__isnull=True).update(reminded_on=today):
                continue
            context = {
                "org": contract.org.name,
                "title": contract.title,
                "expires": f"{contract.expires_on:%Y年%m月%d日}",
            }
            for user in cadres_to_tell(contract.org):
                notify(
                    user=user,
                    event="contracts.renewal_due",
                    context=context,
                    link=reverse("contracts:detail", args=[contract.pk]),
                )
            told += 1
    return told
