"""产业工人 pages: competitions, an event's ranking with its appeals and certificates; the judge's phone pages
(assignments, score sheet, withdrawal, signing; the arbiter's appeals); the public certificate check; the model
worker registry and its yearly care; selection rounds with their list check and 两审三公示; studios. Views
validate and call services or selectors."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from gonghui.cases.kinds import kind_of
from gonghui.cases.selectors import moves
from gonghui.core.audit import audit_record
from gonghui.core.errors import ConflictError
from gonghui.core.lists import list_rows, render_list
from gonghui.core.ratelimit import rate_limit
from gonghui.orgs import access
from gonghui.orgs.models import Org
from gonghui.workforce import certificates, quotas, selectors, services
from gonghui.workforce.cases import NOMINATION
from gonghui.workforce.forms import (
    AppealForm,
    CareDoneForm,
    CareOpenForm,
    RecusalForm,
    RulingForm,
    ScoreForm,
    StepForm,
    SubmitForm,
)
from gonghui.workforce.lists import CARE, COMPETITIONS, MODEL_WORKERS, STUDIOS
from gonghui.workforce.models import (
    Appeal,
    CareItem,
    Certificate,
    Competition,
    Competitor,
    Entry,
    Event,
    Judge,
    Nomination,
)
from gonghui.workforce.models import SelectionRound as Round
from gonghui.workforce.policy import workforce_policy
from gonghui.workforce.scoring import appeal_open


def _errors(error: ValidationError) -> str:
    return "；".join(error.messages)


def _form_errors(form) -> str:
    return "；".join(e for errors in form.errors.values() for e in errors)


def _list(request, spec, template: str, partial: str, **extra):
    access.require_cadre(request.user)
    listing = list_rows(request, spec)
    context = {**listing.context(), "filter_form": spec.filter_form(request.GET), "nav": "workforce", **extra}
    return render_list(request, template, partial, context)


def _writable_orgs(user):
    return Org.objects.filter(access.scope_q(user, roles=access.WRITE_ROLES)).order_by("path")


# ----- competitions -------------------------------------------------------------------------------------------------


@login_required
def competition_list(request):
    """技能竞赛 in scope, by year and name, exportable."""
    return _list(request, COMPETITIONS, "workforce/competitions.html", "workforce/_competitions.html",
                 tab="competitions")  # fmt: skip


@login_required
def competition_detail(request, pk: int):
    competition = Competition.objects.get_for_read(request.user, pk)
    context = {"competition": competition, "events": selectors.events_of(competition), "nav": "workforce",
               "tab": "competitions"}  # fmt: skip
    return render(request, "workforce/competition.html", context)


@login_required
def event_detail(request, pk: int):
    """The event: ranking (prize tiers, honours), judges and whether they signed, appeals, certificates."""
    event = Event.objects.get_for_read(request.user, pk)
    board = selectors.ranking(event)
    now = timezone.now()
    context = {
        "event": event, "competition": event.competition, "board": board,
        "judges": event.judges.order_by("role", "pk"), "appeals": selectors.appeals_of(event),
        "can_write": access.can_write(request.user, event.competition.org),
        "appeal_open": appeal_open(event.ended_at, now, workforce_policy().appeal_hours),
        "certificates": Certificate.objects.filter(competitor__entry__event=event).select_related(
            "competitor__person").order_by("place", "pk"),
        "appeal_form": AppealForm(), "nav": "workforce", "tab": "competitions",
    }  # fmt: skip
    return render(request, "workforce/event.html", context)


@login_required
@require_POST
def event_end(request, pk: int):
    event = Event.objects.get_for_read(request.user, pk)
    try:
        services.event_end(actor=request.user, event=event)
    except ConflictError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "比赛已结束，申诉期开始计算。")
    return redirect("workforce:event", pk=pk)


@login_required
@require_POST
def appeal_lodge(request, pk: int):
    event = Event.objects.get_for_read(request.user, pk)
    form = AppealForm(request.POST)
    if not form.is_valid():
        messages.error(request, _form_errors(form))
        return redirect("workforce:event", pk=pk)
    entry = get_object_or_404(Entry, pk=form.cleaned_data["entry"], event=event)
    try:
        services.appeal_lodge(actor=request.user, entry=entry, text=form.cleaned_data["text"])
    except ValidationError as error:
        messages.error(request, _errors(error))
    else:
        messages.success(request, "已登记申诉，待仲裁委员会裁决。")
    return redirect("workforce:event", pk=pk)


@login_required
@require_POST
def certificates_issue(request, pk: int):
    event = Event.objects.get_for_read(request.user, pk)
    try:
        made = services.certificates_issue(actor=request.user, event=event)
    except ValidationError as error:
        messages.error(request, _errors(error))
    except ConflictError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"已颁发 {made} 张证书。")
    return redirect("workforce:event", pk=pk)


def verify_url(request, certificate: Certificate) -> str:
    return request.build_absolute_uri(reverse("workforce:verify", args=[certificates.certificate_code(certificate)]))


@login_required
@require_GET
def certificate_pdf(request, pk: int):
    """The certificate as a PDF: for its holder, or a cadre whose scope holds the competition (audited)."""
    related = ("competitor__person", "competitor__entry__event__competition__org")
    certificate = Certificate.objects.select_related(*related).filter(pk=pk).first()
    if certificate is None:
        raise Http404("证书不存在")
    org = certificate.competitor.entry.event.competition.org
    own = request.user.person_id is not None and request.user.person_id == certificate.competitor.person_id
    if not own:
        Competition.objects.get_for_read(request.user, certificate.competitor.entry.event.competition_id)
    body = certificates.pdf(certificate, verify_url(request, certificate))
    audit_record(actor=request.user, action="workforce.certificate_download", obj=certificate, org=org)
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="certificate-{certificate.pk}.pdf"'
    return response


@require_GET
@rate_limit(scope="certificate_verify", limit=certificates.VERIFY_LIMIT, window_seconds=60, methods=("GET",))
def verify(request, code: str):
    """The public page a certificate's QR code opens: real or not, and what it certifies (holder masked)."""
    return render(request, "workforce/verify.html", {"result": certificates.verify(code)})


