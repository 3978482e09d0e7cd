"""Roster pages: upload, the dry run's preview with a progress bar, commit, the error file; exports."""

import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from gonghui.core import exports as list_exports
from gonghui.core.lists import list_rows, render_list
from gonghui.core.spreadsheets import write_xlsx
from gonghui.core.views import download_response
from gonghui.core.web import flashed, int_param, progress_response
from gonghui.members.models import Education, EmploymentForm
from gonghui.orgs import access
from gonghui.orgs import selectors as org_selectors
from gonghui.orgs.models import Org
from gonghui.rosters import selectors, services
from gonghui.rosters.columns import (
    AUTO,
    COLUMNS,
    HEADINGS,
    IGNORED_AUTO,
    INSTRUCTIONS_HEADER,
    INSTRUCTIONS_SHEET,
    REMEMBERED,
    REPEATED,
    UNDECIDED,
    UNMATCHED,
)
from gonghui.rosters.forms import ExportForm, ImportUploadForm
from gonghui.rosters.lists import IMPORTS, ROSTER_EXPORTS
from gonghui.rosters.models import OUTCOME_LABELS, OUTCOMES, ImportJob
from gonghui.rosters.policy import roster_policy

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _attachment(response, filename: str):
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_GET
def import_list(request):
    """花名册导入记录: imports into the unions of the user's scope, or of one union (``?org=``)."""
    user = request.user
    org = Org.objects.get_for_read(user, int_param(request.GET["org"])) if request.GET.get("org") else None
    listing = list_rows(request, IMPORTS, filters={"org": org.pk} if org else {})
    context = {**listing.context(), "org": org, "can_upload": Org.objects.writable_by(user).exists(),
               "can_unmask": False, "nav": "rosters"}  # fmt: skip
    return render_list(request, "rosters/imports.html", "rosters/_import_rows.html", context)


