"""演示数据: the four seasonal brand campaigns and a reading event, held by the demo province's and the demo
grassroots union; the demo worker has signed up for one."""

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
    ("2026 年“春送岗位”招聘会", Campaign.SPRING, "市职工服务中心一楼大厅", 300, [], False),
    ("“夏送清凉”慰问户外劳动者", Campaign.SUMMER, "各工会驿站", 200, ["courier", "food_delivery"], False),
    ("“金秋助学”助学金申领说明会", Campaign.AUTUMN, "市总工会三楼会议室", 60, [], True),
    ("“冬送温暖”新春慰问", Campaign.WINTER, "市工人文化宫", 150, [], False),
    ("职工书屋读书分享会", Campaign.NONE, "市总工会职工书屋", 2, [], False),
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
    for i, (title, campaign, place, capacity, forms, hardship) in enumerate(EVENTS):
        starts = now + dt.timedelta(days=7 + 5 * i)
        made.append(services.activity_create(
            actor=None, org=host, title=title, campaign=campaign, place=place, capacity=capacity,
            starts_at=starts, ends_at=starts + dt.timedelta(hours=3), signup_deadline=starts - dt.timedelta(days=1),
            employment_forms=forms, hardship_only=hardship, description="请准时参加，凭报名记录入场。",
        ))  # fmt: skip
    if worker is not None and membership is not None:
        services.signup_create(actor=worker, activity=made[0])
    return len(made)


def demo_load(run: DemoRun) -> None:
    """The declared demo loader (after the members and venues demos)."""
    run.summary.append(f"{load_demo_activities()} 项活动")
