"""/api/v1/venues: the nearest venues from a position (any signed-in caller), check-in by a QR token, the
keeper's visits today; the cadres' venue list, detail with the standard checklist, and registration."""

import datetime as dt
from decimal import Decimal

from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import ConfigDict

from gonghui.core.api import ERRORS
from gonghui.core.pagination import Pagination
from gonghui.orgs import access
from gonghui.orgs.models import Org
from gonghui.venues import geo, places, selectors, services
from gonghui.venues.hours import hours_text
from gonghui.venues.standards import checklist

router = Router(tags=["服务阵地"])


class VenueOut(Schema):
    id: int
    kind: str = Field(
        description="station 工会驿站、centre 职工服务中心、palace 工人文化宫、library 职工书屋、"
        "nursing 女职工休息哺乳室"
    )
    name: str
    address: str
    lat: float | None = Field(description="纬度（GCJ-02）")
    lng: float | None = Field(description="经度（GCJ-02）")
    hours: str = Field(description="开放时间")
    facilities: list[str] = Field(description="设施")
    org_name: str = Field(description="主办工会")

    @staticmethod
    def resolve_hours(venue):
        return hours_text(all_day=venue.all_day, opens_at=venue.opens_at, closes_at=venue.closes_at,
                          open_days=venue.open_days)  # fmt: skip

    @staticmethod
    def resolve_facilities(venue):
        return venue.facility_labels()

    @staticmethod
    def resolve_org_name(venue):
        return venue.org.name


class NearbyVenueOut(Schema):
    venue: VenueOut
    distance_m: float = Field(description="直线距离（米）")
    direction: str = Field(description="步行方向：北、东北、东……")
    open_now: bool = Field(description="现在是否开放（北京时间）")


class NearbyQuery(Schema):
    lat: float = Field(ge=-90, le=90)
    lng: float = Field(ge=-180, le=180)
    gps: bool = Field(False, description="坐标为手机 GPS（WGS-84），服务端转换为 GCJ-02")
    kind: str = Field("", max_length=16, description="阵地类型，空为全部")
    facilities: int = Field(
        0, ge=0, description="需要的设施（位掩码：1 休息、2 饮水、4 取暖、8 充电、16 如厕、32 急救、64 微波炉……）"
    )
    open_now: bool = False
    limit: int = Field(20, ge=1, le=50)


class ChecklistItemOut(Schema):
    label: str
    met: bool
    detail: str


class RecognitionOut(Schema):
    title: str
    year: int
    conferred_by: str


class VenueDetailOut(VenueOut):
    library_grade: str
    area_m2: Decimal | None
    books: int | None
    keeper_name: str
    is_active: bool
    version: int
    standard: str = Field(description="适用的建设标准")
    standard_met: bool = Field(description="是否达标")
    checklist: list[ChecklistItemOut]
    recognitions: list[RecognitionOut]

    @staticmethod
    def resolve_standard(venue):
        return checklist(venue).standard

    @staticmethod
    def resolve_standard_met(venue):
        return checklist(venue).met

    @staticmethod
    def resolve_checklist(venue):
        return list(checklist(venue).items)

    @staticmethod
    def resolve_recognitions(venue):
        return list(selectors.recognitions_of(venue))


class VenueIn(Schema):
    model_config = ConfigDict(extra="forbid")
    org_id: int
    kind: str = Field(max_length=16)
    name: str = Field(max_length=100)
    address: str = Field(max_length=200)
    lat: float | None = Field(None, ge=-90, le=90)
    lng: float | None = Field(None, ge=-180, le=180)
    wgs84: bool = Field(False, description="坐标为 GPS（WGS-84），保存前转换为 GCJ-02")
    phone: str = Field("", max_length=20)
    all_day: bool = False
    opens_at: dt.time | None = None
    closes_at: dt.time | None = None
    open_days: str = Field("1234567", max_length=7, description="开放日，1-7 为周一至周日")
    facilities: list[int] = Field(default_factory=list, description="设施（位值）")
    keeper_name: str = Field("", max_length=50)
    area_m2: Decimal | None = Field(None, ge=0, max_digits=8, decimal_places=1)
    books: int | None = Field(None, ge=0)
    digital_platform: bool = False
    library_grade: str = Field("", max_length=16)
    checked: list[str] = Field(default_factory=list, description="现场核验的标准项")


