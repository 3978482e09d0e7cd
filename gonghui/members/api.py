"""/api/v1/members: members within the caller's scope. Personal data is masked in every response; the
full ID number and phone come only from the audited unmask endpoint. Search terms travel in a POST body,
never in a URL."""

import datetime as dt
from typing import Literal

from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import ConfigDict

from gonghui.core.api import ERRORS, ErrorOut
from gonghui.core.errors import field_error, parsed
from gonghui.core.identifiers import parse_id_number, parse_phone
from gonghui.core.pagination import Pagination
from gonghui.core.ratelimit import rate_limit
from gonghui.members import access as members_access
from gonghui.members import ecard, selectors, services
from gonghui.members.ecard import CARD_VERIFY_LIMIT
from gonghui.members.models import (
    ETHNICITIES,
    Education,
    EmploymentForm,
    Gender,
    LapseWarning,
    Membership,
    Person,
    TransferRequest,
)
from gonghui.orgs import access
from gonghui.orgs import selectors as org_selectors
from gonghui.orgs.api import employer_from, org_ref
from gonghui.orgs.models import Org

router = Router(tags=["会员"])

Ethnicity = Literal[tuple(ETHNICITIES)]  # type: ignore[valid-type]
EducationChoice = Literal[("", *Education.values)]  # type: ignore[valid-type]  # "" = not given
OTHER_UNION = "其他工会"


# ----- output ------------------------------------------------------------------------------------------------


def org_brief(user, org) -> dict:
    return org_ref(user, org) or {"id": None, "name": OTHER_UNION}


def _caller(context) -> object:
    return context["request"].auth


class OrgBriefOut(Schema):
    id: int | None = Field(description="组织 ID（不在授权范围内时为空）")
    name: str = Field(description="组织名称（不在授权范围内时为“其他工会”）")


class MemberOut(Schema):
    """A membership row with its person (masked)."""

    person_id: int = Field(description="职工 ID")
    membership_id: int = Field(alias="pk", description="会籍 ID")
    name: str = Field(alias="person.name", description="姓名")
    gender: Gender = Field(alias="person.gender", description="性别：M 男，F 女")
    gender_label: str = Field(alias="person.get_gender_display", description="性别")
    id_number_masked: str = Field(
        alias="person.id_number_masked", description="身份证号码（脱敏：保留前 4 位和后 4 位）"
    )
    phone_masked: str = Field(alias="person.phone_masked", description="手机号码（脱敏：保留前 3 位和后 4 位）")
    org: OrgBriefOut = Field(description="所在工会")
    card_number: str = Field(description="会员证号")
    joined_on: dt.date = Field(description="入会日期")
    employment_form: EmploymentForm = Field(alias="person.employment_form", description="就业形态")
    employment_form_label: str = Field(alias="person.get_employment_form_display", description="就业形态名称")
    is_migrant: bool = Field(alias="person.is_migrant", description="是否农民工")
    employer_name: str = Field(description="工作单位")

    @staticmethod
    def resolve_org(m: Membership, context) -> dict:
        return org_brief(_caller(context), m.org)

    @staticmethod
    def resolve_employer_name(m: Membership) -> str:
        return m.person.employer.name if m.person.employer else ""


class MemberListOut(Pagination.Output):
    items: list[MemberOut] = Field(description="会员")


class MembershipOut(Schema):
    id: int = Field(description="会籍 ID")
    org: OrgBriefOut = Field(description="所在工会")
    card_number: str = Field(description="会员证号")
    joined_on: dt.date = Field(description="入会日期")
    status: Membership.Status = Field(description="会籍状态")
    status_label: str = Field(alias="get_status_display", description="会籍状态名称")
    is_retired: bool = Field(description="是否退休会员")
    ended_on: dt.date | None = Field(description="终止日期")
    end_reason: str = Field(description="终止原因")

    @staticmethod
    def resolve_org(m: Membership, context) -> dict:
        return org_brief(_caller(context), m.org)


class OwnMembershipOut(MembershipOut):
    """For the member themself: every union they belonged to is named."""

    @staticmethod
    def resolve_org(m: Membership) -> dict:
        return {"id": m.org_id, "name": m.org.name}


