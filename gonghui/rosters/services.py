"""Every write of roster import and export. Keyword-only; the user-facing ones are one transaction each and
audited; the task bodies (``import_check``, ``import_run``, ``export_run``) work in batches."""

import datetime as dt
import hashlib
import io
import json
from collections import Counter
from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from gonghui.core import crypto, exports, files, jobs
from gonghui.core.audit import acting_user, audit_record
from gonghui.core.dbstats import planner_statistics_refresh
from gonghui.core.errors import field_error
from gonghui.core.models import ExportJob
from gonghui.core.spreadsheets import write_xlsx
from gonghui.core.uploads import check_upload
from gonghui.members.models import Membership, Person
from gonghui.orgs import access
from gonghui.orgs.models import MEMBER_HOLDING_TYPES, Org
from gonghui.rosters import importer
from gonghui.rosters.columns import COLUMNS, IGNORED, UNDECIDED, synonym_key
from gonghui.rosters.lists import ROSTER
from gonghui.rosters.models import OUTCOMES, ColumnMapping, ImportIssue, ImportJob
from gonghui.rosters.policy import roster_policy
from gonghui.rosters.selectors import remembered_mapping

ERROR_COLUMN = "错误原因"


def _enqueue(task, pk: int) -> None:
    """Queued after commit; queued again by the stalled-job watcher if the task queue was down (core.jobs)."""
    jobs.enqueue_job(ImportJob(pk=pk), task)


# ----- import ------------------------------------------------------------------------------------------------


@transaction.atomic
def import_upload(*, actor, org: Org, file, file_name: str, background: bool = True) -> ImportJob:
    """上传花名册: keeps the file and starts the dry run (a task; with ``background`` false the caller runs
    ``import_check`` itself, as ``manage.py roster_import`` does); nothing is written to the registry yet."""
    from gonghui.rosters.tasks import import_check_task

    access.require_role(actor, org, access.WRITE_ROLES)
    if org.org_type not in MEMBER_HOLDING_TYPES:
        raise field_error("org", f"{org.get_org_type_display()}不直接发展会员，请选择基层工会或乡镇（街道）工会。")
    if org.status != Org.Status.ACTIVE:
        raise field_error("org", f"“{org.name}”不是正常状态的工会，不能导入会员。")
    try:
        checked = check_upload(file)
    except ValidationError as error:
        raise field_error("file", error.messages[0], code=error.code or "invalid") from None
    relative = files.new_relative("rosters/imports", checked.kind)
    digest = hashlib.sha256()
    with files.create(relative) as out:  # encrypted, 0600 in a 0700 folder (core.files)
        while chunk := file.read(1024 * 1024):
            digest.update(chunk)
            out.write(chunk)
    job = ImportJob.objects.create(
        org=org, created_by=acting_user(actor), file_name=file_name[:200], file_path=relative, kind=checked.kind,
        encoding=checked.encoding or "", sha256=digest.hexdigest(),
    )  # fmt: skip
    audit_record(actor=actor, action="roster.import.upload", obj=job, org=org, detail={"kind": checked.kind})
    if background:
        _enqueue(import_check_task, job.pk)
    return job


def import_check(*, job: ImportJob, progress: Callable[[int], None] | None = None) -> ImportJob:
    """预检 (the dry run, a task body): classifies every row against the registry and stores the counts, a
    preview of each outcome and the invalid and duplicate rows. Writes nothing to the registry. ``progress``
    is told the rows checked after each batch. A long job (core.jobs): resumed after its worker died, it starts
    again."""
    lease = jobs.claim(job, ImportJob.Status.CHECKING)
    if lease is None:  # checked already, or another worker is checking it
        return job
    with lease:
        return _check(job, lease, progress)


