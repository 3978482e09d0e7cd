"""困难职工帮扶: hardship files (each a case), their households, incomes, expenses and causes, the local
低保 per region and year, and the aid paid. Household, income, health and bank data are encrypted."""

from django.db import models
from django.db.models import Q

from gonghui.assistance.means import CATEGORIES
from gonghui.core.crypto import EncryptedTextField
from gonghui.members.models import Gender
from gonghui.orgs.scope import ScopedQuerySet


class Cause(models.TextChoices):
    """致困原因 — the national categories of the union's hardship statistics."""

    ILLNESS = "illness", "因病"
    DISABILITY = "disability", "因残"
    EDUCATION = "education", "因子女教育"
    UNEMPLOYMENT = "unemployment", "因失业"
    LOW_WAGE = "low_wage", "因收入低（企业经营困难）"
    ACCIDENT = "accident", "因意外事故"
    DISASTER = "disaster", "因灾"
    SINGLE_PARENT = "single_parent", "因单亲"
    OTHER = "other", "其他"


class Accident(models.TextChoices):
    NONE = "", "无"
    INJURY = "injury", "因工受伤或致残"
    DEATH = "death", "因工死亡"


class MinimumAllowance(models.Model):
    """最低生活保障标准 (低保) — the monthly amount per person of a region for a year; a region without its
    own figure uses its nearest ancestor's (county → city → province)."""

    region = models.ForeignKey("orgs.Region", verbose_name="地区", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField("年度")
    monthly = models.DecimalField("月人均标准（元）", max_digits=8, decimal_places=2)
    set_by = models.ForeignKey("accounts.User", verbose_name="设置人", null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+")  # fmt: skip
    set_at = models.DateTimeField("设置时间", auto_now=True)

    class Meta:
        verbose_name = "低保标准"
        verbose_name_plural = "低保标准"
        constraints = [models.UniqueConstraint(fields=["region", "year"], name="allowance_region_year")]

    def __str__(self) -> str:
        return f"{self.region_id} {self.year} {self.monthly}"


class HardshipFile(models.Model):
    """困难职工档案 — a member's household file: a case (申请 → 审核 → 公示 → 建档, then 解困脱困 or
    重新申请); its status and version follow the case. ``category`` is computed by the means test."""

    case = models.OneToOneField("cases.Case", verbose_name="事项", on_delete=models.PROTECT,
                                related_name="hardship_file")  # fmt: skip
    org = models.ForeignKey("orgs.Org", verbose_name="建档工会", on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey("members.Person", verbose_name="困难职工", on_delete=models.PROTECT,
                               related_name="hardship_files")  # fmt: skip
    region = models.ForeignKey("orgs.Region", verbose_name="户籍（居住）所在县", on_delete=models.PROTECT,
                               related_name="+")  # fmt: skip
    year = models.PositiveSmallIntegerField("核算年度")
    category = models.CharField("困难类别", max_length=16, choices=list(CATEGORIES.items()))
    status = models.CharField("状态", max_length=32)
    main_cause = models.CharField("主要致困原因", max_length=16, choices=Cause.choices)
    secondary_causes = models.JSONField("次要致困原因", default=list, blank=True)
    accident = models.CharField("因工事故", max_length=8, choices=Accident.choices, blank=True)
    losses_enc = EncryptedTextField("当年损失（元，密文）", blank=True)
    is_migrant = models.BooleanField("农民工", default=False)
    city_work_since = models.DateField("在本市务工起始日", null=True, blank=True)
    long_term = models.BooleanField("长期帮扶（重病、残疾）", default=False)
    bank_name = models.CharField("开户银行", max_length=50, blank=True)
    bank_account_enc = EncryptedTextField("帮扶账户（密文）", blank=True)
    bank_account_masked = models.CharField("帮扶账户（脱敏）", max_length=32, blank=True)
    next_review_on = models.DateField("下次复核日期", null=True, blank=True)
    exit_reason = models.CharField("解困原因", max_length=200, blank=True)
    exited_on = models.DateField("解困日期", null=True, blank=True)
    erased_on = models.DateField("敏感信息清除日期", null=True, blank=True)  # retention, years after the exit
    created_at = models.DateTimeField("建档时间", auto_now_add=True)
    version = models.PositiveIntegerField("版本", default=1)

    scope_paths = ("org__path",)
    scope_related = ("org", "person", "region")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "困难职工档案"
        verbose_name_plural = "困难职工档案"
        indexes = [
            models.Index(fields=["org", "status"], name="hardship_org_status_idx"),
            models.Index(fields=["status", "next_review_on"], name="hardship_review_due_idx"),
        ]

    def __str__(self) -> str:
        return f"困难职工档案#{self.pk}"

    @property
    def status_label(self) -> str:
        from gonghui.assistance.cases import HARDSHIP
        from gonghui.cases.kinds import kind_of

        return kind_of(HARDSHIP).status_label(self.status)

    @property
    def applied_by_worker(self) -> bool:
        """Started by the worker from the phone: its case was opened by the worker's own account."""
        opener = self.case.opened_by
        return opener is not None and opener.person_id == self.person_id

    @property
    def secondary_cause_labels(self) -> list[str]:
        return [Cause(code).label for code in self.secondary_causes if code in Cause.values]


class Relation(models.TextChoices):
    SELF = "self", "本人"
    SPOUSE = "spouse", "配偶"
    CHILD = "child", "子女"
    PARENT = "parent", "父母"
    OTHER = "other", "其他"


class Schooling(models.TextChoices):
    NONE = "", "不在学"
    PRESCHOOL = "preschool", "学前"
    PRIMARY = "primary", "小学"
    JUNIOR = "junior", "初中"
    SENIOR = "senior", "高中（中职）"
    COLLEGE = "college", "大学（高职）"


class HouseholdMember(models.Model):
    """家庭成员 — one person of the household: ID number sealed (ciphertext, blind index, masked), health and
    monthly income encrypted."""

    file = models.ForeignKey(HardshipFile, verbose_name="困难职工档案", on_delete=models.CASCADE,
                             related_name="household")  # fmt: skip
    relation = models.CharField("与职工关系", max_length=8, choices=Relation.choices)
    name = models.CharField("姓名", max_length=50)
    id_number_enc = EncryptedTextField("身份证号码（密文）")
    id_number_bidx = models.CharField("身份证号码索引", max_length=64, db_index=True)
    id_number_masked = models.CharField("身份证号码（脱敏）", max_length=18)
    birth_date = models.DateField("出生日期")
    gender = models.CharField("性别", max_length=1, choices=Gender.choices)
    health_enc = EncryptedTextField("健康状况（密文）", blank=True)
    schooling = models.CharField("就学情况", max_length=16, choices=Schooling.choices, blank=True)
    work = models.CharField("就业情况", max_length=50, blank=True)
    monthly_income_enc = EncryptedTextField("月收入（元，密文）", blank=True)

    class Meta:
        verbose_name = "家庭成员"
        verbose_name_plural = "家庭成员"
        constraints = [
            models.UniqueConstraint(fields=["file", "id_number_bidx"], name="household_member_once_per_file")
        ]

    def __str__(self) -> str:
        return self.name


class IncomeKind(models.TextChoices):
    BUSINESS = "business", "经营净收入"
    PROPERTY = "property", "财产净收入"
    TRANSFER = "transfer", "转移净收入（养老金、补贴等）"
    OTHER = "other", "其他收入"


class ExpenseKind(models.TextChoices):
    MEDICAL = "medical", "医疗支出（自付）"
    SCHOOLING = "schooling", "教育支出"
    HOUSING = "housing", "住房支出"


class IncomeLine(models.Model):
    """家庭收入 — one yearly household income besides the members' monthly incomes, by kind (encrypted)."""

    file = models.ForeignKey(HardshipFile, verbose_name="困难职工档案", on_delete=models.CASCADE,
                             related_name="incomes")  # fmt: skip
    kind = models.CharField("收入类别", max_length=16, choices=IncomeKind.choices)
    annual_enc = EncryptedTextField("年收入（元，密文）")

    class Meta:
        verbose_name = "家庭收入"
        verbose_name_plural = "家庭收入"

    def __str__(self) -> str:
        return self.get_kind_display()


class RigidExpense(models.Model):
    """刚性支出 — one yearly rigid expense of the household, by kind (encrypted)."""

    file = models.ForeignKey(HardshipFile, verbose_name="困难职工档案", on_delete=models.CASCADE,
                             related_name="expenses")  # fmt: skip
    kind = models.CharField("支出类别", max_length=16, choices=ExpenseKind.choices)
    annual_enc = EncryptedTextField("年支出（元，密文）")

    class Meta:
        verbose_name = "刚性支出"
        verbose_name_plural = "刚性支出"

    def __str__(self) -> str:
        return self.get_kind_display()


class AidKind(models.TextChoices):
    LIVING = "living", "生活救助"
    MEDICAL = "medical", "医疗救助"
    SCHOOL = "school", "金秋助学"
    WINTER = "winter", "送温暖"


# The ledger account each kind of aid is paid from (2021 union accounting system): 50404 困难职工帮扶支出, 50405
# 送温暖支出; ``aid_pay`` books every payment there and the aid budget page reads those budgets.
AID_ACCOUNTS = {AidKind.LIVING: "50404", AidKind.MEDICAL: "50404", AidKind.SCHOOL: "50404", AidKind.WINTER: "50405"}


class AidPayment(models.Model):
    """帮扶资金发放 — one payment to a household: aid kind, period (a year, or a school term for 金秋助学,
    per child), amount, fund source, who paid and who received. Never twice for the same aid and period."""

    file = models.ForeignKey(HardshipFile, verbose_name="困难职工档案", on_delete=models.PROTECT,
                             related_name="payments")  # fmt: skip
    org = models.ForeignKey("orgs.Org", verbose_name="发放工会", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField("帮扶类型", max_length=16, choices=AidKind.choices)
    period = models.CharField("帮扶期间", max_length=16)
    child = models.ForeignKey(HouseholdMember, verbose_name="受助子女", null=True, blank=True,
                              on_delete=models.PROTECT, related_name="+")  # fmt: skip
    amount = models.DecimalField("金额（元）", max_digits=10, decimal_places=2)
    fund_source = models.CharField("资金来源", max_length=100)
    paid_on = models.DateField("发放日期")
    paid_by = models.ForeignKey("accounts.User", verbose_name="经办人", on_delete=models.PROTECT, related_name="+")
    received_by = models.CharField("领取人", max_length=50)
    entry = models.OneToOneField("finance.Entry", verbose_name="记账凭证", null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="aid_payment")  # fmt: skip
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    scope_paths = ("org__path",)
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "帮扶资金发放"
        verbose_name_plural = "帮扶资金发放"
        constraints = [
            models.UniqueConstraint(fields=["file", "kind", "period"], condition=Q(child__isnull=True),
                                    name="aid_once_per_household_period"),
            models.UniqueConstraint(fields=["file", "kind", "period", "child"], condition=Q(child__isnull=False),
                                    name="aid_once_per_child_period"),
        ]  # fmt: skip

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.period}"


class HardshipReview(models.Model):
    """年度复核 — the yearly review of an open file, a case of its own (继续帮扶 or 解困脱困)."""

    file = models.ForeignKey(HardshipFile, verbose_name="困难职工档案", on_delete=models.CASCADE,
                             related_name="reviews")  # fmt: skip
    case = models.OneToOneField("cases.Case", verbose_name="事项", on_delete=models.PROTECT,
                                related_name="hardship_review")  # fmt: skip
    due_on = models.DateField("应复核日期")

    class Meta:
        verbose_name = "年度复核"
        verbose_name_plural = "年度复核"
        constraints = [models.UniqueConstraint(fields=["file", "due_on"], name="review_once_per_due_date")]

    def __str__(self) -> str:
        return f"复核 {self.due_on:%Y-%m-%d}"
