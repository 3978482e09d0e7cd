"""Every read of democratic management, limited to the user's scope (docs/architecture.md rule 2); a
representative reads their own sittings and ballots; the published papers are read by anyone who may see
the ballot."""

from django.db.models import Count, Q
from django.http import Http404
from django.utils import timezone

from gonghui.democracy import rules
from gonghui.democracy.models import (
    Ballot,
    Category,
    CheckIn,
    Congress,
    CoSigner,
    Proposal,
    Representative,
    Role,
    Sitting,
    Term,
    VoteCast,
)
from gonghui.democracy.policy import democracy_policy
from gonghui.members.models import Gender
from gonghui.orgs.models import Org


def congresses_visible_to(user, *, kind: str = ""):
    rows = Congress.objects.in_scope(user).select_related("org").order_by("org__path", "id")
    return rows.filter(kind=kind) if kind else rows


def current_term(congress: Congress) -> Term | None:
    return congress.terms.order_by("-number").first()


def composition(congress: Congress, term: Term):
    """The composition checks of ``term``'s formal representatives (rules.composition, the province's policy)."""
    policy = democracy_policy()
    formal = term.representatives.filter(role=Role.FORMAL)
    figures = formal.aggregate(
        total=Count("id"), managers=Count("id", filter=Q(category=Category.MANAGER)),
        frontline=Count("id", filter=Q(category=Category.FRONTLINE)),
        women=Count("id", filter=Q(person__gender=Gender.FEMALE)),
    )  # fmt: skip
    return rules.composition(
        staff=congress.staff_count, women_staff=congress.women_staff, formal=figures["total"],
        managers=figures["managers"], frontline=figures["frontline"], women=figures["women"],
        tiers=policy.tiers_for(congress.org.region_id),
        managers_max_percent=policy.managers_max_percent_regional if congress.regional else policy.managers_max_percent,
        frontline_min_percent=policy.frontline_min_percent if congress.frontline_required else None,
    )  # fmt: skip


def quorum(sitting: Sitting) -> dict:
    """出席情况, live: formal representatives of the term, those checked in, how many make 2/3."""
    total = sitting.term.representatives.filter(role=Role.FORMAL).count()
    present = CheckIn.objects.filter(sitting=sitting, representative__role=Role.FORMAL).count()
    attendees = CheckIn.objects.filter(sitting=sitting, representative__role=Role.ATTENDEE).count()
    return {"total": total, "present": present, "attendees": attendees, "needed": rules.quorum_needed(total),
            "ok": rules.quorum(present, total), "majority": rules.majority_needed(total)}  # fmt: skip


def materials_warning(sitting: Sitting) -> str:
    """A warning when the materials did not (or will not) reach the representatives 7 days before."""
    days = democracy_policy().materials_days
    if sitting.materials_sent_on is None:
        return f"会议材料尚未送达代表：应在会议召开 {days} 日前送达。"
    ahead = (sitting.starts_on - sitting.materials_sent_on).days
    if ahead < days:
        return f"会议材料于会前 {ahead} 日送达，少于规定的 {days} 日。"
    return ""


def is_representative(user) -> bool:
    """The worker is a representative of some congress (the tile's audience)."""
    person_id = getattr(user, "person_id", None)
    return bool(person_id) and Representative.objects.filter(person_id=person_id).exists()


def my_sittings(user) -> list[dict]:
    """The sittings of the terms the worker represents (newest first), with their check-in and the open
    ballots and whether the worker has voted in each."""
    person_id = getattr(user, "person_id", None)
    if not person_id:
        return []
    reps = {r.term_id: r for r in Representative.objects.filter(person_id=person_id)}
    sittings = (Sitting.objects.filter(term_id__in=reps).exclude(status=Sitting.Status.CLOSED)
                .select_related("term__congress").order_by("-starts_on"))  # fmt: skip
    rows = []
    for sitting in sittings:
        rep = reps[sitting.term_id]
        ballots = list(sitting.ballots.filter(status__in=[Ballot.Status.OPEN, Ballot.Status.PUBLISHED]).order_by("id"))
        voted = set(VoteCast.objects.filter(representative=rep, ballot__in=ballots).values_list("ballot_id", flat=True))
        rows.append({"sitting": sitting, "rep": rep, "checked_in": sitting.checkins.filter(representative=rep).exists(),
                     "ballots": [(b, b.pk in voted) for b in ballots]})  # fmt: skip
    return rows


def ballot_for_voter(user, pk: int) -> Ballot:
    """A ballot the worker may see as a representative of its term; 404 otherwise."""
    person_id = getattr(user, "person_id", None)
    ballot = Ballot.objects.select_related("sitting__term__congress").filter(pk=pk).first()
    if ballot is None or not person_id or not ballot.sitting.term.representatives.filter(person_id=person_id).exists():
        raise Http404("表决不存在")
    return ballot


