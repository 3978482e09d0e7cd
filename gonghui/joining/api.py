"""/api/v1/join: the worker's flow (public, rate-limited: send a code, verify it, apply; then their own
applications with a token) and the cadres' to-do list (detail, accept, reject, reassign) and join codes.
Identity is masked in every response."""

import datetime as dt
from typing import Literal

from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status
from ninja.errors import Throttled
from ninja.pagination import paginate
from pydantic import ConfigDict

from gonghui.core.api import ERRORS, ErrorOut
from gonghui.core.pagination import Pagination
from gonghui.core.ratelimit import throttle
from gonghui.joining import selectors, services
from gonghui.joining.models import JoinApplication, JoinCode, PhoneVerification, RoutingRule
from gonghui.joining.policy import joining_policy
from gonghui.members.models import EmploymentForm
from gonghui.orgs import access
from gonghui.orgs.api import employer_from, region_from
from gonghui.orgs.models import Org

router = Router(tags=["网上入会"])
CONFLICT = {409: ErrorOut, 429: ErrorOut, **ERRORS}


def _limit(request, scope: str, limit: int) -> None:
    throttle(request, scope=scope, limit=limit, window_seconds=3600)


# ----- schemas ---------------------------------------------------------------------------------------------------


class CodeSendIn(Schema):
    model_config = ConfigDict(extra="forbid")
    phone: str = Field(max_length=20, description="手机号码")


class CodeSentOut(Schema):
    verification: str = Field(alias="token", description="验证令牌，核对验证码和提交申请时原样提交")
    phone_masked: str = Field(description="手机号码（脱敏）")
    expires_at: dt.datetime = Field(description="验证码过期时间")


class CodeVerifyIn(Schema):
    model_config = ConfigDict(extra="forbid")
    verification: str = Field(max_length=40, description="发送验证码时返回的验证令牌")
    code: str = Field(max_length=10, description="短信验证码")


class VerifiedOut(Schema):
    verified: bool = Field(description="是否已验证")


class WorkIn(Schema):
    """重新申请: the work details alone (identity and phone carry over from the earlier application)."""

    model_config = ConfigDict(extra="forbid")
    employment_form: EmploymentForm = Field(description="就业形态")
    region_code: str = Field(max_length=12, description="工作所在地区划代码（尽量到乡镇、街道）")
    employer_name: str = Field("", max_length=200, description="工作单位名称")
    employer_uscc: str = Field("", max_length=30, description="工作单位统一社会信用代码")
    job_title: str = Field("", max_length=50, description="岗位")


class ApplyIn(WorkIn):
    verification: str = Field(max_length=40, description="已验证的验证令牌")
    name: str = Field(min_length=1, max_length=50, description="姓名")
    id_number: str = Field(max_length=30, description="身份证号码")
    password: str = Field(max_length=128, description="登录密码（以后用手机号码和此密码登录）")
    join_code: str = Field("", max_length=40, description="入会二维码令牌（扫码入会时）")
    agree: bool = Field(
        False, description="申请人已阅读并同意《入会个人信息处理规则》（/join/notice/）；未同意时返回 400"
    )


class OrgBrief(Schema):
    id: int = Field(description="组织 ID")
    name: str = Field(description="组织名称")


class ApplicationOut(Schema):
    id: int = Field(description="申请 ID")
    name: str = Field(description="姓名")
    # A Literal, not the model's enum: enums named "Status" would share one OpenAPI component.
    status: Literal["pending", "accepted", "rejected", "withdrawn"] = Field(
        description="pending 待受理，accepted 已入会，rejected 已退回，withdrawn 已撤回"
    )
    status_label: str = Field(alias="get_status_display", description="状态名称")
    org: OrgBrief = Field(description="受理工会")
    routed_by: RoutingRule = Field(description="分派依据")
    routed_by_label: str = Field(alias="get_routed_by_display", description="分派依据说明")
    submitted_at: dt.datetime = Field(description="申请时间")
    due_on: dt.date = Field(description="办理期限（15 个工作日）")
    reject_reason: str = Field(description="退回原因")
    card_number: str = Field(description="会员证号（受理入会后）")

    @staticmethod
    def resolve_card_number(a: JoinApplication) -> str:
        return a.membership.card_number if a.membership_id else ""


