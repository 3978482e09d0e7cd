"""收缴导入: a tax-bureau statement (税务代收明细) or a union's collection sheet posted through the batch service
(``services.collections_post_batch``) as a long job of the one runner (core.jobs, with its lease).

The sheet is read and checked by the project's import kit (``core.sheet_import``: a fixed header, xlsx or csv,
every row checked, an error file of the wrong rows with their reasons). The upload is stored encrypted
(core.files) and a dry run (预检) checks every row and then posts the whole file batch by batch in transactions
that are rolled back, so what it reports are the posting's own refusals (a closed month, a missing rule, more
than is owed); nothing is written. The commit (确认导入) posts batch by batch, each batch one transaction and one
audit event together with the job's cursor, so a crash resumes after the last committed batch and nothing is
posted twice; a batch refused at commit (something changed since the dry run) stops the job at its cursor
with the reason, the batches before it kept (docs/decisions/0048)."""

import datetime as dt
import io
import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import replace

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from gonghui.core import files, jobs, sheet_import
from gonghui.core.audit import acting_user, audit_record
from gonghui.core.batches import in_batches
from gonghui.core.errors import field_error
from gonghui.core.spreadsheets import parse_date, write_xlsx
from gonghui.core.uploads import check_upload
from gonghui.finance import services
from gonghui.finance.models import Collection, CollectionImport, FundDeclaration
from gonghui.finance.money import parse_yuan, percent_of
from gonghui.finance.policy import finance_policy
from gonghui.members.models import Employer
from gonghui.orgs import access
from gonghui.orgs.models import Org

USCC, NAME, MONTH, PAYROLL, AMOUNT, RECEIVED, ROUTE = (
    "统一社会信用代码", "单位名称", "所属月份", "工资总额(元)", "实缴金额(元)", "到账日期", "收缴方式")  # fmt: skip
HEADER = (USCC, NAME, MONTH, PAYROLL, AMOUNT, RECEIVED, ROUTE)
ROUTES = {"": Collection.Route.TAX, "税务代收": Collection.Route.TAX, "tax": Collection.Route.TAX,
          "工会直接收缴": Collection.Route.DIRECT, "直接收缴": Collection.Route.DIRECT,
          "direct": Collection.Route.DIRECT}  # fmt: skip
MONTH_TEXT = re.compile(r"(\d{4})\s*(?:[-/.年])\s*(\d{1,2})\s*月?")
LINE = re.compile(r"^第 (\d+) 行：(.*)$", re.S)


def parse_month(text: str) -> dt.date:
    """所属月份: 2026-03, 2026年3月, 202603, or any date in the month."""
    text = text.strip()
    match = MONTH_TEXT.fullmatch(text) or (re.fullmatch(r"(\d{4})(\d{2})", text))
    if match is None:
        return services.month_of(parse_date(text))
    year, month = int(match.group(1)), int(match.group(2))
    if not 1 <= month <= 12:
        raise ValidationError(f"所属月份 {text} 不存在。")
    return dt.date(year, month, 1)


