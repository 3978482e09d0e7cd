"""The governance overview's stores: the monthly rollup of every declared figure per org, and the plan targets
split down the tree (decision 0028)."""

from django.db import models
from django.db.models import Q

from gonghui.core.files import PrivateFileField
from gonghui.core.jobs import LeasedJob
from gonghui.orgs.scope import ScopedQuerySet


class FigureMonth(models.Model):
    """One figure of one org's whole subtree in one month (月度汇总): the overview reads these rows instead of
    counting records on a page view (docs/architecture.md rule 7). The current month is recomputed by the daily
    job; a past month keeps its last computed value (the trend). A missing row means 0."""

    org = models.ForeignKey("orgs.Org", verbose_name="工会", on_delete=models.CASCADE, related_name="+")
    month = models.DateField("月份")  # the first day of the month
    key = models.CharField("指标", max_length=64)
    value = models.DecimalField("数值", max_digits=18, decimal_places=2)
    computed_at = models.DateTimeField("计算时间")
    is_demo = models.BooleanField("演示回填", default=False)

    scope_paths = ("org__path",)
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "指标月度汇总"
        verbose_name_plural = "指标月度汇总"
        constraints = [models.UniqueConstraint(fields=["org", "key", "month"], name="figure_month_unique")]
        indexes = [models.Index(fields=["month", "key"], name="figure_month_month_key_idx")]

    def __str__(self) -> str:
        return f"{self.key} {self.month:%Y-%m} {self.value}"


class RollupDirty(models.Model):
    """An org whose own records changed since the rollup last applied them (decision 0044): written in the
    writer's transaction (core.figures), taken and deleted by ``rollup.apply_dirty`` minutes later. No personal
    data: an org and a figure key. One row per write, not unique: a write whose mark merged into an older one
    could be missed by a run that took the older mark before the write committed."""

    org_id = models.BigIntegerField("工会编号")  # not a foreign key: a deleted org's mark is simply skipped
    key = models.CharField("指标", max_length=64)
    marked_at = models.DateTimeField("标记时间", auto_now_add=True)

    class Meta:
        verbose_name = "待增量汇总"
        verbose_name_plural = "待增量汇总"

    def __str__(self) -> str:
        return f"{self.key} {self.org_id}"


class Target(models.Model):
    """规划目标 — a figure to reach at an org's subtree by a date; a parent's target split among its children
    (the children's must add up to at least the parent's)."""

    key = models.CharField("指标", max_length=64)
    org = models.ForeignKey("orgs.Org", verbose_name="工会", on_delete=models.PROTECT, related_name="+")
    due_on = models.DateField("完成期限")
    value = models.DecimalField("目标值", max_digits=18, decimal_places=2)
    source = models.CharField("依据", max_length=200, blank=True)
    parent = models.ForeignKey(
        "self", verbose_name="上级目标", null=True, blank=True, on_delete=models.CASCADE, related_name="shares"
    )
    version = models.PositiveIntegerField("版本", default=1)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    scope_paths = ("org__path",)
    scope_related = ("org", "parent")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "规划目标"
        verbose_name_plural = "规划目标"
        constraints = [
            models.UniqueConstraint(fields=["org", "key", "due_on"], name="target_org_key_due_unique",
                                    violation_error_message="该工会已有同一指标、同一期限的目标。"),
            models.CheckConstraint(condition=Q(value__gt=0), name="target_value_positive",
                                   violation_error_message="目标值必须大于 0。"),
        ]  # fmt: skip

    def __str__(self) -> str:
        return f"{self.key} {self.value}"


class RiskWeight(models.Model):
    """The weight of one signal in the labour-relations risk score (劳动关系风险权重), set by an admin of a top
    union; a signal without a row uses its default (gonghui.governance.risk.SIGNALS)."""

    key = models.CharField("信号", max_length=64, unique=True)
    weight = models.DecimalField("权重", max_digits=8, decimal_places=2)
    updated_at = models.DateTimeField("修改时间", auto_now=True)

    class Meta:
        verbose_name = "风险权重"
        verbose_name_plural = "风险权重"

    def __str__(self) -> str:
        return f"{self.key} {self.weight}"