# ----- judges (phone) -----------------------------------------------------------------------------------------------


@login_required
def judging(request):
    """裁判评分: the events the signed-in account judges or arbitrates."""
    return render(request, "workforce/judging.html", {"judgings": selectors.judgings_of(request.user), "nav": "me"})


def _sheet_context(judge: Judge, form=None) -> dict:
    lines = selectors.sheet(judge)
    return {"judge": judge, "event": judge.event, "lines": lines, "form": form,
            "scored": sum(1 for line in lines if line.score), "withdrawn": selectors.withdrawn_entries(judge),
            "entries": judge.event.entries.order_by("number"), "recusal_form": RecusalForm(), "nav": "me",
            "appeals": selectors.appeals_of(judge.event) if judge.role == Judge.Role.ARBITER else None,
            "ruling_form": RulingForm()}  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def sheet(request, pk: int):
    """The judge's score sheet on the phone: a score per competitor (a reason once signed); the arbiter's appeals."""
    judge = selectors.own_judge(request.user, pk)
    form = ScoreForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        competitor = Competitor.objects.filter(pk=form.cleaned_data["competitor"], entry__event=judge.event).first()
        if competitor is None:
            raise Http404("选手不存在")
        try:
            services.score_set(actor=request.user, judge=judge, competitor=competitor,
                               value=form.cleaned_data["value"], reason=form.cleaned_data["reason"])  # fmt: skip
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, f"已记录 {competitor.entry.number:03d} 号选手的评分。")
            return redirect("workforce:sheet", pk=pk)
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "workforce/sheet.html", _sheet_context(judge, form if form.is_bound else None),
                  status=status)  # fmt: skip


@login_required
@require_POST
def sign(request, pk: int):
    judge = selectors.own_judge(request.user, pk)
    try:
        services.sheet_sign(actor=request.user, judge=judge)
    except ValidationError as error:
        messages.error(request, _errors(error))
    except ConflictError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "已签字确认，评分已锁定；此后修改须填写理由。")
    return redirect("workforce:sheet", pk=pk)


@login_required
@require_POST
def recuse(request, pk: int):
    judge = selectors.own_judge(request.user, pk)
    form = RecusalForm(request.POST)
    if not form.is_valid():
        messages.error(request, _form_errors(form))
        return redirect("workforce:sheet", pk=pk)
    entry = get_object_or_404(Entry, pk=form.cleaned_data["entry"], event=judge.event)
    try:
        services.recusal_declare(actor=request.user, judge=judge, entry=entry, relation=form.cleaned_data["relation"])
    except ValidationError as error:
        messages.error(request, _errors(error))
    else:
        messages.success(request, f"已声明回避 {entry.number:03d} 号，您不再为其评分。")
    return redirect("workforce:sheet", pk=pk)


@login_required
@require_POST
def appeal_rule(request, pk: int, appeal_pk: int):
    judge = selectors.own_judge(request.user, pk)
    appeal = get_object_or_404(Appeal, pk=appeal_pk, entry__event=judge.event)
    form = RulingForm(request.POST)
    if not form.is_valid():
        messages.error(request, _form_errors(form))
        return redirect("workforce:sheet", pk=pk)
    try:
        services.appeal_rule(actor=request.user, appeal=appeal, **form.cleaned_data)
    except ValidationError as error:
        messages.error(request, _errors(error))
    except ConflictError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "已裁决。")
    return redirect("workforce:sheet", pk=pk)


# ----- model workers and care -------------------------------------------------------------------------------------


@login_required
def model_worker_list(request):
    return _list(request, MODEL_WORKERS, "workforce/model_workers.html", "workforce/_model_workers.html",
                 tab="model_workers")  # fmt: skip


