"""产业工人 pages: competitions, an event's ranking with its appeals and certificates; the judge's phone pages
(assignments, score sheet, withdrawal, signing; the arbiter's appeals); the public certificate check; the model
worker registry and its yearly care; selection rounds with their list check and 两审三公示; studios. Views
validate and call services or selectors."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from gonghui.accounts.models import User
from gonghui.cases.kinds import kind_of
from gonghui.cases.selectors import moves
from gonghui.core import crypto, files
from gonghui.core.audit import audit_record
from gonghui.core.errors import ConflictError
from gonghui.core.lists import list_rows, render_list
from gonghui.core.ratelimit import rate_limit
from gonghui.core.sealed import id_number_index
from gonghui.core.web import flashed, form_errors
from gonghui.finance.money import parse_yuan, yuan
from gonghui.members.models import Person
from gonghui.orgs import access
from gonghui.orgs import selectors as org_selectors
from gonghui.workforce import certificates, quotas, selectors, services
from gonghui.workforce.cases import I_ASSESSED, I_REWARDED, INNOVATION, NOMINATION
from gonghui.workforce.forms import (
    AchievementForm,
    AllianceForm,
    AppealForm,
    CareDoneForm,
    CareOpenForm,
    CompetitionForm,
    EntryForm,
    EvaluationForm,
    EventForm,
    HardshipFlagForm,
    HonourForm,
    InnovationEntryForm,
    InnovationForm,
    InnovationStepForm,
    JudgeForm,
    ModelWorkerForm,
    NominationForm,
    PublicityForm,
    RecusalForm,
    RestBatchForm,
    RestEnrolForm,
    RoundForm,
    RulingForm,
    ScoreForm,
    StepForm,
    StudioForm,
    SubmitForm,
    UnitCheckForm,
    looks_like_id_number,
)
from gonghui.workforce.lists import CARE, COMPETITIONS, INNOVATIONS, MODEL_WORKERS, REST_BATCHES, STUDIOS
from gonghui.workforce.models import (
    UNIT_TITLES,
    Appeal,
    CareItem,
    Certificate,
    Competition,
    Competitor,
    Entry,
    Event,
    Judge,
    ModelWorker,
    Nomination,
    Publicity,
    RestBatch,
    Studio,
    UnitCheck,
)
from gonghui.workforce.models import SelectionRound as Round
from gonghui.workforce.policy import workforce_policy
from gonghui.workforce.scoring import appeal_open


def _list(request, spec, template: str, partial: str, **extra):
    access.require_cadre(request.user)
    listing = list_rows(request, spec)
    context = {**listing.context(), "filter_form": spec.filter_form(request.GET), "nav": "workforce",
               "can_add": org_selectors.writable_orgs(request.user).exists(), **extra}  # fmt: skip
    return render_list(request, template, partial, context)


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
               "tab": "competitions", "can_write": access.can_write(request.user, competition.org)}  # fmt: skip
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
    with flashed(request, "比赛已结束，申诉期开始计算。"):
        services.event_end(actor=request.user, event=event)
    return redirect("workforce:event", pk=pk)


@login_required
@require_POST
def appeal_lodge(request, pk: int):
    event = Event.objects.get_for_read(request.user, pk)
    form = AppealForm(request.POST)
    if not form.is_valid():
        messages.error(request, form_errors(form))
        return redirect("workforce:event", pk=pk)
    entry = get_object_or_404(Entry, pk=form.cleaned_data["entry"], event=event)
    with flashed(request, "已登记申诉，待仲裁委员会裁决。"):
        services.appeal_lodge(actor=request.user, entry=entry, text=form.cleaned_data["text"])
    return redirect("workforce:event", pk=pk)


@login_required
@require_POST
def certificates_issue(request, pk: int):
    event = Event.objects.get_for_read(request.user, pk)
    with flashed(request) as outcome:
        made = services.certificates_issue(actor=request.user, event=event)
        outcome.success = f"已颁发 {made} 张证书。"
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
    with flashed(request, "已签字确认，评分已锁定；此后修改须填写理由。"):
        services.sheet_sign(actor=request.user, judge=judge)
    return redirect("workforce:sheet", pk=pk)


@login_required
@require_POST
def recuse(request, pk: int):
    judge = selectors.own_judge(request.user, pk)
    form = RecusalForm(request.POST)
    if not form.is_valid():
        messages.error(request, form_errors(form))
        return redirect("workforce:sheet", pk=pk)
    entry = get_object_or_404(Entry, pk=form.cleaned_data["entry"], event=judge.event)
    with flashed(request, f"已声明回避 {entry.number:03d} 号，您不再为其评分。"):
        services.recusal_declare(actor=request.user, judge=judge, entry=entry, relation=form.cleaned_data["relation"])
    return redirect("workforce:sheet", pk=pk)


@login_required
@require_POST
def appeal_rule(request, pk: int, appeal_pk: int):
    judge = selectors.own_judge(request.user, pk)
    appeal = get_object_or_404(Appeal, pk=appeal_pk, entry__event=judge.event)
    form = RulingForm(request.POST)
    if not form.is_valid():
        messages.error(request, form_errors(form))
        return redirect("workforce:sheet", pk=pk)
    with flashed(request, "已裁决。"):
        services.appeal_rule(actor=request.user, appeal=appeal, **form.cleaned_data)
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
    open_form = CareOpenForm(initial={"year": year}, orgs=org_selectors.writable_orgs(request.user))
    return _list(request, CARE, "workforce/care.html", "workforce/_care.html", tab="care", year=year,
                 open_form=open_form, done_form=CareDoneForm(initial={"done_on": timezone.localdate()}))  # fmt: skip


@login_required
@require_POST
def care_open(request):
    access.require_cadre(request.user)
    form = CareOpenForm(request.POST, orgs=org_selectors.writable_orgs(request.user))
    if not form.is_valid():
        messages.error(request, form_errors(form))
        return redirect("workforce:care")
    with flashed(request) as outcome:
        made = services.care_year_open(actor=request.user, **form.cleaned_data)
        outcome.success = f"已生成 {made} 项关爱计划。"
    return redirect(f"{reverse('workforce:care')}?year={form.cleaned_data['year']}")


@login_required
@require_POST
def care_done(request, pk: int):
    item = CareItem.objects.get_for_read(request.user, pk)
    form = CareDoneForm(request.POST)
    if not form.is_valid():
        messages.error(request, form_errors(form))
    else:
        with flashed(request, "已登记完成。"):
            services.care_done(actor=request.user, item=item, **form.cleaned_data)
    return redirect(f"{reverse('workforce:care')}?year={item.year}")


# ----- selection rounds -------------------------------------------------------------------------------------------


@login_required
def round_list(request):
    access.require_cadre(request.user)
    context = {"rounds": selectors.rounds_visible_to(request.user), "nav": "workforce", "tab": "rounds",
               "can_add": org_selectors.writable_orgs(request.user).exists()}  # fmt: skip
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
    nominations = list(selectors.nominations_of(request.user, round_).select_related("employer"))
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
    can_nominate = org_selectors.writable_orgs(request.user).filter(path__startswith=round_.org.path).exists()
    context = {"round": round_, "nominations": nominations, "checks": checks, "nav": "workforce", "tab": "rounds",
               "today": timezone.localdate(), "unit_title": round_.title in UNIT_TITLES,
               "can_nominate": can_nominate}  # fmt: skip
    return render(request, "workforce/round.html", context)


@login_required
@require_POST
def round_submit(request, pk: int):
    round_ = _round_for_read(request.user, pk)
    form = SubmitForm(request.POST, orgs=org_selectors.writable_orgs(request.user))
    if not form.is_valid():
        messages.error(request, form_errors(form))
        return redirect("workforce:round", pk=pk)
    with flashed(request) as outcome:
        made = services.list_submit(actor=request.user, round=round_, org=form.cleaned_data["org"])
        outcome.success = f"已报送 {made} 人，进入基层公示。"
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
        messages.error(request, form_errors(form))
    else:
        with flashed(request, "已办理。"):
            services.nomination_advance(actor=request.user, nomination=nomination, **form.cleaned_data)
    return redirect("workforce:round", pk=nomination.round_id)


# ----- studios ------------------------------------------------------------------------------------------------------


@login_required
def studio_list(request):
    access.require_cadre(request.user)
    return _list(request, STUDIOS, "workforce/studios.html", "workforce/_studios.html", tab="studios",
                 by_level=selectors.studios_by_level(request.user))  # fmt: skip


# ----- the cadre's entry pages: competitions, events, entries, judges, model workers, studios, rounds --------------


def _form_page(request, form, *, title: str, back: str, save, done: str, intro: str = "", template="form", **extra):
    """GET shows the form; a valid POST calls ``save(cleaned_data)`` (a service, in one transaction) and goes to the
    URL it returns; a service's error lands on its field and nothing is saved (status 400)."""
    if request.method == "POST" and form.is_valid():
        try:
            target = save(form.cleaned_data)
        except ValidationError as error:
            form.add_service_error(error)
        except ConflictError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, done)
            return redirect(target)
    context = {"form": form, "title": title, "back": back, "intro": intro, "nav": "workforce", **extra}
    return render(request, f"workforce/{template}.html", context, status=400 if form.errors else 200)