class OpinionItem(models.Model):
    """网上舆论条目 — one text from a worker's request, an approved comment or a pushed item, with its union and
    time. The text is stored already masked (ID and mobile numbers), never with its author: an anonymous
    filer stays anonymous, and no item names a person (decision 0032)."""

    class Source(models.TextChoices):
        REQUEST = "request", "职工诉求"
        COMMENT = "comment", "资讯评论"
        API = "api", "接口推送"
        IMPORT = "import", "文件导入"

    class Sentiment(models.TextChoices):
        POSITIVE = "positive", "正面"
        NEUTRAL = "neutral", "中性"
        NEGATIVE = "negative", "负面"

    source = models.CharField("来源", max_length=16, choices=Source.choices)
    # the request's or comment's id (ingested once), or the pusher's own id of the item
    ref = models.CharField("来源编号", max_length=64)
    org = models.ForeignKey("orgs.Org", verbose_name="所属工会", on_delete=models.CASCADE, related_name="+")
    occurred_at = models.DateTimeField("发生时间")
    text = models.CharField("内容（已脱敏）", max_length=1000)
    tokens = models.TextField("分词", blank=True)  # space-separated jieba tokens
    score = models.DecimalField("情感分", max_digits=8, decimal_places=2)
    sentiment = models.CharField("情感", max_length=16, choices=Sentiment.choices)
    created_at = models.DateTimeField("采集时间", auto_now_add=True)

    scope_paths = ("org__path",)
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "舆论条目"
        verbose_name_plural = "舆论条目"
        constraints = [models.UniqueConstraint(fields=["source", "ref"], name="opinion_item_once")]
        indexes = [models.Index(fields=["org", "occurred_at"], name="opinion_org_time_idx"),
                   models.Index(fields=["sentiment", "occurred_at"], name="opinion_sentiment_time_idx")]  # fmt: skip

    def __str__(self) -> str:
        return f"{self.source}:{self.ref}"


class OpinionWord(models.Model):
    """情感词 an admin adds to the shipped lexicon: weight > 0 positive, < 0 negative."""

    word = models.CharField("词语", max_length=20, unique=True)
    weight = models.DecimalField("权重", max_digits=4, decimal_places=1)
    created_at = models.DateTimeField("添加时间", auto_now_add=True)

    class Meta:
        verbose_name = "情感词"
        verbose_name_plural = "情感词"

    def __str__(self) -> str:
        return f"{self.word} {self.weight}"


class OpinionSpike(models.Model):
    """负面舆情突增 found for a union on a day (once): the count, the 28 days' mean and σ it was above."""

    org = models.ForeignKey("orgs.Org", verbose_name="工会", on_delete=models.CASCADE, related_name="+")
    day = models.DateField("日期")
    count = models.PositiveIntegerField("负面条数")
    mean = models.DecimalField("前28日均值", max_digits=10, decimal_places=2)
    sigma = models.DecimalField("前28日标准差", max_digits=10, decimal_places=2)
    created_at = models.DateTimeField("发现时间", auto_now_add=True)

    scope_paths = ("org__path",)
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "负面舆情突增"
        verbose_name_plural = "负面舆情突增"
        constraints = [models.UniqueConstraint(fields=["org", "day"], name="opinion_spike_once")]

    def __str__(self) -> str:
        return f"{self.org_id} {self.day}"


