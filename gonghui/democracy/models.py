"""职工代表大会: congresses of an employer or a region, their terms (届) and sittings (次), the representatives,
the check-ins, and the ballots — shows of hands recorded as counts, or secret ballots item by item.

A secret ballot keeps two tables that nothing links: ``VoteCast`` (who has voted in which ballot — the
double-vote guard) and ``SecretBallot`` (the choices with the hash of the voter's receipt code, under a random
key, with no voter, no account, no timestamp). See docs/decisions/0026-democracy.md."""

import secrets

from django.db import models
from django.db.models import Q

from gonghui.orgs.scope import ScopedQuerySet


class CongressKind(models.TextChoices):
    ENTERPRISE = "enterprise", "企业（单位）职代会"
    REGIONAL = "regional", "区域性职代会"
    SECTOR = "sector", "行业性职代会"


class Congress(models.Model):
    """职工代表大会 — of an employer (its union) or a region or sector (a local federation): its staff figures
    that the composition rules are checked against."""

    org = models.ForeignKey("orgs.Org", verbose_name="工会", on_delete=models.PROTECT, related_name="+")
    name = models.CharField("名称", max_length=100)
    kind = models.CharField("类型", max_length=16, choices=CongressKind.choices, default=CongressKind.ENTERPRISE)
    staff_count = models.PositiveIntegerField("职工人数")
    women_staff = models.PositiveIntegerField("女职工人数")
    frontline_required = models.BooleanField("要求一线职工过半", default=False)
    created_at = models.DateTimeField("建立时间", auto_now_add=True)
    version = models.PositiveIntegerField("版本", default=1)

    scope_paths = ("org__path",)
    scope_related = ("org", "org__region")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "职工代表大会"
        verbose_name_plural = "职工代表大会"
        constraints = [models.CheckConstraint(condition=Q(women_staff__lte=models.F("staff_count")),
                                              name="congress_women_within_staff")]  # fmt: skip

    def __str__(self) -> str:
        return self.name

    @property
    def regional(self) -> bool:
        return self.kind != CongressKind.ENTERPRISE


class Term(models.Model):
    """届 — a term of 3 to 5 years."""

    congress = models.ForeignKey(Congress, verbose_name="职代会", on_delete=models.CASCADE, related_name="terms")
    number = models.PositiveIntegerField("届次")
    starts_on = models.DateField("起始日期")
    ends_on = models.DateField("届满日期")

    scope_paths = ("congress__org__path",)
    scope_related = ("congress", "congress__org")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "职代会届次"
        verbose_name_plural = "职代会届次"
        constraints = [models.UniqueConstraint(fields=["congress", "number"], name="term_number_once")]

    def __str__(self) -> str:
        return f"第{self.number}届"


class Role(models.TextChoices):
    FORMAL = "formal", "正式代表"
    ATTENDEE = "attendee", "列席代表"


class Category(models.TextChoices):
    MANAGER = "manager", "领导人员"
    FRONTLINE = "frontline", "一线职工"
    TECHNICAL = "technical", "技术和管理人员"
    OTHER = "other", "其他职工"


class Representative(models.Model):
    """职工代表 — a person elected by a constituency (代表团/组) for a term: formal (votes) or attending (列席);
    with the election's figures, checked by ``rules.election_valid``."""

    term = models.ForeignKey(Term, verbose_name="届次", on_delete=models.CASCADE, related_name="representatives")
    person = models.ForeignKey("members.Person", verbose_name="代表", on_delete=models.PROTECT, related_name="+")
    role = models.CharField("代表类别", max_length=16, choices=Role.choices, default=Role.FORMAL)
    category = models.CharField("身份", max_length=16, choices=Category.choices)
    constituency = models.CharField("选举单位", max_length=50)
    constituency_size = models.PositiveIntegerField("选举单位职工数", null=True, blank=True)
    voted = models.PositiveIntegerField("参加投票人数", null=True, blank=True)
    votes_for = models.PositiveIntegerField("得票数", null=True, blank=True)

    scope_paths = ("term__congress__org__path",)
    scope_related = ("term", "term__congress", "term__congress__org", "person")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "职工代表"
        verbose_name_plural = "职工代表"
        constraints = [models.UniqueConstraint(fields=["term", "person"], name="representative_once_per_term")]

    def __str__(self) -> str:
        return self.person.name


