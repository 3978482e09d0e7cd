"""Privacy pages: the worker's own consents and requests (phone first), and the cadres' request queue."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from gonghui.core.lists import list_rows, render_list
from gonghui.core.web import error_text
from gonghui.members import access as members_access
from gonghui.members.models import Membership
from gonghui.orgs import access
from gonghui.privacy import selectors, services
from gonghui.privacy.forms import RequestCompleteForm, RequestCreateForm, RequestRefuseForm
from gonghui.privacy.lists import REQUESTS
from gonghui.privacy.models import DataSubjectRequest
from gonghui.privacy.policy import privacy_policy


def _mine_page(request, form, status=200):
    """A worker with a person record sees consents and requests; an applicant (an account whose application is
    not yet accepted) sees the consents given when joining, and where their rights are exercised meanwhile."""
    user = request.user
    person = user.person if user.person_id else None
    consents = list(selectors.own_consents(user))  # neither a person nor an applicant: refused
    context = {
        "person": person, "consents": consents,
        "requests": list(selectors.requests_of(person)) if person else [], "form": form, "nav": "me",
        "due_days": privacy_policy().request_due_working_days,
    }  # fmt: skip
    return render(request, "privacy/mine.html", context, status=status)


@login_required
@require_GET
def my_privacy(request):
    """我的个人信息: consents given (with withdrawal) and requests to see, copy, correct or delete."""
    return _mine_page(request, RequestCreateForm())


@login_required
@require_POST
def consent_withdraw(request, pk: int):
    consent = selectors.own_consent(request.user, pk)
    try:
        services.consent_withdraw(actor=request.user, consent=consent)
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, f"已撤回对“{consent.get_category_display()}”的同意。")
    return redirect("privacy:mine")


@login_required
@require_POST
def request_create(request):
    person = selectors.own_person(request.user)
    form = RequestCreateForm(request.POST)
    if not form.is_valid():
        return _mine_page(request, form, status=400)
    try:
        created = services.request_create(actor=request.user, person=person, **form.cleaned_data)
    except ValidationError as error:
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
        return _mine_page(request, form, status=400)
    due = f"{created.due_on:%Y年%m月%d日}"
    messages.success(request, f"已受理您的{created.get_kind_display()}请求，将在 {due} 前办结。")
    return redirect("privacy:mine")


@login_required
@require_GET
def export_download(request, pk: int):
    """The worker's own data as JSON — a download, never shown in a URL or a page."""
    export = selectors.own_export(request.user, pk)
    content = services.export_download(actor=request.user, export=export)
    response = HttpResponse(content, content_type="application/json; charset=utf-8")
    filename = f"personal-data-{timezone.localdate():%Y%m%d}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@require_GET
def queue(request):
    """个人信息权利请求: open requests in the user's scope, most urgent first (overdue highlighted)."""
    listing = list_rows(request, REQUESTS)
    for row in listing.rows:
        row.overdue = selectors.is_overdue(row)
    show_all = listing.filters.get("all") == "1"
    context = {**listing.context(), "show_all": show_all, "nav": "privacy", "today": timezone.localdate()}
    return render_list(request, "privacy/queue.html", "privacy/_queue_rows.html", context)


def _detail_page(request, dsr, *, complete_form=None, refuse_form=None, status=200):
    user = request.user
    home = members_access.home_org(dsr.person)
    active = Membership.objects.filter(person=dsr.person, status=Membership.Status.ACTIVE).exists()
    context = {
        "dsr": dsr, "overdue": selectors.is_overdue(dsr), "home": home, "has_active_membership": active,
        "can_handle": access.can_write(user, home),
        "complete_form": complete_form or RequestCompleteForm(), "refuse_form": refuse_form or RequestRefuseForm(),
        "nav": "privacy",
    }  # fmt: skip
    return render(request, "privacy/request_detail.html", context, status=status)


@login_required
@require_GET
def request_detail(request, pk: int):
    return _detail_page(request, DataSubjectRequest.objects.get_for_read(request.user, pk))


def _handled(request, pk: int, action) -> HttpResponse:
    dsr = DataSubjectRequest.objects.get_for_write(request.user, pk)
    try:
        action(dsr)
    except ValidationError as error:
        messages.error(request, error_text(error))
    return redirect("privacy:request_detail", pk=pk)


@login_required
@require_POST
def request_start(request, pk: int):
    def start(dsr):
        services.request_start(actor=request.user, request=dsr)
        messages.success(request, "已开始办理。")

    return _handled(request, pk, start)


@login_required
@require_POST
def request_complete(request, pk: int):
    dsr = DataSubjectRequest.objects.get_for_write(request.user, pk)
    form = RequestCompleteForm(request.POST)
    if not form.is_valid():
        return _detail_page(request, dsr, complete_form=form, status=400)

    def complete(dsr):
        services.request_complete(actor=request.user, request=dsr, note=form.cleaned_data["note"])
        messages.success(request, "已办结。" + ("职工可在“我的个人信息”中下载副本。" if dsr.kind == "export" else ""))

    return _handled(request, pk, complete)


@login_required
@require_POST
def request_refuse(request, pk: int):
    dsr = DataSubjectRequest.objects.get_for_write(request.user, pk)
    form = RequestRefuseForm(request.POST)
    if not form.is_valid():
        return _detail_page(request, dsr, refuse_form=form, status=400)

    def refuse(dsr):
        services.request_refuse(actor=request.user, request=dsr, reason=form.cleaned_data["reason"])
        messages.success(request, "已记录不予办理及理由。")

    return _handled(request, pk, refuse)
