"""演示数据 of the overview (decision 0028): this month's rollup from the demo records, eleven earlier months
BACK-FILLED from today's values (marked ``is_demo``: each union's own share scaled down month by month by a
plausible growth with a little noise, then summed up the tree, so every month adds up), the plan's targets at
the national node and their split down two provinces."""

import datetime as dt
import math
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from gonghui.core.registry import DemoRun
from gonghui.governance import rollup, services
from gonghui.governance.models import FigureMonth, Target
from gonghui.governance.selectors import figures
from gonghui.governance.targets import add_months, month_of
from gonghui.orgs.models import Org

BACK_MONTHS = 11
# Monthly growth the back-fill assumes per figure (a stock grows; a month's flow only varies).
GROWTH = {"members": 0.012, "hardship_open": -0.01, "cases_overdue": 0.0, "join_pending": 0.0, "dues_paid": 0.0,
          "finance_arrears": 0.0}  # fmt: skip
DEFAULT_GROWTH = 0.008
# The plan's targets (docs/domain.md §2) for the figures the platform has, at the national node.
PLAN_DUE = dt.date(2025, 12, 31)
PLAN_TARGETS = (
    ("venues_demo_libraries", 16_000, "全国总工会“十四五”规划：全国工会职工书屋示范点 1.6 万家"),
    ("venues_self_built_libraries", 150_000, "全国总工会“十四五”规划：各级工会自建职工书屋 15 万家"),
    ("venues_best_stations", 10_000, "全国总工会：2025 年底前“最美工会户外劳动者服务站点”1 万家（二手资料）"),
    ("workforce_national_studios", 500, "全国总工会“十四五”规划：全国示范性劳模和工匠人才创新工作室 500 家左右"),
    ("workforce_studios", 150_000, "全国总工会“十四五”规划：各级各类创新工作室 15 万家"),
    ("workforce_publicised", 100, "全国总工会“十四五”规划：2021—2025 年在全国宣传劳模工匠先进典型 100 名左右"),
    ("learning_readers", 50_000_000, "全国总工会“十四五”规划：电子职工书屋读者 5000 万人（按读书打卡的不同读者计）"),
)


def _backfill(run: DemoRun, today: dt.date) -> int:
    month = month_of(today)
    now = timezone.now()
    rows = []
    for figure in figures():
        if not figure.per_org:
            continue
        shares = figure.values_by_org()
        growth = GROWTH.get(figure.key, DEFAULT_GROWTH)
        whole = figure.unit not in {"元"}
        for back in range(1, BACK_MONTHS + 1):
            at = add_months(month, -back)
            if figure.key == "finance_collected":  # this year's running total: back to 0 each January
                factor_of = lambda _pk, at=at: at.month / month.month if at.year == month.year else 0.9 * at.month / 12  # noqa: E731
            else:
                factor_of = lambda _pk, back=back, growth=growth: (1 - growth) ** back * run.rng.uniform(0.97, 1.03)  # noqa: E731
            scaled = {}
            for pk, value in shares.items():
                v = Decimal(value) * Decimal(str(factor_of(pk)))
                scaled[pk] = Decimal(math.floor(v)) if whole else v.quantize(Decimal("0.01"))
            for pk, value in rollup._by_path_to_ids(rollup._bottom_up(scaled)).items():
                rows.append(FigureMonth(org_id=pk, month=at, key=figure.key, value=value, computed_at=now,
                                        is_demo=True))  # fmt: skip
    FigureMonth.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


def _split_by_members(target: Target, parents_members: dict[int, int]) -> None:
    """Split ``target`` among the org's children in proportion to their members, each share rounded up."""
    children = list(Org.objects.filter(parent=target.org))
    total = sum(parents_members.get(c.pk, 0) for c in children)
    if not total:
        return
    shares = {c.pk: Decimal(math.ceil(target.value * parents_members.get(c.pk, 0) / total)) for c in children}
    services.target_split(actor=None, target=target, shares=shares, version=target.version)