class PersonOut(Schema):
    person_id: int = Field(alias="pk", description="职工 ID")
    name: str = Field(description="姓名")
    gender: Gender = Field(description="性别：M 男，F 女")
    gender_label: str = Field(alias="get_gender_display", description="性别")
    ethnicity: str = Field(description="民族")
    id_number_masked: str = Field(description="身份证号码（脱敏）")
    phone_masked: str = Field(description="手机号码（脱敏）")
    education: EducationChoice = Field(description="学历（空为未填）")
    education_label: str = Field(description="学历名称")
    employment_form: EmploymentForm = Field(description="就业形态")
    employment_form_label: str = Field(alias="get_employment_form_display", description="就业形态名称")
    is_migrant: bool = Field(description="是否农民工")
    employer_name: str = Field(description="工作单位名称")
    employer_uscc: str = Field(description="工作单位统一社会信用代码")
    job_title: str = Field(description="岗位")
    version: int = Field(description="版本号，修改时原样提交，用于发现并发修改")
    memberships: list[MembershipOut] = Field(description="会籍记录，当前会籍在前")

    @staticmethod
    def resolve_education_label(person: Person) -> str:
        return person.get_education_display() if person.education else ""

    @staticmethod
    def resolve_employer_name(person: Person) -> str:
        return person.employer.name if person.employer else ""

    @staticmethod
    def resolve_employer_uscc(person: Person) -> str:
        return (person.employer.uscc or "") if person.employer else ""

    @staticmethod
    def resolve_memberships(person: Person) -> list[Membership]:
        return selectors.memberships_of(person)


class OwnPersonOut(PersonOut):
    """The worker's own record (/me): every union of their history is named."""

    memberships: list[OwnMembershipOut] = Field(description="会籍记录，当前会籍在前")


class MemberDetailOut(PersonOut):
    can_unmask: bool = Field(description="当前账号能否查看此人完整的身份证号码和手机号码")

    @staticmethod
    def resolve_can_unmask(person: Person, context) -> bool:
        return access.can_unmask(_caller(context), members_access.home_org(person))


class UnmaskOut(Schema):
    id_number: str = Field(description="完整身份证号码")
    phone: str = Field(description="完整手机号码")


def member_detail(user, person: Person) -> Person:
    """The person read afresh, with employer, for ``MemberDetailOut``."""
    return Person.objects.get_for_read(user, person.pk)


# ----- input -------------------------------------------------------------------------------------------------


class MemberFilters(Pagination.Input):
    org_id: int | None = Field(None, description="只看此组织（含下级）的会员")
    employment_form: EmploymentForm | None = Field(None, description="就业形态")
    gender: Gender | None = Field(None, description="性别：M 男，F 女")
    is_migrant: bool | None = Field(None, description="是否农民工")


class MemberSearchIn(MemberFilters):
    model_config = ConfigDict(extra="forbid")

    q: str = Field(
        "", max_length=50, description="姓名、姓名全拼或首字母（如 zw）、身份证号码、手机号码或会员证号；放在请求体中"
    )


class MemberCreateIn(Schema):
    model_config = ConfigDict(extra="forbid")

    org_id: int = Field(description="入会的工会 ID（须有该组织的写权限）")
    name: str = Field(min_length=1, max_length=50, description="姓名")
    id_number: str = Field(max_length=30, description="身份证号码（18 位，或旧式 15 位）")
    phone: str = Field("", max_length=20, description="手机号码")
    ethnicity: Ethnicity = Field("汉族", description="民族")
    education: EducationChoice = Field("", description="学历")
    employment_form: EmploymentForm = Field(EmploymentForm.STANDARD, description="就业形态")
    is_migrant: bool = Field(False, description="是否农民工")
    employer_name: str = Field("", max_length=200, description="工作单位名称")
    employer_uscc: str = Field("", max_length=30, description="工作单位统一社会信用代码")
    job_title: str = Field("", max_length=50, description="岗位")
    joined_on: dt.date | None = Field(None, description="入会日期；不填为今天")
    card_number: str = Field("", max_length=32, description="会员证号；不填则自动生成")


