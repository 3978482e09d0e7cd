"""Many scans at once on PostgreSQL: each person is counted once a day, and the day's footfall is exact
(the unique constraint on check-ins, the footfall row updated in place)."""

import pytest
from django.db import connection

from gonghui.accounts.services import user_create
from gonghui.testing.concurrency import at_once
from gonghui.venues import services
from gonghui.venues.models import CheckIn, Footfall
from gonghui.venues.tests.conftest import make_station

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent transactions")


def _scan_all(actors, token) -> list[str]:
    return at_once([lambda a=a: "new" if services.checkin_record(actor=a, token=token)[1] else "again" for a in actors],
                   timeout=60)  # fmt: skip


@pytest.mark.django_db(transaction=True)
def test_the_same_person_scanning_at_once_is_counted_once(cast):
    venue = make_station(cast)
    outcomes = _scan_all([cast.users.worker] * 8, services.qr_token(venue))
    assert sorted(outcomes) == ["again"] * 7 + ["new"]
    assert CheckIn.objects.count() == 1 and Footfall.objects.get().visits == 1


@pytest.mark.django_db(transaction=True)
def test_many_people_scanning_at_once_are_all_counted(cast):
    venue = make_station(cast)
    people = [user_create(actor=None, username=f"rider{i}", password="Gonghui-test-2021", check_password=False)
              for i in range(12)]  # fmt: skip
    outcomes = _scan_all(people, services.qr_token(venue))
    assert outcomes == ["new"] * 12
    assert CheckIn.objects.count() == 12 and Footfall.objects.get().visits == 12