class Sitting(models.Model):
    """会议 — a sitting (第N次会议) of a term: when, where, when the materials went out; open for check-in and
    ballots between its opening and closing."""

    class Status(models.TextChoices):
        PLANNED = "planned", "筹备中"
        OPEN = "open", "会议进行中"
        CLOSED = "closed", "已闭会"

    term = models.ForeignKey(Term, verbose_name="届次", on_delete=models.CASCADE, related_name="sittings")
    number = models.PositiveIntegerField("会议次数")
    title = models.CharField("会议名称", max_length=100)
    starts_on = models.DateField("召开日期")
    place = models.CharField("地点", max_length=100)
    materials_sent_on = models.DateField("材料送达日期", null=True, blank=True)
    status = models.CharField("状态", max_length=16, choices=Status.choices, default=Status.PLANNED)
    version = models.PositiveIntegerField("版本", default=1)

    scope_paths = ("term__congress__org__path",)
    scope_related = ("term", "term__congress", "term__congress__org")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "职代会会议"
        verbose_name_plural = "职代会会议"
        constraints = [models.UniqueConstraint(fields=["term", "number"], name="sitting_number_once")]

    def __str__(self) -> str:
        return self.title


class CheckIn(models.Model):
    """签到 — a representative present at a sitting (scanned the sitting's QR code, or checked in by staff)."""

    sitting = models.ForeignKey(Sitting, verbose_name="会议", on_delete=models.CASCADE, related_name="checkins")
    representative = models.ForeignKey(Representative, verbose_name="代表", on_delete=models.CASCADE,
                                       related_name="checkins")  # fmt: skip
    at = models.DateTimeField("签到时间", auto_now_add=True)

    class Meta:
        verbose_name = "会议签到"
        verbose_name_plural = "会议签到"
        constraints = [models.UniqueConstraint(fields=["sitting", "representative"], name="checkin_once")]

    def __str__(self) -> str:
        return f"{self.sitting_id}/{self.representative_id}"


class Ballot(models.Model):
    """表决 — one vote of a sitting on one or more items (逐项表决), a resolution or an election, by show of
    hands (counts recorded per item) or secret ballot. ``formal_total`` is the number of formal representatives
    when the vote opened: an item passes with more than half of it. ``commitment`` is the hash chain over
    the secret ballots, fixed at the close; a recount recomputes it from the published ballots."""

    class Kind(models.TextChoices):
        RESOLUTION = "resolution", "决议"
        ELECTION = "election", "选举"

    class Method(models.TextChoices):
        HANDS = "hands", "举手表决"
        SECRET = "secret", "无记名投票"

    class Status(models.TextChoices):
        DRAFT = "draft", "待表决"
        OPEN = "open", "投票中"
        CLOSED = "closed", "已计票"
        PUBLISHED = "published", "已公布"

    sitting = models.ForeignKey(Sitting, verbose_name="会议", on_delete=models.CASCADE, related_name="ballots")
    title = models.CharField("表决事项", max_length=100)
    kind = models.CharField("类型", max_length=16, choices=Kind.choices, default=Kind.RESOLUTION)
    method = models.CharField("表决方式", max_length=16, choices=Method.choices, default=Method.SECRET)
    status = models.CharField("状态", max_length=16, choices=Status.choices, default=Status.DRAFT)
    formal_total = models.PositiveIntegerField("应到正式代表", default=0)
    present = models.PositiveIntegerField("实到正式代表", default=0)
    cast_count = models.PositiveIntegerField("投票人数", default=0)
    commitment = models.CharField("选票哈希链", max_length=64, blank=True)
    closed_on = models.DateField("计票日期", null=True, blank=True)
    report_case = models.OneToOneField("cases.Case", verbose_name="报送事项", null=True, blank=True,
                                       on_delete=models.SET_NULL, related_name="congress_ballot")  # fmt: skip
    version = models.PositiveIntegerField("版本", default=1)

    scope_paths = ("sitting__term__congress__org__path",)
    scope_related = ("sitting", "sitting__term", "sitting__term__congress", "sitting__term__congress__org")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "表决"
        verbose_name_plural = "表决"

    def __str__(self) -> str:
        return self.title