def sheet(org: Org) -> sheet_import.SheetSpec:
    """The collection sheet of ``org``: each row an employer's payment for a month, collected by the employer's
    union (which must be ``org`` or below it) or, for an employer without a union, by ``org`` itself as 建会筹备金
    (then ``org`` must be a county-level union)."""
    employers: dict[str, Employer | None] = {}

    def check_row(values: dict[str, str]):
        reasons = []
        uscc = values[USCC].strip().upper()
        if uscc not in employers:
            employers[uscc] = Employer.objects.filter(uscc=uscc).first() if uscc else None
        employer = employers[uscc]
        if employer is None:
            reasons.append(f"统一社会信用代码“{uscc}”没有对应的已登记单位。" if uscc else "请填写统一社会信用代码。")
        elif values[NAME].strip() and values[NAME].strip() != employer.name:
            reasons.append(f"单位名称与登记的“{employer.name}”不一致，请核对统一社会信用代码。")
        union = services.union_of(employer) if employer else None
        if employer is not None and union is None:
            if not services.is_county_level(org):
                reasons.append(f"{employer.name}尚未建立工会，建会筹备金应由县级以上总工会导入。")
            union = org
        elif union is not None and union.pk != org.pk and not union.path.startswith(org.path):
            reasons.append(f"{employer.name}的工会（{union.name}）不在{org.name}之下。")
        parsed = {}
        for name, key, parse in ((MONTH, "month", parse_month), (RECEIVED, "received_on", parse_date),
                                 (AMOUNT, "amount_fen", parse_yuan)):  # fmt: skip
            try:
                parsed[key] = parse(values[name])
            except ValidationError as error:
                reasons.append(f"{name}：{'；'.join(error.messages)}")
        try:
            parsed["payroll_fen"] = parse_yuan(values[PAYROLL]) if values[PAYROLL].strip() else None
        except ValidationError as error:
            reasons.append(f"{PAYROLL}：{'；'.join(error.messages)}")
        route = ROUTES.get(values[ROUTE].strip())
        if route is None:
            reasons.append("收缴方式应为“税务代收”或“工会直接收缴”。")
        if reasons:
            raise ValidationError(reasons)
        return services.CollectionIn(employer=employer, org=union, route=route, **parsed)

    return sheet_import.SheetSpec(header=HEADER, required=(USCC, MONTH, AMOUNT, RECEIVED), check_row=check_row,
                                  max_rows=finance_policy().import_max_rows, noun="行",
                                  what="收缴记录")  # fmt: skip


def template() -> bytes:
    out = io.BytesIO()
    example = ["91330106MA2A0000X3", "杭州示例科技有限公司", "2026-03", "1234567.89", "24691.36", "2026-04-15",
               "税务代收"]  # fmt: skip
    write_xlsx(out, [("收缴明细", list(HEADER), [example])])
    return out.getvalue()


def _labelled(check: sheet_import.SheetCheck) -> list[services.CollectionIn]:
    """The checked rows named by their line in the file (the header is line 1), for the posting's refusals."""
    return [replace(item, label=f"第 {i + 2} 行") for i, item in enumerate(check.items)]


def _batches(items: list, size: int, start: int = 0) -> Iterator[tuple[int, list]]:
    for at in range(start, len(items), size):
        yield at, items[at : at + size]


def _read(job: CollectionImport) -> sheet_import.SheetCheck:
    with files.open_private(job.file_path) as handle:
        return sheet_import.read_checked(handle, job.kind, job.encoding or None, sheet(job.org))


# ----- services ---------------------------------------------------------------------------------------------


@transaction.atomic
def upload(*, actor, org: Org, file, file_name: str, background: bool = True) -> CollectionImport:
    """上传收缴明细: keeps the file (encrypted) and starts the dry run; nothing is posted yet."""
    from gonghui.finance.tasks import collection_import_check_task

    access.require_write(actor, org)
    try:
        checked = check_upload(file, allowed=("xlsx", "csv"))
    except ValidationError as error:
        raise field_error("file", error.messages[0]) from None
    relative = files.new_relative("finance/imports", checked.kind)
    file.seek(0)
    with files.create(relative) as out:
        while chunk := file.read(1024 * 1024):
            out.write(chunk)
    job = CollectionImport.objects.create(org=org, created_by=acting_user(actor), file_name=file_name[:200],
                                          file_path=relative, kind=checked.kind,
                                          encoding=checked.encoding or "")  # fmt: skip
    audit_record(actor=actor, action="finance.import.upload", obj=job, org=org, detail={"kind": checked.kind})
    if background:
        jobs.enqueue_job(job, collection_import_check_task)
    return job


