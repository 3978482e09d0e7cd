"""职工代表大会: congresses of an employer or a region, their terms (届) and sittings (次), the representatives,
the check-ins, and the ballots — shows of hands recorded as counts, or secret ballots item by item.

A secret ballot keeps two tables that nothing links: ``VoteCast`` (who has voted in which ballot — the
double-vote guard) and ``SecretBallot`` (the choices with the hash of the voter's receipt code, under a random
key, with no voter, no account, no timestamp). See docs/decisions/0026-democracy.md."""

import secrets

from django.db import models
from django.db.models import Q

from gonghui.core import crypto
from gonghui.core.crypto import EncryptedTextField
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
        REMOVAL = "removal", "罢免"

    class Method(models.TextChoices):
        HANDS = "hands", "举手表决"
        SECRET = "secret", "无记名投票"

    class Status(models.TextChoices):
        DRAFT = "draft", "待表决"
        OPEN = "open", "投票中"
        CLOSED = "closed", "已计票"
        PUBLISHED = "published", "已公布"

    # A ballot of a congress sitting, or of a union election (换届选举, 罢免): exactly one of the two.
    sitting = models.ForeignKey(Sitting, verbose_name="会议", on_delete=models.CASCADE, related_name="ballots",
                                null=True, blank=True)  # fmt: skip
    election = models.ForeignKey("Election", verbose_name="工会选举", on_delete=models.CASCADE, related_name="ballots",
                                 null=True, blank=True)  # fmt: skip
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

    scope_paths = ("sitting__term__congress__org__path", "election__org__path")
    scope_related = ("sitting", "sitting__term", "sitting__term__congress", "sitting__term__congress__org",
                     "election", "election__org")  # fmt: skip
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "表决"
        verbose_name_plural = "表决"
        constraints = [models.CheckConstraint(condition=Q(sitting__isnull=True) ^ Q(election__isnull=True),
                                              name="ballot_of_sitting_or_election")]  # fmt: skip

    def __str__(self) -> str:
        return self.title

    @property
    def org(self):
        """The union whose vote this is: the congress's, or the electing union's."""
        return self.sitting.term.congress.org if self.sitting_id else self.election.org


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
    """投票记录 — that a voter has voted in a secret ballot (nothing about how): a congress representative, or an
    elector of a union election. The unique constraints refuse a second vote, even from two phones at once. No
    timestamp: the order of votes is not kept."""

    ballot = models.ForeignKey(Ballot, verbose_name="表决", on_delete=models.CASCADE, related_name="casts")
    representative = models.ForeignKey(Representative, verbose_name="代表", on_delete=models.CASCADE,
                                       related_name="casts", null=True, blank=True)  # fmt: skip
    elector = models.ForeignKey("Elector", verbose_name="选举人", on_delete=models.CASCADE, related_name="casts",
                                null=True, blank=True)  # fmt: skip

    class Meta:
        verbose_name = "投票记录"
        verbose_name_plural = "投票记录"
        constraints = [
            models.UniqueConstraint(fields=["ballot", "representative"], name="vote_once_per_ballot"),
            models.UniqueConstraint(fields=["ballot", "elector"], name="elector_votes_once_per_ballot"),
            models.CheckConstraint(condition=Q(representative__isnull=True) ^ Q(elector__isnull=True),
                                   name="votecast_one_voter"),
        ]  # fmt: skip

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


# ----- union elections (换届选举) ------------------------------------------------------------------------------------


