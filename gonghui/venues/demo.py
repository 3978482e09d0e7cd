"""演示数据: venues around real cities — rest stations scattered around the city centre with varied hours
and facilities (some 最美工会驿站), libraries of each grade, nursing rooms, a service centre and a cultural
palace — hosted by the demo tree's union of each city. The grassroots demo cadre keeps one station in
Hangzhou, with two drawn pictures as its photos, and the demo worker has checked in there today, so the
keeper's page shows a visit."""

import datetime as dt
import io
import random

from django.db import transaction
from django.utils import timezone

from gonghui.accounts.models import User
from gonghui.core.registry import DemoRun
from gonghui.orgs.models import Org
from gonghui.venues import services
from gonghui.venues.models import Facility, Kind, LibraryGrade, Recognition
from gonghui.venues.standards import NURSING_FACILITIES, STATION_FACILITIES

# City centres (GCJ-02, as Chinese maps give them; rounded): the city's region code, its name.
CITIES = (
    ("3301", "杭州", 30.2741, 120.1551), ("3302", "宁波", 29.8683, 121.5440), ("3303", "温州", 27.9943, 120.6994),
    ("1101", "北京", 39.9042, 116.4074), ("3101", "上海", 31.2304, 121.4737), ("4401", "广州", 23.1291, 113.2644),
    ("4403", "深圳", 22.5431, 114.0579), ("3201", "南京", 32.0603, 118.7969), ("3205", "苏州", 31.2989, 120.5853),
    ("5101", "成都", 30.5728, 104.0668), ("4201", "武汉", 30.5928, 114.3055), ("3701", "济南", 36.6512, 117.1201),
    ("3702", "青岛", 36.0671, 120.3826), ("6101", "西安", 34.3416, 108.9398), ("5001", "重庆", 29.5630, 106.5516),
)  # fmt: skip
STREETS = ("人民路", "解放路", "中山路", "建设路", "文化路", "和平路", "新华路", "胜利路", "长江路", "滨江大道")
PLACES = ("环卫所", "快递网点", "加油站", "社区服务中心", "公交首末站", "银行网点", "商场", "地铁站")
HOURS = (
    {"all_day": True},
    {"opens_at": dt.time(8), "closes_at": dt.time(20)},
    {"opens_at": dt.time(7), "closes_at": dt.time(19), "open_days": "12345"},
    {"opens_at": dt.time(9), "closes_at": dt.time(21)},
    {"opens_at": dt.time(22), "closes_at": dt.time(6)},
)
EXTRAS = (Facility.MICROWAVE, Facility.COOLING, Facility.WIFI)


def _host(code: str) -> Org | None:
    """The demo tree's union nearest the top in the city's region."""
    return Org.objects.filter(region__code__startswith=code).order_by("depth", "pk").first()


def _near(rng: random.Random, lat: float, lng: float, km: float) -> tuple[float, float]:
    return round(lat + rng.gauss(0, km / 111.2), 6), round(lng + rng.gauss(0, km / 96.0), 6)


def _station(rng: random.Random, city: str, i: int, lat: float, lng: float) -> dict:
    full = rng.random() < 0.7
    facilities = list(STATION_FACILITIES) if full else rng.sample(list(STATION_FACILITIES), 4)
    facilities += rng.sample(list(EXTRAS), rng.randrange(0, 3))
    vlat, vlng = _near(rng, lat, lng, 6)
    place = rng.choice(PLACES)
    return {
        "kind": Kind.STATION, "name": f"{city}{rng.choice(STREETS)}{place}工会驿站{i}号",
        "address": f"{city}市{rng.choice(STREETS)}{rng.randrange(1, 400)}号{place}内", "lat": vlat, "lng": vlng,
        "phone": "12351", "facilities": facilities, "keeper_name": "驿站管理员",
        "checked": ["sign", "place", "rules"] if full else ["place"], **HOURS[i % len(HOURS)],
    }  # fmt: skip