def _person_by_id_number(user, number: str, field: str) -> Person:
    person = Person.objects.in_scope(user).filter(id_number_bidx=id_number_index(number)).first()
    if person is None:
        raise ValidationError({field: ValidationError("在您管理的工会中没有这位会员。")})
    return person


def _require_writer(user):
    """The entry pages that choose a union: a cadre with a write role somewhere (the read-only role gets 403)."""
    access.require_cadre(user)
    orgs = org_selectors.writable_orgs(user)
    if not orgs.exists():
        raise PermissionDenied("您没有登记的权限。")
    return orgs


@login_required
@require_http_methods(["GET", "POST"])
def competition_new(request):
    """登记竞赛 at a union the user writes for."""
    orgs = _require_writer(request.user)
    form = CompetitionForm(request.POST or None, orgs=orgs, initial={"year": timezone.localdate().year})
    del form.fields["version"]

    def save(data):
        competition = services.competition_create(actor=request.user, **data)
        return reverse("workforce:competition", args=[competition.pk])

    return _form_page(request, form, tab="competitions",
                      title="登记技能竞赛", back=reverse("workforce:competitions"), save=save,
                      done="竞赛已登记，请增加竞赛项目。")  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def competition_edit(request, pk: int):
    competition = Competition.objects.get_for_read(request.user, pk)
    access.require_write(request.user, competition.org)
    initial = {"name": competition.name, "year": competition.year, "theory_weight": competition.theory_weight,
               "award_shares": ",".join(map(str, competition.award_shares)),
               "version": competition.version}  # fmt: skip
    form = CompetitionForm(request.POST or None, initial=initial)
    del form.fields["org"]
    form.fields["version"].required = True

    def save(data):
        services.competition_update(actor=request.user, competition=competition, **data)
        return reverse("workforce:competition", args=[pk])

    return _form_page(request, form, tab="competitions",
                      title=f"修改竞赛：{competition.name}", save=save, done="已保存。",
                      back=reverse("workforce:competition", args=[pk]))  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def event_new(request, pk: int):
    competition = Competition.objects.get_for_read(request.user, pk)
    access.require_write(request.user, competition.org)
    form = EventForm(request.POST or None)

    def save(data):
        event = services.event_add(actor=request.user, competition=competition, **data)
        return reverse("workforce:event", args=[event.pk])

    return _form_page(request, form, tab="competitions",
                      title=f"增加竞赛项目：{competition.name}", save=save, done="项目已增加。",
                      back=reverse("workforce:competition", args=[pk]))  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def entry_new(request, pk: int):
    """报名: an individual, or a team of three, each found by ID number among the members in the user's scope."""
    event = Event.objects.get_for_read(request.user, pk)
    access.require_write(request.user, event.competition.org)
    candidates = {}
    for i in range(event.team_size):
        typed = request.POST.get(f"id_number_{i}", "").strip()
        if typed and not looks_like_id_number(typed):
            candidates[i] = [(m.person_id, f"{m.person.name}（{m.org.name}，{m.person.id_number_masked}）")
                             for m in selectors.entrant_candidates(request.user, event.competition, typed)]  # fmt: skip
    form = EntryForm(request.POST or None, team_size=event.team_size, candidates=candidates)

    def save(data):
        people = [_person_by_id_number(request.user, value, f"id_number_{i}") if how == "id"
                  else Person.objects.get(pk=value) for i, (how, value) in enumerate(data["entrants"])]  # fmt: skip
        services.entry_register(actor=request.user, event=event, name=data["name"], unit=data["unit"],
                                person_ids=[p.pk for p in people])  # fmt: skip
        return reverse("workforce:event", args=[pk])

    intro = "团体赛每队 3 人，队员须是您管理范围内的会员。" if event.is_team else "选手须是您管理范围内的会员。"
    intro += "可按姓名、拼音首字母或身份证号查找；同名时在列表中选择。"
    return _form_page(request, form, tab="competitions",
                      title=f"报名：{event}", save=save, done="已报名。", intro=intro,
                      back=reverse("workforce:event", args=[pk]))  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def judge_new(request, pk: int):
    """聘任裁判或仲裁委员: an account (the judge signs in with it to score on the phone)."""
    event = Event.objects.get_for_read(request.user, pk)
    access.require_write(request.user, event.competition.org)
    form = JudgeForm(request.POST or None)

    def save(data):
        user = User.objects.filter(username=data.pop("username"), is_active=True).first()
        services.judge_appoint(actor=request.user, event=event, user=user, **data)
        return reverse("workforce:event", args=[pk])

    return _form_page(request, form, tab="competitions",
                      title=f"聘任裁判：{event}", save=save, done="已聘任。",
                      intro="裁判用自己的账号登录，在手机上评分；仲裁委员裁决申诉。",
                      back=reverse("workforce:event", args=[pk]))  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def model_worker_new(request):
    """劳模登记: the member by ID number, the first honour with it (one transaction)."""
    orgs = _require_writer(request.user)
    form = ModelWorkerForm(request.POST or None, orgs=orgs)

    def save(data):
        person = _person_by_id_number(request.user, data.pop("id_number"), "id_number")
        services.model_worker_register(actor=request.user, person=person, **data)
        return reverse("workforce:model_workers")

    return _form_page(request, form, tab="model_workers",
                      title="登记劳模", back=reverse("workforce:model_workers"), save=save,
                      done="已登记到劳模名册。")  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def honour_new(request, pk: int):
    worker = ModelWorker.objects.get_for_read(request.user, pk)
    access.require_write(request.user, worker.org)
    form = HonourForm(request.POST or None)

    def save(data):
        services.honour_add(actor=request.user, model_worker=worker, **data)
        return reverse("workforce:model_workers")

    return _form_page(request, form, tab="model_workers",
                      title=f"登记荣誉称号：{worker.person.name}", save=save, done="已登记。",
                      back=reverse("workforce:model_workers"))  # fmt: skip


