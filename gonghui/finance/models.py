"""工会财务: the ledger (accounts, monthly periods, journal entries and their lines, in fen), the sharing of the
2% funds between levels (拨缴 rules per province and period), employers' monthly declarations and the
collections against them with their split, and budgets per org, year and account.

Entries balance and, once posted, never change: the posting service checks it, and the database refuses an
unbalanced posting, a line added to or changed in a posted entry, and a change to a posted entry (triggers,
migration 0002; docs/decisions/0023-finance-ledger.md)."""

from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Coalesce

from gonghui.core.files import PrivateFileField
from gonghui.core.jobs import LeasedJob
from gonghui.finance import chart
from gonghui.orgs.scope import ScopedQuerySet


class Account(models.Model):
    """自设明细科目 — an org's own sub-account below an account of its chart (the standard chart of the 2021
    system is ``chart.STANDARD``, the same for every union of a set)."""

    class Kind(models.TextChoices):
        ASSET = chart.ASSET, "资产类"
        LIABILITY = chart.LIABILITY, "负债类"
        NET_ASSET = chart.NET_ASSET, "净资产类"
        INCOME = chart.INCOME, "收入类"
        EXPENSE = chart.EXPENSE, "支出类"

    org = models.ForeignKey("orgs.Org", verbose_name="工会", on_delete=models.PROTECT, related_name="+")
    code = models.CharField("科目编号", max_length=16)
    name = models.CharField("科目名称", max_length=60)
    kind = models.CharField("类别", max_length=16, choices=Kind.choices)
    side = models.CharField("余额方向", max_length=8, choices=[(chart.DEBIT, "借"), (chart.CREDIT, "贷")])

    scope_paths = ("org__path",)
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "自设明细科目"
        verbose_name_plural = "自设明细科目"
        ordering = ["code"]
        constraints = [models.UniqueConstraint(fields=["org", "code"], name="finance_account_org_code")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def as_chart(self) -> chart.ChartAccount:
        return chart.ChartAccount(self.code, self.name, self.kind, self.side, self.org_id)


class Period(models.Model):
    """会计期间 — one org's month; open until closed (结账), after which nothing is posted into it."""

    org = models.ForeignKey("orgs.Org", verbose_name="工会", on_delete=models.PROTECT, related_name="+")
    month = models.DateField("月份")  # the first day of the month
    closed_at = models.DateTimeField("结账时间", null=True, blank=True)
    closed_by = models.ForeignKey("accounts.User", verbose_name="结账人", null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")  # fmt: skip

    scope_paths = ("org__path",)
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "会计期间"
        verbose_name_plural = "会计期间"
        constraints = [
            models.UniqueConstraint(fields=["org", "month"], name="finance_period_org_month"),
            models.CheckConstraint(condition=Q(month__day=1), name="finance_period_first_day"),
        ]

    def __str__(self) -> str:
        return f"{self.org_id} {self.month:%Y-%m}"


class Entry(models.Model):
    """记账凭证 — a journal entry of one org: balanced lines, posted at once, never changed afterwards; a
    correction is a reversing entry (``reverses``) with the same lines on the other side."""

    class Source(models.TextChoices):
        MANUAL = "manual", "手工凭证"
        COLLECTION = "collection", "经费收缴"
        RESERVE = "reserve", "建会筹备金"
        DUES = "dues", "会费收入"
        REVERSAL = "reversal", "冲销"
        CLOSING = "closing", "年终结转"
        ASSET = "asset", "固定资产"
        DEPRECIATION = "depreciation", "计提折旧"
        AID = "aid", "帮扶资金发放"
        SPENDING = "spending", "经费支出"
        ASSET_MOVE = "asset_move", "资产调拨或处置"
        RESERVE_RETURN = "reserve_return", "建会筹备金返还"
        CARE = "care", "劳模关爱支出"

    org = models.ForeignKey("orgs.Org", verbose_name="记账工会", on_delete=models.PROTECT, related_name="+")
    date = models.DateField("记账日期")
    month = models.DateField("会计期间")
    memo = models.CharField("摘要", max_length=200)
    source = models.CharField("来源", max_length=16, choices=Source.choices, default=Source.MANUAL)
    source_key = models.CharField("来源标识", max_length=40, blank=True)  # e.g. dues "2026-03": posted once
    posted = models.BooleanField("已过账", default=False)
    reverses = models.OneToOneField("self", verbose_name="冲销的凭证", null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="reversal")  # fmt: skip
    collection = models.ForeignKey("Collection", verbose_name="经费收缴", null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="entries")  # fmt: skip
    created_by = models.ForeignKey("accounts.User", verbose_name="制单人", null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")  # fmt: skip
    created_at = models.DateTimeField("制单时间", auto_now_add=True)

    scope_paths = ("org__path",)
    scope_related = ("org",)
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "记账凭证"
        verbose_name_plural = "记账凭证"
        constraints = [
            models.UniqueConstraint(fields=["org", "source", "source_key"], condition=~Q(source_key=""),
                                    name="finance_entry_source_once"),
            models.CheckConstraint(condition=Q(month__day=1), name="finance_entry_month_first_day"),
        ]  # fmt: skip
        indexes = [models.Index(fields=["org", "month"], name="finance_entry_org_month")]

    def __str__(self) -> str:
        return f"记字第{self.pk}号"


class Line(models.Model):
    """分录 — one side of an entry: an account (its code, checked against the org's chart when posting)
    debited or credited, in fen. ``org`` and ``month`` repeat the entry's, so that balances are one indexed
    aggregate."""

    entry = models.ForeignKey(Entry, verbose_name="凭证", on_delete=models.PROTECT, related_name="lines")
    org = models.ForeignKey("orgs.Org", verbose_name="记账工会", on_delete=models.PROTECT, related_name="+")
    month = models.DateField("会计期间")
    code = models.CharField("科目编号", max_length=16)
    debit_fen = models.BigIntegerField("借方（分）", default=0)
    credit_fen = models.BigIntegerField("贷方（分）", default=0)
    earmarked = models.BooleanField("专项", default=False)
    # 往来工会: on 131/132/211/212, the other union of an inter-level receivable or payable (set by the
    # collection's split), so that a consolidated report eliminates the pairs inside its subtree.
    party = models.ForeignKey("orgs.Org", verbose_name="往来工会", null=True, blank=True, on_delete=models.PROTECT,
                              related_name="+")  # fmt: skip
    # 往来单位: on 135/215 (其他应收款、其他应付款), the other side when it is not a union (an employer, a supplier),
    # by name; a line names a union (``party``) or a unit, never both (the posting checks it). Nullable so that
    # adding it is a plain ALTER TABLE on SQLite: a rebuilt table would lose the ledger's triggers (0002).
    counterparty = models.CharField("往来单位", max_length=100, null=True, blank=True)  # noqa: DJ001

    scope_paths = ("org__path",)
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "分录"
        verbose_name_plural = "分录"
        constraints = [
            models.CheckConstraint(
                condition=(Q(debit_fen__gt=0, credit_fen=0) | Q(debit_fen=0, credit_fen__gt=0)),
                name="finance_line_one_side",
                violation_error_message="每条分录只能记借方或贷方的一个正数金额。",
            ),
        ]
        indexes = [models.Index(fields=["org", "month", "code"], name="finance_line_org_month_code")]

    def __str__(self) -> str:
        return f"{self.code} {self.debit_fen}/{self.credit_fen}"


class Balance(models.Model):
    """月度发生额 — the posted lines of one org's month added up per account code, 专项 or not, and the other
    side as the lines name it (a union, ``party``, or a unit, ``counterparty``; '' when none): the debits and
    the credits apart, since the trial balance shows both. Kept by the posting itself, in its transaction
    (``services.balances_add``: one INSERT ... ON CONFLICT DO UPDATE adding the deltas per key), so that every
    report reads these rows instead of the lines (docs/decisions/0051-monthly-balances.md);
    ``manage.py finance_balances`` checks them against the lines and rebuilds them."""

    org = models.ForeignKey("orgs.Org", verbose_name="记账工会", on_delete=models.PROTECT, related_name="+")
    month = models.DateField("会计期间")
    code = models.CharField("科目编号", max_length=16)
    earmarked = models.BooleanField("专项", default=False)
    party = models.ForeignKey("orgs.Org", verbose_name="往来工会", null=True, blank=True, on_delete=models.PROTECT,
                              related_name="+")  # fmt: skip
    counterparty = models.CharField("往来单位", max_length=100, blank=True, default="")
    debit_fen = models.BigIntegerField("借方发生额（分）", default=0)
    credit_fen = models.BigIntegerField("贷方发生额（分）", default=0)

    scope_paths = ("org__path",)
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "月度发生额"
        verbose_name_plural = "月度发生额"
        constraints = [
            # The upsert's conflict target: a NULL party would never conflict with another NULL, hence COALESCE.
            models.UniqueConstraint("org", "month", "code", "earmarked", Coalesce("party", 0), "counterparty",
                                    name="finance_balance_key"),
            models.CheckConstraint(condition=Q(debit_fen__gte=0, credit_fen__gte=0), name="finance_balance_sides"),
        ]  # fmt: skip

    def __str__(self) -> str:
        return f"{self.org_id} {self.month:%Y-%m} {self.code} {self.debit_fen}/{self.credit_fen}"


class Level(models.TextChoices):
    """The levels that share the 2% funds."""

    GRASSROOTS = "grassroots", "基层工会"
    COUNTY = "county", "县（区）总工会"
    CITY = "city", "市级总工会"
    PROVINCE = "province", "省级总工会"
    NATIONAL = "national", "全国总工会"


class SharingRule(models.Model):
    """经费分成比例 — a province's split of the 2% funds from a month on (basis points, 6000 = 60%); a later
    rule applies from its own month only. ``tax_landing``: the level where the tax bureau pays the whole
    amount in (税务代收)."""

    province = models.ForeignKey("orgs.Org", verbose_name="省级总工会", on_delete=models.PROTECT, related_name="+")
    effective_from = models.DateField("执行起始月份")
    grassroots_bp = models.PositiveIntegerField("基层工会（万分比）")
    county_bp = models.PositiveIntegerField("县（区）总工会（万分比）")
    city_bp = models.PositiveIntegerField("市级总工会（万分比）")
    province_bp = models.PositiveIntegerField("省级总工会（万分比）")
    national_bp = models.PositiveIntegerField("全国总工会（万分比）")
    tax_landing = models.CharField("税务代收到账层级", max_length=16, choices=Level.choices, default=Level.CITY)
    note = models.CharField("依据", max_length=200, blank=True)
    set_by = models.ForeignKey("accounts.User", verbose_name="设置人", null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+")  # fmt: skip
    set_at = models.DateTimeField("设置时间", auto_now_add=True)

    scope_paths = ("province__path",)
    scope_related = ("province",)
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "经费分成比例"
        verbose_name_plural = "经费分成比例"
        ordering = ["province", "-effective_from"]
        constraints = [
            models.UniqueConstraint(fields=["province", "effective_from"], name="finance_rule_province_month"),
            models.CheckConstraint(
                condition=Q(grassroots_bp__gte=4000),
                name="finance_rule_grassroots_floor",
                violation_error_message="基层工会留成不得低于 40%（工财字〔2004〕42号）。",
            ),
            models.CheckConstraint(
                condition=Q(grassroots_bp=10000 - F("county_bp") - F("city_bp") - F("province_bp") - F("national_bp")),
                name="finance_rule_sums_to_whole",
                violation_error_message="各级分成比例之和必须是 100%。",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.province_id} {self.effective_from:%Y-%m}"

    def shares(self) -> dict[str, int]:
        return {level: getattr(self, f"{level}_bp") for level in Level.values}


class FundDeclaration(models.Model):
    """工会经费申报 — an employer's monthly payroll (工资总额) and the 2% due on it, to its union (工会经费) or,
    without a union, to the upper-level union as 建会筹备金; ``collected_fen`` what has come in."""

    class Kind(models.TextChoices):
        FUNDS = "funds", "工会经费"
        RESERVE = "reserve", "建会筹备金"

    employer = models.ForeignKey("members.Employer", verbose_name="用人单位", on_delete=models.PROTECT,
                                 related_name="+")  # fmt: skip
    org = models.ForeignKey("orgs.Org", verbose_name="收缴工会", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField("类别", max_length=16, choices=Kind.choices)
    month = models.DateField("所属月份")
    payroll_fen = models.BigIntegerField("工资总额（分）")
    due_fen = models.BigIntegerField("应缴（分）")
    collected_fen = models.BigIntegerField("已缴（分）", default=0)
    declared_by = models.ForeignKey("accounts.User", verbose_name="登记人", null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")  # fmt: skip
    declared_at = models.DateTimeField("登记时间", auto_now_add=True)

    scope_paths = ("org__path",)
    scope_related = ("org", "employer")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "工会经费申报"
        verbose_name_plural = "工会经费申报"
        constraints = [
            models.UniqueConstraint(fields=["employer", "month"], name="finance_declaration_employer_month"),
            models.CheckConstraint(condition=Q(payroll_fen__gt=0, due_fen__gte=0, collected_fen__gte=0),
                                   name="finance_declaration_amounts"),
            models.CheckConstraint(condition=Q(month__day=1), name="finance_declaration_first_day"),
        ]  # fmt: skip
        indexes = [models.Index(fields=["org", "month"], name="finance_declaration_org_month")]

    def __str__(self) -> str:
        return f"{self.employer_id} {self.month:%Y-%m}"

    @property
    def arrears_fen(self) -> int:
        return max(self.due_fen - self.collected_fen, 0)


class Collection(models.Model):
    """经费收缴 — money received against a declaration, by the union itself (直接收缴) or through the tax
    bureau (税务代收); its split and entries at every level are made with it."""

    class Route(models.TextChoices):
        DIRECT = "direct", "工会直接收缴"
        TAX = "tax", "税务代收"

    declaration = models.ForeignKey(FundDeclaration, verbose_name="申报", on_delete=models.PROTECT,
                                    related_name="collections")  # fmt: skip
    org = models.ForeignKey("orgs.Org", verbose_name="收缴工会", on_delete=models.PROTECT, related_name="+")
    amount_fen = models.BigIntegerField("金额（分）")
    received_on = models.DateField("到账日期")
    route = models.CharField("收缴方式", max_length=8, choices=Route.choices, default=Route.DIRECT)
    rule = models.ForeignKey(SharingRule, verbose_name="适用分成比例", null=True, blank=True,
                             on_delete=models.PROTECT, related_name="+")  # fmt: skip
    reversed_at = models.DateTimeField("冲销时间", null=True, blank=True)
    reserve_return = models.ForeignKey("ReserveReturn", verbose_name="筹备金返还", null=True, blank=True,
                                       on_delete=models.PROTECT, related_name="collections")  # fmt: skip
    recorded_by = models.ForeignKey("accounts.User", verbose_name="登记人", null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")  # fmt: skip
    recorded_at = models.DateTimeField("登记时间", auto_now_add=True)

    scope_paths = ("org__path",)
    scope_related = ("org", "declaration", "declaration__employer")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "经费收缴"
        verbose_name_plural = "经费收缴"
        constraints = [models.CheckConstraint(condition=Q(amount_fen__gt=0), name="finance_collection_positive")]
        indexes = [models.Index(fields=["org", "received_on"], name="finance_collection_org_date")]

    def __str__(self) -> str:
        return f"经费收缴#{self.pk}"


class Share(models.Model):
    """分成 — one level's part of a collection (the parts add up to the amount, to the fen)."""

    collection = models.ForeignKey(Collection, verbose_name="经费收缴", on_delete=models.PROTECT,
                                   related_name="shares")  # fmt: skip
    org = models.ForeignKey("orgs.Org", verbose_name="分得工会", on_delete=models.PROTECT, related_name="+")
    level = models.CharField("层级", max_length=16, choices=Level.choices)
    amount_fen = models.BigIntegerField("金额（分）")

    scope_paths = ("org__path",)
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "经费分成"
        verbose_name_plural = "经费分成"
        constraints = [models.UniqueConstraint(fields=["collection", "org"], name="finance_share_once")]

    def __str__(self) -> str:
        return f"{self.collection_id} {self.level} {self.amount_fen}"


class Budget(models.Model):
    """预算 — an org's budget for a year on one expense (or income) account, in fen."""

    org = models.ForeignKey("orgs.Org", verbose_name="工会", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField("年度")
    code = models.CharField("科目编号", max_length=16)
    amount_fen = models.BigIntegerField("预算金额（分）")
    version = models.PositiveIntegerField("版本", default=1)
    set_by = models.ForeignKey("accounts.User", verbose_name="编制人", null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+")  # fmt: skip
    set_at = models.DateTimeField("编制时间", auto_now=True)

    scope_paths = ("org__path",)
    scope_related = ("org",)
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "预算"
        verbose_name_plural = "预算"
        ordering = ["org", "year", "code"]
        constraints = [
            models.UniqueConstraint(fields=["org", "year", "code"], name="finance_budget_org_year_code"),
            models.CheckConstraint(condition=Q(amount_fen__gte=0), name="finance_budget_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.org_id} {self.year} {self.code}"


class FixedAsset(models.Model):
    """固定资产 — an asset of a union at or above the threshold, booked twice (the spending 507 against the bank,
    the asset 162 against 301 资产基金) and depreciated straight-line monthly with no residual value."""

    class Category(models.TextChoices):
        GENERAL = "general", "通用设备"
        SPECIAL = "special", "专用设备"
        VEHICLE = "vehicle", "车辆"
        BUILDING = "building", "房屋及构筑物"

    org = models.ForeignKey("orgs.Org", verbose_name="工会", on_delete=models.PROTECT, related_name="+")
    name = models.CharField("资产名称", max_length=100)
    category = models.CharField("类别", max_length=16, choices=Category.choices)
    value_fen = models.BigIntegerField("原值（分）")
    acquired_on = models.DateField("取得日期")
    life_months = models.PositiveSmallIntegerField("折旧年限（月）")
    depreciated_fen = models.BigIntegerField("累计折旧（分）", default=0)
    # 在用 until an approved transfer (调出: the receiving union books a new row, ``transferred_from``) or
    # disposal (已处置) writes it off; only assets in use are depreciated or moved.
    status = models.CharField(
        "状态",
        max_length=16,
        default="in_use",
        choices=[("in_use", "在用"), ("loss_pending", "盘亏待处理"), ("transferred", "已调出"), ("disposed", "已处置")],
    )
    # 使用单位 (统一所有、分级管理、单位使用): the unit that uses the asset when it is not the owning union itself — a
    # union below it, a 工人文化宫, a service station — by name; blank: the owning union uses it.
    user_unit = models.CharField("使用单位", max_length=100, blank=True)
    # 阵地: a building or venue asset may name the venue (venues app) it is; the venue's host union is the owning
    # union or one below it.
    venue = models.ForeignKey("venues.Venue", verbose_name="服务阵地", null=True, blank=True, on_delete=models.PROTECT,
                              related_name="+")  # fmt: skip
    transferred_from = models.OneToOneField(
        "self", verbose_name="调入自", null=True, blank=True, on_delete=models.PROTECT, related_name="transferred_to"
    )
    recorded_by = models.ForeignKey("accounts.User", verbose_name="登记人", null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")  # fmt: skip
    recorded_at = models.DateTimeField("登记时间", auto_now_add=True)

    scope_paths = ("org__path",)
    scope_related = ("org",)
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "固定资产"
        verbose_name_plural = "固定资产"
        constraints = [
            models.CheckConstraint(condition=Q(value_fen__gt=0, life_months__gt=0, depreciated_fen__gte=0,
                                               depreciated_fen__lte=F("value_fen")),
                                   name="finance_asset_amounts"),
        ]  # fmt: skip
        indexes = [models.Index(fields=["org", "acquired_on"], name="finance_asset_org_date")]

    def __str__(self) -> str:
        return self.name

    @property
    def net_fen(self) -> int:
        return self.value_fen - self.depreciated_fen


class AssetMove(models.Model):
    """资产调拨或处置 — a request to transfer a fixed asset to another union (调拨) or to dispose of it (报废、出售、
    对外捐赠、盘亏), approved by level as a case (``finance_asset``) at the union the asset's original value calls
    for (policy ``asset_approval_yuan``); on approval the holding union writes the asset off (162 against 163
    and 301) and, on a transfer, the receiving union books it at the same value and accumulated depreciation."""

    class Kind(models.TextChoices):
        TRANSFER = "transfer", "调拨"
        SCRAP = "scrap", "报废"
        SALE = "sale", "出售"
        DONATION = "donation", "对外捐赠"
        LOSS = "loss", "盘亏"

    class Status(models.TextChoices):
        PENDING = "pending", "待审批"
        APPROVED = "approved", "已批准并记账"
        REFUSED = "refused", "未获批准"

    asset = models.ForeignKey(FixedAsset, verbose_name="固定资产", on_delete=models.PROTECT, related_name="moves")
    org = models.ForeignKey("orgs.Org", verbose_name="资产所属工会", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField("类别", max_length=16, choices=Kind.choices)
    to_org = models.ForeignKey("orgs.Org", verbose_name="调入工会", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="+")  # fmt: skip
    proceeds_fen = models.BigIntegerField("处置收入（分）", default=0)
    reason = models.CharField("事由", max_length=200)
    approver = models.ForeignKey("orgs.Org", verbose_name="审批工会", on_delete=models.PROTECT, related_name="+")
    status = models.CharField("状态", max_length=16, choices=Status.choices, default=Status.PENDING)
    case = models.OneToOneField("cases.Case", verbose_name="审批事项", null=True, blank=True,
                                on_delete=models.PROTECT, related_name="finance_asset_move")  # fmt: skip
    entry = models.OneToOneField(Entry, verbose_name="调出或处置凭证", null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="asset_move")  # fmt: skip
    to_entry = models.OneToOneField(Entry, verbose_name="调入凭证", null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="asset_move_in")  # fmt: skip
    # 盘亏: the asset is moved to 182 待处理财产损溢 when the loss is reported (``pending_entry``); approval writes
    # 182 off against 301 (``entry``), a refusal reverses the pending entry and the asset is in use again.
    pending_entry = models.OneToOneField(Entry, verbose_name="转入待处理凭证", null=True, blank=True,
                                         on_delete=models.PROTECT, related_name="asset_move_pending")  # fmt: skip
    new_asset = models.OneToOneField(FixedAsset, verbose_name="调入后的资产", null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="move_in")  # fmt: skip
    requested_by = models.ForeignKey("accounts.User", verbose_name="申请人", null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")  # fmt: skip
    requested_at = models.DateTimeField("申请时间", auto_now_add=True)
    decided_by = models.ForeignKey("accounts.User", verbose_name="审批人", null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")  # fmt: skip
    decided_at = models.DateTimeField("审批时间", null=True, blank=True)

    scope_paths = ("org__path",)
    scope_related = ("org",)
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "资产调拨或处置"
        verbose_name_plural = "资产调拨或处置"
        constraints = [
            models.UniqueConstraint(fields=["asset"], condition=Q(status="pending"), name="finance_move_one_pending"),
            models.CheckConstraint(condition=Q(proceeds_fen__gte=0), name="finance_move_proceeds"),
            models.CheckConstraint(condition=Q(kind="transfer", to_org__isnull=False) | (~Q(kind="transfer")
                                                                                         & Q(to_org__isnull=True)),
                                   name="finance_move_transfer_has_target"),
        ]  # fmt: skip

    def __str__(self) -> str:
        return f"{self.get_kind_display()}#{self.pk}"


class ReserveReturn(models.Model):
    """建会筹备金返还 — when a union forms at an employer that paid the formation reserve, the upper-level union
    (``org``, which held it on 215) returns the grassroots share by the province's split to the new union and
    books the rest as the levels' 拨缴经费 (docs/domain.md 3.3); the collections it covers name it."""

    org = models.ForeignKey("orgs.Org", verbose_name="持有工会", on_delete=models.PROTECT, related_name="+")
    union = models.ForeignKey("orgs.Org", verbose_name="新建工会", on_delete=models.PROTECT, related_name="+")
    employer = models.ForeignKey("members.Employer", verbose_name="用人单位", on_delete=models.PROTECT,
                                 related_name="+")  # fmt: skip
    date = models.DateField("返还日期")
    held_fen = models.BigIntegerField("筹备金合计（分）")
    returned_fen = models.BigIntegerField("返还基层工会（分）")
    rule = models.ForeignKey(SharingRule, verbose_name="适用分成比例", on_delete=models.PROTECT, related_name="+")
    recorded_by = models.ForeignKey("accounts.User", verbose_name="经办人", null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")  # fmt: skip
    recorded_at = models.DateTimeField("经办时间", auto_now_add=True)

    scope_paths = ("org__path",)
    scope_related = ("org", "union", "employer")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "建会筹备金返还"
        verbose_name_plural = "建会筹备金返还"
        constraints = [models.CheckConstraint(condition=Q(held_fen__gt=0, returned_fen__gte=0,
                                                          returned_fen__lte=F("held_fen")),
                                              name="finance_reserve_return_amounts")]  # fmt: skip

    def __str__(self) -> str:
        return f"筹备金返还#{self.pk}"


class ArrearsReminder(models.Model):
    """欠缴提醒 — the month a union's admins were reminded of the arrears owed to it (once a calendar month)."""

    org = models.ForeignKey("orgs.Org", verbose_name="收缴工会", on_delete=models.PROTECT, related_name="+")
    month = models.DateField("提醒月份")
    employers = models.PositiveIntegerField("欠缴单位数")
    owed_fen = models.BigIntegerField("欠缴合计（分）")
    sent_at = models.DateTimeField("提醒时间", auto_now_add=True)

    scope_paths = ("org__path",)
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "欠缴提醒"
        verbose_name_plural = "欠缴提醒"
        constraints = [models.UniqueConstraint(fields=["org", "month"], name="finance_arrears_reminder_once")]

    def __str__(self) -> str:
        return f"{self.org_id} {self.month:%Y-%m}"


class Spending(models.Model):
    """经费支出 — a payment from the bank account on an expense account. Up to the province's approval amount it
    is posted at once; above it a case (``finance_spending``) opens and the entry is posted only when a cadre
    other than the requester approves it. Gifts to members (节日、生日慰问) carry the head count and the amount
    per member, checked against the province's yearly caps at entry; cash and shopping cards are refused."""

    class Purpose(models.TextChoices):
        GENERAL = "general", "一般支出"
        FESTIVAL = "festival", "节日慰问品"
        BIRTHDAY = "birthday", "生日慰问"

    class Form(models.TextChoices):
        GOODS = "goods", "实物"
        SERVICE = "service", "活动或服务"
        CASH = "cash", "现金"
        CARD = "card", "购物卡、代金券"

    class Status(models.TextChoices):
        PENDING = "pending", "待审批"
        APPROVED = "approved", "已审批并记账"
        REFUSED = "refused", "未获批准"
        DIRECT = "direct", "已记账（无需审批）"

    org = models.ForeignKey("orgs.Org", verbose_name="工会", on_delete=models.PROTECT, related_name="+")
    date = models.DateField("支出日期")
    memo = models.CharField("事由", max_length=200)
    code = models.CharField("支出科目", max_length=16)
    amount_fen = models.BigIntegerField("金额（分）")
    purpose = models.CharField("用途", max_length=16, choices=Purpose.choices, default=Purpose.GENERAL)
    form = models.CharField("发放形式", max_length=16, choices=Form.choices, default=Form.SERVICE)
    headcount = models.PositiveIntegerField("发放人数", null=True, blank=True)
    per_member_fen = models.BigIntegerField("人均（分）", default=0)
    status = models.CharField("状态", max_length=16, choices=Status.choices)
    case = models.OneToOneField("cases.Case", verbose_name="审批事项", null=True, blank=True,
                                on_delete=models.PROTECT, related_name="finance_spending")  # fmt: skip
    entry = models.OneToOneField(Entry, verbose_name="记账凭证", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="spending")  # fmt: skip
    requested_by = models.ForeignKey("accounts.User", verbose_name="申请人", null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")  # fmt: skip
    requested_at = models.DateTimeField("申请时间", auto_now_add=True)
    decided_by = models.ForeignKey("accounts.User", verbose_name="审批人", null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")  # fmt: skip
    decided_at = models.DateTimeField("审批时间", null=True, blank=True)

    scope_paths = ("org__path",)
    scope_related = ("org",)
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "经费支出"
        verbose_name_plural = "经费支出"
        constraints = [
            models.CheckConstraint(condition=Q(amount_fen__gt=0, per_member_fen__gte=0),
                                   name="finance_spending_amounts"),
            models.CheckConstraint(condition=~Q(form__in=["cash", "card"]), name="finance_spending_no_cash_cards",
                                   violation_error_message="慰问品不得发放现金、购物卡或代金券。"),
        ]  # fmt: skip
        indexes = [models.Index(fields=["org", "purpose", "date"], name="finance_spending_org_purpose")]

    def __str__(self) -> str:
        return f"支出申请#{self.pk}"


class CollectionImport(LeasedJob):
    """收缴导入 — a tax-bureau statement or collection sheet (xlsx or csv) for one union's subtree: its dry run
    (every row checked, then the whole file posted batch by batch in rolled-back transactions, so the refusals
    are the posting's own), then its commit through ``collections_post_batch``, a batch per transaction with
    the job's ``cursor`` (rows done), so a crash or restart resumes after the last committed batch."""

    class Status(models.TextChoices):
        CHECKING = "checking", "检查中"
        CHECKED = "checked", "待确认导入"
        COMMITTING = "committing", "导入中"
        COMMITTED = "committed", "已导入"
        FAILED = "failed", "失败"

    lease_tasks = {  # a long job (core.jobs): the dry run starts again, the commit resumes from its cursor
        Status.CHECKING: "gonghui.finance.tasks.collection_import_check_task",
        Status.COMMITTING: "gonghui.finance.tasks.collection_import_commit_task",
    }

    org = models.ForeignKey("orgs.Org", verbose_name="导入工会", on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey("accounts.User", verbose_name="上传人", null=True, on_delete=models.PROTECT,
                                   related_name="+")  # fmt: skip
    status = models.CharField("状态", max_length=16, choices=Status.choices, default=Status.CHECKING)
    file_name = models.CharField("文件名", max_length=200)
    file_path = PrivateFileField("存储文件", max_length=300)
    # 保存期限: the stored file is deleted when the retention category ``finance_import_file`` (90 days by
    # default) runs out; the record stays, with the time its file went.
    file_expired_at = models.DateTimeField("文件到期删除时间", null=True, blank=True)
    kind = models.CharField("文件类型", max_length=8)
    encoding = models.CharField("文本编码", max_length=16, blank=True)
    rows_total = models.PositiveIntegerField("数据行数", default=0)
    amount_fen = models.BigIntegerField("金额合计（分）", default=0)
    # The wrong rows of the dry run: [line number in the file, the row's cells..., the reason].
    errors = models.JSONField("有误的行", default=list)
    cursor = models.PositiveIntegerField("已导入行数", default=0)
    error = models.CharField("失败原因", max_length=500, blank=True)
    created_at = models.DateTimeField("上传时间", auto_now_add=True)
    finished_at = models.DateTimeField("导入完成时间", null=True, blank=True)

    scope_paths = ("org__path",)
    scope_related = ("org", "created_by")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "收缴导入"
        verbose_name_plural = "收缴导入"
        indexes = [models.Index(fields=["org", "-id"], name="finance_import_org_idx")]

    def __str__(self) -> str:
        return f"{self.file_name} → {self.org_id}"

    @property
    def percent(self) -> int:
        return min(100, self.cursor * 100 // self.rows_total) if self.rows_total else 0
