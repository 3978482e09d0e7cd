import hashlib

from django.contrib.auth.models import AbstractUser
from django.db import models


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
