"""演示数据: the national union tree, employers, members and demo accounts for trying Gonghui out.

``load_demo`` is deterministic for a seed: the same seed gives the same orgs, employers, names, ID numbers,
phones and card numbers (only encryption nonces and timestamps differ). It writes with explicit primary
keys in streamed batches (COPY on PostgreSQL, bulk_create elsewhere) and keeps every invariant the
services keep: ciphertext with blind indexes and masked columns, pinyin keys, org paths and depths,
``Org.member_count`` equal to the org's active memberships, one active membership per person.
"""

import random
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from gonghui.accounts.models import Grant, User
from gonghui.accounts.services import grant_create, user_create
from gonghui.core.audit import audit_record
from gonghui.core.pinyin import name_keys
from gonghui.core.registry import DemoRefused, DemoRun
from gonghui.members.models import Employer, Membership, Person
from gonghui.orgs.counts import subtree_totals
from gonghui.orgs.models import Org, OrgType

from .people import MEMBERSHIP_COLUMNS, PERSON_COLUMNS, PeopleGenerator
from .tree import TreePlanner
from .writer import TableWriter, reset_sequences

DEMO_PASSWORD = "Gonghui-demo-2021"  # noqa: S105 (a published demo password, refused in production)
PLATFORM_ACCOUNTS = (
    ("sysadmin", "系统管理员", User.PlatformRole.SYSTEM),
    ("secadmin", "安全管理员", User.PlatformRole.SECURITY),
    ("auditadmin", "审计管理员", User.PlatformRole.AUDIT),
)
DEMO_USERNAMES = ("quanzong", "zhejiang", "shengzong", "jiceng", "zhigong") + tuple(u for u, _, _ in PLATFORM_ACCOUNTS)
ORG_COLUMNS = (
    "id", "name", "name_pinyin", "name_initials", "org_type", "region_id", "parent_id", "path", "depth",
    "employer_id", "uscc", "founded_on", "status", "leadership", "term_years", "term_started_on", "member_count",
    "subtree_member_count", "version", "created_at", "updated_at",
)  # fmt: skip
EMPLOYER_COLUMNS = ("id", "name", "uscc", "region_id", "is_platform")


@dataclass(frozen=True)
class DemoAccount:
    username: str
    password: str
    role: str
    org: str


@dataclass(frozen=True)
class DemoResult:
    orgs: int
    employers: int
    members: int
    seconds: float
    accounts: list[DemoAccount]


def load_demo(
    *,
    members: int,
    seed: int,
    provinces: set[str] | None = None,
    batch_size: int = 20000,
    log: Callable[[str], None] | None = None,
) -> DemoResult:
    log = log or (lambda message: None)
    started = time.monotonic()
    if members < 1:
        raise DemoRefused("会员数至少为 1。")
    if Org.objects.exists():
        # The audit log is append-only, so demo data is never deleted: a fresh demo needs a fresh database.
        raise DemoRefused(
            "数据库中已有工会组织数据，演示数据不会与之混合。如需重新生成，请新建数据库"
            "（SQLite：删除 var/gonghui.sqlite3；PostgreSQL：重建数据库）并执行 migrate。"
        )

    plan = TreePlanner(random.Random(seed), provinces).build(members)
    log(f"组织树：{len(plan.orgs)} 个工会组织，{len(plan.employers)} 家用人单位。")
    now = timezone.now()
    totals = subtree_totals((o.path, o.member_count) for o in plan.orgs)
    with transaction.atomic():
        TableWriter(Employer, EMPLOYER_COLUMNS).write(
            (e.id, e.name, e.uscc, e.region_id, e.is_platform) for e in plan.employers
        )
        TableWriter(Org, ORG_COLUMNS).write(
            (o.id, o.name, *name_keys(o.name), o.org_type, o.region_id, o.parent.id if o.parent else None, o.path,
             o.depth, o.employer_id, o.uscc, o.founded_on, Org.Status.ACTIVE.value, o.leadership, o.term_years,
             o.term_started_on, o.member_count, totals[o.path], 1, now, now)
            for o in plan.orgs
        )  # fmt: skip

    people = PeopleGenerator(seed)
    person_writer = TableWriter(Person, PERSON_COLUMNS)
    membership_writer = TableWriter(Membership, MEMBERSHIP_COLUMNS)
    persons, memberships, written = [], [], 0

    def flush():
        nonlocal persons, memberships, written
        with transaction.atomic():
            person_writer.write(persons)
            membership_writer.write(memberships)
        written += len(persons)
        persons, memberships = [], []
        log(f"会员：{written}/{members}（{time.monotonic() - started:.0f} 秒）")

    for org in plan.orgs:
        if not org.member_count:
            continue
        for person, membership in people.members_of(org):
            persons.append(person)
            memberships.append(membership)
            if len(persons) >= batch_size:
                flush()
    if persons:
        flush()
    reset_sequences()
    create_demo_accounts(plan)
    audit_record(actor=None, action="demo.load", obj=None, org=None,
                 detail={"members": members, "seed": seed, "orgs": len(plan.orgs),
                         "provinces": ",".join(sorted(provinces)) if provinces else "all"})  # fmt: skip
    return DemoResult(len(plan.orgs), len(plan.employers), written, time.monotonic() - started,
                      existing_demo_accounts())  # fmt: skip


