"""/api/v1/assistance: the cadres' hardship files (list, detail with the means test, steps, aid payments) and
the worker's own files. Household data is masked in every response."""

import datetime as dt
from decimal import Decimal

from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import ConfigDict

from gonghui.assistance import selectors, services
from gonghui.assistance.models import HardshipFile
from gonghui.core.api import ERRORS, ErrorOut
from gonghui.core.errors import field_error
from gonghui.core.pagination import Pagination
from gonghui.orgs import access
from gonghui.orgs.models import Region

router = Router(tags=["困难职工帮扶"])
CONFLICT = {409: ErrorOut, **ERRORS}


class FileOut(Schema):
    id: int
    person_name: str = Field(description="困难职工姓名")
    id_number_masked: str = Field(description="身份证号码（脱敏）")
    org_name: str = Field(description="建档工会")
    region_name: str = Field(description="所在县（市、区）")
    category: str = Field(description="困难类别：deep 深度困难、relative 相对困难、accident 意外致困")
    status: str = Field(description="状态")
    status_label: str
    main_cause: str = Field(description="主要致困原因")
    long_term: bool = Field(description="长期帮扶")
    exited_on: dt.date | None = Field(description="解困日期")

    @staticmethod
    def resolve_person_name(file):
        return file.person.name

    @staticmethod
    def resolve_id_number_masked(file):
        return file.person.id_number_masked

    @staticmethod
    def resolve_org_name(file):
        return file.org.name

    @staticmethod
    def resolve_region_name(file):
        return file.region.name

    @staticmethod
    def resolve_status_label(file):
        return file.status_label


class MeansOut(Schema):
    annual_income: Decimal
    rigid_expenses: Decimal
    household_size: int
    per_capita_monthly: Decimal = Field(description="人均月收入（元）")
    allowance: Decimal = Field(description="当地低保标准（元/人·月）")
    category: str
    rule: str = Field(description="核算依据")


class HouseholdMemberOut(Schema):
    id: int
    relation: str
    name: str
    id_number_masked: str
    schooling: str
    work: str


class AidPaymentOut(Schema):
    id: int
    kind: str
    period: str
    amount: Decimal
    fund_source: str
    paid_on: dt.date
    received_by: str


class FileDetailOut(FileOut):
    version: int = Field(description="档案版本，修改时原样提交")
    bank_account_masked: str
    elsewhere: bool = Field(description="在其他工会有困难档案")
    case_version: int = Field(description="事项版本，办理时原样提交")
    means: MeansOut | None
    household: list[HouseholdMemberOut]
    payments: list[AidPaymentOut]

    @staticmethod
    def resolve_case_version(file):
        return file.case.version

    @staticmethod
    def resolve_payments(file):
        return list(selectors.payments_of(file))


class StepIn(Schema):
    model_config = ConfigDict(extra="forbid")
    to: str = Field(max_length=32, description="目标状态")
    version: int
    note: str = Field("", max_length=200, description="理由或说明（退回、不予建档、解困须填写）")
    on: dt.date | None = Field(None, description="解困日期")


class PayIn(Schema):
    model_config = ConfigDict(extra="forbid")
    kind: str = Field(max_length=16, description="living 生活救助、medical 医疗救助、school 金秋助学、winter 送温暖")
    period: str = Field(max_length=16, description="年度如 2026；金秋助学为学期，如 2026秋")
    amount: Decimal = Field(max_digits=10, decimal_places=2)
    fund_source: str = Field(max_length=100)
    paid_on: dt.date
    received_by: str = Field(max_length=50)
    child_id: int | None = Field(None, description="金秋助学的受助子女（家庭成员 id）")


class HouseholdMemberIn(Schema):
    model_config = ConfigDict(extra="forbid")
    id: int | None = Field(None, description="已有成员的 id；新成员不填，不再列出的成员将被删除")
    relation: str = Field(max_length=8, description="self 本人、spouse 配偶、child 子女、parent 父母、other 其他")
    name: str = Field(max_length=50)
    id_number: str = Field("", max_length=18, description="身份证号码；已有成员不改可不填")
    health: str = Field("", max_length=100)
    schooling: str = Field("", max_length=16)
    work: str = Field("", max_length=50)
    monthly_income: Decimal = Field(Decimal(0), max_digits=10, decimal_places=2, ge=0, description="月收入（元）")


