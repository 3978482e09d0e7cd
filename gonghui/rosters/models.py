"""花名册: roster imports (dry run, then a resumable commit). Roster exports are core.models.ExportJob."""

from django.conf import settings
from django.db import models

from gonghui.core.crypto import EncryptedTextField
from gonghui.core.files import PrivateFileField
from gonghui.core.jobs import LeasedJob
from gonghui.orgs.scope import ScopedQuerySet

OUTCOMES = ("create", "update", "unchanged", "other_union", "duplicate", "invalid")
OUTCOME_LABELS = {
    "create": "新增", "update": "更新", "unchanged": "无变化", "other_union": "属其他工会（转会候选）",
    "duplicate": "文件内重复", "invalid": "无效",
}  # fmt: skip


class ImportJob(LeasedJob):
    """花名册导入 — one uploaded roster file for one union: its dry run, then its commit.

    The dry run stores the counts of each outcome, a preview of the first rows of each, and the invalid and
    duplicate rows (``ImportIssue``). The commit runs as a task in batches; each batch commits together with
    ``cursor`` (the number of data rows of the file consumed so far), so a crash or restart resumes after the
    last committed batch, losing and repeating nothing."""

    class Status(models.TextChoices):
        CHECKING = "checking", "检查中"
        CHECKED = "checked", "待确认导入"
        COMMITTING = "committing", "导入中"
        COMMITTED = "committed", "已导入"
        FAILED = "failed", "失败"

    lease_tasks = {  # a long job (core.jobs): the dry run starts again, the commit resumes from its cursor
        Status.CHECKING: "gonghui.rosters.tasks.import_check_task",
        Status.COMMITTING: "gonghui.rosters.tasks.import_commit_task",
    }

    org = models.ForeignKey("orgs.Org", verbose_name="导入到工会", on_delete=models.PROTECT,
                            related_name="roster_imports")  # fmt: skip
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="上传人", null=True,
                                   on_delete=models.SET_NULL, related_name="+")  # fmt: skip
    status = models.CharField("状态", max_length=16, choices=Status.choices, default=Status.CHECKING)
    file_name = models.CharField("文件名", max_length=200)
    file_path = PrivateFileField("存储文件", max_length=300)
    kind = models.CharField("文件类型", max_length=8)
    encoding = models.CharField("文本编码", max_length=16, blank=True)
    sha256 = models.CharField("文件指纹", max_length=64, db_index=True)
    rows_total = models.PositiveIntegerField("数据行数", default=0)
    rows_checked = models.PositiveIntegerField("已检查行数", default=0)
    # The union's column mapping as the dry run read the file with it (heading -> column key, "" ignored);
    # the commit reads the file the same way, whatever the union changes meanwhile.
    mapping = models.JSONField("列对应", default=dict)
    counts = models.JSONField("检查结果", default=dict)
    preview = models.JSONField("预览", default=dict)
    cursor = models.PositiveIntegerField("已导入到第几行", default=0)
    committed = models.JSONField("导入结果", default=dict)
    error = models.CharField("失败原因", max_length=500, blank=True)
    created_at = models.DateTimeField("上传时间", auto_now_add=True)
    finished_at = models.DateTimeField("导入完成时间", null=True, blank=True)

    scope_paths = ("org__path",)
    scope_related = ("org", "created_by")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "花名册导入"
        verbose_name_plural = "花名册导入"
        indexes = [models.Index(fields=["org", "-id"], name="roster_import_org_idx")]

    def __str__(self) -> str:
        return f"{self.file_name} → {self.org_id}"

    @property
    def percent(self) -> int:
        if self.status == self.Status.CHECKING:
            done = self.rows_checked
        elif self.status in (self.Status.COMMITTING, self.Status.COMMITTED):
            done = self.cursor
        else:
            return 0
        # rows_total is counted before the dry run checks a row (0 until then: nothing done yet)
        return min(100, done * 100 // self.rows_total) if self.rows_total else 0

    @property
    def is_running(self) -> bool:
        return self.status in (self.Status.CHECKING, self.Status.COMMITTING)


class ColumnMapping(models.Model):
    """列对应 — a union's own name for a roster column, remembered from the mapping step of a dry run: the
    column key it stands for, or "" for a column the union does not import. Used for its next uploads."""

    org = models.ForeignKey("orgs.Org", verbose_name="工会", on_delete=models.CASCADE, related_name="+")
    heading = models.CharField("表头", max_length=100)
    key = models.CharField("对应项目", max_length=32, blank=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="设置人", null=True,
                                   on_delete=models.SET_NULL, related_name="+")  # fmt: skip

    scope_paths = ("org__path",)
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "花名册列对应"
        verbose_name_plural = "花名册列对应"
        constraints = [models.UniqueConstraint(fields=["org", "heading"], name="roster_mapping_unique_heading")]

    def __str__(self) -> str:
        return f"{self.heading} → {self.key or '不导入'}"


class ImportIssue(models.Model):
    """导入问题行 — an invalid or duplicate row of a dry run, with the original cells (encrypted: they hold
    ID numbers and phones) so that the error file gives them back to be fixed and re-imported."""

    class Kind(models.TextChoices):
        INVALID = "invalid", "无效"
        DUPLICATE = "duplicate", "文件内重复"

    job = models.ForeignKey(ImportJob, verbose_name="导入", on_delete=models.CASCADE, related_name="issues")
    position = models.PositiveIntegerField("文件中的数据行序号")
    sheet = models.CharField("工作表", max_length=100)
    row_number = models.PositiveIntegerField("行号")
    kind = models.CharField("类型", max_length=16, choices=Kind.choices)
    reason = models.CharField("原因", max_length=300)
    cells_enc = EncryptedTextField("原始内容（密文）")

    class Meta:
        verbose_name = "导入问题行"
        verbose_name_plural = "导入问题行"
        constraints = [models.UniqueConstraint(fields=["job", "position"], name="roster_issue_unique_position")]

    def __str__(self) -> str:
        return f"{self.sheet}!{self.row_number}: {self.reason}"
