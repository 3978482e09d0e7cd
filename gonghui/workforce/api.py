"""/api/v1/workforce: competitions (list, create, events, entries, judges, ranking), the judge's own sheet
(scores, withdrawals, signing), model workers and studios. A judge scores only for their own appointment and
never an entrant they withdrew from (an audited 403)."""

import datetime as dt
from decimal import Decimal

from django.http import Http404
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import ConfigDict

from gonghui.accounts.models import User
from gonghui.core.api import ERRORS, ErrorOut
from gonghui.core.pagination import Pagination
from gonghui.orgs import access
from gonghui.orgs.models import Org
from gonghui.workforce import selectors, services
from gonghui.workforce.models import Competition, Competitor, Entry, Event

router = Router(tags=["产业工人队伍建设"])
CONFLICT = {409: ErrorOut, **ERRORS}


class CompetitionOut(Schema):
    id: int
    name: str
    year: int
    org_name: str = Field(description="主办工会")
    theory_weight: Decimal = Field(description="理论成绩权重（≤ 0.30）")
    award_shares: list[int] = Field(description="一二三等奖占参赛者的百分比")

    @staticmethod
    def resolve_org_name(c):
        return c.org.name


class CompetitionIn(Schema):
    model_config = ConfigDict(extra="forbid")
    org_id: int
    name: str = Field(max_length=100)
    year: int
    theory_weight: Decimal | None = Field(None, ge=0, le=Decimal("0.30"), description="默认 0.30")
    award_shares: list[int] | None = Field(None, description="默认 [10, 20, 30]")


class EventIn(Schema):
    model_config = ConfigDict(extra="forbid")
    occupation: str = Field(max_length=50)
    grade: str = Field(max_length=2, description="5 初级工 … 1 高级技师")
    held_on: dt.date
    stage: str = Field("final", max_length=16, description="preliminary 初赛、final 决赛")
    team_size: int = Field(1, description="1 个人赛，3 团体赛")


class EventOut(Schema):
    id: int
    occupation: str
    grade: str
    stage: str
    team_size: int
    held_on: dt.date
    ended_at: dt.datetime | None


class CompetitionEntryIn(Schema):
    model_config = ConfigDict(extra="forbid")
    name: str = Field(max_length=50, description="选手姓名或队名")
    unit: str = Field(max_length=100)
    person_ids: list[int] = Field(description="选手（会员）id：个人赛 1 人，团体赛 3 人")


class CompetitionEntryOut(Schema):
    id: int
    number: int
    name: str
    unit: str


class JudgeIn(Schema):
    model_config = ConfigDict(extra="forbid")
    username: str = Field(max_length=150)
    name: str = Field(max_length=50)
    role: str = Field("judge", description="judge 裁判、arbiter 仲裁委员")


class JudgeOut(Schema):
    id: int
    event_id: int
    name: str
    role: str
    signed_at: dt.datetime | None


class RankingRowOut(Schema):
    rank: int | None = Field(description="名次；评分未完成为空")
    entry_id: int
    number: int
    name: str
    unit: str
    practical: Decimal | None
    total: Decimal | None
    seconds: int | None
    prize: str = Field(description="奖项")
    honour: str = Field(description="technician 全国技术能手候选、grade 职业技能等级证书")


class RankingOut(Schema):
    rows: list[RankingRowOut]
    top_ties: list[int] = Field(description="前三名并列的报名 id（须组委会裁定）")
    incomplete: int


class SheetLineOut(Schema):
    competitor_id: int
    number: int = Field(description="参赛号")
    score: Decimal | None


class SheetOut(Schema):
    judge: JudgeOut
    lines: list[SheetLineOut]


class ScoreIn(Schema):
    model_config = ConfigDict(extra="forbid")
    competitor_id: int
    value: Decimal = Field(ge=0, le=100, max_digits=5, decimal_places=2)
    reason: str = Field("", max_length=200, description="签字后修改必填")


class ScoreOut(Schema):
    competitor_id: int
    value: Decimal
    signed: bool


class RecusalIn(Schema):
    model_config = ConfigDict(extra="forbid")
    entry_id: int
    relation: str = Field(max_length=16, description="same_unit 同一单位、family 近亲属、mentor 师徒、other 其他")


class RecusalOut(Schema):
    entry_id: int
    relation: str


class ModelWorkerOut(Schema):
    id: int
    name: str
    id_number_masked: str
    employer_name: str
    org_name: str
    honours: list[str]

    @staticmethod
    def resolve_name(w):
        return w.person.name

    @staticmethod
    def resolve_id_number_masked(w):
        return w.person.id_number_masked

    @staticmethod
    def resolve_org_name(w):
        return w.org.name

    @staticmethod
    def resolve_honours(w):
        return [f"{h.year} {h.get_title_display()}" for h in w.honours.all()]


class StudioOut(Schema):
    id: int
    name: str
    level: str
    leader_name: str
    field: str
    host_employer: str
    members: int
    named_year: int


