"""/api/v1/activities: the member's open events, sign-up and cancellation; the cadres' event list."""

import datetime as dt
from decimal import Decimal

from django.http import Http404
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import ConfigDict

from gonghui.activities import selectors, services
from gonghui.core.api import ERRORS
from gonghui.core.pagination import Pagination
from gonghui.orgs import access
from gonghui.orgs.models import Org

router = Router(tags=["活动"])


class ActivityOut(Schema):
    id: int
    title: str
    campaign: str = Field(
        description="spring 春送岗位、summer 夏送清凉、autumn 金秋助学、winter 冬送温暖，空为其他活动"
    )
    org_name: str
    place: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    signup_deadline: dt.datetime
    capacity: int
    confirmed: int = Field(description="已确认人数")

    @staticmethod
    def resolve_org_name(activity):
        return activity.org.name


class SignUpOut(Schema):
    id: int
    activity_id: int
    status: str = Field(description="confirmed 报名成功、waiting 候补、cancelled 已取消")
    created_at: dt.datetime
    checked_in_at: dt.datetime | None = Field(None, description="现场签到时间")
    rating: int | None = Field(None, description="本人的满意度评分（1-5）")


class ActivityCheckInIn(Schema):
    model_config = ConfigDict(extra="forbid")
    token: str = Field(max_length=200, description="活动签到二维码中的签名")


class ActivityCheckInOut(Schema):
    activity_id: int
    title: str
    checked_in_at: dt.datetime
    created: bool = Field(description="false 表示此前已经签到")


class ActivityFeedbackIn(Schema):
    model_config = ConfigDict(extra="forbid")
    rating: int = Field(description="满意度 1-5（5 为非常满意）")
    comment: str = Field("", max_length=500, description="意见建议，可不填")


class ActivityAttendanceOut(Schema):
    confirmed: int = Field(description="报名成功人数")
    checked_in: int = Field(description="现场签到人数")
    rated: int = Field(description="评价人数")
    satisfaction: float | None = Field(description="平均满意度（1-5），无人评价时为空")
    by_rating: dict[int, int] = Field(description="各分值的评价人数")


class ActivityReportRowOut(Schema):
    org_id: int
    org_name: str
    own: bool = Field(description="true 为所选工会本级（不含下级）的活动")
    events: int
    signed_up: int
    participants: int = Field(description="参加人数（到场签到的会员，去重）")
    checkins: int
    rated: int
    satisfaction: Decimal | None


class ActivityReportOut(Schema):
    events: int
    signed_up: int
    participants: int
    checkins: int
    rated: int
    satisfaction: Decimal | None
    unions: list[ActivityReportRowOut] = Field(description="所选工会本级和各直属下级工会（含其下属）的数字")


@router.get("/open", response={200: list[ActivityOut], **ERRORS}, summary="可报名的活动")
def open_activities(request):
    """本人所在工会及上级工会发布、尚未截止报名的活动。"""
    return list(selectors.open_for(request.auth))


@router.post("/{int:activity_id}/signups", response={201: SignUpOut, **ERRORS}, summary="报名")
def signup(request, activity_id: int):
    """名额未满为报名成功，已满为候补；同一活动每人只能报名一次。"""
    activity = selectors.open_for(request.auth).filter(pk=activity_id).first()
    if activity is None:
        raise Http404("活动不存在或已截止报名")
    return Status(201, services.signup_create(actor=request.auth, activity=activity))


@router.post("/signups/{int:signup_id}/cancel", response={200: SignUpOut | None, **ERRORS}, summary="取消报名")
def cancel(request, signup_id: int):
    """取消本人的报名；若释放了名额，候补第一位自动转为报名成功（返回其报名，否则为空）。"""
    row = selectors.own_signup(request.auth, signup_id)
    if row is None:
        raise Http404("报名不存在")
    return services.signup_cancel(actor=request.auth, signup=row)


@router.post("/checkins", response={201: ActivityCheckInOut, 200: ActivityCheckInOut, **ERRORS}, summary="活动签到")
def checkin(request, payload: ActivityCheckInIn):
    """扫描活动现场出示的二维码签到：须报名成功、在活动当天；每人只计一次（再次扫码返回首次签到）。"""
    row, created = services.activity_checkin(actor=request.auth, token=payload.token)
    return Status(201 if created else 200, {"activity_id": row.activity_id, "title": row.activity.title,
                                            "checked_in_at": row.checked_in_at, "created": created})  # fmt: skip


@router.post("/signups/{int:signup_id}/feedback", response={200: SignUpOut, **ERRORS}, summary="活动评价")
def feedback(request, signup_id: int, payload: ActivityFeedbackIn):
    """活动结束后，到场签到的本人评价一次：满意度 1-5，意见可不填。"""
    row = selectors.own_signup(request.auth, signup_id)
    if row is None:
        raise Http404("报名不存在")
    return services.feedback_submit(actor=request.auth, signup=row, rating=payload.rating, comment=payload.comment)


@router.get("/{int:activity_id}/attendance", response={200: ActivityAttendanceOut, **ERRORS}, summary="到场和满意度")
def attendance(request, activity_id: int):
    """授权范围内活动的报名、签到、评价人数和平均满意度（不含评价人）。"""
    access.require_cadre(request.auth)
    data = selectors.attendance_of(selectors.activity_for_read(request.auth, activity_id))
    return {**data, "satisfaction": data["satisfaction"], "by_rating": dict(data["by_rating"])}


@router.get("/report", response={200: ActivityReportOut, **ERRORS}, summary="活动统计")
def report(request, org_id: int | None = None, year: int | None = Query(None, ge=2000, le=2100)):
    """授权范围（或 org_id 工会及其下属）内的活动场次、报名、参加人数（去重）、签到、平均满意度，
    按本级和直属下级工会分列；year 为活动开始的年度，不填为全部。"""
    access.require_cadre(request.auth)
    org = Org.objects.get_for_read(request.auth, org_id) if org_id else None
    totals = selectors.report_totals(request.auth, org, year)
    unions = [{"org_id": o.pk, "org_name": o.name, "own": o.own_row, "events": o.events, "signed_up": o.signed_up,
               "participants": o.participants, "checkins": o.checkins, "rated": o.rated,
               "satisfaction": selectors.row_satisfaction(o)}
              for o in selectors.report_orgs(request.auth, org, year)[:500]]  # fmt: skip
    return {**totals.__dict__, "unions": unions}


@router.get("", response={200: list[ActivityOut], **ERRORS}, summary="活动")
@paginate(Pagination)
def activities(request, campaign: str = ""):
    """授权范围内的活动，可按品牌活动筛选。"""
    access.require_cadre(request.auth)
    return selectors.activities_visible_to(request.auth, campaign=campaign)
