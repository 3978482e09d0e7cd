"""演示数据: in each province of the demo tree (at most four), a provincial skill competition — an electricians'
final that has ended, been scored by five judges, signed, ranked and certified, and a welders' final under way
that the demo judge (caipan, on the phone) still has to score — model workers with their honours, this year's
care and their 先进典型宣传 (national and provincial, 2021-2025), innovation studios at every level; and a
national 五一劳动奖章 round with quotas and share rules, one province's list submitted and in its grassroots
notice; 五小创新和合理化建议 at every step of their review (the demo worker zhigong has submitted two on the phone,
one of them adopted and rewarded); a provincial 五一劳动奖状 round with two units nominated and their exclusion
checks answered with evidence (one still incomplete); each studio's evaluation of last year and an alliance of
three studios per province."""

import datetime as dt
import random
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from gonghui.accounts.models import User
from gonghui.core.registry import DemoRun
from gonghui.members.demo import DEMO_PASSWORD, DemoAccount
from gonghui.members.models import Membership
from gonghui.orgs.models import Org, OrgType
from gonghui.workforce import selectors, services
from gonghui.workforce.models import (
    PLAN_YEARS,
    CareItem,
    CareKind,
    ExclusionItem,
    Grade,
    Judge,
    Level,
    Studio,
    StudioLevel,
    Title,
)

JUDGES = (("caipan", "陈建国"), ("caipan2", "刘志强"), ("caipan3", "王秀英"), ("caipan4", "赵立新"),
          ("caipan5", "孙海峰"), ("zhongcai", "周明"))  # fmt: skip
FIELDS = ("智能制造", "电力运维", "焊接工艺", "数控加工", "轨道交通", "化工安全", "建筑施工", "汽车维修")
STUDIO_NAMES = ("{name}劳模创新工作室", "{name}技能大师工作室", "{name}工匠创新工作室")
ACHIEVEMENTS = (("patent", "一种高压开关柜带电检测装置"), ("technique", "{name}焊接操作法"),
                ("benefit", "生产线节能改造"), ("award", "省职工优秀技术创新成果一等奖"))  # fmt: skip


def _judges() -> list[User]:
    """The demo's judges: caipan signs in with the demo password (the phone scoring); the others have no
    usable password (their scores are entered by the loader)."""
    users = []
    for username, name in JUDGES:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(username=username, display_name=name)
            if username in ("caipan", "zhongcai"):
                user.set_password(DEMO_PASSWORD)
            else:
                user.set_unusable_password()
            user.save()
        users.append(user)
    return users


def _people(province: Org, n: int) -> list:
    rows = (Membership.objects.filter(org__path__startswith=province.path, status=Membership.Status.ACTIVE)
            .select_related("person", "org").order_by("pk")[:n])  # fmt: skip
    return list(rows)


def _competition(rng: random.Random, province: Org, judges: list[User], members: list, year: int) -> int:
    short = province.name.replace("总工会", "")
    competition = services.competition_create(actor=None, org=province, name=f"{year}年{short}职工职业技能大赛",
                                              year=year)  # fmt: skip
    today = timezone.localdate()
    ended = services.event_add(actor=None, competition=competition, occupation="电工", grade=Grade.SENIOR,
                               held_on=today - dt.timedelta(days=10))  # fmt: skip
    running = services.event_add(actor=None, competition=competition, occupation="焊工", grade=Grade.TECHNICIAN,
                                 held_on=today)  # fmt: skip
    scorers = [services.judge_appoint(actor=None, event=ended, user=u, name=u.display_name) for u in judges[:5]]
    services.judge_appoint(actor=None, event=ended, user=judges[5], name=judges[5].display_name,
                           role=Judge.Role.ARBITER)  # fmt: skip
    half = len(members) // 2
    for event, group in ((ended, members[:half]), (running, members[half:])):
        for m in group:
            entry = services.entry_register(actor=None, event=event, name=m.person.name, unit=m.org.name[:100],
                                            person_ids=[m.person_id])  # fmt: skip
            for competitor in entry.competitors.all():
                services.theory_record(actor=None, competitor=competitor,
                                       theory=Decimal(rng.randrange(6000, 9800)) / 100,
                                       seconds=rng.randrange(2400, 5400))  # fmt: skip
    # the ended event: one judge withdrew from one entrant; everyone else scored and signed
    first = ended.entries.order_by("number").first()
    if first is not None:
        services.recusal_declare(actor=None, judge=scorers[4], entry=first, relation="same_unit")
    for judge in scorers:
        for competitor in services.panel_of(judge):
            skill = 70 + (hash(competitor.person_id) % 25)
            value = Decimal(min(100, max(0, skill + rng.randrange(-400, 400) / 100))).quantize(Decimal("0.01"))
            services.score_set(actor=None, judge=judge, competitor=competitor, value=value)
        services.sheet_sign(actor=None, judge=judge)
    services.event_end(actor=None, event=ended, at=timezone.now() - dt.timedelta(days=10))
    issued = services.certificates_issue(actor=None, event=ended)
    # the running event: five judges appointed, caipan has scored nobody yet, the others part of the field
    for user in judges[:5]:
        judge = services.judge_appoint(actor=None, event=running, user=user, name=user.display_name)
        if user.username != "caipan":
            for competitor in services.panel_of(judge)[:2]:
                services.score_set(actor=None, judge=judge, competitor=competitor,
                                   value=Decimal(rng.randrange(7000, 9600)) / 100)  # fmt: skip
    return issued


