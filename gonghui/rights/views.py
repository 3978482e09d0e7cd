"""职工诉求 and 法律援助 pages: the worker's own requests on the phone (file, read the replies, rate, ask again,
reopen); the cadres' list, a request's page (accept, reply, close, reassign), hotline filing, clusters and
groups, the legal cases with their clocks, and the signals. Views validate and call services or selectors."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from gonghui.accounts.models import User
from gonghui.cases import selectors as case_selectors
from gonghui.cases.kinds import TransitionRule
from gonghui.core.errors import ConflictError
from gonghui.core.lists import list_rows, render_list
from gonghui.core.masking import mask_text
from gonghui.core.web import int_param
from gonghui.orgs import access
from gonghui.orgs import selectors as org_selectors
from gonghui.orgs.models import Org, Region
from gonghui.rights import selectors, services
from gonghui.rights.cases import CLOSED, HANDLING, REPLIED, SUBMITTED
from gonghui.rights.forms import CloseForm, HotlineForm, LegalForm, MilestoneForm, RateForm, ReplyForm, RequestForm
from gonghui.rights.lists import LEGAL, REQUESTS, overdue_label
from gonghui.rights.models import RightsRequest
from gonghui.rights.policy import CATEGORIES, rights_policy


def _region(code: str) -> Region | None:
    if not code:
        return None
    region = Region.objects.filter(code=code.strip()).first()
    if region is None:
        raise ValidationError({"region_code": ValidationError("区划代码不存在。")})
    return region


def _error(request, error: ValidationError) -> None:
    messages.error(request, "；".join(error.messages))


# ----- the worker ----------------------------------------------------------------------------------------------


@login_required
def mine(request):
    """我要维权: the worker's requests, newest first, and the button to file one."""
    context = {"rows": list(selectors.own_requests(request.user)), "nav": "me"}
    return render(request, "rights/mine.html", context)


