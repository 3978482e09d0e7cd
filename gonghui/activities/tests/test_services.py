"""Sign-up rules: eligibility, deadline, capacity, the waiting list in order, nobody twice."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gonghui.accounts.services import user_create
from gonghui.activities import services
from gonghui.activities.models import Activity, SignUp
from gonghui.activities.tests.conftest import make_activity
from gonghui.core import crypto
from gonghui.core.models import AuditEvent
from gonghui.messages.models import Message
from gonghui.workforce.models import ModelWorker

pytestmark = pytest.mark.django_db


def account(person, name):
    return user_create(actor=None, username=name, password="Gonghui-test-2021", person=person, check_password=False)


def test_publish_checks_scope_and_input(cast):
    with pytest.raises(Http404):
        services.activity_create(actor=cast.users.sibling_admin, org=cast.orgs.company, title="x", place="y",
                                 starts_at=timezone.now(), ends_at=timezone.now(), signup_deadline=timezone.now(),
                                 capacity=1)  # fmt: skip
    with pytest.raises(PermissionDenied):
        services.activity_create(actor=cast.users.readonly, org=cast.orgs.company, title="x", place="y",
                                 starts_at=timezone.now(), ends_at=timezone.now(), signup_deadline=timezone.now(),
                                 capacity=1)  # fmt: skip
    with pytest.raises(ValidationError) as error:
        make_activity(cast, signup_deadline=timezone.now() + dt.timedelta(days=30))
    assert error.value.messages == ["报名截止时间不能晚于活动开始时间。"]
    with pytest.raises(ValidationError):
        make_activity(cast, capacity=0)
    assert not Activity.objects.exists()


def test_confirmed_then_waiting_then_moved_up_in_order(cast):
    activity = make_activity(cast, capacity=1)
    zhang = cast.users.worker
    li = account(cast.members.li.person, "lina")
    first = services.signup_create(actor=zhang, activity=activity)
    second = services.signup_create(actor=li, activity=activity)
    assert (first.status, second.status) == ("confirmed", "waiting")
    with pytest.raises(ValidationError, match="您已经报名了这个活动"):
        services.signup_create(actor=zhang, activity=activity)
    with pytest.raises(ValidationError, match="只能取消本人的报名"):
        services.signup_cancel(actor=li, signup=first)
    promoted = services.signup_cancel(actor=zhang, signup=first)
    assert promoted.pk == second.pk and promoted.status == "confirmed" and promoted.promoted_at
    told = Message.objects.get(user=li)  # the one moved up is told, by text message too (essential)
    assert told.event == "activities.promoted" and told.link == "/activities/mine/"
    assert "夏送清凉慰问" in crypto.decrypt(told.body_enc) and told.deliveries.filter(channel="sms").exists()
    assert not Message.objects.filter(user=zhang).exists()
    activity.refresh_from_db()
    assert activity.confirmed == 1
    again = services.signup_create(actor=zhang, activity=activity)  # after a cancellation, a new sign-up
    assert again.status == "waiting"
    assert AuditEvent.objects.filter(action="activities.signup_cancel", detail__promoted=True).exists()


def test_eligibility_deadline_and_members_only(cast):
    activity = make_activity(cast)
    wang = account(cast.members.wang.person, "wangfang")  # a member in Nanjing, outside the subtree
    with pytest.raises(ValidationError, match="仅限杭州示例科技有限公司工会及下属工会的会员"):
        services.signup_create(actor=wang, activity=activity)
    with pytest.raises(ValidationError, match="请先加入工会"):
        services.signup_create(actor=cast.users.province_admin, activity=activity)
    riders = make_activity(cast, employment_forms=["food_delivery", "courier"])
    with pytest.raises(ValidationError, match="外卖配送员"):
        services.signup_create(actor=cast.users.worker, activity=riders)
    assert services.signup_create(actor=account(cast.members.li.person, "lina"), activity=riders).status == "confirmed"
    hardship = make_activity(cast, groups=["hardship"])
    with pytest.raises(ValidationError, match="仅限以下人群报名：在档困难职工"):
        services.signup_create(actor=cast.users.worker, activity=hardship)
    late = timezone.now() + dt.timedelta(days=6, hours=12)
    with pytest.raises(ValidationError, match="报名已截止"):
        services.signup_create(actor=cast.users.worker, activity=activity, now=late)


def test_an_event_for_groups_other_apps_keep(cast):
    """劳模 and the hardship categories are groups the workforce and assistance apps declare (core.groups): an event
    limited to some of them takes anyone in one of them, and names them when it refuses."""
    with pytest.raises(ValidationError, match="限定人群选项无效"):
        make_activity(cast, groups=["no_such_group"])
    event = make_activity(cast, groups=["hardship_deep", "model_workers"])
    assert event.group_labels == "劳模、深度困难职工"
    with pytest.raises(ValidationError, match="仅限以下人群报名：劳模、深度困难职工"):
        services.signup_create(actor=cast.users.worker, activity=event)
    ModelWorker.objects.create(org=cast.orgs.company, person=cast.users.worker.person, employer_name="示例科技")
    assert services.signup_create(actor=cast.users.worker, activity=event).status == "confirmed"


def test_the_database_refuses_over_capacity_and_a_second_live_sign_up(cast):
    activity = make_activity(cast, capacity=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        Activity.objects.filter(pk=activity.pk).update(confirmed=2)
    services.signup_create(actor=cast.users.worker, activity=activity)
    with pytest.raises(IntegrityError), transaction.atomic():
        SignUp.objects.create(activity=activity, person=cast.members.zhang.person, status="waiting",
                              created_at=timezone.now())  # fmt: skip


# each example makes its own event; the people (and the cast) are shared on purpose
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(capacity=st.integers(1, 3), steps=st.lists(st.tuples(st.booleans(), st.integers(0, 3)), max_size=12))
def test_any_sequence_keeps_the_count_and_the_order(cast, capacity, steps):
    """Sign-ups and cancellations in any order: never over capacity, the count is the confirmed rows, and
    whoever waits longest is first to move up."""
    people = getattr(cast, "_people", None)
    if people is None:
        from gonghui.members.services import member_create
        from gonghui.testing.cast import valid_id

        members = [member_create(actor=None, org=cast.orgs.company, name=f"职工{i}",
                                 id_number=valid_id(f"33010619900101{i:02d}1"), phone=f"1380000000{i}")
                   for i in range(3)]  # fmt: skip
        people = [cast.users.worker] + [account(m.person, f"p{i}") for i, m in enumerate(members)]
        cast._people = people
    activity = make_activity(cast, capacity=capacity)
    for join, who in steps:
        actor = people[who]
        live = SignUp.objects.filter(activity=activity, person=actor.person).exclude(status="cancelled").first()
        if join and live is None:
            services.signup_create(actor=actor, activity=activity)
        elif not join and live is not None:
            waiting = list(SignUp.objects.filter(activity=activity, status="waiting").order_by("created_at", "pk"))
            promoted = services.signup_cancel(actor=actor, signup=live)
            if live.status == "confirmed" and waiting:
                assert promoted.pk == waiting[0].pk
        activity.refresh_from_db()
        confirmed = SignUp.objects.filter(activity=activity, status="confirmed").count()
        assert activity.confirmed == confirmed <= capacity
        if confirmed < capacity:
            assert not SignUp.objects.filter(activity=activity, status="waiting").exists()