class StudioIn(Schema):
    model_config = ConfigDict(extra="forbid")
    org_id: int
    name: str = Field(max_length=100)
    level: str = Field(max_length=16, description="national_demo 全国示范、provincial 省级、city 市级、grassroots 基层")
    leader_name: str = Field(max_length=50)
    field: str = Field(max_length=50)
    host_employer: str = Field(max_length=100)
    members: int = Field(0, ge=0, le=1000)
    named_year: int


# ----- competitions ------------------------------------------------------------------------------------------------


@router.get("/competitions", response={200: list[CompetitionOut], **ERRORS}, summary="技能竞赛")
@paginate(Pagination)
def competitions(request, year: int | None = Query(None, ge=2000, le=2100), q: str = ""):
    """授权范围内的技能竞赛。"""
    access.require_cadre(request.auth)
    return selectors.competitions_visible_to(request.auth, year=year, q=q)


@router.post("/competitions", response={201: CompetitionOut, **ERRORS}, summary="登记技能竞赛")
def competition_create(request, payload: CompetitionIn):
    """在有写权限的工会登记竞赛：理论权重不超过 30%（默认 30/70），获奖比例默认 10/20/30%。"""
    access.require_cadre(request.auth)
    org = Org.objects.get_for_read(request.auth, payload.org_id)
    return Status(201, services.competition_create(actor=request.auth, org=org, **payload.dict(exclude={"org_id"})))


@router.post("/competitions/{int:competition_id}/events", response={201: EventOut, **ERRORS}, summary="增加竞赛项目")
def event_add(request, competition_id: int, payload: EventIn):
    competition = Competition.objects.get_for_read(request.auth, competition_id)
    return Status(201, services.event_add(actor=request.auth, competition=competition, **payload.dict()))


@router.post("/events/{int:event_id}/entries", response={201: CompetitionEntryOut, **ERRORS}, summary="竞赛报名")
def entry_register(request, event_id: int, payload: CompetitionEntryIn):
    """个人赛 1 人、团体赛 3 人；同一选手在一个项目只能报名一次。"""
    event = Event.objects.get_for_read(request.auth, event_id)
    return Status(201, services.entry_register(actor=request.auth, event=event, **payload.dict()))


@router.post("/events/{int:event_id}/judges", response={201: JudgeOut, **ERRORS}, summary="聘任裁判")
def judge_appoint(request, event_id: int, payload: JudgeIn):
    event = Event.objects.get_for_read(request.auth, event_id)
    user = User.objects.filter(username=payload.username, is_active=True).first()
    return Status(201, services.judge_appoint(actor=request.auth, event=event, user=user, name=payload.name,
                                              role=payload.role))  # fmt: skip


@router.get("/events/{int:event_id}/ranking", response={200: RankingOut, **ERRORS}, summary="成绩排名")
def ranking(request, event_id: int):
    """实操分（5 名及以上裁判去掉最高最低分后平均）、总分、名次（同分比实操分，再比用时）、奖项。"""
    event = Event.objects.get_for_read(request.auth, event_id)
    board = selectors.ranking(event)
    rows = [{"rank": r.rank, "entry_id": r.entry.pk, "number": r.entry.number, "name": r.entry.name,
             "unit": r.entry.unit, "practical": r.result.practical, "total": r.result.total,
             "seconds": r.result.seconds, "prize": r.prize, "honour": r.honour} for r in board.rows]  # fmt: skip
    return {"rows": rows, "top_ties": board.ties, "incomplete": board.incomplete}


# ----- the judge's own sheet --------------------------------------------------------------------------------------


@router.get("/judging", response={200: list[JudgeOut], **ERRORS}, summary="我的裁判工作")
def judging(request):
    """本人被聘任的项目（裁判或仲裁委员）。"""
    return list(selectors.judgings_of(request.auth))


@router.get("/judging/{int:judge_id}", response={200: SheetOut, **ERRORS}, summary="评分表")
def sheet(request, judge_id: int):
    """本人评分表：需要评分的选手（已回避的不在其中）和已评分数。"""
    judge = selectors.own_judge(request.auth, judge_id)
    lines = [{"competitor_id": line.competitor.pk, "number": line.competitor.entry.number,
              "score": line.score.value if line.score else None} for line in selectors.sheet(judge)]  # fmt: skip
    return {"judge": judge, "lines": lines}


@router.post("/judging/{int:judge_id}/scores", response={200: ScoreOut, **ERRORS}, summary="评分")
def score(request, judge_id: int, payload: ScoreIn):
    """裁判本人评分（0-100）；对已声明回避的选手拒绝（403）；签字后修改须填写理由。"""
    judge = selectors.own_judge(request.auth, judge_id)
    competitor = Competitor.objects.filter(pk=payload.competitor_id, entry__event_id=judge.event_id).first()
    if competitor is None:
        raise Http404("选手不存在")
    row = services.score_set(actor=request.auth, judge=judge, competitor=competitor, value=payload.value,
                             reason=payload.reason)  # fmt: skip
    return {"competitor_id": competitor.pk, "value": row.value, "signed": row.signed}


