"""Sitting notices through the message centre: the materials sent to the representatives (recorded, each told,
the 7-day rule shown) and the opening of a sitting (each told to check in)."""

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from gonghui.core import crypto
from gonghui.democracy import services
from gonghui.democracy.models import Sitting
from gonghui.democracy.tests.conftest import congress_of
from gonghui.messages.models import Message


def test_representatives_hear_of_the_materials_and_the_opening(client, cast):
    c = congress_of(cast)  # its first sitting opened: every representative with an account was told
    opened = Message.objects.filter(event="democracy.sitting_opened")
    assert opened.count() == 6 and {m.user_id for m in opened} == {u.pk for u in c.users.values()}
    assert opened.first().title == "职代会已开幕，请签到" and opened.first().link == reverse("democracy:mine")

    today = timezone.localdate()
    later = services.sitting_create(actor=c.admin, term=c.term, number=2, title="第三届职代会第二次会议",
                                    starts_on=today + dt.timedelta(days=10), place="公司报告厅")  # fmt: skip
    page = reverse("democracy:sitting", args=[later.pk])
    client.force_login(cast.users.readonly)
    act = reverse("democracy:sitting_act", args=[later.pk])
    assert client.post(act, {"action": "materials"}).status_code == 403
    assert not Message.objects.filter(event="democracy.materials_sent").exists()
    client.force_login(c.admin)
    assert "会议材料尚未送达代表" in client.get(page).content.decode()
    assert client.post(act, {"action": "materials"}).status_code == 302
    assert Sitting.objects.get(pk=later.pk).materials_sent_on == today
    sent = Message.objects.filter(event="democracy.materials_sent")
    assert sent.count() == 6 and "第三届职代会第二次会议" in crypto.decrypt(sent.first().body_enc)
    shown = client.get(page).content.decode()
    assert "会议材料尚未送达" not in shown and 'id="materials-warning"' not in shown  # 10 days ahead: in time
    # Sent once: a second time is refused in Chinese, nobody is told again.
    client.post(act, {"action": "materials"})
    assert sent.count() == 6 and "会议材料已于" in client.get(page).content.decode()


def test_materials_sent_late_are_flagged(client, cast):
    c = congress_of(cast)
    today = timezone.localdate()
    late = services.sitting_create(actor=c.admin, term=c.term, number=2, title="临时会议",
                                   starts_on=today + dt.timedelta(days=3), place="会议室")  # fmt: skip
    services.materials_send(actor=c.admin, sitting=late)
    client.force_login(c.admin)
    assert "少于规定的 7 日" in client.get(reverse("democracy:sitting", args=[late.pk])).content.decode()