def _model_workers(rng: random.Random, province: Org, members: list, year: int) -> list:
    titles = (Title.NATIONAL_MODEL, Title.PROVINCIAL_MODEL, Title.MAY_DAY_MEDAL, Title.LOCAL_CRAFTSMAN,
              Title.GREAT_CRAFTSMAN)  # fmt: skip
    workers = []
    for i, m in enumerate(members):
        worker = services.model_worker_add(actor=None, org=province, person=m.person,
                                           employer_name=m.org.name.replace("工会", "")[:100],
                                           occupation=rng.choice(("电工", "焊工", "钳工", "数控车工", "高级技师")),
                                           health="高血压，需定期复查" if i == 0 else "",
                                           in_hardship=i == 1)  # fmt: skip
        services.honour_add(actor=None, model_worker=worker, title=titles[i % len(titles)],
                            year=year - 1 - rng.randrange(0, 8), conferred_by="中华全国总工会"
                            if titles[i % len(titles)] != Title.PROVINCIAL_MODEL else province.name)  # fmt: skip
        workers.append(worker)
    services.care_year_open(actor=None, org=province, year=year)
    today = timezone.localdate()
    for item in CareItem.objects.filter(model_worker__in=workers, year=year, kind=CareKind.HEALTH_CHECK)[:3]:
        services.care_done(actor=None, item=item, done_on=today.replace(day=1))
    for item in CareItem.objects.filter(model_worker__in=workers, year=year, kind=CareKind.SUBSIDY)[:1]:
        services.care_done(actor=None, item=item, done_on=today, amount=Decimal("2000"))
    _rest(province, workers, today)
    services.hardship_flag(actor=None, model_worker=workers[2], note="配偶重病住院，家庭收入骤减", version=1)
    _publicity(rng, province, workers, today)
    return workers


NATIONAL_CAMPAIGNS = ("大国工匠年度人物", "最美职工", "全国劳模工匠宣讲团巡回宣讲", "《工人日报》“劳动者之歌”专题报道")


def _publicity(rng: random.Random, province: Org, workers: list, today: dt.date) -> int:
    """先进典型宣传 in the plan period (2021-2025): the first three model workers publicised nationally (the first
    twice, in two campaigns), the fourth at the province only, the fifth not at all."""
    last = min(PLAN_YEARS[1], today.year)

    def day() -> dt.date:
        return min(dt.date(rng.randint(PLAN_YEARS[0], last), rng.randint(1, 12), rng.randint(1, 28)), today)

    short = province.name.replace("总工会", "")
    entries = [(w, Level.NATIONAL, NATIONAL_CAMPAIGNS[i]) for i, w in enumerate(workers[:3])]
    entries += [(w, Level.PROVINCIAL, f"{short}最美职工") for w in workers[3:4]]
    if workers:
        entries.append((workers[0], Level.NATIONAL, NATIONAL_CAMPAIGNS[3]))
    for n, (worker, level, campaign) in enumerate(entries):
        services.publicity_add(actor=None, model_worker=worker, level=level, campaign=campaign, published_on=day(),
                               link="https://www.workercn.cn/" if n == 0 else "")  # fmt: skip
    return len(entries)


def _rest(province: Org, workers: list, today: dt.date) -> None:
    """Two 疗休养 batches: one ending today with its attendance marked (one of two went), one to come with a
    model worker enrolled."""
    done = services.rest_batch_create(actor=None, org=province, place=f"{province.name[:2]}职工疗休养基地",
                                      starts_on=max(today - dt.timedelta(days=4), today.replace(month=1, day=1)),
                                      ends_on=today, capacity=20)  # fmt: skip
    enrolled = [services.rest_enrol(actor=None, batch=done, model_worker=w) for w in workers[:2]]
    services.rest_attendance(actor=None, batch=done, attended={enrolled[0].pk})
    starts = today + dt.timedelta(days=20)
    if starts.year != today.year:
        starts = today
    coming = services.rest_batch_create(actor=None, org=province, place="莫干山劳模疗休养院", starts_on=starts,
                                        ends_on=min(starts + dt.timedelta(days=5), today.replace(month=12, day=31)),
                                        capacity=30)  # fmt: skip
    for worker in workers[2:4]:
        services.rest_enrol(actor=None, batch=coming, model_worker=worker)


