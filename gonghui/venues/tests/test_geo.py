"""Positions: WGS-84 → GCJ-02 against the published pair, distances at known lengths, directions, the box."""

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gonghui.venues import geo


def test_wgs84_to_gcj02_matches_the_published_pair():
    # The reference pair of the open implementations (coordtransform, eviltransform): 天安门 area.
    lat, lng = geo.wgs84_to_gcj02(39.915, 116.404)
    assert lat == pytest.approx(39.91640428150164, abs=1e-9)
    assert lng == pytest.approx(116.41024449916938, abs=1e-9)


def test_outside_china_is_unchanged():
    assert geo.wgs84_to_gcj02(51.5007, -0.1246) == (51.5007, -0.1246)  # London
    assert geo.wgs84_to_gcj02(35.6586, 139.7454) == (35.6586, 139.7454)  # Tokyo


@given(st.floats(18.0, 53.0), st.floats(74.0, 134.0))
def test_the_offset_in_china_is_a_few_hundred_metres(lat, lng):
    glat, glng = geo.wgs84_to_gcj02(lat, lng)
    assert 1 < geo.distance_m(lat, lng, glat, glng) < 1200


def test_known_distances():
    # One degree of latitude on the mean sphere: πR/180 = 111,195 m; a quarter meridian: πR/2 = 10,007.6 km, within
    # 0.06% of the ellipsoid's 10,001,966 m.
    assert geo.distance_m(30.0, 120.0, 31.0, 120.0) == pytest.approx(math.pi * geo.EARTH_RADIUS_M / 180, rel=1e-9)
    assert geo.distance_m(0, 0, 90, 0) == pytest.approx(10_007_557, abs=1)
    assert geo.distance_m(0, 0, 90, 0) == pytest.approx(10_001_966, rel=6e-4)
    # One degree of longitude at 60°N is half of one at the equator.
    assert geo.distance_m(60, 10, 60, 11) == pytest.approx(geo.distance_m(0, 10, 0, 11) / 2, rel=2e-4)
    # Beijing (天安门) to Shanghai (人民广场): about 1,067 km.
    assert geo.distance_m(39.9087, 116.3975, 31.2304, 121.4737) == pytest.approx(1_067_000, rel=0.005)
    assert geo.distance_m(30.25, 120.13, 30.25, 120.13) == 0


@given(st.floats(-80, 80), st.floats(-179, 179), st.floats(-80, 80), st.floats(-179, 179))
def test_distance_is_symmetric_and_bounded(lat1, lng1, lat2, lng2):
    d = geo.distance_m(lat1, lng1, lat2, lng2)
    assert d == pytest.approx(geo.distance_m(lat2, lng2, lat1, lng1), abs=1e-6)
    assert 0 <= d <= math.pi * geo.EARTH_RADIUS_M + 1


@pytest.mark.parametrize(
    ("to", "expected"),
    [((30.01, 120.0), "北"), ((30.01, 120.01), "东北"), ((30.0, 120.01), "东"), ((29.99, 120.01), "东南"),
     ((29.99, 120.0), "南"), ((29.99, 119.99), "西南"), ((30.0, 119.99), "西"), ((30.01, 119.99), "西北")],
)  # fmt: skip
def test_walking_direction_in_chinese(to, expected):
    assert geo.direction_zh(geo.bearing_deg(30.0, 120.0, *to)) == expected


def test_direction_boundaries():
    bearings = (0, 22.4, 22.5, 67.4, 337.5, 359.9)
    assert [geo.direction_zh(b) for b in bearings] == ["北", "北", "东北", "东北", "北", "北"]


def test_distance_text():
    assert geo.distance_text(347) == "350 米"
    assert geo.distance_text(1234) == "1.2 公里"


@given(st.floats(18, 53), st.floats(74, 134), st.floats(100, 60_000), st.floats(0, 360), st.floats(0, 1))
def test_every_point_within_the_radius_lies_in_the_box(lat, lng, radius, bearing, share):
    # the point at ``share`` of the radius in direction ``bearing`` (the destination formula on the sphere)
    d, b, p1, l1 = share * radius / geo.EARTH_RADIUS_M, math.radians(bearing), math.radians(lat), math.radians(lng)
    p2 = math.asin(math.sin(p1) * math.cos(d) + math.cos(p1) * math.sin(d) * math.cos(b))
    l2 = l1 + math.atan2(math.sin(b) * math.sin(d) * math.cos(p1), math.cos(d) - math.sin(p1) * math.sin(p2))
    plat, plng = math.degrees(p2), math.degrees(l2)
    box = geo.box_around(lat, lng, radius)
    assert box.south - 1e-9 <= plat <= box.north + 1e-9
    assert box.west - 1e-9 <= plng <= box.east + 1e-9