class MemberUpdateIn(Schema):
    model_config = ConfigDict(extra="forbid")

    version: int = Field(description="读取时的版本号；记录已被他人修改时返回 409")
    name: str | None = Field(None, min_length=1, max_length=50, description="姓名")
    id_number: str | None = Field(None, max_length=30, description="身份证号码")
    phone: str | None = Field(None, max_length=20, description="手机号码；空字符串表示清除")
    ethnicity: Ethnicity | None = Field(None, description="民族")
    education: EducationChoice | None = Field(None, description="学历")
    employment_form: EmploymentForm | None = Field(None, description="就业形态")
    is_migrant: bool | None = Field(None, description="是否农民工")
    employer_name: str | None = Field(
        None, max_length=200, description="工作单位名称；与信用代码一并提交，只提交其一时另一项视为空，都为空则清除"
    )
    employer_uscc: str | None = Field(None, max_length=30, description="工作单位统一社会信用代码")
    job_title: str | None = Field(None, max_length=50, description="岗位")


# Personal data must not travel in a URL (it ends up in access logs and browser history).
PERSONAL_QUERY_PARAMS = {"q", "name", "id_number", "phone", "card_number"}


def _search(request, filters: MemberFilters, q: str = "") -> dict:
    """A page of the members found; the filters carry ``limit`` and ``offset`` (in the body for a search)."""
    user = request.auth
    if PERSONAL_QUERY_PARAMS & set(request.GET):
        raise field_error(
            "q", "按姓名、证件号码、手机号码或会员证号查找请使用 POST /api/v1/members/search，查询词放在请求体中。"
        )
    access.require_cadre(user)
    org = Org.objects.get_for_read(user, filters.org_id) if filters.org_id is not None else None
    found = selectors.member_search(
        user, q=q, org=org, employment_form=filters.employment_form or "", gender=filters.gender or "",
        is_migrant=filters.is_migrant,
    )  # fmt: skip
    return Pagination(counter=lambda rows: selectors.search_count(rows, q)).paginate_queryset(found, filters)


# ----- endpoints ---------------------------------------------------------------------------------------------


@router.get("", response={200: MemberListOut, **ERRORS}, summary="会员列表")
def list_members(request, filters: Query[MemberFilters]):
    """授权范围内的有效会员，新入会的在前；只能按非个人信息筛选。按姓名、证件号等查找请用 `POST /members/search`。"""
    return _search(request, filters)


@router.post("/search", response={200: MemberListOut, **ERRORS}, summary="查找会员")
def search_members(request, payload: MemberSearchIn):
    """`q` 可以是姓名、拼音或首字母、身份证号码、手机号码或会员证号。查询词放在请求体中，不进入网址和日志。"""
    return _search(request, payload, payload.q)


@router.get("/{int:person_id}", response={200: MemberDetailOut, **ERRORS}, summary="会员详情")
def get_member(request, person_id: int):
    """脱敏的个人信息和全部会籍记录。"""
    return Person.objects.get_for_read(request.auth, person_id)


@router.post("", response={201: MemberDetailOut, **ERRORS}, summary="入会登记")
def create_member(request, payload: MemberCreateIn):
    """登记新会员；此人已有有效会籍时拒绝（400，字段 id_number）。全部成功或全部不保存。"""
    user = request.auth
    org = Org.objects.get_for_write(user, payload.org_id)
    id_number = parsed("id_number", lambda v: parse_id_number(v).number, payload.id_number)
    phone = parsed("phone", parse_phone, payload.phone) if payload.phone.strip() else ""
    membership = services.member_create(
        actor=user, org=org, name=payload.name, id_number=id_number, phone=phone, ethnicity=payload.ethnicity,
        education=payload.education, employment_form=payload.employment_form, is_migrant=payload.is_migrant,
        employer=employer_from(payload.employer_name, payload.employer_uscc, org.region),
        job_title=payload.job_title.strip(), joined_on=payload.joined_on, card_number=payload.card_number,
    )  # fmt: skip
    return Status(201, member_detail(user, membership.person))


