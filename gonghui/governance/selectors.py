"""Reads of the governance overview (一屏总览), always through the user's scope (orgs.access): an org's figures
and their monthly trend, its children's figures, the subtree by members, and its targets with their progress.
Every number comes from the rollup table (FigureMonth) and the orgs' own member counters, never from a count
of the member tables on a page view (docs/architecture.md rule 7)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from gonghui.core import registry
from gonghui.governance import targets as arithmetic
from gonghui.governance.models import FigureMonth, Target
from gonghui.orgs import access
from gonghui.orgs.models import Org
from gonghui.orgs.selectors import ancestors_visible, children_and_total

TREND_MONTHS = 12
RING_LIMIT = 8  # the outer ring shows each child's largest children, the rest as one "其他"


def figures() -> list[registry.Figure]:
    return [f for f in registry.overview_figures() if f.subtree]


def figure_by_key(key: str) -> registry.Figure | None:
    return next((f for f in figures() if f.key == key), None)


def figure_url(figure: registry.Figure, org: Org) -> str:
    """The list behind a figure, narrowed to ``org``'s subtree when the list takes an org (``org_param``); the
    list applies the user's scope itself."""
    if not figure.url_name:
        return ""
    query = "&".join(part for part in (figure.url_query, figure.org_param and f"{figure.org_param}={org.pk}") if part)
    return f"{reverse(figure.url_name)}?{query}" if query else reverse(figure.url_name)


def home_org(user) -> Org:
    """The node a cadre's overview opens on: the top of their scope."""
    access.require_cadre(user)
    return access.top_orgs(user)[0]


def org_for_read(user, pk: int) -> Org:
    return Org.objects.get_for_read(user, pk)


@dataclass
class FigureView:
    key: str
    label: str
    unit: str
    value: Decimal
    previous: Decimal
    trend: list[tuple[str, Decimal]]
    url: str

    @property
    def change(self) -> Decimal:
        return self.value - self.previous


@dataclass
class ChildView:
    org: Org
    values: dict[str, Decimal]
    members: int


@dataclass
class TargetView:
    target: Target
    label: str
    unit: str
    actual: Decimal
    progress: Decimal
    pace: Decimal | None
    projected: Decimal | None
    split_total: Decimal
    months_left: int

    @property
    def percent(self) -> Decimal:
        return (self.progress * 100).quantize(Decimal("0.1"))

    @property
    def will_reach(self) -> bool | None:
        return None if self.projected is None else self.projected >= self.target.value


@dataclass
class Overview:
    org: Org
    month: dt.date
    months: list[dt.date]
    figures: list[FigureView]
    children: list[ChildView]
    breadcrumb: list[Org]
    rings: dict = field(default_factory=dict)
    targets: list[TargetView] = field(default_factory=list)
    computed_at: dt.datetime | None = None


def _months(today: dt.date) -> list[dt.date]:
    current = arithmetic.month_of(today)
    return [arithmetic.add_months(current, -n) for n in range(TREND_MONTHS - 1, -1, -1)]


def _number(value) -> Decimal:
    value = Decimal(value or 0)
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value


def overview(user, org: Org, *, today: dt.date | None = None) -> Overview:
    """The overview of ``org`` (already read through the user's scope)."""
    today = today or timezone.localdate()
    months = _months(today)
    month = months[-1]
    stored: dict[str, dict[dt.date, Decimal]] = {}
    rows = FigureMonth.objects.filter(org=org, month__gte=months[0]).values_list("key", "month", "value")
    for key, at, value in rows:
        stored.setdefault(key, {})[at] = value
    children, members_live = children_and_total(user, org)
    stored.setdefault("members", {})[month] = Decimal(members_live)  # the live counter for this month
    views = []
    for figure in figures():
        series = stored.get(figure.key, {})
        trend = [(m.strftime("%Y-%m"), _number(series.get(m))) for m in months]
        views.append(FigureView(figure.key, figure.label, figure.unit, trend[-1][1], trend[-2][1], trend,
                                figure_url(figure, org)))  # fmt: skip
    child_rows = FigureMonth.objects.filter(org__in=[c.pk for c in children], month=month)
    by_child: dict[int, dict[str, Decimal]] = {}
    for pk, key, value in child_rows.values_list("org_id", "key", "value"):
        by_child.setdefault(pk, {})[key] = _number(value)
    child_views = []
    for child in children:
        values = by_child.get(child.pk, {}) | {"members": Decimal(child.subtree_members)}
        child_views.append(ChildView(child, values, child.subtree_members))
    computed = FigureMonth.objects.filter(org=org, month=month).aggregate(at=Max("computed_at"))["at"]
    result = Overview(org, month, months, views, child_views, ancestors_visible(user, org), computed_at=computed)
    result.rings = _rings(child_views, month)
    result.targets = targets_of(org, {v.key: v for v in views}, today=today)
    return result


