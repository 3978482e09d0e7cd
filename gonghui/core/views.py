"""导出 pages: start an export of a list, the user's exports, one export's progress bar and its file."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header, url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods

from gonghui.core import exports, files
from gonghui.core.lists import CadreList, cadre_list, list_rows, render_list
from gonghui.core.web import progress_response
from gonghui.orgs import access

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

MY_EXPORTS = CadreList(
    name="core.exports", title="我的导出", rows=lambda user, filters: exports.exports_of(user), columns=(),
)  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def export_list(request):
    """我的导出 (GET); POST starts the export of the list named ``list`` with the filters sent along."""
    access.require_cadre(request.user)
    if request.method == "POST":
        spec = cadre_list(request.POST.get("list", ""))
        if spec is None:
            raise Http404("没有这个列表")
        params = exports.export_params(request.POST)
        job = exports.export_start(actor=request.user, spec=spec, params=params,
                                   unmasked=request.POST.get("unmasked") == "1")  # fmt: skip
        return redirect("exports:detail", pk=job.pk)
    listing = list_rows(request, MY_EXPORTS)
    context = {**listing.context(), "nav": "", "running": any(job.is_running for job in listing.rows)}
    return render_list(request, "core/exports.html", "core/_export_rows.html", context)


@login_required
@require_GET
def export_detail(request, pk: int):
    """One export: the progress bar while the task writes, then the download."""
    job = exports.export_for_owner(request.user, pk)
    response = render(request, "core/export_detail.html", {"job": job})
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_GET
def export_progress(request, pk: int):
    """The progress bar, polled by HTMX."""
    return progress_response(request, "core/_export_progress.html", exports.export_for_owner(request.user, pk))


@login_required
@require_GET
def export_download(request, pk: int):
    job = exports.export_for_owner(request.user, pk)
    try:
        relative = exports.export_download(actor=request.user, job=job)
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
        return redirect("exports:detail", pk=pk)
    return download_response(relative, job.file_name)


def csrf_failure(request, reason: str = ""):
    """CSRF_FAILURE_VIEW: the project's own page, in Chinese and phone-sized, for a form sent with a stale or
    missing token (Django's reason is for the log, not for the person)."""
    referer = request.headers.get("Referer", "")
    host, https = {request.get_host()}, request.is_secure()
    safe = url_has_allowed_host_and_scheme(referer, allowed_hosts=host, require_https=https)
    back = referer if safe else "/"
    return render(request, "csrf_failure.html", {"back": back}, status=403)


def download_response(relative: str, filename: str) -> FileResponse:
    """An export's stored file (core.files), decrypted as it is sent, as an attachment that no cache keeps; its
    Chinese name goes as RFC 5987 ``filename*``."""
    response = FileResponse(files.open_private(relative), content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["Cache-Control"] = "no-store"
    return response
