"""Personal-data protection: key rotation runs, consents, data-subject requests, exports, retention rules."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from gonghui.core.crypto import EncryptedTextField
from gonghui.core.jobs import LeasedJob
from gonghui.core.registry import retention_choices
from gonghui.members.models import ThroughPersonQuerySet


class KeyRotationRun(LeasedJob):
    """密钥轮换 — one pass re-encrypting every encrypted field under ``target_key_id``.

    ``progress`` holds, per table, the last primary key done and the counts, so a crash or restart
    resumes after the last finished batch."""

    class Status(models.TextChoices):
        RUNNING = "running", "进行中"
        COMPLETED = "completed", "已完成"
        SUPERSEDED = "superseded", "已被新的轮换取代"

    lease_tasks = {Status.RUNNING: "gonghui.privacy.tasks.rotation_resume_task"}  # a long job (core.jobs)

    target_key_id = models.CharField("目标密钥编号", max_length=64)
    status = models.CharField("状态", max_length=16, choices=Status.choices, default=Status.RUNNING)
    progress = models.JSONField("进度", default=dict)
    rows_scanned = models.PositiveBigIntegerField("已检查行数", default=0)
    values_rotated = models.PositiveBigIntegerField("已重新加密字段数", default=0)
    started_at = models.DateTimeField("开始时间", auto_now_add=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)

    class Meta:
        verbose_name = "密钥轮换"
        verbose_name_plural = "密钥轮换"
        constraints = [
            models.UniqueConstraint(fields=["target_key_id"], condition=Q(status="running"),
                                    name="key_rotation_one_running_per_key"),
        ]  # fmt: skip

    def __str__(self) -> str:
        return f"{self.target_key_id} {self.get_status_display()}"


class ConsentCategory(models.TextChoices):
    """Sensitive personal information (个人信息保护法第二十八条) the platform asks separate consent for."""

    ID_NUMBER = "id_number", "身份证件号码"
    PHONE = "phone", "手机号码"
    HEALTH = "health", "健康信息"
    HARDSHIP = "hardship", "困难/财产信息"
    MINOR = "minor", "不满十四周岁未成年人信息"
    FINANCIAL = "financial", "金融账户信息"
    BIOMETRIC = "biometric", "生物识别信息"
    LOCATION = "location", "行踪轨迹信息"


class ConsentRecord(models.Model):
    """单独同意 — one consent for one sensitive category and purpose, with the text version shown.

    Given by a person on record, or by an account that has none yet (an applicant consents when joining):
    ``account`` is then set and ``person`` follows once the union accepts the application."""

    class GivenBy(models.TextChoices):
        SELF = "self", "本人"
        GUARDIAN = "guardian", "监护人"

    person = models.ForeignKey("members.Person", verbose_name="职工", null=True, blank=True,
                               on_delete=models.PROTECT, related_name="consents")  # fmt: skip
    account = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="同意人账号", null=True, blank=True,
                                on_delete=models.PROTECT, related_name="consents")  # fmt: skip
    category = models.CharField("信息类别", max_length=16, choices=ConsentCategory.choices)
    purpose = models.CharField("处理目的", max_length=200)
    text_version = models.CharField("告知文本版本", max_length=32)
    given_at = models.DateTimeField("同意时间")
    given_by = models.CharField("同意人", max_length=16, choices=GivenBy.choices, default=GivenBy.SELF)
    guardian_name = models.CharField("监护人姓名", max_length=50, blank=True)
    guardian_relation = models.CharField("与本人关系", max_length=20, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="记录人", null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")  # fmt: skip
    withdrawn_at = models.DateTimeField("撤回时间", null=True, blank=True)

    class Meta:
        verbose_name = "个人信息处理同意"
        verbose_name_plural = "个人信息处理同意"
        indexes = [models.Index(fields=["person", "-given_at"], name="consent_person_idx")]
        constraints = [
            models.CheckConstraint(condition=Q(person__isnull=False) | Q(account__isnull=False),
                                   name="consent_of_person_or_account"),
        ]  # fmt: skip

    def __str__(self) -> str:
        return f"{self.get_category_display()} / {self.purpose}"

    @property
    def active(self) -> bool:
        return self.withdrawn_at is None


class DataSubjectRequest(models.Model):
    """个人信息权利请求 (个人信息保护法第四十四至四十七条、第五十条) — tracked to completion."""

    class Kind(models.TextChoices):
        ACCESS = "access", "查阅"
        EXPORT = "export", "复制/导出"
        CORRECT = "correct", "更正"
        DELETE = "delete", "删除"

    class Status(models.TextChoices):
        RECEIVED = "received", "已受理"
        IN_PROGRESS = "in_progress", "处理中"
        COMPLETED = "completed", "已办结"
        REFUSED = "refused", "不予办理"

    OPEN = (Status.RECEIVED, Status.IN_PROGRESS)

    person = models.ForeignKey("members.Person", verbose_name="职工", on_delete=models.PROTECT,
                               related_name="data_requests")  # fmt: skip
    kind = models.CharField("请求类型", max_length=16, choices=Kind.choices)
    details = models.TextField("具体内容", blank=True)
    status = models.CharField("状态", max_length=16, choices=Status.choices, default=Status.RECEIVED)
    received_at = models.DateTimeField("受理时间")
    due_on = models.DateField("办理期限")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="提交人", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")  # fmt: skip
    handled_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="经办人", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")  # fmt: skip
    result_note = models.CharField("办理说明", max_length=500, blank=True)
    refusal_reason = models.CharField("不予办理理由", max_length=500, blank=True)
    completed_at = models.DateTimeField("办结时间", null=True, blank=True)
    # Its case (gonghui.cases): every status change goes through case_transition; status and due_on follow it.
    case = models.OneToOneField("cases.Case", verbose_name="事项", null=True, blank=True, on_delete=models.PROTECT,
                                related_name="data_request")  # fmt: skip

    scope_paths = ("person__memberships__org__path",)  # as its person is (ThroughPersonQuerySet)
    scope_related = ("person", "handled_by")
    objects = ThroughPersonQuerySet.as_manager()

    class Meta:
        verbose_name = "个人信息权利请求"
        verbose_name_plural = "个人信息权利请求"
        indexes = [
            models.Index(fields=["status", "due_on"], name="dsr_status_due_idx"),
            models.Index(fields=["person", "-received_at"], name="dsr_person_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=~Q(status="refused") | ~Q(refusal_reason=""),
                                   name="dsr_refusal_has_reason"),
        ]  # fmt: skip

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN


class DataExport(models.Model):
    """个人信息副本 — the JSON a completed export request produced, encrypted at rest, deleted after a week."""

    request = models.OneToOneField(DataSubjectRequest, verbose_name="请求", on_delete=models.CASCADE,
                                   related_name="export")  # fmt: skip
    payload_enc = EncryptedTextField("内容（密文）")
    created_at = models.DateTimeField("生成时间", auto_now_add=True, db_index=True)
    downloaded_at = models.DateTimeField("最近下载", null=True, blank=True)

    class Meta:
        verbose_name = "个人信息副本"
        verbose_name_plural = "个人信息副本"

    def __str__(self) -> str:
        return f"export {self.request_id}"


class RetentionRule(models.Model):
    """保存期限 — how long one category is kept and what happens after; a missing row means the default."""

    class Action(models.TextChoices):
        ERASE = "erase", "清除字段"
        DELETE = "delete", "删除记录"

    category = models.CharField("类别", max_length=32, choices=retention_choices, unique=True)
    days = models.PositiveIntegerField("保存天数")
    action = models.CharField("到期处理", max_length=16, choices=Action.choices)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "保存期限"
        verbose_name_plural = "保存期限"

    def __str__(self) -> str:
        return f"{self.get_category_display()}: {self.days} 天"