def _workers(user):
    return selectors.model_workers_visible_to(user).select_related("person")


@login_required
@require_http_methods(["GET", "POST"])
def studio_new(request):
    orgs = _require_writer(request.user)
    form = StudioForm(request.POST or None, orgs=orgs, workers=_workers(request.user),
                      initial={"named_year": timezone.localdate().year})  # fmt: skip

    def save(data):
        studio = services.studio_create(actor=request.user, **data)
        return reverse("workforce:studio_edit", args=[studio.pk])

    return _form_page(request, form, tab="studios",
                      title="命名创新工作室", back=reverse("workforce:studios"), save=save,
                      done="工作室已登记，可继续登记成果。")  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def studio_edit(request, pk: int):
    """The studio's details, and its achievements (added below, one at a time)."""
    studio = Studio.objects.get_for_read(request.user, pk)
    access.require_write(request.user, studio.org)
    fields = ("name", "level", "leader", "leader_name", "field", "host_employer", "members", "named_year")
    form = StudioForm(request.POST or None, workers=_workers(request.user), edit=True,
                      initial={f: getattr(studio, f) for f in fields})  # fmt: skip

    def save(data):
        services.studio_update(actor=request.user, studio=studio, **data)
        return reverse("workforce:studio_edit", args=[pk])

    return _form_page(request, form, tab="studios",
                      title=f"修改工作室：{studio.name}", save=save, done="已保存。",
                      back=reverse("workforce:studios"), template="studio_form", studio=studio,
                      achievements=studio.achievements.order_by("-year", "-pk"),
                      achievement_form=AchievementForm(initial={"year": timezone.localdate().year}),
                      evaluations=selectors.evaluations_of(studio),
                      evaluation_form=EvaluationForm(initial={"year": timezone.localdate().year - 1,
                                                              "evaluated_on": timezone.localdate()}))  # fmt: skip


