"""职代会 pages: the cadres' congress list and pages (composition, sittings, live quorum with the check-in QR
code, ballots and results) and the representative's phone pages (check in, vote, receipt, published papers).
Views validate and call services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from gonghui.cases.kinds import kind_of
from gonghui.core.errors import ConflictError
from gonghui.core.lists import list_rows, render_list
from gonghui.core.qr import qr_svg
from gonghui.core.sealed import id_number_index
from gonghui.core.web import error_text, int_param
from gonghui.democracy import rules, selectors, services
from gonghui.democracy.cases import ELECTION, PROPOSAL, REPORT
from gonghui.democracy.forms import (
    AnswerForm,
    AssignForm,
    BallotForm,
    BoardForm,
    CandidateForm,
    CongressForm,
    DecideForm,
    DisclosureForm,
    ElectionForm,
    ElectorForm,
    HandledForm,
    HandsForm,
    ProposalForm,
    QuestionForm,
    RateForm,
    ReplyForm,
    RepresentativeForm,
    ReviewForm,
    SittingForm,
    TermForm,
    VoteForm,
)
from gonghui.democracy.lists import CONGRESSES, PROPOSALS, TERMS_DUE
from gonghui.democracy.models import (
    Ballot,
    Board,
    Choice,
    Congress,
    Election,
    Proposal,
    Question,
    Representative,
    Sitting,
)
from gonghui.democracy.recount import recount
from gonghui.members.models import Person
from gonghui.orgs import access
from gonghui.orgs import selectors as org_selectors


@login_required
def congress_list(request):
    """职工代表大会 in scope, filtered by kind, exportable."""
    access.require_cadre(request.user)
    listing = list_rows(request, CONGRESSES)
    context = {**listing.context(), "filter_form": CONGRESSES.filter_form(request.GET), "nav": "democracy"}
    return render_list(request, "democracy/list.html", "democracy/_rows.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def congress_new(request):
    access.require_cadre(request.user)
    orgs = org_selectors.writable_orgs(request.user)
    form = CongressForm(request.POST or None, orgs=orgs)
    if request.method == "POST" and form.is_valid():
        try:
            congress = services.congress_create(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, "已建立职代会。")
            return redirect("democracy:congress", pk=congress.pk)
    return render(request, "democracy/new.html", {"form": form, "nav": "democracy"}, status=400 if form.errors else 200)


def _congress_context(request, congress, **forms) -> dict:
    term = selectors.current_term(congress)
    reps = term.representatives.select_related("person").order_by("role", "constituency", "id") if term else []
    return {
        "congress": congress, "term": term, "reps": reps, "nav": "democracy",
        "checks": selectors.composition(congress, term) if term else [],
        "sittings": term.sittings.order_by("-number") if term else [],
        "can_write": access.can_write(request.user, congress.org),
        "term_form": forms.get("term_form") or TermForm(),
        "rep_form": forms.get("rep_form") or RepresentativeForm(),
        "sitting_form": forms.get("sitting_form") or SittingForm(),
    }  # fmt: skip


@login_required
def congress_detail(request, pk: int):
    congress = Congress.objects.get_for_read(request.user, pk)
    return render(request, "democracy/congress.html", _congress_context(request, congress))


@login_required
@require_POST
def congress_add(request, pk: int):
    """Adds a term, a representative (of the current term) or a sitting, as ``what`` says."""
    congress = Congress.objects.get_for_write(request.user, pk)
    what, term = request.POST.get("what"), selectors.current_term(congress)
    forms = {"term": TermForm, "representative": RepresentativeForm, "sitting": SittingForm}
    if what not in forms:
        what = "term"
    form = forms[what](request.POST)
    if what != "term" and term is None:
        context = _congress_context(request, congress) | {"error": "请先建立届次。"}
        return render(request, "democracy/congress.html", context, status=400)
    if form.is_valid():
        try:
            _add(request.user, congress, term, what, form.cleaned_data)
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, DONE[what])
            return redirect("democracy:congress", pk=congress.pk)
    key = {"term": "term_form", "representative": "rep_form", "sitting": "sitting_form"}[what]
    return render(request, "democracy/congress.html", _congress_context(request, congress, **{key: form}), status=400)


DONE = {"term": "已建立届次。", "representative": "已登记代表。", "sitting": "已筹备会议。"}


def _add(user, congress, term, what, data):
    if what == "term":
        return services.term_create(actor=user, congress=congress, **data)
    if what == "sitting":
        return services.sitting_create(actor=user, term=term, **data)
    person = Person.objects.in_scope(user).filter(id_number_bidx=id_number_index(data.pop("id_number"))).first()
    if person is None:
        raise ValidationError({"id_number": ValidationError("在您管理的工会中没有这位会员。")})
    return services.representative_add(actor=user, term=term, person=person, **data)


@login_required
def sitting_detail(request, pk: int, ballot_form=None):
    sitting = Sitting.objects.get_for_read(request.user, pk)
    can_write = access.can_write(request.user, sitting.term.congress.org)
    checkin_url = ""
    if can_write and sitting.status == Sitting.Status.OPEN:
        checkin_url = request.build_absolute_uri(reverse("democracy:checkin", args=[services.checkin_token(sitting)]))
    context = {
        "sitting": sitting, "congress": sitting.term.congress, "quorum": selectors.quorum(sitting),
        "warning": selectors.materials_warning(sitting), "ballots": sitting.ballots.order_by("id"),
        "can_write": can_write, "checkin_url": checkin_url, "nav": "democracy",
        "qr": qr_svg(checkin_url, title="扫码签到", scale=6) if checkin_url else "",
        "ballot_form": ballot_form or BallotForm(),
        "absent": sitting.term.representatives.exclude(checkins__sitting=sitting).select_related("person")
        if can_write and sitting.status == Sitting.Status.OPEN else [],
    }  # fmt: skip
    return render(request, "democracy/sitting.html", context, status=400 if ballot_form is not None else 200)


@login_required
def sitting_quorum(request, pk: int):
    """The live attendance figures (polled by htmx every few seconds)."""
    sitting = Sitting.objects.get_for_read(request.user, pk)
    return render(request, "democracy/_quorum.html", {"quorum": selectors.quorum(sitting), "sitting": sitting})


@login_required
@require_POST
def sitting_act(request, pk: int):
    """开幕, 闭会, 材料送达, 代为签到, or a new ballot (``action``)."""
    sitting = Sitting.objects.get_for_write(request.user, pk)
    action = request.POST.get("action")
    try:
        if action == "ballot":
            form = BallotForm(request.POST)
            if not form.is_valid():
                return sitting_detail(request, pk, ballot_form=form)
            data = form.cleaned_data
            ballot = services.ballot_create(actor=request.user, sitting=sitting, title=data["title"], kind=data["kind"],
                                            method=data["method"], items=form.item_list())  # fmt: skip
            return redirect("democracy:ballot", pk=ballot.pk)
        if action == "open":
            services.sitting_open(actor=request.user, sitting=sitting)
        elif action == "materials":
            services.materials_send(actor=request.user, sitting=sitting)
        elif action == "close":
            services.sitting_close(actor=request.user, sitting=sitting)
        elif action == "checkin":
            rep = Representative.objects.filter(term=sitting.term, pk=int_param(request.POST.get("rep"))).first()
            if rep is None:
                raise ValidationError("该代表不是本届代表。")
            services.checkin_by_staff(actor=request.user, sitting=sitting, representative=rep)
        else:
            raise ValidationError("操作无效。")
    except (ValidationError, ConflictError) as error:
        messages.error(request, error_text(error))
        return redirect("democracy:sitting", pk=pk)
    messages.success(request, "已办理。")
    return redirect("democracy:sitting", pk=pk)


def _ballot_context(request, ballot, hands_form=None) -> dict:
    items = list(ballot.items.all())
    checked = recount(ballot) if ballot.status == Ballot.Status.PUBLISHED and ballot.method == "secret" else None
    return {
        "ballot": ballot, "sitting": ballot.sitting, "ballot_items": items, "nav": "democracy",
        "can_write": access.can_write(request.user, ballot.sitting.term.congress.org),
        "quorum": selectors.quorum(ballot.sitting), "recount": checked,
        "majority": rules.majority_needed(ballot.formal_total),
        "report_status": kind_of(REPORT).status_label(ballot.report_case.status) if ballot.report_case else "",
        "hands_form": hands_form or (HandsForm(items=items) if ballot.method == "hands" else None),
    }  # fmt: skip


@login_required
def ballot_detail(request, pk: int):
    ballot = Ballot.objects.get_for_read(request.user, pk)
    if ballot.sitting_id is None:  # an election's ballot: shown on its election's page
        return redirect("democracy:election", pk=ballot.election_id)
    return render(request, "democracy/ballot.html", _ballot_context(request, ballot))


@login_required
@require_POST
def ballot_act(request, pk: int):
    """开始表决, 计票, 登记举手表决结果, 公布 (``action``)."""
    ballot = Ballot.objects.get_for_write(request.user, pk)
    if ballot.sitting_id is None:
        messages.error(request, "这是工会选举的选票，请在选举页面办理。")
        return redirect("democracy:election", pk=ballot.election_id)
    action = request.POST.get("action")
    try:
        if action == "hands":
            form = HandsForm(request.POST, items=ballot.items.all())
            if not form.is_valid():
                return render(request, "democracy/ballot.html", _ballot_context(request, ballot, form), status=400)
            services.hands_record(actor=request.user, ballot=ballot, counts=form.counts())
        elif action in {"open", "close", "publish"}:
            service = {"open": services.ballot_open, "close": services.ballot_close, "publish": services.ballot_publish}
            service[action](actor=request.user, ballot=ballot)
        else:
            raise ValidationError("操作无效。")
    except (ValidationError, ConflictError) as error:
        messages.error(request, error_text(error))
        return redirect("democracy:ballot", pk=pk)
    messages.success(request, "已办理。")
    return redirect("democracy:ballot", pk=pk)


@login_required
@require_http_methods(["GET", "POST"])
def papers(request, pk: int):
    """公布的匿名选票: every paper (receipt fingerprint and choices) and the hash chain; a voter finds their own
    by the receipt code (POSTed, never in a URL)."""
    ballot = selectors.ballot_for_papers(request.user, pk)
    if ballot.status != Ballot.Status.PUBLISHED or ballot.method != Ballot.Method.SECRET:
        return render(request, "democracy/papers.html", {"ballot": ballot, "unpublished": True, "nav": "democracy"})
    found, looked = None, request.method == "POST"
    if looked:
        digest = services.receipt_hash(request.POST.get("receipt", ""))
        found = ballot.papers.filter(receipt_hash=digest).first()
    items = list(ballot.items.all())
    rows = [(p.receipt_hash[:12], _labels(p, items)) for p in ballot.papers.order_by("receipt_hash")]
    mine = None
    if found is not None:
        labels = zip(items, _labels(found, items), strict=True)
        mine = (found.receipt_hash[:12], "；".join(f"{i.position}. {label}" for i, label in labels))
    context = {"ballot": ballot, "papers": rows, "ballot_items": items, "recount": recount(ballot), "looked": looked,
               "found": mine, "nav": "democracy"}  # fmt: skip
    return render(request, "democracy/papers.html", context)


def _labels(paper, items) -> list[str]:
    return [Choice(paper.choices[str(i.position)]).label for i in items]


# ----- the representative's phone pages --------------------------------------------------------------------------


@login_required
def mine(request):
    context = {"rows": selectors.my_sittings(request.user), "elections": selectors.my_elections(request.user),
               "nav": "me"}  # fmt: skip
    return render(request, "democracy/mine.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def checkin(request, token: str):
    """扫码签到: the QR code of the sitting brings the representative here; one tap checks them in."""
    if request.method == "POST":
        try:
            done = services.checkin(actor=request.user, token=token)
        except ValidationError as error:
            return render(request, "democracy/checkin.html", {"error": error_text(error), "nav": "me"}, status=400)
        messages.success(request, f"签到成功：{done.sitting.title}")
        return redirect("democracy:mine")
    return render(request, "democracy/checkin.html", {"token": token, "nav": "me"})


@login_required
@require_http_methods(["GET", "POST"])
def vote(request, pk: int):
    """无记名投票 on the phone, item by item; the answer shows the receipt code once (not stored anywhere)."""
    ballot = selectors.ballot_for_voter(request.user, pk)
    items = list(ballot.items.all())
    form = VoteForm(request.POST or None, items=items)
    if request.method == "POST" and form.is_valid():
        try:
            code = services.vote(actor=request.user, ballot=ballot, choices=form.choices())
        except ValidationError as error:
            form.add_service_error(error)
        else:
            response = render(request, "democracy/receipt.html", {"ballot": ballot, "code": code, "nav": "me"})
            response["Cache-Control"] = "no-store"
            return response
    context = {"ballot": ballot, "form": form, "nav": "me"}
    return render(request, "democracy/vote.html", context, status=400 if form.errors else 200)


# ----- proposals (提案) -------------------------------------------------------------------------------------------


@login_required
def proposal_list(request):
    """职代会提案 in scope, by status, department and overdue; exportable."""
    access.require_cadre(request.user)
    listing = list_rows(request, PROPOSALS)
    context = {**listing.context(), "filter_form": PROPOSALS.filter_form(request.GET), "nav": "proposals"}
    return render_list(request, "democracy/proposals.html", "democracy/_proposal_rows.html", context)


def _proposal_context(request, proposal, **forms) -> dict:
    return {
        "p": proposal, "nav": "proposals", "case": proposal.case,
        "cosigners": proposal.cosigners.select_related("representative__person").order_by("id"),
        "steps": [(step.at, kind_of(PROPOSAL).status_label(step.to_status), step.note)
                  for step in proposal.case.steps.order_by("at", "id")] if proposal.case_id else [],
        "can_write": access.can_write(request.user, proposal.sitting.term.congress.org),
        "review_form": forms.get("review") or ReviewForm(), "assign_form": forms.get("assign") or AssignForm(),
        "handled_form": forms.get("handled") or HandledForm(), "reply_form": forms.get("reply") or ReplyForm(),
    }  # fmt: skip


@login_required
def proposal_detail(request, pk: int):
    proposal = Proposal.objects.get_for_read(request.user, pk)
    return render(request, "democracy/proposal.html", _proposal_context(request, proposal))


PROPOSAL_FORMS = {"review": ReviewForm, "assign": AssignForm, "handled": HandledForm, "reply": ReplyForm}


def _proposal_step(user, proposal, action, data, version):
    if action == "review":
        return services.proposal_review(actor=user, proposal=proposal, version=version, **data)
    if action == "assign":
        return services.proposal_assign(actor=user, proposal=proposal, version=version, **data)
    if action == "handled":
        return services.proposal_handled(actor=user, proposal=proposal, version=version, **data)
    return services.proposal_reply(actor=user, proposal=proposal, version=version, **data)


@login_required
@require_POST
def proposal_act(request, pk: int):
    """The committee's steps (``action``): 审查, 交办, 办理完毕, 答复."""
    proposal = Proposal.objects.get_for_write(request.user, pk)
    action = request.POST.get("action")
    if action not in PROPOSAL_FORMS:
        messages.error(request, "操作无效。")
        return redirect("democracy:proposal", pk=pk)
    form = PROPOSAL_FORMS[action](request.POST)
    if form.is_valid():
        try:
            version = request.POST.get("version", "")
            _proposal_step(
                request.user, proposal, action, form.cleaned_data, int(version) if version.isdigit() else None
            )
        except ValidationError as error:
            form.add_service_error(error)
        except ConflictError as error:
            messages.error(request, error_text(error))
            return redirect("democracy:proposal", pk=pk)
        else:
            messages.success(request, "已办理。")
            return redirect("democracy:proposal", pk=pk)
    context = _proposal_context(request, proposal, **{action: form})
    return render(request, "democracy/proposal.html", context, status=400)


