"""导出: any list a cadre sees (``core.lists.CadreList``) as an .xlsx, made by one task (``core.tasks.export_task``)
with its progress kept on the job; masked unless the user may unmask on the list's org (audited either way);
downloadable only by the person who asked; the file is deleted when it expires. The roster export is one such
list (rosters.lists.ROSTER)."""

import datetime as dt
import errno
import json
import logging

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.datastructures import MultiValueDict

from gonghui.core import crypto, files, jobs, replica
from gonghui.core.audit import audit_record
from gonghui.core.lists import NOT_FILTERS, CadreList, cadre_list, export_rows
from gonghui.core.models import ExportJob
from gonghui.core.spreadsheets import write_xlsx
from gonghui.orgs import access

PROGRESS_EVERY = 500  # rows between two progress updates
logger = logging.getLogger(__name__)
DISK_FULL = "服务器存储空间不足，文件没有生成。请稍后重新导出；如果问题持续出现，请联系平台管理员。"
WRITE_FAILED = "生成文件时出错，文件没有生成。请稍后重新导出；如果问题持续出现，请联系平台管理员。"
PERMISSION_GONE = "您已没有导出完整个人信息的权限，文件没有生成。"


def _failed(job: ExportJob, reason: str) -> None:
    """The job failed: its reason kept for the requester's page, no file offered (the half-written one is gone)."""
    files.remove(job.file_path)
    ExportJob.objects.filter(pk=job.pk).update(status=ExportJob.Status.FAILED, finished_at=timezone.now(),
                                               file_path="", error=reason)  # fmt: skip
    job.status, job.file_path, job.error = ExportJob.Status.FAILED, "", reason


def export_params(data) -> dict[str, list[str]]:
    """A list's filters as asked (a QueryDict), without the page and the form's own fields."""
    return {name: values for name, values in data.lists() if name not in NOT_FILTERS}


def _filters(spec: CadreList, params: dict[str, list[str]]) -> dict:
    return spec.clean_filters(MultiValueDict(params))


def export_start(*, actor, spec: CadreList, params: dict[str, list[str]], unmasked: bool = False) -> ExportJob:
    """导出 a list with its filters: masked unless ``unmasked``, which needs the permission on the list's org
    and a write role (a read-only grant may export masked: docs/decisions/0013)."""
    from gonghui.core.tasks import export_task

    access.require_cadre(actor)
    if not spec.columns:  # a list that declares no columns (a console's, the exports themselves) is not exported
        raise Http404("没有这个列表")
    org = spec.org_of(actor, _filters(spec, params))  # Http404 outside the user's scope
    if unmasked and (org is None or not access.can_export_unmasked(actor, org)):
        audit_record(actor=actor, action=spec.export_action, org=org, result="denied", detail={"unmasked": True})
        raise PermissionDenied("您没有导出完整个人信息的权限。")
    with transaction.atomic():  # the refusal above is audited outside it, so that it stays recorded
        job = ExportJob.objects.create(
            list_name=spec.name, title=spec.title, params_enc=crypto.encrypt(json.dumps(params, ensure_ascii=False)),
            org=org, requested_by=actor, unmasked=unmasked,
        )  # fmt: skip
        audit_record(actor=actor, action=spec.export_action, obj=job, org=org, detail={"unmasked": unmasked})
        jobs.enqueue_job(job, export_task)  # queued again later if the task queue is down
    return job


def export_run(*, job: ExportJob) -> ExportJob:
    """Writes the file (the task body): the list as its requester sees it now, streamed, the progress kept.
    A long job (core.jobs): it holds a lease, renewed every ``PROGRESS_EVERY`` rows; resumed after its worker
    died, it writes the file again from the start (the half-written one is deleted)."""
    job = ExportJob.objects.select_related("requested_by", "org").get(pk=job.pk)
    lease = jobs.claim(job, ExportJob.Status.RUNNING)
    if lease is None:  # finished, or another worker is writing it
        return job
    with lease:
        return _write(job, lease)


