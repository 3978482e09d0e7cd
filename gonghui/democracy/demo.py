"""演示数据: workers' congresses on the members demo's tree in up to three provinces. In the demo accounts'
province, the union of the demo worker holds its congress in session: representatives (the worker among them,
not yet checked in), most checked in, a secret ballot open with papers in it, a resolution adopted and
published (its report to the upper union under way) and a show of hands recorded. Elsewhere a sitting in
preparation with its materials late, and an earlier one published."""

import datetime as dt
from itertools import chain

from django.db import transaction
from django.utils import timezone

from gonghui.accounts.models import Grant, User
from gonghui.core.registry import DemoRun
from gonghui.democracy import services
from gonghui.democracy.models import Ballot, Category, Choice, CongressKind, Role
from gonghui.members.models import Membership
from gonghui.orgs import access
from gonghui.orgs.models import Org, OrgType

HOME = "33"
CONSTITUENCIES = ("生产一车间", "生产二车间", "技术研发部", "综合管理部")
CATEGORIES = (Category.FRONTLINE, Category.FRONTLINE, Category.TECHNICAL, Category.FRONTLINE, Category.MANAGER,
              Category.FRONTLINE, Category.OTHER, Category.FRONTLINE)  # fmt: skip


def _writer(org: Org, grants: list[Grant]):
    covering = [g for g in grants if org.path.startswith(g.org.path)]
    return max(covering, key=lambda g: len(g.org.path)).user if covering else None


def _unions(provinces: int, worker) -> list[tuple[Org, list]]:
    """The demo worker's union first, then one grassroots union with members in each further province."""
    first = worker.person and Membership.objects.filter(person=worker.person, status="active").first()
    orgs = Org.objects.filter(org_type=OrgType.GRASSROOTS).order_by("path")
    picked, seen = [], set()
    ordered = chain([first.org] if first else [], orgs.filter(region__code__startswith=HOME).iterator(),
                    orgs.exclude(region__code__startswith=HOME).iterator())  # fmt: skip
    for org in ordered:
        province = org.region_id[:2]
        if province in seen or len(seen) >= provinces:
            continue
        members = [m.person for m in Membership.objects.filter(org=org, status=Membership.Status.ACTIVE)
                   .select_related("person").order_by("pk")[:9]]  # fmt: skip
        if len(members) >= 6:
            seen.add(province)
            picked.append((org, members))
    return picked