@login_required
@require_http_methods(["GET", "POST"])
def propose(request, pk: int):
    """提出提案 on the phone: a formal representative of the sitting's term, naming co-signers."""
    sitting = Sitting.objects.select_related("term__congress").filter(pk=pk).first()
    rep = services.representative_of(request.user, sitting.term) if sitting else None
    if rep is None or rep.role != "formal":
        raise Http404("会议不存在")
    form = ProposalForm(request.POST or None, colleagues=selectors.formal_colleagues(sitting, rep))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            proposal = services.proposal_submit(actor=request.user, sitting=sitting, title=data["title"],
                                                reasons=data["reasons"], measures=data["measures"],
                                                cosigners=list(data["cosigners"]))  # fmt: skip
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, "提案已提出，已通知附议代表确认。")
            return redirect("democracy:proposal_mine", pk=proposal.pk)
    context = {"sitting": sitting, "form": form, "nav": "me"}
    return render(request, "democracy/propose.html", context, status=400 if form.errors else 200)


@login_required
def my_proposals(request):
    context = selectors.my_proposals(request.user) | {"nav": "me", "sittings": selectors.my_sittings(request.user)}
    return render(request, "democracy/my_proposals.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def proposal_mine(request, pk: int):
    """The proposer's or a co-signer's page: confirm the co-signature, read the reply, rate it."""
    proposal = selectors.proposal_for_representative(request.user, pk)
    rate_form = RateForm(request.POST if request.POST.get("action") == "rate" else None)
    error = ""
    if request.method == "POST":
        try:
            if request.POST.get("action") == "cosign":
                services.proposal_cosign(actor=request.user, proposal=proposal)
                messages.success(request, "已确认附议。")
                return redirect("democracy:proposal_mine", pk=pk)
            if request.POST.get("action") == "rate" and rate_form.is_valid():
                services.proposal_rate(actor=request.user, proposal=proposal, **rate_form.cleaned_data)
                messages.success(request, "感谢您的评价。")
                return redirect("democracy:proposal_mine", pk=pk)
            if request.POST.get("action") not in {"cosign", "rate"}:
                error = "操作无效。"
        except (ValidationError, ConflictError) as failure:
            error = error_text(failure)
    person_id = request.user.person_id
    context = {
        "p": proposal, "nav": "me", "error": error, "rate_form": rate_form,
        "is_proposer": proposal.proposer.person_id == person_id,
        "my_signature": proposal.cosigners.filter(representative__person_id=person_id).first(),
        "cosigners": proposal.cosigners.select_related("representative__person").order_by("id"),
    }  # fmt: skip
    failed = request.method == "POST"
    return render(request, "democracy/proposal_mine.html", context, status=400 if failed else 200)


# ----- union elections (换届选举) -----------------------------------------------------------------------------------


@login_required
def elections(request):
    """换届提醒 (core.lists: unions whose committee's term ends within N months, exportable) and the elections
    under way in scope."""
    access.require_cadre(request.user)
    listing = list_rows(request, TERMS_DUE)
    context = {**listing.context(), "filter_form": TERMS_DUE.filter_form(request.GET), "nav": "elections",
               "elections": selectors.elections_visible_to(request.user)[:20]}  # fmt: skip
    return render_list(request, "democracy/elections.html", "democracy/_due_rows.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def election_new(request):
    access.require_cadre(request.user)
    orgs = org_selectors.writable_orgs(request.user)
    initial = {"org": int_param(request.GET.get("org"))} if request.GET.get("org") else None
    form = ElectionForm(request.POST or None, orgs=orgs, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            election = services.election_create(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, "已发起选举。")
            return redirect("democracy:election", pk=election.pk)
    context = {"form": form, "nav": "elections"}
    return render(request, "democracy/election_new.html", context, status=400 if form.errors else 200)


def _election_context(request, election, **forms) -> dict:
    ballot = election.ballot
    items = {i.position: i for i in ballot.items.all()} if ballot else {}
    org = election.org
    decide = (election.status == Election.Status.SUBMITTED and election.case_id is not None
              and org.parent_id is not None and access.can_write(request.user, org.parent))  # fmt: skip
    return {
        "election": election, "ballot": ballot, "nav": "elections",
        "candidates": [(c, items.get(c.position)) for c in election.candidates.select_related("person")],
        "electors": election.electors.count(),
        "recount": recount(ballot) if ballot and ballot.status in (Ballot.Status.CLOSED, Ballot.Status.PUBLISHED)
        else None,
        "majority": rules.majority_needed(election.electorate_total) if election.electorate_total else None,
        "turnout_needed": rules.quorum_needed(election.electorate_total) if election.electorate_total else None,
        "can_write": access.can_write(request.user, org), "can_decide": decide,
        "steps": [(s.at, kind_of(ELECTION).status_label(s.to_status), s.note)
                  for s in election.case.steps.order_by("at", "id")] if election.case_id else [],
        "candidate_form": forms.get("candidate") or CandidateForm(),
        "elector_form": forms.get("elector") or ElectorForm(), "decide_form": forms.get("decide") or DecideForm(),
    }  # fmt: skip


@login_required
def election_detail(request, pk: int):
    election = Election.objects.get_for_read(request.user, pk)
    return render(request, "democracy/election.html", _election_context(request, election))


def _member_by_id(user, id_number: str) -> Person:
    person = Person.objects.in_scope(user).filter(id_number_bidx=id_number_index(id_number)).first()
    if person is None:
        raise ValidationError({"id_number": ValidationError("在您管理的工会中没有这位会员。")})
    return person


@login_required
@require_POST
def election_act(request, pk: int):
    """候选人, 会员代表, 开始投票, 计票, 报批 (the union's writers); 批复 or 退回 (the upper union's)."""
    action = request.POST.get("action")
    if action == "decide":  # the upper-level union: reads the election in its scope, the case checks the level
        election = Election.objects.get_for_read(request.user, pk)
    else:
        election = Election.objects.get_for_write(request.user, pk)
    forms = {"candidate": CandidateForm, "elector": ElectorForm, "decide": DecideForm}
    try:
        if action in forms:
            form = forms[action](request.POST)
            if not form.is_valid():
                context = _election_context(request, election, **{action: form})
                return render(request, "democracy/election.html", context, status=400)
            data = form.cleaned_data
            try:
                if action == "candidate":
                    services.candidate_add(actor=request.user, election=election,
                                           person=_member_by_id(request.user, data["id_number"]),
                                           relation=data["relation"])  # fmt: skip
                elif action == "elector":
                    services.elector_add(actor=request.user, election=election,
                                         person=_member_by_id(request.user, data["id_number"]))  # fmt: skip
                else:
                    services.election_decide(actor=request.user, election=election,
                                             approve=data["decision"] == "approve", note=data["note"])  # fmt: skip
            except ValidationError as error:
                if not hasattr(error, "error_dict"):
                    raise
                form.add_service_error(error)
                context = _election_context(request, election, **{action: form})
                return render(request, "democracy/election.html", context, status=400)
        elif action in {"open", "count", "submit"}:
            service = {"open": services.election_open, "count": services.election_count,
                       "submit": services.election_submit}[action]  # fmt: skip
            service(actor=request.user, election=election)
        else:
            raise ValidationError("操作无效。")
    except (ValidationError, ConflictError) as error:
        messages.error(request, error_text(error))
        return redirect("democracy:election", pk=pk)
    messages.success(request, "已办理。")
    return redirect("democracy:election", pk=pk)


@login_required
@require_http_methods(["GET", "POST"])
def election_vote(request, pk: int):
    """无记名投票 in a union election on the phone (the congress's vote page and receipt)."""
    election = selectors.election_for_elector(request.user, pk)
    ballot = election.ballot
    if ballot is None or ballot.status != Ballot.Status.OPEN:
        return render(request, "democracy/vote.html", {"ballot": ballot, "closed": True, "election": election,
                                                       "nav": "me"})  # fmt: skip
    form = VoteForm(request.POST or None, items=list(ballot.items.all()))
    if request.method == "POST" and form.is_valid():
        try:
            code = services.election_vote(actor=request.user, election=election, choices=form.choices())
        except ValidationError as error:
            form.add_service_error(error)
        else:
            response = render(request, "democracy/receipt.html", {"ballot": ballot, "code": code, "nav": "me"})
            response["Cache-Control"] = "no-store"
            return response
    context = {"ballot": ballot, "form": form, "nav": "me", "election": election}
    return render(request, "democracy/vote.html", context, status=400 if form.errors else 200)


# ----- 厂务公开 ------------------------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def boards(request):
    """厂务公开: the boards in scope with their completeness this year, what is overdue (agendas, results,
    questions), and a new board."""
    access.require_cadre(request.user)
    orgs = org_selectors.writable_orgs(request.user)
    form = BoardForm(request.POST or None, orgs=orgs)
    if request.method == "POST" and form.is_valid():
        try:
            board = services.board_create(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, "已建立厂务公开栏。")
            return redirect("democracy:board", pk=board.pk)
    year = timezone.localdate().year
    rows = [(b, selectors.catalogue_status(b, year)) for b in selectors.boards_visible_to(request.user)[:50]]
    context = {
        "boards": [(b, sum(1 for s in status if s["disclosure"]), len(status)) for b, status in rows],
        "questions": selectors.overdue_questions(request.user)[:50], "form": form, "nav": "boards",
        "sittings": selectors.overdue_sittings(request.user),
        "completeness": selectors.disclosure_completeness(request.user),
    }  # fmt: skip
    return render(request, "democracy/boards.html", context, status=400 if form.errors else 200)


def _board_context(request, board, **forms) -> dict:
    sittings = Sitting.objects.filter(term__congress__org=board.org).order_by("-starts_on")
    status = selectors.catalogue_status(board, timezone.localdate().year)  # read once: the form's choices too
    catalogue = [(s["code"], s["label"]) for s in status]
    disclosures = list(board.disclosures.select_related("sitting").order_by("-posted_on", "-id")[:50])
    return {
        "board": board, "nav": "boards", "status": status,
        "disclosures": [(d, selectors.late_agenda(d)) for d in disclosures],
        "questions": selectors.open_questions(board), "can_write": access.can_write(request.user, board.org),
        "form": forms.get("post") or DisclosureForm(catalogue=catalogue, sittings=sittings),
        "answer_form": AnswerForm(), "error": forms.get("error", ""),
    }  # fmt: skip


@login_required
def board_detail(request, pk: int):
    board = Board.objects.get_for_read(request.user, pk)
    return render(request, "democracy/board.html", _board_context(request, board))


@login_required
@require_POST
def board_act(request, pk: int):
    """公开 a disclosure, or 答复 a worker's question (``action``)."""
    board = Board.objects.get_for_write(request.user, pk)
    action = request.POST.get("action")
    if action == "post":
        sittings = Sitting.objects.filter(term__congress__org=board.org)
        catalogue = [(s["code"], s["label"]) for s in selectors.catalogue_status(board, timezone.localdate().year)]
        form = DisclosureForm(request.POST, catalogue=catalogue, sittings=sittings)
        if form.is_valid():
            try:
                services.disclosure_post(actor=request.user, board=board, **form.cleaned_data)
            except ValidationError as error:
                form.add_service_error(error)
            else:
                messages.success(request, "已公开。")
                return redirect("democracy:board", pk=pk)
        return render(request, "democracy/board.html", _board_context(request, board, post=form), status=400)
    if action == "answer":
        question = Question.objects.filter(disclosure__board=board, pk=int_param(request.POST.get("question"))).first()
        form = AnswerForm(request.POST)
        if question is None or not form.is_valid():
            context = _board_context(request, board, error="请填写答复。")
            return render(request, "democracy/board.html", context, status=400)
        try:
            services.question_answer(actor=request.user, question=question, answer=form.cleaned_data["answer"])
        except (ValidationError, ConflictError) as error:
            messages.error(request, error_text(error))
        else:
            messages.success(request, "已答复，提问职工会收到消息。")
        return redirect("democracy:board", pk=pk)
    messages.error(request, "操作无效。")
    return redirect("democracy:board", pk=pk)


@login_required
@require_http_methods(["GET", "POST"])
def open_affairs(request):
    """The worker's phone page: their employer's disclosures now posted, a question on one, their questions and
    the answers."""
    board = selectors.worker_board(request.user)
    form = QuestionForm(request.POST or None)
    if request.method == "POST" and board is not None and form.is_valid():
        disclosure = selectors.posted_now(board).filter(pk=int_param(request.POST.get("disclosure"))).first()
        try:
            if disclosure is None:
                raise ValidationError("请选择正在公开的事项。")
            services.question_ask(actor=request.user, disclosure=disclosure, text=form.cleaned_data["text"])
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, "已提交，工会将在 30 日内答复。")
            return redirect("democracy:open_affairs")
    context = {"board": board, "posted": selectors.posted_now(board) if board else [], "form": form, "nav": "me",
               "mine": selectors.my_questions(request.user)[:20]}  # fmt: skip
    return render(request, "democracy/open_affairs.html", context, status=400 if form.errors else 200)
