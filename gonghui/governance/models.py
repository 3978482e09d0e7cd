"""The governance overview's stores: the monthly rollup of every declared figure per org, and the plan targets
split down the tree (decision 0028)."""

from django.db import models
from django.db.models import Q

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
