"""演示数据: the four seasonal brand campaigns and a reading event, held by the demo province's and the demo
grassroots union; the demo worker has signed up for one, is signed up for one held today (scan its QR code),
and attended and rated a talk three days ago."""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from gonghui.accounts.models import User
from gonghui.activities import services
from gonghui.activities.models import Campaign
from gonghui.core.registry import DemoRun
from gonghui.members.models import Membership
from gonghui.orgs.models import Org

EVENTS = (
    ("2026 年“春送岗位”招聘会", Campaign.SPRING, "市职工服务中心一楼大厅", 300, [], []),
    ("“夏送清凉”慰问户外劳动者", Campaign.SUMMER, "各工会驿站", 200, ["courier", "food_delivery"], []),
    ("“金秋助学”助学金申领说明会", Campaign.AUTUMN, "市总工会三楼会议室", 60, [], ["hardship"]),
    ("“冬送温暖”新春慰问", Campaign.WINTER, "市工人文化宫", 150, [], ["hardship_deep", "hardship_accident"]),
    ("职工书屋读书分享会", Campaign.NONE, "市总工会职工书屋", 2, [], []),
    ("劳模工匠座谈会", Campaign.NONE, "市总工会劳模之家", 40, [], ["model_workers"]),
)  # fmt: skip


@transaction.atomic
def load_demo_activities() -> int:
    worker = User.objects.filter(username="zhigong").select_related("person").first()
    membership = (Membership.objects.filter(person=worker.person, status=Membership.Status.ACTIVE)
                  .select_related("org").first() if worker and worker.person else None)  # fmt: skip
    host = Org.objects.filter(path=membership.org.ancestor_paths()[1]).first() if membership else None
    host = host or Org.objects.order_by("depth", "pk").first()
    if host is None:
        return 0
    now = timezone.now()
    made = []
    for i, (title, campaign, place, capacity, forms, groups) in enumerate(EVENTS):
        starts = now + dt.timedelta(days=7 + 5 * i)
        made.append(services.activity_create(
            actor=None, org=host, title=title, campaign=campaign, place=place, capacity=capacity,
            starts_at=starts, ends_at=starts + dt.timedelta(hours=3), signup_deadline=starts - dt.timedelta(days=1),
            employment_forms=forms, groups=groups, description="请准时参加，凭报名记录入场。",
        ))  # fmt: skip
    if worker is not None and membership is not None:
        services.signup_create(actor=worker, activity=made[0])
        made += _attended(host, worker, now)
    return len(made)


def _attended(host: Org, worker: User, now: dt.datetime) -> list:
    """An event held today (its QR check-in works now) and one that ended three days ago, which the demo worker
    attended and rated, so the organiser's page shows attendance and the average, and the report has numbers."""
    today = now.replace(minute=0, second=0, microsecond=0)
    current = services.activity_create(
        actor=None, org=host, title="“夏送清凉”驿站现场慰问", campaign=Campaign.SUMMER, place="市总工会工会驿站",
        capacity=80, starts_at=today, ends_at=today + dt.timedelta(hours=4),
        signup_deadline=today - dt.timedelta(hours=2), description="现场发放清凉饮品和防暑药品，凭扫码签到领取。",
    )  # fmt: skip
    services.signup_create(actor=worker, activity=current, now=today - dt.timedelta(days=1))
    past_start = today - dt.timedelta(days=3)
    past = services.activity_create(
        actor=None, org=host, title="职工健康讲座", place="市职工服务中心二楼", capacity=40, starts_at=past_start,
        ends_at=past_start + dt.timedelta(hours=2), signup_deadline=past_start - dt.timedelta(hours=12),
        description="三甲医院医生讲解夏季防暑和颈椎保健。",
    )  # fmt: skip
    row = services.signup_create(actor=worker, activity=past, now=past_start - dt.timedelta(days=1))
    services.activity_checkin(actor=worker, token=services.checkin_token(past), now=past_start)
    services.feedback_submit(actor=worker, signup=row, rating=5, comment="讲得很实用，希望多办。",
                             now=past_start + dt.timedelta(hours=3))  # fmt: skip
    return [current, past]


def demo_load(run: DemoRun) -> None:
    """The declared demo loader (after the members and venues demos)."""
    run.summary.append(f"{load_demo_activities()} 项活动")
