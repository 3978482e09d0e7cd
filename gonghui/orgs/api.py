"""/api/v1/orgs: administrative regions and the union tree, always within the caller's scope."""

import datetime as dt
from typing import Literal

from django.http import Http404
from ninja import Field, Query, Router, Schema, Status
from pydantic import ConfigDict

from gonghui.core.api import ERRORS, ErrorOut
from gonghui.core.errors import field_error, parsed
from gonghui.core.identifiers import parse_uscc
from gonghui.core.pagination import Pagination
from gonghui.members.services import EmployerNamed, employer_close
from gonghui.orgs import access, selectors, services
from gonghui.orgs.models import Org, OrgType, Region

router = Router(tags=["组织"])


# ----- input helpers shared with the members API -------------------------------------------------------------


def region_from(field: str, code: str) -> Region:
    region = selectors.region_by_code(code)
    if region is None:
        raise field_error(field, f"行政区划代码 {code} 不存在。")
    return region


def employer_from(name: str | None, uscc: str | None, region: Region | None = None) -> EmployerNamed:
    """The employer named by ``employer_name`` / ``employer_uscc``, for the service to find or create."""
    code = parsed("employer_uscc", parse_uscc, uscc) if (uscc or "").strip() else ""
    return EmployerNamed(name=(name or "").strip(), uscc=code, region=region)


# ----- output ------------------------------------------------------------------------------------------------


class RegionOut(Schema):
    code: str = Field(description="区划代码（GB/T 2260，乡级为 9 位统计用区划代码）")
    name: str = Field(description="名称")
    level: int = Field(description="级别：1 省级，2 地级，3 县级，4 乡级")
    level_label: str = Field(alias="get_level_display", description="级别名称")


class OrgRefOut(Schema):
    id: int = Field(description="组织 ID")
    name: str = Field(description="名称")


class OrgOut(Schema):
    """An org; ``subtree_member_count`` is the running total kept on its row (orgs.counts)."""

    id: int = Field(description="组织 ID")
    name: str = Field(description="名称")
    org_type: OrgType = Field(description="组织类型")
    org_type_label: str = Field(alias="get_org_type_display", description="组织类型名称")
    region: RegionOut = Field(description="所在地区")
    status: Org.Status = Field(description="状态：筹建、正常、撤销")
    status_label: str = Field(alias="get_status_display", description="状态名称")
    parent: OrgRefOut | None = Field(description="上级工会（不在授权范围内时为空）")
    depth: int = Field(description="层级，全总为 0")
    member_count: int = Field(description="直属会员数")
    subtree_member_count: int = Field(description="含全部下级组织的会员数")
    version: int = Field(description="版本号，修改时原样提交，用于发现并发修改")

    @staticmethod
    def resolve_parent(org: Org, context) -> dict | None:
        return org_ref(context["request"].auth, org.parent)


class EmployerOut(Schema):
    id: int = Field(description="单位 ID")
    name: str = Field(description="单位名称")
    uscc: str | None = Field(description="统一社会信用代码")


class CommitteeOut(Schema):
    members: int = Field(description="计入的会员数（含下级组织）")
    required: bool = Field(description="是否须成立工会委员会（会员 25 人以上）")
    met: bool = Field(description="是否符合规定")


class OrgDetailOut(OrgOut):
    uscc: str = Field(description="工会统一社会信用代码")
    employer: EmployerOut | None = Field(description="所在单位")
    founded_on: dt.date | None = Field(description="成立日期")
    leadership: Org.Leadership = Field(description="领导机构：工会委员会或组织员")
    leadership_label: str = Field(alias="get_leadership_display", description="领导机构名称")
    term_years: int = Field(description="委员会任期（年）")
    term_started_on: dt.date | None = Field(description="本届任期开始日期")
    term_ends_on: dt.date | None = Field(description="本届任期届满日期")
    term_overdue: bool = Field(description="本届任期是否已届满（应换届）")
    committee_rule: CommitteeOut = Field(description="工会法第十条：会员 25 人以上应成立工会委员会")
    ancestors: list[OrgRefOut] = Field(description="授权范围内的上级组织，自上而下")

    @staticmethod
    def resolve_committee_rule(org: Org) -> selectors.CommitteeRule:
        return selectors.committee_rule(org, org.subtree_member_count)

    @staticmethod
    def resolve_ancestors(org: Org, context) -> list[Org]:
        return selectors.ancestors_visible(context["request"].auth, org)