class YearReport(models.Model):
    """统计年报 — the yearly statistics a union reports upward, kept as it was computed (decision 0041): the values
    as JSON and the xlsx and PDF made from them, encrypted at rest (core.files). Later edits of the records do
    not change a kept report; a closed year's report is final (regenerating it is refused)."""

    org = models.ForeignKey("orgs.Org", verbose_name="工会", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField("年度")
    as_of = models.DateField("统计时点")
    values = models.JSONField("统计数据")
    xlsx_file = PrivateFileField("Excel 文件", max_length=200)
    pdf_file = PrivateFileField("PDF 文件", max_length=200)
    created_by = models.ForeignKey("accounts.User", verbose_name="生成人", null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")  # fmt: skip
    created_at = models.DateTimeField("生成时间")
    version = models.PositiveIntegerField("版本", default=1)

    scope_paths = ("org__path",)
    scope_related = ("org",)
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "统计年报"
        verbose_name_plural = "统计年报"
        constraints = [models.UniqueConstraint(fields=["org", "year"], name="year_report_once",
                                               violation_error_message="该工会该年度的年报已生成。")]  # fmt: skip

    def __str__(self) -> str:
        return f"{self.org_id} {self.year}"


class YearReportJob(LeasedJob):
    """生成统计年报的后台任务 (decision 0044): a long job (core.jobs, lease and heartbeat). The four sections are
    computed one after another and each kept in ``values`` as it is done (the checkpoint: a worker that died
    resumes at the next section); then the report is kept as ``YearReport`` and linked here."""

    class Status(models.TextChoices):
        RUNNING = "running", "生成中"
        DONE = "done", "已完成"
        FAILED = "failed", "失败"

    STEPS = 4  # the report's sections

    lease_tasks = {Status.RUNNING: "gonghui.governance.tasks.year_report_task"}

    org = models.ForeignKey("orgs.Org", verbose_name="工会", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField("年度")
    as_of = models.DateField("统计时点")
    requested_by = models.ForeignKey("accounts.User", verbose_name="申请人", null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")  # fmt: skip
    status = models.CharField("状态", max_length=16, choices=Status.choices, default=Status.RUNNING)
    steps_done = models.PositiveSmallIntegerField("已完成栏目", default=0)
    values = models.JSONField("已计算的栏目", default=dict)
    report = models.ForeignKey(YearReport, verbose_name="年报", null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="+")  # fmt: skip
    error = models.CharField("失败原因", max_length=200, blank=True)
    created_at = models.DateTimeField("申请时间", auto_now_add=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)

    scope_paths = ("org__path",)
    scope_related = ("org",)
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "统计年报生成任务"
        verbose_name_plural = "统计年报生成任务"
        constraints = [models.UniqueConstraint(fields=["org", "year"], condition=Q(status="running"),
                                               name="year_report_job_one_running")]  # fmt: skip

    def __str__(self) -> str:
        return f"{self.org_id} {self.year} {self.status}"

    @property
    def percent(self) -> int:
        return 100 if self.status == self.Status.DONE else self.steps_done * 100 // (self.STEPS + 1)


class EmployerScore(models.Model):
    """用人单位劳动关系风险分 (decision 0044): every employer's score of the latest daily run (the one the alerts
    are raised from), kept at its responsible union so the overview shows the employers of any node and its list
    drills down to them. Replaced as a whole by each run; only scores above 0 are kept."""

    employer = models.OneToOneField("members.Employer", verbose_name="用人单位", on_delete=models.CASCADE,
                                    related_name="+")  # fmt: skip
    org = models.ForeignKey("orgs.Org", verbose_name="负责工会", on_delete=models.CASCADE, related_name="+")
    score = models.DecimalField("风险分", max_digits=12, decimal_places=1)
    reasons = models.TextField("原因")
    computed_on = models.DateField("评分日期")

    scope_paths = ("org__path",)
    scope_related = ("org",)
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "用人单位风险分"
        verbose_name_plural = "用人单位风险分"
        indexes = [models.Index(fields=["-score"], name="employer_score_idx")]

    def __str__(self) -> str:
        return f"{self.employer_id} {self.score}"


class RiskAlert(models.Model):
    """劳动关系风险预警 — an employer's or a region's score that reached the admin's threshold, raised once as a case
    (kind ``governance.risk_alert``) to the responsible union with the reasons; closed on the case with a note.
    While one is open for a subject (``subject_key``) no other is raised for it."""

    class Subject(models.TextChoices):
        EMPLOYER = "employer", "用人单位"
        REGION = "region", "地区"

    subject = models.CharField("对象类型", max_length=16, choices=Subject.choices)
    subject_key = models.CharField("对象", max_length=40)  # "employer:<id>" or "region:<org id>"
    employer = models.ForeignKey("members.Employer", verbose_name="用人单位", null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")  # fmt: skip
    name = models.CharField("名称", max_length=200)
    org = models.ForeignKey("orgs.Org", verbose_name="负责工会", on_delete=models.PROTECT, related_name="+")
    score = models.DecimalField("风险分", max_digits=12, decimal_places=1)
    threshold = models.DecimalField("预警阈值", max_digits=12, decimal_places=2)
    reasons = models.JSONField("原因")  # [[label, rate, points], ...] largest first
    case = models.OneToOneField("cases.Case", verbose_name="事项", on_delete=models.PROTECT, related_name="+")
    status = models.CharField("状态", max_length=32)
    raised_on = models.DateField("预警日期")
    closed_at = models.DateTimeField("关闭时间", null=True, blank=True)

    scope_paths = ("org__path",)
    scope_related = ("org", "employer", "case")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "风险预警"
        verbose_name_plural = "风险预警"
        constraints = [models.UniqueConstraint(fields=["subject_key"], condition=Q(closed_at__isnull=True),
                                               name="risk_alert_one_open")]  # fmt: skip

    def __str__(self) -> str:
        return f"{self.subject_key} {self.score}"

    @property
    def status_label(self) -> str:
        from gonghui.governance.cases import CASE_KINDS

        return CASE_KINDS[0].status_label(self.status)