@transaction.atomic
def load_targets(today: dt.date) -> int:
    national = Org.objects.filter(parent=None).order_by("pk").first()
    if national is None:
        return 0
    made = [services.target_create(actor=None, org=national, key=key, due_on=PLAN_DUE, value=Decimal(value),
                                   source=source) for key, value, source in PLAN_TARGETS]  # fmt: skip
    members = dict(FigureMonth.objects.filter(key="members", month=month_of(today)).values_list("org_id", "value"))
    current = members.get(national.pk, Decimal(0))
    if current:  # an admin's membership target (demo): 8% more members by the end of next year
        goal = Decimal(math.ceil(current * Decimal("1.08")))
        due = dt.date(today.year + 1, 12, 31)
        target = services.target_create(actor=None, org=national, key="members", due_on=due, value=goal,
                                        source="演示：管理员设定的会员发展目标")  # fmt: skip
        made.append(target)
        _split_by_members(target, members)
        provinces = (Target.objects.filter(parent=target).select_related("org")
                     .order_by("-value")[:2])  # fmt: skip
        for share in provinces:
            _split_by_members(share, members)
    return len(made)


def load_opinion(run: DemoRun, today: dt.date) -> tuple[int, int]:
    """网上舆论: the demo's requests and comments ingested, and 30 days of pushed items (sentences of the
    labelled set) for grassroots unions of several provinces, with a surge of negative items today at one
    of them (a spike its cadres are told about)."""
    from gonghui.governance import opinion

    leaves = list(Org.objects.filter(children__isnull=True).order_by("path"))
    if not leaves:
        return 0, 0
    step = max(len(leaves) // 8, 1)
    unions = leaves[::step][:8]
    rows = [line.split("\t") for line in opinion._lines("labelled.txt")]
    negative = [text for label, text in rows if label == "-"]
    lexicon = services._lexicon()
    tz = timezone.get_current_timezone()
    n = 0
    for back in range(29, -1, -1):
        day = today - dt.timedelta(days=back)
        for org in unions:
            for _ in range(run.rng.randint(0, 3)):
                label, text = run.rng.choice(rows)
                at = dt.datetime.combine(day, dt.time(run.rng.randint(7, 21), run.rng.randint(0, 59)), tz)
                n += bool(services._item(source="api", ref=f"demo:{n}", org=org, occurred_at=at, text=text,
                                         lexicon=lexicon))  # fmt: skip
    for i in range(12):  # today's surge at the first union
        at = dt.datetime.combine(today, dt.time(8 + i % 12, 5 * i % 60), tz)
        n += bool(services._item(source="api", ref=f"demo:{n}", org=unions[0], occurred_at=at,
                                 text=negative[i % len(negative)], lexicon=lexicon))  # fmt: skip
    ingested = services.opinion_ingest(today=today)
    return n, ingested


def load_year_reports(today: dt.date) -> int:
    """Last year's 统计年报 of the national federation and of the province with most members (final: a closed
    year). Its section four reads the back-filled demo months of last year."""
    national = Org.objects.filter(parent=None).order_by("pk").first()
    if national is None:
        return 0
    orgs = [national, *Org.objects.filter(parent=national).order_by("-subtree_member_count", "pk")[:1]]
    for org in orgs:
        services.year_report_generate(actor=None, org=org, year=today.year - 1, today=today)
    return len(orgs)


def demo_load(run: DemoRun) -> None:
    """The declared demo loader (after the apps whose figures it rolls up)."""
    today = timezone.localdate()
    current = rollup.rollup_month(today=today)
    back = _backfill(run, today)
    targets = load_targets(today)
    pushed, ingested = load_opinion(run, today)
    reports = load_year_reports(today)
    alerts = services.risk_alerts_raise(today=today)
    run.summary.append(f"一屏总览汇总 {current + back} 条（其中回填 {back} 条演示数据）、规划目标 {targets} 项、"
                       f"舆论条目 {pushed} 条推送及 {ingested} 条采集与预警、上年度统计年报 {reports} 份、"
                       f"劳动关系风险预警 {alerts} 件")  # fmt: skip
