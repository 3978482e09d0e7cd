"""演示数据: workers' requests in up to four provinces on the members demo's tree, in every state — waiting,
accepted, answered, closed with a rating, reopened, overdue and escalated — filed by hotline operators for
members (some anonymous) and by the demo worker on the phone; a group of wage claims against one employer with
its representatives; legal cases with their clocks running (mediation, arbitration, an award served) and one
settled."""

import datetime as dt
import random
from decimal import Decimal
from itertools import chain

from django.db import transaction
from django.utils import timezone

from gonghui.accounts.models import Grant, User
from gonghui.cases.models import Case
from gonghui.cases.services import cases_escalate_overdue
from gonghui.core import crypto
from gonghui.core.registry import DemoRun
from gonghui.members.models import Membership
from gonghui.orgs import access
from gonghui.orgs.models import Org, OrgType
from gonghui.rights import services
from gonghui.rights.models import RightsRequest
from gonghui.rights.policy import rights_policy

DEMO_PROVINCE = "33"
TEXTS = {
    "wages": "单位已连续三个月未发工资，共拖欠约 {n} 元，多次向主管反映无果。",
    "contract": "入职已八个月，单位一直不签书面劳动合同，要求补签并支付双倍工资。",
    "insurance": "单位未按实际工资基数缴纳社会保险，只按最低基数缴纳。",
    "injury": "在车间搬运时扭伤腰部，单位不给申报工伤认定。",
    "dismissal": "单位以“末位淘汰”为由解除劳动合同，未支付经济补偿。",
    "hours": "每天工作 12 小时，周末加班不安排补休也不支付加班费。",
    "women": "怀孕后被调岗降薪，单位称不服从就离职。",
    "membership": "转到新单位后会籍没有转过来，电子会员证显示原单位。",
    "other": "单位食堂卫生条件差，职工多次反映未改善。",
}
REPLY = "您反映的问题已转交{org}，工会已约谈单位负责人，单位承诺于本月底前整改。如仍有问题请继续反映。"


def _writer(org: Org, grants: list[Grant]) -> User | None:
    covering = [g for g in grants if org.path.startswith(g.org.path)]
    return max(covering, key=lambda g: len(g.org.path)).user if covering else None


def _unions(provinces: int) -> list[tuple[Org, list]]:
    """Up to two grassroots unions of an employer with a credit code, with members, in each of ``provinces``."""
    picked, seen = [], {}
    orgs = (Org.objects.filter(org_type=OrgType.GRASSROOTS, employer__uscc__isnull=False)
            .select_related("employer", "region").order_by("path"))  # fmt: skip
    home = orgs.filter(region__code__startswith=DEMO_PROVINCE)
    for org in chain(home.iterator(), orgs.exclude(region__code__startswith=DEMO_PROVINCE).iterator()):
        province = org.region_id[:2]
        if seen.get(province, 0) >= 2 or (province not in seen and len(seen) >= provinces):
            continue
        people = [m.person for m in Membership.objects.filter(org=org, status=Membership.Status.ACTIVE)
                  .exclude(person__phone_enc="").select_related("person")[:12]]  # fmt: skip
        if len(people) >= 3:
            seen[province] = seen.get(province, 0) + 1
            picked.append((org, people))
    return picked


def _file(operator: User, org: Org, person, category: str, rng: random.Random, *, anonymous=False) -> RightsRequest:
    return services.request_file(
        actor=operator, category=category, description=TEXTS[category].format(n=rng.randrange(8, 40) * 1000),
        employer_name=org.employer.name, employer_uscc=org.employer.uscc, region=org.region, anonymous=anonymous,
        hotline=True, caller_name="" if anonymous else person.name,
        caller_phone="" if anonymous else crypto.decrypt(person.phone_enc),
    )  # fmt: skip


def _age(request: RightsRequest, days: int) -> None:
    """Back-date a request (the demo shows old and overdue ones)."""
    past = timezone.now() - dt.timedelta(days=days)
    RightsRequest.objects.filter(pk=request.pk).update(created_at=past)
    Case.objects.filter(pk=request.case_id).update(opened_at=past)


def _states(requests: list[RightsRequest], cadre: User) -> None:
    """One in each state: waiting, accepted, answered, closed (rated), overdue and escalated, reopened."""
    today = timezone.localdate()
    for i, r in enumerate(requests):
        state = i % 6
        if state == 1:
            services.request_accept(actor=cadre, request=r, version=r.version)
        elif state in (2, 3, 5):
            r = services.request_reply(actor=cadre, request=r, text=REPLY.format(org=r.org.name), version=r.version)
            if state in (3, 5):
                r = services.request_close(actor=cadre, request=r, version=r.version)
                RightsRequest.objects.filter(pk=r.pk).update(satisfaction=5 - i % 3)
        elif state == 4:
            late = today - dt.timedelta(days=9)
            Case.objects.filter(pk=r.case_id).update(deadline=late)
            RightsRequest.objects.filter(pk=r.pk).update(due_on=late)
            _age(r, 25)