@router.patch("/{int:person_id}", response={200: MemberDetailOut, 409: ErrorOut, **ERRORS}, summary="修改会员信息")
def update_member(request, person_id: int, payload: MemberUpdateIn):
    """只提交要修改的字段和读取时的 `version`；记录已被他人修改时返回 409，不覆盖。"""
    user = request.auth
    person = Person.objects.get_for_write(user, person_id)
    data = payload.model_dump(exclude_unset=True)
    version = data.pop("version")
    for field, value in data.items():
        if value is None and field not in {"employer_name", "employer_uscc"}:
            raise field_error(field, "不能为空。")
    if "id_number" in data:
        data["id_number"] = parsed("id_number", lambda v: parse_id_number(v).number, data["id_number"])
    if "phone" in data:
        data["phone"] = parsed("phone", parse_phone, data["phone"]) if data["phone"].strip() else ""
    if "job_title" in data:
        data["job_title"] = data["job_title"].strip()
    if "employer_name" in data or "employer_uscc" in data:
        name, uscc = data.pop("employer_name", None), data.pop("employer_uscc", None)
        data["employer"] = employer_from(name, uscc, members_access.home_org(person).region)
    person = services.member_update(actor=user, person=person, version=version, **data)
    return member_detail(user, person)


@router.post("/{int:person_id}/unmask", response={200: UnmaskOut, **ERRORS}, summary="查看完整个人信息")
def unmask_member(request, person_id: int):
    """返回完整的身份证号码和手机号码；须有“可查看完整个人信息”授权，否则 403。每次调用（含被拒绝）都记入审计日志。"""
    person = Person.objects.get_for_read(request.auth, person_id)
    return services.member_unmask(actor=request.auth, person=person)


# ----- 会员关系接转 ----------------------------------------------------------------------------------------------


class TransferOrgOut(Schema):
    id: int = Field(description="组织 ID")
    name: str = Field(description="组织名称")
    org_type_label: str = Field(alias="get_org_type_display", description="组织类型")


class TransferOut(Schema):
    id: int = Field(description="接转 ID")
    person_name: str = Field(alias="membership.person.name", description="会员姓名")
    person_id: int | None = Field(description="职工 ID（调用者能查看此会员时才有，转入工会在接收之后才能查看）")
    from_org: TransferOrgOut = Field(description="转出工会")
    to_org: TransferOrgOut = Field(description="转入工会")
    initiated_by: TransferRequest.Initiator = Field(description="发起方")
    status: TransferRequest.Status = Field(description="状态")
    status_label: str = Field(alias="get_status_display", description="状态名称")
    reason: str = Field(description="转会原因")
    reject_reason: str = Field(description="拒绝或撤回原因")
    requested_at: dt.datetime = Field(description="申请时间")
    released_at: dt.datetime | None = Field(description="转出时间")
    decided_at: dt.datetime | None = Field(description="办结时间")

    @staticmethod
    def resolve_person_id(t: TransferRequest, context) -> int | None:
        user = _caller(context)
        holder = t.to_org if t.status == TransferRequest.Status.ACCEPTED else t.from_org
        own = members_access.is_own_membership(user, t.membership)
        visible = own or access.grant_covering(user, holder) is not None
        return t.membership.person_id if visible else None


class TransferStartIn(Schema):
    model_config = ConfigDict(extra="forbid")

    to_org_id: int = Field(description="转入工会 ID：正常状态、可直接发展会员的工会，可以不在调用者授权范围内")
    reason: str = Field(min_length=1, max_length=200, description="转会原因")


class TransferRejectIn(Schema):
    model_config = ConfigDict(extra="forbid")

    reason: str = Field(min_length=1, max_length=200, description="拒绝原因（必填）")


def _fresh(transfer: TransferRequest) -> TransferRequest:
    return TransferRequest.objects.select_related("membership__person", "from_org", "to_org").get(pk=transfer.pk)


@router.get("/transfers", response={200: list[TransferOut], **ERRORS}, summary="会员关系接转列表")
@paginate(Pagination)
def list_transfers(request):
    """授权范围内转出或转入的接转记录，新的在前。转入工会能看到接转本身，接收之前看不到会员的个人信息。"""
    user = request.auth
    access.require_cadre(user)
    return selectors.transfers_visible_to(user)


