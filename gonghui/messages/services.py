"""Every write of the message centre. ``notify`` is the one way any app tells a person something: it writes
the inbox message inside the caller's transaction (a decision rolled back tells nobody anything) and, once
that commits, the delivery task sends the text message and further channels (a slow gateway never holds up
the cadre's request; docs/decisions/0021-message-centre.md)."""

import datetime as dt
import logging

from django.db import transaction
from django.http import Http404
from django.utils import timezone

from gonghui.accounts.models import User
from gonghui.core import crypto
from gonghui.core.audit import audit_record
from gonghui.core.batches import in_batches
from gonghui.core.jobs import enqueue_on_commit
from gonghui.core.masking import mask_text
from gonghui.core.registry import MessageEvent, message_events
from gonghui.core.sealed import SealedPhone
from gonghui.messages.channels import channel, channels
from gonghui.messages.models import Delivery, Message, Preference

logger = logging.getLogger(__name__)


def _render(template: str, context: dict) -> str:
    """The template filled in; an ID or mobile number typed into a reason is masked (messages never carry one)."""
    return mask_text(template.format_map(context))


def _sends_outside(user: User, event: MessageEvent) -> bool:
    """Essential events always go by text message; the others unless the account turned that off."""
    if not event.sms:
        return False
    if event.essential:
        return True
    return not Preference.objects.filter(user=user, sms_optional=False).exists()


def notify(*, user: User | None = None, person=None, event: str, context: dict | None = None, link: str = "",
           phone: SealedPhone | None = None) -> Message | None:  # fmt: skip
    """消息: tell ``user`` (or the account of ``person``) about ``event`` (a declared ``MessageEvent`` key),
    its templates filled from ``context`` (plain strings and numbers; an ID or phone number comes out masked);
    ``link`` is the page it is about; ``phone`` the number to text when not the member record's (an applicant's).
    A person without an account gets nothing (there is no inbox to put it in). Returns the message."""
    declared = message_events()[event]
    if user is None and person is not None:
        user = User.objects.filter(person=person, is_active=True).first()
    if user is None:
        return None
    values = {key: str(value) for key, value in (context or {}).items()}
    message = Message.objects.create(
        user=user, event=event, title=_render(declared.title, values)[:100], link=link[:200],
        body_enc=crypto.encrypt(_render(declared.body, values)), essential=declared.essential,
    )  # fmt: skip
    if _sends_outside(user, declared):
        text = _render(declared.sms, values)
        rows = [
            Delivery(message=message, channel=c.key, address_enc=address, text_enc=crypto.encrypt(text))
            for c in channels()
            if (address := c.address(user, phone))
        ]
        if rows:
            Delivery.objects.bulk_create(rows)
            from gonghui.messages.tasks import deliver_task

            enqueue_on_commit(deliver_task, message_id=message.pk)
    return message


def message_deliver(*, message_id: int) -> int:
    """The delivery task: sends each pending delivery of the message once (claimed by a conditional UPDATE,
    so two workers never send it twice); a failure is recorded, not retried. Returns how many were sent."""
    sent = 0
    for delivery in Delivery.objects.filter(message_id=message_id, status=Delivery.Status.PENDING).select_related(
        "message"
    ):
        if not Delivery.objects.filter(pk=delivery.pk, status=Delivery.Status.PENDING).update(
            status=Delivery.Status.SENDING, attempted_at=timezone.now()
        ):
            continue
        try:
            text = crypto.decrypt(delivery.text_enc)
            channel(delivery.channel).send(address=delivery.address_enc, title=delivery.message.title, text=text,
                                           link=delivery.message.link)  # fmt: skip
        except Exception as error:  # a gateway's failure of any kind is recorded on the delivery
            logger.warning("消息 %s 经 %s 发送失败：%s", message_id, delivery.channel, type(error).__name__)
            Delivery.objects.filter(pk=delivery.pk).update(status=Delivery.Status.FAILED,
                                                           error=type(error).__name__[:200])  # fmt: skip
            continue
        Delivery.objects.filter(pk=delivery.pk).update(status=Delivery.Status.SENT)
        sent += 1
    return sent


def _own(actor, pk: int) -> Message:
    message = Message.objects.filter(pk=pk, user_id=getattr(actor, "pk", None)).first()
    if message is None:
        raise Http404("消息不存在")
    return message


def message_read(*, actor, pk: int) -> Message:
    """已读: the account opens one of its own messages (anyone else's does not exist)."""
    message = _own(actor, pk)
    if message.read_at is None:
        Message.objects.filter(pk=message.pk, read_at__isnull=True).update(read_at=timezone.now())
        message.refresh_from_db(fields=["read_at"])
    return message


def messages_read_all(*, actor) -> int:
    """全部已读: every unread message of the account; returns how many."""
    return Message.objects.filter(user_id=actor.pk, read_at__isnull=True).update(read_at=timezone.now())


@transaction.atomic
def preference_set(*, actor, sms_optional: bool) -> Preference:
    """消息设置: whether non-essential events also come by text message (audited: it is the person's choice)."""
    preference, _ = Preference.objects.update_or_create(user=actor, defaults={"sms_optional": sms_optional})
    audit_record(actor=actor, action="message.preference", obj=preference, detail={"sms_optional": sms_optional})
    return preference


def messages_delete(*, cutoff: dt.datetime, batch_size: int) -> int:
    """Retention (保存期限): messages older than ``cutoff`` are deleted with their deliveries, in batches."""
    old = Message.objects.filter(created_at__lt=cutoff)
    return in_batches(old, lambda ids: Message.objects.filter(pk__in=ids).delete()[1].get("messaging.Message", 0),
                      batch_size)  # fmt: skip
