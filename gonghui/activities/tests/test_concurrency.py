"""Hundreds of sign-ups at once, on PostgreSQL: the capacity is never exceeded, the rest wait in line, and
nobody is signed up twice (the event's row lock and the partial unique constraint)."""

import pytest
from django.db import connection

from gonghui.accounts.services import user_create
from gonghui.activities import services
from gonghui.activities.models import SignUp
from gonghui.activities.tests.conftest import make_activity
from gonghui.members.services import member_create
from gonghui.testing.cast import valid_id
from gonghui.testing.concurrency import at_once

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks and concurrent transactions")


def _all_at_once(actors, activity) -> list[str]:
    return at_once([lambda a=a: services.signup_create(actor=a, activity=activity).status for a in actors])


@pytest.mark.django_db(transaction=True)
def test_thirty_members_at_once_for_ten_places(cast):
    people = []
    for i in range(30):
        member = member_create(actor=None, org=cast.orgs.company, name=f"骑手{i}",
                               id_number=valid_id(f"33010619950101{i:02d}1"), phone=f"1390000{i:04d}")  # fmt: skip
        people.append(user_create(actor=None, username=f"rider{i}", password="Gonghui-test-2021",
                                  person=member.person, check_password=False))  # fmt: skip
    activity = make_activity(cast, capacity=10)
    outcomes = _all_at_once(people, activity)
    assert sorted(outcomes) == ["confirmed"] * 10 + ["waiting"] * 20
    activity.refresh_from_db()
    assert activity.confirmed == SignUp.objects.filter(activity=activity, status="confirmed").count() == 10


@pytest.mark.django_db(transaction=True)
def test_one_member_tapping_many_times_at_once_is_signed_up_once(cast):
    activity = make_activity(cast, capacity=5)
    outcomes = _all_at_once([cast.users.worker] * 8, activity)
    assert sorted(outcomes) == ["confirmed"] + ["您已经报名了这个活动。"] * 7
    assert SignUp.objects.filter(activity=activity).count() == 1