def demo_load(run: DemoRun) -> None:
    """The declared demo loader (first of all): the tree, employers, members and the demo accounts; with
    ``--keep-existing`` on a database that has a tree, only the accounts already there."""
    if run.keep_existing and Org.objects.exists():
        run.existing, run.accounts = True, existing_demo_accounts()
        return
    result = load_demo(members=run.members, seed=run.seed, provinces=run.provinces, batch_size=run.batch_size,
                       log=run.log)  # fmt: skip
    run.summary.append(f"{result.orgs} 个工会组织，{result.employers} 家用人单位，{result.members} 名会员")
    run.accounts.extend(result.accounts)


@transaction.atomic
def create_demo_accounts(plan: TreePlanner) -> None:
    """The people who try the demo: 全总, a province, a grassroots union, a worker, and the three admins."""
    national = Org.objects.get(pk=plan.national.id)
    province_plan = plan.province_orgs.get("33") or next(iter(plan.province_orgs.values()))
    province = Org.objects.get(pk=province_plan.id)
    grassroots_plan = (
        plan.flagship
        or next((o for o in plan.orgs if o.org_type == OrgType.GRASSROOTS and o.member_count >= 25), None)
        or next(o for o in plan.orgs if o.member_count)
    )
    grassroots = Org.objects.get(pk=grassroots_plan.id)
    membership = Membership.objects.filter(org=grassroots).select_related("person").order_by("pk").first()
    province_user = "zhejiang" if province_plan.region_id == "33" else "shengzong"

    def make(username, display_name, *, org=None, can_unmask=False, person=None, platform_role=""):
        user = user_create(actor=None, username=username, password=DEMO_PASSWORD, display_name=display_name,
                           person=person, platform_role=platform_role, check_password=False)  # fmt: skip
        if org is not None:
            grant_create(actor=None, user=user, org=org, role=Grant.Role.ADMIN, can_unmask=can_unmask)
        return user

    make("quanzong", "全总管理员", org=national, can_unmask=True)
    make(province_user, f"{province.name}管理员", org=province)
    make("jiceng", f"{grassroots.name}主席", org=grassroots, can_unmask=True)
    make("zhigong", membership.person.name, person=membership.person)
    for username, label, role in PLATFORM_ACCOUNTS:
        make(username, label, platform_role=role)


def existing_demo_accounts() -> list[DemoAccount]:
    """The demo accounts in the database, in the order people should try them."""
    users = {
        u.username: u
        for u in User.objects.filter(username__in=DEMO_USERNAMES)
        .select_related("person")
        .prefetch_related("grants__org")
    }
    return [_describe(users[name]) for name in DEMO_USERNAMES if name in users]


def _describe(user: User) -> DemoAccount:
    if user.platform_role:
        return DemoAccount(user.username, DEMO_PASSWORD, user.get_platform_role_display(), "平台（三员分立）")
    if user.person_id:
        membership = user.person.memberships.filter(status=Membership.Status.ACTIVE).select_related("org").first()
        org = membership.org.name if membership else "—"
        return DemoAccount(user.username, DEMO_PASSWORD, f"职工（本人：{user.person.name}）", org)
    grant = user.grants.all()[0]
    unmask = "（可查看完整个人信息）" if grant.can_unmask else ""
    role = f"{grant.org.get_org_type_display()}{grant.get_role_display()}{unmask}"
    return DemoAccount(user.username, DEMO_PASSWORD, role, grant.org.name)
