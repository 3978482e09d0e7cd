"""/api/v1/fundreview: the review plans and the findings with their rectification, read-only, in the caller's
scope (a cadre sees their own subtree)."""

import datetime as dt

from ninja import Field, Router, Schema
from ninja.pagination import paginate

from gonghui.core.api import ERRORS
from gonghui.core.pagination import Pagination
from gonghui.fundreview import selectors
from gonghui.fundreview.models import Finding
from gonghui.orgs import access
from gonghui.orgs.models import Org

router = Router(tags=["经费审查"])


class ReviewPlanOut(Schema):
    id: int
    org_id: int
    org_name: str
    year: int
    scope: str = Field(description="budget 预算执行、final 决算、special 专项审计、departure 离任审计、assets 资产管理")
    title: str
    planned_on: dt.date
    status: str = Field(description="planned 计划中、done 已完成")
    done_on: dt.date | None
    conclusion: str
    finding_total: int
    open_total: int

    @staticmethod
    def resolve_org_name(plan):
        return plan.org.name


class ReviewFindingOut(Schema):
    id: int
    plan_id: int
    org_id: int
    org_name: str
    title: str
    severity: str = Field(description="minor 一般、major 较重、serious 严重")
    amount_fen: int = Field(description="涉及金额，单位：分")
    code: str
    requirement: str
    deadline: dt.date
    status: str = Field(description="rectifying 整改中、responded 已报整改情况、closed 已销号")
    response: str
    closed_on: dt.date | None

    @staticmethod
    def resolve_org_name(finding):
        return finding.org.name


def _org(request, org_id: int | None) -> Org | None:
    return Org.objects.get_for_read(request.auth, org_id) if org_id else None


@router.get("/plans", response={200: list[ReviewPlanOut], **ERRORS}, summary="审查计划")
@paginate(Pagination)
def plans(request, org_id: int | None = None, year: int | None = None):
    """授权范围内（或 org_id 及其下级）的审查计划，按年度倒序。"""
    access.require_cadre(request.auth)
    return selectors.plans_visible_to(request.auth, org=_org(request, org_id), year=year)


@router.get("/findings", response={200: list[ReviewFindingOut], **ERRORS}, summary="审查发现的问题与整改")
@paginate(Pagination)
def findings(request, org_id: int | None = None, status: str = "", overdue: bool = False):
    """授权范围内审查发现的问题及整改状态；status 为 open（未销号）或某一整改状态，overdue 只看逾期未销号的。"""
    access.require_cadre(request.auth)
    if status and status != "open" and status not in Finding.Status.values:
        status = "none"
    return selectors.findings_visible_to(request.auth, org=_org(request, org_id), status=status, overdue=overdue)
