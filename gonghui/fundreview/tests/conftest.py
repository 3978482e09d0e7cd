"""Fund review tests: the committee of the cast's company union (李娜 its director, 张伟 a member), an account
for 李娜 on the company's union (so she can confirm rectification), a budget review of this year with one
finding — all through the services."""

import datetime as dt
from types import SimpleNamespace

from django.utils import timezone

from gonghui.accounts.models import Grant
from gonghui.fundreview import services
from gonghui.testing.cast import add_user


def today() -> dt.date:
    return timezone.localdate()


def make_committee(cast, *, members=True):
    start = today().replace(month=1, day=1)
    committee = services.committee_create(actor=None, org=cast.orgs.company, term_start=start,
                                          term_end=start.replace(year=start.year + 3) - dt.timedelta(days=1),
                                          elected_on=start)  # fmt: skip
    if members:
        services.member_add(
            actor=None, committee=committee, person=cast.members.li.person, role="director", account=reviewer(cast)
        )
        services.member_add(actor=None, committee=committee, person=cast.members.zhang.person, role="member")
    return committee


def reviewer(cast):
    """李娜's work account: staff on the company's union; she directs its review committee (make_committee)."""
    if not hasattr(cast.users, "reviewer"):
        cast.users.reviewer = add_user("lina", org=cast.orgs.company, role=Grant.Role.STAFF, display_name="李娜")
    return cast.users.reviewer


def make_plan(cast, **extra):
    if not hasattr(cast, "committee"):
        cast.committee = make_committee(cast)
    fields = {"year": today().year, "scope": "budget", "title": "年度预算执行情况审查",
              "planned_on": today() - dt.timedelta(days=1)} | extra  # fmt: skip
    return services.plan_create(actor=None, org=cast.orgs.company, **fields)


def make_finding(cast, plan=None, **extra):
    fields = {"title": "慰问品发放缺少签收", "detail": "发放清单未经签收。", "severity": "minor", "amount_fen": 126_000,
              "requirement": "补齐签收记录。", "deadline": today() + dt.timedelta(days=30)} | extra  # fmt: skip
    return services.finding_record(actor=None, plan=plan or make_plan(cast), **fields)


def scene(cast) -> SimpleNamespace:
    plan = make_plan(cast)
    return SimpleNamespace(plan=plan, finding=make_finding(cast, plan), reviewer=reviewer(cast))