class Election(models.Model):
    """工会换届选举 (or 罢免 of the chair) of one union: its electorate (the members' assembly — all members —
    or the members' representatives), its candidates (members only, none related to the employer's principal),
    a secret ballot with the congress's machinery (``Ballot.election``), the result submitted to the
    upper-level union as a case (``union_election``); on approval the new committee's term is recorded on the
    org through the orgs service."""

    class Purpose(models.TextChoices):
        ELECT = "elect", "换届选举"
        REMOVE = "remove", "罢免工会主席"

    class Electorate(models.TextChoices):
        ASSEMBLY = "assembly", "会员大会（全体会员）"
        REPRESENTATIVES = "representatives", "会员代表大会"

    class Status(models.TextChoices):
        PREPARING = "preparing", "筹备中"
        VOTING = "voting", "投票中"
        COUNTED = "counted", "已计票"
        SUBMITTED = "submitted", "报上级工会审批"
        RETURNED = "returned", "上级退回"
        APPROVED = "approved", "上级已批复"
        FAILED = "failed", "选举无效"

    org = models.ForeignKey("orgs.Org", verbose_name="工会", on_delete=models.PROTECT, related_name="+")
    purpose = models.CharField("类型", max_length=16, choices=Purpose.choices, default=Purpose.ELECT)
    title = models.CharField("名称", max_length=100)
    electorate = models.CharField("选举方式", max_length=20, choices=Electorate.choices)
    principal_name = models.CharField("单位主要负责人", max_length=30, blank=True)
    seats = models.PositiveSmallIntegerField("应选委员名额", default=1)
    term_years = models.PositiveSmallIntegerField("新一届任期（年）", choices=[(3, "3 年"), (5, "5 年")], default=5)
    voting_on = models.DateField("选举日期", null=True, blank=True)
    electorate_total = models.PositiveIntegerField("应参加投票人数", default=0)
    status = models.CharField("状态", max_length=16, choices=Status.choices, default=Status.PREPARING)
    case = models.OneToOneField("cases.Case", verbose_name="报批事项", null=True, blank=True,
                                on_delete=models.PROTECT, related_name="union_election")  # fmt: skip
    approved_on = models.DateField("批复日期", null=True, blank=True)
    created_at = models.DateTimeField("发起时间", auto_now_add=True)
    version = models.PositiveIntegerField("版本", default=1)

    scope_paths = ("org__path",)
    scope_related = ("org", "org__parent")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "工会选举"
        verbose_name_plural = "工会选举"
        constraints = [models.CheckConstraint(condition=Q(term_years__in=[3, 5]), name="election_term_3_or_5")]

    def __str__(self) -> str:
        return self.title

    @property
    def ballot(self) -> Ballot | None:
        return self.ballots.order_by("-id").first()


class Elector(models.Model):
    """选举人 — one member entitled to vote: every active member of the union for a members' assembly, or a
    members' representative registered for a representatives' assembly."""

    election = models.ForeignKey(Election, verbose_name="选举", on_delete=models.CASCADE, related_name="electors")
    person = models.ForeignKey("members.Person", verbose_name="选举人", on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "选举人"
        verbose_name_plural = "选举人"
        constraints = [models.UniqueConstraint(fields=["election", "person"], name="elector_once")]

    def __str__(self) -> str:
        return f"{self.election_id}/{self.person_id}"


class Relation(models.TextChoices):
    """The candidate's declared relation to the employer's principal (单位主要负责人); anything but 无 bars them."""

    NONE = "none", "无"
    PRINCIPAL = "principal", "本人是单位主要负责人"
    SPOUSE = "spouse", "配偶"
    LINEAL = "lineal", "直系血亲（父母、子女等）"
    SIBLING = "sibling", "兄弟姐妹"
    IN_LAW = "in_law", "近姻亲"


class Candidate(models.Model):
    """候选人 — a member of the union who declared their relation to the employer's principal (only those with
    none may stand); the ballot item they are on, and the outcome once counted."""

    election = models.ForeignKey(Election, verbose_name="选举", on_delete=models.CASCADE, related_name="candidates")
    person = models.ForeignKey("members.Person", verbose_name="候选人", on_delete=models.PROTECT, related_name="+")
    relation = models.CharField("与单位主要负责人的关系（本人申报）", max_length=16, choices=Relation.choices)
    declared_at = models.DateTimeField("申报时间", auto_now_add=True)
    position = models.PositiveIntegerField("选票序号")
    elected = models.BooleanField("当选", null=True)

    class Meta:
        verbose_name = "候选人"
        verbose_name_plural = "候选人"
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["election", "person"], name="candidate_once"),
            models.UniqueConstraint(fields=["election", "position"], name="candidate_position_once"),
        ]

    def __str__(self) -> str:
        return self.person.name