class ApplicationDetailOut(ApplicationOut):
    gender_label: str = Field(alias="get_gender_display", description="性别")
    birth_date: dt.date = Field(description="出生日期")
    id_number_masked: str = Field(description="身份证号码（脱敏）")
    phone_masked: str = Field(description="手机号码（脱敏）")
    employment_form: EmploymentForm = Field(description="就业形态")
    employment_form_label: str = Field(alias="get_employment_form_display", description="就业形态名称")
    employer_name: str = Field(description="工作单位")
    job_title: str = Field(description="岗位")
    region_name: str = Field(alias="region.full_name", description="工作所在地")
    overdue: bool = Field(description="是否已超过办理期限")
    escalated_to: OrgBrief | None = Field(description="超期后升级到的上级工会")
    version: int = Field(description="版本号，办理时原样提交")

    @staticmethod
    def resolve_employer_name(a: JoinApplication) -> str:
        return a.employer.name if a.employer else ""

    @staticmethod
    def resolve_overdue(a: JoinApplication) -> bool:
        return selectors.is_overdue(a)


class DecideIn(Schema):
    model_config = ConfigDict(extra="forbid")
    version: int = Field(description="读取时的版本号；已被他人办理时返回 409")


class RejectIn(DecideIn):
    reason: str = Field(min_length=1, max_length=200, description="退回原因（申请人可见）")


class ReassignIn(DecideIn):
    org_id: int = Field(description="改派给的工会 ID")


class JoinCodeIn(Schema):
    model_config = ConfigDict(extra="forbid")
    org_id: int = Field(description="受理工会 ID")
    label: str = Field(min_length=1, max_length=100, description="名称，如“快递员流动入会服务站”")


class JoinCodeOut(Schema):
    id: int = Field(description="二维码 ID")
    org: OrgBrief = Field(description="受理工会")
    label: str = Field(description="名称")
    is_active: bool = Field(description="是否启用")
    scan_count: int = Field(description="扫码次数")
    url: str = Field(description="二维码内容（扫码打开的网址）")

    @staticmethod
    def resolve_url(code: JoinCode, context) -> str:
        from gonghui.joining.views import code_url

        return code_url(context["request"], code)


def _verification(token: str) -> PhoneVerification:
    return get_object_or_404(PhoneVerification, token=token, purpose=PhoneVerification.Purpose.JOIN)


# ----- 职工 ------------------------------------------------------------------------------------------------------


@router.post("/phone/code", auth=None, response={201: CodeSentOut, 429: ErrorOut, **ERRORS}, summary="发送验证码")
def send_code(request, payload: CodeSendIn):
    """向手机发送 6 位验证码（10 分钟有效，最多尝试 5 次）；每个号码、每个 IP 每小时限发若干次。"""
    _limit(request, "join-sms-ip", joining_policy().sends_per_ip_per_hour)
    try:
        verification = services.phone_code_send(phone=payload.phone)
    except services.TooManyCodes:
        raise Throttled(3600) from None
    return Status(201, verification)


@router.post("/phone/verify", auth=None, response={200: VerifiedOut, 429: ErrorOut, **ERRORS}, summary="核对验证码")
def verify_code(request, payload: CodeVerifyIn):
    """验证码错误、过期或尝试次数过多时返回 400（字段 code）。"""
    services.phone_code_verify(verification=_verification(payload.verification), code=payload.code)
    return VerifiedOut(verified=True)


@router.post("/applications", auth=None, response={201: ApplicationOut, 429: ErrorOut, **ERRORS}, summary="申请入会")
def apply(request, payload: ApplyIn):
    """用已验证的手机号提交入会申请，同时开设职工账号（以后用手机号码和密码登录）。申请自动分派到负责的工会：
    扫码的工会；用人单位已建的工会；新就业形态劳动者所在地的行业性、区域性工会联合会；所在乡镇（街道）工会。
    不通知用人单位。已是会员、已有账号或已有办理中的申请时返回 400。"""
    _limit(request, "join-submit-ip", joining_policy().submits_per_ip_per_hour)
    verification = _verification(payload.verification)
    region = region_from("region_code", payload.region_code)
    join_code = services.join_code_scan(token=payload.join_code) if payload.join_code else None
    application = services.application_submit(
        verification=verification, name=payload.name, id_number=payload.id_number, password=payload.password,
        employment_form=payload.employment_form, region=region, job_title=payload.job_title, join_code=join_code,
        employer=employer_from(payload.employer_name, payload.employer_uscc, region), consent=payload.agree,
    )  # fmt: skip
    return Status(201, application)


@router.get("/applications/mine", response={200: list[ApplicationOut], **ERRORS}, summary="我的入会申请")
@paginate(Pagination)
def my_applications(request):
    """当前账号提交的入会申请及办理结果。"""
    return selectors.own_applications(request.auth)


@router.post("/applications/{int:application_id}/withdraw", response={200: ApplicationOut, 409: ErrorOut, **ERRORS},
             summary="撤回入会申请")  # fmt: skip
