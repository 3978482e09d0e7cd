"""Reads of the message centre: only ever the signed-in account's own messages."""

from django.db.models import QuerySet

from gonghui.accounts import audiences
from gonghui.core import crypto
from gonghui.messages.models import Message, Preference


def has_inbox(user) -> bool:
    """Who sees 消息 in the navigation: workers (members and applicants) and cadres."""
    return audiences.worker(user) or audiences.cadre(user)


def inbox(user) -> QuerySet[Message]:
    return Message.objects.filter(user_id=user.pk).order_by("-created_at", "-id")


def unread_count(user) -> int:
    """The badge beside 消息 (one indexed count; 0 for the anonymous)."""
    if not getattr(user, "is_authenticated", False):
        return 0
    return Message.objects.filter(user_id=user.pk, read_at__isnull=True).count()


def body(message: Message) -> str:
    return crypto.decrypt(message.body_enc)


def sms_optional(user) -> bool:
    preference = Preference.objects.filter(user_id=user.pk).first()
    return preference is None or preference.sms_optional
