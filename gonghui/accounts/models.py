import hashlib

from django.contrib.auth.models import AbstractUser
from django.db import models

from gonghui.core.crypto import EncryptedTextField


class User(AbstractUser):
    """账号 — a person who signs in: a cadre with grants on org nodes, a worker, or a platform admin.

    ``platform_role`` is a single field, so no account can hold two of the three admin roles
    (三员分立: system, security, audit)."""

    class PlatformRole(models.TextChoices):
        NONE = "", "无"
        SYSTEM = "system", "系统管理员"
        SECURITY = "security", "安全管理员"
        AUDIT = "audit", "审计管理员"

    display_name = models.CharField("姓名", max_length=50, blank=True)
    platform_role = models.CharField(
        "平台管理角色", max_length=16, choices=PlatformRole.choices, default=PlatformRole.NONE, blank=True
    )
    person = models.OneToOneField(
        "members.Person",
        verbose_name="本人职工档案",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="account",
    )
    password_changed_at = models.DateTimeField("密码修改时间", null=True, blank=True)
    locked_until = models.DateTimeField("锁定至", null=True, blank=True)
    # Set by the security admin's reset (accounts.services.account_reset): at the next sign-in the user must
    # enrol a new authenticator and then choose a new password; cleared by the password change.
    reset_required = models.BooleanField("须重设密码和两步验证", default=False)

    class Meta:
        verbose_name = "账号"
        verbose_name_plural = "账号"

    def __str__(self) -> str:
        return self.display_name or self.username


class Grant(models.Model):
    """授权 — a role on an org node; it covers that node's whole subtree."""

    class Role(models.TextChoices):
        ADMIN = "admin", "管理员"
        STAFF = "staff", "工作人员"
        READONLY = "readonly", "只读"

    user = models.ForeignKey(User, verbose_name="账号", on_delete=models.CASCADE, related_name="grants")
    org = models.ForeignKey("orgs.Org", verbose_name="组织", on_delete=models.CASCADE, related_name="grants")
    role = models.CharField("角色", max_length=16, choices=Role.choices)
    can_unmask = models.BooleanField("可查看完整个人信息", default=False)
    created_at = models.DateTimeField("授权时间", auto_now_add=True)

    class Meta:
        verbose_name = "授权"
        verbose_name_plural = "授权"
        constraints = [models.UniqueConstraint(fields=["user", "org"], name="grant_one_per_user_org")]

    def __str__(self) -> str:
        return f"{self.user} @ {self.org}: {self.get_role_display()}"


class ApiToken(models.Model):
    """API 令牌 — a bearer token for /api/v1; only its SHA-256 digest is stored."""

    user = models.ForeignKey(User, verbose_name="账号", on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField("名称", max_length=100)
    digest = models.CharField("令牌摘要", max_length=64, unique=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    expires_at = models.DateTimeField("过期时间")
    last_used_at = models.DateTimeField("最近使用", null=True, blank=True)

    class Meta:
        verbose_name = "API 令牌"
        verbose_name_plural = "API 令牌"

    def __str__(self) -> str:
        return f"{self.user} / {self.name}"

    @staticmethod
    def digest_of(raw: str) -> str:
        return hashlib.sha256(raw.encode()).hexdigest()


class SecurityPolicy(models.Model):
    """安全策略 — the numbers of the login policy, one row, edited by the security admin.

    Defaults are those of docs/security.md §§2-4; 等保 mode adds the character-class rule and password expiry."""

    dengbao_mode = models.BooleanField("等保模式", default=False)
    password_min_length = models.PositiveSmallIntegerField("密码最短长度", default=12)
    password_expiry_days = models.PositiveSmallIntegerField("密码有效期（天，等保模式）", default=90)
    lockout_threshold = models.PositiveSmallIntegerField("锁定前允许的失败次数", default=5)
    lockout_window_minutes = models.PositiveSmallIntegerField("失败计数时间窗（分钟）", default=30)
    lockout_minutes = models.PositiveSmallIntegerField("锁定时长（分钟）", default=30)
    idle_timeout_minutes = models.PositiveSmallIntegerField("空闲超时（分钟）", default=30)
    session_lifetime_hours = models.PositiveSmallIntegerField("会话最长时长（小时）", default=12)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "安全策略"
        verbose_name_plural = "安全策略"

    def __str__(self) -> str:
        return "安全策略"


class LoginFailure(models.Model):
    """登录失败 — one failed sign-in, counted for lockout (docs/security.md §3)."""

    username = models.CharField("用户名", max_length=150, db_index=True)
    at = models.DateTimeField("时间", auto_now_add=True, db_index=True)
    ip = models.GenericIPAddressField("IP 地址", null=True, blank=True)

    class Meta:
        verbose_name = "登录失败"
        verbose_name_plural = "登录失败"

    def __str__(self) -> str:
        return f"{self.username} {self.at:%Y-%m-%d %H:%M}"


class UserSession(models.Model):
    """登录会话 — which session keys belong to which account, so that all of them can be ended at once
    (account disabled, grants changed, password changed)."""

    user = models.ForeignKey(User, verbose_name="账号", on_delete=models.CASCADE, related_name="sessions")
    session_key = models.CharField("会话键", max_length=40, unique=True)
    created_at = models.DateTimeField("登录时间", auto_now_add=True)

    class Meta:
        verbose_name = "登录会话"
        verbose_name_plural = "登录会话"

    def __str__(self) -> str:
        return f"{self.user} {self.created_at:%Y-%m-%d %H:%M}"


class TotpDevice(models.Model):
    """动态口令设备 — a TOTP authenticator (RFC 6238); the secret is encrypted like personal data."""

    user = models.OneToOneField(User, verbose_name="账号", on_delete=models.CASCADE, related_name="totp_device")
    secret_enc = EncryptedTextField("密钥（密文）")
    confirmed_at = models.DateTimeField("启用时间", null=True, blank=True)
    last_step = models.BigIntegerField("最近使用的时间步", default=0)

    class Meta:
        verbose_name = "动态口令设备"
        verbose_name_plural = "动态口令设备"

    def __str__(self) -> str:
        return f"{self.user} TOTP"


class RecoveryCode(models.Model):
    """恢复码 — a one-time code for signing in without the authenticator; only its digest is kept."""

    user = models.ForeignKey(User, verbose_name="账号", on_delete=models.CASCADE, related_name="recovery_codes")
    digest = models.CharField("摘要", max_length=64, unique=True)
    used_at = models.DateTimeField("使用时间", null=True, blank=True)

    class Meta:
        verbose_name = "恢复码"
        verbose_name_plural = "恢复码"

    def __str__(self) -> str:
        return f"{self.user} {'已用' if self.used_at else '未用'}"
