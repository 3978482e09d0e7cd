"""会费: province rates, members' wage bases, payments by month, and the per-org monthly rollup.

A month is stored as the date of its first day. Dues belong to the person (a month is paid once, whichever
union held the membership then); each payment also names the union that received it."""

from django.db import models
from django.db.models import Q

from gonghui.core.crypto import EncryptedTextField
from gonghui.orgs.provinces import InProvince
from gonghui.orgs.scope import ScopedQuerySet


class DuesRate(models.Model):
    """会费比例 — a province's own dues rate from a month on; the latest row not after a month applies, and
    without one the national default (``DuesPolicy.rate``) does. Rows are history: never edited."""

    province_code = models.CharField("省级区划代码", max_length=2)
    effective_from = models.DateField("起始月份")
    rate = models.DecimalField("会费比例", max_digits=7, decimal_places=6)
    set_by = models.ForeignKey("accounts.User", verbose_name="设置人", null=True, on_delete=models.PROTECT,
                               related_name="+")  # fmt: skip
    set_at = models.DateTimeField("设置时间", auto_now_add=True)

    class Meta:
        verbose_name = "会费比例"
        verbose_name_plural = "会费比例"
        constraints = [models.UniqueConstraint(fields=["province_code", "effective_from"], name="dues_rate_month")]

    def __str__(self) -> str:
        return f"{self.province_code} {self.effective_from:%Y-%m} {self.rate}"


class WageBase(InProvince):
    """缴费基数 — a member's monthly wage base from a month on (history kept). The wage is personal data:
    kept only as SM4 ciphertext and never shown again after entry; pages and the API show the dues it
    yields. Setting a base again for the same month replaces it."""

    person = models.ForeignKey("members.Person", verbose_name="职工", on_delete=models.PROTECT,
                               related_name="wage_bases")  # fmt: skip
    org = models.ForeignKey("orgs.Org", verbose_name="核定工会", on_delete=models.PROTECT, related_name="+")
    effective_from = models.DateField("起始月份")
    base_enc = EncryptedTextField("月缴费基数（密文）")
    set_by = models.ForeignKey("accounts.User", verbose_name="核定人", null=True, on_delete=models.PROTECT,
                               related_name="+")  # fmt: skip
    set_at = models.DateTimeField("核定时间", auto_now=True)

    class Meta:
        verbose_name = "缴费基数"
        verbose_name_plural = "缴费基数"
        constraints = [models.UniqueConstraint(fields=["person", "effective_from"], name="dues_base_month")]

    def __str__(self) -> str:
        return f"{self.person_id} {self.effective_from:%Y-%m}"


class DuesPayment(InProvince):
    """会费缴纳记录 — one member's dues for one month. A month is paid once: a second payment is refused
    unless the first was reversed (冲正), which adds a negative row pointing at it; rows are never edited
    or deleted."""

    class Method(models.TextChoices):
        PAYROLL = "payroll", "代扣"
        CASH = "cash", "现金"
        TRANSFER = "transfer", "转账"
        ONLINE = "online", "线上"

    class Kind(models.TextChoices):
        PAYMENT = "payment", "缴纳"
        REVERSAL = "reversal", "冲正"

    person = models.ForeignKey("members.Person", verbose_name="职工", on_delete=models.PROTECT,
                               related_name="dues_payments")  # fmt: skip
    membership = models.ForeignKey("members.Membership", verbose_name="会籍", on_delete=models.PROTECT,
                                   related_name="+")  # fmt: skip
    org = models.ForeignKey("orgs.Org", verbose_name="收缴工会", on_delete=models.PROTECT, related_name="+")
    month = models.DateField("所属月份")
    amount = models.DecimalField("金额（元）", max_digits=10, decimal_places=2)
    method = models.CharField("缴纳方式", max_length=16, choices=Method.choices)
    paid_on = models.DateField("缴纳日期")
    kind = models.CharField("类型", max_length=16, choices=Kind.choices, default=Kind.PAYMENT)
    reverses = models.OneToOneField("self", verbose_name="冲正的记录", null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="reversal")  # fmt: skip
    is_reversed = models.BooleanField("已冲正", default=False)
    note = models.CharField("备注", max_length=200, blank=True)
    recorded_by = models.ForeignKey("accounts.User", verbose_name="登记人", null=True, on_delete=models.PROTECT,
                                    related_name="+")  # fmt: skip
    recorded_at = models.DateTimeField("登记时间", auto_now_add=True)

    scope_related = ("org",)

    class Meta:
        verbose_name = "会费缴纳记录"
        verbose_name_plural = "会费缴纳记录"
        constraints = [
            models.UniqueConstraint(fields=["person", "month"], condition=Q(kind="payment", is_reversed=False),
                                    name="dues_one_payment_per_month"),
        ]  # fmt: skip
        indexes = [models.Index(fields=["person", "month"], name="dues_payment_person_month")]

    def __str__(self) -> str:
        return f"{self.person_id} {self.month:%Y-%m} {self.amount}"


class DuesOrgMonth(models.Model):
    """会费月度汇总 — one union's direct members in one month: dues due and paid in the month, and arrears
    (unpaid dues of all months up to it, at most up to last month). Kept by the services that change them
    and by the monthly recompute task (docs/architecture.md rule 7); a subtree's figures are a sum over its orgs."""

    org = models.ForeignKey("orgs.Org", verbose_name="工会", on_delete=models.CASCADE, related_name="+")
    month = models.DateField("月份")
    members = models.PositiveIntegerField("会员数", default=0)
    members_due = models.PositiveIntegerField("应缴人数", default=0)
    due_total = models.DecimalField("应缴金额", max_digits=14, decimal_places=2, default=0)
    members_paid = models.PositiveIntegerField("已缴人数", default=0)
    paid_total = models.DecimalField("已缴金额", max_digits=14, decimal_places=2, default=0)
    members_in_arrears = models.PositiveIntegerField("欠缴人数", default=0)
    arrears_total = models.DecimalField("欠缴金额", max_digits=14, decimal_places=2, default=0)
    members_unassessed = models.PositiveIntegerField("未核定缴费基数人数", default=0)
    # The union's active memberships when the row was recomputed (count, sum of ids, retirees): a write
    # applies its difference only while they are unchanged, else the union is recomputed.
    members_check = models.CharField("会员校验", max_length=40, blank=True, default="")
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    scope_paths = ("org__path",)
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "会费月度汇总"
        verbose_name_plural = "会费月度汇总"
        constraints = [models.UniqueConstraint(fields=["org", "month"], name="dues_rollup_org_month")]
        indexes = [models.Index(fields=["month", "org"], name="dues_rollup_month_org")]

    def __str__(self) -> str:
        return f"{self.org_id} {self.month:%Y-%m}"