class Choice(models.TextChoices):
    YES = "yes", "赞成"
    NO = "no", "反对"
    ABSTAIN = "abstain", "弃权"


class Item(models.Model):
    """表决项 — one item of a ballot (a resolution, or one candidate): its counts, from the hands counted or the
    secret ballots tallied, and whether it passed."""

    ballot = models.ForeignKey(Ballot, verbose_name="表决", on_delete=models.CASCADE, related_name="items")
    position = models.PositiveIntegerField("序号")
    text = models.CharField("表决项", max_length=200)
    yes = models.PositiveIntegerField("赞成", default=0)
    no = models.PositiveIntegerField("反对", default=0)
    abstain = models.PositiveIntegerField("弃权", default=0)
    passed = models.BooleanField("通过", null=True)

    class Meta:
        verbose_name = "表决项"
        verbose_name_plural = "表决项"
        ordering = ["position"]
        constraints = [models.UniqueConstraint(fields=["ballot", "position"], name="item_position_once")]

    def __str__(self) -> str:
        return self.text


class VoteCast(models.Model):
    """投票记录 — that a representative has voted in a secret ballot (nothing about how). The unique constraint
    refuses a second vote, even from two phones at once. No timestamp: the order of votes is not kept."""

    ballot = models.ForeignKey(Ballot, verbose_name="表决", on_delete=models.CASCADE, related_name="casts")
    representative = models.ForeignKey(Representative, verbose_name="代表", on_delete=models.CASCADE,
                                       related_name="casts")  # fmt: skip

    class Meta:
        verbose_name = "投票记录"
        verbose_name_plural = "投票记录"
        constraints = [models.UniqueConstraint(fields=["ballot", "representative"], name="vote_once_per_ballot")]

    def __str__(self) -> str:
        return f"{self.ballot_id}/{self.representative_id}"


def _ballot_key() -> str:
    return secrets.token_hex(16)


class SecretBallot(models.Model):
    """匿名选票 — the choices of one secret ballot paper and the SHA-256 of its receipt code. No link to the
    voter or their account, no timestamp, a random key (no insertion order): published as they are."""

    id = models.CharField("编号", max_length=32, primary_key=True, default=_ballot_key)
    ballot = models.ForeignKey(Ballot, verbose_name="表决", on_delete=models.CASCADE, related_name="papers")
    receipt_hash = models.CharField("回执哈希", max_length=64, unique=True)
    choices = models.JSONField("选择")  # {"<item position>": "yes" | "no" | "abstain"}

    class Meta:
        verbose_name = "匿名选票"
        verbose_name_plural = "匿名选票"

    def __str__(self) -> str:
        return self.receipt_hash[:12]


class ProposalStatus(models.TextChoices):
    """The proposal's status: 征集附议 before its case exists, then its case's status (cases.PROPOSAL)."""

    COSIGNING = "cosigning", "征集附议"
    SUBMITTED = "submitted", "待审查"
    ACCEPTED = "accepted", "已立案"
    OPINION = "opinion", "转为意见建议"
    REJECTED = "rejected", "不予立案"
    ASSIGNED = "assigned", "交办中"
    HANDLED = "handled", "已办理"
    REPLIED = "replied", "已答复，待评价"
    CLOSED = "closed", "已评价办结"


