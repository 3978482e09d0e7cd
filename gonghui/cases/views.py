"""The case pages: validate, call the service, show the outcome. Access is the services' and selectors'."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from gonghui.cases import selectors, services
from gonghui.cases.forms import AnswerForm, AttachmentForm, NoticeForm, ObjectionForm, TransitionForm
from gonghui.cases.kinds import all_kinds, kind_of
from gonghui.cases.models import PublicNotice
from gonghui.core import files
from gonghui.core.audit import audit_record
from gonghui.core.ratelimit import rate_limit
from gonghui.core.web import flashed
from gonghui.orgs import access

PAGE_SIZE = 20


@login_required
@require_GET
def todo(request):
    """事项待办: every kind of case in the user's scope, overdue first, then by deadline."""
    access.require_cadre(request.user)
    show = request.GET.get("show", "open")
    show = show if show in selectors.SHOW else "open"
    kinds = all_kinds()
    kind = request.GET.get("kind", "")
    kind = kind if kind in kinds else ""
    page = Paginator(selectors.todo(request.user, show=show, kind=kind), PAGE_SIZE).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    for row in rows:
        declared = kinds.get(row.kind)
        row.kind_name = declared.name if declared else row.kind
        row.status_label = declared.status_label(row.status) if declared else row.status
    context = {"page": page, "rows": rows, "show": show, "filters": selectors.SHOW, "kind": kind, "kinds": kinds,
               "nav": "cases"}  # fmt: skip
    return render(request, "cases/todo.html", context)


def _notices(user, case, reviewer: bool) -> list[dict]:
    rows = []
    for notice in case.notices.order_by("-id").prefetch_related("objections"):
        objections = [
            {"o": o, "objector": selectors.objector_of(user, o, case) if reviewer else None}
            for o in notice.objections.all()
        ]  # fmt: skip
        rows.append({"n": notice, "open": notice.is_open_on(timezone.localdate()), "objections": objections})
    return rows


@login_required
@require_GET
def detail(request, pk: int):
    """事项详情: the history, the clocks, the documents and the 公示 with its objections."""
    case = selectors.case_for_read(request.user, pk)
    kind = kind_of(case.kind)
    reviewer = selectors.is_reviewer(request.user, case)
    context = {
        "case": case, "kind": kind, "reviewer": reviewer, "nav": "cases",
        "status_label": kind.status_label(case.status), "clocks": case.clocks.all(),
        "steps": [(step, kind.status_label(step.from_status) if step.from_status else "",
                   kind.status_label(step.to_status)) for step in case.steps.select_related("actor")],
        "attachments": case.attachments.all(), "checklist": selectors.checklist(case),
        "notices": _notices(request.user, case, reviewer),
        "moves": (selectors.moves(case, request.user)
                  if reviewer and kind.app_page is None and case.closed_at is None else []),
        "app_page": kind.app_page(case) if kind.app_page else "",
        "notice_form": NoticeForm(initial={"audience": PublicNotice.Audience.SUBTREE}),
        "attachment_form": AttachmentForm(documents=kind.required_documents),
        "answer_form": AnswerForm(),
    }  # fmt: skip
    return render(request, "cases/detail.html", context)


def _done(request, pk: int, action, success: str):
    """Run ``action``; a rule or a conflict is shown on the case's page."""
    with flashed(request, success):
        action()
    return redirect("cases:detail", pk=pk)


@login_required
@require_POST
def act(request, pk: int):
    case = selectors.case_for_read(request.user, pk)
    form = TransitionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请刷新页面后重试。")
        return redirect("cases:detail", pk=pk)
    data = form.cleaned_data
    label = kind_of(case.kind).status_label(data["to"])
    return _done(request, pk, lambda: services.case_transition(
        actor=request.user, case=case, to=data["to"], note=data["note"], version=data["version"], generic=True,
    ), f"已办理，事项现为“{label}”。")  # fmt: skip


@login_required
@require_POST
def notice_publish(request, pk: int):
    case = selectors.case_for_read(request.user, pk)
    form = NoticeForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请填写公示的姓名、单位和拟决定事项。")
        return redirect("cases:detail", pk=pk)
    return _done(request, pk, lambda: services.notice_publish(actor=request.user, case=case, **form.cleaned_data),
                 "公示已发布。")  # fmt: skip


@login_required
@require_POST
def attachment_upload(request, pk: int):
    case = selectors.case_for_read(request.user, pk)
    form = AttachmentForm(request.POST, request.FILES, documents=kind_of(case.kind).required_documents)
    if not form.is_valid():
        messages.error(request, "请选择材料类别和文件。")
        return redirect("cases:detail", pk=pk)
    file = form.cleaned_data["file"]
    return _done(request, pk, lambda: services.attachment_add(
        actor=request.user, case=case, document=form.cleaned_data["document"], file=file, file_name=file.name,
    ), "材料已上传。")  # fmt: skip


@login_required
@require_GET
def attachment_download(request, pk: int):
    attachment = selectors.attachment_for_read(request.user, pk)
    if not files.exists(attachment.file_path):
        raise Http404("文件已不存在")
    # A case's documents hold personal data (diagnoses, incomes, ID cards): who downloaded which is recorded.
    audit_record(actor=request.user, action="case.attachment_download", obj=attachment, org=attachment.case.org)
    reader = files.open_private(attachment.file_path)  # decrypted chunk by chunk as it is sent
    return FileResponse(reader, as_attachment=True, filename=attachment.file_name)


@login_required
@require_POST
def objection_answer(request, pk: int):
    objection = selectors.objection_for_read(request.user, pk)
    form = AnswerForm(request.POST)
    case_pk = objection.notice.case_id
    if not form.is_valid():
        messages.error(request, "请填写答复内容。")
        return redirect("cases:detail", pk=case_pk)
    return _done(request, case_pk, lambda: services.objection_answer(
        actor=request.user, objection=objection, answer=form.cleaned_data["answer"]), "已答复异议。")  # fmt: skip


@require_http_methods(["GET", "POST"])
@rate_limit(scope="case-objection-ip", limit=20, window_seconds=3600)
def public_notice(request, token: str):
    """公示 page: the name, the unit and what is decided, and a form for objections. A notice to the members
    of a subtree asks for sign-in first and is shown to those members (and the union's cadres) only."""
    notice = selectors.notice_by_token(token)
    if notice.audience == PublicNotice.Audience.SUBTREE and not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not services.may_see_notice(request.user, notice):
        raise Http404("公示不存在")
    form = ObjectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.objection_submit(actor=request.user, notice=notice, **form.cleaned_data)
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, "您的异议已提交，工会将核实后答复。")
            return redirect("cases:notice", token=token)
    context = {"notice": notice, "kind": kind_of(notice.case.kind), "form": form,
               "open": notice.is_open_on(timezone.localdate())}  # fmt: skip
    return render(request, "cases/notice.html", context, status=400 if form.errors else 200)
