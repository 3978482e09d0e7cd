"""演示数据: the fund review committee of the demo grassroots union (the one 'jiceng' chairs) — its members (one
with an account, 'jingshen', who confirms rectification), its accountant in the register of posts, this year's
review of the budget's execution with two findings: one rectified and closed, one still being rectified —
and a review of the formation reserve still planned. Through the services."""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from gonghui.accounts.models import Grant, User
from gonghui.accounts.services import grant_create, user_create
from gonghui.core.registry import DemoRun
from gonghui.fundreview import services
from gonghui.fundreview.models import Committee, CommitteeMember
from gonghui.members.demo import DEMO_PASSWORD, DemoAccount
from gonghui.members.models import Membership

USERNAME = "jingshen"


@transaction.atomic
def load_demo_fundreview(*, today: dt.date | None = None) -> dict | None:
    today = today or timezone.localdate()
    chair = User.objects.filter(username="jiceng").prefetch_related("grants__org").first()
    if chair is None or not chair.grants.all():
        return None
    org = chair.grants.all()[0].org
    if Committee.objects.filter(org=org).exists():
        return None
    people = [m.person for m in Membership.objects.filter(org=org, status="active", person__account__isnull=True)
              .select_related("person").order_by("pk")[:4]]  # fmt: skip
    if len(people) < 4:
        return None
    accountant, director, deputy, member = people
    services.officer_record(actor=None, org=org, person=accountant, post="accountant",
                            since=today.replace(month=1, day=1) - dt.timedelta(days=730))  # fmt: skip
    start = today.replace(month=1, day=1) - dt.timedelta(days=365)
    committee = services.committee_create(actor=None, org=org, term_start=start,
                                          term_end=start.replace(year=start.year + 5) - dt.timedelta(days=1),
                                          elected_on=start)  # fmt: skip
    reviewer = user_create(actor=None, username=USERNAME, password=DEMO_PASSWORD,
                           display_name=f"{director.name}（经审会主任）", check_password=False)  # fmt: skip
    grant_create(actor=None, user=reviewer, org=org, role=Grant.Role.STAFF)
    for person, role, account in ((director, "director", reviewer), (deputy, "deputy", None), (member, "member", None)):
        services.member_add(actor=None, committee=committee, person=person, role=role, account=account)
    plan = services.plan_create(actor=None, org=org, year=today.year, scope="budget",
                                title=f"{today.year}年度经费预算执行情况审查",
                                planned_on=today.replace(month=1, day=15))  # fmt: skip
    services.plan_create(actor=None, org=org, year=today.year, scope="special", title="建会筹备金和专项资金使用审计",
                         planned_on=today.replace(month=12, day=10))  # fmt: skip
    closed = services.finding_record(
        actor=None, plan=plan, title="慰问品发放清单缺少签收记录", severity="minor", amount_fen=1_260_000,
        code="50105", detail="元旦慰问品发放 42 人，发放清单未经领取人签收，无法核实实际发放人数。",
        requirement="补齐签收记录；今后发放慰问品须逐人签收并附清单入账。", deadline=today + dt.timedelta(days=30),
    )  # fmt: skip
    services.rectification_respond(actor=None, finding=closed, version=closed.case.version,
                                   response="已补齐 42 人签收清单并附入记账凭证；"
                                            "修订《慰问品发放办法》，明确逐人签收。")  # fmt: skip
    closed.refresh_from_db()
    services.rectification_close(actor=reviewer, finding=closed, accept=True, version=closed.case.version,
                                 note="核对签收清单无误，同意销号。")  # fmt: skip
    services.finding_record(
        actor=None, plan=plan, title="职工活动支出超预算未履行调整程序", severity="major", amount_fen=3_580_000,
        code="501", detail="职工活动支出实际执行超出年度预算，超支部分未经工会委员会和经费审查委员会审议调整预算。",
        requirement="补办预算调整审议手续，并报上级工会备案。", deadline=today + dt.timedelta(days=45),
    )  # fmt: skip
    services.plan_complete(actor=None, plan=plan, conclusion="预算执行总体规范，发现问题 2 个，已责成整改。",
                           done_on=today, version=plan.version)  # fmt: skip
    return {"org": org.name, "members": CommitteeMember.objects.filter(committee=committee).count()}


def demo_load(run: DemoRun) -> None:
    """The declared demo loader (after the finance demo)."""
    made = load_demo_fundreview()
    if made:
        run.summary.append(f"{made['org']}经费审查委员会（{made['members']} 名委员）的年度预算执行审查，发现问题 2 个"
                           f"（1 个已整改销号，1 个整改中）")  # fmt: skip
        run.accounts.append(DemoAccount(USERNAME, DEMO_PASSWORD, "经费审查委员会主任（确认整改销号）", made["org"]))
