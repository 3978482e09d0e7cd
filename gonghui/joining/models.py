"""网上入会: applications from workers, their phone verification and worker sign-in, and QR join codes."""

from django.db import models
from django.db.models import Q

from gonghui.core.crypto import EncryptedTextField
from gonghui.members.models import EmploymentForm, Gender
from gonghui.orgs.scope import ScopedQuerySet


class JoinCode(models.Model):
    """入会二维码 — a code an org prints (poster, mobile joining desk); scanning it routes the application to
    that org. ``token`` is 128 random bits, so codes cannot be guessed or enumerated."""

    org = models.ForeignKey("orgs.Org", verbose_name="受理工会", on_delete=models.PROTECT, related_name="join_codes")
    token = models.CharField("令牌", max_length=32, unique=True)
    label = models.CharField("名称", max_length=100)
    is_active = models.BooleanField("启用", default=True)
    scan_count = models.PositiveIntegerField("扫码次数", default=0)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    created_by = models.ForeignKey("accounts.User", verbose_name="创建人", null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")  # fmt: skip

    scope_paths = ("org__path",)
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "入会二维码"
        verbose_name_plural = "入会二维码"
        indexes = [models.Index(fields=["org", "-id"], name="joincode_org_idx")]

    def __str__(self) -> str:
        return self.label


class PhoneVerification(models.Model):
    """手机号验证 — one SMS code sent to a phone: only an HMAC of the code is kept, it expires, and it allows
    a limited number of tries. ``token`` names the verification to the browser session or API client;
    ``purpose`` is what it may be used for (a code sent to join never resets a password)."""

    class Purpose(models.TextChoices):
        JOIN = "join", "申请入会"
        RESET = "reset", "找回密码"
        LOGIN = "login", "短信验证码登录"

    token = models.CharField("令牌", max_length=32, unique=True)
    purpose = models.CharField("用途", max_length=8, choices=Purpose.choices, default=Purpose.JOIN)
    phone_enc = EncryptedTextField("手机号码（密文）")
    phone_bidx = models.CharField("手机号码索引", max_length=64, db_index=True)
    phone_masked = models.CharField("手机号码（脱敏）", max_length=11)
    code_salt = models.CharField("验证码盐", max_length=32)
    code_hash = models.CharField("验证码摘要", max_length=64)
    attempts = models.PositiveSmallIntegerField("已尝试次数", default=0)
    created_at = models.DateTimeField("发送时间", auto_now_add=True)
    expires_at = models.DateTimeField("过期时间")
    verified_at = models.DateTimeField("验证时间", null=True, blank=True)
    used_at = models.DateTimeField("使用时间", null=True, blank=True)

    class Meta:
        verbose_name = "手机号验证"
        verbose_name_plural = "手机号验证"

    def __str__(self) -> str:
        return self.phone_masked


class PhoneLogin(models.Model):
    """手机号登录 — the worker account a verified phone signs in to (by its blind index; the account's
    username is random, so the plain number is stored nowhere)."""

    user = models.OneToOneField("accounts.User", verbose_name="账号", on_delete=models.CASCADE,
                                related_name="phone_login")  # fmt: skip
    phone_bidx = models.CharField("手机号码索引", max_length=64, unique=True)
    phone_masked = models.CharField("手机号码（脱敏）", max_length=11)

    class Meta:
        verbose_name = "手机号登录"
        verbose_name_plural = "手机号登录"

    def __str__(self) -> str:
        return self.phone_masked


class RoutingRule(models.TextChoices):
    JOIN_CODE = "join_code", "扫码入会：二维码所属工会"
    EMPLOYER_UNION = "employer_union", "用人单位已建工会"
    FEDERATION = "federation", "新就业形态：所在地区域性或行业性工会联合会"
    TOWNSHIP = "township", "所在乡镇（街道）工会"
    UPPER = "upper", "所在地无可受理的工会，由上级工会分派"
    REASSIGNED = "reassigned", "上级工会改派"


class JoinApplication(models.Model):
    """入会申请 — a worker's online application, routed to the responsible union.

    待受理 → 已入会 (accepted: a membership and card number are issued) or 已退回 (rejected with a reason).
    The union must decide by ``due_on`` (15 working days); past it the application is 已超期 and, once the
    daily job runs, 已升级 to the handling union's parent. The employer is never told."""

    class Status(models.TextChoices):
        PENDING = "pending", "待受理"
        ACCEPTED = "accepted", "已入会"
        REJECTED = "rejected", "已退回"
        WITHDRAWN = "withdrawn", "已撤回"

    name = models.CharField("姓名", max_length=50)
    gender = models.CharField("性别", max_length=1, choices=Gender.choices)
    birth_date = models.DateField("出生日期")
    id_number_enc = EncryptedTextField("身份证号码（密文）")
    id_number_bidx = models.CharField("身份证号码索引", max_length=64, db_index=True)
    id_number_masked = models.CharField("身份证号码（脱敏）", max_length=18)
    phone_enc = EncryptedTextField("手机号码（密文）")
    phone_bidx = models.CharField("手机号码索引", max_length=64)
    phone_masked = models.CharField("手机号码（脱敏）", max_length=11)
    employer = models.ForeignKey("members.Employer", verbose_name="工作单位", null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")  # fmt: skip
    job_title = models.CharField("岗位", max_length=50, blank=True)
    employment_form = models.CharField("就业形态", max_length=32, choices=EmploymentForm.choices)
    region = models.ForeignKey("orgs.Region", verbose_name="工作所在地", on_delete=models.PROTECT, related_name="+")
    join_code = models.ForeignKey(JoinCode, verbose_name="入会二维码", null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="applications")  # fmt: skip
    org = models.ForeignKey("orgs.Org", verbose_name="受理工会", on_delete=models.PROTECT,
                            related_name="join_applications")  # fmt: skip
    routed_by = models.CharField("分派依据", max_length=32, choices=RoutingRule.choices)
    status = models.CharField("状态", max_length=16, choices=Status.choices, default=Status.PENDING)
    account = models.ForeignKey("accounts.User", verbose_name="申请人账号", on_delete=models.PROTECT,
                                related_name="join_applications")  # fmt: skip
    submitted_at = models.DateTimeField("申请时间", auto_now_add=True)
    due_on = models.DateField("办理期限")
    escalated_to = models.ForeignKey("orgs.Org", verbose_name="已升级至", null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")  # fmt: skip
    escalated_at = models.DateTimeField("升级时间", null=True, blank=True)
    decided_at = models.DateTimeField("办结时间", null=True, blank=True)
    decided_by = models.ForeignKey("accounts.User", verbose_name="经办人", null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")  # fmt: skip
    reject_reason = models.CharField("退回原因", max_length=200, blank=True)
    membership = models.ForeignKey("members.Membership", verbose_name="会籍", null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")  # fmt: skip
    version = models.PositiveIntegerField("版本", default=1)
    # Its case (gonghui.cases): every status change goes through case_transition; status, version, org,
    # due_on and the escalation here follow the case, so the joining pages and API read what they always read.
    case = models.OneToOneField("cases.Case", verbose_name="事项", null=True, blank=True, on_delete=models.PROTECT,
                                related_name="join_application")  # fmt: skip
    # Submitted while another application with the same ID number was pending: the applicant is told nothing
    # (a stranger must not learn that an ID number has an application), the union sees the duplicate.
    duplicate_of = models.ForeignKey("self", verbose_name="重复于", null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="duplicates")  # fmt: skip

    scope_paths = ("org__path", "escalated_to__path")  # the handling union and the one it went up to
    scope_related = ("org", "escalated_to", "employer", "region__parent__parent__parent", "membership")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "入会申请"
        verbose_name_plural = "入会申请"
        constraints = [
            models.UniqueConstraint(fields=["id_number_bidx"], condition=Q(status="pending", duplicate_of__isnull=True),
                                    name="joinapp_one_pending_per_person"),
        ]  # fmt: skip
        indexes = [
            models.Index(fields=["org", "status", "due_on"], name="joinapp_org_status_idx"),
            models.Index(fields=["status", "due_on"], name="joinapp_status_due_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.name} → {self.org_id}"
