"""/api/v1/democracy: the cadres' congresses, sittings with the live quorum, ballots with their results; the
representative's check-in and secret vote (answering the receipt code once); the published anonymised papers
with the recount, for anyone who may see the ballot."""

import datetime as dt

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
