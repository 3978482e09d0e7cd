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
from gonghui.cases.models import Case
from gonghui.core.registry import DemoRun
from gonghui.democracy import services
from gonghui.democracy.models import Ballot, Category, Choice, CongressKind, Proposal, Role, Satisfaction
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
def load_demo_congresses(*, rng, provinces: int = 3) -> tuple[int, int, int]:
    """Returns (congresses, ballots, proposals) made."""
    grants = [g for g in Grant.objects.select_related("user", "org") if g.role in access.WRITE_ROLES]
    worker = User.objects.filter(person__isnull=False, grants__isnull=True).order_by("pk").first()
    today = timezone.localdate()
    made = ballots = proposals = 0
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
        made_proposals = _earlier_proposals(cadre, earlier, reps, home=home)
        services.sitting_close(actor=cadre, sitting=earlier)
        ballots += 1
        if not home:
            proposals += made_proposals
            services.sitting_create(actor=cadre, term=term, number=2, title=f"{term}职代会第二次会议",
                                    starts_on=today + dt.timedelta(days=5), place="公司大会议室",
                                    materials_sent_on=today)  # fmt: skip
            _election(cadre, org, people, rng, submit=True)
            continue
        sitting = services.sitting_create(actor=cadre, term=term, number=2, title=f"{term}职代会第二次会议",
                                          starts_on=today, place="公司三楼报告厅",
                                          materials_sent_on=today - dt.timedelta(days=8))  # fmt: skip
        sitting = services.sitting_open(actor=cadre, sitting=sitting)  # carries the unresolved proposals over
        worker_rep = next((r for r in reps if worker and r.person_id == worker.person_id), None)
        proposals += made_proposals + _current_proposals(cadre, sitting, reps, worker_rep)
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
        _open_affairs(cadre, org, earlier, sitting, people, worker)
        electors = [p for p in people if not worker or p.pk != worker.person_id]
        _election(cadre, org, [*electors, worker.person] if worker else electors, rng, submit=False)
    return made, ballots, proposals


DISCLOSED = {  # catalogue code: (title, body)
    "operation": ("2026年前三季度经营情况", "前三季度实现营业收入4.2亿元，同比增长6%；利润总额3100万元。"),
    "contracts": ("集体合同履行情况", "2026年集体合同各项条款均已落实，劳动合同签订率100%。"),
    "pay": ("2026年工资调整方案", "一线岗位工资平均上调5%，辅助岗位上调3%，自7月起执行。"),
    "insurance": ("社会保险缴纳情况", "全体职工五项社会保险按实际工资足额缴纳，公积金比例10%。"),
    "safety": ("夏季防暑降温措施", "7至9月发放高温津贴每月300元，高温岗位加装冷风机12台。"),
}


def _open_affairs(cadre, org, earlier, sitting, people, worker) -> None:
    """The home union's 厂务公开栏: five of the seven standing items disclosed this year, the sittings' agenda
    and results, a worker's question answered and the demo worker's waiting."""
    today = timezone.localdate()
    board = services.board_create(actor=cadre, org=org, ownership="non_public")
    posted = today - dt.timedelta(days=10)
    made = {}
    for code, (title, body) in DISCLOSED.items():
        made[code] = services.disclosure_post(
            actor=cadre, board=board, kind="item", item=code, title=title, body=body, posted_on=posted,
            until=posted + dt.timedelta(days=30))  # fmt: skip
    services.disclosure_post(
        actor=cadre, board=board, kind="results", sitting=earlier, title=f"{earlier.title}决议",
        body="会议审议通过《集体合同（草案）》。", posted_on=earlier.starts_on + dt.timedelta(days=1),
        until=earlier.starts_on + dt.timedelta(days=20))  # fmt: skip
    services.disclosure_post(actor=cadre, board=board, kind="agenda", sitting=sitting, title=f"{sitting.title}议程",
                             body="一、审议职工福利费使用方案；二、通过大会选举办法；三、选举劳动法律监督委员会委员。",
                             posted_on=today - dt.timedelta(days=8), until=today + dt.timedelta(days=10))  # fmt: skip
    asker = User.objects.filter(person__in=people).exclude(pk=getattr(worker, "pk", None)).first()
    if asker is not None:
        question = services.question_ask(
            actor=asker, disclosure=made["pay"], text="辅助岗位的调整是否包括劳务派遣人员？"
        )
        services.question_answer(actor=cadre, question=question, answer="包括。派遣人员与同岗位职工同步调整。")
    if worker is not None:
        services.question_ask(actor=worker, disclosure=made["safety"], text="高温津贴是否按出勤天数折算？")


