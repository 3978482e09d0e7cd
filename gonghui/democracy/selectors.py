"""Every read of democratic management, limited to the user's scope (docs/architecture.md rule 2); a
representative reads their own sittings and ballots; the published papers are read by anyone who may see
the ballot."""

import datetime as dt

from django.db.models import Count, Exists, OuterRef, Q
from django.http import Http404
from django.utils import timezone

from gonghui.democracy import rules
from gonghui.democracy.models import (
    Ballot,
    Board,
    Category,
    CheckIn,
    Congress,
    CoSigner,
    Disclosure,
    Election,
    Proposal,
    Question,
    Representative,
    Role,
    Sitting,
    Term,
    VoteCast,
)
from gonghui.democracy.policy import democracy_policy, disclosure_catalogue
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
    """A ballot the worker may see as a representative of its term, or as an elector of its election; 404
    otherwise."""
    person_id = getattr(user, "person_id", None)
    ballot = Ballot.objects.select_related("sitting__term__congress", "election__org").filter(pk=pk).first()
    if ballot is None or not person_id:
        raise Http404("表决不存在")
    voters = ballot.sitting.term.representatives if ballot.sitting_id is not None else ballot.election.electors
    if not voters.filter(person_id=person_id).exists():
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


# ----- union elections (换届选举) -----------------------------------------------------------------------------------


def _years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def _months_after(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)


def term_due_q(today: dt.date, months: int) -> Q:
    """Unions whose committee's term (``Org.term_ends_on``: started + 3 or 5 years) ends by ``today`` +
    ``months``: started on or before that horizon less the term (the orgs app's two allowed terms)."""
    horizon = _months_after(today, months)
    q = Q(pk__in=[])
    for years in (3, 5):
        q |= Q(term_years=years, term_started_on__lte=_years_before(horizon, years))
    return q


def terms_due(user, *, months: int | None = None, today: dt.date | None = None):
    """换届提醒: the active unions with a committee in the user's scope whose term ends within ``months`` (or has
    ended), soonest first, each with whether an election is under way (the to-do is to start one)."""
    from gonghui.democracy.services import UNFINISHED

    today = today or timezone.localdate()
    months = democracy_policy().election_ahead_months if months is None else months
    under_way = Election.objects.filter(org=OuterRef("pk"), status__in=UNFINISHED)
    return (Org.objects.in_scope(user)
            .filter(term_due_q(today, months), status=Org.Status.ACTIVE, leadership=Org.Leadership.COMMITTEE)
            .annotate(election_under_way=Exists(under_way))
            .select_related("parent").order_by("term_started_on", "path"))  # fmt: skip


def terms_due_count(user) -> int:
    """Unions in scope whose term ends within the policy's months and with no election under way."""
    return terms_due(user).filter(election_under_way=False).count()


def terms_due_under(org: Org) -> int:
    from gonghui.democracy.services import UNFINISHED

    rows = Org.objects.filter(term_due_q(timezone.localdate(), democracy_policy().election_ahead_months),
                              path__startswith=org.path, status=Org.Status.ACTIVE,
                              leadership=Org.Leadership.COMMITTEE)  # fmt: skip
    return rows.exclude(pk__in=Election.objects.filter(status__in=UNFINISHED).values("org")).count()


def elections_visible_to(user):
    return Election.objects.in_scope(user).select_related("org").order_by("-created_at", "-id")


def election_for_elector(user, pk: int) -> Election:
    """An election the worker votes in as an elector; 404 for anyone else."""
    person_id = getattr(user, "person_id", None)
    found = Election.objects.select_related("org").filter(pk=pk).first()
    if found is None or not person_id or not found.electors.filter(person_id=person_id).exists():
        raise Http404("选举不存在")
    return found


def my_elections(user) -> list[tuple]:
    """The elections open for the worker's vote, with whether they have voted."""
    person_id = getattr(user, "person_id", None)
    if not person_id:
        return []
    rows = []
    for election in (Election.objects.filter(electors__person_id=person_id, status=Election.Status.VOTING)
                     .select_related("org").order_by("-id")):  # fmt: skip
        ballot = election.ballot
        voted = ballot is not None and VoteCast.objects.filter(ballot=ballot, elector__person_id=person_id).exists()
        rows.append((election, ballot, voted))
    return rows


def terms_due_by_org() -> dict[int, int]:
    """Each union due for election (within the policy's months, none under way) counts itself once."""
    from gonghui.democracy.services import UNFINISHED

    rows = Org.objects.filter(term_due_q(timezone.localdate(), democracy_policy().election_ahead_months),
                              status=Org.Status.ACTIVE, leadership=Org.Leadership.COMMITTEE)  # fmt: skip
    rows = rows.exclude(pk__in=Election.objects.filter(status__in=UNFINISHED).values("org"))
    return dict.fromkeys(rows.values_list("pk", flat=True), 1)


def has_open_election(user) -> bool:
    """The worker is an elector of an election now voting (the tile's audience)."""
    person_id = getattr(user, "person_id", None)
    return bool(person_id) and Election.objects.filter(electors__person_id=person_id,
                                                       status=Election.Status.VOTING).exists()  # fmt: skip


# ----- 厂务公开 ------------------------------------------------------------------------------------------------------


def boards_visible_to(user):
    return Board.objects.in_scope(user).select_related("org").order_by("org__path")