def _rings(children: list[ChildView], month: dt.date) -> dict:
    """The subtree by members, two rings: the children, and each child's largest children (from the rollup)."""
    inner = [{"name": c.org.name, "value": c.members, "id": c.org.pk} for c in children if c.members]
    parents = [c.org.pk for c in children]
    rows = FigureMonth.objects.filter(key="members", month=month, org__parent_id__in=parents).order_by(
        "org__parent_id", "-value"
    )
    rows = rows.values_list("org__parent_id", "org_id", "org__name", "value")
    grouped: dict[int, list] = {}
    for parent, pk, name, value in rows:
        grouped.setdefault(parent, []).append((pk, name, int(value)))
    outer = []
    for child in children:
        if not child.members:
            continue
        kids = grouped.get(child.org.pk, [])
        shown = kids[:RING_LIMIT]
        for pk, name, value in shown:
            outer.append({"name": name, "value": value, "id": pk})
        rest = child.members - sum(v for _, _, v in shown)
        if rest > 0:
            outer.append({"name": f"{child.org.name}：其他", "value": rest, "id": None})
    return {"inner": inner, "outer": outer}


def targets_of(org: Org, views: dict[str, FigureView], *, today: dt.date) -> list[TargetView]:
    """The targets of ``org``'s subtree with progress, pace and projection against the figures."""
    rows = list(Target.objects.filter(org=org).select_related("org", "parent").order_by("due_on", "key"))
    split = {}
    for parent_id, value in Target.objects.filter(parent__in=rows).values_list("parent_id", "value"):
        split[parent_id] = split.get(parent_id, Decimal(0)) + value
    out = []
    for target in rows:
        view = views.get(target.key)
        if view is None:
            continue  # a figure no longer declared
        series = [(dt.date.fromisoformat(f"{m}-01"), v) for m, v in view.trend]
        out.append(TargetView(
            target, view.label, view.unit, view.value, arithmetic.progress(view.value, target.value),
            arithmetic.pace_needed(view.value, target.value, today, target.due_on),
            arithmetic.projection(series, target.due_on), split.get(target.pk, Decimal(0)),
            arithmetic.months_left(today, target.due_on),
        ))  # fmt: skip
    return out


def target_for_read(user, pk: int) -> Target:
    return Target.objects.get_for_read(user, pk)


def split_children(user, target: Target) -> list[tuple[Org, Decimal | None]]:
    """The target org's children with their current share of the target (None: no target yet)."""
    shares = dict(Target.objects.filter(parent=target).values_list("org_id", "value"))
    children = Org.objects.in_scope(user).filter(parent=target.org).order_by("region_id", "name", "pk")
    return [(child, shares.get(child.pk)) for child in children]


def risk_weights() -> dict[str, Decimal]:
    """Every weight and threshold of the risk score: the admin's where set, else the default."""
    from gonghui.governance.models import RiskWeight
    from gonghui.governance.risk import weight_defaults

    stored = dict(RiskWeight.objects.values_list("key", "weight"))
    return {key: stored.get(key, default) for key, (_, default) in weight_defaults().items()}


def children_risk(children: list[ChildView]) -> list[tuple[ChildView, object]]:
    """The children's labour-relations risk from their rollup values, highest first."""
    from gonghui.governance.risk import score

    weights = risk_weights()
    rows = [(child, score(child.values, child.members, weights)) for child in children]
    return sorted(rows, key=lambda row: -row[1].score)