class CheckInIn(Schema):
    model_config = ConfigDict(extra="forbid")
    token: str = Field(max_length=200, description="阵地二维码中的签名")


class CheckInOut(Schema):
    venue_name: str
    at: dt.datetime
    created: bool = Field(description="false 表示今天已经签到过")


class KeeperDayOut(Schema):
    venue_id: int
    venue_name: str
    visits: int
    times: list[dt.datetime]


class VenuePlaceOut(Schema):
    code: str = Field(description="行政区划代码（GB/T 2260）")
    label: str = Field(description="省市区县全称")
    lat: float = Field(description="纬度（GCJ-02）")
    lng: float = Field(description="经度（GCJ-02）")
    estimated_from_venues: int = Field(description="0 为区划中心位置；大于 0 为按该区划已登记的这么多个阵地的中心估算")
    note: str


@router.get("/places", response={200: VenuePlaceOut, **ERRORS}, summary="按地址或地名定位")
def place(request, q: str = Query("", max_length=100)):
    """输入的地址或地名（如“杭州市西湖区”“北京朝阳区建国路”）所在区县的位置，用于查找附近的阵地（/venues/nearby）。
    只识别省、市、区县名称；同名区县在多地时返回 400，请加上省或市的名称。"""
    found = places.place_of(q)
    return {"code": found.division.code, "label": found.label, "lat": found.lat, "lng": found.lng,
            "estimated_from_venues": found.estimated_from_venues, "note": found.note}  # fmt: skip


@router.get("/nearby", response={200: list[NearbyVenueOut], **ERRORS}, summary="附近的阵地")
def nearby(request, filters: Query[NearbyQuery]):
    """离给定位置最近的在用阵地（最多 50 个、50 公里内）：距离、步行方向、是否正在开放，可按类型和设施筛选。"""
    lat, lng = geo.wgs84_to_gcj02(filters.lat, filters.lng) if filters.gps else (filters.lat, filters.lng)
    found = selectors.nearest(lat=lat, lng=lng, limit=filters.limit, kind=filters.kind,
                              facilities=filters.facilities, open_now=filters.open_now)  # fmt: skip
    return [{"venue": n.venue, "distance_m": round(n.distance_m, 1), "direction": n.direction,
             "open_now": n.open_now} for n in found]  # fmt: skip


@router.post("/checkins", response={201: CheckInOut, 200: CheckInOut, **ERRORS}, summary="扫码签到")
def checkin(request, payload: CheckInIn):
    """扫描阵地二维码后签到；同一阵地每人每天计一次。"""
    row, created = services.checkin_record(actor=request.auth, token=payload.token)
    return Status(201 if created else 200, {"venue_name": row.venue.name, "at": row.at, "created": created})


@router.get("/keeper/today", response={200: list[KeeperDayOut], **ERRORS}, summary="我管理的阵地今日到访")
def keeper_today(request):
    """本人作为管理员的阵地，今天的签到人次和时间（不含签到人信息）。"""
    return [{"venue_id": d.venue.pk, "venue_name": d.venue.name, "visits": d.visits, "times": d.times}
            for d in selectors.keeper_today(request.auth)]  # fmt: skip


@router.get("", response={200: list[VenueOut], **ERRORS}, summary="服务阵地")
@paginate(Pagination)
def venues(request, kind: str = "", q: str = ""):
    """授权范围内的服务阵地，可按类型和名称筛选。"""
    access.require_cadre(request.auth)
    return selectors.venues_visible_to(request.auth, kind=kind, q=q)


@router.get("/{int:venue_id}", response={200: VenueDetailOut, **ERRORS}, summary="服务阵地详情")
def venue_detail(request, venue_id: int):
    """阵地信息、适用标准的核验清单和结果、荣誉。"""
    return selectors.venue_for_read(request.auth, venue_id)


@router.post("", response={201: VenueDetailOut, **ERRORS}, summary="登记服务阵地")
def venue_create(request, payload: VenueIn):
    """在有写权限的工会下登记阵地；坐标为 GPS 时请设 wgs84。"""
    access.require_cadre(request.auth)
    org = Org.objects.get_for_read(request.auth, payload.org_id)
    data = payload.dict(exclude={"org_id"})
    return Status(201, services.venue_create(actor=request.auth, org=org, **data))