@login_required
@require_POST
def achievement_new(request, pk: int):
    studio = Studio.objects.get_for_read(request.user, pk)
    form = AchievementForm(request.POST)
    if not form.is_valid():
        messages.error(request, form_errors(form))
    else:
        with flashed(request, "成果已登记。"):
            services.achievement_add(actor=request.user, studio=studio, **form.cleaned_data)
    return redirect("workforce:studio_edit", pk=pk)


@login_required
@require_http_methods(["GET", "POST"])
def round_new(request):
    """发布评选: quotas by union name inside the organising union's subtree, share rules per category."""
    orgs = _require_writer(request.user)
    form = RoundForm(request.POST or None, orgs=orgs, initial={"year": timezone.localdate().year})

    def save(data):
        org, by_org = data["org"], {}
        for name, number in data.pop("quotas"):
            by_org[selectors.quota_union(org, name).pk] = number
        row = services.round_create(actor=request.user, quotas_by_org=by_org, **data)
        return reverse("workforce:round", args=[row.pk])

    return _form_page(request, form, tab="rounds",
                      title="发布评选", back=reverse("workforce:rounds"), save=save,
                      done="评选已发布，下级工会可以推荐人选。", template="round_form")  # fmt: skip


# ----- 五小 innovations and 合理化建议 --------------------------------------------------------------------------------


