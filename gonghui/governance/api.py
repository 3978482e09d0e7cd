"""/api/v1/governance: the overview (一屏总览) of the top of the caller's scope or of a node in it — each figure
with its monthly trend, the children's figures (for a drill-down), the targets with their progress."""

from ninja import Field, Router, Schema

from gonghui.core.api import ERRORS
from gonghui.governance import selectors

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