def _upload_page(request, form, status=200):
    context = {"form": form, "org_options": org_selectors.member_org_choices(request.user), "nav": "rosters"}
    return render(request, "rosters/upload.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def upload(request):
    user = request.user
    access.require_cadre(user)
    if not Org.objects.writable_by(user).exists():
        raise access.deny(user, "您的角色没有导入会员的权限。")
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if not form.is_bound:
        return _upload_page(request, form)
    if not form.is_valid():
        return _upload_page(request, form, status=400)
    org = Org.objects.get_for_read(user, form.cleaned_data["org"])
    file = form.cleaned_data["file"]
    try:
        job = services.import_upload(actor=user, org=org, file=file, file_name=file.name)
    except ValidationError as error:
        form.add_service_error(error)
        return _upload_page(request, form, status=400)
    messages.success(request, "文件已上传，正在预检，完成后可查看预览并确认导入。")
    return redirect("rosters:import", pk=job.pk)


HOW_LABELS = {AUTO: "按列名识别", REMEMBERED: "按本工会的设置", IGNORED_AUTO: "序号列，不导入", UNMATCHED: "未识别",
              REPEATED: "与前面的列重复，不导入"}  # fmt: skip


def _columns(job) -> list[dict]:
    """The mapping step's rows: each column with its labels and the value its select starts at."""
    return [{**c, "label": HEADINGS.get(c["key"], "不导入"), "how_label": HOW_LABELS[c["how"]],
             "value": UNDECIDED if c["how"] == UNMATCHED else c["key"]} for c in selectors.columns_of(job)]  # fmt: skip


def _job_context(request, job) -> dict:
    rows = job.preview.get("rows", {})
    sections = [(kind, OUTCOME_LABELS[kind], job.counts.get(kind, 0), rows.get(kind, [])) for kind in OUTCOMES]
    columns = _columns(job)
    return {
        "job": job, "sections": sections, "can_write": access.can_write(request.user, job.org),
        "committed": [(OUTCOME_LABELS[k], job.committed.get(k, 0)) for k in OUTCOMES] if job.committed else [],
        "columns": columns, "unmatched": [c for c in columns if c["how"] == UNMATCHED],
        "can_remap": job.status in (ImportJob.Status.CHECKED, ImportJob.Status.FAILED) and not job.cursor,
        "field_choices": list(HEADINGS.items()), "undecided": UNDECIDED, "nav": "rosters",
    }  # fmt: skip


@login_required
@require_GET
def import_detail(request, pk: int):
    """预览: the counts of each outcome and their first rows; the progress bar while a task runs."""
    job = ImportJob.objects.get_for_read(request.user, pk)
    response = render(request, "rosters/import_detail.html", _job_context(request, job))
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_GET
def import_progress(request, pk: int):
    """The progress bar, polled by HTMX."""
    return progress_response(request, "rosters/_progress.html", ImportJob.objects.get_for_read(request.user, pk))


@login_required
@require_POST
def import_commit(request, pk: int):
    job = ImportJob.objects.get_for_write(request.user, pk)
    with flashed(request, "已开始导入，可离开此页，稍后回来查看结果。"):
        services.import_commit(actor=request.user, job=job)
    return redirect("rosters:import", pk=pk)


@login_required
@require_POST
def import_remap(request, pk: int):
    """列对应: the cadre's choices for the file's columns; the dry run runs again with them."""
    job = ImportJob.objects.get_for_write(request.user, pk)
    headings, keys = request.POST.getlist("heading"), request.POST.getlist("key")
    if len(headings) != len(keys):
        messages.error(request, "列对应的提交不完整，请刷新页面后重新设置。")
        return redirect("rosters:import", pk=pk)
    with flashed(request, "列对应已保存，本工会下次上传时沿用；正在按新的对应重新预检。"):
        services.import_remap(actor=request.user, job=job, assignments=dict(zip(headings, keys, strict=True)))
    return redirect("rosters:import", pk=pk)


@login_required
@require_POST
def import_resume(request, pk: int):
    """继续: a stalled dry run or commit (its worker died) back on the queue."""
    job = ImportJob.objects.get_for_write(request.user, pk)
    with flashed(request, "已重新开始处理，将从中断处继续。"):
        services.import_resume(actor=request.user, job=job)
    return redirect("rosters:import", pk=pk)


@login_required
@require_GET
def import_errors(request, pk: int):
    """下载错误行: the invalid rows with the reason, to fix and upload again."""
    job = ImportJob.objects.get_for_write(request.user, pk)
    content = services.import_errors_file(actor=request.user, job=job)
    return _attachment(HttpResponse(content, content_type=XLSX), f"errors-{job.pk}.xlsx")


@login_required
@require_http_methods(["GET", "POST"])
def exports(request):
    """导出花名册: the form and the user's own exports (a task makes the file; the list shows when it is ready)."""
    user = request.user
    access.require_cadre(user)
    form = ExportForm(request.POST or None)
    status = 200
    if form.is_bound:
        if form.is_valid():
            org = Org.objects.get_for_read(user, form.cleaned_data["org"])
            try:
                services.export_start(actor=user, org=org, unmasked=form.cleaned_data["unmasked"])
            except ValidationError as error:
                form.add_service_error(error)
            else:
                messages.success(request, "已开始生成导出文件，完成后可在下方下载。")
                return redirect("rosters:exports")
        status = 400
    context = {
        **list_rows(request, ROSTER_EXPORTS).context(), "form": form,
        "org_options": org_selectors.org_search(user, limit=30),
        "can_unmask_any": any(g.can_unmask and g.role in access.WRITE_ROLES for g in access.grants_of(user)),
        "nav": "rosters",
        "keep_days": roster_policy().file_keep_days,
    }  # fmt: skip
    return render_list(request, "rosters/exports.html", "rosters/_export_rows.html", context, status=status)


@login_required
@require_GET
def export_download(request, pk: int):
    job = selectors.export_for_owner(request.user, pk)
    try:
        path = list_exports.export_download(actor=request.user, job=job)
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
        return redirect("rosters:exports")
    return download_response(path, job.file_name)


TEMPLATE_NOTES = {
    "name": "必填",
    "id_number": "必填；18 位或 15 位均可，末位 x 大小写均可",
    "phone": "11 位手机号码",
    "ethnicity": "如：汉族",
    "education": "、".join(label for _, label in Education.choices),
    "employment_form": "、".join(label for _, label in EmploymentForm.choices),
    "is_migrant": "是 / 否",
    "employer_name": "工作单位全称",
    "employer_uscc": "18 位统一社会信用代码",
    "job_title": "",
    "joined_on": "如 2021-07-16、2021.7.16、2021年7月16日；不填为导入当天",
    "card_number": "已有会员证号的填写；不填则自动编号",
    "status": "在职 / 退休；退休会员按退休会员导入（保留会籍、免缴会费），入会日期照填原来的",
}


@login_required
@require_GET
def template(request):
    """空白花名册模板: the standard headings, and a sheet explaining each column and the names it may go by."""
    access.require_cadre(request.user)
    notes = [[HEADINGS[key], TEMPLATE_NOTES[key], "、".join(COLUMNS[key][1:])] for key in COLUMNS]
    keys = list(HEADINGS)
    as_text = [keys.index(k) for k in ("id_number", "phone", "employer_uscc", "card_number")]  # no 3.30106E+17
    buffer = io.BytesIO()
    write_xlsx(
        buffer,
        [("花名册", list(HEADINGS.values()), []), (INSTRUCTIONS_SHEET, INSTRUCTIONS_HEADER, notes)],
        text_columns={"花名册": as_text},
    )
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    return _attachment(response, "花名册模板.xlsx")