def _check(job: ImportJob, lease: jobs.Lease, progress: Callable[[int], None] | None) -> ImportJob:
    policy = roster_policy()
    ImportIssue.objects.filter(job=job).delete()
    job.mapping = remembered_mapping(job.org)  # the commit reads the file the same way
    classifier = importer.Classifier(job, create_employers=False)
    counts: Counter = Counter()
    samples: dict[str, list] = {kind: [] for kind in OUTCOMES}
    sheets: list = []
    skipped: list[str] = []
    try:
        # A first pass counts the data rows, so that the progress bar shows the share really checked.
        job.rows_total = sum(1 for _ in importer.source_rows(job, [], []))
        ImportJob.objects.filter(pk=job.pk).update(rows_total=job.rows_total, mapping=job.mapping)
        for batch in importer.batches(importer.source_rows(job, sheets, skipped), policy.batch_size):
            outcomes = classifier.classify(list(batch))
            counts.update(o.kind for o in outcomes)
            for o in outcomes:
                if len(samples[o.kind]) < policy.preview_rows:
                    samples[o.kind].append(importer.preview_item(o))
            with transaction.atomic():
                lease.beat()
                ImportIssue.objects.bulk_create(
                    ImportIssue(job=job, position=o.row.position, sheet=o.row.sheet[:100], row_number=o.row.row_number,
                                kind=o.kind, reason=o.reason[:300], cells_enc=importer.issue_cells(o.row))
                    for o in outcomes if o.kind in ("invalid", "duplicate")
                )  # fmt: skip
                ImportJob.objects.filter(pk=job.pk).update(rows_checked=sum(counts.values()))
            if progress:
                progress(sum(counts.values()))
    except jobs.LeaseLost:
        raise
    except Exception:
        _fail(job, f"{KIND_NAMES[job.kind]}无法读取，可能已损坏。请用 Excel 或 WPS 打开确认后重新上传。")
        raise
    job.rows_total = job.rows_checked = sum(counts.values())
    job.counts = {kind: counts[kind] for kind in OUTCOMES}
    job.preview = {"rows": samples, "skipped": skipped,
                   "sheets": [{"name": s.name, "header": s.header, "columns": s.columns, "rows": s.rows}
                              for s in sheets]}  # fmt: skip
    job.status = ImportJob.Status.CHECKED
    refusal = _empty_file_refusal(job, sheets, skipped)
    if refusal:
        job.status, job.error = ImportJob.Status.FAILED, refusal
    job.save(update_fields=["rows_total", "rows_checked", "counts", "preview", "status", "error"])
    return job


# The file type in the words of a message (core.uploads.check_upload found it by the content).
KIND_NAMES = {"xlsx": "该 Excel 工作簿（.xlsx）", "xls": "该 Excel 工作簿（.xls）", "csv": "该 CSV 文件"}


def _empty_file_refusal(job: ImportJob, sheets: list, skipped: list[str]) -> str:
    """Why a checked file cannot be imported at all (it then fails with this message), or ""."""
    what = KIND_NAMES[job.kind]
    if not sheets:
        where = "中" if job.kind == "csv" else "的每个工作表中都"
        return (f"{what}{where}没有找到表头：表头须有“姓名”和“身份证号”两列（也可写作“职工姓名”“公民身份号码”等）。"
                "请对照花名册模板修改后重新上传。")  # fmt: skip
    if job.rows_total == 0:
        return f"{what}只有表头，没有会员数据行。请填写会员信息后重新上传。"
    return ""


@transaction.atomic
def import_remap(*, actor, job: ImportJob, assignments: dict[str, str]) -> ImportJob:
    """列对应: the cadre assigns columns of the dry run to fields ("" to leave a column out); the union
    remembers each choice for its next uploads, and the dry run runs again with them. Only before the commit.

    A choice equal to what the heading matches by its name is not stored (the name keeps matching), and
    clears an earlier choice of the union for that heading."""
    from gonghui.rosters.tasks import import_check_task

    access.require_role(actor, job.org, access.WRITE_ROLES)
    job = ImportJob.objects.select_for_update().get(pk=job.pk)
    if job.status not in (ImportJob.Status.CHECKED, ImportJob.Status.FAILED) or job.cursor:
        raise ValidationError(f"该导入当前状态为“{job.get_status_display()}”，不能再修改列对应。")
    headings = {c["heading"] for sheet in job.preview.get("sheets", []) for c in sheet.get("columns", [])}
    for heading, key in assignments.items():
        if heading not in headings:
            raise field_error("mapping", f"文件中没有“{heading}”这一列，请刷新页面后重新设置。")
        if key not in (*COLUMNS, "", UNDECIDED):
            raise field_error("mapping", f"“{heading}”列的对应项目无效，请重新选择。")
    for heading, key in assignments.items():
        by_name = synonym_key(heading) or ("" if heading.upper() in IGNORED else UNDECIDED)
        if key in (by_name, UNDECIDED):  # as the name matches it, or left undecided: nothing to remember
            ColumnMapping.objects.filter(org=job.org, heading=heading).delete()
        else:
            ColumnMapping.objects.update_or_create(org=job.org, heading=heading,
                                                   defaults={"key": key, "updated_by": acting_user(actor)})  # fmt: skip
    job.status, job.error, job.counts, job.preview, job.rows_checked = ImportJob.Status.CHECKING, "", {}, {}, 0
    job.save(update_fields=["status", "error", "counts", "preview", "rows_checked"])
    audit_record(actor=actor, action="roster.import.remap", obj=job, org=job.org, detail={"columns": assignments})
    _enqueue(import_check_task, job.pk)
    return job