CANDIDATES_SEATS = 3


def _election(cadre, org, people, rng, *, submit: bool):
    """A union election: at home voting (the demo worker an elector, not yet voted), elsewhere counted and
    submitted to the upper union for approval."""
    from gonghui.democracy.models import Election

    today = timezone.localdate()
    election = services.election_create(actor=cadre, org=org, title=f"{org.name}换届选举", seats=CANDIDATES_SEATS,
                                        term_years=5, principal_name="张总经理", voting_on=today)  # fmt: skip
    for person in people[:4]:
        services.candidate_add(actor=cadre, election=election, person=person, relation="none")
    if election.electorate == Election.Electorate.REPRESENTATIVES:
        for person in people:
            services.elector_add(actor=cadre, election=election, person=person)
    election = services.election_open(actor=cadre, election=election)
    ballot = election.ballot
    voters = list(election.electors.order_by("pk"))
    count = len(voters) if submit else max(len(voters) - 3, 1)
    for elector in voters[:count]:
        if submit or elector.person_id != people[-1].pk:
            choices = {str(p): rng.choice([Choice.YES] * 4 + [Choice.NO, Choice.ABSTAIN]) for p in range(1, 5)}
            services.cast_paper(ballot=ballot, elector=elector, choices=choices)
    if submit:
        election = services.election_count(actor=cadre, election=election)
        if election.status == Election.Status.COUNTED:
            services.election_submit(actor=cadre, election=election)
    return election


PROPOSALS = (  # title, reasons, measures
    ("关于改善一线车间夏季防暑降温条件的提案", "一、二车间夏季室温常超过35℃，部分岗位没有降温设备，中暑风险高。",
     "在高温岗位加装冷风机；7至9月按规定足额发放高温津贴；调整高温时段的作业班次。"),
    ("关于提高夜班津贴标准的提案", "现行夜班津贴标准制定于2019年，已明显低于同行业水平，夜班岗位流失率较高。",
     "参照本市同行业水平调整夜班津贴，并在集体合同中明确标准和调整机制。"),
    ("关于建立职工子女暑期托管班的提案", "双职工家庭暑期子女无人照看的问题突出，影响职工安心工作。",
     "利用职工之家场地开办暑期托管班，工会与社区合作配备看护人员，费用由工会经费适当补贴。"),
    ("关于增设厂区电动自行车充电设施的提案", "骑电动自行车上下班的职工越来越多，私拉电线充电存在消防隐患。",
     "在厂区停车棚增设集中充电桩并加装监控和灭火设施，禁止入室充电。"),
    ("关于延长职工食堂供餐时间的提案", "中夜班职工下班后食堂已停止供餐，只能外出就餐。",
     "食堂增加夜宵供应时段（22:00—23:30），并开通线上预订。"),
    ("关于完善技能等级与薪酬挂钩办法的提案", "职工取得高级工、技师证书后待遇没有相应变化，学技术的积极性不高。",
     "制定技能等级津贴标准，与岗位工资挂钩，纳入下一年度工资专项集体协商。"),
    ("关于更新职工活动室健身器材的提案", "职工活动室的跑步机、动感单车使用多年，损坏较多，下班后排队使用。",
     "更新和增添健身器材，延长活动室开放时间至晚上九点。"),
)  # fmt: skip
DEPARTMENTS = (("人力资源部", "周建华"), ("后勤保障部", "吴海燕"), ("安全环保部", "郑国强"), ("工会办公室", "王静"))