def _file_form(request, form_class, template: str, *, hotline: bool):
    form = form_class(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        extra = {"caller_name": data["caller_name"], "caller_phone": data["caller_phone"]} if hotline else {}
        try:
            row = services.request_file(
                actor=request.user, category=data["category"], description=data["description"],
                employer_name=data["employer_name"], employer_uscc=data["employer_uscc"],
                region=_region(data["region_code"]), anonymous=data["anonymous"],
                uploads=request.FILES.getlist("files"), hotline=hotline, **extra,
            )  # fmt: skip
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, f"诉求已提交，由{row.org.name}办理，办理期限至 {row.due_on:%Y-%m-%d}。")
            return redirect("rights:detail" if hotline else "rights:mine_detail", pk=row.pk)
    policy = rights_policy()
    context = {"form": form, "hotline": hotline, "nav": "rights" if hotline else "me",
               "anonymous_categories": "、".join(CATEGORIES[c] for c in policy.anonymous_categories)}  # fmt: skip
    return render(request, template, context, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def file(request):
    if access.grants_of(request.user):
        return redirect("rights:hotline")
    return _file_form(request, RequestForm, "rights/file.html", hotline=False)


@login_required
def mine_detail(request, pk: int):
    row = selectors.own_request(request.user, pk)
    context = {"r": row, "replies": selectors.replies_of(row), "rate_form": RateForm(), "reply_form": ReplyForm(),
               "may_reopen": selectors.may_reopen(row), "reopen_days": rights_policy().reopen_days,
               "overdue": overdue_label(row), "nav": "me"}  # fmt: skip
    return render(request, "rights/mine_detail.html", context)


@login_required
@require_POST
def mine_act(request, pk: int):
    row = selectors.own_request(request.user, pk)
    action, version = request.POST.get("action"), int_param(request.POST.get("version"))
    try:
        if action == "rate":
            form = RateForm(request.POST)
            if not form.is_valid():
                raise ValidationError("请选择满意度。")
            services.request_rate(actor=request.user, request=row, version=version, **form.cleaned_data)
            messages.success(request, "感谢您的评价，诉求已办结。")
        elif action == "follow_up":
            services.request_follow_up(actor=request.user, request=row, text=request.POST.get("text", ""),
                                       version=version)  # fmt: skip
            messages.success(request, "已提交，工会将继续办理。")
        elif action == "reopen":
            services.request_reopen(actor=request.user, request=row, reason=request.POST.get("text", ""),
                                    version=version)  # fmt: skip
            messages.success(request, "已申请重新办理。")
        else:
            raise Http404("操作不存在")
    except (ValidationError, ConflictError) as error:
        _error(request, error)
    return redirect("rights:mine_detail", pk=row.pk)


# ----- cadres: requests ----------------------------------------------------------------------------------------


@login_required
def request_list(request):
    access.require_cadre(request.user)
    listing = list_rows(request, REQUESTS)
    context = {**listing.context(), "filter_form": REQUESTS.filter_form(request.GET), "nav": "rights"}
    return render_list(request, "rights/list.html", "rights/_rows.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def hotline(request):
    access.require_cadre(request.user)
    return _file_form(request, HotlineForm, "rights/file.html", hotline=True)


def _may(user, row: RightsRequest, level: int = 0) -> bool:
    return case_selectors.may_take(user, row.case, TransitionRule("办理", level=level))


@login_required
def detail(request, pk: int):
    row = selectors.request_for_read(request.user, pk)
    writer = _may(request.user, row)
    context = {
        # An ID or phone number a worker typed into the text is masked for the cadres (docs/security.md §11).
        "r": row, "description": mask_text(selectors.description(row)), "filer": selectors.filer_label(row),
        "replies": [(x, mask_text(text)) for x, text in selectors.replies_of(row)],
        "attachments": list(row.case.attachments.all()),
        "writer": writer, "may_accept": writer and row.status == SUBMITTED,
        "may_reply": writer and row.status in {SUBMITTED, HANDLING, REPLIED},
        "may_close": writer and row.status == REPLIED,
        "may_reassign": _may(request.user, row, 1) and row.status != CLOSED,
        "reply_form": ReplyForm(), "overdue": overdue_label(row), "legal_cases": list(row.legal_cases.all()),
        "org_options": org_selectors.org_search(request.user, limit=30), "nav": "rights",
    }  # fmt: skip
    return render(request, "rights/detail.html", context)


@login_required
@require_POST
def act(request, pk: int):
    row = selectors.request_for_read(request.user, pk)
    action, version = request.POST.get("action"), int_param(request.POST.get("version"))
    try:
        if action == "accept":
            services.request_accept(actor=request.user, request=row, version=version)
            messages.success(request, "已受理。")
        elif action == "reply":
            services.request_reply(actor=request.user, request=row, text=request.POST.get("text", ""), version=version)
            messages.success(request, "已答复，职工可在手机上查看。")
        elif action == "close":
            services.request_close(actor=request.user, request=row, version=version, note=request.POST.get("note", ""))
            messages.success(request, "已办结。")
        elif action == "reassign":
            org = Org.objects.filter(pk=int_param(request.POST.get("org") or 0)).first()
            if org is None:
                raise ValidationError("请选择改派的工会。")
            services.request_reassign(actor=request.user, request=row, org=org,
                                      reason=request.POST.get("reason", ""), version=version)  # fmt: skip
            messages.success(request, f"已改派至{org.name}。")
        else:
            raise Http404("操作不存在")
    except (ValidationError, ConflictError) as error:
        _error(request, error)
    if not RightsRequest.objects.in_scope(request.user).filter(pk=row.pk).exists():
        return redirect("rights:list")  # reassigned out of the user's scope
    return redirect("rights:detail", pk=row.pk)


@login_required
def cluster_list(request):
    """诉求聚集: where open requests of one category gather on one employer."""
    context = {"clusters": selectors.clusters(request.user), "threshold": rights_policy().group_threshold,
               "nav": "rights"}  # fmt: skip
    return render(request, "rights/clusters.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def group(request, pk: int):
    row = selectors.group_for_read(request.user, pk)
    if request.method == "POST":
        ids = [int_param(v) for v in request.POST.getlist("representatives")]
        try:
            services.group_representatives(actor=request.user, group=row, request_ids=ids)
        except ValidationError as error:
            _error(request, error)
        else:
            messages.success(request, "已确定代表。")
        return redirect("rights:group", pk=row.pk)
    members = list(row.requests.select_related("filer__person", "org").order_by("pk"))
    context = {"g": row, "members": [(m, selectors.filer_label(m)) for m in members],
               "category": CATEGORIES[row.category], "writer": access.can_write(request.user, row.org),
               "policy": rights_policy(), "nav": "rights"}  # fmt: skip
    return render(request, "rights/group.html", context)


@login_required
def signals(request):
    """预警信号: per employer and per region, requests by category, groups, overdue, open cases and amounts."""
    access.require_cadre(request.user)
    context = {"employers": selectors.signals_by_employer(request.user)[:50], "categories": CATEGORIES,
               "regions": selectors.signals_by_region(request.user), "nav": "rights"}  # fmt: skip
    return render(request, "rights/signals.html", context)


# ----- legal cases ---------------------------------------------------------------------------------------------


@login_required
def legal_list(request):
    access.require_cadre(request.user)
    listing = list_rows(request, LEGAL)
    context = {**listing.context(), "filter_form": LEGAL.filter_form(request.GET), "nav": "rights",
               "writer": bool(access.grants_of(request.user))}  # fmt: skip
    return render_list(request, "rights/legal_list.html", "rights/_legal_rows.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def legal_new(request):
    access.require_cadre(request.user)
    source = None
    if request.GET.get("request"):
        source = selectors.request_for_read(request.user, int_param(request.GET["request"]))
    org = source.org if source else next(
        (g.org for g in access.grants_of(request.user) if g.role in access.WRITE_ROLES), None)  # fmt: skip
    if org is None:
        raise access.deny(request.user, "您的角色没有立案的权限。")
    handlers = list(selectors.handlers_for(org)[:200])
    initial = {"employer_name": source.employer_name, "wage_arrears": source.category == "wages"} if source else {}
    form = LegalForm(request.POST or None, handlers=handlers, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        handler = User.objects.filter(pk=data.pop("handler")).first()
        try:
            legal = services.legal_open(actor=request.user, org=org, handler=handler, request=source, **data)
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, "已立案，并已通知承办律师（调解员）。")
            return redirect("rights:legal_detail", pk=legal.pk)
    context = {"form": form, "org": org, "source": source, "nav": "rights"}
    return render(request, "rights/legal_new.html", context, status=400 if form.errors else 200)


@login_required
def legal_detail(request, pk: int):
    legal = selectors.legal_for_read(request.user, pk)
    handles = selectors.may_handle(request.user, legal)
    context = {
        "c": legal, "clocks": selectors.case_clocks(legal), "milestones": list(legal.milestones.all()),
        "plain": services.legal_read_narrative(actor=request.user, legal=legal), "hidden": selectors.NOT_HANDLING,
        "handles": handles and legal.closed_on is None, "milestone_form": MilestoneForm(), "close_form": CloseForm(),
        "attachments": list(legal.case.attachments.all()), "nav": "rights",
    }  # fmt: skip
    return render(request, "rights/legal_detail.html", context)


@login_required
@require_POST
def legal_act(request, pk: int):
    legal = selectors.legal_for_read(request.user, pk)
    action = request.POST.get("action")
    try:
        if action == "milestone":
            form = MilestoneForm(request.POST)
            if not form.is_valid():
                raise ValidationError("请选择进展并填写正确的日期。")
            services.legal_milestone(actor=request.user, legal=legal, **form.cleaned_data)
            messages.success(request, "已记录进展，法定时限已重新计算。")
        elif action == "close":
            form = CloseForm(request.POST)
            if not form.is_valid():
                raise ValidationError("请选择结案方式并填写正确的金额。")
            services.legal_close(actor=request.user, legal=legal, version=int_param(request.POST.get("version")),
                                 **form.cleaned_data)  # fmt: skip
            messages.success(request, "已结案。")
        else:
            raise Http404("操作不存在")
    except (ValidationError, ConflictError) as error:
        _error(request, error)
    return redirect("rights:legal_detail", pk=legal.pk)