@login_required
def innovation_list(request):
    return _list(request, INNOVATIONS, "workforce/innovations.html", "workforce/_innovations.html", tab="innovations",
                 figures={"adopted": selectors.innovations_adopted_count(request.user),
                          "benefit": f"{selectors.innovations_benefit(request.user):,.2f}"})  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def innovation_new(request):
    """干部录入 a worker's idea handed in on paper: the union, the worker by ID number among its members."""
    orgs = _require_writer(request.user)
    form = InnovationEntryForm(request.POST or None, orgs=orgs)

    def save(data):
        person = _person_by_id_number(request.user, data.pop("id_number"), "id_number")
        row = services.innovation_enter(actor=request.user, person=person, **data)
        return reverse("workforce:innovation", args=[row.pk])

    return _form_page(request, form, tab="innovations", title="录入五小创新或合理化建议",
                      back=reverse("workforce:innovations"), save=save, done="已录入，进入初审。",
                      intro="职工也可以在手机上“一网通办—五小创新”自行提交。")  # fmt: skip


def _innovation_context(innovation) -> dict:
    kind = kind_of(INNOVATION)
    steps = list(innovation.case.steps.order_by("at", "pk"))
    for step in steps:
        step.label = kind.status_label(step.to_status)
    return {"innovation": innovation, "status_label": innovation.status_label, "steps": steps,
            "benefit": None if innovation.benefit_fen is None else yuan(innovation.benefit_fen),
            "reward": None if innovation.reward_fen is None else yuan(innovation.reward_fen)}  # fmt: skip


@login_required
def innovation_detail(request, pk: int):
    innovation = selectors.innovation_for_read(request.user, pk)
    context = _innovation_context(innovation) | {"moves": moves(innovation.case, request.user), "nav": "workforce",
                                                 "tab": "innovations",
                                                 "amount_steps": (I_ASSESSED, I_REWARDED)}  # fmt: skip
    return render(request, "workforce/innovation.html", context)


