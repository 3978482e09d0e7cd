"""职工诉求 (12351) and 法律援助、调解案件. A request and a legal case are each a case of the kernel workflow;
descriptions, replies, narratives and parties are encrypted. An anonymous request keeps its filer in
``filer`` only: the case, its steps and attachments name nobody."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from gonghui.core.crypto import EncryptedTextField
from gonghui.orgs.scope import ScopedQuerySet
from gonghui.rights.policy import CATEGORIES

CATEGORY_CHOICES = list(CATEGORIES.items())


class RequestGroup(models.Model):
    """群体诉求 — ten or more open requests of one category against one employer (by its credit code), handled
    as one by one union, with the representatives the workers chose."""

    org = models.ForeignKey("orgs.Org", verbose_name="承办工会", on_delete=models.PROTECT, related_name="+")
    employer = models.ForeignKey("members.Employer", verbose_name="用人单位", on_delete=models.PROTECT,
                                 related_name="+")  # fmt: skip
    category = models.CharField("诉求类别", max_length=16, choices=CATEGORY_CHOICES)
    created_at = models.DateTimeField("形成时间", auto_now_add=True)
    closed_at = models.DateTimeField("办结时间", null=True, blank=True)

    scope_paths = ("org__path",)
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "群体诉求"
        verbose_name_plural = "群体诉求"
        constraints = [
            models.UniqueConstraint(fields=["employer", "category"], condition=Q(closed_at__isnull=True),
                                    name="rights_group_open_once"),
        ]  # fmt: skip

    def __str__(self) -> str:
        return f"群体诉求#{self.pk}"


class RightsRequest(models.Model):
    """职工诉求 — a worker's request (filed on the phone, or by a hotline operator on their behalf), a case of
    kind ``rights_request``; its union, status, deadline and escalation follow the case."""

    case = models.OneToOneField("cases.Case", verbose_name="事项", on_delete=models.PROTECT,
                                related_name="rights_request")  # fmt: skip
    org = models.ForeignKey("orgs.Org", verbose_name="承办工会", on_delete=models.PROTECT, related_name="+")
    status = models.CharField("状态", max_length=32)
    due_on = models.DateField("办理期限", null=True, blank=True)
    escalated_to = models.ForeignKey("orgs.Org", verbose_name="已升级至", null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")  # fmt: skip
    category = models.CharField("诉求类别", max_length=16, choices=CATEGORY_CHOICES)
    description_enc = EncryptedTextField("诉求内容（密文）", blank=True)
    employer = models.ForeignKey("members.Employer", verbose_name="用人单位", null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")  # fmt: skip
    employer_name = models.CharField("用人单位名称", max_length=200)
    region = models.ForeignKey("orgs.Region", verbose_name="所在地区", null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+")  # fmt: skip
    routing_rule = models.CharField("分派依据", max_length=32, blank=True)
    anonymous = models.BooleanField("匿名", default=False)
    via_hotline = models.BooleanField("热线代录", default=False)
    # The worker's own account (they read the replies); for a hotline call from someone without one, none.
    filer = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="诉求人账号", null=True, blank=True,
                              on_delete=models.PROTECT, related_name="+")  # fmt: skip
    # The name and phone a hotline caller gave (one ciphertext); empty for an anonymous call.
    caller_enc = EncryptedTextField("来电人（密文）", blank=True)
    group = models.ForeignKey(RequestGroup, verbose_name="群体诉求", null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="requests")  # fmt: skip
    representative = models.BooleanField("群体诉求代表", default=False)
    satisfaction = models.PositiveSmallIntegerField("满意度（1-5）", null=True, blank=True)
    closed_on = models.DateField("办结日期", null=True, blank=True)
    reopened = models.PositiveSmallIntegerField("重新办理次数", default=0)
    erased_on = models.DateField("内容清除日期", null=True, blank=True)
    created_at = models.DateTimeField("提交时间", auto_now_add=True)
    version = models.PositiveIntegerField("版本", default=1)

    scope_paths = ("org__path",)
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "职工诉求"
        verbose_name_plural = "职工诉求"
        indexes = [
            models.Index(fields=["org", "status"], name="rights_request_org_status_idx"),
            models.Index(fields=["employer", "category"], name="rights_request_employer_idx"),
            models.Index(fields=["filer"], name="rights_request_filer_idx"),
        ]

    def __str__(self) -> str:
        return f"职工诉求#{self.pk}"

    @property
    def status_label(self) -> str:
        from gonghui.cases.kinds import kind_of
        from gonghui.rights.cases import REQUEST

        return kind_of(REQUEST).status_label(self.status)

    @property
    def overdue_days(self) -> int:
        """Days past the deadline of a request not answered yet; 0 otherwise."""
        from django.utils import timezone

        if self.status not in {"submitted", "handling"} or self.due_on is None:
            return 0
        return max((timezone.localdate() - self.due_on).days, 0)


class RequestReply(models.Model):
    """诉求答复 — what the union tells the worker (or what the worker adds); the text is encrypted."""

    request = models.ForeignKey(RightsRequest, verbose_name="职工诉求", on_delete=models.CASCADE,
                                related_name="replies")  # fmt: skip
    from_worker = models.BooleanField("职工补充", default=False)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="答复人", null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+")  # fmt: skip
    org = models.ForeignKey("orgs.Org", verbose_name="答复工会", null=True, blank=True, on_delete=models.PROTECT,
                            related_name="+")  # fmt: skip
    text_enc = EncryptedTextField("内容（密文）")
    at = models.DateTimeField("时间", auto_now_add=True)

    class Meta:
        verbose_name = "诉求答复"
        verbose_name_plural = "诉求答复"
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"答复#{self.pk}"


class LegalKind(models.TextChoices):
    LEGAL_AID = "legal_aid", "工会法律援助"
    MEDIATION = "mediation", "企业劳动争议调解"
    ARBITRATION = "arbitration", "劳动仲裁代理"
    LITIGATION = "litigation", "诉讼代理"


class Outcome(models.TextChoices):
    SETTLED = "settled", "调解结案"
    AWARD = "award", "仲裁裁决"
    JUDGMENT = "judgment", "法院判决"
    WITHDRAWN = "withdrawn", "撤回"


class LegalCase(models.Model):
    """法律援助、调解案件 — a labour dispute the union handles (a case of kind ``rights_legal``): the parties,
    claims and narrative encrypted and read by the handling union and the assigned lawyer or mediator only;
    the amounts; the dates of its events, from which its statutory clocks are computed (rights.clocks)."""

    case = models.OneToOneField("cases.Case", verbose_name="事项", on_delete=models.PROTECT,
                                related_name="rights_legal")  # fmt: skip
    org = models.ForeignKey("orgs.Org", verbose_name="承办工会", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField("案件类型", max_length=16, choices=LegalKind.choices)
    request = models.ForeignKey(RightsRequest, verbose_name="来源诉求", null=True, blank=True,
                                on_delete=models.PROTECT, related_name="legal_cases")  # fmt: skip
    handler = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="承办律师（调解员）",
                                on_delete=models.PROTECT, related_name="+")  # fmt: skip
    employer = models.ForeignKey("members.Employer", verbose_name="用人单位", null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")  # fmt: skip
    employer_name = models.CharField("用人单位名称", max_length=200)
    parties_enc = EncryptedTextField("当事人（密文）", blank=True)
    claims_enc = EncryptedTextField("请求事项（密文）", blank=True)
    narrative_enc = EncryptedTextField("案情（密文）", blank=True)
    amount_claimed = models.DecimalField("请求金额（元）", max_digits=12, decimal_places=2, default=0)
    amount_recovered = models.DecimalField("挽回金额（元）", max_digits=12, decimal_places=2, default=0)
    wage_arrears = models.BooleanField("追索劳动报酬", default=False)
    known_on = models.DateField("知道权利被侵害之日", null=True, blank=True)
    employment_ended_on = models.DateField("劳动关系终止日", null=True, blank=True)
    mediation_applied_on = models.DateField("申请调解日", null=True, blank=True)
    mediation_ended_on = models.DateField("调解终结日", null=True, blank=True)
    arbitration_applied_on = models.DateField("申请仲裁日", null=True, blank=True)
    arbitration_accepted_on = models.DateField("仲裁受理日", null=True, blank=True)
    extension_days = models.PositiveSmallIntegerField("仲裁延期（日）", default=0)
    award_served_on = models.DateField("裁决送达日", null=True, blank=True)
    outcome = models.CharField("结果", max_length=16, choices=Outcome.choices, blank=True)
    closed_on = models.DateField("结案日期", null=True, blank=True)
    erased_on = models.DateField("内容清除日期", null=True, blank=True)
    created_at = models.DateTimeField("立案时间", auto_now_add=True)
    version = models.PositiveIntegerField("版本", default=1)

    scope_paths = ("org__path",)
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "法律援助案件"
        verbose_name_plural = "法律援助案件"
        indexes = [
            models.Index(fields=["org", "closed_on"], name="rights_legal_org_idx"),
            models.Index(fields=["handler"], name="rights_legal_handler_idx"),
        ]

    def __str__(self) -> str:
        return f"法律援助案件#{self.pk}"

    def events(self):
        from gonghui.rights.clocks import Events

        return Events(
            known_on=self.known_on, wage_arrears=self.wage_arrears, employment_ended_on=self.employment_ended_on,
            mediation_applied_on=self.mediation_applied_on, mediation_ended_on=self.mediation_ended_on,
            arbitration_applied_on=self.arbitration_applied_on, arbitration_accepted_on=self.arbitration_accepted_on,
            extension_days=self.extension_days, award_served_on=self.award_served_on, closed=self.closed_on is not None,
        )  # fmt: skip


class Milestone(models.TextChoices):
    MEDIATION_APPLIED = "mediation_applied_on", "申请调解"
    MEDIATION_ENDED = "mediation_ended_on", "调解终结（未达成协议）"
    ARBITRATION_APPLIED = "arbitration_applied_on", "申请仲裁"
    ARBITRATION_ACCEPTED = "arbitration_accepted_on", "仲裁委员会受理"
    EMPLOYMENT_ENDED = "employment_ended_on", "劳动关系终止"
    EXTENDED = "extension", "仲裁延期审理"
    AWARD_SERVED = "award_served_on", "裁决书送达"
    HEARING = "hearing", "开庭"
    SUED = "sued", "向法院起诉"
    OTHER = "other", "其他进展"


class LegalMilestone(models.Model):
    """案件进展 — an event of a legal case on a date (the clock events also set the case's own date)."""

    legal_case = models.ForeignKey(LegalCase, verbose_name="案件", on_delete=models.CASCADE,
                                   related_name="milestones")  # fmt: skip
    kind = models.CharField("进展", max_length=32, choices=Milestone.choices)
    on = models.DateField("日期")
    note = models.CharField("说明", max_length=200, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="记录人", null=True, blank=True,
                           on_delete=models.PROTECT, related_name="+")  # fmt: skip
    at = models.DateTimeField("记录时间", auto_now_add=True)

    class Meta:
        verbose_name = "案件进展"
        verbose_name_plural = "案件进展"
        ordering = ["on", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.on}"


class ClockReminder(models.Model):
    """时限提醒 — a clock's reminder sent once per due date (so the daily job may run twice)."""

    legal_case = models.ForeignKey(LegalCase, verbose_name="案件", on_delete=models.CASCADE, related_name="+")
    clock = models.CharField("时限", max_length=16)
    due_on = models.DateField("届满日")
    sent_at = models.DateTimeField("提醒时间", auto_now_add=True)

    class Meta:
        verbose_name = "时限提醒"
        verbose_name_plural = "时限提醒"
        constraints = [models.UniqueConstraint(fields=["legal_case", "clock", "due_on"], name="rights_clock_once")]

    def __str__(self) -> str:
        return f"{self.clock} {self.due_on}"
