"""Positions on the ground: WGS-84 (what a phone's GPS gives) to GCJ-02 (what Chinese maps use, and what
venues store), the great-circle distance, the walking direction in Chinese, and the box around a point that
the nearest-station search scans on indexed columns (docs/decisions/0018-venues-nearest.md)."""

import math
from dataclasses import dataclass

EARTH_RADIUS_M = 6_371_008.8  # the mean radius (IUGG)

# GCJ-02 (国测局坐标): the published form of the offset, as in every open implementation (Krasovsky 1940).
_A = 6_378_245.0
_EE = 0.00669342162296594323


def out_of_china(lat: float, lng: float) -> bool:
    """Outside the rough box of the mainland, where GCJ-02 equals WGS-84."""
    return not (72.004 <= lng <= 137.8347 and 0.8293 <= lat <= 55.8271)


def _offset_lat(x: float, y: float) -> float:
    r = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * math.sqrt(abs(x))
    r += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    r += (20.0 * math.sin(y * math.pi) + 40.0 * math.sin(y / 3.0 * math.pi)) * 2.0 / 3.0
    r += (160.0 * math.sin(y / 12.0 * math.pi) + 320.0 * math.sin(y * math.pi / 30.0)) * 2.0 / 3.0
    return r


def _offset_lng(x: float, y: float) -> float:
    r = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * math.sqrt(abs(x))
    r += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    r += (20.0 * math.sin(x * math.pi) + 40.0 * math.sin(x / 3.0 * math.pi)) * 2.0 / 3.0
    r += (150.0 * math.sin(x / 12.0 * math.pi) + 300.0 * math.sin(x / 30.0 * math.pi)) * 2.0 / 3.0
    return r


def wgs84_to_gcj02(lat: float, lng: float) -> tuple[float, float]:
    """A GPS position (WGS-84) as GCJ-02 (lat, lng); unchanged outside China."""
    if out_of_china(lat, lng):
        return lat, lng
    dlat = _offset_lat(lng - 105.0, lat - 35.0)
    dlng = _offset_lng(lng - 105.0, lat - 35.0)
    radlat = lat / 180.0 * math.pi
    magic = 1 - _EE * math.sin(radlat) ** 2
    sqrtmagic = math.sqrt(magic)
    dlat = (dlat * 180.0) / ((_A * (1 - _EE)) / (magic * sqrtmagic) * math.pi)
    dlng = (dlng * 180.0) / (_A / sqrtmagic * math.cos(radlat) * math.pi)
    return lat + dlat, lng + dlng


def distance_m(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    """The great-circle distance in metres (haversine on the mean sphere; within 0.5% of the ellipsoid)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lng2 - lng1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(h)))


def bearing_deg(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    """The initial bearing from the first point to the second, degrees clockwise from north, in [0, 360)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dl = math.radians(lng2 - lng1)
    x = math.sin(dl) * math.cos(p2)
    y = math.cos(p1) * math.sin(p2) - math.sin(p1) * math.cos(p2) * math.cos(dl)
    return (math.degrees(math.atan2(x, y)) + 360.0) % 360.0


DIRECTIONS = ("北", "东北", "东", "东南", "南", "西南", "西", "西北")


def direction_zh(bearing: float) -> str:
    """The bearing as one of the eight directions a passer-by gives (北, 东北, 东 …), 45° each."""
    return DIRECTIONS[int(((bearing % 360.0) + 22.5) // 45.0) % 8]


def distance_text(metres: float) -> str:
    """ "350 米" below a kilometre, else "1.2 公里"."""
    return f"{round(metres / 10) * 10:.0f} 米" if metres < 1000 else f"{metres / 1000:.1f} 公里"


@dataclass(frozen=True)
class Box:
    """The latitude/longitude box that holds every point within ``radius_m`` of a centre."""

    south: float
    north: float
    west: float
    east: float


def box_around(lat: float, lng: float, radius_m: float) -> Box:
    dlat = math.degrees(radius_m / EARTH_RADIUS_M)
    # the widest longitude span is at the box's edge nearer the pole
    edge = min(89.9, abs(lat) + dlat)
    dlng = min(180.0, dlat / math.cos(math.radians(edge)))
    return Box(lat - dlat, lat + dlat, lng - dlng, lng + dlng)