@router.post("/judging/{int:judge_id}/recusals", response={201: RecusalOut, **ERRORS}, summary="声明回避")
def recusal(request, judge_id: int, payload: RecusalIn):
    """与选手有利害关系时声明回避：此后不能为其评分，已评（未签字）的分数作废。"""
    judge = selectors.own_judge(request.auth, judge_id)
    entry = Entry.objects.filter(pk=payload.entry_id, event_id=judge.event_id).first()
    if entry is None:
        raise Http404("选手不存在")
    row = services.recusal_declare(actor=request.auth, judge=judge, entry=entry, relation=payload.relation)
    return Status(201, {"entry_id": row.entry_id, "relation": row.relation})


@router.post("/judging/{int:judge_id}/sign", response={200: JudgeOut, **CONFLICT}, summary="签字确认评分")
def sign(request, judge_id: int):
    """全部选手评分后签字，评分锁定。"""
    judge = selectors.own_judge(request.auth, judge_id)
    return services.sheet_sign(actor=request.auth, judge=judge)


# ----- registries ---------------------------------------------------------------------------------------------------


@router.get("/model-workers", response={200: list[ModelWorkerOut], **ERRORS}, summary="劳模名册")
@paginate(Pagination)
def model_workers(request, q: str = ""):
    """授权范围内的劳模（身份证号码脱敏）和荣誉称号。"""
    access.require_cadre(request.auth)
    return selectors.model_workers_visible_to(request.auth, q=q)


@router.get("/studios", response={200: list[StudioOut], **ERRORS}, summary="创新工作室")
@paginate(Pagination)
def studios(request, level: str = "", q: str = ""):
    access.require_cadre(request.auth)
    return selectors.studios_visible_to(request.auth, level=level, q=q)


@router.post("/studios", response={201: StudioOut, **ERRORS}, summary="命名创新工作室")
def studio_create(request, payload: StudioIn):
    access.require_cadre(request.auth)
    org = Org.objects.get_for_read(request.auth, payload.org_id)
    return Status(201, services.studio_create(actor=request.auth, org=org, **payload.dict(exclude={"org_id"})))


# ----- 五小 innovations and 合理化建议 --------------------------------------------------------------------------------


class InnovationOut(Schema):
    id: int
    kind: str = Field(description="invention 小发明、creation 小创造、renovation 小革新、design 小设计、"
                                   "suggestion 小建议、rationalisation 合理化建议")  # fmt: skip
    title: str
    unit: str
    org_name: str = Field(description="受理工会")
    status: str
    status_label: str
    submitted_on: dt.date
    adopted_on: dt.date | None
    benefit_fen: int | None = Field(description="核定的年经济效益（分）")
    reward_fen: int | None = Field(description="奖励金额（分）")

    @staticmethod
    def resolve_org_name(i):
        return i.org.name


class InnovationSubmitIn(Schema):
    model_config = ConfigDict(extra="forbid")
    kind: str = Field(max_length=16)
    title: str = Field(max_length=100)
    unit: str = Field(max_length=100)
    problem: str = Field(max_length=2000)
    proposal: str = Field(max_length=2000)


class InnovationEntryIn(InnovationSubmitIn):
    org_id: int
    person_id: int


@router.get("/innovations", response={200: list[InnovationOut], **ERRORS}, summary="五小创新和合理化建议")
@paginate(Pagination)
def innovations(
    request, status: str = "", kind: str = "", year: int | None = Query(None, ge=2000, le=2100), q: str = ""
):
    """授权范围内各工会受理的五小创新和合理化建议（按提交年度、状态、类别筛选）。"""
    access.require_cadre(request.auth)
    return selectors.innovations_visible_to(request.auth, status=status, kind=kind, year=year, q=q)


@router.post("/innovations", response={201: InnovationOut, **ERRORS}, summary="录入五小创新或合理化建议")
def innovation_enter(request, payload: InnovationEntryIn):
    """工会干部代职工录入：提出人须是受理工会及其下级工会的在册会员。"""
    access.require_cadre(request.auth)
    org = Org.objects.get_for_read(request.auth, payload.org_id)
    person = services.person_in_reach(request.auth, payload.person_id)
    return Status(201, services.innovation_enter(actor=request.auth, org=org, person=person,
                                                 **payload.dict(exclude={"org_id", "person_id"})))  # fmt: skip


@router.get("/my/innovations", response={200: list[InnovationOut], **ERRORS}, summary="我的五小创新和合理化建议")
def my_innovations(request):
    return list(selectors.own_innovations(request.auth))


@router.post("/my/innovations", response={201: InnovationOut, **ERRORS}, summary="提交五小创新或合理化建议")
def innovation_submit(request, payload: InnovationSubmitIn):
    """职工本人提交，由本人会籍所在工会受理。"""
    return Status(201, services.innovation_submit(actor=request.auth, **payload.dict()))
