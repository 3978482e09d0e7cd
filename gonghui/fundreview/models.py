"""经费审查: the fund review committee of a union (经费审查委员会), the register of the union's chair and finance
staff it must exclude, its audit plans (审查计划), their findings (审查发现) with rectification tracked as a
case (整改, ``fundreview_rectification``), and the yearly report to the members' assembly, fixed once issued."""

from django.db import models
from django.db.models import Q

from gonghui.orgs.scope import ScopedQuerySet


class Officer(models.Model):
    """工会负责人和财务人员登记 — who holds a post that bars them from the union's review committee (the chair,
    the vice-chair in charge of finance, the accountant, the cashier, other finance staff), from when to when."""

    class Post(models.TextChoices):
        CHAIR = "chair", "工会主席"
        FINANCE_VICE_CHAIR = "finance_vice_chair", "分管财务的副主席"
        ACCOUNTANT = "accountant", "会计"
        CASHIER = "cashier", "出纳"
        FINANCE_STAFF = "finance_staff", "其他财务人员"

    org = models.ForeignKey("orgs.Org", verbose_name="工会", on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey("members.Person", verbose_name="人员", on_delete=models.PROTECT, related_name="+")
    post = models.CharField("职务", max_length=24, choices=Post.choices)
    # The cadre account the post holder signs in with, if any (a cadre's account is not linked to a person).
    account = models.ForeignKey("accounts.User", verbose_name="工作账号", null=True, blank=True,
                                on_delete=models.PROTECT, related_name="+")  # fmt: skip
    since = models.DateField("任职起始")
    until = models.DateField("任职截止", null=True, blank=True)
    recorded_by = models.ForeignKey("accounts.User", verbose_name="登记人", null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")  # fmt: skip
    recorded_at = models.DateTimeField("登记时间", auto_now_add=True)

    scope_paths = ("org__path",)
    scope_related = ("org", "person")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "工会负责人和财务人员"
        verbose_name_plural = "工会负责人和财务人员"
        constraints = [models.CheckConstraint(condition=Q(until__isnull=True) | Q(until__gte=models.F("since")),
                                              name="fundreview_officer_dates")]  # fmt: skip

    def __str__(self) -> str:
        return f"{self.person}（{self.get_post_display()}）"


class Committee(models.Model):
    """经费审查委员会 — one union's committee for one term (elected with the union committee, same term)."""

    org = models.ForeignKey("orgs.Org", verbose_name="工会", on_delete=models.PROTECT, related_name="+")
    term_start = models.DateField("任期起始")
    term_end = models.DateField("任期截止")
    elected_on = models.DateField("选举日期")
    created_by = models.ForeignKey("accounts.User", verbose_name="登记人", null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")  # fmt: skip
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    version = models.PositiveIntegerField("版本", default=1)

    scope_paths = ("org__path",)
    scope_related = ("org",)
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "经费审查委员会"
        verbose_name_plural = "经费审查委员会"
        constraints = [
            models.CheckConstraint(condition=Q(term_end__gt=models.F("term_start")), name="fundreview_term_order"),
            models.UniqueConstraint(fields=["org", "term_start"], name="fundreview_committee_term_once"),
        ]

    def __str__(self) -> str:
        return f"{self.org}经费审查委员会（{self.term_start:%Y}—{self.term_end:%Y}）"


class CommitteeMember(models.Model):
    """经费审查委员会委员 — a member of the union on its committee: 主任, 副主任 or 委员."""

    class Role(models.TextChoices):
        DIRECTOR = "director", "主任"
        DEPUTY = "deputy", "副主任"
        MEMBER = "member", "委员"

    committee = models.ForeignKey(Committee, verbose_name="委员会", on_delete=models.CASCADE, related_name="members")
    person = models.ForeignKey("members.Person", verbose_name="委员", on_delete=models.PROTECT, related_name="+")
    role = models.CharField("职务", max_length=16, choices=Role.choices, default=Role.MEMBER)
    # The cadre account the member confirms rectification with (a cadre's account is not linked to a person).
    account = models.ForeignKey("accounts.User", verbose_name="工作账号", null=True, blank=True,
                                on_delete=models.PROTECT, related_name="+")  # fmt: skip
    added_at = models.DateTimeField("增补时间", auto_now_add=True)

    scope_paths = ("committee__org__path",)
    scope_related = ("committee__org", "person")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "经费审查委员会委员"
        verbose_name_plural = "经费审查委员会委员"
        constraints = [
            models.UniqueConstraint(fields=["committee", "person"], name="fundreview_member_once"),
            models.UniqueConstraint(fields=["committee"], condition=Q(role="director"),
                                    name="fundreview_one_director"),
        ]  # fmt: skip

    def __str__(self) -> str:
        return f"{self.person}（{self.get_role_display()}）"


class Plan(models.Model):
    """审查计划 — one review of the committee's year: its scope (预算执行, 决算, 专项审计, 离任审计…), the
    period it covers and, when done, its conclusion."""

    class Scope(models.TextChoices):
        BUDGET = "budget", "年度预算执行情况审查"
        FINAL = "final", "年度决算审查"
        SPECIAL = "special", "专项资金审计"
        DEPARTURE = "departure", "离任经济责任审计"
        ASSETS = "assets", "资产管理审查"

    class Status(models.TextChoices):
        PLANNED = "planned", "计划中"
        DONE = "done", "已完成"

    org = models.ForeignKey("orgs.Org", verbose_name="被审查工会", on_delete=models.PROTECT, related_name="+")
    committee = models.ForeignKey(Committee, verbose_name="经费审查委员会", on_delete=models.PROTECT,
                                  related_name="plans")  # fmt: skip
    year = models.PositiveSmallIntegerField("审查年度")
    scope = models.CharField("审查类型", max_length=16, choices=Scope.choices)
    title = models.CharField("审查事项", max_length=100)
    planned_on = models.DateField("计划实施日期")
    status = models.CharField("状态", max_length=16, choices=Status.choices, default=Status.PLANNED)
    conclusion = models.TextField("审查结论", blank=True)
    done_on = models.DateField("完成日期", null=True, blank=True)
    created_by = models.ForeignKey("accounts.User", verbose_name="制定人", null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")  # fmt: skip
    created_at = models.DateTimeField("制定时间", auto_now_add=True)
    version = models.PositiveIntegerField("版本", default=1)

    scope_paths = ("org__path",)
    scope_related = ("org",)
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "审查计划"
        verbose_name_plural = "审查计划"
        indexes = [models.Index(fields=["org", "year"], name="fundreview_plan_org_year")]

    def __str__(self) -> str:
        return self.title if self.title.startswith(str(self.year)) else f"{self.year}年 · {self.title}"


class Finding(models.Model):
    """审查发现的问题 — a problem a review found, its severity and amount, and its rectification (整改): a case
    the union's finance side answers (已报整改情况) and the committee closes (整改销号) or sends back."""

    class Severity(models.TextChoices):
        MINOR = "minor", "一般"
        MAJOR = "major", "较重"
        SERIOUS = "serious", "严重"

    class Status(models.TextChoices):
        RECTIFYING = "rectifying", "整改中"
        RESPONDED = "responded", "已报整改情况"
        CLOSED = "closed", "整改完成（已销号）"

    plan = models.ForeignKey(Plan, verbose_name="审查计划", on_delete=models.PROTECT, related_name="findings")
    org = models.ForeignKey("orgs.Org", verbose_name="被审查工会", on_delete=models.PROTECT, related_name="+")
    title = models.CharField("问题", max_length=100)
    detail = models.TextField("问题描述")
    severity = models.CharField("严重程度", max_length=16, choices=Severity.choices)
    amount_fen = models.BigIntegerField("涉及金额（分）", default=0)
    code = models.CharField("涉及科目", max_length=16, blank=True)
    requirement = models.CharField("整改要求", max_length=300)
    deadline = models.DateField("整改期限")
    status = models.CharField("整改状态", max_length=16, choices=Status.choices, default=Status.RECTIFYING)
    case = models.OneToOneField("cases.Case", verbose_name="整改事项", null=True, blank=True,
                                on_delete=models.PROTECT, related_name="fundreview_finding")  # fmt: skip
    response = models.TextField("整改情况", blank=True)
    responded_by = models.ForeignKey("accounts.User", verbose_name="报送人", null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")  # fmt: skip
    responded_at = models.DateTimeField("报送时间", null=True, blank=True)
    closed_by = models.ForeignKey("accounts.User", verbose_name="销号确认人", null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")  # fmt: skip
    closed_on = models.DateField("销号日期", null=True, blank=True)
    overdue_notified_for = models.DateField("已发逾期提醒的期限", null=True, blank=True)
    recorded_by = models.ForeignKey("accounts.User", verbose_name="记录人", null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")  # fmt: skip
    recorded_at = models.DateTimeField("记录时间", auto_now_add=True)

    scope_paths = ("org__path",)
    scope_related = ("org", "plan")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "审查发现的问题"
        verbose_name_plural = "审查发现的问题"
        constraints = [models.CheckConstraint(condition=Q(amount_fen__gte=0), name="fundreview_finding_amount")]
        indexes = [models.Index(fields=["org", "status", "deadline"], name="fundreview_finding_open")]

    def __str__(self) -> str:
        return self.title


class Report(models.Model):
    """年度审查工作报告 — the committee's report of a year to the members' assembly, generated from the year's
    plans, findings and rectifications and fixed when issued (``content`` is what the PDF and the workbook
    print; nothing changes it afterwards)."""

    org = models.ForeignKey("orgs.Org", verbose_name="工会", on_delete=models.PROTECT, related_name="+")
    committee = models.ForeignKey(Committee, verbose_name="经费审查委员会", on_delete=models.PROTECT,
                                  related_name="reports")  # fmt: skip
    year = models.PositiveSmallIntegerField("年度")
    content = models.JSONField("报告内容")
    issued_by = models.ForeignKey("accounts.User", verbose_name="签发人", null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")  # fmt: skip
    issued_at = models.DateTimeField("签发时间", auto_now_add=True)

    scope_paths = ("org__path",)
    scope_related = ("org",)
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "年度审查工作报告"
        verbose_name_plural = "年度审查工作报告"
        constraints = [models.UniqueConstraint(fields=["org", "year"], name="fundreview_report_once")]

    def __str__(self) -> str:
        return f"{self.org}{self.year}年度经费审查工作报告"