# 网上舆论 (decision 0032) -----------------------------------------------------------------------------------

OPINION_PERIODS = {7: "近 7 天", 30: "近 30 天", 90: "近 90 天"}


@dataclass
class OpinionView:
    org: Org
    days: int
    total: int
    by_sentiment: dict[str, int]
    trend: list[tuple[str, int, int, int]]  # day, positive, neutral, negative
    keywords: list[tuple[str, int]]
    negative_keywords: list[tuple[str, int]]
    negatives: list
    spikes: list


def opinion_items(user, org: Org):
    """The items of the org's subtree, within the user's scope."""
    from gonghui.governance.models import OpinionItem

    access.require_cadre(user)
    return OpinionItem.objects.filter(access.scope_q(user, "org__path"), org__path__startswith=org.path)


def opinion(user, org: Org, days: int = 30, *, today: dt.date | None = None) -> OpinionView:
    """舆论概览 of the org's subtree over the last ``days`` days: counts by sentiment, the daily trend, hot
    keywords (all items and negative items), the latest negative items (masked text) and spikes."""
    from gonghui.governance import opinion as analysis
    from gonghui.governance.models import OpinionSpike

    today = today or timezone.localdate()
    start = today - dt.timedelta(days=days - 1)
    items = opinion_items(user, org).filter(occurred_at__date__gte=start, occurred_at__date__lte=today)
    rows = list(items.values_list("occurred_at", "sentiment", "tokens"))
    per_day = {start + dt.timedelta(days=i): {"positive": 0, "neutral": 0, "negative": 0} for i in range(days)}
    by_sentiment = {"positive": 0, "neutral": 0, "negative": 0}
    for at, sentiment, _ in rows:
        day = timezone.localtime(at).date()
        if day in per_day:
            per_day[day][sentiment] += 1
        by_sentiment[sentiment] += 1
    trend = [(d.strftime("%m-%d"), c["positive"], c["neutral"], c["negative"]) for d, c in per_day.items()]
    negatives = list(items.filter(sentiment="negative").select_related("org").order_by("-occurred_at")[:30])
    spikes = list(OpinionSpike.objects.filter(access.scope_q(user, "org__path"), org__path__startswith=org.path,
                                              day__gte=start).select_related("org").order_by("-day")[:10])  # fmt: skip
    return OpinionView(
        org=org, days=days, total=len(rows), by_sentiment=by_sentiment, trend=trend,
        keywords=analysis.keywords(t.split() for _, _, t in rows),
        negative_keywords=analysis.keywords((t.split() for _, s, t in rows if s == "negative"), top=10),
        negatives=negatives, spikes=spikes,
    )  # fmt: skip


# 统计年报 (decision 0041) ------------------------------------------------------------------------------------


def year_reports_of(user, org: Org):
    """The kept yearly reports of ``org`` (read through the user's scope), latest year first."""
    from gonghui.governance.models import YearReport

    access.require_cadre(user)
    return YearReport.objects.filter(org=org).select_related("created_by").order_by("-year")


def year_report_for_read(user, pk: int):
    from gonghui.governance.models import YearReport

    return YearReport.objects.get_for_read(user, pk)


def risk_alerts(user, *, open_only: bool = True):
    """劳动关系风险预警 of the unions in the user's scope, the open ones first by score."""
    from gonghui.governance.models import RiskAlert

    access.require_cadre(user)
    rows = RiskAlert.objects.in_scope(user).select_related("org", "case")
    if open_only:
        rows = rows.filter(closed_at__isnull=True)
    return rows.order_by("-raised_on", "-score", "pk")


def year_report_job_for_read(user, pk: int):
    from gonghui.governance.models import YearReportJob

    return YearReportJob.objects.get_for_read(user, pk)


def employer_scores_under(user, org):
    """用人单位风险分 of the employers whose responsible union is in ``org``'s subtree (within the user's scope),
    highest first."""
    from gonghui.governance.models import EmployerScore

    return (EmployerScore.objects.in_scope(user).filter(org__path__startswith=org.path)
            .select_related("employer", "org").order_by("-score", "employer__name", "pk"))  # fmt: skip