@router.post("/{int:person_id}/transfers", response={201: TransferOut, **ERRORS}, summary="发起转会")
def start_transfer(request, person_id: int, payload: TransferStartIn):
    """由转出工会（有写权限）或会员本人（职工账号）发起；同一会籍同时只能有一项未办结的转会。"""
    user = request.auth
    person = members_access.person_for_self_or_read(user, person_id)
    membership = person.memberships.filter(status=Membership.Status.ACTIVE).select_related("org").first()
    if membership is None:
        raise field_error("person_id", "此人没有有效会籍，不能转会。")
    to_org = org_selectors.transfer_target(payload.to_org_id)
    if to_org is None:
        raise field_error("to_org_id", "请选择正常状态、可接收会员的工会。")
    transfer = services.transfer_start(actor=user, membership=membership, to_org=to_org, reason=payload.reason)
    return Status(201, _fresh(transfer))


@router.post("/transfers/{int:transfer_id}/release", response={200: TransferOut, **ERRORS}, summary="转出")
def release_transfer(request, transfer_id: int):
    """转出工会同意会员转出；之后由转入工会接收或拒绝。"""
    user = request.auth
    transfer = services.transfer_release(actor=user, transfer=TransferRequest.objects.get_for_read(user, transfer_id))
    return _fresh(transfer)


@router.post("/transfers/{int:transfer_id}/accept", response={200: TransferOut, **ERRORS}, summary="接收")
def accept_transfer(request, transfer_id: int):
    """转入工会接收：原会籍终止为“已转出”，在转入工会建立新会籍，入会日期和会员证号不变。"""
    user = request.auth
    transfer = services.transfer_accept(actor=user, transfer=TransferRequest.objects.get_for_read(user, transfer_id))
    return _fresh(transfer)


@router.post("/transfers/{int:transfer_id}/reject", response={200: TransferOut, **ERRORS}, summary="拒绝")
def reject_transfer(request, transfer_id: int, payload: TransferRejectIn):
    """转入工会拒绝已转出的接转，或转出工会拒绝尚在申请中的接转；须填写原因。"""
    user = request.auth
    transfer = TransferRequest.objects.get_for_read(user, transfer_id)
    transfer = services.transfer_reject(actor=user, transfer=transfer, reason=payload.reason)
    return _fresh(transfer)


class TransferCancelIn(Schema):
    model_config = ConfigDict(extra="forbid")

    reason: str = Field(min_length=1, max_length=200, description="撤回原因（必填）")


@router.post("/transfers/{int:transfer_id}/cancel", response={200: TransferOut, **ERRORS}, summary="撤回转会")
def cancel_transfer(request, transfer_id: int, payload: TransferCancelIn):
    """会员本人或转出工会撤回尚未被接收的转会；会籍不变。"""
    user = request.auth
    transfer = members_access.transfer_for_self_or_read(user, transfer_id)
    transfer = services.transfer_cancel(actor=user, transfer=transfer, reason=payload.reason)
    return _fresh(transfer)


# ----- 电子会员证 -------------------------------------------------------------------------------------------------


class CardRevokeIn(Schema):
    model_config = ConfigDict(extra="forbid")

    reason: str = Field(min_length=1, max_length=100, description="作废原因，如“截图外泄”")


class CardRevokedOut(Schema):
    revoked: bool = Field(description="原二维码已作废；会员本人打开电子会员证即得到新的二维码")


class CardVerifyOut(Schema):
    status: Literal["valid", "ended", "revoked", "forged"] = Field(
        description="valid 有效；ended 真实但会籍已终止；revoked 已作废；forged 无法识别（非本平台签发或被篡改）"
    )
    status_label: str = Field(alias="label", description="核验结论")
    explanation: str = Field(description="核验结论的说明")
    org_name: str = Field(description="所属工会名称（不含持证人个人信息）；无法识别或已作废时为空")