def check(*, job: CollectionImport) -> CollectionImport:
    """预检 (a task body): every row checked, then the file posted batch by batch and rolled back; the wrong
    rows kept with their reasons. Runs again from the start after a crash (it writes nothing)."""
    job = CollectionImport.objects.select_related("org", "created_by").get(pk=job.pk)
    lease = jobs.claim(job, CollectionImport.Status.CHECKING)
    if lease is None:
        return job
    with lease:
        try:
            sheet_check = _read(job)
        except ValidationError as error:
            _fail(job, "；".join(error.messages))
            return job
        errors = dict(sheet_check.errors)
        if not errors:
            errors = _rehearse(job, sheet_check, lease)
        rows = sheet_check.rows
        job.errors = [[i + 2, *rows[i], message] for i, message in sorted(errors.items())]
        job.rows_total = len(rows)
        job.amount_fen = sum(item.amount_fen for item in sheet_check.items)
        job.status = CollectionImport.Status.CHECKED
        job.save(update_fields=["errors", "rows_total", "amount_fen", "status"])
    return job


def _rehearse(job: CollectionImport, sheet_check: sheet_import.SheetCheck, lease: jobs.Lease) -> dict[int, str]:
    """The posting rehearsed: each batch posted and rolled back (its refusal kept against its row), and what
    each employer and month is paid across the whole file held against what it owes (batches are rolled back,
    so one batch does not see another's payments)."""
    errors: dict[int, str] = {}
    items = _labelled(sheet_check)
    paid: dict[tuple[int, dt.date], int] = defaultdict(int)
    for item in items:
        paid[item.employer.pk, item.month] += item.amount_fen
    due = {(d.employer_id, d.month): d.due_fen - d.collected_fen for d in FundDeclaration.objects.filter(
        employer_id__in={k[0] for k in paid}, month__in={k[1] for k in paid})}  # fmt: skip
    rate = finance_policy().funds_rate_bp
    for i, item in enumerate(items):
        key = (item.employer.pk, item.month)
        owed = due.get(key, percent_of(item.payroll_fen, rate) if item.payroll_fen else paid[key])
        if paid[key] > owed:
            errors[i] = f"该单位{services.label(item.month)}在本文件中合计实缴超过应缴未缴的 {owed / 100:.2f} 元。"
    for _, batch in _batches(items, finance_policy().import_batch_rows):
        try:
            with transaction.atomic():
                services.collections_post_batch(actor=job.created_by, org=job.org, items=batch)
                transaction.set_rollback(True)
        except ValidationError as error:
            line, message = _line_of(error)
            errors.setdefault((line or 2) - 2, message)
        lease.beat()
    return errors


def _line_of(error: ValidationError) -> tuple[int | None, str]:
    message = "；".join(error.messages)
    match = LINE.match(message)
    return (int(match.group(1)), match.group(2)) if match else (None, message)


def _fail(job: CollectionImport, message: str) -> None:
    CollectionImport.objects.filter(pk=job.pk).update(status=CollectionImport.Status.FAILED, error=message[:500])


@transaction.atomic
def commit(*, actor, job: CollectionImport, background: bool = True) -> CollectionImport:
    """确认导入: starts the commit (or, after it stopped, resumes it from its cursor)."""
    from gonghui.finance.tasks import collection_import_commit_task

    access.require_write(actor, job.org)
    job = CollectionImport.objects.select_for_update().get(pk=job.pk)
    resumable = job.status == CollectionImport.Status.FAILED and job.rows_total and not job.errors
    if job.status != CollectionImport.Status.CHECKED and not resumable:
        raise ValidationError(f"该导入当前状态为“{job.get_status_display()}”，不能确认导入。")
    if job.errors:
        raise ValidationError(f"预检有 {len(job.errors)} 行有误，未导入任何收缴；请下载错误文件修改后重新上传。")
    if not files.exists(job.file_path):
        raise ValidationError("上传的文件已过期删除，请重新上传。")
    job.status, job.error = CollectionImport.Status.COMMITTING, ""
    job.save(update_fields=["status", "error"])
    audit_record(actor=actor, action="finance.import.commit", obj=job, org=job.org,
                 detail={"rows": job.rows_total, "resume_from": job.cursor})  # fmt: skip
    if background:
        jobs.enqueue_job(job, collection_import_commit_task)
    return job