class OrgListOut(Pagination.Output):
    items: list[OrgOut] = Field(description="组织")


def org_ref(user, org: Org | None) -> dict | None:
    """An org's id and name, or None if it is outside the user's scope (its existence must not leak)."""
    if org is None or access.grant_covering(user, org) is None:
        return None
    return {"id": org.pk, "name": org.name}


def org_detail(user, org: Org) -> Org:
    """The org read afresh (with region, parent and employer, and its subtree total), for ``OrgDetailOut``."""
    return Org.objects.get_for_read(user, org.pk)


# ----- input -------------------------------------------------------------------------------------------------


class RegionQuery(Schema):
    parent: str = Field("", max_length=12, description="上级区划代码；不填则返回全部省级区划")


class OrgQuery(Pagination.Input):
    parent: int | None = Field(None, description="列出此组织的直接下级；不填则列出授权范围的顶层组织")
    q: str = Field("", max_length=100, description="按名称搜索（包含即可）；与 parent 同时提供时只在其下级中搜索")
    org_type: OrgType | None = Field(None, description="只看此类型（搜索时有效）")


class OrgFields(Schema):
    model_config = ConfigDict(extra="forbid")

    region_code: str = Field(min_length=2, max_length=12, description="所在地区的区划代码")
    employer_name: str = Field("", max_length=200, description="所在单位名称（基层工会填写）")
    employer_uscc: str = Field("", max_length=30, description="所在单位统一社会信用代码")
    uscc: str = Field("", max_length=30, description="工会统一社会信用代码")
    founded_on: dt.date | None = Field(None, description="成立日期")
    status: Org.Status = Field(Org.Status.ACTIVE, description="状态")
    leadership: Org.Leadership = Field(Org.Leadership.COMMITTEE, description="领导机构")
    term_years: Literal[3, 5] = Field(5, description="委员会任期：3 年或 5 年")
    term_started_on: dt.date | None = Field(None, description="本届任期开始日期")


class OrgCreateIn(OrgFields):
    parent_id: int = Field(description="上级工会 ID（须有该组织的管理员权限）")
    name: str = Field(min_length=1, max_length=100, description="名称")
    org_type: OrgType = Field(description="组织类型，须为上级工会可设立的类型")


class OrgUpdateIn(Schema):
    model_config = ConfigDict(extra="forbid")

    version: int = Field(description="读取时的版本号；记录已被他人修改时返回 409")
    name: str | None = Field(None, min_length=1, max_length=100, description="名称")
    parent_id: int | None = Field(None, description="移动到此上级工会之下（两处都须有管理员权限）")
    region_code: str | None = Field(None, min_length=2, max_length=12, description="所在地区的区划代码")
    employer_name: str | None = Field(
        None,
        max_length=200,
        description="所在单位名称；与信用代码一并提交，只提交其一时另一项视为空，都为空则清除所在单位",
    )
    employer_uscc: str | None = Field(None, max_length=30, description="所在单位统一社会信用代码")
    uscc: str | None = Field(None, max_length=30, description="工会统一社会信用代码")
    founded_on: dt.date | None = Field(None, description="成立日期")
    status: Org.Status | None = Field(None, description="状态")
    leadership: Org.Leadership | None = Field(None, description="领导机构")
    term_years: Literal[3, 5] | None = Field(None, description="委员会任期：3 年或 5 年")
    term_started_on: dt.date | None = Field(None, description="本届任期开始日期")


NULLABLE = {"founded_on", "term_started_on", "employer_name", "employer_uscc", "uscc", "parent_id"}


# ----- endpoints ---------------------------------------------------------------------------------------------


@router.get("/regions", response={200: list[RegionOut], **ERRORS}, summary="行政区划（逐级）")
def list_regions(request, filters: Query[RegionQuery]):
    """省级区划，或某一区划的直接下级，供客户端逐级选择地区。"""
    if filters.parent and selectors.region_by_code(filters.parent) is None:
        raise Http404("区划不存在")
    return selectors.regions_under(filters.parent)


