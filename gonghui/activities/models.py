"""活动: events a union runs (the seasonal brand campaigns and any other), with who may take part, how many,
until when; and the sign-ups, confirmed or on the waiting list."""

from django.db import models
from django.db.models import F, Q

from gonghui.orgs.scope import ScopedQuerySet


class Campaign(models.TextChoices):
    """品牌活动 by season."""

    NONE = "", "其他活动"
    SPRING = "spring", "春送岗位"
    SUMMER = "summer", "夏送清凉"
    AUTUMN = "autumn", "金秋助学"
    WINTER = "winter", "冬送温暖"


class Activity(models.Model):
    """活动 — an event of a union (its scope): when and where, the sign-up deadline, the capacity, and who
    may sign up (members of the union's subtree; optionally only some employment forms, or only households
    with an approved hardship file). ``confirmed`` counts the confirmed sign-ups (kept under the row lock)."""

    org = models.ForeignKey("orgs.Org", verbose_name="主办工会", on_delete=models.PROTECT, related_name="+")
    title = models.CharField("活动名称", max_length=100)
    campaign = models.CharField("品牌活动", max_length=16, choices=Campaign.choices, blank=True)
    description = models.TextField("活动内容", blank=True)
    place = models.CharField("地点", max_length=200)
    starts_at = models.DateTimeField("开始时间")
    ends_at = models.DateTimeField("结束时间")
    signup_deadline = models.DateTimeField("报名截止时间")
    capacity = models.PositiveIntegerField("名额")
    employment_forms = models.JSONField("限定就业形态", default=list, blank=True)
    hardship_only = models.BooleanField("仅限在档困难职工", default=False)
    confirmed = models.PositiveIntegerField("已确认人数", default=0)
    created_at = models.DateTimeField("发布时间", auto_now_add=True)
    version = models.PositiveIntegerField("版本", default=1)

    scope_paths = ("org__path",)
    scope_related = ("org",)
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "活动"
        verbose_name_plural = "活动"
        indexes = [models.Index(fields=["org", "starts_at"], name="activity_org_start_idx")]
        constraints = [
            models.CheckConstraint(condition=Q(confirmed__lte=F("capacity")), name="activity_never_over_capacity"),
            models.CheckConstraint(condition=Q(ends_at__gte=F("starts_at")), name="activity_ends_after_start"),
        ]

    def __str__(self) -> str:
        return self.title


class SignUp(models.Model):
    """报名 — a member's sign-up: confirmed, or waiting in line; cancelled ones stay as the record. One live
    sign-up per person and activity (a partial unique constraint)."""

    class Status(models.TextChoices):
        CONFIRMED = "confirmed", "报名成功"
        WAITING = "waiting", "候补"
        CANCELLED = "cancelled", "已取消"

    activity = models.ForeignKey(Activity, verbose_name="活动", on_delete=models.CASCADE, related_name="signups")
    person = models.ForeignKey("members.Person", verbose_name="报名人", on_delete=models.CASCADE, related_name="+")
    status = models.CharField("状态", max_length=16, choices=Status.choices)
    created_at = models.DateTimeField("报名时间")
    promoted_at = models.DateTimeField("候补转正时间", null=True, blank=True)
    cancelled_at = models.DateTimeField("取消时间", null=True, blank=True)

    class Meta:
        verbose_name = "活动报名"
        verbose_name_plural = "活动报名"
        constraints = [
            models.UniqueConstraint(fields=["activity", "person"], condition=~Q(status="cancelled"),
                                    name="signup_once_per_person"),
        ]  # fmt: skip
        indexes = [models.Index(fields=["activity", "status", "created_at"], name="signup_queue_idx")]

    def __str__(self) -> str:
        return f"{self.activity_id} {self.person_id} {self.status}"
