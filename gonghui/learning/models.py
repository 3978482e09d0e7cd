"""学习积分: courses and trainings a union runs for its subtree, each member's completions (with the credits they
earned and a certificate key), and the worker's reading check-ins (读书打卡) with the credits a policy rule gives.

A completion and a check-in copy the member's union (``org``, ``org_path``) at the moment they are recorded: the
counts per child union are prefix counts on one table, whatever the size of the tree (as news readings). A
check-in's note is the worker's own words and is encrypted."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from gonghui.core import crypto
from gonghui.core.crypto import EncryptedTextField
from gonghui.orgs.scope import ScopedQuerySet


class Category(models.TextChoices):
    """课程类别."""

    POLITICAL = "political", "思想政治"
    SKILL = "skill", "职业技能"
    SAFETY = "safety", "安全生产"
    LAW = "law", "法律法规"
    CULTURE = "culture", "文化素养"
    HEALTH = "health", "身心健康"
    OTHER = "other", "其他"


class Mode(models.TextChoices):
    ONLINE = "online", "线上"
    OFFLINE = "offline", "线下"


class Course(models.Model):
    """课程或培训 — run by a union for the members of its subtree: hours and the credits a completion earns."""

    org = models.ForeignKey("orgs.Org", verbose_name="主办工会", on_delete=models.PROTECT, related_name="+")
    title = models.CharField("名称", max_length=120)
    provider = models.CharField("授课或承办单位", max_length=100)
    category = models.CharField("类别", max_length=16, choices=Category.choices)
    mode = models.CharField("形式", max_length=16, choices=Mode.choices)
    hours = models.DecimalField("学时", max_digits=5, decimal_places=1)
    credits = models.DecimalField("学分", max_digits=5, decimal_places=1)
    starts_on = models.DateField("开始日期")
    ends_on = models.DateField("结束日期")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="登记人", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")  # fmt: skip
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    scope_paths = ("org__path",)
    scope_related = ("org",)
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "课程培训"
        verbose_name_plural = "课程培训"
        indexes = [models.Index(fields=["org", "starts_on"], name="learning_course_org_idx")]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="learning_course_dates"),
            models.CheckConstraint(condition=Q(hours__gt=0, credits__gte=0), name="learning_course_amounts"),
        ]

    def __str__(self) -> str:
        return self.title


class Source(models.TextChoices):
    ENTRY = "entry", "逐条录入"
    IMPORT = "import", "表格导入"


class Completion(models.Model):
    """结业记录 — a member completed a course: date, score (0-100, optional), credits earned; ``key`` (random)
    is what the certificate's QR code names."""

    course = models.ForeignKey(Course, verbose_name="课程", on_delete=models.PROTECT, related_name="completions")
    person = models.ForeignKey("members.Person", verbose_name="会员", on_delete=models.PROTECT, related_name="+")
    org = models.ForeignKey("orgs.Org", verbose_name="所在工会", on_delete=models.PROTECT, related_name="+")
    org_path = models.CharField("所在工会路径", max_length=255)
    completed_on = models.DateField("结业日期")
    year = models.PositiveSmallIntegerField("年度")  # completed_on's year: the yearly sums read one index
    score = models.DecimalField("成绩", max_digits=5, decimal_places=1, null=True, blank=True)
    credits = models.DecimalField("学分", max_digits=5, decimal_places=1)
    source = models.CharField("来源", max_length=16, choices=Source.choices, default=Source.ENTRY)
    key = models.CharField("证书密钥", max_length=24, unique=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="录入人", null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")  # fmt: skip
    recorded_at = models.DateTimeField("录入时间", auto_now_add=True)

    scope_paths = ("org__path",)
    scope_related = ("org", "course", "person")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "结业记录"
        verbose_name_plural = "结业记录"
        constraints = [
            models.UniqueConstraint(fields=["course", "person"], name="learning_complete_once"),
            models.CheckConstraint(condition=Q(score__isnull=True) | Q(score__gte=0, score__lte=100),
                                   name="learning_score_range"),
            models.CheckConstraint(condition=Q(credits__gte=0), name="learning_completion_credits"),
        ]  # fmt: skip
        indexes = [
            models.Index(fields=["person", "year"], name="learning_completion_person_idx"),
            models.Index(fields=["year", "org_path"], name="learning_completion_path_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.course_id} {self.person_id}"


class CheckIn(models.Model):
    """读书打卡 — what a worker read on a day, for how long, optionally at a worker library; the credits the
    policy rule gave. One check-in per book (``title_key``, the title without spaces and case) per day."""

    person = models.ForeignKey("members.Person", verbose_name="会员", on_delete=models.CASCADE, related_name="+")
    org = models.ForeignKey("orgs.Org", verbose_name="所在工会", on_delete=models.PROTECT, related_name="+")
    org_path = models.CharField("所在工会路径", max_length=255)
    title = models.CharField("书名", max_length=100)
    title_key = models.CharField("书名（比对用）", max_length=100)
    read_on = models.DateField("阅读日期")
    year = models.PositiveSmallIntegerField("年度")
    minutes = models.PositiveSmallIntegerField("阅读时长（分钟）")
    note_enc = EncryptedTextField("读书心得（密文）", blank=True)
    venue = models.ForeignKey("venues.Venue", verbose_name="职工书屋", null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="+")  # fmt: skip
    credits = models.DecimalField("学分", max_digits=4, decimal_places=1)
    created_at = models.DateTimeField("打卡时间", auto_now_add=True)

    scope_paths = ("org__path",)
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "读书打卡"
        verbose_name_plural = "读书打卡"
        constraints = [
            models.UniqueConstraint(fields=["person", "title_key", "read_on"], name="learning_checkin_once_a_day"),
            models.CheckConstraint(condition=Q(minutes__gt=0), name="learning_checkin_minutes"),
            models.CheckConstraint(condition=Q(credits__gte=0), name="learning_checkin_credits"),
        ]
        indexes = [
            models.Index(fields=["person", "read_on"], name="learning_checkin_person_idx"),
            models.Index(fields=["year", "org_path"], name="learning_checkin_path_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def note(self) -> str:
        return crypto.decrypt(self.note_enc) if self.note_enc else ""
