"""/api/v1/finance: a union's chart of accounts, entries (list, detail, post, reverse), collections of the 2%
funds with their split (list, detail, register), arrears, the reports of a month (工会01, 工会02, trial
balance; ``subtree`` for the consolidated ones), budgets and sharing rules. Amounts are fen (integers)."""

import datetime as dt

from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import ConfigDict

from gonghui.core.api import ERRORS, ErrorOut
from gonghui.core.errors import field_error
from gonghui.core.pagination import Pagination
from gonghui.finance import reports, selectors, services
from gonghui.finance.lists import ASSETS, SPENDINGS
from gonghui.finance.models import Entry, Spending
from gonghui.finance.services import LineIn
from gonghui.members.models import Employer
from gonghui.orgs import access
from gonghui.orgs.models import Org

router = Router(tags=["工会财务"])
CONFLICT = {409: ErrorOut, **ERRORS}


def _org(request, org_id: int | None) -> Org:
    return access.org_or_first(request.auth, org_id)


class AccountOut(Schema):
    code: str
    name: str
    kind: str = Field(description="asset 资产、liability 负债、net_asset 净资产、income 收入、expense 支出")
    side: str = Field(description="余额方向：debit 借、credit 贷")
    own: bool = Field(description="本工会自设的明细科目")


class LineOut(Schema):
    code: str
    debit_fen: int
    credit_fen: int
    earmarked: bool
    party_id: int | None
    counterparty: str | None


class EntryOut(Schema):
    id: int
    org_id: int
    org_name: str
    date: dt.date
    month: dt.date
    memo: str
    source: str = Field(description="manual 手工、collection 经费收缴、reserve 建会筹备金、dues 会费、reversal 冲销")
    reverses_id: int | None

    @staticmethod
    def resolve_org_name(entry):
        return entry.org.name


class EntryDetailOut(EntryOut):
    lines: list[LineOut]
    reversed_by_id: int | None
    collection_id: int | None

    @staticmethod
    def resolve_lines(entry):
        return selectors.lines_of(entry)

    @staticmethod
    def resolve_reversed_by_id(entry):
        return Entry.objects.filter(reverses=entry).values_list("pk", flat=True).first()


class LineBody(Schema):
    model_config = ConfigDict(extra="forbid")
    code: str = Field(max_length=16, description="科目编号（明细科目）")
    debit_fen: int = Field(0, ge=0, le=10**15)
    credit_fen: int = Field(0, ge=0, le=10**15)
    earmarked: bool = Field(False, description="专项资金")
    party_id: int | None = Field(
        None, description="往来工会（131、132、211、212 科目必填：上级或下级工会的编号；135、215 科目可填）"
    )
    counterparty: str = Field(
        "", max_length=100, description="往来单位（135、215 科目可填：非工会的单位名称，与往来工会二选一）"
    )


class EntryIn(Schema):
    model_config = ConfigDict(extra="forbid")
    org_id: int
    date: dt.date
    memo: str = Field(max_length=200)
    lines: list[LineBody] = Field(max_length=50)


class ReasonIn(Schema):
    model_config = ConfigDict(extra="forbid")
    reason: str = Field(max_length=100, description="冲销原因")


class ShareOut(Schema):
    org_id: int
    org_name: str
    level: str
    amount_fen: int

    @staticmethod
    def resolve_org_name(share):
        return share.org.name


class CollectionOut(Schema):
    id: int
    org_id: int
    org_name: str
    employer_name: str
    kind: str = Field(description="funds 工会经费、reserve 建会筹备金")
    month: dt.date
    amount_fen: int
    received_on: dt.date
    route: str = Field(description="direct 工会直接收缴、tax 税务代收")
    reversed: bool

    @staticmethod
    def resolve_org_name(c):
        return c.org.name

    @staticmethod
    def resolve_employer_name(c):
        return c.declaration.employer.name

    @staticmethod
    def resolve_kind(c):
        return c.declaration.kind

    @staticmethod
    def resolve_month(c):
        return c.declaration.month

    @staticmethod
    def resolve_reversed(c):
        return c.reversed_at is not None


class CollectionDetailOut(CollectionOut):
    shares: list[ShareOut]
    entry_ids: list[int] = Field(description="本次收缴在您可见的各级工会生成的凭证")

    @staticmethod
    def resolve_shares(c):
        return selectors.shares_of(c)

    @staticmethod
    def resolve_entry_ids(c):
        return list(Entry.objects.in_scope(c._viewer).filter(collection=c).values_list("pk", flat=True))


