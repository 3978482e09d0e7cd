"""At the event: the organiser shows the QR code, a member with a confirmed place scans it on the day and is
checked in once; after the event the attendees rate it once; the organiser sees attendance and the average;
the attendees are asked by a message to rate it."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from gonghui.accounts.services import user_create
from gonghui.activities import selectors, services
from gonghui.activities.models import SignUp
from gonghui.activities.tests.conftest import make_activity
from gonghui.core import crypto
from gonghui.core.models import AuditEvent
from gonghui.messages.models import Message
from gonghui.privacy.services import personal_data_of
from gonghui.testing import pii_guard

pytestmark = pytest.mark.django_db
NOW = timezone.make_aware(dt.datetime(2026, 7, 15, 9, 0))  # Asia/Shanghai


def account(person, name):
    return user_create(actor=None, username=name, password="Gonghui-test-2021", person=person, check_password=False)


def event_on(cast, day_start: dt.datetime, *, capacity=1, hours=3):
    """An event starting at ``day_start`` for ``hours``, sign-ups made a day before."""
    return make_activity(cast, capacity=capacity, starts_at=day_start, ends_at=day_start + dt.timedelta(hours=hours),
                         signup_deadline=day_start - dt.timedelta(hours=12))  # fmt: skip


def test_checked_in_once_on_the_day_with_a_confirmed_place_only(cast):
    activity = event_on(cast, NOW + dt.timedelta(hours=1))
    zhang, li = cast.users.worker, account(cast.members.li.person, "lina")
    before = NOW - dt.timedelta(days=1)
    services.signup_create(actor=zhang, activity=activity, now=before)
    services.signup_create(actor=li, activity=activity, now=before)  # capacity 1: waiting
    token = services.checkin_token(activity)
    with pytest.raises(ValidationError, match="活动在 2026年07月15日 举行，请当天到场后再签到"):
        services.activity_checkin(actor=zhang, token=token, now=NOW - dt.timedelta(days=1))
    with pytest.raises(ValidationError, match="候补名单"):
        services.activity_checkin(actor=li, token=token, now=NOW)
    with pytest.raises(ValidationError, match="您没有报名这个活动"):
        services.activity_checkin(actor=cast.users.grassroots_admin, token=token, now=NOW)
    with pytest.raises(ValidationError, match="二维码无效"):
        services.activity_checkin(actor=zhang, token=token + "x", now=NOW)
    with pytest.raises(ValidationError, match="二维码无效"):  # a venue's token is not an event's
        services.activity_checkin(actor=zhang, token=f"{activity.pk}:forged", now=NOW)
    row, created = services.activity_checkin(actor=zhang, token=token, now=NOW)  # early morning of the day: fine
    again, created_again = services.activity_checkin(actor=zhang, token=token, now=NOW + dt.timedelta(hours=2))
    assert created and not created_again and again.pk == row.pk and again.checked_in_at == NOW
    activity.refresh_from_db()
    assert activity.checked_in == 1
    with pytest.raises(ValidationError, match="已在现场签到，不能取消"):
        services.signup_cancel(actor=zhang, signup=row, now=NOW)
    assert services.checkin_refusal(activity, row, NOW + dt.timedelta(hours=5)) == "活动已经结束，不能再签到。"
    assert AuditEvent.objects.filter(action="activities.checkin").count() == 1


def test_feedback_once_after_the_event_by_attendees_and_the_average(cast):
    activity = event_on(cast, NOW, capacity=5)
    people = [cast.users.worker, account(cast.members.li.person, "lina")]
    signups = [services.signup_create(actor=p, activity=activity, now=NOW - dt.timedelta(days=1)) for p in people]
    token = services.checkin_token(activity)
    services.activity_checkin(actor=people[0], token=token, now=NOW)
    after = NOW + dt.timedelta(hours=4)
    with pytest.raises(ValidationError, match="只有到场签到的职工才能评价"):
        services.feedback_submit(actor=people[1], signup=signups[1], rating=5, now=after)
    with pytest.raises(ValidationError, match="活动结束后才能评价"):
        services.feedback_submit(actor=people[0], signup=signups[0], rating=5, now=NOW + dt.timedelta(hours=1))
    for bad in (0, 6, "5", True, None):
        with pytest.raises(ValidationError, match="请选择 1 到 5 分"):
            services.feedback_submit(actor=people[0], signup=signups[0], rating=bad, now=after)
    with pytest.raises(ValidationError, match="最多 500 字"):
        services.feedback_submit(actor=people[0], signup=signups[0], rating=4, comment="好" * 501, now=after)
    with pytest.raises(ValidationError, match="只能评价本人参加的活动"):
        services.feedback_submit(actor=people[1], signup=signups[0], rating=4, now=after)
    rated = services.feedback_submit(actor=people[0], signup=signups[0], rating=4, comment=" 饮品很及时 ", now=after)
    assert rated.rating == 4 and crypto.decrypt(rated.comment_enc) == "饮品很及时"
    with pytest.raises(ValidationError, match="已经评价过"):
        services.feedback_submit(actor=people[0], signup=signups[0], rating=1, now=after)
    activity.refresh_from_db()
    assert (activity.rating_count, activity.rating_sum, activity.satisfaction) == (1, 4, 4.0)
    seen = selectors.attendance_of(activity)
    assert (seen["confirmed"], seen["checked_in"], seen["rated"]) == (2, 1, 1)
    assert seen["comments"][0]["comment"] == "饮品很及时" and (4, 1) in seen["by_rating"]
    with pii_guard.paused():
        copy = personal_data_of(cast.members.zhang.person)["活动报名"]
    assert copy[0]["满意度"] == 4 and copy[0]["评价意见"] == "饮品很及时" and copy[0]["现场签到时间"]


def test_attendees_are_asked_to_rate_once_by_a_message(cast):
    activity = event_on(cast, NOW, capacity=5)
    li = account(cast.members.li.person, "lina")
    for person in (cast.users.worker, li):
        services.signup_create(actor=person, activity=activity, now=NOW - dt.timedelta(days=1))
    services.activity_checkin(actor=cast.users.worker, token=services.checkin_token(activity), now=NOW)
    assert services.feedback_invite(today=NOW.date()) == 0  # not ended before today
    assert services.feedback_invite(today=NOW.date() + dt.timedelta(days=1)) == 1
    assert services.feedback_invite(today=NOW.date() + dt.timedelta(days=2)) == 0  # once
    asked = Message.objects.get(event="activities.feedback")
    assert asked.user == cast.users.worker and asked.link == reverse("activities:mine")
    assert "夏送清凉慰问" in crypto.decrypt(asked.body_enc) and not Message.objects.filter(user=li).exists()


def test_from_the_phone_scan_check_in_and_rate(cast, client):
    now = timezone.now()
    activity = make_activity(cast, starts_at=now, ends_at=now + dt.timedelta(hours=2),
                             signup_deadline=now - dt.timedelta(hours=1))  # fmt: skip
    services.signup_create(actor=cast.users.worker, activity=activity, now=now - dt.timedelta(hours=2))
    client.force_login(cast.users.grassroots_admin)
    shown = client.get(reverse("activities:qr", args=[activity.pk])).content.decode()
    url = reverse("activities:checkin", args=[services.checkin_token(activity)])
    assert "<svg" in shown and "请报名成功的职工用手机扫码签到" in shown
    client.force_login(cast.users.worker)
    assert "确认签到" in client.get(url).content.decode()
    assert "签到成功" in client.post(url).content.decode()
    assert "您已签到" in client.post(url).content.decode()
    forged = client.get(reverse("activities:checkin", args=["1:abc"]))
    assert forged.status_code == 404 and "二维码无效" in forged.content.decode()
    SignUp.objects.filter(activity=activity).update(checked_in_at=now - dt.timedelta(hours=3))
    activity.__class__.objects.filter(pk=activity.pk).update(starts_at=now - dt.timedelta(hours=4),
                                                            ends_at=now - dt.timedelta(hours=1))  # fmt: skip
    mine = client.get(reverse("activities:mine")).content.decode()
    row = SignUp.objects.get(activity=activity)
    assert f'data-rate="{row.pk}"' in mine
    bad = client.post(reverse("activities:feedback", args=[row.pk]), {"rating": 9}, follow=True).content.decode()
    assert "请选择 1 到 5 分的满意度" in bad
    done = client.post(reverse("activities:feedback", args=[row.pk]), {"rating": 5, "comment": "很好"}, follow=True)
    assert "感谢您的评价" in done.content.decode() and "已评 5 分" in done.content.decode()
    client.force_login(cast.users.grassroots_admin)
    detail = client.get(reverse("activities:detail", args=[activity.pk])).content.decode()
    assert "data-satisfaction>5.0<" in detail and "很好" in detail
