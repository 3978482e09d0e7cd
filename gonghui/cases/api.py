"""/api/v1/cases: the cadre's to-do list across every kind, a case with its history, clocks, documents and
公示, its steps, the 公示 itself and the answers to objections; the public notice and its objection form."""

import datetime as dt
from typing import Literal

from django.http import Http404
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import ConfigDict

from gonghui.cases import selectors, services
from gonghui.cases.kinds import kind_of
from gonghui.cases.models import Case, Objection, PublicNotice
from gonghui.core.api import ERRORS, ErrorOut
from gonghui.core.pagination import Pagination
from gonghui.core.ratelimit import rate_limit
from gonghui.orgs import access

router = Router(tags=["事项办理"])


CONFLICT = {409: ErrorOut, **ERRORS}


class CaseOrgOut(Schema):
    id: int = Field(description="组织 ID")
    name: str = Field(description="组织名称")


class CaseOut(Schema):
    id: int = Field(description="事项 ID")
    kind: str = Field(description="事项类型代码")
    kind_label: str = Field(description="事项类型")
    status: str = Field(description="状态代码")
    status_label: str = Field(description="状态")
    subject: str = Field(description="事由")
    org: CaseOrgOut = Field(description="承办工会")
    deadline: dt.date | None = Field(description="办理期限")
    overdue: bool = Field(description="是否已超期")
    escalated_to: CaseOrgOut | None = Field(description="超期后升级到的上级工会")
    opened_at: dt.datetime = Field(description="提交时间")
    closed_at: dt.datetime | None = Field(description="办结时间")
    version: int = Field(description="版本号，办理时原样提交")

    @staticmethod
    def resolve_kind_label(case: Case) -> str:
        return kind_of(case.kind).name

    @staticmethod
    def resolve_status_label(case: Case) -> str:
        return kind_of(case.kind).status_label(case.status)

    @staticmethod
    def resolve_overdue(case: Case) -> bool:
        return case.is_overdue


class StepOut(Schema):
    at: dt.datetime = Field(description="时间")
    actor: str = Field(description="办理人（空为系统）")
    from_status: str = Field(description="原状态")
    to_status: str = Field(description="新状态")
    note: str = Field(description="说明或理由")

    @staticmethod
    def resolve_actor(step) -> str:
        return str(step.actor or "")


class ClockOut(Schema):
    name: str = Field(description="时限名称")
    started_on: dt.date = Field(description="起算日")
    due_on: dt.date = Field(description="届满日")
    working: bool = Field(description="是否按工作日计算")
    days_left: int = Field(description="剩余天数（按工作日计算的为工作日；负数为已届满）")
    stopped_on: dt.date | None = Field(description="停止日")


class AttachmentOut(Schema):
    id: int = Field(description="附件 ID")
    document: str = Field(description="材料类别")
    file_name: str = Field(description="文件名")
    uploaded_at: dt.datetime = Field(description="上传时间")


class ObjectionOut(Schema):
    id: int = Field(description="异议 ID")
    text: str = Field(description="异议内容")
    objector: str | None = Field(description="异议人（仅审核人员可见，电话脱敏）")
    answer: str = Field(description="答复")
    answered_at: dt.datetime | None = Field(description="答复时间")

    @staticmethod
    def resolve_objector(objection: Objection, context) -> str | None:
        return selectors.objector_of(context["request"].auth, objection, objection.notice.case)


class NoticeOut(Schema):
    audience: Literal["subtree", "public"] = Field(description="subtree 本工会及下级工会会员，public 社会公开")
    person_name: str = Field(description="姓名")
    unit: str = Field(description="单位")
    decision: str = Field(description="拟决定事项")
    opens_on: dt.date = Field(description="公示开始")
    closes_on: dt.date = Field(description="公示结束")
    token: str = Field(description="公示页面令牌")


class CaseNoticeOut(NoticeOut):
    objections: list[ObjectionOut] = Field(description="异议")

    @staticmethod
    def resolve_objections(notice: PublicNotice) -> list[Objection]:
        return list(notice.objections.select_related("notice__case__org"))


class CaseDetailOut(CaseOut):
    steps: list[StepOut] = Field(description="办理记录")
    clocks: list[ClockOut] = Field(description="法定时限")
    attachments: list[AttachmentOut] = Field(description="材料")
    missing_documents: list[str] = Field(description="尚缺的必备材料")
    notices: list[CaseNoticeOut] = Field(description="公示")

    @staticmethod
    def resolve_steps(case: Case):
        return list(case.steps.select_related("actor"))

    @staticmethod
    def resolve_clocks(case: Case):
        return list(case.clocks.all())

    @staticmethod
    def resolve_attachments(case: Case):
        return list(case.attachments.all())

    @staticmethod
    def resolve_missing_documents(case: Case) -> list[str]:
        return services.missing_documents(case, kind_of(case.kind))

    @staticmethod
    def resolve_notices(case: Case):
        return list(case.notices.order_by("-id"))