def _formal(reps):
    return [r for r in reps if r.role == Role.FORMAL]


def _propose(sitting, proposer, reps, text, *, confirm=True) -> Proposal:
    signers = [r for r in _formal(reps) if r != proposer][:2]
    title, reasons, measures = text
    proposal = services.submit_for(rep=proposer, sitting=sitting, title=title, reasons=reasons, measures=measures,
                                   cosigners=signers)  # fmt: skip
    if confirm:
        for signer in proposal.cosigners.all():
            proposal = services.cosign_for(proposal=proposal, signer=signer)
    return proposal


def _through(cadre, proposal, department, *, until: str, overdue: bool = False) -> Proposal:
    """Takes an accepted proposal through the steps, up to ``until`` (assigned, handled, replied)."""
    name, person = department
    proposal = services.proposal_review(actor=cadre, proposal=proposal, decision="accept", note="符合立案条件")
    proposal = services.proposal_assign(actor=cadre, proposal=proposal, department=name, responsible=person, days=20)
    if overdue:  # assigned long ago, its deadline passed
        past = timezone.localdate() - dt.timedelta(days=12)
        Case.objects.filter(pk=proposal.case_id).update(deadline=past)
        Proposal.objects.filter(pk=proposal.pk).update(due_on=past)
        proposal.refresh_from_db()
    if until == "assigned":
        return proposal
    note = f"{name}已会同相关部门研究落实，方案已报经理办公会通过。"
    proposal = services.proposal_handled(actor=cadre, proposal=proposal, note=note)
    if until == "handled":
        return proposal
    text = f"经研究，采纳提案建议，由{name}牵头于本季度内落实，落实情况在厂务公开栏公布。"
    return services.proposal_reply(actor=cadre, proposal=proposal, text=text)


def _earlier_proposals(cadre, sitting, reps, *, home: bool) -> int:
    """The earlier sitting's proposals: one rated, one overdue with its department, one refused with reasons;
    at home also one replied and waiting for the proposer's rating (the demo worker's, carried over)."""
    formal = _formal(reps)
    done = _through(cadre, _propose(sitting, formal[1], reps, PROPOSALS[0]), DEPARTMENTS[2], until="replied")
    services.rate_for(proposal=done, satisfaction=Satisfaction.BASIC)
    _through(cadre, _propose(sitting, formal[2], reps, PROPOSALS[1]), DEPARTMENTS[0], until="assigned", overdue=True)
    refused = _propose(sitting, formal[3], reps, PROPOSALS[5])
    services.proposal_review(actor=cadre, proposal=refused, decision="reject",
                             note="涉及工资分配，已列入本年度工资专项集体协商议题，不再作为提案立案。")  # fmt: skip
    if not home:
        return 3
    _through(cadre, _propose(sitting, formal[0], reps, PROPOSALS[2]), DEPARTMENTS[3], until="replied")
    return 4


def _current_proposals(cadre, sitting, reps, worker_rep) -> int:
    """This sitting's: one waiting for the demo worker's co-signature, one for the committee's review, one
    turned into an opinion."""
    formal = [r for r in _formal(reps) if r != worker_rep]
    proposal = _propose(sitting, formal[1], [worker_rep, *formal] if worker_rep else formal, PROPOSALS[3],
                        confirm=False)  # fmt: skip
    first = proposal.cosigners.exclude(representative=worker_rep).first()
    if first is not None:
        services.cosign_for(proposal=proposal, signer=first)
    _propose(sitting, formal[2], reps, PROPOSALS[4])
    opinion = _propose(sitting, formal[3], reps, PROPOSALS[6])
    services.proposal_review(actor=cadre, proposal=opinion, decision="opinion",
                             note="属于日常管理事项，转后勤保障部作为意见建议办理。")  # fmt: skip
    return 3


def demo_load(run: DemoRun) -> None:
    """The declared demo loader (after the members demo)."""
    made, ballots, proposals = load_demo_congresses(rng=run.rng)
    run.summary.append(f"{made} 个职代会、{ballots} 项表决、{proposals} 件提案")