def _group(org: Org, people: list, operator: User, cadre: User, rng: random.Random) -> int:
    """Ten wage claims against one employer: seven anonymous, three named who become the representatives."""
    made = []
    for i in range(rights_policy().group_threshold):
        person = people[i % len(people)]
        made.append(_file(operator, org, person, "wages", rng, anonymous=i >= 3))
    group = RightsRequest.objects.get(pk=made[-1].pk).group
    if group is None:
        return 0
    services.group_representatives(actor=cadre, group=group, request_ids=[r.pk for r in made[:3]])
    first = RightsRequest.objects.get(pk=made[0].pk)
    services.request_accept(actor=cadre, request=first, version=first.version)
    return 1


def _legal(org: Org, people: list, cadre: User, rng: random.Random, source: RightsRequest | None) -> int:
    today = timezone.localdate()
    plans = (
        ("mediation", [("mediation_applied_on", 10)], None),
        ("arbitration", [("arbitration_applied_on", 50), ("arbitration_accepted_on", 44)], None),
        (
            "litigation",
            [("arbitration_applied_on", 80), ("arbitration_accepted_on", 76), ("award_served_on", 12)],
            None,
        ),
        ("legal_aid", [("mediation_applied_on", 30)], ("settled", "18600.00")),
    )
    for i, (kind, events, outcome) in enumerate(plans):
        person = people[i % len(people)]
        claimed = Decimal(rng.randrange(10, 80) * 1000)
        legal = services.legal_open(
            actor=cadre, org=org, kind=kind, handler=cadre, request=source if i == 0 else None,
            parties=f"申请人：{person.name}；被申请人：{org.employer.name}", claims="支付拖欠工资及经济补偿金",
            narrative="申请人自入职以来按月领取工资，近期单位以经营困难为由停发工资。",
            employer_name=org.employer.name, employer_uscc=org.employer.uscc, amount_claimed=claimed,
            wage_arrears=i % 2 == 0, known_on=today - dt.timedelta(days=100 + 30 * i),
            employment_ended_on=today - dt.timedelta(days=60) if i % 2 == 0 else None,
        )  # fmt: skip
        for field, days in events:
            services.legal_milestone(actor=cadre, legal=legal, kind=field, on=today - dt.timedelta(days=days))
        if outcome is not None:
            legal.refresh_from_db()
            services.legal_close(actor=cadre, legal=legal, outcome=outcome[0], amount_recovered=outcome[1],
                                 version=legal.version, note="双方达成调解协议")  # fmt: skip
    return len(plans)


def _worker(operator_grants: list[Grant], rng: random.Random) -> int:
    """The demo worker files two requests on the phone: one answered, one waiting."""
    worker = User.objects.filter(username="zhigong", person__isnull=False).first()  # the demo worker
    if worker is None or RightsRequest.objects.filter(filer=worker).exists():
        return 0
    membership = Membership.objects.filter(person=worker.person, status=Membership.Status.ACTIVE).select_related(
        "org__employer").first()  # fmt: skip
    employer = membership.org.employer if membership and membership.org.employer_id else None
    name, code = (employer.name, employer.uscc or "") if employer else ("杭州示例物流有限公司", "")
    first = services.request_file(actor=worker, category="hours", description=TEXTS["hours"], employer_name=name,
                                  employer_uscc=code)  # fmt: skip
    services.request_file(actor=worker, category="insurance", description=TEXTS["insurance"], employer_name=name,
                          employer_uscc=code)  # fmt: skip
    cadre = _writer(first.org, operator_grants)
    if cadre is not None:
        services.request_reply(actor=cadre, request=first, text=REPLY.format(org=first.org.name), version=first.version)
    return 2


@transaction.atomic
def load_demo_requests(*, rng: random.Random, provinces: int = 4) -> tuple[int, int, int]:
    """Returns (requests, groups, legal cases) made."""
    grants = [g for g in Grant.objects.select_related("user", "org") if g.role in access.WRITE_ROLES]
    categories, policy = list(TEXTS), rights_policy()
    groups = cases = 0
    for n, (org, people) in enumerate(_unions(provinces)):
        cadre = _writer(org, grants)
        operator = _writer(org.parent, grants) if org.parent_id else cadre
        if cadre is None or operator is None:
            continue
        chosen = [categories[(n + i) % len(categories)] for i in range(6)]
        made = [_file(operator, org, people[i % len(people)], category, rng,
                      anonymous=i == 0 and policy.anonymous_allowed(category, org.region_id))
                for i, category in enumerate(chosen)]  # fmt: skip
        _states(made, cadre)
        if n == 0:
            groups += _group(org, people, operator, cadre, rng)
        if n % 2 == 0:
            cases += _legal(org, people, cadre, rng, made[2])
    cases_escalate_overdue(today=timezone.localdate(), kind="rights_request")
    requests = _worker(grants, rng)
    return RightsRequest.objects.count(), groups, cases + 0 * requests


def demo_load(run: DemoRun) -> None:
    """The declared demo loader (after the members demo)."""
    requests, groups, cases = load_demo_requests(rng=run.rng)
    run.summary.append(f"{requests} 件职工诉求（{groups} 个群体诉求）、{cases} 件法律援助案件")