# ----- 厂务公开 (open factory affairs) --------------------------------------------------------------------------------


class Ownership(models.TextChoices):
    STATE = "state", "国有及国有控股企业"
    NON_PUBLIC = "non_public", "非公有制企业"


class Board(models.Model):
    """厂务公开栏 — an employer's open-affairs board, kept by its union: which catalogue of standing items
    applies (by ownership, the province's policy)."""

    org = models.OneToOneField("orgs.Org", verbose_name="工会", on_delete=models.PROTECT, related_name="+")
    ownership = models.CharField("企业类型", max_length=16, choices=Ownership.choices)
    created_at = models.DateTimeField("建立时间", auto_now_add=True)

    scope_paths = ("org__path",)
    scope_related = ("org", "org__region")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "厂务公开栏"
        verbose_name_plural = "厂务公开栏"

    def __str__(self) -> str:
        return self.org.name


class Disclosure(models.Model):
    """公开事项 — one posting on the board: a standing item of the catalogue for a year, or a sitting's agenda
    (≥ 7 days before it) or results (within 3 days after it); posted for at least 15 days."""

    class Kind(models.TextChoices):
        ITEM = "item", "常规公开事项"
        AGENDA = "agenda", "职代会议程"
        RESULTS = "results", "职代会决议和结果"

    board = models.ForeignKey(Board, verbose_name="公开栏", on_delete=models.CASCADE, related_name="disclosures")
    kind = models.CharField("类型", max_length=16, choices=Kind.choices, default=Kind.ITEM)
    item = models.CharField("公开事项", max_length=16, blank=True)  # a catalogue code for kind=item
    year = models.PositiveIntegerField("公开年度")
    sitting = models.ForeignKey(Sitting, verbose_name="会议", null=True, blank=True, on_delete=models.PROTECT,
                                related_name="disclosures")  # fmt: skip
    title = models.CharField("标题", max_length=100)
    body = models.TextField("公开内容", max_length=5000)
    posted_on = models.DateField("公开日期")
    until = models.DateField("公开截止日期")
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    scope_paths = ("board__org__path",)
    scope_related = ("board", "board__org")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "厂务公开事项"
        verbose_name_plural = "厂务公开事项"
        constraints = [models.CheckConstraint(condition=Q(until__gte=models.F("posted_on")),
                                              name="disclosure_until_after_posted")]  # fmt: skip

    def __str__(self) -> str:
        return self.title


class Question(models.Model):
    """职工询问 — a worker's question on a disclosure, answered by the union's cadre within 30 days. The text is
    the worker's own words (encrypted); the asker is not shown to other workers."""

    disclosure = models.ForeignKey(Disclosure, verbose_name="公开事项", on_delete=models.CASCADE,
                                   related_name="questions")  # fmt: skip
    asker = models.ForeignKey("members.Person", verbose_name="提问职工", on_delete=models.PROTECT, related_name="+")
    text_enc = EncryptedTextField("问题（密文）")
    asked_on = models.DateField("提问日期")
    due_on = models.DateField("答复期限")
    answer = models.TextField("答复", max_length=3000, blank=True)
    answered_on = models.DateField("答复日期", null=True, blank=True)
    version = models.PositiveIntegerField("版本", default=1)

    scope_paths = ("disclosure__board__org__path",)
    scope_related = ("disclosure", "disclosure__board", "disclosure__board__org", "asker")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "厂务公开询问"
        verbose_name_plural = "厂务公开询问"
        indexes = [models.Index(fields=["due_on"], condition=Q(answered_on__isnull=True), name="question_open_idx")]

    def __str__(self) -> str:
        return f"{self.disclosure_id}/{self.pk}"

    @property
    def text(self) -> str:
        return crypto.decrypt(self.text_enc)
