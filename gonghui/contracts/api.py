"""/api/v1/contracts: the collective contracts in the caller's scope, one contract, a new contract (or
renewal), and the coverage of a subtree."""

import datetime as dt
from decimal import Decimal

from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from gonghui.contracts import selectors, services
from gonghui.core.api import ERRORS
from gonghui.core.pagination import Pagination
from gonghui.orgs import access
from gonghui.orgs.models import Org

router = Router(tags=["集体合同"])


class ContractOut(Schema):
    id: int
    org_id: int
    org_name: str
    level: str = Field(description="enterprise 企业、sector 行业性、region 区域性")
    kind: str = Field(description="comprehensive 综合、wage 工资专项、women 女职工权益保护专项、safety 安全生产专项")
    title: str
    employer_party: str
    employers_covered: int
    workers_covered: int
    term_years: int
    status: str = Field(
        description="drafted 协商起草、adopted 职代会已通过、signed 已签订待报送、filed 已报送审查、"
        "effective 生效、lapsed 期满未续订、renewed 已续订、expired 已终止"
    )
    signed_on: dt.date | None
    filing_due: dt.date | None
    filed_on: dt.date | None
    effective_on: dt.date | None
    expires_on: dt.date | None
    renews_id: int | None

    @staticmethod
    def resolve_org_name(contract):
        return contract.org.name


class ContractDetailOut(ContractOut):
    union_party: str
    union_rep: str
    employer_rep: str
    wage_increase_pct: Decimal | None
    minimum_wage: Decimal | None
    adopted_by: str
    adopted_on: dt.date | None
    voters_total: int | None
    voters_present: int | None
    votes_for: int | None
    filed_with: str
    objection_until: dt.date | None
    renewal_from: dt.date | None
    ended_on: dt.date | None
    end_reason: str
    has_text: bool

    @staticmethod
    def resolve_has_text(contract):
        return bool(contract.text_file)


class ContractIn(Schema):
    org_id: int
    level: str
    kind: str
    title: str = Field(max_length=150)
    union_party: str = Field(max_length=150)
    union_rep: str = Field(max_length=50)
    employer_party: str = Field(max_length=150)
    employer_rep: str = Field(max_length=50)
    employers_covered: int = 1
    workers_covered: int
    term_years: int
    wage_increase_pct: Decimal | None = None
    minimum_wage: Decimal | None = None
    renews_id: int | None = Field(None, description="续订的合同")


class KindCoverageOut(Schema):
    label: str
    effective: int
    employers: int
    workers: int
    expiring: int = Field(description="3 个月内期满")
    lapsed: int = Field(description="期满未续订")
    filing_overdue: int = Field(description="签订后逾期未报送")


class CoverageOut(Schema):
    org_id: int
    org_name: str
    kinds: list[KindCoverageOut]
    total: KindCoverageOut


@router.get("", response={200: list[ContractOut], **ERRORS}, summary="集体合同")
@paginate(Pagination)
def contracts(request, kind: str = "", status: str = "", level: str = "", q: str = ""):
    """授权范围内的集体合同；status 另可为 expiring（3 个月内期满）、filing_overdue（逾期未报送）。"""
    access.require_cadre(request.auth)
    return selectors.contracts_visible_to(request.auth, kind=kind, status=status, level=level, q=q)


@router.get("/coverage", response={200: CoverageOut, **ERRORS}, summary="集体合同覆盖情况")
def coverage(request, org_id: int | None = None):
    """某工会（默认本人授权的第一个工会）及下级工会的集体合同覆盖企业、职工，3 个月内期满和期满未续订的合同，按种类。"""
    org = access.org_or_first(request.auth, org_id or None)
    result = selectors.coverage_for(request.auth, org)
    return {"org_id": org.pk, "org_name": org.name, "kinds": result.kinds, "total": result.total}


@router.get("/{int:contract_id}", response={200: ContractDetailOut, **ERRORS}, summary="集体合同详情")
def contract(request, contract_id: int):
    return selectors.contract_for_read(request.auth, contract_id)


@router.post("", response={201: ContractDetailOut, **ERRORS}, summary="登记集体合同")
def contract_create(request, payload: ContractIn):
    """在有写权限的工会登记集体合同草案（或续订合同）；之后在页面上记录职代会审议、签订和报送审查。"""
    access.require_cadre(request.auth)
    org = Org.objects.get_for_read(request.auth, payload.org_id)
    renews = selectors.contract_for_read(request.auth, payload.renews_id) if payload.renews_id else None
    data = payload.dict(exclude={"org_id", "renews_id"})
    return Status(201, services.contract_create(actor=request.auth, org=org, renews=renews, **data))
