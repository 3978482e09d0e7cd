"""The demo: the venues around real cities and the seasonal campaigns, with a visit and a sign-up."""

import random

from gonghui.accounts.models import User
from gonghui.activities.demo import load_demo_activities
from gonghui.activities.models import Activity, SignUp
from gonghui.members.demo import load_demo
from gonghui.venues.demo import load_demo_venues
from gonghui.venues.models import CheckIn, Kind, Recognition, Venue
from gonghui.venues.standards import checklist


def test_demo_venues_and_activities(db):
    load_demo(members=300, seed=3, provinces={"33", "32"})
    made = load_demo_venues(rng=random.Random(3), stations_per_city=10)
    assert made == Venue.objects.count() > 40
    assert set(Venue.objects.values_list("kind", flat=True)) == set(Kind.values)
    results = {checklist(v).met for v in Venue.objects.filter(kind=Kind.STATION)}
    assert results == {True, False}
    assert Recognition.objects.filter(title="best_station").exists()
    assert CheckIn.objects.filter(venue__keeper__username="jiceng").exists()
    assert load_demo_activities() == Activity.objects.count() == 8
    assert Activity.objects.filter(checked_in=1, rating_count=1, rating_sum=5).count() == 1
    assert SignUp.objects.filter(person_id=User.objects.get(username="zhigong").person_id).exists()