class Satisfaction(models.TextChoices):
    SATISFIED = "satisfied", "满意"
    BASIC = "basic", "基本满意"
    UNSATISFIED = "unsatisfied", "不满意"


class Proposal(models.Model):
    """提案 — submitted in a sitting by a formal representative with co-signers (附议), reviewed by the proposal
    committee (立案, 转为意见建议 or 不予立案 with reasons), assigned to a handling department with a deadline in
    working days, handled, replied, rated by the proposer; carried over to the next sitting of the congress
    while unresolved. Its case (``case``, kind ``congress_proposal``) holds the workflow; ``status`` and
    ``due_on`` mirror it for the lists."""

    sitting = models.ForeignKey(Sitting, verbose_name="所在会议", on_delete=models.PROTECT, related_name="proposals")
    first_sitting = models.ForeignKey(Sitting, verbose_name="提出会议", on_delete=models.PROTECT, related_name="+")
    proposer = models.ForeignKey(Representative, verbose_name="提案人", on_delete=models.PROTECT,
                                 related_name="proposals")  # fmt: skip
    number = models.PositiveIntegerField("提案编号")
    title = models.CharField("案由", max_length=100)
    reasons = models.TextField("提案理由", max_length=3000)
    measures = models.TextField("建议措施", max_length=3000)
    status = models.CharField("状态", max_length=16, choices=ProposalStatus.choices, default=ProposalStatus.COSIGNING)
    case = models.OneToOneField("cases.Case", verbose_name="办理事项", null=True, blank=True,
                                on_delete=models.PROTECT, related_name="congress_proposal")  # fmt: skip
    review_note = models.CharField("审查意见", max_length=500, blank=True)
    department = models.CharField("承办部门", max_length=50, blank=True)
    responsible = models.CharField("承办负责人", max_length=30, blank=True)
    due_on = models.DateField("办理期限", null=True, blank=True)
    handling_note = models.TextField("办理情况", max_length=3000, blank=True)
    reply = models.TextField("答复意见", max_length=3000, blank=True)
    replied_on = models.DateField("答复日期", null=True, blank=True)
    satisfaction = models.CharField("提案人评价", max_length=16, choices=Satisfaction.choices, blank=True)
    carried = models.PositiveIntegerField("结转次数", default=0)
    submitted_at = models.DateTimeField("提出时间", auto_now_add=True)
    version = models.PositiveIntegerField("版本", default=1)

    scope_paths = ("sitting__term__congress__org__path",)
    scope_related = ("sitting", "sitting__term", "sitting__term__congress", "sitting__term__congress__org")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "提案"
        verbose_name_plural = "提案"
        constraints = [models.UniqueConstraint(fields=["first_sitting", "number"], name="proposal_number_once")]

    def __str__(self) -> str:
        return self.title

    @property
    def code(self) -> str:
        return f"第{self.first_sitting.number}次会议第{self.number}号"

    @property
    def is_overdue(self) -> bool:
        from django.utils import timezone

        return self.status == ProposalStatus.ASSIGNED and self.due_on is not None and self.due_on < timezone.localdate()


class CoSigner(models.Model):
    """附议人 — another formal representative of the same term, named by the proposer; ``confirmed_at`` once
    they confirmed on their phone."""

    proposal = models.ForeignKey(Proposal, verbose_name="提案", on_delete=models.CASCADE, related_name="cosigners")
    representative = models.ForeignKey(Representative, verbose_name="附议代表", on_delete=models.PROTECT,
                                       related_name="cosigned")  # fmt: skip
    confirmed_at = models.DateTimeField("确认时间", null=True, blank=True)

    class Meta:
        verbose_name = "提案附议人"
        verbose_name_plural = "提案附议人"
        constraints = [models.UniqueConstraint(fields=["proposal", "representative"], name="cosign_once")]

    def __str__(self) -> str:
        return f"{self.proposal_id}/{self.representative_id}"
