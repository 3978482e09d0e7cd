"""/api/v1/activities: the member's open events, sign-up and cancellation; the cadres' event list."""

import datetime as dt

from django.http import Http404
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from gonghui.activities import selectors, services
from gonghui.core.api import ERRORS
from gonghui.core.pagination import Pagination
from gonghui.orgs import access

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


@router.get("", response={200: list[ActivityOut], **ERRORS}, summary="活动")
@paginate(Pagination)
def activities(request, campaign: str = ""):
    """授权范围内的活动，可按品牌活动筛选。"""
    access.require_cadre(request.auth)
    return selectors.activities_visible_to(request.auth, campaign=campaign)