@login_required
@require_POST
def innovation_step(request, pk: int):
    """初审、评审（采纳或不予采纳）、核定效益（元）、发放奖励（元）."""
    innovation = selectors.innovation_for_read(request.user, pk)
    form = InnovationStepForm(request.POST)
    if not form.is_valid():
        messages.error(request, form_errors(form))
        return redirect("workforce:innovation", pk=pk)
    data = form.cleaned_data
    amount = data.pop("amount").strip()
    with flashed(request, "已办理。"):
        fen = parse_yuan(amount, "amount", allow_zero=data["to"] == I_ASSESSED) if amount else None
        money = {"benefit_fen": fen} if data["to"] == I_ASSESSED else {"reward_fen": fen}
        services.innovation_advance(actor=request.user, innovation=innovation, **data, **money)
    return redirect("workforce:innovation", pk=pk)


@login_required
def my_innovations(request):
    """The worker's own ideas on the phone, with a button to submit one."""
    rows = selectors.own_innovations(request.user)
    return render(request, "workforce/my_innovations.html", {"rows": rows, "nav": "me"})


@login_required
@require_http_methods(["GET", "POST"])
def my_innovation_new(request):
    """职工提交 from the phone, to the union of their membership."""
    if not request.user.person_id:
        raise PermissionDenied("只有会员可以提交。")
    form = InnovationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            row = services.innovation_submit(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, f"已提交给{row.org.name}，办理进展会通过消息通知您。")
            return redirect("workforce:my_innovation", pk=row.pk)
    return render(request, "workforce/my_innovation_new.html", {"form": form, "nav": "me"},
                  status=400 if form.errors else 200)  # fmt: skip


@login_required
def my_innovation(request, pk: int):
    innovation = selectors.own_innovation(request.user, pk)
    return render(request, "workforce/my_innovation.html", _innovation_context(innovation) | {"nav": "me"})


# ----- nominations from a page, a unit's exclusion checks ---------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def nomination_new(request, pk: int):
    """推荐 onto a union's draft list: a member by ID number, or for a unit's title a unit by its credit code or
    full name (then its exclusion checks on the nomination's page)."""
    round_ = _round_for_read(request.user, pk)
    orgs = org_selectors.writable_orgs(request.user).filter(path__startswith=round_.org.path)
    if not orgs.exists():
        raise PermissionDenied("您没有为本次评选推荐的权限。")
    unit_title = round_.title in UNIT_TITLES
    form = NominationForm(request.POST or None, orgs=orgs, unit_title=unit_title)

    def save(data):
        if unit_title:
            data["employer"], data["categories"] = selectors.employer_named(data["employer"]), []
        else:
            data["person"] = _person_by_id_number(request.user, data.pop("id_number"), "id_number")
        row = services.nomination_add(actor=request.user, round=round_, **data)
        return reverse("workforce:nomination", args=[row.pk]) if unit_title else reverse("workforce:round", args=[pk])

    intro = ("推荐单位须逐项核查排除情形并上传证明材料后，名单才能报送。" if unit_title
             else "推荐人选须是您所管理工会的会员。")  # fmt: skip
    return _form_page(request, form, tab="rounds", title=f"推荐：{round_.name}", intro=intro,
                      back=reverse("workforce:round", args=[pk]), save=save, done="已加入待报送名单。")  # fmt: skip


@login_required
def nomination_detail(request, pk: int):
    """A nomination; for a unit, its exclusion checks: what the records say, the answers and their evidence."""
    nomination = selectors.nomination_for_read(request.user, pk)
    checks = selectors.unit_checks(nomination) if nomination.employer_id else []
    editable = nomination.case_id is None and access.can_write(request.user, nomination.org)
    problems = services.exclusion_problems([nomination]) if nomination.employer_id else []
    context = {"nomination": nomination, "checks": checks, "editable": editable, "problems": problems,
               "form": UnitCheckForm(), "nav": "workforce", "tab": "rounds"}  # fmt: skip
    return render(request, "workforce/nomination.html", context)


@login_required
@require_POST
def unit_check(request, pk: int):
    nomination = selectors.nomination_for_read(request.user, pk)
    form = UnitCheckForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, form_errors(form))
    else:
        data = form.cleaned_data
        upload = data.pop("file")
        with flashed(request, "核查结果已保存。"):
            services.unit_check_answer(actor=request.user, nomination=nomination, file=upload,
                                       file_name=upload.name, **data)  # fmt: skip
    return redirect("workforce:nomination", pk=pk)


