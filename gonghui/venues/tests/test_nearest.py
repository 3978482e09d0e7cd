"""The nearest venues: the same answer as a full scan, correct distances and directions, the filters, and
the widening box."""

import datetime as dt
import math
import random
from zoneinfo import ZoneInfo

import pytest

from gonghui.venues import geo
from gonghui.venues.models import Facility, Kind, Venue
from gonghui.venues.selectors import nearest
from gonghui.venues.tests.conftest import XIHU

pytestmark = pytest.mark.django_db
NOON = dt.datetime(2026, 11, 30, 12, tzinfo=ZoneInfo("Asia/Shanghai"))  # a Monday
NIGHT = NOON.replace(hour=23)


def north_of(lat, lng, metres):
    return lat + math.degrees(metres / geo.EARTH_RADIUS_M), lng


def add(cast, name, lat, lng, **extra):
    fields = {"org": cast.orgs.company, "kind": Kind.STATION, "name": name, "address": "杭州", "lat": lat, "lng": lng,
              "all_day": True} | extra  # fmt: skip
    return Venue.objects.create(**fields)


def scatter(cast, n, seed, spread_km):
    rng = random.Random(seed)
    rows = [Venue(org=cast.orgs.company, kind=Kind.STATION, name=f"驿站{i}", address="杭州", all_day=rng.random() < 0.5,
                  opens_at=dt.time(8), closes_at=dt.time(20), facilities=rng.randrange(64),
                  lat=XIHU[0] + rng.gauss(0, spread_km / 111.2), lng=XIHU[1] + rng.gauss(0, spread_km / 96.0))
            for i in range(n)]  # fmt: skip
    Venue.objects.bulk_create(rows)


def full_scan(lat, lng, limit, facilities=0):
    rows = [(geo.distance_m(lat, lng, v.lat, v.lng), v.pk) for v in Venue.objects.all()
            if v.facilities & facilities == facilities]  # fmt: skip
    return [pk for _, pk in sorted(rows)[:limit]]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_same_answer_as_a_full_scan(cast, seed):
    scatter(cast, 400, seed, spread_km=8)
    rng = random.Random(seed * 7)
    for _ in range(5):
        lat, lng = XIHU[0] + rng.uniform(-0.1, 0.1), XIHU[1] + rng.uniform(-0.1, 0.1)
        assert [n.venue.pk for n in nearest(lat=lat, lng=lng, limit=20)] == full_scan(lat, lng, 20)
        wanted = Facility.WATER | Facility.CHARGING
        found = nearest(lat=lat, lng=lng, limit=10, facilities=wanted)
        assert [n.venue.pk for n in found] == full_scan(lat, lng, 10, wanted)


def test_distance_and_direction_at_known_places(cast):
    near = add(cast, "北面 800 米", *north_of(*XIHU, 800))
    far = add(
        cast,
        "东面 5 公里",
        XIHU[0],
        XIHU[1] + math.degrees(5000 / (geo.EARTH_RADIUS_M * math.cos(math.radians(XIHU[0])))),
    )
    found = nearest(lat=XIHU[0], lng=XIHU[1], limit=5, moment=NOON)
    assert [n.venue for n in found] == [near, far]
    assert found[0].distance_m == pytest.approx(800, abs=0.01) and found[0].direction == "北"
    assert found[0].distance_text == "800 米"
    # 5 km along the parallel is a little more than the great circle between the two points
    assert found[1].distance_m == pytest.approx(5000, rel=1e-4) and found[1].direction == "东"


def test_open_now_and_kind_filters(cast):
    day_only = add(cast, "白天开放", *north_of(*XIHU, 100), all_day=False, opens_at=dt.time(8), closes_at=dt.time(20))
    always = add(cast, "24 小时", *north_of(*XIHU, 300))
    library = add(cast, "书屋", *north_of(*XIHU, 200), kind=Kind.LIBRARY)
    assert [n.venue for n in nearest(lat=XIHU[0], lng=XIHU[1], moment=NOON)] == [day_only, library, always]
    at_night = nearest(lat=XIHU[0], lng=XIHU[1], moment=NIGHT, open_now=True)
    assert [n.venue for n in at_night] == [library, always]
    closed = nearest(lat=XIHU[0], lng=XIHU[1], moment=NIGHT)
    assert [n.open_now for n in closed] == [False, True, True]
    assert [n.venue for n in nearest(lat=XIHU[0], lng=XIHU[1], kind=Kind.STATION, moment=NOON)] == [day_only, always]


def test_the_box_widens_until_enough_are_found_and_stops_at_the_limit(cast):
    inactive = add(cast, "停用", *north_of(*XIHU, 50), is_active=False)
    ten = add(cast, "10 公里", *north_of(*XIHU, 10_000))
    forty = add(cast, "40 公里", *north_of(*XIHU, 40_000))
    add(cast, "60 公里", *north_of(*XIHU, 60_000))
    found = [n.venue for n in nearest(lat=XIHU[0], lng=XIHU[1], limit=5)]
    assert found == [ten, forty] and inactive not in found
    assert [n.venue for n in nearest(lat=XIHU[0], lng=XIHU[1], limit=1)] == [ten]