def _congress(cadre, org, people, rng, *, worker_person=None):
    today = timezone.localdate()
    staff = rng.randrange(120, 400)
    congress = services.congress_create(actor=cadre, org=org, name=f"{org.name.removesuffix('工会')}职工代表大会",
                                        kind=CongressKind.ENTERPRISE, staff_count=staff,
                                        women_staff=staff * rng.randrange(30, 50) // 100)  # fmt: skip
    term = services.term_create(
        actor=cadre,
        congress=congress,
        number=rng.randrange(2, 5),
        starts_on=today.replace(day=1) - dt.timedelta(days=400),
        ends_on=today.replace(day=1) - dt.timedelta(days=400) + dt.timedelta(days=3 * 365 + 1),
    )
    if worker_person is not None and worker_person not in people:
        people = [worker_person, *people[:-1]]
    reps = []
    for i, person in enumerate(people):
        size = rng.randrange(30, 60)
        voted = size - rng.randrange(0, size // 4)
        reps.append(services.representative_add(
            actor=cadre, term=term, person=person, role=Role.ATTENDEE if i == len(people) - 1 else Role.FORMAL,
            category=CATEGORIES[i % len(CATEGORIES)], constituency=CONSTITUENCIES[i % len(CONSTITUENCIES)],
            constituency_size=size, voted=voted, votes_for=voted - rng.randrange(0, voted // 4)))  # fmt: skip
    return congress, term, reps


def _published(cadre, sitting, reps, rng, title, items):
    ballot = services.ballot_create(actor=cadre, sitting=sitting, title=title, kind=Ballot.Kind.RESOLUTION,
                                    method=Ballot.Method.SECRET, items=items)  # fmt: skip
    ballot = services.ballot_open(actor=cadre, ballot=ballot)
    for rep in reps:
        if rep.role == Role.FORMAL and sitting.checkins.filter(representative=rep).exists():
            choices = {
                str(i): rng.choice([Choice.YES] * 5 + [Choice.NO, Choice.ABSTAIN]) for i in range(1, len(items) + 1)
            }
            services.cast_paper(ballot=ballot, representative=rep, choices=choices)
    ballot = services.ballot_close(actor=cadre, ballot=ballot)
    return services.ballot_publish(actor=cadre, ballot=ballot)


def _check_in(cadre, sitting, reps, skip=()):
    for rep in reps:
        if rep not in skip:
            services.checkin_by_staff(actor=cadre, sitting=sitting, representative=rep)


@transaction.atomic
def load_demo_congresses(*, rng, provinces: int = 3) -> tuple[int, int]:
    """Returns (congresses, ballots) made."""
    grants = [g for g in Grant.objects.select_related("user", "org") if g.role in access.WRITE_ROLES]
    worker = User.objects.filter(person__isnull=False, grants__isnull=True).order_by("pk").first()
    today = timezone.localdate()
    made = ballots = 0
    for n, (org, people) in enumerate(_unions(provinces, worker)):
        cadre = _writer(org, grants)
        if cadre is None:
            continue
        home = n == 0
        congress, term, reps = _congress(
            cadre, org, people, rng, worker_person=worker.person if home and worker else None
        )
        made += 1
        earlier = services.sitting_create(actor=cadre, term=term, number=1, title=f"{term}职代会第一次会议",
                                          starts_on=today - dt.timedelta(days=200), place="公司大会议室",
                                          materials_sent_on=today - dt.timedelta(days=210))  # fmt: skip
        earlier = services.sitting_open(actor=cadre, sitting=earlier)
        _check_in(cadre, earlier, reps)
        _published(cadre, earlier, reps, rng, "审议通过《集体合同（草案）》", ["集体合同（草案）"])
        services.sitting_close(actor=cadre, sitting=earlier)
        ballots += 1
        if not home:
            services.sitting_create(actor=cadre, term=term, number=2, title=f"{term}职代会第二次会议",
                                    starts_on=today + dt.timedelta(days=5), place="公司大会议室",
                                    materials_sent_on=today)  # fmt: skip
            continue
        sitting = services.sitting_create(actor=cadre, term=term, number=2, title=f"{term}职代会第二次会议",
                                          starts_on=today, place="公司三楼报告厅",
                                          materials_sent_on=today - dt.timedelta(days=8))  # fmt: skip
        sitting = services.sitting_open(actor=cadre, sitting=sitting)
        worker_rep = next((r for r in reps if worker and r.person_id == worker.person_id), None)
        _check_in(cadre, sitting, reps, skip={worker_rep} if worker_rep else ())
        _published(
            cadre,
            sitting,
            [r for r in reps if r != worker_rep],
            rng,
            "审议《职工福利费使用方案》",
            ["2025年度职工福利费使用情况报告", "2026年度职工福利费使用方案"],
        )
        hands = services.ballot_create(actor=cadre, sitting=sitting, title="通过大会选举办法",
                                       kind=Ballot.Kind.RESOLUTION, method=Ballot.Method.HANDS,
                                       items=["大会选举办法"])  # fmt: skip
        hands = services.ballot_open(actor=cadre, ballot=hands)
        services.hands_record(actor=cadre, ballot=hands, counts={1: {"yes": hands.present - 1, "no": 0, "abstain": 1}})
        open_ballot = services.ballot_create(
            actor=cadre, sitting=sitting, title="选举劳动法律监督委员会委员", kind=Ballot.Kind.ELECTION,
            method=Ballot.Method.SECRET, items=[f"{p.name}" for p in people[1:4]])  # fmt: skip
        open_ballot = services.ballot_open(actor=cadre, ballot=open_ballot)
        for rep in reps[1:3]:
            if rep != worker_rep and rep.role == Role.FORMAL:
                services.cast_paper(
                    ballot=open_ballot,
                    representative=rep,
                    choices={"1": Choice.YES, "2": Choice.YES, "3": Choice.ABSTAIN},
                )
        ballots += 3
    return made, ballots


def demo_load(run: DemoRun) -> None:
    """The declared demo loader (after the members demo)."""
    made, ballots = load_demo_congresses(rng=run.rng)
    run.summary.append(f"{made} 个职代会、{ballots} 项表决")
