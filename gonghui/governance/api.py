"""/api/v1/governance: the overview (一屏总览) of the top of the caller's scope or of a node in it — each figure
with its monthly trend, the children's figures (for a drill-down), the targets with their progress; the
online opinion (网上舆论) summary of a node, and items pushed by another system."""

import datetime as dt

from ninja import Field, Router, Schema, Status

from gonghui.core.api import ERRORS
from gonghui.governance import selectors, services
from gonghui.orgs.models import Org

router = Router(tags=["一屏总览"])


class PointOut(Schema):
    month: str = Field(description="月份 YYYY-MM")
    value: float


class FigureOut(Schema):
    key: str
    label: str
    unit: str
    value: float = Field(description="本月数值（本级及全部下级）")
    trend: list[PointOut] = Field(description="近 12 个月，按月")


class ChildOut(Schema):
    id: int
    name: str
    values: dict[str, float] = Field(description="指标 -> 本月数值")


class TargetOut(Schema):
    id: int
    key: str
    label: str
    value: float = Field(description="目标值")
    due_on: str = Field(description="完成期限")
    actual: float
    progress_percent: float = Field(description="完成进度（%）")
    pace_per_month: float | None = Field(description="按期完成还需每月增加；已过期限为空")
    projected: float | None = Field(description="按近几个月趋势预计到期限时的数值")


class CrumbOut(Schema):
    id: int
    name: str


class OverviewOut(Schema):
    org: CrumbOut
    breadcrumb: list[CrumbOut]
    figures: list[FigureOut]
    children: list[ChildOut]
    targets: list[TargetOut]


def _out(user, org) -> dict:
    data = selectors.overview(user, org)
    return {
        "org": {"id": org.pk, "name": org.name},
        "breadcrumb": [{"id": o.pk, "name": o.name} for o in data.breadcrumb],
        "figures": [{"key": f.key, "label": f.label, "unit": f.unit, "value": f.value,
                     "trend": [{"month": m, "value": v} for m, v in f.trend]} for f in data.figures],
        "children": [{"id": c.org.pk, "name": c.org.name, "values": c.values} for c in data.children],
        "targets": [{"id": t.target.pk, "key": t.target.key, "label": t.label, "value": t.target.value,
                     "due_on": t.target.due_on.isoformat(), "actual": t.actual, "progress_percent": t.percent,
                     "pace_per_month": t.pace, "projected": t.projected} for t in data.targets],
    }  # fmt: skip


@router.get("", response={200: OverviewOut, **ERRORS}, summary="一屏总览（本人范围的最高一级）")
def overview_home(request):
    """授权范围最高一级工会的总览。"""
    return _out(request.auth, selectors.home_org(request.auth))


@router.get("/orgs/{int:org_id}", response={200: OverviewOut, **ERRORS}, summary="一屏总览（某一级工会）")
def overview_org(request, org_id: int):
    """授权范围内某一级工会的总览（下钻）；范围外为 404。"""
    return _out(request.auth, selectors.org_for_read(request.auth, org_id))


class OpinionItemIn(Schema):
    id: str = Field(description="推送方的条目编号（同一工会内重复推送只保留一次）", max_length=64)
    occurred_at: dt.datetime = Field(description="发生时间")
    text: str = Field(description="内容（身份证号、手机号在保存前脱敏）", max_length=1000)


class OpinionPushIn(Schema):
    org_id: int = Field(description="所属工会（须有写权限）")
    items: list[OpinionItemIn] = Field(description="条目，一次最多 200 条")


class OpinionPushOut(Schema):
    kept: int = Field(description="新保存的条数")
    already: int = Field(description="此前已推送、本次跳过的条数")


class KeywordOut(Schema):
    word: str
    count: int


class OpinionDayOut(Schema):
    day: str = Field(description="MM-DD")
    positive: int
    neutral: int
    negative: int


class OpinionNegativeOut(Schema):
    occurred_at: dt.datetime
    org: str
    source: str
    text: str = Field(description="已脱敏")
    score: float


class OpinionOut(Schema):
    org: CrumbOut
    days: int
    total: int
    by_sentiment: dict[str, int]
    keywords: list[KeywordOut]
    trend: list[OpinionDayOut]
    negatives: list[OpinionNegativeOut]


@router.get("/opinion", response={200: OpinionOut, **ERRORS}, summary="网上舆论概览")
def opinion_summary(request, org_id: int | None = None, days: int = 30):
    """授权范围内某一级工会（缺省为最高一级）近 7、30 或 90 天的舆论：情感分布、每日趋势、热点关键词、负面条目。"""
    user = request.auth
    org = selectors.org_for_read(user, org_id) if org_id else selectors.home_org(user)
    data = selectors.opinion(user, org, days if days in selectors.OPINION_PERIODS else 30)
    return {
        "org": {"id": org.pk, "name": org.name}, "days": data.days, "total": data.total,
        "by_sentiment": data.by_sentiment, "keywords": [{"word": w, "count": n} for w, n in data.keywords],
        "trend": [{"day": d, "positive": p, "neutral": u, "negative": n} for d, p, u, n in data.trend],
        "negatives": [{"occurred_at": i.occurred_at, "org": i.org.name, "source": i.get_source_display(),
                       "text": i.text, "score": float(i.score)} for i in data.negatives],
    }  # fmt: skip


@router.post("/opinion/items", response={201: OpinionPushOut, **ERRORS}, summary="推送舆论条目")
def opinion_push(request, payload: OpinionPushIn):
    """其他系统（如网信部门、工会新媒体）向有写权限的工会推送舆论条目；任一条有误则全部不保存。"""
    selectors.home_org(request.auth)  # cadres only
    org = Org.objects.get_for_read(request.auth, payload.org_id)
    items = [item.dict() for item in payload.items]
    kept, already = services.opinion_push(actor=request.auth, org=org, items=items)
    return Status(201, {"kept": kept, "already": already})