def _others(rng: random.Random, city: str, lat: float, lng: float) -> list[dict]:
    day = {"opens_at": dt.time(9), "closes_at": dt.time(17), "open_days": "12345"}
    library = {"kind": Kind.LIBRARY, "facilities": [Facility.COMPUTER, Facility.WIFI, Facility.WATER], **day}
    return [
        {**library, "name": f"{city}市总工会职工书屋", "library_grade": LibraryGrade.NATIONAL, "books": 5200,
         "digital_platform": True, "area_m2": 120, "checked": ["room", "computer"], "keeper_name": "书屋管理员"},
        {**library, "name": f"{city}高新区职工书屋", "library_grade": LibraryGrade.LOCAL, "books": 800, "area_m2": 45},
        {**library, "name": f"{city}物流园职工书屋", "library_grade": LibraryGrade.SELF_BUILT, "books": 300,
         "area_m2": 20},
        {"kind": Kind.NURSING, "name": f"{city}市总工会女职工休息哺乳室", "area_m2": 12,
         "facilities": list(NURSING_FACILITIES), **day},
        {"kind": Kind.NURSING, "name": f"{city}商务楼宇爱心妈咪小屋", "area_m2": 8,
         "facilities": [Facility.FRIDGE, Facility.SINK, Facility.NURSING_CHAIR], **day},
        {"kind": Kind.CENTRE, "name": f"{city}市职工服务中心", "phone": "12351",
         "facilities": [Facility.REST, Facility.WATER, Facility.TOILET, Facility.WIFI], **day},
        {"kind": Kind.PALACE, "name": f"{city}市工人文化宫", "opens_at": dt.time(8, 30), "closes_at": dt.time(21),
         "facilities": [Facility.REST, Facility.WATER, Facility.TOILET, Facility.COOLING]},
    ]  # fmt: skip


@transaction.atomic
def load_demo_venues(*, rng: random.Random, stations_per_city: int) -> int:
    """Returns how many venues were made."""
    made, first_station = 0, None
    this_year = timezone.localdate().year
    keeper = User.objects.filter(username="jiceng").first()
    for code, city, lat, lng in CITIES:
        org = _host(code)
        if org is None:
            continue
        for i in range(1, stations_per_city + 1):
            data = _station(rng, city, i, lat, lng)
            if first_station is None and keeper is not None:
                data |= {"keeper": keeper, "keeper_name": keeper.display_name}
            venue = services.venue_create(actor=None, org=org, **data)
            first_station = first_station or venue
            if i % 5 == 1:
                year = this_year - rng.randrange(0, 3)
                services.recognition_add(actor=None, venue=venue, title=Recognition.Title.BEST_STATION, year=year,
                                         conferred_by="中华全国总工会")  # fmt: skip
            made += 1
        for data in _others(rng, city, lat, lng):
            vlat, vlng = _near(rng, lat, lng, 3)
            address = f"{city}市{rng.choice(STREETS)}{rng.randrange(1, 400)}号"
            venue = services.venue_create(actor=None, org=org, address=address, lat=vlat, lng=vlng, **data)
            if data.get("library_grade") == LibraryGrade.NATIONAL:
                services.recognition_add(actor=None, venue=venue, title=Recognition.Title.DEMO_LIBRARY,
                                         year=this_year - 1, conferred_by="中华全国总工会")  # fmt: skip
            made += 1
    if first_station is not None:
        for caption, colours in (
            ("驿站外观", ((214, 40, 40), (250, 245, 235))),
            ("休息区", ((40, 110, 190), (235, 240, 245))),
        ):
            services.photo_add(actor=None, venue=first_station, file=_picture(*colours), caption=caption)
    worker = User.objects.filter(username="zhigong").first()
    if first_station is not None and worker is not None:
        services.checkin_record(actor=worker, token=services.qr_token(first_station))
    return made


def _picture(roof: tuple, wall: tuple) -> io.BytesIO:
    """A drawn picture of a small station (DEMO DATA: the demo has no real photos), as a JPEG."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (800, 600), (200, 225, 240))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 470, 800, 600), fill=(150, 150, 150))
    draw.rectangle((200, 260, 600, 470), fill=wall, outline=(90, 90, 90), width=4)
    draw.polygon([(170, 270), (400, 130), (630, 270)], fill=roof)
    draw.rectangle((360, 350, 440, 470), fill=(120, 80, 50))
    draw.rectangle((230, 310, 320, 380), fill=(170, 210, 235), outline=(90, 90, 90), width=3)
    draw.rectangle((480, 310, 570, 380), fill=(170, 210, 235), outline=(90, 90, 90), width=3)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85)
    out.seek(0)
    return out


def demo_load(run: DemoRun) -> None:
    """The declared demo loader (after the members demo)."""
    made = load_demo_venues(rng=run.rng, stations_per_city=min(200, 12 + run.members // 500))
    run.summary.append(f"{made} 个服务阵地")
