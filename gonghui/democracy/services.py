"""Every write of democratic management: keyword-only, one transaction each, audited, the actor checked here
(docs/architecture.md rule 1, decision 0010). A secret vote writes its audit event with the ballot only:
never the paper, the choices or the receipt."""

import datetime as dt
import hashlib
import json
import secrets

from django.core import signing
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from gonghui.cases.models import Case
from gonghui.cases.services import case_open, case_transition
from gonghui.core import crypto
from gonghui.core.audit import atomic_audited, audit_record
from gonghui.core.batches import in_batches
from gonghui.core.errors import ConflictError, field_error
from gonghui.core.workdays import add_working_days
from gonghui.democracy import rules
from gonghui.democracy.cases import (
    E_APPROVED,
    E_RETURNED,
    E_SUBMITTED,
    ELECTION,
    P_ACCEPTED,
    P_ASSIGNED,
    P_CLOSED,
    P_HANDLED,
    P_OPINION,
    P_REJECTED,
    P_REPLIED,
    PROPOSAL,
    REPORT,
)
from gonghui.democracy.models import (
    Ballot,
    Board,
    Candidate,
    CheckIn,
    Choice,
    Congress,
    CongressKind,
    CoSigner,
    Disclosure,
    Election,
    Elector,
    Item,
    Ownership,
    Proposal,
    ProposalStatus,
    Question,
    Relation,
    Representative,
    Role,
    Satisfaction,
    SecretBallot,
    Sitting,
    Term,
    VoteCast,
)
from gonghui.democracy.policy import democracy_policy, disclosure_catalogue
from gonghui.members.models import Membership, Person
from gonghui.messages.services import notify
from gonghui.orgs import access

CHECKIN_SALT = "gonghui.democracy.checkin"
RECEIPT_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L


# ----- congresses, terms, representatives ------------------------------------------------------------------------


@atomic_audited
def congress_create(*, actor, org, name: str, kind: str, staff_count: int, women_staff: int,
                    frontline_required: bool | None = None) -> Congress:  # fmt: skip
    access.require_write(actor, org)
    if not name.strip():
        raise field_error("name", "请填写职代会名称。")
    if kind not in CongressKind.values:
        raise field_error("kind", "职代会类型无效。")
    if staff_count < 1:
        raise field_error("staff_count", "职工人数至少为 1。")
    if not 0 <= women_staff <= staff_count:
        raise field_error("women_staff", "女职工人数不能超过职工人数。")
    if frontline_required is None:
        frontline_required = kind != CongressKind.ENTERPRISE
    congress = Congress.objects.create(org=org, name=name.strip(), kind=kind, staff_count=staff_count,
                                       women_staff=women_staff, frontline_required=frontline_required)  # fmt: skip
    audit_record(actor=actor, action="democracy.congress_create", obj=congress, org=org)
    return congress


@atomic_audited
def term_create(*, actor, congress: Congress, number: int, starts_on: dt.date, ends_on: dt.date) -> Term:
    Congress.objects.require_write(actor, congress)
    policy = democracy_policy()
    if number < 1:
        raise field_error("number", "届次至少为 1。")
    years = (ends_on - starts_on).days / 365.25
    if not policy.term_min_years - 0.01 <= years <= policy.term_max_years + 0.01:
        raise field_error("ends_on", f"每届任期为 {policy.term_min_years} 至 {policy.term_max_years} 年。")
    if congress.terms.filter(number=number).exists():
        raise field_error("number", f"第{number}届已经存在。")
    term = Term.objects.create(congress=congress, number=number, starts_on=starts_on, ends_on=ends_on)
    audit_record(actor=actor, action="democracy.term_create", obj=term, org=congress.org)
    return term


@atomic_audited
def representative_add(*, actor, term: Term, person: Person, role: str, category: str, constituency: str,
                       constituency_size: int | None = None, voted: int | None = None,
                       votes_for: int | None = None) -> Representative:  # fmt: skip
    """代表当选登记: the election's figures, when given, must make a valid election (≥ 2/3 voting, more than
    half of the whole constituency in favour)."""
    Term.objects.require_write(actor, term)
    org = term.congress.org
    if not Membership.objects.filter(
        person=person, status=Membership.Status.ACTIVE, org__path__startswith=org.path
    ).exists():
        raise field_error("person", f"代表须是{org.name}（含所属工会）的在册会员。")
    if not constituency.strip():
        raise field_error("constituency", "请填写选举单位。")
    figures = (constituency_size, voted, votes_for)
    if any(v is not None for v in figures):
        if any(v is None for v in figures):
            raise field_error("votes_for", "请完整填写选举单位职工数、参加投票人数和得票数。")
        if not voted <= constituency_size or not votes_for <= voted:
            raise field_error("votes_for", "得票数不能超过参加投票人数，参加投票人数不能超过选举单位职工数。")
        if not rules.election_valid(constituency_size, voted, votes_for):
            raise field_error(
                "votes_for", "选举无效：须有选举单位三分之二以上职工参加投票，且得票超过选举单位全体职工的半数。"
            )
    if term.representatives.filter(person=person).exists():
        raise field_error("person", "这位会员已是本届代表。")
    rep = Representative.objects.create(
        term=term, person=person, role=role, category=category, constituency=constituency.strip(),
        constituency_size=constituency_size, voted=voted, votes_for=votes_for,
    )  # fmt: skip
    audit_record(actor=actor, action="democracy.representative_add", obj=rep, org=term.congress.org)
    return rep


# ----- sittings and check-in -------------------------------------------------------------------------------------


@atomic_audited
def sitting_create(*, actor, term: Term, number: int, title: str, starts_on: dt.date, place: str,
                   materials_sent_on: dt.date | None = None) -> Sitting:  # fmt: skip
    Term.objects.require_write(actor, term)
    if not title.strip() or not place.strip():
        raise field_error("title", "请填写会议名称和地点。")
    if term.sittings.filter(number=number).exists():
        raise field_error("number", f"第{number}次会议已经存在。")
    if materials_sent_on and materials_sent_on > starts_on:
        raise field_error("materials_sent_on", "材料送达日期不能晚于召开日期。")
    sitting = Sitting.objects.create(term=term, number=number, title=title.strip(), starts_on=starts_on,
                                     place=place.strip(), materials_sent_on=materials_sent_on)  # fmt: skip
    audit_record(actor=actor, action="democracy.sitting_create", obj=sitting, org=term.congress.org)
    return sitting


def _locked_sitting(sitting: Sitting, version: int | None) -> Sitting:
    fresh = Sitting.objects.select_for_update().select_related("term__congress__org").get(pk=sitting.pk)
    if version is not None and fresh.version != version:
        raise ConflictError("会议状态已被他人修改，请刷新后查看。")
    return fresh


@atomic_audited
def sitting_open(*, actor, sitting: Sitting, version: int | None = None) -> Sitting:
    Sitting.objects.require_write(actor, sitting)
    sitting = _locked_sitting(sitting, version)
    if sitting.status != Sitting.Status.PLANNED:
        raise ValidationError("只有筹备中的会议可以开幕。")
    sitting.status, sitting.version = Sitting.Status.OPEN, sitting.version + 1
    sitting.save(update_fields=["status", "version"])
    audit_record(actor=actor, action="democracy.sitting_open", obj=sitting, org=sitting.term.congress.org)
    proposals_carry_over(actor=actor, sitting=sitting)
    _tell_representatives(sitting, "democracy.sitting_opened")
    return sitting