def ballot_for_papers(user, pk: int) -> Ballot:
    """A ballot whose papers the user may read: a cadre in scope or a representative of its term."""
    found = Ballot.objects.in_scope(user).filter(pk=pk).select_related("sitting__term__congress").first()
    return found if found is not None else ballot_for_voter(user, pk)


def sittings_held_this_year(user) -> int:
    """职代会会议 held (opened) this year in the user's scope."""
    return _held(Sitting.objects.in_scope(user))


def sittings_held_this_year_under(org: Org) -> int:
    return _held(Sitting.objects.filter(term__congress__org__path__startswith=org.path))


def _held(rows) -> int:
    year = timezone.localdate().year
    return rows.filter(starts_on__year=year).exclude(status=Sitting.Status.PLANNED).count()


def reports_pending(user) -> int:
    """Published results not yet reported to the upper union."""
    return _pending(Ballot.objects.in_scope(user))


def reports_pending_under(org: Org) -> int:
    return _pending(Ballot.objects.filter(sitting__term__congress__org__path__startswith=org.path))


def _pending(rows) -> int:
    from gonghui.democracy.cases import PENDING

    return rows.filter(report_case__status=PENDING).count()


# ----- proposals -------------------------------------------------------------------------------------------------

OPEN_PROPOSAL = ("submitted", "accepted", "assigned", "handled", "replied")


def proposals_visible_to(user, *, status: str = "", department: str = "", overdue: bool = False):
    """提案 in the user's scope (the union of the congress and the unions above it), newest first."""
    rows = Proposal.objects.in_scope(user).select_related(
        "sitting__term__congress__org", "first_sitting", "proposer__person"
    )
    if status:
        rows = rows.filter(status=status)
    if department.strip():
        rows = rows.filter(department__icontains=department.strip())
    if overdue:
        rows = rows.filter(status="assigned", due_on__lt=timezone.localdate())
    return rows.order_by("-submitted_at", "-id")


def proposal_for_representative(user, pk: int) -> Proposal:
    """A proposal its proposer or one of its co-signers reads on their phone; 404 for anyone else."""
    person_id = getattr(user, "person_id", None)
    found = (Proposal.objects.select_related("sitting__term__congress__org", "first_sitting", "proposer__person")
             .filter(pk=pk).first())  # fmt: skip
    if found is None or not person_id:
        raise Http404("提案不存在")
    signer = found.cosigners.filter(representative__person_id=person_id).exists()
    if found.proposer.person_id != person_id and not signer:
        raise Http404("提案不存在")
    return found


def my_proposals(user) -> dict:
    """The worker's own proposals and those awaiting their confirmation as a co-signer."""
    person_id = getattr(user, "person_id", None)
    if not person_id:
        return {"own": [], "to_confirm": [], "cosigned": []}
    base = Proposal.objects.select_related("sitting", "first_sitting").order_by("-submitted_at")
    signed = CoSigner.objects.filter(representative__person_id=person_id)
    return {
        "own": list(base.filter(proposer__person_id=person_id)),
        "to_confirm": list(base.filter(pk__in=signed.filter(confirmed_at__isnull=True).values("proposal"))),
        "cosigned": list(base.filter(pk__in=signed.filter(confirmed_at__isnull=False).values("proposal"))),
    }


def formal_colleagues(sitting: Sitting, rep: Representative):
    """The other formal representatives of the sitting's term, who may co-sign ``rep``'s proposal."""
    return (sitting.term.representatives.filter(role=Role.FORMAL).exclude(pk=rep.pk)
            .select_related("person").order_by("constituency", "id"))  # fmt: skip


def open_proposals(user) -> int:
    """未办结提案 (submitted and not yet decided, or accepted and not yet rated) in the user's scope."""
    return Proposal.objects.in_scope(user).filter(status__in=OPEN_PROPOSAL).count()


def open_proposals_under(org: Org) -> int:
    return Proposal.objects.filter(sitting__term__congress__org__path__startswith=org.path,
                                   status__in=OPEN_PROPOSAL).count()  # fmt: skip


def open_proposals_by_org() -> dict[int, int]:
    rows = Proposal.objects.filter(status__in=OPEN_PROPOSAL).values("sitting__term__congress__org")
    return dict(rows.annotate(n=Count("id")).values_list("sitting__term__congress__org", "n"))


def term_in_office(org: Org, today=None) -> Term | None:
    """The union's congress term in office today (others' checks read it, e.g. a unit's exclusion checks)."""
    today = today or timezone.localdate()
    return (Term.objects.filter(congress__org=org, starts_on__lte=today, ends_on__gte=today)
            .select_related("congress").order_by("-starts_on").first())  # fmt: skip
