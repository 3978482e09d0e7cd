"""事项办理: one workflow kernel for every kind of case — its history, statutory clocks, 公示 with
objections, and attachments. The rules of each kind live in ``kinds`` (declared by the apps)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from gonghui.cases.kinds import days_until
from gonghui.core.crypto import EncryptedTextField
from gonghui.core.files import PrivateFileField
from gonghui.orgs.scope import ScopedQuerySet


class CaseQuerySet(ScopedQuerySet):
    def open(self) -> "CaseQuerySet":
        return self.filter(closed_at__isnull=True)


class Case(models.Model):
    """事项 — one matter a union handles (a join application, a hardship file…): its kind, its status in the
    kind's transition table, who handles it and by when. ``subject`` never carries personal data."""

    org = models.ForeignKey("orgs.Org", verbose_name="承办工会", on_delete=models.PROTECT, related_name="cases")
    kind = models.CharField("事项类型", max_length=32)
    status = models.CharField("状态", max_length=32)
    subject = models.CharField("事由", max_length=200)
    assignee = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="经办人", null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")  # fmt: skip
    deadline = models.DateField("办理期限", null=True, blank=True)
    reminded_for = models.DateField("已提醒的期限", null=True, blank=True)
    escalated_to = models.ForeignKey("orgs.Org", verbose_name="已升级至", null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")  # fmt: skip
    escalated_at = models.DateTimeField("升级时间", null=True, blank=True)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="提交人", null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")  # fmt: skip
    opened_at = models.DateTimeField("提交时间", default=timezone.now)
    closed_at = models.DateTimeField("办结时间", null=True, blank=True)
    version = models.PositiveIntegerField("版本", default=1)

    scope_paths = ("org__path",)  # an escalation target is always an ancestor: its cadres see the org too
    objects = CaseQuerySet.as_manager()

    class Meta:
        verbose_name = "事项"
        verbose_name_plural = "事项"
        indexes = [
            # The to-do list: open cases of the unions in scope, by deadline (one index scan per subtree).
            models.Index(fields=["org", "deadline", "id"], condition=Q(closed_at__isnull=True), name="case_todo_idx"),
            models.Index(fields=["deadline"], condition=Q(closed_at__isnull=True), name="case_open_deadline_idx"),
            models.Index(fields=["kind", "status"], name="case_kind_status_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.kind}#{self.pk} {self.subject}"

    @property
    def is_overdue(self) -> bool:
        return self.closed_at is None and self.deadline is not None and self.deadline < timezone.localdate()


class CaseStep(models.Model):
    """办理记录 — one step of a case's history: who moved it from which status to which, when, and why."""

    case = models.ForeignKey(Case, verbose_name="事项", on_delete=models.CASCADE, related_name="steps")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="办理人", null=True, blank=True,
                              on_delete=models.PROTECT, related_name="+")  # fmt: skip
    at = models.DateTimeField("时间", default=timezone.now)
    from_status = models.CharField("原状态", max_length=32, blank=True)
    to_status = models.CharField("新状态", max_length=32)
    note = models.CharField("说明", max_length=500, blank=True)

    class Meta:
        verbose_name = "办理记录"
        verbose_name_plural = "办理记录"
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.from_status} → {self.to_status}"


class CaseClock(models.Model):
    """法定时限 — a named deadline counted from an event of the case (e.g. 调解期限 15 日)."""

    case = models.ForeignKey(Case, verbose_name="事项", on_delete=models.CASCADE, related_name="clocks")
    name = models.CharField("名称", max_length=50)
    started_on = models.DateField("起算日")
    due_on = models.DateField("届满日")
    working = models.BooleanField("按工作日计算", default=True)
    stopped_on = models.DateField("停止日", null=True, blank=True)

    class Meta:
        verbose_name = "法定时限"
        verbose_name_plural = "法定时限"
        ordering = ["started_on", "id"]

    def __str__(self) -> str:
        return f"{self.name} {self.due_on:%Y-%m-%d}"

    @property
    def days_left(self) -> int:
        """Days (working days for a working-day clock) until it runs out; negative once it has."""
        return days_until(self.due_on, working=self.working, today=timezone.localdate())


class PublicNotice(models.Model):
    """公示 — what a case is about to decide, shown for ``closes_on`` - ``opens_on`` working days to the members
    of a subtree or on a public page. Its text is limited to a name, a unit and the decision; ``token``
    (128 random bits) is the public page's address."""

    class Audience(models.TextChoices):
        SUBTREE = "subtree", "本工会及下级工会会员"
        PUBLIC = "public", "社会公开"

    case = models.ForeignKey(Case, verbose_name="事项", on_delete=models.CASCADE, related_name="notices")
    audience = models.CharField("公示范围", max_length=16, choices=Audience.choices)
    person_name = models.CharField("姓名", max_length=50)
    unit = models.CharField("单位", max_length=100)
    decision = models.CharField("拟决定事项", max_length=200)
    opens_on = models.DateField("公示开始")
    closes_on = models.DateField("公示结束")
    token = models.CharField("令牌", max_length=32, unique=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="发布人", null=True,
                                     on_delete=models.PROTECT, related_name="+")  # fmt: skip
    published_at = models.DateTimeField("发布时间", auto_now_add=True)

    class Meta:
        verbose_name = "公示"
        verbose_name_plural = "公示"
        indexes = [models.Index(fields=["case", "closes_on"], name="notice_case_idx")]

    def __str__(self) -> str:
        return f"{self.person_name} {self.decision}"

    def is_open_on(self, day) -> bool:
        return self.opens_on <= day <= self.closes_on


class Objection(models.Model):
    """公示异议 — an objection to a notice. The objector's name and phone are one SM4 ciphertext that only the
    reviewing cadres read; every objection is answered before the case moves on."""

    notice = models.ForeignKey(PublicNotice, verbose_name="公示", on_delete=models.CASCADE, related_name="objections")
    text = models.TextField("异议内容", max_length=2000)
    objector_enc = EncryptedTextField("异议人（密文）")
    submitted_at = models.DateTimeField("提出时间", auto_now_add=True)
    answer = models.TextField("答复", blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="答复人", null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")  # fmt: skip
    answered_at = models.DateTimeField("答复时间", null=True, blank=True)

    class Meta:
        verbose_name = "公示异议"
        verbose_name_plural = "公示异议"
        indexes = [models.Index(fields=["notice"], condition=Q(answered_at__isnull=True), name="objection_open_idx")]

    def __str__(self) -> str:
        return f"异议#{self.pk}"


class CaseAttachment(models.Model):
    """附件 — a document of a case, checked by its content and kept under VAR_DIR/cases with owner-only
    permissions; ``document`` names the entry of the kind's required-documents checklist it satisfies."""

    case = models.ForeignKey(Case, verbose_name="事项", on_delete=models.CASCADE, related_name="attachments")
    document = models.CharField("材料类别", max_length=32)
    file_name = models.CharField("文件名", max_length=200)
    file_path = PrivateFileField("存储文件", max_length=300)
    file_kind = models.CharField("文件类型", max_length=8)
    size = models.PositiveBigIntegerField("大小（字节）")
    sha256 = models.CharField("文件指纹", max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="上传人", null=True,
                                    on_delete=models.PROTECT, related_name="+")  # fmt: skip
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        verbose_name = "附件"
        verbose_name_plural = "附件"
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.file_name
