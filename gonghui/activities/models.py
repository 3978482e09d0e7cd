"""活动: events a union runs (the seasonal brand campaigns and any other), with who may take part, how many,
until when; and the sign-ups, confirmed or on the waiting list."""

from django.db import models
from django.db.models import F, Q

from gonghui.core.crypto import EncryptedTextField
from gonghui.core.groups import labels
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
    may sign up (members of the union's subtree; optionally only some employment forms, and only people in one
    of some groups other apps keep — 劳模, 在档困难职工 or one of its categories: ``core.groups``). ``confirmed``
    counts the confirmed sign-ups (kept under the row lock)."""

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
    groups = models.JSONField("限定人群", default=list, blank=True)
    confirmed = models.PositiveIntegerField("已确认人数", default=0)
    # Rollups kept by the check-in and feedback services in the same transaction (docs/decisions/0037): the
    # organiser's page, the reports and the overview never count the sign-ups row by row.
    checked_in = models.PositiveIntegerField("已签到人数", default=0)
    rating_count = models.PositiveIntegerField("评价人数", default=0)
    rating_sum = models.PositiveIntegerField("评分合计", default=0)
    feedback_asked_at = models.DateTimeField("已邀请评价", null=True, blank=True)
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
            models.CheckConstraint(condition=Q(checked_in__lte=F("confirmed")), name="activity_checkins_of_confirmed"),
            models.CheckConstraint(condition=Q(rating_count__lte=F("checked_in")), name="activity_ratings_of_checkins"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def employment_form_labels(self) -> str:
        from gonghui.members.models import EmploymentForm

        return "、".join(EmploymentForm(f).label for f in self.employment_forms)

    @property
    def group_labels(self) -> str:
        return labels(self.groups)

    @property
    def satisfaction(self):
        """平均满意度 (1–5, one decimal), None before anyone rated."""
        return round(self.rating_sum / self.rating_count, 1) if self.rating_count else None


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
    checked_in_at = models.DateTimeField("现场签到时间", null=True, blank=True)
    rating = models.PositiveSmallIntegerField("满意度（1-5）", null=True, blank=True)
    comment_enc = EncryptedTextField("评价意见（密文）", blank=True)
    rated_at = models.DateTimeField("评价时间", null=True, blank=True)

    class Meta:
        verbose_name = "活动报名"
        verbose_name_plural = "活动报名"
        constraints = [
            models.UniqueConstraint(fields=["activity", "person"], condition=~Q(status="cancelled"),
                                    name="signup_once_per_person"),
            models.CheckConstraint(condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5),
                                   name="signup_rating_one_to_five"),
            models.CheckConstraint(condition=Q(rating__isnull=True) | Q(checked_in_at__isnull=False),
                                   name="signup_rated_after_checkin"),
        ]  # fmt: skip
        indexes = [
            models.Index(fields=["activity", "status", "created_at"], name="signup_queue_idx"),
            models.Index(fields=["person", "checked_in_at"], name="signup_person_checkin_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.activity_id} {self.person_id} {self.status}"