def _fail(job: ImportJob, message: str) -> None:
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.FAILED, error=message[:500])


@transaction.atomic
def import_commit(*, actor, job: ImportJob, background: bool = True) -> ImportJob:
    """确认导入: starts (or, after a failure, resumes from its cursor) the commit task (with ``background``
    false the caller runs ``import_run`` itself)."""
    from gonghui.rosters.tasks import import_commit_task

    access.require_role(actor, job.org, access.WRITE_ROLES)
    job = ImportJob.objects.select_for_update().get(pk=job.pk)
    resumable = job.status == ImportJob.Status.FAILED and job.rows_total and job.counts
    if job.status != ImportJob.Status.CHECKED and not resumable:
        raise ValidationError(f"该导入当前状态为“{job.get_status_display()}”，不能确认导入。")
    if not files.exists(job.file_path):
        raise ValidationError("上传的文件已过期删除，请重新上传。")
    job.status, job.error = ImportJob.Status.COMMITTING, ""
    job.save(update_fields=["status", "error"])
    audit_record(actor=actor, action="roster.import.commit", obj=job, org=job.org,
                 detail={"rows": job.rows_total, "resume_from": job.cursor})  # fmt: skip
    if background:
        _enqueue(import_commit_task, job.pk)
    return job


def import_resume(*, actor, job: ImportJob) -> None:
    """继续: a dry run or commit whose worker died (已停滞) back on the queue; audited (core.jobs)."""
    access.require_role(actor, job.org, access.WRITE_ROLES)
    jobs.resume_or_refuse(job, actor=actor)


def import_run(
    *, job: ImportJob, actor=None, progress: Callable[[int], None] | None = None, workers: int | None = None
) -> ImportJob:
    """The commit (a task body): batch by batch, each batch one transaction with the job's cursor, so that a
    crash or restart continues after the last committed batch. Running it again after it finished, or
    twice at once, writes nothing twice (a long job, core.jobs: one lease holder; and the cursor is checked
    under a row lock). ``progress`` is told the rows done after each batch. The rows are prepared by
    ``workers`` processes (default ``RosterPolicy.workers``), the results taken in file order."""
    job = ImportJob.objects.select_related("org", "created_by").get(pk=job.pk)
    lease = jobs.claim(job, ImportJob.Status.COMMITTING)
    if lease is None:  # finished, or another worker is committing it
        return job
    with lease:
        return _run(job, lease, actor, progress, workers)


def _run(job: ImportJob, lease: jobs.Lease, actor, progress: Callable[[int], None] | None, workers: int | None
         ) -> ImportJob:  # fmt: skip
    policy = roster_policy()
    try:
        known = importer.known_digests(job.org)  # rows imported before, to skip unread when unchanged
        classifier = importer.Classifier(job, create_employers=True, known=known)
        if policy.read_ahead:
            rows = importer.prepared_rows(job, known, policy.workers if workers is None else workers)
        else:
            rows = (importer.row_prepare(row, known) for row in importer.source_rows(job, [], []))
        for batch in importer.batches(rows, policy.batch_size):
            done = [row for row in batch if row.position < job.cursor]
            for row in done:
                classifier.remember(row)
            todo = list(batch[len(done) :])
            if todo:
                _commit_batch(job, classifier, todo, actor, lease)
            if progress:
                progress(job.cursor)
    except jobs.LeaseLost:  # another worker took the import over after this one stalled
        raise
    except Exception:
        _fail(job, f"导入中断，已导入的 {job.cursor} 行已保存，可点击“继续导入”；如再次中断，请联系系统管理员。")
        raise
    job.status, job.finished_at = ImportJob.Status.COMMITTED, timezone.now()
    job.save(update_fields=["status", "finished_at"])
    if job.rows_total >= policy.analyze_after_rows:
        planner_statistics_refresh(tables=(Person._meta.db_table, Membership._meta.db_table))
    audit_record(actor=actor or job.created_by, action="roster.import.done", obj=job, org=job.org,
                 detail=job.committed)  # fmt: skip
    return job


