"""/api/v1/learning: the worker's own account (credits of the year, completions, check-ins) and 读书打卡; the
cadres' courses and the learning report of a union's subtree by child union."""

import datetime as dt
from decimal import Decimal

from django.http import Http404
from django.utils import timezone
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from gonghui.core.api import ERRORS
from gonghui.core.errors import field_error
from gonghui.core.pagination import Pagination
from gonghui.learning import selectors, services
from gonghui.learning.lists import report_org
from gonghui.orgs import access
from gonghui.venues.models import Kind as VenueKind
from gonghui.venues.models import Venue

router = Router(tags=["学习积分"])


class LearningCompletionOut(Schema):
    id: int
    course_title: str
    org_name: str = Field(description="主办工会")
    completed_on: dt.date
    score: Decimal | None
    credits: Decimal

    @staticmethod
    def resolve_course_title(c):
        return c.course.title

    @staticmethod
    def resolve_org_name(c):
        return c.course.org.name


class LearningCheckInOut(Schema):
    id: int
    title: str = Field(description="书名")
    read_on: dt.date
    minutes: int
    venue_name: str = Field(description="职工书屋，未选为空")
    credits: Decimal

    @staticmethod
    def resolve_venue_name(c):
        return c.venue.name if c.venue else ""


class LearningAccountOut(Schema):
    year: int
    course_credits: Decimal = Field(description="本年课程学分")
    reading_credits: Decimal = Field(description="本年读书学分")
    total_credits: Decimal
    today_reading_credits: Decimal = Field(description="今日读书学分（每日有上限）")
    completions: list[LearningCompletionOut]
    checkins: list[LearningCheckInOut] = Field(description="最近的读书打卡")


class LearningCheckInIn(Schema):
    title: str = Field(max_length=100, description="书名")
    minutes: int = Field(ge=1, le=600, description="阅读时长（分钟）")
    note: str = Field("", max_length=500, description="读书心得")
    venue_id: int | None = Field(None, description="职工书屋（服务阵地编号）")


class LearningCourseOut(Schema):
    id: int
    title: str
    org_name: str
    provider: str
    category: str
    mode: str = Field(description="online 线上、offline 线下")
    hours: Decimal
    credits: Decimal
    starts_on: dt.date
    ends_on: dt.date

    @staticmethod
    def resolve_org_name(c):
        return c.org.name


class LearningReportRowOut(Schema):
    org_id: int
    org_name: str
    total: bool = Field(description="为真时是所查工会的合计（含全部下属），否则为一个直属下级工会及其下属")
    learners: int = Field(description="本年至少结业一门课程的会员")
    credits: Decimal = Field(description="课程学分")
    average: Decimal = Field(description="人均课程学分")
    checkins: int
    reading_credits: Decimal


def _membership(user):
    membership = selectors.membership_of(user)
    if membership is None:
        raise Http404("学习积分需要本人在册的会员身份。")
    return membership


@router.get("/me", response={200: LearningAccountOut, **ERRORS}, summary="我的学习积分")
def me(request):
    """本人本年的课程学分、读书学分、结业记录和最近的读书打卡。"""
    person = _membership(request.auth).person_id
    credits = selectors.credits_of(person, timezone.localdate().year)
    return {"year": credits.year, "course_credits": credits.courses, "reading_credits": credits.reading,
            "total_credits": credits.total, "today_reading_credits": selectors.today_credits(person),
            "completions": list(selectors.my_completions(person)),
            "checkins": selectors.my_checkins(person)}  # fmt: skip


@router.post("/me/checkins", response={200: LearningCheckInOut, **ERRORS}, summary="读书打卡")
def checkin(request, payload: LearningCheckInIn):
    """为今天读的书打卡；学分按所在省份的规则计算，每日有上限；同一本书每天一次。"""
    venue = None
    if payload.venue_id is not None:
        venue = Venue.objects.filter(pk=payload.venue_id, kind=VenueKind.LIBRARY).first()
        if venue is None:
            raise field_error("venue_id", "没有这个职工书屋。")
    return services.checkin_create(actor=request.auth, title=payload.title, minutes=payload.minutes,
                                   note=payload.note, venue=venue)  # fmt: skip


@router.get("/courses", response={200: list[LearningCourseOut], **ERRORS}, summary="课程培训")
@paginate(Pagination)
def courses(request, q: str = "", category: str = "", year: int | None = Query(None, ge=2000, le=2100)):
    """授权范围内各工会及其上级工会的课程培训，新的在前。"""
    access.require_cadre(request.auth)
    return selectors.courses_visible_to(request.auth, q=q, category=category, year=year)


@router.get("/report", response={200: list[LearningReportRowOut], **ERRORS}, summary="学习情况")
def report(request, org_id: int | None = None, year: int | None = Query(None, ge=2000, le=2100)):
    """某工会（默认本人授权的顶层工会）本年或某年的学习情况：合计一行，每个直属下级工会一行。"""
    access.require_cadre(request.auth)
    org = report_org(request.auth, {"org": org_id})
    if org is None:
        return []
    rows = selectors.report_rows(org, year or timezone.localdate().year)
    return [{"org_id": o.pk, "org_name": o.name, "total": not o.total_row, "learners": o.learners,
             "credits": selectors.tenths(o.credits), "average": selectors.average(o.credits, o.learners),
             "checkins": o.checkins, "reading_credits": selectors.tenths(o.reading_credits)}
            for o in rows]  # fmt: skip
