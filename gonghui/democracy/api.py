"""/api/v1/democracy: the cadres' congresses, sittings with the live quorum, ballots with their results; the
representative's check-in and secret vote (answering the receipt code once); the published anonymised papers
with the recount, for anyone who may see the ballot."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.http import Http404
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from gonghui.core.api import ERRORS, ErrorOut
from gonghui.core.pagination import Pagination
from gonghui.democracy import selectors, services
from gonghui.democracy.models import Ballot, Sitting
from gonghui.democracy.recount import recount
from gonghui.orgs import access

router = Router(tags=["民主管理"])
CONFLICT = {409: ErrorOut, **ERRORS}


class CongressOut(Schema):
    id: int
    name: str
    org_name: str = Field(description="工会")
    kind: str = Field(description="enterprise 企业、regional 区域性、sector 行业性")
    staff_count: int
    women_staff: int

    @staticmethod
    def resolve_org_name(c):
        return c.org.name


class QuorumOut(Schema):
    total: int = Field(description="正式代表总数")
    present: int = Field(description="已签到的正式代表")
    attendees: int = Field(description="已签到的列席代表")
    needed: int = Field(description="法定人数（三分之二）")
    ok: bool = Field(description="是否达到法定人数")
    majority: int = Field(description="通过所需赞成票（全体正式代表过半数）")


class BallotBrief(Schema):
    id: int
    title: str
    kind: str
    method: str = Field(description="hands 举手表决、secret 无记名投票")
    status: str


class SittingOut(Schema):
    id: int
    title: str
    starts_on: dt.date
    place: str
    status: str
    materials_warning: str
    quorum: QuorumOut
    ballots: list[BallotBrief]


class ItemOut(Schema):
    position: int
    text: str
    yes: int
    no: int
    abstain: int
    passed: bool | None


class BallotOut(BallotBrief):
    formal_total: int = Field(description="应到正式代表（开始表决时）")
    present: int
    cast_count: int
    commitment: str = Field(description="计票时固定的选票哈希链")
    items: list[ItemOut]

    @staticmethod
    def resolve_items(ballot):
        return ballot.item_rows


class PaperOut(Schema):
    id: str
    receipt_hash: str = Field(description="回执码的 SHA-256")
    choices: dict[str, str]


class PapersOut(Schema):
    commitment: str
    recomputed: str = Field(description="按公布的选票重新计算的哈希链")
    consistent: bool = Field(description="重新计票与哈希链均与公布结果一致")
    papers: list[PaperOut]


class SittingCheckInIn(Schema):
    token: str = Field(max_length=300, description="会场签到二维码中的签到码")


class SittingCheckInOut(Schema):
    sitting_id: int
    sitting_title: str


class VoteIn(Schema):
    choices: dict[str, str] = Field(description="每个表决项序号的选择：yes 赞成、no 反对、abstain 弃权")


class ReceiptOut(Schema):
    receipt: str = Field(description="回执码：只返回这一次，请保存")


@router.get("/congresses", response={200: list[CongressOut], **ERRORS}, summary="职工代表大会")
@paginate(Pagination)
def congresses(request, kind: str = ""):
    """授权范围内的职代会。"""
    access.require_cadre(request.auth)
    return selectors.congresses_visible_to(request.auth, kind=kind)


@router.get("/sittings/{int:sitting_id}", response={200: SittingOut, **ERRORS}, summary="职代会会议")
def sitting(request, sitting_id: int):
    """会议、材料送达提醒、实时出席情况和表决事项。"""
    found = Sitting.objects.get_for_read(request.auth, sitting_id)
    return {"id": found.pk, "title": found.title, "starts_on": found.starts_on, "place": found.place,
            "status": found.status, "materials_warning": selectors.materials_warning(found),
            "quorum": selectors.quorum(found), "ballots": list(found.ballots.order_by("id"))}  # fmt: skip


@router.get("/ballots/{int:ballot_id}", response={200: BallotOut, **ERRORS}, summary="表决结果")
def ballot(request, ballot_id: int):
    """表决事项、各项赞成/反对/弃权票数和是否通过（全体正式代表过半数）。"""
    found = Ballot.objects.get_for_read(request.auth, ballot_id)
    found.item_rows = list(found.items.all())
    return found


@router.get("/ballots/{int:ballot_id}/papers", response={200: PapersOut, **ERRORS}, summary="公布的匿名选票")
def papers(request, ballot_id: int):
    """公布后的匿名选票（回执哈希和选择，不含投票人）和哈希链复核：职代会所在工会的干部或本届代表可查看。"""
    found = selectors.ballot_for_papers(request.auth, ballot_id)
    if found.status != Ballot.Status.PUBLISHED or found.method != Ballot.Method.SECRET:
        raise Http404("该表决没有公布的匿名选票。")
    check = recount(found)
    return {"commitment": found.commitment, "recomputed": check.chain, "consistent": check.ok,
            "papers": list(found.papers.order_by("receipt_hash"))}  # fmt: skip


@router.post("/checkin", response={200: SittingCheckInOut, **ERRORS}, summary="代表扫码签到")
def checkin(request, payload: SittingCheckInIn):
    """本人是本届代表、会议进行中、签到码有效时签到；重复签到不报错。"""
    done = services.checkin(actor=request.auth, token=payload.token)
    return {"sitting_id": done.sitting_id, "sitting_title": done.sitting.title}


@router.post("/ballots/{int:ballot_id}/vote", response={201: ReceiptOut, **ERRORS}, summary="无记名投票")
def vote(request, ballot_id: int, payload: VoteIn):
    """已签到的正式代表逐项投票，每人一次；返回回执码（只此一次）。"""
    found = selectors.ballot_for_voter(request.auth, ballot_id)
    return Status(201, {"receipt": services.vote(actor=request.auth, ballot=found, choices=payload.choices)})


# ----- proposals (提案) -------------------------------------------------------------------------------------------


class CongressProposalOut(Schema):
    id: int
    code: str = Field(description="提案编号（第N次会议第M号）")
    title: str = Field(description="案由")
    congress: str = Field(description="职代会")
    sitting: str = Field(description="所在会议")
    proposer: str = Field(description="提案人")
    status: str = Field(
        description="cosigning 征集附议、submitted 待审查、accepted 已立案、opinion 转为意见建议、"
        "rejected 不予立案、assigned 交办中、handled 已办理、replied 已答复、closed 已评价办结"
    )
    department: str = Field(description="承办部门")
    due_on: dt.date | None = Field(description="办理期限")
    overdue: bool = Field(description="交办后超过办理期限")
    carried: int = Field(description="结转次数")

    @staticmethod
    def resolve_congress(p):
        return p.sitting.term.congress.name

    @staticmethod
    def resolve_sitting(p):
        return p.sitting.title

    @staticmethod
    def resolve_proposer(p):
        return p.proposer.person.name

    @staticmethod
    def resolve_overdue(p):
        return p.is_overdue


class CongressCoSignerOut(Schema):
    name: str
    confirmed: bool


class CongressProposalDetail(CongressProposalOut):
    reasons: str = Field(description="提案理由")
    measures: str = Field(description="建议措施")
    review_note: str = Field(description="审查意见")
    responsible: str = Field(description="承办负责人")
    handling_note: str = Field(description="办理情况")
    reply: str = Field(description="答复意见")
    satisfaction: str = Field(description="提案人评价：satisfied 满意、basic 基本满意、unsatisfied 不满意")
    cosigners: list[CongressCoSignerOut]

    @staticmethod
    def resolve_cosigners(p):
        return [{"name": c.representative.person.name, "confirmed": c.confirmed_at is not None}
                for c in p.cosigners.select_related("representative__person").order_by("id")]  # fmt: skip


class CongressProposalIn(Schema):
    title: str = Field(max_length=100, description="案由")
    reasons: str = Field(max_length=3000, description="提案理由")
    measures: str = Field(max_length=3000, description="建议措施")
    cosigners: list[int] = Field(description="附议代表的代表编号（本届其他正式代表，至少 2 名）")


@router.get("/proposals", response={200: list[CongressProposalOut], **ERRORS}, summary="职代会提案")
@paginate(Pagination)
def proposals(request, status: str = "", department: str = "", overdue: bool = False):
    """授权范围内的提案，可按状态、承办部门和是否超期筛选（与提案列表页相同）。"""
    access.require_cadre(request.auth)
    return selectors.proposals_visible_to(request.auth, status=status, department=department, overdue=overdue)


@router.get("/proposals/{int:proposal_id}", response={200: CongressProposalDetail, **ERRORS}, summary="提案详情")
def proposal(request, proposal_id: int):
    """授权范围内的干部，或提案人、附议人本人可查看。"""
    found = selectors.proposal_for_api(request.auth, proposal_id)
    return found


@router.post("/sittings/{int:sitting_id}/proposals", response={201: CongressProposalDetail, **ERRORS},
             summary="提出提案")  # fmt: skip
def proposal_submit(request, sitting_id: int, payload: CongressProposalIn):
    """本届正式代表在会议筹备或进行期间提出提案，并指定附议代表；附议代表会收到确认邀请。"""
    sitting, rep = selectors.sitting_for_proposer(request.auth, sitting_id)
    cosigners = list(selectors.formal_colleagues(sitting, rep).filter(pk__in=payload.cosigners))
    if len(cosigners) != len(set(payload.cosigners)):
        raise ValidationError({"cosigners": ValidationError("附议人须是本届职代会的其他正式代表。")})
    text = {"title": payload.title, "reasons": payload.reasons, "measures": payload.measures}
    made = services.proposal_submit(actor=request.auth, sitting=sitting, cosigners=cosigners, **text)
    return Status(201, made)


@router.post("/proposals/{int:proposal_id}/cosign", response={200: CongressProposalDetail, **ERRORS},
             summary="确认附议")  # fmt: skip
def proposal_cosign(request, proposal_id: int):
    """被指定的附议代表确认附议；附议人数满后提案提交提案委员会审查。"""
    found = selectors.proposal_for_representative(request.auth, proposal_id)
    return services.proposal_cosign(actor=request.auth, proposal=found)