def _studios(rng: random.Random, province: Org, workers: list, year: int) -> int:
    levels = (StudioLevel.NATIONAL_DEMO, StudioLevel.PROVINCIAL, StudioLevel.CITY, StudioLevel.GRASSROOTS)
    made = 0
    for i, level in enumerate(levels):
        worker = workers[i % len(workers)] if workers else None
        leader = worker.person.name if worker else "李工"
        studio = services.studio_create(
            actor=None, org=province, name=STUDIO_NAMES[i % 3].format(name=leader), level=level, leader=worker,
            leader_name=leader, field=rng.choice(FIELDS),
            host_employer=worker.employer_name if worker else "省电力公司",
            members=rng.randrange(6, 40), named_year=year - rng.randrange(1, 6),
        )  # fmt: skip
        kind, title = ACHIEVEMENTS[i % len(ACHIEVEMENTS)]
        benefit = Decimal(rng.randrange(20, 900)) if kind == "benefit" else None
        services.achievement_add(actor=None, studio=studio, kind=kind, title=title.format(name=leader), year=year - 1,
                                 benefit_wan=benefit)  # fmt: skip
        score = Decimal(rng.randrange(5500, 9800)) / 100
        services.studio_evaluate(actor=None, studio=studio, year=year - 1, score=score,
                                 evaluator=f"{province.name}考核组",
                                 evaluated_on=min(timezone.localdate(), dt.date(year, 1, 15)))  # fmt: skip
        made += 1
    studios = list(Studio.objects.filter(org=province).order_by("pk")[:3])
    if len(studios) >= 2:
        short = province.name.replace("总工会", "")
        services.alliance_create(actor=None, org=province, name=f"{short}劳模工匠创新工作室联盟", field="智能制造",
                                 formed_year=year - 1, lead=studios[0], members=studios[1:])  # fmt: skip
    return made


IDEAS = (
    ("renovation", "数控车床快速换刀夹具", "换刀一次约 20 分钟，停机时间长。", "改用快换夹具和刀具预调，换刀 3 分钟。"),
    ("rationalisation", "仓库物料分区和看板管理", "领料常找不到货位，等待长。", "按使用频次分区并设看板，先进先出。"),
    ("invention", "高压开关柜带电检测小车", "人工检测需停电，影响生产。", "研制可移动带电检测小车，不停电检测。"),
    ("design", "焊接工位防飞溅挡板", "焊渣飞溅伤人、污染相邻工位。", "设计可折叠防飞溅挡板，三面围护。"),
    ("suggestion", "空压机余热回收用于浴室热水", "空压机余热直接排放。", "加装换热器回收余热供职工浴室。"),
    ("creation", "电缆盘快速放线架", "人工放线费力且易损伤电缆。", "制作可调速放线架，一人即可操作。"),
)  # fmt: skip
# how far each demo idea has gone: its last step (None: still waiting for the first review)
PATHS = (("review", "adopted", "assessed", "rewarded"), ("review", "adopted", "assessed"), ("review", "adopted"),
         ("review",), (), ("rejected",))  # fmt: skip


def _advance(innovation, path: tuple, rng: random.Random) -> None:
    for to in path:
        innovation.case.refresh_from_db()
        extra = {}
        if to == "assessed":
            extra = {"benefit_fen": rng.randrange(5_000, 300_000) * 100, "note": "按年节约工时和材料费用测算"}
        elif to == "rewarded":
            extra = {"reward_fen": rng.choice((500, 1000, 2000)) * 100}
        elif to == "rejected":
            extra = {"note": "已有同类改进方案在实施"}
        services.innovation_advance(actor=None, innovation=innovation, to=to, version=innovation.case.version,
                                    **extra)  # fmt: skip


def _innovations(rng: random.Random, members: list) -> int:
    """Ideas of members of a province, entered at their own unions, each at another step."""
    for i, m in enumerate(members):
        kind, title, problem, proposal = IDEAS[i % len(IDEAS)]
        innovation = services.innovation_enter(actor=None, org=m.org, person=m.person, kind=kind, title=title,
                                               problem=problem, proposal=proposal, unit="生产车间")  # fmt: skip
        _advance(innovation, PATHS[i % len(PATHS)], rng)
    return len(members)


def _worker_innovations(rng: random.Random) -> int:
    """The demo worker's own two ideas, submitted on the phone: one rewarded, one waiting for review."""
    worker = User.objects.filter(username="zhigong", person__isnull=False).first()
    if worker is None or not Membership.objects.filter(person_id=worker.person_id, status="active").exists():
        return 0
    for (kind, title, problem, proposal), path in ((IDEAS[4], PATHS[0]), (IDEAS[1], ())):
        innovation = services.innovation_submit(actor=worker, kind=kind, title=title, problem=problem,
                                                proposal=proposal, unit="动力车间")  # fmt: skip
        _advance(innovation, path, rng)
    return 2