class CollectionIn(Schema):
    model_config = ConfigDict(extra="forbid")
    org_id: int = Field(description="收缴工会")
    employer_uscc: str = Field("", max_length=18, description="缴费单位统一社会信用代码；空为收缴工会所在单位")
    month: dt.date = Field(description="所属月份（该月任一天）")
    payroll_fen: int | None = Field(None, ge=1, le=10**15, description="工资总额；该月已申报的可不填")
    amount_fen: int | None = Field(None, ge=1, le=10**15, description="本次缴纳；不填即应缴未缴的全额")
    received_on: dt.date
    route: str = Field("direct", max_length=8)


class FundArrearsOut(Schema):
    id: int
    employer_name: str
    org_name: str
    kind: str
    month: dt.date
    due_fen: int
    collected_fen: int
    arrears_fen: int

    @staticmethod
    def resolve_employer_name(d):
        return d.employer.name

    @staticmethod
    def resolve_org_name(d):
        return d.org.name


class FinanceStatementOut(Schema):
    title: str
    columns: list[str]
    rows: list[tuple[str, list[int | None], bool]] = Field(
        description="（项目、各列金额（分，标题行为空）、是否合计行）"
    )


class TrialRowOut(Schema):
    code: str
    name: str
    opening: int
    debit: int
    credit: int
    closing: int


class ReportsOut(Schema):
    balance_sheet: FinanceStatementOut = Field(description="工会01 资产负债表")
    income_statement: FinanceStatementOut = Field(description="工会02 收入支出表")
    trial_balance: list[TrialRowOut] = Field(description="科目余额表（余额为借方减贷方）")


class BudgetOut(Schema):
    code: str
    name: str
    amount_fen: int
    actual_fen: int
    used_pct: float
    warn: bool
    over: bool
    version: int


class BudgetIn(Schema):
    model_config = ConfigDict(extra="forbid")
    org_id: int
    year: int = Field(ge=2000, le=2100)
    code: str = Field(max_length=16)
    amount_fen: int = Field(ge=0, le=10**15)
    version: int | None = Field(None, description="修改已有预算时原样提交")


class RuleOut(Schema):
    id: int
    province_id: int
    province_name: str
    effective_from: dt.date
    grassroots_bp: int
    county_bp: int
    city_bp: int
    province_bp: int
    national_bp: int
    tax_landing: str

    @staticmethod
    def resolve_province_name(r):
        return r.province.name


class RuleIn(Schema):
    model_config = ConfigDict(extra="forbid")
    province_id: int
    effective_from: dt.date
    shares: dict[str, int] = Field(description="各级分成（万分比）：grassroots、county、city、province、national")
    tax_landing: str = Field("city", max_length=16)
    note: str = Field("", max_length=200)


class AssetOut(Schema):
    id: int
    org_id: int
    name: str
    category: str = Field(description="general 通用设备、special 专用设备、vehicle 车辆、building 房屋及构筑物")
    value_fen: int
    acquired_on: dt.date
    life_months: int
    depreciated_fen: int
    net_fen: int


class AssetIn(Schema):
    model_config = ConfigDict(extra="forbid")
    org_id: int
    name: str = Field(max_length=100)
    category: str = Field(max_length=16)
    value_fen: int = Field(ge=1, le=10**15)
    acquired_on: dt.date
    life_months: int | None = Field(None, ge=12, le=600, description="折旧年限（月）；空为类别默认")


@router.get("/assets", response={200: list[AssetOut], **ERRORS}, summary="固定资产")
@paginate(Pagination)
def assets(request, org_id: int | None = None):
    """本级和下级工会的固定资产：原值、累计折旧和净值。"""
    access.require_cadre(request.auth)
    org = Org.objects.get_for_read(request.auth, org_id) if org_id else None
    return ASSETS.rows(request.auth, {"org": org.pk} if org else {})


@router.post("/assets", response={201: AssetOut, **ERRORS}, summary="登记固定资产")
def asset_acquire(request, payload: AssetIn):
    """达到标准的资产登记为固定资产并记账（资本性支出和资产基金各一笔），每月计提折旧。"""
    org = _org(request, payload.org_id)
    data = payload.dict(exclude={"org_id"})
    return Status(201, services.asset_acquire(actor=request.auth, org=org, **data))


@router.get("/accounts", response={200: list[AccountOut], **ERRORS}, summary="科目表")
def accounts(request, org_id: int | None = None):
    """工会会计制度的科目（基层或县级以上）和本工会自设的明细科目。"""
    return selectors.accounts_of(_org(request, org_id))


@router.get("/entries", response={200: list[EntryOut], **ERRORS}, summary="记账凭证")
@paginate(Pagination)
def entries(request, org_id: int | None = None, month: dt.date | None = None, source: str = ""):
    """授权范围内的凭证，可按工会、月份和来源筛选。"""
    access.require_cadre(request.auth)
    org = Org.objects.get_for_read(request.auth, org_id) if org_id else None
    return selectors.entries_visible_to(request.auth, org=org, month=month.replace(day=1) if month else None,
                                        source=source)  # fmt: skip


