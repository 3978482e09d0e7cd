"""The message centre: notify, the inbox, the text-message preference, the delivery task, the person's copy
and retention."""

import datetime as dt

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from hypothesis import given, settings
from hypothesis import strategies as st

from gonghui.core import crypto, sms
from gonghui.core.audit import AuditEvent
from gonghui.core.models import QueuedTask
from gonghui.core.registry import message_events
from gonghui.core.sealed import seal_phone
from gonghui.messages import channels, selectors, services
from gonghui.messages.models import Delivery, Message
from gonghui.messages.pipl import messages_section

pytestmark = pytest.mark.django_db

STEP = {"kind": "困难帮扶申请", "status": "已受理，建档中", "org": "西溪街道工会", "note": ""}
CLOSED = STEP | {"status": "不予受理", "note": "说明：不符合条件"}


def test_every_declared_event_renders_in_chinese_from_its_own_fields():
    events = message_events()
    assert {"joining.accepted", "joining.rejected", "members.transfer_done", "cases.action_needed",
            "cases.deadline_near", "cases.closed", "cases.step"} <= events.keys()  # fmt: skip
    for event in events.values():
        fields = {name for template in (event.title, event.body, event.sms) for _, name, _, _ in
                  __import__("string").Formatter().parse(template) if name}  # fmt: skip
        text = services._render(event.body, dict.fromkeys(fields, "某"))
        assert "{" not in text and event.label
        assert not event.sms or event.sms.startswith("【智慧工会】")


def test_notify_writes_the_inbox_encrypted_and_queues_delivery_after_commit(cast, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        message = services.notify(user=cast.users.worker, event="cases.closed", context=CLOSED, link="/me/")
    assert message.title == "困难帮扶申请已办结：不予受理"
    assert "不符合条件" not in message.body_enc and "不符合条件" in selectors.body(message)
    assert selectors.unread_count(cast.users.worker) == 1
    assert set(message.deliveries.values_list("channel", flat=True)) == {"sms", "wechat"}
    assert DBTaskResult.objects.filter(args_kwargs__kwargs={"message_id": message.pk}).exists()
    assert not QueuedTask.objects.exists()  # the queue took it (core.jobs.enqueue_on_commit)
    assert sms.outbox == []  # nothing is sent by the request itself
    assert services.message_deliver(message_id=message.pk) == 2
    assert sms.outbox[-1].phone == "13812345678" and "不予受理" in sms.outbox[-1].text
    assert services.message_deliver(message_id=message.pk) == 0  # sent once


def test_nothing_is_queued_when_the_decision_rolls_back(cast, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        services.notify(user=cast.users.worker, event="cases.closed", context=CLOSED)
    assert len(callbacks) == 1  # enqueued by on_commit only, so a rolled-back decision never sends


def test_the_sms_goes_to_the_phone_given_and_ids_and_phones_in_a_reason_are_masked(cast):
    message = services.notify(user=cast.users.worker, event="cases.closed", phone=seal_phone("13566667777"),
                              context=CLOSED | {"note": "请致电13912345678，证件330106199003071236"})  # fmt: skip
    services.message_deliver(message_id=message.pk)
    assert sms.outbox[-1].phone == "13566667777"
    body = selectors.body(message)
    assert "13912345678" not in body and "139****5678" in body and "330106199003071236" not in body


def test_worker_turning_sms_off_keeps_essential_events_by_sms_and_the_rest_in_the_inbox_only(cast):
    services.preference_set(actor=cast.users.worker, sms_optional=False)
    assert AuditEvent.objects.filter(action="message.preference").exists()
    optional = services.notify(user=cast.users.worker, event="cases.step", context=STEP)
    essential = services.notify(user=cast.users.worker, event="cases.closed", context=CLOSED)
    assert not optional.deliveries.exists() and essential.deliveries.filter(channel="sms").exists()
    services.preference_set(actor=cast.users.worker, sms_optional=True)
    assert services.notify(user=cast.users.worker, event="cases.step", context=STEP).deliveries.exists()


def test_in_app_only_events_and_people_without_an_account(cast):
    message = services.notify(user=cast.users.grassroots_admin, event="cases.deadline_near_handler",
                              context=STEP | {"deadline": "2026年12月1日"})  # fmt: skip
    assert message.deliveries.count() == 0
    assert services.notify(person=cast.members.li.person, event="cases.step", context=STEP) is None
    assert services.notify(person=cast.members.zhang.person, event="cases.step", context=STEP).user == cast.users.worker


def test_a_failing_gateway_is_recorded_not_raised(cast, settings):
    settings.GONGHUI_SMS_BACKEND = "gonghui.messages.tests.test_services.broken_gateway"
    message = services.notify(user=cast.users.worker, event="cases.closed", context=CLOSED)
    assert services.message_deliver(message_id=message.pk) == 1  # the WeChat log channel
    failed = Delivery.objects.get(message=message, channel="sms")
    assert failed.status == Delivery.Status.FAILED and failed.error == "TimeoutError"


def broken_gateway(phone, text):
    raise TimeoutError


def test_wechat_log_channel_logs_the_title_never_the_text(cast, caplog):
    message = services.notify(user=cast.users.worker, event="cases.closed", context=CLOSED, link="/me/")
    with caplog.at_level("INFO", logger="gonghui.messages.channels"):
        services.message_deliver(message_id=message.pk)
    line = next(r.getMessage() for r in caplog.records if r.name == "gonghui.messages.channels")
    assert "困难帮扶申请已办结" in line and "不符合条件" not in line
    assert channels.channel("wechat").label == "微信公众号"


def test_reading_one_and_all_only_ever_touches_ones_own(cast):
    mine = [services.notify(user=cast.users.worker, event="cases.step", context=STEP) for _ in range(3)]
    other = services.notify(user=cast.users.grassroots_admin, event="cases.step", context=STEP)
    services.message_read(actor=cast.users.worker, pk=mine[0].pk)
    assert selectors.unread_count(cast.users.worker) == 2
    with pytest.raises(Exception, match="消息不存在"):
        services.message_read(actor=cast.users.worker, pk=other.pk)
    assert services.messages_read_all(actor=cast.users.worker) == 2
    assert selectors.unread_count(cast.users.worker) == 0 and selectors.unread_count(cast.users.grassroots_admin) == 1


def test_the_persons_copy_and_retention(cast):
    services.notify(user=cast.users.worker, event="cases.closed", context=CLOSED)
    section = messages_section(cast.members.zhang.person)
    assert section["消息"][0]["内容"].startswith("西溪街道工会已办结") and section["非必要消息也发短信"] == "是"
    old = services.notify(user=cast.users.worker, event="cases.step", context=STEP)
    Message.objects.filter(pk=old.pk).update(created_at=timezone.now() - dt.timedelta(days=400))
    assert services.messages_delete(cutoff=timezone.now() - dt.timedelta(days=365), batch_size=10) == 1
    assert Message.objects.filter(user=cast.users.worker).count() == 1


@settings(max_examples=40, deadline=None)
@given(st.text(max_size=60))
def test_rendering_never_lets_a_full_phone_or_id_through(text):
    from gonghui.core.masking import has_id_or_phone

    rendered = services._render("原因：{reason}", {"reason": text + "13912345678" + text})
    assert not has_id_or_phone(rendered)


def test_ciphertext_is_not_the_body(cast):
    message = services.notify(user=cast.users.worker, event="cases.step", context=STEP)
    assert crypto.decrypt(message.body_enc) == selectors.body(message)