def _write(job: ExportJob, lease: jobs.Lease) -> ExportJob:
    spec = cadre_list(job.list_name)
    user = job.requested_by
    if spec is None or (job.unmasked and not access.can_export_unmasked(user, job.org)):  # the permission went
        _failed(job, PERMISSION_GONE if spec else WRITE_FAILED)
        return job
    filters = _filters(spec, json.loads(crypto.decrypt(job.params_enc)))
    files.remove(job.file_path)  # what a worker that died left half-written
    relative = files.new_relative("exports", "xlsx")
    with replica.reading():  # the list is read from the standby when there is one (core.replica)
        total = spec.rows(user, filters).count()
    ExportJob.objects.filter(pk=job.pk).update(rows_total=total, rows=0, file_path=relative)

    def cells():
        for done, row in enumerate(export_rows(spec, user, filters)):
            if done and done % PROGRESS_EVERY == 0:
                lease.beat()
                ExportJob.objects.filter(pk=job.pk).update(rows=done)
            yield spec.cells(row, unmasked=job.unmasked)

    try:  # the rows from the standby too; the progress is written to the primary as ever
        with replica.reading(), files.create(relative) as out:  # encrypted, 0600 in a 0700 folder; deleted if the
            job.rows = write_xlsx(out, [(spec.title, spec.header(), cells())])  # writing fails
    except jobs.LeaseLost:  # another worker took the job over: it writes the file
        raise
    except OSError as error:  # the disk is full (ENOSPC, EDQUOT) or failing: the job fails with its reason
        full = error.errno in {errno.ENOSPC, errno.EDQUOT}
        logger.error("导出 %s 失败：%s", job.pk, "存储空间不足" if full else "写文件出错")
        _failed(job, DISK_FULL if full else WRITE_FAILED)
        raise  # and so does the task (never retried: a new export is the user's choice)
    except Exception:
        _failed(job, WRITE_FAILED)
        raise
    job.file_path, job.status, job.finished_at = relative, ExportJob.Status.READY, timezone.now()
    job.save(update_fields=["rows", "file_path", "status", "finished_at"])
    return job


def export_download(*, actor, job: ExportJob) -> str:
    """The stored file (core.files) of a ready export, for the person who asked for it; audited."""
    if job.requested_by_id != getattr(actor, "pk", None):
        raise Http404("导出记录不存在")
    if job.status != ExportJob.Status.READY:
        raise ValidationError(f"该导出当前状态为“{job.get_status_display()}”，不能下载。")
    spec = cadre_list(job.list_name)
    action = spec.export_action if spec else f"{job.list_name}.export"
    audit_record(actor=actor, action=f"{action}.download", obj=job, org=job.org,
                 detail={"unmasked": job.unmasked, "rows": job.rows})  # fmt: skip
    return job.file_path


def exports_expire(*, cutoff: dt.datetime) -> int:
    """Deletes the files of exports made before ``cutoff``; how many expired."""
    exports = ExportJob.objects.filter(created_at__lt=cutoff).exclude(status=ExportJob.Status.EXPIRED)
    for job in exports.exclude(file_path="").iterator():
        files.remove(job.file_path)
    return exports.update(status=ExportJob.Status.EXPIRED, file_path="")


def exports_of(user, *, list_name: str = "") -> QuerySet[ExportJob]:
    """The user's own exports (nobody else's: the file is for the person who asked), newest first."""
    access.require_cadre(user)
    jobs = ExportJob.objects.filter(requested_by=user).select_related("org")
    if list_name:
        jobs = jobs.filter(list_name=list_name)
    return jobs.order_by("-id")


def export_for_owner(user, pk: int) -> ExportJob:
    job = exports_of(user).filter(pk=pk).first()
    if job is None:
        raise Http404("导出记录不存在")
    return job
