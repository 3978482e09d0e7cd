"""/api/v1/rights: a worker files a request and reads their own (with the replies); a cadre lists the requests
in scope and reads one (an anonymous filer shows as 匿名). Descriptions are the worker's and the handling
unions' only; no response carries a full phone number."""

import datetime as dt

from django.utils import timezone
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from gonghui.core.api import ERRORS
from gonghui.core.errors import field_error
from gonghui.core.pagination import Pagination
from gonghui.orgs.models import Region
from gonghui.rights import selectors, services
from gonghui.rights.policy import CATEGORIES

router = Router(tags=["职工诉求"])
CATEGORY_HELP = "诉求类别：" + "、".join(f"{k} {v}" for k, v in CATEGORIES.items())


class RequestIn(Schema):
    category: str = Field(description=CATEGORY_HELP)
    description: str = Field(max_length=2000, description="诉求内容")
    employer_name: str = Field("", max_length=200, description="用人单位名称")
    employer_uscc: str = Field("", max_length=30, description="统一社会信用代码（选填）")
    region_code: str = Field("", max_length=12, description="单位所在地区划代码（选填）")
    anonymous: bool = Field(False, description="匿名（仅限本省允许匿名的类别）")


class ReplyOut(Schema):
    at: dt.datetime
    from_worker: bool = Field(description="true 为职工本人补充")
    org_name: str
    text: str


class RequestOut(Schema):
    id: int
    category: str
    category_label: str
    employer_name: str
    org_name: str = Field(description="承办工会")
    status: str = Field(description="submitted 待受理、handling 办理中、replied 已答复、closed 已办结")
    status_label: str
    due_on: dt.date | None = Field(description="办理期限")
    overdue: bool
    anonymous: bool
    via_hotline: bool
    group_id: int | None = Field(description="所属群体诉求")
    satisfaction: int | None
    created_at: dt.datetime

    @staticmethod
    def resolve_category_label(r):
        return CATEGORIES[r.category]

    @staticmethod
    def resolve_org_name(r):
        return r.org.name

    @staticmethod
    def resolve_status_label(r):
        return r.status_label

    @staticmethod
    def resolve_overdue(r):
        return r.status in {"submitted", "handling"} and r.due_on is not None and r.due_on < timezone.localdate()


class OwnRequestOut(RequestOut):
    description: str
    replies: list[ReplyOut]

    @staticmethod
    def resolve_description(r):
        return selectors.description(r)

    @staticmethod
    def resolve_replies(r):
        return [{"at": x.at, "from_worker": x.from_worker, "org_name": x.org.name if x.org else "", "text": text}
                for x, text in selectors.replies_of(r)]  # fmt: skip


class CadreRequestOut(RequestOut):
    filer: str = Field(description="诉求人（匿名诉求为“匿名”，来电号码脱敏）")
    escalated_to: str = Field(description="已升级至的工会")

    @staticmethod
    def resolve_filer(r):
        return selectors.filer_label(r)

    @staticmethod
    def resolve_escalated_to(r):
        return r.escalated_to.name if r.escalated_to_id else ""


@router.post("/requests", response={201: OwnRequestOut, **ERRORS}, summary="提交诉求")
def request_file(request, payload: RequestIn):
    """职工本人提交诉求（附件请在网页上传）；按用人单位分派至负责的工会，按类别计算办理期限。"""
    region = Region.objects.filter(code=payload.region_code.strip()).first() if payload.region_code.strip() else None
    if payload.region_code.strip() and region is None:
        raise field_error("region_code", "区划代码不存在。")
    row = services.request_file(actor=request.auth, category=payload.category, description=payload.description,
                                employer_name=payload.employer_name, employer_uscc=payload.employer_uscc,
                                region=region, anonymous=payload.anonymous)  # fmt: skip
    return Status(201, row)


@router.get("/requests/mine", response={200: list[RequestOut], **ERRORS}, summary="我的诉求")
@paginate(Pagination)
def own_requests(request):
    return selectors.own_requests(request.auth)


@router.get("/requests/mine/{int:request_id}", response={200: OwnRequestOut, **ERRORS}, summary="我的诉求详情")
def own_request(request, request_id: int):
    """本人诉求的内容和工会的答复。"""
    return selectors.own_request(request.auth, request_id)


@router.get("/requests", response={200: list[CadreRequestOut], **ERRORS}, summary="职工诉求")
@paginate(Pagination)
def requests(request, status: str = "", category: str = ""):
    """授权范围内的诉求；status：open 未办结、overdue 已超期、escalated 已升级、replied、closed。"""
    return selectors.requests_visible_to(request.auth, status=status, category=category)


@router.get("/requests/{int:request_id}", response={200: CadreRequestOut, **ERRORS}, summary="诉求详情")
def request_detail(request, request_id: int):
    return selectors.request_for_read(request.auth, request_id)