@router.get("", response={200: OrgListOut, **ERRORS}, summary="组织列表")
def list_orgs(request, filters: Query[OrgQuery]):
    """授权范围的顶层组织；或 `parent` 的直接下级；或按名称 `q` 搜索。每项含含下级的会员总数。"""
    user = request.auth
    access.require_cadre(user)
    parent = Org.objects.get_for_read(user, filters.parent) if filters.parent is not None else None
    if filters.q.strip() or filters.org_type:
        found = selectors.org_search(user, q=filters.q, org_type=filters.org_type or "", under=parent, limit=None)
    elif parent is not None:
        found = selectors.children_of(user, parent)
    else:
        found = access.top_orgs(user)
    page = Pagination().paginate_queryset(found, filters)
    for org in page["items"]:
        if parent is not None and org.parent_id == parent.pk:
            org.parent = parent  # known already; saves a query per row
    return page


@router.get("/{int:org_id}", response={200: OrgDetailOut, **ERRORS}, summary="组织详情")
def get_org(request, org_id: int):
    """全部信息，含任期届满日期、是否符合成立委员会的规定、含下级的会员总数。"""
    return org_detail(request.auth, Org.objects.get_for_read(request.auth, org_id))


@router.post("", response={201: OrgDetailOut, **ERRORS}, summary="成立工会组织")
def create_org(request, payload: OrgCreateIn):
    """在上级工会之下设立组织；须有上级工会的管理员权限。"""
    user = request.auth
    parent = Org.objects.get_for_write(user, payload.parent_id, manage=True)
    region = region_from("region_code", payload.region_code)
    uscc = parsed("uscc", parse_uscc, payload.uscc) if payload.uscc.strip() else ""
    org = services.org_create(
        actor=user, parent=parent, name=payload.name, org_type=payload.org_type, region=region,
        employer=employer_from(payload.employer_name, payload.employer_uscc, region), uscc=uscc,
        founded_on=payload.founded_on, status=payload.status, leadership=payload.leadership,
        term_years=payload.term_years, term_started_on=payload.term_started_on,
    )  # fmt: skip
    return Status(201, org_detail(user, org))


@router.patch("/{int:org_id}", response={200: OrgDetailOut, 409: ErrorOut, **ERRORS}, summary="修改工会组织")
def update_org(request, org_id: int, payload: OrgUpdateIn):
    """只提交要修改的字段和读取时的 `version`；记录已被他人修改时返回 409，不覆盖。提供 `parent_id` 则移动组织。"""
    user = request.auth
    org = Org.objects.get_for_write(user, org_id, manage=True)
    data = payload.model_dump(exclude_unset=True)
    version = data.pop("version")
    for field, value in data.items():
        if value is None and field not in NULLABLE:
            raise field_error(field, "不能为空。")
    new_parent = None
    parent_id = data.pop("parent_id", None)
    if parent_id is not None and parent_id != org.parent_id:
        new_parent = Org.objects.get_for_write(user, parent_id, manage=True)
    changes = {k: v for k, v in data.items() if k not in {"region_code", "employer_name", "employer_uscc"}}
    if "uscc" in changes:
        changes["uscc"] = parsed("uscc", parse_uscc, changes["uscc"]) if (changes["uscc"] or "").strip() else ""
    if "region_code" in data:
        changes["region"] = region_from("region_code", data["region_code"])
    if "employer_name" in data or "employer_uscc" in data:
        region = changes.get("region", org.region)
        changes["employer"] = employer_from(data.get("employer_name"), data.get("employer_uscc"), region)
    org = services.org_update(actor=user, org=org, version=version, new_parent=new_parent, **changes)
    return org_detail(user, org)


class EmployerClosedOut(Schema):
    moved: int = Field(description="转至上级工会的会员人数")
    parent: dict = Field(description="接收会员的上级工会 {id, name}")


@router.post("/{int:org_id}/employer-closure", response={200: EmployerClosedOut, **ERRORS}, summary="单位关闭")
def close_employer(request, org_id: int):
    """用人单位关闭：撤销该基层工会，其会员的会籍一次转至上级工会（入会日期、会员证号不变）；须有上级工会的管理员权限。"""
    user = request.auth
    org = Org.objects.get_for_read(user, org_id)
    moved = employer_close(actor=user, org=org)
    return {"moved": moved, "parent": {"id": org.parent_id, "name": org.parent.name}}