class ObjectionReceivedOut(Schema):
    received: bool = Field(description="已收到")
    closes_on: dt.date = Field(description="公示结束日期")


class TransitionIn(Schema):
    model_config = ConfigDict(extra="forbid")
    to: str = Field(max_length=32, description="目标状态代码")
    note: str = Field("", max_length=500, description="说明；退回、不予批准等须填写理由")
    version: int = Field(description="读取时的版本号；已被他人办理时返回 409")


class NoticeIn(Schema):
    model_config = ConfigDict(extra="forbid")
    audience: Literal["subtree", "public"] = Field(description="公示范围")
    person_name: str = Field(max_length=50, description="姓名")
    unit: str = Field(max_length=100, description="单位")
    decision: str = Field(max_length=200, description="拟决定事项")


class ObjectionIn(Schema):
    model_config = ConfigDict(extra="forbid")
    text: str = Field(max_length=2000, description="异议内容")
    name: str = Field(max_length=50, description="异议人姓名（仅审核人员可见）")
    phone: str = Field(max_length=20, description="联系电话（仅审核人员可见）")


class AnswerIn(Schema):
    model_config = ConfigDict(extra="forbid")
    answer: str = Field(max_length=2000, description="答复")


@router.get("/todo", response={200: list[CaseOut], **ERRORS}, summary="事项待办")
@paginate(Pagination)
def todo(request, show: Literal["open", "overdue", "closed"] = "open", kind: str = ""):
    """本人授权范围内各类事项，已超期的在前，再按办理期限排序。"""
    access.require_cadre(request.auth)
    return selectors.todo(request.auth, show=show, kind=kind)


@router.get("/{int:case_id}", response={200: CaseDetailOut, **ERRORS}, summary="事项详情")
def detail(request, case_id: int):
    return selectors.case_for_read(request.auth, case_id)


@router.post("/{int:case_id}/transition", response={200: CaseDetailOut, **CONFLICT}, summary="办理一步")
def transition(request, case_id: int, payload: TransitionIn):
    """按事项类型的流转表办理；不允许的流转、缺理由、公示期内或异议未答复返回 400，版本号过期返回 409。
    有专门业务页面的事项（如入会申请）在其业务页面办理。"""
    case = selectors.case_for_read(request.auth, case_id)
    case = services.case_transition(actor=request.auth, case=case, to=payload.to, note=payload.note,
                                    version=payload.version, generic=True)  # fmt: skip
    return selectors.case_for_read(request.auth, case.pk)


@router.post("/{int:case_id}/notices", response={201: NoticeOut, **ERRORS}, summary="发布公示")
def notice_publish(request, case_id: int, payload: NoticeIn):
    """公示期按事项类型（默认 5 个工作日）；公示内容只有姓名、单位和拟决定事项。"""
    case = selectors.case_for_read(request.auth, case_id)
    return Status(201, services.notice_publish(actor=request.auth, case=case, **payload.dict()))


@router.post("/objections/{int:objection_id}/answer", response={200: ObjectionOut, **CONFLICT}, summary="答复异议")
def objection_answer(request, objection_id: int, payload: AnswerIn):
    objection = selectors.objection_for_read(request.auth, objection_id)
    return services.objection_answer(actor=request.auth, objection=objection, answer=payload.answer)


@router.get("/notices/{token}", auth=None, response={200: NoticeOut, **ERRORS}, summary="公示内容（公开）")
def notice(request, token: str):
    """社会公开的公示；面向会员的公示请在网页上登录后查看。"""
    found = selectors.notice_by_token(token)
    if found.audience != PublicNotice.Audience.PUBLIC:
        raise Http404("公示不存在")
    return found


@router.post("/notices/{token}/objections", auth=None, response={201: ObjectionReceivedOut, 429: ErrorOut, **ERRORS},
             summary="提出异议（公开）")  # fmt: skip
@rate_limit(scope="case-objection-ip", limit=20, window_seconds=3600)
def objection_submit(request, token: str, payload: ObjectionIn):
    """公示期内对社会公开的公示提出异议；异议人姓名和电话加密保存，仅审核人员可见。"""
    found = selectors.notice_by_token(token)
    if found.audience != PublicNotice.Audience.PUBLIC:
        raise Http404("公示不存在")
    services.objection_submit(actor=None, notice=found, **payload.dict())
    return Status(201, {"received": True, "closes_on": found.closes_on})
