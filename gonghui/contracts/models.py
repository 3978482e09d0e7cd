"""集体合同: the collective contracts a union signs for an employer (a grassroots union), a sector or a region (a
federation), their life from the draft to the expiry, and the history of each step. Dates come from
``contracts.terms``; the life is a state machine in ``services`` (docs/decisions/0025-collective-contracts.md)."""

from django.db import models
from django.db.models import Q

from gonghui.core.files import PrivateFileField
from gonghui.orgs.scope import ScopedQuerySet


class Kind(models.TextChoices):
    """合同种类."""

    COMPREHENSIVE = "comprehensive", "综合集体合同"
    WAGE = "wage", "工资专项集体合同"
    WOMEN = "women", "女职工权益保护专项集体合同"
    SAFETY = "safety", "安全生产专项集体合同"


class Level(models.TextChoices):
    """签约层级: one employer, or a sector or region (集体合同规定 art. 56: county level and below)."""

    ENTERPRISE = "enterprise", "企业集体合同"
    SECTOR = "sector", "行业性集体合同"
    REGION = "region", "区域性集体合同"


class Status(models.TextChoices):
    DRAFTED = "drafted", "协商起草"
    ADOPTED = "adopted", "职代会已通过"
    SIGNED = "signed", "已签订待报送"
    FILED = "filed", "已报送审查"
    EFFECTIVE = "effective", "生效"
    LAPSED = "lapsed", "期满未续订"
    RENEWED = "renewed", "已续订"
    EXPIRED = "expired", "已终止"


class AdoptedBy(models.TextChoices):
    CONGRESS = "congress", "职工代表大会"
    ASSEMBLY = "assembly", "全体职工大会"


class Contract(models.Model):
    """集体合同 — one contract of a union (its scope): kind and level, the two parties and their chief
    representatives (named in their office, as the contract text names them), who and how many it covers, the
    term; the workers' congress vote, the signing, the filing with the labour department and its 15-day
    objection window, the effective date and the expiry (all dates from ``terms``). ``renews`` links a
    renewal to the contract it follows. The signed text is a file encrypted at rest (core.files)."""

    org = models.ForeignKey("orgs.Org", verbose_name="签约工会", on_delete=models.PROTECT, related_name="+")
    level = models.CharField("层级", max_length=16, choices=Level.choices)
    kind = models.CharField("种类", max_length=16, choices=Kind.choices)
    title = models.CharField("合同名称", max_length=150)
    union_party = models.CharField("工会方", max_length=150)
    union_rep = models.CharField("工会方首席代表", max_length=50)
    employer_party = models.CharField("企业方（企业代表组织）", max_length=150)
    employer_rep = models.CharField("企业方首席代表", max_length=50)
    employers_covered = models.PositiveIntegerField("覆盖企业数", default=1)
    workers_covered = models.PositiveIntegerField("覆盖职工人数")
    term_years = models.PositiveSmallIntegerField("期限（年）")
    wage_increase_pct = models.DecimalField("工资增长幅度（%）", max_digits=5, decimal_places=2, null=True, blank=True)
    minimum_wage = models.DecimalField("最低工资标准（元/月）", max_digits=9, decimal_places=2, null=True, blank=True)
    status = models.CharField("状态", max_length=16, choices=Status.choices, default=Status.DRAFTED)
    adopted_by = models.CharField("审议方式", max_length=16, choices=AdoptedBy.choices, blank=True)
    adopted_on = models.DateField("审议通过日", null=True, blank=True)
    voters_total = models.PositiveIntegerField("应到人数", null=True, blank=True)
    voters_present = models.PositiveIntegerField("实到人数", null=True, blank=True)
    votes_for = models.PositiveIntegerField("赞成票", null=True, blank=True)
    votes_against = models.PositiveIntegerField("反对票", null=True, blank=True)
    votes_abstain = models.PositiveIntegerField("弃权票", null=True, blank=True)
    signed_on = models.DateField("签订日", null=True, blank=True)
    filing_due = models.DateField("报送截止日", null=True, blank=True)
    filed_on = models.DateField("报送日（劳动保障部门收到文本）", null=True, blank=True)
    filed_with = models.CharField("审查部门", max_length=100, blank=True)
    objection_until = models.DateField("审查异议期至", null=True, blank=True)
    effective_on = models.DateField("生效日", null=True, blank=True)
    expires_on = models.DateField("期满日", null=True, blank=True)
    renewal_from = models.DateField("续订提醒起始日", null=True, blank=True)
    reminded_on = models.DateField("已提醒续订", null=True, blank=True)
    ended_on = models.DateField("终止日", null=True, blank=True)
    end_reason = models.CharField("终止原因", max_length=200, blank=True)
    renews = models.ForeignKey(
        "self", verbose_name="续订自", null=True, blank=True, on_delete=models.PROTECT, related_name="renewals"
    )
    text_file = PrivateFileField("合同文本文件", max_length=200, blank=True)
    text_name = models.CharField("合同文本文件名", max_length=200, blank=True)
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    version = models.PositiveIntegerField("版本", default=1)

    scope_paths = ("org__path",)
    scope_related = ("org",)
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "集体合同"
        verbose_name_plural = "集体合同"
        indexes = [
            models.Index(fields=["status", "expires_on"], name="contract_status_expiry_idx"),
            models.Index(fields=["org", "kind", "status"], name="contract_org_kind_idx"),
            models.Index(
                fields=["status", "effective_on"], name="contract_status_effective_idx", condition=Q(status="filed")
            ),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(term_years__gte=1, term_years__lte=3), name="contract_term_1_to_3"),
            models.CheckConstraint(condition=Q(workers_covered__gte=1), name="contract_covers_workers"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def filing_overdue_on(self):
        """The filing deadline, when it passed unfiled (None otherwise)."""
        from django.utils import timezone

        if self.status == Status.SIGNED and self.filing_due and self.filing_due < timezone.localdate():
            return self.filing_due
        return None


class ContractStep(models.Model):
    """合同履历 — one step of a contract's life: from which status to which, on which day, and why."""

    contract = models.ForeignKey(Contract, verbose_name="集体合同", on_delete=models.CASCADE, related_name="steps")
    at = models.DateTimeField("记录时间", auto_now_add=True)
    on = models.DateField("日期")
    from_status = models.CharField("原状态", max_length=16, choices=Status.choices, blank=True)
    to_status = models.CharField("新状态", max_length=16, choices=Status.choices)
    note = models.CharField("说明", max_length=300, blank=True)

    class Meta:
        verbose_name = "合同履历"
        verbose_name_plural = "合同履历"
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.from_status} → {self.to_status}"
