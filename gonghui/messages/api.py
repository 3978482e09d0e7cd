"""/api/v1/messages: the signed-in account's own message centre for a phone app — the inbox, one message (opening it
marks it read), all read, and the text-message preference. Only ever the caller's own messages."""

import datetime as dt

from django.http import Http404
from ninja import Field, Router, Schema
from ninja.pagination import paginate

from gonghui.core.api import ERRORS
from gonghui.core.pagination import Pagination
from gonghui.core.registry import message_events
from gonghui.messages import selectors, services
from gonghui.orgs import access

router = Router(tags=["消息中心"])


class InboxItemOut(Schema):
    id: int
    event: str = Field(description="消息类型（如 cases.closed）")
    event_label: str = Field(description="消息类型的中文名称")
    title: str
    link: str = Field(description="消息所涉页面的站内地址")
    created_at: dt.datetime
    unread: bool

    @staticmethod
    def resolve_event_label(message):
        event = message_events().get(message.event)
        return event.label if event else message.event

    @staticmethod
    def resolve_unread(message):
        return message.read_at is None


class InboxMessageOut(InboxItemOut):
    body: str = Field(description="正文（证件号、手机号已打码）")
    read_at: dt.datetime | None

    @staticmethod
    def resolve_body(message):
        return selectors.body(message)


class InboxReadAllOut(Schema):
    read: int = Field(description="本次标为已读的条数")


class InboxPreferenceIn(Schema):
    sms_optional: bool = Field(description="非必要的通知也发短信")


class InboxPreferenceOut(InboxPreferenceIn):
    essential_sms: list[str] = Field(description="总是以短信发送的重要通知类型")


def _inbox_user(request):
    if not selectors.has_inbox(request.auth):
        raise access.deny(request.auth, "消息中心供职工和工会干部使用。")
    return request.auth


def _preference(user) -> InboxPreferenceOut:
    essential = sorted((e for e in message_events().values() if e.sms and e.essential), key=lambda e: e.order)
    return InboxPreferenceOut(sms_optional=selectors.sms_optional(user), essential_sms=[e.label for e in essential])


@router.get("/", response={200: list[InboxItemOut], **ERRORS}, summary="我的消息")
@paginate(Pagination)
def inbox(request, unread: bool = False):
    messages = selectors.inbox(_inbox_user(request))
    return messages.filter(read_at__isnull=True) if unread else messages


@router.get("/{int:message_id}", response={200: InboxMessageOut, **ERRORS}, summary="阅读消息（标为已读）")
def read(request, message_id: int):
    try:
        return services.message_read(actor=_inbox_user(request), pk=message_id)
    except Http404:
        raise Http404("消息不存在") from None


@router.post("/read-all", response={200: InboxReadAllOut, **ERRORS}, summary="全部标为已读")
def read_all(request):
    return {"read": services.messages_read_all(actor=_inbox_user(request))}


@router.get("/preferences", response={200: InboxPreferenceOut, **ERRORS}, summary="消息设置")
def preferences(request):
    return _preference(_inbox_user(request))


@router.put("/preferences", response={200: InboxPreferenceOut, **ERRORS}, summary="修改消息设置")
def preferences_set(request, payload: InboxPreferenceIn):
    user = _inbox_user(request)
    services.preference_set(actor=user, sms_optional=payload.sms_optional)
    return _preference(user)