@router.get("/entries/{int:entry_id}", response={200: EntryDetailOut, **ERRORS}, summary="凭证详情")
def entry(request, entry_id: int):
    access.require_cadre(request.auth)
    return Entry.objects.get_for_read(request.auth, entry_id)


@router.post("/entries", response={201: EntryDetailOut, **ERRORS}, summary="记账")
def entry_post(request, payload: EntryIn):
    """保存即过账：借贷必须平衡，记到明细科目，所在月份未结账。"""
    org = _org(request, payload.org_id)
    parties = Org.objects.in_bulk({x.party_id for x in payload.lines if x.party_id is not None})
    if any(x.party_id is not None and x.party_id not in parties for x in payload.lines):
        raise field_error("lines", "往来工会不存在。")
    lines = [LineIn(x.code, debit_fen=x.debit_fen, credit_fen=x.credit_fen, earmarked=x.earmarked,
                    party=parties.get(x.party_id), counterparty=x.counterparty.strip())
             for x in payload.lines]  # fmt: skip
    created = services.entry_post(actor=request.auth, org=org, date=payload.date, memo=payload.memo, lines=lines)
    return Status(201, created)


@router.post("/entries/{int:entry_id}/reverse", response={201: EntryDetailOut, **ERRORS}, summary="冲销凭证")
def entry_reverse(request, entry_id: int, payload: ReasonIn):
    """生成借贷相反的冲销凭证；原凭证不变。经费收缴的凭证请整笔冲销收缴。"""
    access.require_cadre(request.auth)
    item = Entry.objects.get_for_read(request.auth, entry_id)
    return Status(201, services.entry_reverse(actor=request.auth, entry=item, reason=payload.reason))


@router.get("/collections", response={200: list[CollectionOut], **ERRORS}, summary="经费收缴")
@paginate(Pagination)
def collections(request, org_id: int | None = None):
    """本级和下级工会的收缴，以及分成到本级的收缴。"""
    access.require_cadre(request.auth)
    org = Org.objects.get_for_read(request.auth, org_id) if org_id else None
    return selectors.collections_visible_to(request.auth, org=org)


def _collection_out(request, collection):
    collection._viewer = request.auth
    return collection


@router.get("/collections/{int:collection_id}", response={200: CollectionDetailOut, **ERRORS}, summary="收缴详情")
def collection(request, collection_id: int):
    """各级分成（合计等于收缴金额）和您可见的各级凭证。"""
    return _collection_out(request, selectors.collection_for_read(request.auth, collection_id))


@router.post("/collections", response={201: CollectionDetailOut, **ERRORS}, summary="登记经费收缴")
def collection_register(request, payload: CollectionIn):
    """申报（如该月尚未申报）并登记到账，按省里的分成比例同时记入各级工会的账。"""
    org = _org(request, payload.org_id)
    employer = None
    if payload.employer_uscc.strip():
        employer = Employer.objects.filter(uscc=payload.employer_uscc.strip().upper()).first()
        if employer is None:
            raise field_error("employer_uscc", "没有这个统一社会信用代码的单位。")
    created = services.collection_register(
        actor=request.auth, org=org, employer=employer, month=payload.month, payroll_fen=payload.payroll_fen,
        amount_fen=payload.amount_fen, received_on=payload.received_on, route=payload.route,
    )  # fmt: skip
    return Status(201, _collection_out(request, created))


@router.get("/arrears", response={200: list[FundArrearsOut], **ERRORS}, summary="欠缴经费")
@paginate(Pagination)
def arrears(request, org_id: int | None = None, kind: str = ""):
    """应缴未缴的工会经费和建会筹备金，按月份和单位。"""
    access.require_cadre(request.auth)
    org = Org.objects.get_for_read(request.auth, org_id) if org_id else None
    return selectors.declarations_visible_to(request.auth, arrears_only=True, org=org, kind=kind)


@router.get("/reports", response={200: ReportsOut, **ERRORS}, summary="财务报表")
def reports_of(request, month: dt.date, org_id: int | None = None, subtree: bool = False):
    """某工会某月的工会01、工会02 和科目余额表；subtree 为汇总本级和下级工会。"""
    org = _org(request, org_id)
    trial = reports.trial_balance(org, month, subtree=subtree)
    return {"balance_sheet": reports.balance_sheet(org, month, subtree=subtree),
            "income_statement": reports.income_statement(org, month, subtree=subtree),
            "trial_balance": [{"code": r.code, "name": r.name, "opening": r.opening, "debit": r.debit,
                               "credit": r.credit, "closing": r.closing} for r in trial.rows]}  # fmt: skip