@router.post("/{int:person_id}/card/revoke", response={200: CardRevokedOut, **ERRORS}, summary="作废电子会员证")
def revoke_card(request, person_id: int, payload: CardRevokeIn):
    """会员本人或所在工会（有写权限）作废电子会员证：此前的二维码均不再通过核验。"""
    user = request.auth
    person = members_access.person_for_self_or_read(user, person_id)
    membership = selectors.current_membership(person)
    if membership is None:
        raise field_error("person_id", "此人没有有效会籍，没有电子会员证。")
    services.ecard_revoke(actor=user, membership=membership, reason=payload.reason)
    return CardRevokedOut(revoked=True)


@router.get("/cards/verify", auth=None, response={200: CardVerifyOut, **ERRORS}, summary="核验电子会员证")
@rate_limit(scope="card_verify", limit=CARD_VERIFY_LIMIT, window_seconds=60, methods=("GET",))
def verify_card(request, code: str = Query(..., max_length=200, description="二维码中的核验码")):
    """公开接口，无需令牌：返回所属工会和会籍是否有效，不返回任何个人信息。"""
    return ecard.verify(code)


# ----- 会籍预警 ---------------------------------------------------------------------------------------------------


class LapseWarningOut(Schema):
    id: int
    person_id: int = Field(alias="membership.person_id", description="职工 ID")
    person_name: str = Field(alias="membership.person.name", description="姓名")
    card_number: str = Field(alias="membership.card_number", description="会员证号")
    org: dict = Field(description="所在工会 {id, name}")
    inactive_since: dt.date = Field(description="最近缴费或参加活动日期（无记录时为入会日期）")
    raised_on: dt.date = Field(description="预警日期")
    # A Literal, not the model's enum: enums named "Status" would share one OpenAPI component.
    status: Literal["open", "counselled", "resolved", "lapsed"] = Field(
        description="open 预警中，counselled 已谈话，resolved 已解除，lapsed 已除名"
    )
    status_label: str = Field(alias="get_status_display", description="状态名称")
    counselled_on: dt.date | None = Field(description="谈话日期")
    counsel_note: str = Field(description="谈话情况")

    @staticmethod
    def resolve_org(w: LapseWarning, context) -> dict:
        return org_ref(_caller(context), w.org)


class LapseCounselIn(Schema):
    model_config = ConfigDict(extra="forbid")

    note: str = Field(min_length=1, max_length=500, description="谈话情况")
    counselled_on: dt.date | None = Field(default=None, description="谈话日期，默认今天")
    good_reason: bool = Field(default=False, description="有正当理由（如长期病假、外派）：解除预警")


@router.get("/lapse-warnings", response={200: list[LapseWarningOut], **ERRORS}, summary="会籍预警列表")
@paginate(Pagination)
def list_lapse_warnings(request):
    """连续六个月未缴会费、未参加活动的会员（授权范围内），按最近活动日期从早到晚：须先谈话教育，经教育仍不改正的方可除名。"""
    user = request.auth
    access.require_cadre(user)
    return selectors.lapse_warnings_visible_to(user)


@router.post("/lapse-warnings/{int:warning_id}/counsel", response={200: LapseWarningOut, **ERRORS},
             summary="记录谈话教育")  # fmt: skip
def counsel_lapse(request, warning_id: int, payload: LapseCounselIn):
    """记录谈话日期和情况；有正当理由的解除预警。"""
    user = request.auth
    warning = LapseWarning.objects.get_for_read(user, warning_id)
    warning = services.lapse_counsel(actor=user, warning=warning, note=payload.note,
                                     counselled_on=payload.counselled_on, good_reason=payload.good_reason)  # fmt: skip
    return LapseWarning.objects.get_for_read(user, warning.pk)


@router.post("/lapse-warnings/{int:warning_id}/lapse", response={200: LapseWarningOut, **ERRORS},
             summary="视为自动退会")  # fmt: skip
def lapse_membership(request, warning_id: int):
    """经谈话教育仍未缴费或参加活动的，终止会籍（除名）；未记录谈话的不能办理。"""
    user = request.auth
    warning = services.membership_lapse(actor=user, warning=LapseWarning.objects.get_for_read(user, warning_id))
    return LapseWarning.objects.get_for_read(user, warning.pk)