def _round(provinces: list[Org], candidates: dict, year: int) -> int:
    national = Org.objects.filter(org_type=OrgType.NATIONAL).order_by("pk").first()
    if national is None or not provinces:
        return 0
    round_ = services.round_create(
        actor=None, org=national, name=f"{year}年全国五一劳动奖章评选", title=Title.MAY_DAY_MEDAL, year=year,
        quotas_by_org={str(p.pk): 3 for p in provinces},
        share_rules=[{"category": "industrial", "at_least": True, "percent": 35},
                     {"category": "frontline", "at_least": True, "percent": 20},
                     {"category": "enterprise_head", "at_least": False, "percent": 20}],
    )  # fmt: skip
    categories = (["industrial", "frontline"], ["industrial", "migrant"], ["frontline", "non_public"])
    for province in provinces:
        for i, m in enumerate(candidates[province.pk][:3]):
            services.nomination_add(actor=None, round=round_, org=province, person=m.person, unit=m.org.name[:100],
                                    categories=categories[i % 3],
                                    deeds="长期扎根生产一线，带领班组攻克关键工艺难题，获多项国家专利。")  # fmt: skip
    services.list_submit(actor=None, round=round_, org=provinces[0])
    return round_.nominations.count()


EVIDENCE = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def _unit_round(province: Org, year: int) -> int:
    """A provincial 五一劳动奖状 round: two units nominated by their unions' county federation, the first with every
    exclusion item answered with evidence (its list could go), the second with two items still open."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    unions = list(Org.objects.filter(path__startswith=province.path, org_type=OrgType.GRASSROOTS,
                                     employer__isnull=False).select_related("employer", "parent")
                  .order_by("path")[:2])  # fmt: skip
    if not unions:
        return 0
    short = province.name.replace("总工会", "")
    round_ = services.round_create(actor=None, org=province, name=f"{year}年{short}五一劳动奖状评选",
                                   title=Title.MAY_DAY_AWARD, year=year)  # fmt: skip
    for i, union in enumerate(unions):
        nomination = services.nomination_add(
            actor=None, round=round_, org=union.parent, employer=union.employer, categories=[],
            unit=f"{union.parent.name.replace('总工会', '')}，制造业",
            deeds="厂务公开和职代会制度健全，连续多年无欠薪、无安全事故，职工收入稳步增长。",
        )  # fmt: skip
        prefill = selectors.exclusion_prefill(nomination)
        items = list(ExclusionItem.values)[: 5 if i == 0 else 3]
        for item in items:
            services.unit_check_answer(actor=None, nomination=nomination, item=item,
                                       present=bool(prefill[item].present), note="经核查，附主管部门出具的证明",
                                       file=SimpleUploadedFile("证明.pdf", EVIDENCE), file_name="证明.pdf")  # fmt: skip
    return len(unions)


@transaction.atomic
def load_demo_workforce(*, rng: random.Random) -> dict:
    year = timezone.localdate().year
    provinces = list(Org.objects.filter(org_type=OrgType.PROVINCE).order_by("path")[:4])
    judges = _judges()
    counts = {"certificates": 0, "model_workers": 0, "studios": 0, "nominations": 0, "innovations": 0}
    candidates = {}
    for province in provinces:
        people = _people(province, 24)
        if len(people) < 12:
            continue
        counts["certificates"] += _competition(rng, province, judges, people[:12], year)
        workers = _model_workers(rng, province, people[12:17], year)
        counts["model_workers"] += len(workers)
        counts["studios"] += _studios(rng, province, workers, year)
        candidates[province.pk] = people[17:]
        counts["innovations"] += _innovations(rng, _people(province, 36)[24:36])
    counts["innovations"] += _worker_innovations(rng)
    if provinces:
        counts["nominations"] += _unit_round(provinces[0], year)
    counts["nominations"] = _round([p for p in provinces if p.pk in candidates], candidates, year)
    return counts


def demo_load(run: DemoRun) -> None:
    """The declared demo loader (after the members demo)."""
    counts = load_demo_workforce(rng=run.rng)
    run.summary.append(f"{counts['model_workers']} 名劳模，{counts['studios']} 个创新工作室，"
                       f"{counts['certificates']} 张竞赛证书，{counts['nominations']} 名评选推荐人选，"
                       f"{counts['innovations']} 项五小创新和合理化建议")  # fmt: skip
    judge = User.objects.filter(username="caipan").first()
    if judge is not None and judge.judgings.exists():
        run.accounts.append(DemoAccount("caipan", DEMO_PASSWORD, "竞赛裁判（手机评分）", "省职工职业技能大赛"))