class FileUpdateIn(Schema):
    model_config = ConfigDict(extra="forbid")
    version: int = Field(description="读取时的档案版本；他人已保存则返回 409")
    region_code: str = Field(max_length=6, description="家庭所在县（市、区）区划代码")
    year: int = Field(ge=2000, le=2100, description="核算年度")
    household: list[HouseholdMemberIn] = Field(max_length=12, description="全部家庭成员（含本人）")
    main_cause: str = Field(max_length=16)
    secondary_causes: list[str] = Field(default_factory=list, max_length=9)
    incomes: dict[str, Decimal] = Field(default_factory=dict, description="其他家庭收入（元/年），按类别")
    expenses: dict[str, Decimal] = Field(default_factory=dict, description="刚性支出（元/年），按类别")
    accident: str = Field("", max_length=8)
    losses: Decimal = Field(Decimal(0), max_digits=12, decimal_places=2, ge=0)
    is_migrant: bool = False
    city_work_since: dt.date | None = None
    long_term: bool = False
    bank_name: str = Field("", max_length=50)
    bank_account: str = Field("", max_length=23, description="帮扶资金账户；留空即删除")


def _detail(file: HardshipFile) -> HardshipFile:
    file.means = None if file.erased_on else services.file_means(file)
    file.elsewhere = selectors.elsewhere(file)
    return file


@router.get("/files", response={200: list[FileOut], **ERRORS}, summary="困难职工档案")
@paginate(Pagination)
def files(request, status: str = "", category: str = ""):
    """授权范围内的困难职工档案（身份证号码脱敏），可按状态和困难类别筛选。"""
    access.require_cadre(request.auth)
    return selectors.files_visible_to(request.auth, status=status, category=category)


@router.get("/files/{int:file_id}", response={200: FileDetailOut, **ERRORS}, summary="困难职工档案详情")
def file_detail(request, file_id: int):
    """家庭经济状况核算（数字和依据）、家庭成员（脱敏）、帮扶资金发放，以及是否在其他工会有档案。"""
    access.require_cadre(request.auth)
    return _detail(selectors.file_for_read(request.auth, file_id))


@router.post("/files/{int:file_id}/step", response={200: FileDetailOut, **CONFLICT}, summary="办理档案")
def file_step(request, file_id: int, payload: StepIn):
    """审核通过并公示、退回补充、不予建档、批准建档、解困脱困、重新提交或重新申请。"""
    access.require_cadre(request.auth)
    file = selectors.file_for_read(request.auth, file_id)
    file = services.file_step(actor=request.auth, file=file, to=payload.to, version=payload.version,
                              note=payload.note, on=payload.on)  # fmt: skip
    return _detail(file)


@router.put("/files/{int:file_id}", response={200: FileDetailOut, **CONFLICT}, summary="修改困难职工档案")
def file_update(request, file_id: int, payload: FileUpdateIn):
    """按提交的内容替换家庭成员、收入、支出、致困原因和账户，并重新核算；版本不符返回 409，不再符合条件返回 400。"""
    access.require_cadre(request.auth)
    file = selectors.file_for_read(request.auth, file_id)
    region = Region.objects.filter(code=payload.region_code).first()
    if region is None:
        raise field_error("region_code", "区划代码不存在。")
    data = payload.dict(exclude={"region_code", "household"})
    household = [m.dict(exclude={"id"}) | {"pk": m.id} for m in payload.household]
    return _detail(services.file_update(actor=request.auth, file=file, region=region, household=household, **data))


@router.post("/files/{int:file_id}/payments", response={201: AidPaymentOut, **CONFLICT}, summary="发放帮扶资金")
def pay(request, file_id: int, payload: PayIn):
    """同一户同一帮扶类型同一期间只能发放一次；每年不超过政策上限。"""
    access.require_cadre(request.auth)
    file = selectors.file_for_read(request.auth, file_id)
    child = file.household.filter(pk=payload.child_id).first() if payload.child_id else None
    data = payload.dict(exclude={"child_id"})
    return Status(201, services.aid_pay(actor=request.auth, file=file, child=child, **data))


@router.get("/mine", response={200: list[FileOut], **ERRORS}, summary="我的困难职工档案")
def mine(request):
    """本人的困难职工档案及其状态。"""
    return list(selectors.own_files(request.auth).select_related("person", "region"))