def _tell_representatives(sitting: Sitting, event: str) -> int:
    """A message to every representative of the sitting's term (formal and attending) with an account."""
    context = {"congress": sitting.term.congress.name, "sitting": sitting.title, "place": sitting.place,
               "date": sitting.starts_on.isoformat()}  # fmt: skip
    link, told = reverse("democracy:mine"), 0
    for rep in sitting.term.representatives.select_related("person"):
        told += notify(person=rep.person, event=event, link=link, context=context) is not None
    return told


@atomic_audited
def materials_send(*, actor, sitting: Sitting, version: int | None = None) -> Sitting:
    """会议材料送达: recorded as sent today and every representative told (the materials must reach them
    ``materials_days`` (7) days before the sitting: the sitting page warns when they did not)."""
    Sitting.objects.require_write(actor, sitting)
    sitting = _locked_sitting(sitting, version)
    if sitting.status != Sitting.Status.PLANNED:
        raise ValidationError("会议已经开幕，不能再送达会前材料。")
    if sitting.materials_sent_on is not None:
        raise ValidationError(f"会议材料已于 {sitting.materials_sent_on.isoformat()} 送达。")
    sitting.materials_sent_on, sitting.version = timezone.localdate(), sitting.version + 1
    sitting.save(update_fields=["materials_sent_on", "version"])
    told = _tell_representatives(sitting, "democracy.materials_sent")
    audit_record(actor=actor, action="democracy.materials_send", obj=sitting, org=sitting.term.congress.org,
                 detail={"told": told})  # fmt: skip
    return sitting


@atomic_audited
def sitting_close(*, actor, sitting: Sitting, version: int | None = None) -> Sitting:
    Sitting.objects.require_write(actor, sitting)
    sitting = _locked_sitting(sitting, version)
    if sitting.status != Sitting.Status.OPEN:
        raise ValidationError("只有进行中的会议可以闭会。")
    if sitting.ballots.filter(status=Ballot.Status.OPEN).exists():
        raise ValidationError("还有正在进行的投票，请先计票。")
    sitting.status, sitting.version = Sitting.Status.CLOSED, sitting.version + 1
    sitting.save(update_fields=["status", "version"])
    audit_record(actor=actor, action="democracy.sitting_close", obj=sitting, org=sitting.term.congress.org)
    return sitting


def checkin_token(sitting: Sitting) -> str:
    """The signed token of the sitting's check-in QR code (valid ``checkin_hours``)."""
    return signing.dumps({"s": sitting.pk}, salt=CHECKIN_SALT, compress=True)


