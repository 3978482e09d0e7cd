"""Venues tests: venues registered through the services, in the cast's tree (杭州 西湖区 and 南京 玄武区)."""

import datetime as dt

from gonghui.venues import services
from gonghui.venues.models import Facility, Kind
from gonghui.venues.standards import STATION_FACILITIES

# 西湖区 (GCJ-02): the cast's company stands near 西溪; 玄武区 in Nanjing is ~230 km away.
XIHU = (30.2590, 120.1300)
XUANWU = (32.0480, 118.7970)


def station_data(**extra) -> dict:
    data = {
        "kind": Kind.STATION, "name": "西溪路环卫工会驿站", "address": "杭州市西湖区西溪路 1 号", "lat": XIHU[0],
        "lng": XIHU[1], "all_day": False, "opens_at": dt.time(8), "closes_at": dt.time(20), "open_days": "1234567",
        "facilities": list(STATION_FACILITIES) + [Facility.MICROWAVE], "keeper_name": "王师傅",
        "checked": ["sign", "place", "rules"],
    }  # fmt: skip
    return data | extra


def make_station(cast, *, actor=None, org=None, **extra):
    return services.venue_create(actor=actor or cast.users.grassroots_admin, org=org or cast.orgs.company,
                                 **station_data(**extra))  # fmt: skip