@transaction.atomic
def _commit_batch(job: ImportJob, classifier: importer.Classifier, rows: list, actor, lease: jobs.Lease) -> None:
    locked = ImportJob.objects.select_for_update().only("cursor", "committed").get(pk=job.pk)
    lease.beat()
    if locked.cursor != job.cursor:  # another run got here first
        raise RuntimeError("import already running")
    outcomes = classifier.classify(rows)
    created = importer.write_batch(job, outcomes)
    counts = Counter(job.committed) + Counter(o.kind for o in outcomes)
    job.cursor, job.committed = rows[-1].position + 1, {kind: counts[kind] for kind in OUTCOMES}
    ImportJob.objects.filter(pk=job.pk).update(cursor=job.cursor, committed=job.committed)
    audit_record(actor=actor or job.created_by, action="roster.import.batch", obj=job, org=job.org,
                 detail={"from": rows[0].position, "to": job.cursor, "memberships": created,
                         "updated": sum(o.kind == "update" for o in outcomes)})  # fmt: skip


def import_errors_file(*, actor, job: ImportJob) -> bytes:
    """错误行: the invalid rows with their original columns and an error column, one sheet per roster sheet;
    fixed and uploaded again, they import. The file holds personal data: audited."""
    access.require_role(actor, job.org, access.WRITE_ROLES)
    # The rows come back as typed, full ID numbers and phones included: to whoever uploaded them, or to a
    # cadre who may see full personal data there anyway.
    if actor.pk != job.created_by_id and not access.can_unmask(actor, job.org):
        message = "错误行含完整的身份证号码和手机号码，只能由上传人或有查看完整个人信息权限的人员下载。"
        raise access.deny(actor, message, job.org)
    sheets = job.preview.get("sheets", [])
    issues = ImportIssue.objects.filter(job=job, kind=ImportIssue.Kind.INVALID).order_by("position")

    def rows_of(name: str):
        for issue in issues.filter(sheet=name[:100]).iterator(chunk_size=2000):
            yield [*json.loads(crypto.decrypt(issue.cells_enc)), issue.reason]

    out = io.BytesIO()
    write_xlsx(out, ((s["name"], [*s["header"], ERROR_COLUMN], rows_of(s["name"])) for s in sheets))
    audit_record(actor=actor, action="roster.import.errors_download", obj=job, org=job.org,
                 detail={"rows": job.counts.get("invalid", 0)})  # fmt: skip
    return out.getvalue()


# ----- export ------------------------------------------------------------------------------------------------


def export_start(*, actor, org: Org, unmasked: bool = False) -> ExportJob:
    """导出花名册: the active members of ``org``'s subtree (core.exports), masked unless ``unmasked`` (a permission)."""
    return exports.export_start(actor=actor, spec=ROSTER, params={"org": [str(org.pk)]}, unmasked=unmasked)


def roster_files_expire(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Deletes uploaded rosters, their kept invalid rows and exports (of every list: core.exports) older than
    ``RosterPolicy.file_keep_days``."""
    cutoff = (now or timezone.now()) - dt.timedelta(days=roster_policy().file_keep_days)
    expired = exports.exports_expire(cutoff=cutoff)  # every list's exports keep the roster files' time
    imports = ImportJob.objects.filter(created_at__lt=cutoff).exclude(status=ImportJob.Status.COMMITTING)
    for job in imports.exclude(file_path="").iterator():
        files.remove(job.file_path)
    uploads = imports.exclude(file_path="").update(file_path="")
    # The invalid rows kept (encrypted) for the error file go with the upload they came from.
    issues, _ = ImportIssue.objects.filter(job__in=imports).delete()
    return {"exports": expired, "uploads": uploads, "issues": issues}


def roster_files_expire_daily(*, today: dt.date) -> int:
    """The daily job (``run_daily``): roster_files_expire as of now; how many files and rows went."""
    return sum(roster_files_expire().values())