def _token_sitting(token: str) -> int:
    max_age = democracy_policy().checkin_hours * 3600
    try:
        return int(signing.loads(token, salt=CHECKIN_SALT, max_age=max_age)["s"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        raise ValidationError("签到二维码无效或已过期，请扫描会场的最新二维码。", code="token") from None


def representative_of(user, term: Term) -> Representative | None:
    person_id = getattr(user, "person_id", None)
    if person_id is None:
        return None
    return term.representatives.filter(person_id=person_id).select_related("person").first()


@atomic_audited
def checkin(*, actor, token: str) -> CheckIn:
    """扫码签到: the signed-in representative scanned the sitting's QR code."""
    sitting = Sitting.objects.select_related("term__congress__org").filter(pk=_token_sitting(token)).first()
    if sitting is None:
        raise ValidationError("会议不存在。")
    rep = representative_of(actor, sitting.term)
    if rep is None:
        raise ValidationError("您不是本届职工代表，无需签到。", code="not_representative")
    return _checkin(actor=actor, sitting=sitting, rep=rep)


@atomic_audited
def checkin_by_staff(*, actor, sitting: Sitting, representative: Representative) -> CheckIn:
    """代为签到 at the desk (a representative without a phone)."""
    Sitting.objects.require_write(actor, sitting)
    if representative.term_id != sitting.term_id:
        raise ValidationError("该代表不是本届代表。")
    return _checkin(actor=actor, sitting=sitting, rep=representative)


def _checkin(*, actor, sitting: Sitting, rep: Representative) -> CheckIn:
    if sitting.status != Sitting.Status.OPEN:
        raise ValidationError("会议尚未开幕或已经闭会，不能签到。", code="closed")
    found = CheckIn.objects.filter(sitting=sitting, representative=rep).first()
    if found is not None:
        return found
    try:
        with transaction.atomic():
            done = CheckIn.objects.create(sitting=sitting, representative=rep)
    except IntegrityError:  # the same representative from a second phone at the same moment
        return CheckIn.objects.get(sitting=sitting, representative=rep)
    audit_record(actor=actor, action="democracy.checkin", obj=sitting, org=sitting.term.congress.org)
    return done


# ----- ballots ---------------------------------------------------------------------------------------------------


@atomic_audited
def ballot_create(*, actor, sitting: Sitting, title: str, kind: str, method: str, items: list[str]) -> Ballot:
    """表决事项 with its items (逐项表决: one item per resolution or candidate)."""
    Sitting.objects.require_write(actor, sitting)
    items = [text.strip() for text in items if text.strip()]
    if not title.strip():
        raise field_error("title", "请填写表决事项。")
    if not items:
        raise field_error("items", "至少填写一个表决项。")
    if len(set(items)) != len(items):
        raise field_error("items", "表决项不能重复。")
    if kind not in Ballot.Kind.values or method not in Ballot.Method.values:
        raise field_error("method", "表决类型或方式无效。")
    if sitting.status == Sitting.Status.CLOSED:
        raise ValidationError("会议已经闭会。")
    ballot = Ballot.objects.create(sitting=sitting, title=title.strip(), kind=kind, method=method)
    Item.objects.bulk_create(Item(ballot=ballot, position=i, text=text[:200]) for i, text in enumerate(items, 1))
    audit_record(actor=actor, action="democracy.ballot_create", obj=ballot, org=sitting.term.congress.org)
    return ballot


def _locked_ballot(ballot: Ballot, version: int | None) -> Ballot:
    fresh = Ballot.objects.select_for_update().get(pk=ballot.pk)
    if fresh.sitting_id is not None:
        fresh.sitting = Sitting.objects.select_related("term__congress__org").get(pk=fresh.sitting_id)
    else:
        fresh.election = Election.objects.select_related("org").get(pk=fresh.election_id)
    if version is not None and fresh.version != version:
        raise ConflictError("表决状态已被他人修改，请刷新后查看。")
    return fresh


def formal_count(term: Term) -> int:
    return term.representatives.filter(role=Role.FORMAL).count()


def present_count(sitting: Sitting) -> int:
    return sitting.checkins.filter(representative__role=Role.FORMAL).count()


@atomic_audited
def ballot_open(*, actor, ballot: Ballot, version: int | None = None) -> Ballot:
    """开始表决: only in an open sitting with its quorum (≥ 2/3 of the formal representatives present); the
    number of formal representatives is fixed now — every item needs more than half of it."""
    Ballot.objects.require_write(actor, ballot)
    ballot = _congress_ballot(_locked_ballot(ballot, version))
    sitting = ballot.sitting
    if ballot.status != Ballot.Status.DRAFT:
        raise ValidationError("该事项已经表决。")
    if sitting.status != Sitting.Status.OPEN:
        raise ValidationError("会议开幕后才能表决。")
    total, present = formal_count(sitting.term), present_count(sitting)
    if not rules.quorum(present, total):
        need = rules.quorum_needed(total)
        message = f"出席的正式代表 {present} 名，未达到应到 {total} 名的三分之二（{need} 名），会议不能表决。"
        raise ValidationError(message, code="quorum")
    ballot.status, ballot.formal_total, ballot.present = Ballot.Status.OPEN, total, present
    ballot.version += 1
    ballot.save(update_fields=["status", "formal_total", "present", "version"])
    audit_record(actor=actor, action="democracy.ballot_open", obj=ballot, org=sitting.term.congress.org)
    return ballot


def _congress_ballot(ballot: Ballot) -> Ballot:
    """A congress service's ballot must be a sitting's (an election's ballot moves with its election)."""
    if ballot.sitting_id is None:
        raise ValidationError("这是工会选举的选票，请在选举页面办理。", code="election_ballot")
    return ballot


def new_receipt() -> str:
    raw = "".join(secrets.choice(RECEIPT_ALPHABET) for _ in range(16))
    return "-".join(raw[i : i + 4] for i in range(0, 16, 4))


def receipt_hash(code: str) -> str:
    """SHA-256 of the receipt code as typed (case, spaces and dashes do not matter)."""
    normal = "".join(ch for ch in code.upper() if ch.isalnum())
    return hashlib.sha256(f"gonghui-receipt:{normal}".encode()).hexdigest()


@atomic_audited
def vote(*, actor, ballot: Ballot, choices: dict) -> str:
    """无记名投票: a formal representative who checked in casts one paper. Returns the receipt code, shown to the
    voter once and stored only as its hash on the paper. The voter is recorded apart from the paper; the audit
    event names the ballot only. The ballot's row is locked first, so that no paper lands after the count."""
    ballot = _congress_ballot(Ballot.objects.select_for_update().get(pk=ballot.pk))
    ballot.sitting = Sitting.objects.select_related("term__congress__org").get(pk=ballot.sitting_id)
    if ballot.method != Ballot.Method.SECRET or ballot.status != Ballot.Status.OPEN:
        raise ValidationError("该事项当前不接受投票。", code="not_open")
    rep = representative_of(actor, ballot.sitting.term)
    if rep is None or rep.role != Role.FORMAL:
        raise ValidationError("只有本届正式代表可以投票（列席代表不参加表决）。", code="not_formal")
    if not CheckIn.objects.filter(sitting=ballot.sitting, representative=rep).exists():
        raise ValidationError("请先签到再投票。", code="not_checked_in")
    code = cast_paper(ballot=ballot, representative=rep, choices=choices)
    audit_record(actor=actor, action="democracy.vote", obj=ballot, org=ballot.sitting.term.congress.org)
    return code


def cast_paper(*, ballot: Ballot, choices: dict, representative: Representative | None = None,
               elector: Elector | None = None) -> str:  # fmt: skip
    """The paper itself, inside the caller's transaction (``vote``, ``election_vote``; the demo loader for its
    voters without accounts): the voter — a congress representative or an election's elector — recorded apart,
    the paper under a random key with its receipt hash."""
    if (representative is None) == (elector is None):
        raise ValueError("a paper has exactly one voter: a representative or an elector")
    positions = {str(p) for p in ballot.items.values_list("position", flat=True)}
    paper = {str(k): v for k, v in choices.items()}
    if set(paper) != positions:
        raise field_error("choices", "请对每一个表决项作出选择。")
    if any(v not in Choice.values for v in paper.values()):
        raise field_error("choices", "选择只能是赞成、反对或弃权。")
    try:
        with transaction.atomic():
            VoteCast.objects.create(ballot=ballot, representative=representative, elector=elector)
    except IntegrityError:
        who = "每位代表" if representative is not None else "每位选举人"
        raise ValidationError(f"您已经投过票，{who}只能投一次。", code="twice") from None
    code = new_receipt()
    SecretBallot.objects.create(ballot=ballot, receipt_hash=receipt_hash(code), choices=paper)
    Ballot.objects.filter(pk=ballot.pk).update(cast_count=F("cast_count") + 1)
    return code


def commitment_of(ballot: Ballot, papers) -> str:
    """The hash chain over a ballot's papers in receipt-hash order (an order that says nothing of who voted
    when): h₀ = SHA-256(ballot id), hᵢ = SHA-256(hᵢ₋₁ ‖ receipt hash ‖ choices). Any altered, added or removed
    paper changes the head."""
    head = hashlib.sha256(f"gonghui-ballot:{ballot.pk}".encode()).hexdigest()
    for receipt, choices in sorted((p.receipt_hash, p.choices) for p in papers):
        line = f"{head}|{receipt}|{json.dumps(choices, sort_keys=True, separators=(',', ':'))}"
        head = hashlib.sha256(line.encode()).hexdigest()
    return head


def tally(papers, positions) -> dict[int, dict[str, int]]:
    counts = {p: dict.fromkeys(Choice.values, 0) for p in positions}
    for paper in papers:
        for position, choice in paper.choices.items():
            counts[int(position)][choice] += 1
    return counts


def _set_counts(ballot: Ballot, counts: dict[int, dict[str, int]]) -> None:
    for item in ballot.items.all():
        c = counts[item.position]
        item.yes, item.no, item.abstain = c["yes"], c["no"], c["abstain"]
        item.passed = rules.passes(item.yes, ballot.formal_total)
        item.save(update_fields=["yes", "no", "abstain", "passed"])


@atomic_audited
def ballot_close(*, actor, ballot: Ballot, version: int | None = None) -> Ballot:
    """计票: the secret papers counted, the hash chain over them fixed (and written to the audit chain)."""
    Ballot.objects.require_write(actor, ballot)
    ballot = _congress_ballot(_locked_ballot(ballot, version))
    count_papers(ballot)
    audit_record(actor=actor, action="democracy.ballot_close", obj=ballot, org=ballot.sitting.term.congress.org,
                 detail={"commitment": ballot.commitment, "papers": ballot.cast_count})  # fmt: skip
    return ballot


def count_papers(ballot: Ballot) -> Ballot:
    """The count of a locked secret ballot, a congress's or an election's: papers = voters checked, the counts
    per item set (passed: more than half of ``formal_total``, all those entitled to vote), the hash chain over
    the papers fixed. Inside the caller's transaction; the caller audits (with the chain's head)."""
    if ballot.method != Ballot.Method.SECRET or ballot.status != Ballot.Status.OPEN:
        raise ValidationError("只有投票中的无记名表决可以计票。")
    papers = list(ballot.papers.all())
    if len(papers) != ballot.casts.count():
        raise ValidationError("选票数与投票人数不一致，请核查。", code="mismatch")
    _set_counts(ballot, tally(papers, ballot.items.values_list("position", flat=True)))
    ballot.commitment, ballot.cast_count = commitment_of(ballot, papers), len(papers)
    ballot.status, ballot.closed_on, ballot.version = Ballot.Status.CLOSED, timezone.localdate(), ballot.version + 1
    ballot.save(update_fields=["commitment", "cast_count", "status", "closed_on", "version"])
    return ballot


@atomic_audited
def hands_record(*, actor, ballot: Ballot, counts: dict, version: int | None = None) -> Ballot:
    """举手表决: the counts of each item as the tellers counted them (at most the formal representatives
    present for each item)."""
    Ballot.objects.require_write(actor, ballot)
    ballot = _congress_ballot(_locked_ballot(ballot, version))
    if ballot.method != Ballot.Method.HANDS or ballot.status != Ballot.Status.OPEN:
        raise ValidationError("只有表决中的举手表决可以登记结果。")
    found: dict[int, dict[str, int]] = {}
    for item in ballot.items.all():
        given = counts.get(item.position) or counts.get(str(item.position))
        if given is None:
            raise field_error("counts", f"请填写第{item.position}项的表决结果。")
        yes, no, abstain = (int(given.get(k, 0)) for k in ("yes", "no", "abstain"))
        if min(yes, no, abstain) < 0 or yes + no + abstain > ballot.present:
            raise field_error(
                "counts", f"第{item.position}项：赞成、反对、弃权合计不能超过出席的正式代表 {ballot.present} 名。"
            )
        found[item.position] = {"yes": yes, "no": no, "abstain": abstain}
    _set_counts(ballot, found)
    ballot.status, ballot.closed_on, ballot.version = Ballot.Status.CLOSED, timezone.localdate(), ballot.version + 1
    ballot.save(update_fields=["status", "closed_on", "version"])
    audit_record(actor=actor, action="democracy.hands_record", obj=ballot, org=ballot.sitting.term.congress.org)
    return ballot


@atomic_audited
def ballot_publish(*, actor, ballot: Ballot, version: int | None = None) -> Ballot:
    """公布结果, with the counts (and, for a secret ballot, the anonymised papers and their hash chain); opens
    the case of reporting the result to the upper-level union within 7 working days."""
    Ballot.objects.require_write(actor, ballot)
    ballot = _congress_ballot(_locked_ballot(ballot, version))
    if ballot.status != Ballot.Status.CLOSED:
        raise ValidationError("计票后才能公布结果。")
    org = ballot.sitting.term.congress.org
    case = case_open(actor=actor, kind=REPORT, org=org, subject=f"{ballot.sitting.title}：{ballot.title}"[:200],
                     note="表决结果已公布，须在7个工作日内报上一级工会。")  # fmt: skip
    ballot.status, ballot.report_case, ballot.version = Ballot.Status.PUBLISHED, case, ballot.version + 1
    ballot.save(update_fields=["status", "report_case", "version"])
    audit_record(actor=actor, action="democracy.ballot_publish", obj=ballot, org=org)
    return ballot


# ----- proposals (提案) -------------------------------------------------------------------------------------------

# Still to be resolved: carried over to the next sitting when it opens. A proposal still collecting co-signers
# is not (it was never submitted); one decided (意见建议, 不予立案) or rated is done.
UNRESOLVED = (ProposalStatus.SUBMITTED, ProposalStatus.ACCEPTED, ProposalStatus.ASSIGNED, ProposalStatus.HANDLED,
              ProposalStatus.REPLIED)  # fmt: skip


def _formal_rep(user, term: Term, message: str) -> Representative:
    rep = representative_of(user, term)
    if rep is None or rep.role != Role.FORMAL:
        raise ValidationError(message, code="not_formal")
    return rep


def _locked_proposal(proposal: Proposal, version: int | None = None) -> Proposal:
    fresh = Proposal.objects.select_for_update().get(pk=proposal.pk)
    fresh.sitting = Sitting.objects.select_related("term__congress__org").get(pk=fresh.sitting_id)
    if version is not None and fresh.version != version:
        raise ConflictError("提案已被他人办理，请刷新后查看。")
    return fresh


def _bump(proposal: Proposal, *fields: str) -> None:
    proposal.version += 1
    proposal.save(update_fields=[*fields, "version"])


@atomic_audited
def proposal_submit(*, actor, sitting: Sitting, title: str, reasons: str, measures: str,
                    cosigners: list[Representative]) -> Proposal:  # fmt: skip
    """提出提案: the signed-in formal representative of the sitting's term, while the sitting is in preparation
    or in session, naming at least ``proposal_cosigners`` other formal representatives of the same term. Each
    co-signer is asked to confirm on their phone; the proposal reaches the committee once enough have."""
    rep = _formal_rep(actor, sitting.term, "只有本届正式代表可以提出提案。")
    proposal = submit_for(rep=rep, sitting=sitting, title=title, reasons=reasons, measures=measures,
                          cosigners=cosigners)  # fmt: skip
    org = sitting.term.congress.org
    audit_record(actor=actor, action="democracy.proposal_submit", obj=proposal, org=org)
    link = reverse("democracy:proposal_mine", args=[proposal.pk])
    for signer in proposal.cosigners.select_related("representative__person"):
        notify(person=signer.representative.person, event="democracy.cosign_requested", link=link,
               context={"proposer": rep.person.name, "title": proposal.title, "sitting": sitting.title})  # fmt: skip
    return proposal


@transaction.atomic
def submit_for(*, rep: Representative, sitting: Sitting, title: str, reasons: str, measures: str,
               cosigners: list[Representative]) -> Proposal:  # fmt: skip
    """The proposal itself, inside the caller's transaction (``proposal_submit``; the demo loader for its
    representatives without accounts)."""
    policy = democracy_policy()
    sitting = Sitting.objects.select_for_update().get(pk=sitting.pk)  # numbers handed out one at a time
    if sitting.status == Sitting.Status.CLOSED:
        raise ValidationError("会议已经闭会，请在下次会议提出提案。", code="closed")
    if rep.term_id != sitting.term_id or rep.role != Role.FORMAL:
        raise ValidationError("只有本届正式代表可以提出提案。", code="not_formal")
    title, reasons, measures = title.strip(), reasons.strip(), measures.strip()
    if not title:
        raise field_error("title", "请填写案由。")
    if not reasons:
        raise field_error("reasons", "请填写提案理由。")
    if not measures:
        raise field_error("measures", "请填写建议措施。")
    signers = {r.pk: r for r in cosigners}
    if rep.pk in signers:
        raise field_error("cosigners", "提案人本人不能作为附议人。")
    if any(r.term_id != sitting.term_id or r.role != Role.FORMAL for r in signers.values()):
        raise field_error("cosigners", "附议人须是本届职代会的其他正式代表。")
    if len(signers) < policy.proposal_cosigners:
        raise field_error("cosigners", f"提案须有 {policy.proposal_cosigners} 名以上其他正式代表附议。")
    number = (Proposal.objects.filter(first_sitting=sitting).order_by("-number")
              .values_list("number", flat=True).first() or 0) + 1  # fmt: skip
    proposal = Proposal.objects.create(sitting=sitting, first_sitting=sitting, proposer=rep, number=number,
                                       title=title[:100], reasons=reasons[:3000], measures=measures[:3000])  # fmt: skip
    CoSigner.objects.bulk_create(CoSigner(proposal=proposal, representative=r) for r in signers.values())
    return proposal


@atomic_audited
def proposal_cosign(*, actor, proposal: Proposal) -> Proposal:
    """附议确认 by a named co-signer on their phone. When the required number have confirmed, the proposal's case
    opens at the congress's union: the committee's to-do (待审查)."""
    proposal = _locked_proposal(proposal)
    rep = representative_of(actor, proposal.sitting.term)
    signer = proposal.cosigners.filter(representative=rep).first() if rep else None
    if signer is None:
        raise ValidationError("您不是这件提案的附议人。", code="not_cosigner")
    proposal = cosign_for(proposal=proposal, signer=signer)
    audit_record(actor=actor, action="democracy.proposal_cosign", obj=proposal, org=proposal.sitting.term.congress.org)
    return proposal


@transaction.atomic
def cosign_for(*, proposal: Proposal, signer: CoSigner) -> Proposal:
    if signer.confirmed_at is not None:
        raise ValidationError("您已经确认附议。", code="twice")
    if proposal.status != ProposalStatus.COSIGNING and proposal.case_id is None:
        raise ValidationError("这件提案已不在征集附议。")
    signer.confirmed_at = timezone.now()
    signer.save(update_fields=["confirmed_at"])
    confirmed = proposal.cosigners.filter(confirmed_at__isnull=False).count()
    if proposal.case_id is None and confirmed >= democracy_policy().proposal_cosigners:
        case = case_open(actor=None, kind=PROPOSAL, org=proposal.sitting.term.congress.org,
                         subject=f"提案：{proposal.title}"[:200], note="附议已满，提交提案委员会审查。")  # fmt: skip
        proposal.case, proposal.status = case, case.status
        _bump(proposal, "case", "status")
    return proposal


def _step(actor, proposal: Proposal, to: str, note: str = "") -> None:
    case_transition(actor=actor, case=proposal.case, to=to, note=note, version=proposal.case.version)
    proposal.case.refresh_from_db()
    proposal.status, proposal.due_on = proposal.case.status, proposal.case.deadline


def _proposal_case(actor, proposal: Proposal, version: int | None) -> Proposal:
    Proposal.objects.require_write(actor, proposal)
    proposal = _locked_proposal(proposal, version)
    if proposal.case_id is None:
        raise ValidationError("提案尚在征集附议，附议人数满后才能审查。")
    proposal.case = Case.objects.select_related("org").get(pk=proposal.case_id)
    return proposal


REVIEW = {"accept": P_ACCEPTED, "opinion": P_OPINION, "reject": P_REJECTED}


@atomic_audited
def proposal_review(*, actor, proposal: Proposal, decision: str, note: str = "",
                    version: int | None = None) -> Proposal:  # fmt: skip
    """提案审查 by the committee (a writer of the congress's union): 立案, 转为意见建议 or 不予立案 — the last two
    with written reasons. The proposer is told of the outcome."""
    proposal = _proposal_case(actor, proposal, version)
    if decision not in REVIEW:
        raise field_error("decision", "请选择审查结果。")
    if proposal.status != ProposalStatus.SUBMITTED:
        raise ValidationError("这件提案已经审查。")
    if decision != "accept" and not note.strip():
        raise field_error("note", "转为意见建议或不予立案，须书面说明理由。", code="reason_required")
    _step(actor, proposal, REVIEW[decision], note.strip())
    proposal.review_note = note.strip()[:500]
    _bump(proposal, "status", "due_on", "review_note")
    org = proposal.sitting.term.congress.org
    audit_record(actor=actor, action="democracy.proposal_review", obj=proposal, org=org, detail={"decision": decision})
    outcome = {"accept": "已立案", "opinion": "转为意见建议", "reject": "不予立案"}[decision]
    notify(person=proposal.proposer.person, event="democracy.proposal_reviewed",
           link=reverse("democracy:proposal_mine", args=[proposal.pk]),
           context={"org": org.name, "title": proposal.title, "outcome": outcome,
                    "note": f"理由：{note.strip()}" if note.strip() else ""})  # fmt: skip
    return proposal


@atomic_audited
def proposal_assign(*, actor, proposal: Proposal, department: str, responsible: str, days: int,
                    version: int | None = None) -> Proposal:  # fmt: skip
    """交办: to a handling department and its responsible person, due in ``days`` working days from today."""
    proposal = _proposal_case(actor, proposal, version)
    policy = democracy_policy()
    if proposal.status != ProposalStatus.ACCEPTED:
        raise ValidationError("只有已立案的提案可以交办。")
    if not department.strip():
        raise field_error("department", "请填写承办部门。")
    if not responsible.strip():
        raise field_error("responsible", "请填写承办负责人。")
    if not 1 <= days <= policy.proposal_days_max:
        raise field_error("days", f"办理期限为 1 至 {policy.proposal_days_max} 个工作日。")
    _step(actor, proposal, P_ASSIGNED, f"交{department.strip()}办理，{days}个工作日内办结")
    due = add_working_days(timezone.localdate(), days)
    Case.objects.filter(pk=proposal.case_id).update(deadline=due, reminded_for=None)
    proposal.department, proposal.responsible, proposal.due_on = department.strip()[:50], responsible.strip()[:30], due
    _bump(proposal, "status", "department", "responsible", "due_on")
    audit_record(actor=actor, action="democracy.proposal_assign", obj=proposal, org=proposal.sitting.term.congress.org)
    return proposal


@atomic_audited
def proposal_handled(*, actor, proposal: Proposal, note: str, version: int | None = None) -> Proposal:
    """办理完毕, with what the department did."""
    proposal = _proposal_case(actor, proposal, version)
    if proposal.status != ProposalStatus.ASSIGNED:
        raise ValidationError("只有交办中的提案可以登记办理情况。")
    if not note.strip():
        raise field_error("note", "请填写办理情况。")
    _step(actor, proposal, P_HANDLED, "承办部门办理完毕")
    proposal.handling_note = note.strip()[:3000]
    _bump(proposal, "status", "due_on", "handling_note")
    audit_record(actor=actor, action="democracy.proposal_handled", obj=proposal, org=proposal.sitting.term.congress.org)
    return proposal


@atomic_audited
def proposal_reply(*, actor, proposal: Proposal, text: str, version: int | None = None) -> Proposal:
    """书面答复 to the proposer, who is told and asked to rate it."""
    proposal = _proposal_case(actor, proposal, version)
    if proposal.status != ProposalStatus.HANDLED:
        raise ValidationError("办理完毕后才能答复提案人。")
    if not text.strip():
        raise field_error("text", "请填写答复意见。")
    _step(actor, proposal, P_REPLIED, "已书面答复提案人")
    Case.objects.filter(pk=proposal.case_id).update(deadline=None)
    proposal.reply, proposal.replied_on, proposal.due_on = text.strip()[:3000], timezone.localdate(), None
    _bump(proposal, "status", "due_on", "reply", "replied_on")
    org = proposal.sitting.term.congress.org
    audit_record(actor=actor, action="democracy.proposal_reply", obj=proposal, org=org)
    notify(person=proposal.proposer.person, event="democracy.proposal_replied",
           link=reverse("democracy:proposal_mine", args=[proposal.pk]),
           context={"org": org.name, "title": proposal.title, "text": proposal.reply[:200]})  # fmt: skip
    return proposal


@atomic_audited
def proposal_rate(*, actor, proposal: Proposal, satisfaction: str, version: int | None = None) -> Proposal:
    """提案人评价 (满意, 基本满意, 不满意) of the reply: the proposer only; it closes the proposal."""
    proposal = _locked_proposal(proposal, version)
    rep = representative_of(actor, proposal.sitting.term)
    if rep is None or rep.pk != proposal.proposer_id:
        raise ValidationError("只有提案人本人可以评价。", code="not_proposer")
    if satisfaction not in Satisfaction.values:
        raise field_error("satisfaction", "请选择满意、基本满意或不满意。")
    proposal = rate_for(proposal=proposal, satisfaction=satisfaction)
    audit_record(actor=actor, action="democracy.proposal_rate", obj=proposal, org=proposal.sitting.term.congress.org,
                 detail={"satisfaction": satisfaction})  # fmt: skip
    return proposal


@transaction.atomic
def rate_for(*, proposal: Proposal, satisfaction: str) -> Proposal:
    """The rating itself, inside the caller's transaction (``proposal_rate``; the demo loader)."""
    if satisfaction not in Satisfaction.values:
        raise field_error("satisfaction", "请选择满意、基本满意或不满意。")
    if proposal.status != ProposalStatus.REPLIED:
        raise ValidationError("答复后才能评价。")
    proposal.case = Case.objects.select_related("org").get(pk=proposal.case_id)
    _step(None, proposal, P_CLOSED, f"提案人评价：{Satisfaction(satisfaction).label}")
    proposal.satisfaction = satisfaction
    _bump(proposal, "status", "due_on", "satisfaction")
    return proposal


def proposals_carry_over(*, actor, sitting: Sitting) -> int:
    """结转: when a sitting opens, the congress's proposals of its earlier sittings (of any term) not yet
    resolved move to it, each counted and audited. Inside ``sitting_open``'s transaction. Returns how many."""
    congress = sitting.term.congress
    moved = 0
    for proposal in (Proposal.objects.select_for_update()
                     .filter(sitting__term__congress=congress, status__in=UNRESOLVED)
                     .exclude(sitting=sitting).exclude(sitting__starts_on__gt=sitting.starts_on)):  # fmt: skip
        proposal.sitting, proposal.carried = sitting, proposal.carried + 1
        _bump(proposal, "sitting", "carried")
        audit_record(actor=actor, action="democracy.proposal_carry", obj=proposal, org=congress.org,
                     detail={"to_sitting": sitting.pk})  # fmt: skip
        moved += 1
    return moved


# ----- union elections (换届选举, 罢免) -----------------------------------------------------------------------------

UNFINISHED = (Election.Status.PREPARING, Election.Status.VOTING, Election.Status.COUNTED, Election.Status.SUBMITTED,
              Election.Status.RETURNED)  # fmt: skip


def _locked_election(actor, election: Election, version: int | None, *, write: bool = True) -> Election:
    if write:
        Election.objects.require_write(actor, election)
    fresh = Election.objects.select_for_update().select_related("org").get(pk=election.pk)
    if version is not None and fresh.version != version:
        raise ConflictError("选举状态已被他人修改，请刷新后查看。")
    return fresh


def _save_election(election: Election, *fields: str) -> None:
    election.version += 1
    election.save(update_fields=[*fields, "version"])


def _active_member(person: Person, org) -> bool:
    return Membership.objects.filter(person=person, org=org, status=Membership.Status.ACTIVE).exists()


@atomic_audited
def election_create(*, actor, org, title: str, purpose: str = Election.Purpose.ELECT, seats: int = 1,
                    term_years: int = 5, principal_name: str = "",
                    voting_on: dt.date | None = None) -> Election:  # fmt: skip
    """发起换届选举 (or 罢免 of the chair) of ``org``: a members' assembly of all members when the union has at most
    ``assembly_max_members`` (100) members, a members' representatives' assembly above that. One unfinished
    election per union."""
    access.require_write(actor, org)
    policy = democracy_policy()
    if purpose not in Election.Purpose.values:
        raise field_error("purpose", "选举类型无效。")
    if not title.strip():
        raise field_error("title", "请填写选举名称。")
    if purpose == Election.Purpose.ELECT and not 1 <= seats <= 99:
        raise field_error("seats", "应选委员名额为 1 至 99 名。")
    if term_years not in (3, 5):
        raise field_error("term_years", "工会委员会任期只能是 3 年或 5 年。")
    if Election.objects.select_for_update().filter(org=org, status__in=UNFINISHED).exists():
        raise field_error("title", f"{org.name}还有一次选举没有完成。")
    members = Membership.objects.filter(org=org, status=Membership.Status.ACTIVE).count()
    electorate = (Election.Electorate.ASSEMBLY if rules.assembly_of_all_members(members, policy.assembly_max_members)
                  else Election.Electorate.REPRESENTATIVES)  # fmt: skip
    election = Election.objects.create(
        org=org, title=title.strip()[:100], purpose=purpose, electorate=electorate,
        seats=1 if purpose == Election.Purpose.REMOVE else seats, term_years=term_years,
        principal_name=principal_name.strip()[:30], voting_on=voting_on,
    )  # fmt: skip
    audit_record(actor=actor, action="democracy.election_create", obj=election, org=org,
                 detail={"purpose": purpose, "electorate": electorate})  # fmt: skip
    return election


@atomic_audited
def elector_add(*, actor, election: Election, person: Person) -> Elector:
    """登记会员代表 as an elector of a representatives' assembly (a members' assembly takes every member)."""
    election = _locked_election(actor, election, None)
    if election.status != Election.Status.PREPARING:
        raise ValidationError("投票开始后不能再登记选举人。")
    if election.electorate != Election.Electorate.REPRESENTATIVES:
        raise ValidationError("会员大会由全体会员参加选举，无需登记代表。")
    if not _active_member(person, election.org):
        raise field_error("person", f"会员代表须是{election.org.name}的在册会员。")
    if election.electors.filter(person=person).exists():
        raise field_error("person", "这位会员已是本次选举的会员代表。")
    elector = Elector.objects.create(election=election, person=person)
    audit_record(actor=actor, action="democracy.elector_add", obj=election, org=election.org)
    return elector


def candidate_refusal(election: Election, person: Person, relation: str) -> str:
    """Why ``person`` may not stand (empty when they may): members of the union only; the employer's principal
    and their close relatives may not stand for its committee (工会法 art. 10), as the candidate declared."""
    if relation not in Relation.values:
        return "请选择候选人与单位主要负责人的关系（本人申报）。"
    if not _active_member(person, election.org):
        return f"候选人须是{election.org.name}的在册会员。"
    if election.purpose == Election.Purpose.ELECT and relation != Relation.NONE:
        return f"单位主要负责人及其近亲属不得作为本单位工会委员会委员候选人（申报关系：{Relation(relation).label}）。"
    return ""


@atomic_audited
def candidate_add(*, actor, election: Election, person: Person, relation: str) -> Candidate:
    """候选人 with their declared relation to the employer's principal, checked (``candidate_refusal``). A
    removal (罢免) has one: the chair whose removal is voted on."""
    election = _locked_election(actor, election, None)
    if election.status != Election.Status.PREPARING:
        raise ValidationError("投票开始后不能再增加候选人。")
    refusal = candidate_refusal(election, person, relation)
    if refusal:
        raise field_error("person", refusal, code="ineligible")
    if election.candidates.filter(person=person).exists():
        raise field_error("person", "这位会员已是候选人。")
    if election.purpose == Election.Purpose.REMOVE and election.candidates.exists():
        raise field_error("person", "罢免表决只针对一名工会主席。")
    position = election.candidates.count() + 1
    candidate = Candidate.objects.create(election=election, person=person, relation=relation, position=position)
    audit_record(actor=actor, action="democracy.candidate_add", obj=election, org=election.org,
                 detail={"relation": relation})  # fmt: skip
    return candidate


@atomic_audited
def election_open(*, actor, election: Election, version: int | None = None) -> Election:
    """开始投票: the electorate fixed now (every active member for a members' assembly, the registered
    representatives otherwise) and the secret ballot opened, one item per candidate (or the removal)."""
    election = _locked_election(actor, election, version)
    if election.status != Election.Status.PREPARING:
        raise ValidationError("只有筹备中的选举可以开始投票。")
    candidates = list(election.candidates.select_related("person").order_by("position"))
    if not candidates:
        raise ValidationError("请先确定候选人。")
    if election.purpose == Election.Purpose.ELECT and len(candidates) < election.seats:
        raise ValidationError(f"候选人 {len(candidates)} 名，少于应选名额 {election.seats} 名。")
    if election.electorate == Election.Electorate.ASSEMBLY:
        members = Membership.objects.filter(org=election.org, status=Membership.Status.ACTIVE)
        have = set(election.electors.values_list("person_id", flat=True))
        missing = [pid for pid in members.values_list("person_id", flat=True) if pid not in have]
        Elector.objects.bulk_create(Elector(election=election, person_id=pid) for pid in missing)
    total = election.electors.count()
    if total == 0:
        raise ValidationError("没有选举人：请先登记会员代表。")
    if election.purpose == Election.Purpose.REMOVE:
        texts = [f"罢免{candidates[0].person.name}的工会主席职务"]
        kind = Ballot.Kind.REMOVAL
    else:
        texts, kind = [c.person.name for c in candidates], Ballot.Kind.ELECTION
    ballot = Ballot.objects.create(election=election, title=election.title, kind=kind, method=Ballot.Method.SECRET,
                                   status=Ballot.Status.OPEN, formal_total=total)  # fmt: skip
    Item.objects.bulk_create(Item(ballot=ballot, position=c.position, text=t[:200])
                             for c, t in zip(candidates, texts, strict=True))  # fmt: skip
    election.status, election.electorate_total = Election.Status.VOTING, total
    _save_election(election, "status", "electorate_total")
    audit_record(actor=actor, action="democracy.election_open", obj=election, org=election.org,
                 detail={"electorate": total})  # fmt: skip
    return election


@atomic_audited
def election_vote(*, actor, election: Election, choices: dict) -> str:
    """无记名投票 by an elector on their phone (the congress's machinery: ``cast_paper``). Returns the receipt
    code, shown once. The audit event names the ballot only."""
    ballot = Ballot.objects.select_for_update().filter(election=election, status=Ballot.Status.OPEN).first()
    if ballot is None:
        raise ValidationError("该选举当前不接受投票。", code="not_open")
    person_id = getattr(actor, "person_id", None)
    elector = election.electors.filter(person_id=person_id).first() if person_id else None
    if elector is None:
        raise ValidationError("您不是本次选举的选举人。", code="not_elector")
    code = cast_paper(ballot=ballot, elector=elector, choices=choices)
    audit_record(actor=actor, action="democracy.vote", obj=ballot, org=election.org)
    return code


@atomic_audited
def election_count(*, actor, election: Election, version: int | None = None) -> Election:
    """计票: the papers counted and chained as a congress ballot's. Valid only with at least 2/3 of the
    electorate voting; a candidate is elected with more than half of ALL the electorate, most votes first up to
    the seats (a tie across the last seat elects none of the tied); a removal passes with more than half of ALL
    members or representatives."""
    election = _locked_election(actor, election, version)
    if election.status != Election.Status.VOTING:
        raise ValidationError("只有投票中的选举可以计票。")
    ballot = _locked_ballot(election.ballot, None)
    count_papers(ballot)
    items = {i.position: i for i in ballot.items.all()}
    candidates = list(election.candidates.order_by("position"))
    if not rules.turnout_valid(ballot.cast_count, election.electorate_total):
        election.status = Election.Status.FAILED
        Candidate.objects.filter(election=election).update(elected=False)
    else:
        election.status = Election.Status.COUNTED
        if election.purpose == Election.Purpose.REMOVE:
            won = {c.pk for c in candidates if rules.removal_passes(items[c.position].yes, election.electorate_total)}
        else:
            won, _tied = rules.elected({c.pk: items[c.position].yes for c in candidates}, election.electorate_total,
                                       election.seats)  # fmt: skip
        for c in candidates:
            c.elected = c.pk in won
            c.save(update_fields=["elected"])
    _save_election(election, "status")
    audit_record(actor=actor, action="democracy.election_count", obj=election, org=election.org,
                 detail={"commitment": ballot.commitment, "papers": ballot.cast_count,
                         "valid": election.status == Election.Status.COUNTED})  # fmt: skip
    return election


@atomic_audited
def election_submit(*, actor, election: Election, version: int | None = None) -> Election:
    """报上级工会审批: the counted result (its papers published) goes to the upper-level union as a case; a
    returned one goes back up."""
    election = _locked_election(actor, election, version)
    if election.status == Election.Status.COUNTED:
        ballot = _locked_ballot(election.ballot, None)
        ballot.status, ballot.version = Ballot.Status.PUBLISHED, ballot.version + 1
        ballot.save(update_fields=["status", "version"])
        case = case_open(actor=actor, kind=ELECTION, org=election.org, subject=f"{election.title}结果报批"[:200],
                         note="选举结果报上一级工会审批。")  # fmt: skip
        election.case, election.status = case, case.status
        _save_election(election, "case", "status")
    elif election.status == Election.Status.RETURNED:
        case = Case.objects.get(pk=election.case_id)
        case_transition(actor=actor, case=case, to=E_SUBMITTED, note="补充后重新报批", version=case.version)
    else:
        raise ValidationError("计票后（或被退回后）才能报上级工会审批。")
    election.refresh_from_db()
    audit_record(actor=actor, action="democracy.election_submit", obj=election, org=election.org)
    return election


@atomic_audited
def election_decide(*, actor, election: Election, approve: bool, note: str = "",
                    version: int | None = None) -> Election:  # fmt: skip
    """上级工会批复 (the upper-level union: the case kind's level 1). On approval of an election the new committee's
    term — starting on the election day — is recorded on the org through ``orgs.services.org_update``; a
    return needs the reason."""
    from gonghui.orgs.services import org_update

    election = _locked_election(actor, election, version, write=False)
    if election.status != Election.Status.SUBMITTED or election.case_id is None:
        raise ValidationError("只有报批中的选举结果可以批复。")
    if not approve and not note.strip():
        raise field_error("note", "退回须说明理由。", code="reason_required")
    case = Case.objects.select_related("org").get(pk=election.case_id)
    case_transition(actor=actor, case=case, to=E_APPROVED if approve else E_RETURNED, note=note.strip(),
                    version=case.version)  # fmt: skip
    election.refresh_from_db()
    if approve:
        election.approved_on = timezone.localdate()
        _save_election(election, "approved_on")
        if election.purpose == Election.Purpose.ELECT:
            org = election.org
            org.refresh_from_db()
            org_update(actor=actor, org=org, version=org.version, leadership=org.Leadership.COMMITTEE,
                       term_years=election.term_years,
                       term_started_on=election.voting_on or election.approved_on)  # fmt: skip
    audit_record(actor=actor, action="democracy.election_decide", obj=election, org=election.org,
                 detail={"approve": approve})  # fmt: skip
    return election


# ----- 厂务公开 (open factory affairs) --------------------------------------------------------------------------------


@atomic_audited
def board_create(*, actor, org, ownership: str) -> Board:
    """厂务公开栏 of the employer whose union is ``org``; its catalogue follows the ownership."""
    access.require_write(actor, org)
    if ownership not in Ownership.values:
        raise field_error("ownership", "请选择企业类型。")
    if Board.objects.filter(org=org).exists():
        raise field_error("org", f"{org.name}已经建立厂务公开栏。")
    board = Board.objects.create(org=org, ownership=ownership)
    audit_record(actor=actor, action="democracy.board_create", obj=board, org=org)
    return board


@atomic_audited
def disclosure_post(*, actor, board: Board, kind: str, title: str, body: str, posted_on: dt.date, until: dt.date,
                    item: str = "", sitting: Sitting | None = None) -> Disclosure:  # fmt: skip
    """公开: a standing item of the board's catalogue (for the year it is posted in), or a sitting's agenda or
    results; up at least ``posted_min_days`` (15) days."""
    Board.objects.require_write(actor, board)
    policy = democracy_policy()
    if kind not in Disclosure.Kind.values:
        raise field_error("kind", "公开类型无效。")
    if not title.strip() or not body.strip():
        raise field_error("title", "请填写标题和公开内容。")
    if (until - posted_on).days < policy.posted_min_days:
        raise field_error("until", f"公开时间不少于 {policy.posted_min_days} 日。")
    if kind == Disclosure.Kind.ITEM:
        codes = dict(disclosure_catalogue(board.ownership, board.org.region_id))
        if item not in codes:
            raise field_error("item", "请选择公开目录中的事项。")
        sitting = None
    else:
        item = ""
        if sitting is None or sitting.term.congress.org_id != board.org_id:
            raise field_error("sitting", "请选择本单位职代会的会议。")
    disclosure = Disclosure.objects.create(board=board, kind=kind, item=item, year=posted_on.year, sitting=sitting,
                                           title=title.strip()[:100], body=body.strip()[:5000], posted_on=posted_on,
                                           until=until)  # fmt: skip
    audit_record(actor=actor, action="democracy.disclosure_post", obj=disclosure, org=board.org,
                 detail={"kind": kind, "item": item})  # fmt: skip
    return disclosure


@atomic_audited
def question_ask(*, actor, disclosure: Disclosure, text: str) -> Question:
    """职工询问 on a posted disclosure of the worker's own employer (an active member of its union); to be
    answered within ``answer_days`` (30) days."""
    person_id = getattr(actor, "person_id", None)
    org = disclosure.board.org
    if not person_id or not Membership.objects.filter(person_id=person_id, org=org,
                                                      status=Membership.Status.ACTIVE).exists():  # fmt: skip
        raise ValidationError("只有本单位工会会员可以就厂务公开事项提问。", code="not_member")
    today = timezone.localdate()
    if disclosure.posted_on > today:
        raise ValidationError("该事项尚未公开。")
    text = text.strip()
    if not 5 <= len(text) <= 1000:
        raise field_error("text", "问题请写 5 至 1000 字。")
    due = today + dt.timedelta(days=democracy_policy().answer_days)
    question = Question.objects.create(disclosure=disclosure, asker_id=person_id, text_enc=crypto.encrypt(text),
                                       asked_on=today, due_on=due)  # fmt: skip
    audit_record(actor=actor, action="democracy.question_ask", obj=question, org=org)
    return question


@atomic_audited
def question_answer(*, actor, question: Question, answer: str, version: int | None = None) -> Question:
    """答复 by the union's cadre; the worker is told through the message centre."""
    Question.objects.require_write(actor, question)
    question = Question.objects.select_for_update().select_related("disclosure__board__org").get(pk=question.pk)
    if version is not None and question.version != version:
        raise ConflictError("该问题已被他人答复，请刷新后查看。")
    if question.answered_on is not None:
        raise ValidationError("该问题已经答复。")
    if not answer.strip():
        raise field_error("answer", "请填写答复。")
    question.answer, question.answered_on = answer.strip()[:3000], timezone.localdate()
    question.version += 1
    question.save(update_fields=["answer", "answered_on", "version"])
    org = question.disclosure.board.org
    audit_record(actor=actor, action="democracy.question_answer", obj=question, org=org)
    notify(person=question.asker, event="democracy.question_answered", link=reverse("democracy:open_affairs"),
           context={"org": org.name, "title": question.disclosure.title, "answer": question.answer[:200]})  # fmt: skip
    return question


def disclosures_remind(*, today: dt.date) -> int:
    """Daily job: the union's cadres are told of each question ``answer_remind_days_before`` (5) days before its
    deadline and on the day itself, and of each planned sitting two days before its agenda is due, if not yet
    posted. Each reminder falls on one date only, so a second run on the same day repeats it (messages are
    cheap; the job is the kernel's once-a-day run)."""
    from gonghui.contracts.services import cadres_to_tell

    policy = democracy_policy()
    told = 0
    due_days = (today, today + dt.timedelta(days=policy.answer_remind_days_before))
    for question in (Question.objects.filter(answered_on__isnull=True, due_on__in=due_days)
                     .select_related("disclosure__board__org")):  # fmt: skip
        org = question.disclosure.board.org
        for user in cadres_to_tell(org):
            notify(user=user, event="democracy.question_due",
                   link=reverse("democracy:board", args=[question.disclosure.board_id]),
                   context={"title": question.disclosure.title, "due": question.due_on.isoformat()})  # fmt: skip
        told += 1
    agenda_by = today + dt.timedelta(days=policy.agenda_days_before + 2)
    for sitting in (Sitting.objects.filter(status=Sitting.Status.PLANNED, starts_on=agenda_by)
                    .exclude(disclosures__kind=Disclosure.Kind.AGENDA)
                    .select_related("term__congress__org")):  # fmt: skip
        org = sitting.term.congress.org
        board = Board.objects.filter(org=org).first()
        if board is None:
            continue
        for user in cadres_to_tell(org):
            notify(user=user, event="democracy.agenda_due", link=reverse("democracy:board", args=[board.pk]),
                   context={"sitting": sitting.title, "date": sitting.starts_on.isoformat(),
                            "days": policy.agenda_days_before})  # fmt: skip
        told += 1
    return told


def questions_delete(*, cutoff: dt.datetime, batch_size: int) -> int:
    """Retention (democracy_question): workers' questions asked before ``cutoff``, with their answers, deleted a
    committed batch at a time."""
    old = Question.objects.filter(asked_on__lt=timezone.localtime(cutoff).date())
    return in_batches(old, lambda ids: Question.objects.filter(pk__in=ids).delete()[0], batch_size)
