"""A province-sized roster from the command line: the same services as the page — the upload checks, the dry
run with its error file, the commit in resumable batches — run in this process with a progress bar.

    manage.py roster_import 花名册.xlsx --org 123 --user zhejiang            # dry run only (the default)
    manage.py roster_import 花名册.xlsx --org 123 --user zhejiang --commit   # dry run, then import
    manage.py roster_import --resume 45 --user zhejiang                      # continue an interrupted import

``--workers N`` sets the processes that read, check and seal the rows while this one writes (default: one per
core, or GONGHUI_ROSTER_WORKERS; decision 0047).
"""

import time
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.http import Http404

from gonghui.accounts.models import User
from gonghui.orgs.models import Org
from gonghui.rosters import services
from gonghui.rosters.models import OUTCOME_LABELS, OUTCOMES, ImportJob

BAR_WIDTH = 30


class Progress:
    """A one-line progress bar on the terminal (stderr), at most ten redraws a second."""

    def __init__(self, out, label: str, total: int | None = None):
        self.out, self.label, self.total = out, label, total
        self.started = self.drawn = time.monotonic()

    def __call__(self, done: int, *, last: bool = False) -> None:
        now = time.monotonic()
        if not last and now - self.drawn < 0.1:
            return
        self.drawn = now
        rate = done / max(now - self.started, 1e-9)
        if self.total:
            filled = BAR_WIDTH * min(done, self.total) // self.total
            bar = f"[{'#' * filled}{'.' * (BAR_WIDTH - filled)}] {done:,}/{self.total:,} 行"
        else:
            bar = f"{done:,} 行"
        self.out.write(f"\r{self.label} {bar}  {rate:,.0f} 行/秒", ending="\n" if last else "")
        self.out.flush()


class Command(BaseCommand):
    help = "从命令行导入会员花名册（与页面相同的检查、预检、错误行文件和断点续传）"

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", help="花名册文件（xlsx、xls 或 csv）")
        parser.add_argument("--org", type=int, help="导入到的工会（组织编号）")
        parser.add_argument("--user", required=True, help="以哪位干部的身份导入（用户名；需有该工会的维护权限）")
        mode = parser.add_mutually_exclusive_group()
        mode.add_argument("--dry-run", action="store_true", help="只预检，不写入（默认）")
        mode.add_argument("--commit", action="store_true", help="预检后导入")
        mode.add_argument("--resume", type=int, metavar="JOB_ID", help="继续一次中断的导入")
        parser.add_argument("--errors", help="错误行文件的保存位置（默认与花名册同目录）")
        parser.add_argument("--workers", type=int, help="导入时并行处理的进程数（默认每个 CPU 核一个）")

    def handle(self, *args, file, org, user, commit, resume, errors, workers, **options):
        if workers is not None and workers < 0:
            raise CommandError("--workers 不能为负数。")
        self.workers = workers
        actor = User.objects.filter(username=user, is_active=True).first()
        if actor is None:
            raise CommandError(f"用户“{user}”不存在或已停用。")
        try:
            if resume:
                job = ImportJob.objects.select_related("org").filter(pk=resume).first()
                if job is None:
                    raise CommandError(f"导入任务 {resume} 不存在。")
                self._commit(actor, job)
                return
            if not file or not org:
                raise CommandError("请给出花名册文件和 --org 工会编号（或用 --resume 继续一次导入）。")
            job = self._check(actor, Path(file), org, errors)
            if commit:
                self._commit(actor, job)
            else:
                self.stdout.write("预检完成，未写入任何数据；确认无误后加 --commit 导入。")
        except (ValidationError, PermissionDenied, Http404) as error:
            raise CommandError(_message(error)) from None

    def _check(self, actor, path: Path, org_id: int, errors: str | None) -> ImportJob:
        if not path.is_file():
            raise CommandError(f"找不到文件 {path}。")
        org = Org.objects.filter(pk=org_id).first()
        if org is None:
            raise CommandError(f"工会 {org_id} 不存在。")
        with path.open("rb") as file:
            job = services.import_upload(actor=actor, org=org, file=file, file_name=path.name, background=False)
        progress = Progress(self.stderr, "预检")
        job = services.import_check(job=job, progress=progress)
        progress(job.rows_total, last=True)
        self.stdout.write(f"导入任务 {job.pk}：共 {job.rows_total:,} 行。")
        for kind in OUTCOMES:
            self.stdout.write(f"  {OUTCOME_LABELS[kind]}：{job.counts[kind]:,}")
        if job.counts["invalid"]:
            target = Path(errors) if errors else path.with_name(f"{path.stem}-错误行.xlsx")
            target.write_bytes(services.import_errors_file(actor=actor, job=job))
            self.stdout.write(f"错误行已写入 {target}（含完整个人信息，请妥善保管，改正后可重新导入）。")
        return job

    def _commit(self, actor, job: ImportJob) -> None:
        job = services.import_commit(actor=actor, job=job, background=False)
        progress = Progress(self.stderr, "导入", job.rows_total)
        try:
            job = services.import_run(job=job, actor=actor, progress=progress, workers=self.workers)
        except Exception as error:
            job.refresh_from_db()
            raise CommandError(f"导入中断（{error.__class__.__name__}），已导入 {job.cursor:,} 行；"
                               f"用 --resume {job.pk} 继续。") from error  # fmt: skip
        progress(job.cursor, last=True)
        if job.status != ImportJob.Status.COMMITTED:
            raise CommandError(f"导入任务 {job.pk} 当前状态为“{job.get_status_display()}”。")
        created = job.committed.get("create", 0)
        self.stdout.write(self.style.SUCCESS(f"导入完成：新增 {created:,} 名会员，"
                                             f"更新 {job.committed.get('update', 0):,} 人。"))  # fmt: skip


def _message(error: Exception) -> str:
    if isinstance(error, ValidationError):
        return "；".join(error.messages)
    return str(error) if isinstance(error, PermissionDenied) else "工会不存在或不在您的权限范围内。"