@router.get("/budgets", response={200: list[BudgetOut], **ERRORS}, summary="预算执行")
def budgets(request, year: int = Query(..., ge=2000, le=2100), org_id: int | None = None):
    """某工会某年度各科目的预算、实际和执行率；warn 接近预算，over 超预算。"""
    org = _org(request, org_id)
    return [{"code": r["budget"].code, "name": r["name"], "amount_fen": r["budget"].amount_fen,
             "actual_fen": r["actual_fen"], "used_pct": r["used_pct"], "warn": r["warn"], "over": r["over"],
             "version": r["budget"].version} for r in selectors.budget_vs_actual(org, year)]  # fmt: skip


@router.post("/budgets", response={200: list[BudgetOut], **CONFLICT}, summary="编制预算")
def budget_set(request, payload: BudgetIn):
    org = _org(request, payload.org_id)
    services.budget_set(actor=request.auth, org=org, year=payload.year, code=payload.code,
                        amount_fen=payload.amount_fen, version=payload.version)  # fmt: skip
    return budgets(request, year=payload.year, org_id=org.pk)


@router.get("/rules", response={200: list[RuleOut], **ERRORS}, summary="经费分成比例")
def rules(request):
    """授权范围内各省的分成比例及其历史。"""
    access.require_cadre(request.auth)
    return list(selectors.rules_visible_to(request.auth))


@router.post("/rules", response={201: RuleOut, **ERRORS}, summary="设置分成比例")
def rule_set(request, payload: RuleIn):
    """省级总工会设置自某月起的分成比例；基层留成不低于 40%，合计 100%。"""
    province = _org(request, payload.province_id)
    created = services.rule_set(actor=request.auth, province=province, effective_from=payload.effective_from,
                                shares=payload.shares, tax_landing=payload.tax_landing, note=payload.note)  # fmt: skip
    return Status(201, created)


class SpendingOut(Schema):
    id: int
    org_id: int
    date: dt.date
    memo: str
    code: str
    amount_fen: int
    purpose: str = Field(description="general 一般支出、festival 节日慰问品、birthday 生日慰问")
    form: str = Field(description="goods 实物、service 活动或服务")
    headcount: int | None
    per_member_fen: int
    status: str = Field(description="pending 待审批、approved 已批准并记账、refused 未获批准、direct 无需审批")
    entry_id: int | None
    case_id: int | None
    case_version: int | None

    @staticmethod
    def resolve_case_version(s):
        return s.case.version if s.case_id else None


class SpendingIn(Schema):
    model_config = ConfigDict(extra="forbid")
    org_id: int
    date: dt.date
    memo: str = Field(max_length=200)
    code: str = Field(max_length=16)
    amount_fen: int = Field(ge=1, le=10**15)
    purpose: str = Field("general", max_length=16)
    form: str = Field("service", max_length=16, description="goods 实物、service 活动或服务；cash、card 一律拒绝")
    headcount: int | None = Field(None, ge=1, le=10_000_000)


class SpendingDecisionIn(Schema):
    model_config = ConfigDict(extra="forbid")
    approve: bool
    version: int = Field(description="审批事项的版本（case_version）")
    note: str = Field("", max_length=500)


@router.get("/spending", response={200: list[SpendingOut], **ERRORS}, summary="经费支出")
@paginate(Pagination)
def spendings(request, org_id: int | None = None, status: str = ""):
    """本级和下级工会的经费支出及其审批状态。"""
    access.require_cadre(request.auth)
    org = Org.objects.get_for_read(request.auth, org_id) if org_id else None
    if status and status not in Spending.Status.values:
        raise field_error("status", "状态无效：pending、approved、refused 或 direct。")
    return SPENDINGS.rows(request.auth, {"org": org.pk if org else None, "status": status})


@router.post("/spending", response={201: SpendingOut, **ERRORS}, summary="登记经费支出")
def spending_submit(request, payload: SpendingIn):
    """审批限额以内直接记账，超过限额提交审批；慰问品按每人每年标准核对，不得为现金或购物卡。"""
    org = _org(request, payload.org_id)
    data = payload.dict(exclude={"org_id"})
    return Status(201, services.spending_submit(actor=request.auth, org=org, **data))


@router.post("/spending/{spending_id}/decide", response={200: SpendingOut, **CONFLICT}, summary="审批经费支出")
def spending_decide(request, spending_id: int, payload: SpendingDecisionIn):
    """批准（并记账）或不予批准（须填意见）；审批人不能是申请人本人。"""
    item = Spending.objects.get_for_write(request.auth, spending_id)
    return services.spending_decide(actor=request.auth, spending=item, approve=payload.approve,
                                    version=payload.version, note=payload.note)  # fmt: skip