@login_required
@require_GET
def unit_check_file(request, pk: int):
    """The evidence of one check, for the nominating union and the round's organisers (audited)."""
    check = get_object_or_404(UnitCheck.objects.select_related("nomination"), pk=pk)
    nomination = selectors.nomination_for_read(request.user, check.nomination_id)
    audit_record(actor=request.user, action="workforce.unit_check_download", obj=nomination, org=nomination.org,
                 detail={"item": check.item})  # fmt: skip
    return FileResponse(files.open_private(check.evidence_file), as_attachment=True, filename=check.evidence_name)


# ----- studio alliances and yearly evaluations --------------------------------------------------------------------


@login_required
def alliance_list(request):
    access.require_cadre(request.user)
    context = {"alliances": selectors.alliances_visible_to(request.user), "nav": "workforce", "tab": "studios",
               "can_add": org_selectors.writable_orgs(request.user).exists()}  # fmt: skip
    return render(request, "workforce/alliances.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def alliance_new(request):
    orgs = _require_writer(request.user)
    form = AllianceForm(request.POST or None, orgs=orgs, studios=selectors.studios_for_alliance(request.user),
                        initial={"formed_year": timezone.localdate().year})  # fmt: skip

    def save(data):
        services.alliance_create(actor=request.user, **data)
        return reverse("workforce:alliances")

    return _form_page(request, form, tab="studios", title="组建创新工作室联盟", back=reverse("workforce:alliances"),
                      save=save, done="联盟已登记。",
                      intro="联盟可跨单位、跨地区组建，成员须是组建工会及其下级工会命名的工作室。")  # fmt: skip


@login_required
@require_POST
def studio_evaluate(request, pk: int):
    studio = Studio.objects.get_for_read(request.user, pk)
    form = EvaluationForm(request.POST)
    if not form.is_valid():
        messages.error(request, form_errors(form))
    else:
        with flashed(request) as outcome:
            row = services.studio_evaluate(actor=request.user, studio=studio, **form.cleaned_data)
            outcome.success = f"{row.year} 年度考核已登记：{row.get_grade_display()}。"
    return redirect("workforce:studio_edit", pk=pk)


# ----- 疗休养 batches ---------------------------------------------------------------------------------------------


@login_required
def rest_batch_list(request):
    """劳模疗休养 batches in scope, by year and place, exportable."""
    return _list(request, REST_BATCHES, "workforce/rest_batches.html", "workforce/_rest_batches.html", tab="care")


@login_required
@require_http_methods(["GET", "POST"])
def rest_batch_new(request):
    orgs = _require_writer(request.user)
    form = RestBatchForm(request.POST or None, orgs=orgs)

    def save(data):
        return reverse("workforce:rest_batch", args=[services.rest_batch_create(actor=request.user, **data).pk])

    return _form_page(request, form, tab="care", title="组织劳模疗休养", save=save, done="已登记疗休养批次。",
                      intro="报名的劳模须在组织工会及其下级工会的劳模名册中，且当年关爱计划中有疗休养。",
                      back=reverse("workforce:rest_batches"))  # fmt: skip


@login_required
def rest_batch_detail(request, pk: int):
    """The batch: who is enrolled, places left, enrolling (until it ends) and the attendance (from its last day)."""
    access.require_cadre(request.user)
    batch = RestBatch.objects.get_for_read(request.user, pk)
    enrolments = list(selectors.rest_enrolments_of(batch))
    today = timezone.localdate()
    can_write = access.can_write(request.user, batch.org)
    open_ = batch.attendance_marked_at is None and today <= batch.ends_on
    context = {"batch": batch, "enrolments": enrolments, "left": max(batch.capacity - len(enrolments), 0),
               "can_enrol": can_write and open_ and len(enrolments) < batch.capacity,
               "can_mark": can_write and batch.attendance_marked_at is None and today >= batch.ends_on and enrolments,
               "enrol_form": RestEnrolForm(candidates=selectors.rest_candidates(batch)),
               "nav": "workforce", "tab": "care"}  # fmt: skip
    return render(request, "workforce/rest_batch.html", context)


@login_required
@require_POST
def rest_enrol(request, pk: int):
    access.require_cadre(request.user)
    batch = RestBatch.objects.get_for_read(request.user, pk)
    form = RestEnrolForm(request.POST, candidates=selectors.rest_candidates(batch))
    if not form.is_valid():
        messages.error(request, form_errors(form))
        return redirect("workforce:rest_batch", pk=pk)
    with flashed(request, f"已报名：{form.cleaned_data['model_worker'].person.name}。"):
        services.rest_enrol(actor=request.user, batch=batch, **form.cleaned_data)
    return redirect("workforce:rest_batch", pk=pk)


@login_required
@require_POST
def rest_attendance(request, pk: int):
    access.require_cadre(request.user)
    batch = RestBatch.objects.get_for_read(request.user, pk)
    try:
        attended = {int(v) for v in request.POST.getlist("attended")}
    except ValueError:
        messages.error(request, "所选人员不在该批次中。")
        return redirect("workforce:rest_batch", pk=pk)
    with flashed(request) as outcome:
        went = services.rest_attendance(actor=request.user, batch=batch, attended=attended)
        outcome.success = f"已登记参加情况：{went} 人参加，其当年疗休养已记为完成。"
    return redirect("workforce:rest_batch", pk=pk)


# ----- a model worker's page, the hardship flag ------------------------------------------------------------------


@login_required
def model_worker_detail(request, pk: int):
    """The model worker: honours, care by year, 疗休养, and whether they are in hardship with the link to their
    hardship file (the assistance app's, in the cadre's scope)."""
    worker = selectors.model_worker_for_read(request.user, pk)
    can_write = access.can_write(request.user, worker.org)
    note = ""
    if can_write and worker.hardship_note_enc:
        note = crypto.decrypt(worker.hardship_note_enc)
    context = {"worker": worker, "honours": worker.honours.order_by("-year"), "care": selectors.care_of(worker),
               "rest": worker.rest_enrolments.select_related("batch").order_by("-batch__starts_on"),
               "hardship_file": selectors.hardship_file_of(request.user, worker), "hardship_note": note,
               "can_write": can_write, "can_open_file": access.can_write(request.user, worker.org),
               "flag_form": HardshipFlagForm(initial={"version": worker.version}),
               "publicity": selectors.publicity_of(worker), "publicity_form": PublicityForm(),
               "nav": "workforce", "tab": "model_workers"}  # fmt: skip
    return render(request, "workforce/model_worker.html", context)


@login_required
@require_POST
def publicity_add(request, pk: int):
    """登记先进典型宣传 on the model worker's page."""
    worker = selectors.model_worker_for_read(request.user, pk)
    access.require_write(request.user, worker.org)
    form = PublicityForm(request.POST)
    if not form.is_valid():
        messages.error(request, form_errors(form))
        return redirect(reverse("workforce:model_worker", args=[pk]) + "#publicity")
    with flashed(request, "已登记先进典型宣传。"):
        services.publicity_add(actor=request.user, model_worker=worker, **form.cleaned_data)
    return redirect(reverse("workforce:model_worker", args=[pk]) + "#publicity")


@login_required
@require_POST
def publicity_remove(request, pk: int, publicity_pk: int):
    worker = selectors.model_worker_for_read(request.user, pk)
    publicity = get_object_or_404(Publicity, pk=publicity_pk, model_worker=worker)
    with flashed(request, "已删除该条宣传记录。"):
        services.publicity_remove(actor=request.user, publicity=publicity)
    return redirect(reverse("workforce:model_worker", args=[pk]) + "#publicity")


@login_required
@require_POST
def hardship_flag(request, pk: int):
    worker = selectors.model_worker_for_read(request.user, pk)
    form = HardshipFlagForm(request.POST)
    if not form.is_valid():
        messages.error(request, form_errors(form))
        return redirect("workforce:model_worker", pk=pk)
    with flashed(request, "已标记生活困难。"):
        services.hardship_flag(actor=request.user, model_worker=worker, **form.cleaned_data)
    return redirect("workforce:model_worker", pk=pk)
