"""The person's messages, for their own copy of their data (declared in apps.py)."""

from django.utils import timezone

from gonghui.accounts.models import User
from gonghui.core import crypto
from gonghui.core.registry import message_events
from gonghui.members.models import Person
from gonghui.messages.models import Message, Preference


def _at(moment) -> str:
    return timezone.localtime(moment).isoformat(timespec="seconds") if moment else ""


def messages_section(person: Person) -> dict:
    """The messages of the person's accounts, with their delivery, and the text-message preference."""
    users = User.objects.filter(person=person)
    events = message_events()
    rows = Message.objects.filter(user__in=users).prefetch_related("deliveries").order_by("created_at", "id")
    return {
        "非必要消息也发短信": "否" if Preference.objects.filter(user__in=users, sms_optional=False).exists() else "是",
        "消息": [
            {"时间": _at(m.created_at), "类型": events[m.event].label if m.event in events else m.event,
             "标题": m.title, "内容": crypto.decrypt(m.body_enc), "阅读时间": _at(m.read_at),
             "发送": [f"{d.channel}：{d.get_status_display()}" for d in m.deliveries.all()]}
            for m in rows
        ],
    }  # fmt: skip