def withdraw(request, application_id: int):
    """申请人撤回尚未办理的入会申请。"""
    application = get_object_or_404(selectors.own_applications(request.auth), pk=application_id)
    return services.application_withdraw(actor=request.auth, application=application)


@router.post("/applications/again", response={201: ApplicationOut, **ERRORS}, summary="重新申请入会")
def apply_again(request, payload: WorkIn):
    """被退回或撤回后，用原账号重新申请：身份和手机号沿用，填写现在的工作情况，重新分派受理工会、重新计算期限。"""
    region = region_from("region_code", payload.region_code)
    application = services.application_again(
        actor=request.auth, employment_form=payload.employment_form, region=region, job_title=payload.job_title,
        employer=employer_from(payload.employer_name, payload.employer_uscc, region),
    )  # fmt: skip
    return Status(201, application)


# ----- 工会 ------------------------------------------------------------------------------------------------------


@router.get("/todo", response={200: list[ApplicationDetailOut], **ERRORS}, summary="入会审核待办")
@paginate(Pagination)
def todo(request, show: str = "open"):
    """授权范围内（含超期升级到本级）的入会申请；`show`：open 待办（默认）、overdue 已超期、done 已办结。"""
    access.require_cadre(request.auth)
    show = show if show in selectors.TODO_FILTERS else "open"
    return selectors.applications_visible_to(request.auth, show=show)


@router.get("/todo/{int:application_id}", response={200: ApplicationDetailOut, **ERRORS}, summary="入会申请详情")
def todo_detail(request, application_id: int):
    """脱敏的申请人信息、受理工会、分派依据、期限和是否超期。"""
    return JoinApplication.objects.get_for_read(request.auth, application_id)


@router.post("/todo/{int:application_id}/accept", response={200: ApplicationDetailOut, **CONFLICT}, summary="受理入会")
def accept(request, application_id: int, payload: DecideIn):
    """受理：会籍自即日起生效并生成会员证号，申请人账号关联到会员档案。须有受理工会的写权限。"""
    application = JoinApplication.objects.get_for_read(request.auth, application_id)
    application = services.application_accept(actor=request.auth, application=application, version=payload.version)
    return JoinApplication.objects.get_for_read(request.auth, application.pk)


@router.post("/todo/{int:application_id}/reject", response={200: ApplicationDetailOut, **CONFLICT}, summary="退回申请")
def reject(request, application_id: int, payload: RejectIn):
    """退回并说明原因（申请人可见）。"""
    application = JoinApplication.objects.get_for_read(request.auth, application_id)
    services.application_reject(actor=request.auth, application=application, version=payload.version,
                                reason=payload.reason)  # fmt: skip
    return JoinApplication.objects.get_for_read(request.auth, application_id)


@router.post("/todo/{int:application_id}/reassign", response={200: ApplicationDetailOut, **CONFLICT},
             summary="改派申请")  # fmt: skip
def reassign(request, application_id: int, payload: ReassignIn):
    """上级工会把申请改派给其范围内的另一个可发展会员的工会；新的受理工会重新计算 15 个工作日期限。"""
    application = JoinApplication.objects.get_for_read(request.auth, application_id)
    org = Org.objects.get_for_read(request.auth, payload.org_id)
    services.application_reassign(actor=request.auth, application=application, version=payload.version, org=org)
    return JoinApplication.objects.get_for_read(request.auth, application_id)


@router.get("/codes", response={200: list[JoinCodeOut], **ERRORS}, summary="入会二维码列表")
@paginate(Pagination)
def list_codes(request):
    """授权范围内各工会的入会二维码。"""
    access.require_cadre(request.auth)
    return selectors.join_codes_visible_to(request.auth)


@router.post("/codes", response={201: JoinCodeOut, **ERRORS}, summary="生成入会二维码")
def create_code(request, payload: JoinCodeIn):
    """为有写权限的基层工会、乡镇（街道）工会或工会联合会生成入会二维码（海报、流动入会服务站）。"""
    org = Org.objects.get_for_read(request.auth, payload.org_id)
    code = services.join_code_create(actor=request.auth, org=org, label=payload.label)
    return Status(201, code)


@router.post("/codes/{int:code_id}/deactivate", response={200: JoinCodeOut, **ERRORS}, summary="停用入会二维码")
def deactivate_code(request, code_id: int):
    """停用后扫码会提示二维码已停用，并按常规方式匹配工会。"""
    code = JoinCode.objects.get_for_read(request.auth, code_id)
    return services.join_code_deactivate(actor=request.auth, code=code)