def catalogue_status(board: Board, year: int) -> list[dict]:
    """The board's catalogue for ``year``: each standing item with its latest disclosure of the year, if any."""
    latest = {}
    for d in board.disclosures.filter(kind=Disclosure.Kind.ITEM, year=year).order_by("posted_on", "id"):
        latest[d.item] = d
    return [{"code": code, "label": label, "disclosure": latest.get(code)}
            for code, label in disclosure_catalogue(board.ownership, board.org.region_id)]  # fmt: skip


def _completeness(boards, year: int) -> tuple[int, int]:
    """(catalogue items disclosed in ``year``, catalogue items) over ``boards``: one query, a row per board."""
    done = Q(disclosures__kind=Disclosure.Kind.ITEM, disclosures__year=year)
    rows = boards.annotate(n=Count("disclosures__item", filter=done, distinct=True))
    total = disclosed = 0
    for ownership, region, n in rows.values_list("ownership", "org__region_id", "n"):
        size = len(disclosure_catalogue(ownership, region))
        total, disclosed = total + size, disclosed + min(n, size)
    return disclosed, total


def _percent(pair: tuple[int, int]) -> int:
    disclosed, total = pair
    return 100 * disclosed // total if total else 0


def disclosure_completeness(user) -> int:
    """厂务公开完整率 (%, rounded down): the standing items disclosed this year over those the boards in the user's
    scope must disclose."""
    return _percent(_completeness(Board.objects.in_scope(user), timezone.localdate().year))


def disclosure_completeness_under(org: Org) -> int:
    boards = Board.objects.filter(org__path__startswith=org.path)
    return _percent(_completeness(boards, timezone.localdate().year))


def overdue_questions(user):
    """Workers' questions in scope not answered by their deadline (30 days)."""
    return (Question.objects.in_scope(user).filter(answered_on__isnull=True, due_on__lt=timezone.localdate())
            .select_related("disclosure__board__org").order_by("due_on", "id"))  # fmt: skip


def open_questions(board: Board):
    return (Question.objects.filter(disclosure__board=board, answered_on__isnull=True)
            .select_related("disclosure", "asker").order_by("due_on", "id"))  # fmt: skip


def overdue_sittings(user, today: dt.date | None = None) -> list[tuple]:
    """Sittings of the boards' employers in scope whose agenda was not posted 7 days before (and the sitting is
    due within that), or whose results were not posted within 3 days after a closed sitting: (sitting, what)."""
    policy, today = democracy_policy(), today or timezone.localdate()
    orgs = Board.objects.in_scope(user).values("org")
    rows = Sitting.objects.filter(term__congress__org__in=orgs).select_related("term__congress__org")
    agenda = (rows.filter(status=Sitting.Status.PLANNED,
                          starts_on__lte=today + dt.timedelta(days=policy.agenda_days_before))
              .exclude(disclosures__kind=Disclosure.Kind.AGENDA))  # fmt: skip
    after = today - dt.timedelta(days=policy.results_days_after)
    results = (rows.filter(status=Sitting.Status.CLOSED, starts_on__lt=after)
               .exclude(disclosures__kind=Disclosure.Kind.RESULTS))  # fmt: skip
    return ([(s, f"会议议程未在会前 {policy.agenda_days_before} 日公开") for s in agenda.order_by("starts_on")[:50]]
            + [(s, f"会议决议和结果未在会后 {policy.results_days_after} 日内公开")
               for s in results.order_by("starts_on")[:50]])  # fmt: skip


def late_agenda(disclosure: Disclosure) -> bool:
    """An agenda posted fewer than 7 days before its sitting."""
    days = democracy_policy().agenda_days_before
    return (
        disclosure.kind == Disclosure.Kind.AGENDA and (disclosure.sitting.starts_on - disclosure.posted_on).days < days
    )


def worker_board(user) -> Board | None:
    """The board of the worker's own employer: the union they are an active member of."""
    person_id = getattr(user, "person_id", None)
    if not person_id:
        return None
    from gonghui.members.models import Membership

    orgs = Membership.objects.filter(person_id=person_id, status=Membership.Status.ACTIVE).values("org")
    return Board.objects.filter(org__in=orgs).select_related("org").first()


def has_board(user) -> bool:
    """The worker's employer keeps an open-affairs board (the tile's audience)."""
    return worker_board(user) is not None


def posted_now(board: Board, today: dt.date | None = None):
    today = today or timezone.localdate()
    return board.disclosures.filter(posted_on__lte=today, until__gte=today).order_by("-posted_on", "-id")


def my_questions(user):
    person_id = getattr(user, "person_id", None)
    if not person_id:
        return Question.objects.none()
    return Question.objects.filter(asker_id=person_id).select_related("disclosure").order_by("-asked_on", "-id")


def proposal_for_api(user, pk: int) -> Proposal:
    """A proposal a cadre in scope reads, or its proposer or a co-signer; 404 for anyone else."""
    found = (Proposal.objects.in_scope(user).select_related("sitting__term__congress__org", "first_sitting",
                                                            "proposer__person").filter(pk=pk).first())  # fmt: skip
    return found if found is not None else proposal_for_representative(user, pk)


def sitting_for_proposer(user, pk: int) -> tuple[Sitting, Representative]:
    """The sitting and the user's formal representation in its term (who may propose there); 404 otherwise."""
    from gonghui.democracy.services import representative_of

    sitting = Sitting.objects.select_related("term__congress__org").filter(pk=pk).first()
    rep = representative_of(user, sitting.term) if sitting else None
    if rep is None or rep.role != Role.FORMAL:
        raise Http404("会议不存在")
    return sitting, rep