@login_required
def care_list(request):
    """The year's care to-do of the model workers in scope, with what was done."""
    year = CARE.clean_filters(request.GET).get("year") or timezone.localdate().year
    open_form = CareOpenForm(initial={"year": year}, orgs=_writable_orgs(request.user))
    return _list(request, CARE, "workforce/care.html", "workforce/_care.html", tab="care", year=year,
                 open_form=open_form, done_form=CareDoneForm(initial={"done_on": timezone.localdate()}))  # fmt: skip


@login_required
@require_POST
def care_open(request):
    access.require_cadre(request.user)
    form = CareOpenForm(request.POST, orgs=_writable_orgs(request.user))
    if not form.is_valid():
        messages.error(request, _form_errors(form))
        return redirect("workforce:care")
    try:
        made = services.care_year_open(actor=request.user, **form.cleaned_data)
    except ValidationError as error:
        messages.error(request, _errors(error))
    else:
        messages.success(request, f"已生成 {made} 项关爱计划。")
    return redirect(f"{reverse('workforce:care')}?year={form.cleaned_data['year']}")


@login_required
@require_POST
def care_done(request, pk: int):
    item = CareItem.objects.get_for_read(request.user, pk)
    form = CareDoneForm(request.POST)
    if not form.is_valid():
        messages.error(request, _form_errors(form))
    else:
        try:
            services.care_done(actor=request.user, item=item, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, _errors(error))
        except ConflictError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, "已登记完成。")
    return redirect(f"{reverse('workforce:care')}?year={item.year}")


# ----- selection rounds -------------------------------------------------------------------------------------------


@login_required
def round_list(request):
    access.require_cadre(request.user)
    context = {"rounds": selectors.rounds_visible_to(request.user), "nav": "workforce", "tab": "rounds"}
    return render(request, "workforce/rounds.html", context)


def _round_for_read(user, pk: int) -> Round:
    """A round the user organises, or one they may nominate for (a union of theirs inside the round's subtree)."""
    access.require_cadre(user)
    row = Round.objects.filter(pk=pk).select_related("org").first()
    if row is None:
        raise Http404("评选不存在")
    if access.grant_covering(user, row.org) is None and not any(
        o.path.startswith(row.org.path) for o in access.top_orgs(user)
    ):
        raise Http404("评选不存在")
    return row


@login_required
def round_detail(request, pk: int):
    """The round: the lists per union with the quota and share check, and each nomination's 两审三公示 steps."""
    round_ = _round_for_read(request.user, pk)
    nominations = list(selectors.nominations_of(request.user, round_))
    kind = kind_of(NOMINATION)
    for n in nominations:
        n.moves = moves(n.case, request.user) if n.case else []
        n.status_label = kind.status_label(n.status) if n.case else "待报送"
        n.notice = n.case.notices.order_by("-opens_on", "-pk").first() if n.case else None
    for n in nominations:
        n.category_labels = "、".join(quotas.CATEGORIES.get(c, c) for c in n.categories)
    drafts = sorted({n.org for n in nominations if n.case is None}, key=lambda o: o.path)
    rules = [quotas.rule_from(r) for r in round_.share_rules]
    checks = [(org, services.list_check(round_, org), access.can_write(request.user, org),
               quotas.shares([frozenset(n.categories) for n in nominations if n.org == org and n.case is None], rules))
              for org in drafts]  # fmt: skip
    context = {"round": round_, "nominations": nominations, "checks": checks, "nav": "workforce", "tab": "rounds",
               "today": timezone.localdate()}  # fmt: skip
    return render(request, "workforce/round.html", context)


@login_required
@require_POST
def round_submit(request, pk: int):
    round_ = _round_for_read(request.user, pk)
    form = SubmitForm(request.POST, orgs=_writable_orgs(request.user))
    if not form.is_valid():
        messages.error(request, _form_errors(form))
        return redirect("workforce:round", pk=pk)
    try:
        made = services.list_submit(actor=request.user, round=round_, org=form.cleaned_data["org"])
    except ValidationError as error:
        messages.error(request, _errors(error))
    else:
        messages.success(request, f"已报送 {made} 人，进入基层公示。")
    return redirect("workforce:round", pk=pk)


@login_required
@require_POST
def nomination_step(request, pk: int):
    nomination = Nomination.objects.filter(pk=pk).select_related("round", "case", "case__org").first()
    if nomination is None or nomination.case is None:
        raise Http404("推荐不存在")
    _round_for_read(request.user, nomination.round_id)
    form = StepForm(request.POST)
    if not form.is_valid():
        messages.error(request, _form_errors(form))
    else:
        try:
            services.nomination_advance(actor=request.user, nomination=nomination, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, _errors(error))
        except ConflictError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, "已办理。")
    return redirect("workforce:round", pk=nomination.round_id)


# ----- studios ------------------------------------------------------------------------------------------------------


@login_required
def studio_list(request):
    access.require_cadre(request.user)
    return _list(request, STUDIOS, "workforce/studios.html", "workforce/_studios.html", tab="studios",
                 by_level=selectors.studios_by_level(request.user))  # fmt: skip