def resume(*, actor, job: CollectionImport) -> None:
    """继续: a dry run or commit whose worker died (已停滞) back on the queue; audited (core.jobs)."""
    access.require_write(actor, job.org)
    jobs.resume_or_refuse(job, actor=actor)


def run(*, job: CollectionImport) -> CollectionImport:
    """The commit (a task body): batch by batch through ``collections_post_batch``, each batch one transaction
    with the job's cursor (checked under a row lock, so two runs never post a batch twice)."""
    job = CollectionImport.objects.select_related("org", "created_by").get(pk=job.pk)
    lease = jobs.claim(job, CollectionImport.Status.COMMITTING)
    if lease is None:
        return job
    with lease:
        items = _labelled(_read(job))
        try:
            for at, batch in _batches(items, finance_policy().import_batch_rows, job.cursor):
                _commit_batch(job, at, batch, lease)
        except ValidationError as error:
            _fail(job, f"{'；'.join(error.messages)}（已导入的前 {job.cursor} 行已入账；处理后可点击“继续导入”。）")
            return job
        except jobs.LeaseLost:
            raise
        except Exception:
            _fail(job, f"导入中断，已导入的前 {job.cursor} 行已入账，可点击“继续导入”；如再次中断，请联系系统管理员。")
            raise
        job.status, job.finished_at = CollectionImport.Status.COMMITTED, timezone.now()
        job.save(update_fields=["status", "finished_at"])
        audit_record(actor=job.created_by, action="finance.import.done", obj=job, org=job.org,
                     detail={"rows": job.rows_total, "amount": job.amount_fen})  # fmt: skip
    return job


@transaction.atomic
def _commit_batch(job: CollectionImport, at: int, batch: list, lease: jobs.Lease) -> None:
    locked = CollectionImport.objects.select_for_update().only("cursor").get(pk=job.pk)
    lease.beat()
    if locked.cursor != at:  # another run got here first
        raise RuntimeError("collection import already running")
    services.collections_post_batch(actor=job.created_by, org=job.org, items=batch)
    job.cursor = at + len(batch)
    CollectionImport.objects.filter(pk=job.pk).update(cursor=job.cursor)


def errors_file(*, job: CollectionImport) -> bytes:
    """错误文件: the wrong rows of the dry run as they were typed, with an 错误原因 column, to fix and upload."""
    out = io.BytesIO()
    write_xlsx(out, [("错误", ["行号", *HEADER, sheet_import.ERROR_COLUMN], job.errors)])
    return out.getvalue()


RUNNING = (CollectionImport.Status.CHECKING, CollectionImport.Status.COMMITTING)


def files_expire(*, cutoff: dt.datetime, batch_size: int) -> int:
    """保存期限 (the retention category ``finance_import_file``, enforced daily with the others): the stored
    statement files uploaded before ``cutoff`` are deleted, in committed batches. Each import's record stays and
    says when its file went; a dry run or commit under way keeps its file (its row is locked as ``commit`` locks
    it, so a commit cannot start on a file being deleted), and a commit asked for later is refused."""

    def expire(ids: list[int]) -> int:
        rows = (CollectionImport.objects.select_for_update().filter(pk__in=ids).exclude(status__in=RUNNING)
                .exclude(file_path=""))  # fmt: skip
        found = dict(rows.values_list("pk", "file_path"))
        CollectionImport.objects.filter(pk__in=found).update(file_path="", file_expired_at=timezone.now())
        transaction.on_commit(lambda: [files.remove(path) for path in found.values()])
        return len(found)

    old = CollectionImport.objects.filter(created_at__lt=cutoff).exclude(status__in=RUNNING).exclude(file_path="")
    return in_batches(old, expire, batch_size)
