"""演示数据: in the four provinces of the demo tree with the most members, the provincial courses — two ended with
completions for a share of its members, one open — and a course of the demo grassroots union; reading check-ins
over the last weeks for a share of the members, some at the province's worker libraries; the demo worker
(zhigong) with two completions and a few days of reading."""

import datetime as dt
import secrets
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from gonghui.accounts.models import User
from gonghui.core.registry import DemoRun
from gonghui.learning import services
from gonghui.learning.credits import reading_credits
from gonghui.learning.models import Category, CheckIn, Completion, Course, Mode, Source
from gonghui.learning.policy import reading_rule
from gonghui.members.models import Membership
from gonghui.orgs.models import Org, OrgType
from gonghui.venues.models import Kind as VenueKind
from gonghui.venues.models import Venue

COURSES = (  # title, provider, category, mode, hours, credits, (start, end) days from today
    ("劳模工匠精神宣讲暨职业道德培训", "省劳模工匠宣讲团", Category.POLITICAL, Mode.OFFLINE, "8", "2", (-75, -70)),
    ("新就业形态劳动者权益保障法律知识", "省职工法律援助中心", Category.LAW, Mode.ONLINE, "6", "1.5", (-50, -20)),
    ("安全生产“安康杯”岗位练兵", "省安全生产技能培训中心", Category.SAFETY, Mode.OFFLINE, "16", "4", (-5, 40)),
)
GRASSROOTS = ("班组长管理能力提升培训", "企业工会职工学校", Category.SKILL, Mode.OFFLINE, "12", "3", (-40, -38))
BOOKS = ("平凡的世界", "大国工匠", "中华人民共和国工会法释义", "人世间", "活着", "红星照耀中国", "毛泽东选集",
         "钢铁是怎样炼成的", "安全生产法律法规读本", "三体", "乡土中国")  # fmt: skip


def _course(org: Org, spec, today: dt.date):
    title, provider, category, mode, hours, credits, (start, end) = spec
    return services.course_create(actor=None, org=org, title=title, provider=provider, category=category, mode=mode,
                                  hours=hours, credits=credits, starts_on=today + dt.timedelta(days=start),
                                  ends_on=today + dt.timedelta(days=end))  # fmt: skip


def _complete(course, members: list[tuple[int, int, str]], rng, today: dt.date) -> int:
    """Completions for ``members`` (person, org, path) of an ended course, written in bulk (no requests)."""
    rows = []
    for person, org, path in members:
        done = min(course.ends_on + dt.timedelta(days=rng.randint(0, 3)), today)
        score = Decimal(rng.randint(62, 99)) if course.mode == Mode.OFFLINE else None
        rows.append(Completion(course=course, person_id=person, org_id=org, org_path=path, completed_on=done,
                               year=done.year, score=score, credits=course.credits, source=Source.IMPORT,
                               key=secrets.token_urlsafe(12)))  # fmt: skip
    Completion.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)


def _readings(members, libraries, rng, today: dt.date, days: int = 30) -> list[CheckIn]:
    rows = []
    for person, org, path, province in members:
        rule, earned = reading_rule(province), {}
        for back in sorted(rng.sample(range(days), rng.randint(1, 6)), reverse=True):
            day = today - dt.timedelta(days=back)
            title, minutes = rng.choice(BOOKS), rng.choice((20, 30, 45, 60, 90, 120))
            credits = reading_credits(minutes, earned.get(day, Decimal(0)), rule)
            earned[day] = earned.get(day, Decimal(0)) + credits
            venue = rng.choice(libraries) if libraries and rng.random() < 0.3 else None
            rows.append(CheckIn(person_id=person, org_id=org, org_path=path, title=title, read_on=day, year=day.year,
                                title_key=services.title_key(title), minutes=minutes, venue=venue,
                                credits=credits))  # fmt: skip
    return rows


@transaction.atomic
def load_demo_learning(rng) -> dict[str, int]:
    today = timezone.localdate()
    counts = {"courses": 0, "completions": 0, "checkins": 0}
    # the four provinces with the most members (the demo tree puts most of its members in a few)
    provinces = list(Org.objects.filter(org_type=OrgType.PROVINCE).select_related("region")
                     .order_by("-subtree_member_count", "path")[:4])  # fmt: skip
    checkins: list[CheckIn] = []
    for province in provinces:
        members = list(Membership.objects.filter(org__path__startswith=province.path, status=Membership.Status.ACTIVE)
                       .values_list("person_id", "org_id", "org__path")[:3000])  # fmt: skip
        libraries = list(Venue.objects.filter(kind=VenueKind.LIBRARY, is_active=True,
                                              org__path__startswith=province.path)[:20])  # fmt: skip
        for spec in COURSES:
            course = _course(province, spec, today)
            counts["courses"] += 1
            if course.ends_on < today and members:
                counts["completions"] += _complete(course, rng.sample(members, k=len(members) * 2 // 5), rng, today)
        readers = rng.sample(members, k=len(members) // 4)
        checkins += _readings([(*m, province.region_id[:2]) for m in readers], libraries, rng, today)
    worker = User.objects.filter(username="zhigong").select_related("person").first()
    membership = (Membership.objects.filter(person=worker.person, status=Membership.Status.ACTIVE)
                  .select_related("org").first() if worker and worker.person_id else None)  # fmt: skip
    if membership is not None:
        own = _course(membership.org, GRASSROOTS, today)
        counts["courses"] += 1
        mine = [(membership.person_id, membership.org_id, membership.org.path)]
        counts["completions"] += _complete(own, mine, rng, today)
        upper = (Course.objects.filter(org__path__in=membership.org.ancestor_paths(), ends_on__lt=today)
                 .order_by("starts_on", "pk").first())  # fmt: skip
        if upper is not None and not Completion.objects.filter(course=upper, person_id=membership.person_id).exists():
            counts["completions"] += _complete(upper, mine, rng, today)
        CheckIn.objects.filter(person_id=membership.person_id).delete()
        checkins = [c for c in checkins if c.person_id != membership.person_id]
        checkins += _readings([(*mine[0], membership.org.region_id[:2])], [], rng, today, days=10)
    CheckIn.objects.bulk_create(checkins, ignore_conflicts=True, batch_size=2000)
    counts["checkins"] = len(checkins)
    return counts


def demo_load(run: DemoRun) -> None:
    """The declared demo loader (after the members and venues demos)."""
    counts = load_demo_learning(run.rng)
    run.summary.append(f"{counts['courses']} 门课程培训，{counts['completions']} 条结业记录，"
                       f"{counts['checkins']} 次读书打卡")  # fmt: skip
