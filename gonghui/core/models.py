import re

from django.conf import settings
from django.db import models
from django.utils import timezone

from gonghui.core.crypto import EncryptedTextField
from gonghui.core.files import PrivateFileField
from gonghui.core.jobs import LeasedJob


class AppendOnlyQuerySet(models.QuerySet):
    """Bulk changes are refused too; the PostgreSQL trigger (migration 0003) backs this up in the database."""

    def update(self, **kwargs):
        raise RuntimeError("审计日志只能追加，不能修改。")

    def seal(self, *, seq: int, prev_hash: str, hash: str, key_id: str) -> int:  # noqa: A002 — the column's name
        """The one permitted change: sealing a not-yet-sealed event into the hash chain."""
        return models.QuerySet.update(
            self.filter(seq__isnull=True), seq=seq, prev_hash=prev_hash, hash=hash, key_id=key_id
        )

    def delete(self):
        raise RuntimeError("审计日志只能追加，不能删除。")


class AuditEvent(models.Model):
    """审计日志 — one append-only record of something a person or the system did."""

    class Result(models.TextChoices):
        SUCCESS = "success", "成功"
        DENIED = "denied", "拒绝"
        FAILURE = "failure", "失败"

    at = models.DateTimeField("时间 (UTC)", auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="操作人", null=True, blank=True, on_delete=models.PROTECT
    )
    actor_name = models.CharField("操作人账号", max_length=150, blank=True)
    org = models.ForeignKey("orgs.Org", verbose_name="所属组织", null=True, blank=True, on_delete=models.PROTECT)
    action = models.CharField("动作", max_length=64, db_index=True)
    object_type = models.CharField("对象类型", max_length=64, blank=True)
    object_id = models.CharField("对象编号", max_length=64, blank=True)
    result = models.CharField("结果", max_length=16, choices=Result.choices, default=Result.SUCCESS)
    ip = models.GenericIPAddressField("IP 地址", null=True, blank=True)
    detail = models.JSONField("详情", default=dict, blank=True)
    # Hash chain (docs/security.md §9, §23): filled in by core.audit.audit_seal right after commit. ``key_id`` names
    # the GONGHUI_AUDIT_KEYS key of the HMAC-SM3; empty for the plain SM3 links sealed before the chain was keyed.
    seq = models.BigIntegerField("链序号", null=True, blank=True, unique=True)
    prev_hash = models.CharField("上一条哈希", max_length=64, blank=True)
    hash = models.CharField("本条哈希", max_length=64, blank=True)
    key_id = models.CharField("链密钥编号", max_length=32, blank=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        verbose_name = "审计事件"
        verbose_name_plural = "审计事件"
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"], name="audit_object_idx")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.actor_name or '系统'} {self.action} {self.result}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise RuntimeError("审计日志只能追加，不能修改。")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise RuntimeError("审计日志只能追加，不能删除。")


class AuditChainHead(models.Model):
    """审计哈希链链头 — the last sealed event's position and hash; one row, locked only by sealers. ``event_id``
    and ``at`` are the newest id and time sealed so far: a swept event older than either is never sealed."""

    seq = models.BigIntegerField("链序号", default=0)
    hash = models.CharField("链头哈希", max_length=64, default="0" * 64)
    event_id = models.BigIntegerField("最新已封存事件编号", default=0)
    at = models.DateTimeField("最新已封存事件时间", null=True, blank=True)

    class Meta:
        verbose_name = "审计哈希链链头"
        verbose_name_plural = "审计哈希链链头"

    def __str__(self) -> str:
        return f"#{self.seq} {self.hash[:12]}"


class AuditCheckpoint(models.Model):
    """审计链检查点 — the chain head as it stood at a moment, signed with the audit key (HMAC-SM3), written
    daily and carried in every audit export, so that rewriting the chain after it is detected."""

    seq = models.BigIntegerField("链序号")
    hash = models.CharField("链头哈希", max_length=64)
    at = models.DateTimeField("签发时间 (UTC)")
    key_id = models.CharField("链密钥编号", max_length=32)
    mac = models.CharField("签名", max_length=64)

    class Meta:
        verbose_name = "审计链检查点"
        verbose_name_plural = "审计链检查点"
        ordering = ["seq", "at"]

    def __str__(self) -> str:
        return f"#{self.seq} {self.hash[:12]} {self.at:%Y-%m-%d %H:%M}"


class WorkdayOverride(models.Model):
    """节假日调整 — a day the system administrator marks as a working day or a rest day, for years the
    statutory calendar package does not cover yet or a local arrangement it does not know."""

    day = models.DateField("日期", unique=True)
    is_workday = models.BooleanField("是否工作日")
    note = models.CharField("说明", max_length=100, blank=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "节假日调整"
        verbose_name_plural = "节假日调整"
        ordering = ["day"]

    def __str__(self) -> str:
        return f"{self.day:%Y-%m-%d} {'上班' if self.is_workday else '休息'}"


class QueuedTask(models.Model):
    """待排队的任务 — a task a write asked for (``core.jobs.enqueue_on_commit``), saved in the write's own
    transaction and deleted once the queue has taken it: a queue that is down (Redis) loses nothing, the worker's
    watcher puts it on the queue when it answers again (a transactional outbox). Arguments are ids and codes,
    never personal data."""

    task = models.CharField("任务", max_length=200)
    kwargs = models.JSONField("参数", default=dict)
    created_at = models.DateTimeField("创建时间", default=timezone.now)
    next_try_at = models.DateTimeField("下次排队时间", default=timezone.now)
    attempts = models.PositiveIntegerField("排队尝试次数", default=0)
    error = models.CharField("最近一次排队失败原因", max_length=200, blank=True)

    class Meta:
        verbose_name = "待排队的任务"
        verbose_name_plural = "待排队的任务"
        indexes = [models.Index(fields=["next_try_at"], name="queuedtask_next_idx")]

    def __str__(self) -> str:
        return f"{self.task} {self.kwargs}"


class ExportJob(LeasedJob):
    """导出 — one list a cadre sees (``core.lists.CadreList``, e.g. the roster of a subtree) written to an .xlsx
    by a task, downloadable only by the person who asked until the file expires. Masked unless ``unmasked``
    (a permission on ``org``, the org the list was narrowed to; audited). ``params`` are the list's filters
    as asked (they may hold an ID number searched for: encrypted)."""

    class Status(models.TextChoices):
        RUNNING = "running", "生成中"
        READY = "ready", "可下载"
        FAILED = "failed", "失败"
        EXPIRED = "expired", "已过期"

    lease_tasks = {Status.RUNNING: "gonghui.core.tasks.export_task"}  # a long job (core.jobs)

    list_name = models.CharField("列表", max_length=64)
    title = models.CharField("列表名称", max_length=100)
    params_enc = EncryptedTextField("筛选条件（密文）", blank=True)
    org = models.ForeignKey("orgs.Org", verbose_name="导出范围", null=True, blank=True, on_delete=models.PROTECT,
                            related_name="exports")  # fmt: skip
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="申请人", on_delete=models.CASCADE,
                                     related_name="+")  # fmt: skip
    unmasked = models.BooleanField("含完整个人信息", default=False)
    status = models.CharField("状态", max_length=16, choices=Status.choices, default=Status.RUNNING)
    rows_total = models.PositiveIntegerField("总行数", default=0)
    rows = models.PositiveIntegerField("行数", default=0)
    file_path = PrivateFileField("存储文件", max_length=300, blank=True)
    created_at = models.DateTimeField("申请时间", auto_now_add=True, db_index=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)
    error = models.CharField("失败原因", max_length=200, blank=True)

    class Meta:
        verbose_name = "导出"
        verbose_name_plural = "导出"
        indexes = [models.Index(fields=["requested_by", "list_name", "-id"], name="export_owner_idx")]

    def __str__(self) -> str:
        return f"{self.list_name} export {self.pk}"

    @property
    def percent(self) -> int:
        if self.status == self.Status.READY:
            return 100
        return min(99, self.rows * 100 // self.rows_total) if self.rows_total else 0

    @property
    def is_running(self) -> bool:
        return self.status == self.Status.RUNNING

    @property
    def file_name(self) -> str:
        """What the download is called: whose list, which list, which day (杭州鸿达科技有限公司工会-会员花名册-
        2026-11-29.xlsx); characters a file system refuses become "_"."""
        parts = [self.org.name] if self.org_id else []
        parts += [self.title, f"{timezone.localtime(self.created_at):%Y-%m-%d}"]
        return re.sub(r'[\\/:*?"<>|\x00-\x1f]', "_", "-".join(parts)) + ".xlsx"
