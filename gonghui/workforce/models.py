"""产业工人队伍建设: skill competitions (events, entries, judges and their withdrawals, scores locked once signed,
appeals, certificates), honours and model workers (the registry, the yearly care, selection rounds whose
nominations are cases with 公示) and innovation studios. A model worker's health and care notes are encrypted."""

from django.conf import settings
from django.db import models

from gonghui.core.crypto import EncryptedTextField
from gonghui.core.files import PrivateFileField
from gonghui.orgs.scope import ScopedQuerySet

# ----- skill competitions ---------------------------------------------------------------------------------------


class Competition(models.Model):
    """职工职业技能大赛 — a competition run by a union: its scoring weights and award shares."""

    org = models.ForeignKey("orgs.Org", verbose_name="主办工会", on_delete=models.PROTECT, related_name="+")
    name = models.CharField("名称", max_length=100)
    year = models.PositiveSmallIntegerField("年度")
    theory_weight = models.DecimalField("理论成绩权重", max_digits=3, decimal_places=2)
    award_shares = models.JSONField("获奖比例（%，一二三等奖）", default=list)
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    version = models.PositiveIntegerField("版本", default=1)

    scope_paths = ("org__path",)
    scope_related = ("org",)
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "技能竞赛"
        verbose_name_plural = "技能竞赛"
        indexes = [models.Index(fields=["org", "year"], name="competition_org_year_idx")]

    def __str__(self) -> str:
        return self.name

    @property
    def practice_weight(self):
        return 1 - self.theory_weight


class Grade(models.TextChoices):
    """职业技能等级."""

    JUNIOR = "5", "五级/初级工"
    MIDDLE = "4", "四级/中级工"
    SENIOR = "3", "三级/高级工"
    TECHNICIAN = "2", "二级/技师"
    SENIOR_TECHNICIAN = "1", "一级/高级技师"


class Stage(models.TextChoices):
    PRELIMINARY = "preliminary", "初赛"
    FINAL = "final", "决赛"


class Event(models.Model):
    """竞赛项目 — an occupation at a level and stage; individual or teams of three; its end opens the appeals."""

    competition = models.ForeignKey(Competition, verbose_name="竞赛", on_delete=models.CASCADE, related_name="events")
    occupation = models.CharField("职业（工种）", max_length=50)
    grade = models.CharField("等级", max_length=2, choices=Grade.choices)
    stage = models.CharField("阶段", max_length=16, choices=Stage.choices, default=Stage.FINAL)
    team_size = models.PositiveSmallIntegerField("每队人数", default=1)  # 1 individual, 3 team
    held_on = models.DateField("比赛日期")
    ended_at = models.DateTimeField("比赛结束时间", null=True, blank=True)

    scope_paths = ("competition__org__path",)
    scope_related = ("competition", "competition__org")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "竞赛项目"
        verbose_name_plural = "竞赛项目"

    def __str__(self) -> str:
        return f"{self.occupation}（{self.get_grade_display()}·{self.get_stage_display()}）"

    @property
    def is_team(self) -> bool:
        return self.team_size > 1


class Entry(models.Model):
    """报名 — an individual or a team in an event, with its number and unit."""

    event = models.ForeignKey(Event, verbose_name="项目", on_delete=models.CASCADE, related_name="entries")
    number = models.PositiveIntegerField("参赛号")
    name = models.CharField("选手或队名", max_length=50)
    unit = models.CharField("单位", max_length=100)

    scope_paths = ("event__competition__org__path",)
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "参赛报名"
        verbose_name_plural = "参赛报名"
        constraints = [models.UniqueConstraint(fields=["event", "number"], name="entry_number_once")]

    def __str__(self) -> str:
        return f"{self.number:03d} {self.name}"


class Competitor(models.Model):
    """参赛选手 — a person of an entry (one, or three for a team): theory score and practical time."""

    entry = models.ForeignKey(Entry, verbose_name="报名", on_delete=models.CASCADE, related_name="competitors")
    person = models.ForeignKey("members.Person", verbose_name="选手", on_delete=models.PROTECT, related_name="+")
    theory = models.DecimalField("理论成绩", max_digits=5, decimal_places=2, null=True, blank=True)
    seconds = models.PositiveIntegerField("实操用时（秒）", null=True, blank=True)

    class Meta:
        verbose_name = "参赛选手"
        verbose_name_plural = "参赛选手"
        constraints = [models.UniqueConstraint(fields=["entry", "person"], name="competitor_once_per_entry")]

    def __str__(self) -> str:
        return self.person.name


class Judge(models.Model):
    """裁判 — an account appointed to an event: a judge who scores, or a member of the arbitration panel."""

    class Role(models.TextChoices):
        JUDGE = "judge", "裁判"
        ARBITER = "arbiter", "仲裁委员"

    event = models.ForeignKey(Event, verbose_name="项目", on_delete=models.CASCADE, related_name="judges")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="账号", on_delete=models.PROTECT,
                             related_name="judgings")  # fmt: skip
    name = models.CharField("姓名", max_length=50)
    role = models.CharField("角色", max_length=8, choices=Role.choices, default=Role.JUDGE)
    signed_at = models.DateTimeField("签字确认时间", null=True, blank=True)

    scope_paths = ("event__competition__org__path",)
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "裁判"
        verbose_name_plural = "裁判"
        constraints = [models.UniqueConstraint(fields=["event", "user", "role"], name="judge_once_per_event")]

    def __str__(self) -> str:
        return self.name


class Relation(models.TextChoices):
    """回避关系."""

    SAME_UNIT = "same_unit", "同一单位"
    FAMILY = "family", "近亲属"
    MENTOR = "mentor", "师徒关系"
    OTHER = "other", "其他利害关系"


class Recusal(models.Model):
    """回避声明 — a judge declared a relation to an entry: they never score any of its competitors."""

    judge = models.ForeignKey(Judge, verbose_name="裁判", on_delete=models.CASCADE, related_name="recusals")
    entry = models.ForeignKey(Entry, verbose_name="报名", on_delete=models.CASCADE, related_name="recusals")
    relation = models.CharField("关系", max_length=16, choices=Relation.choices)
    declared_at = models.DateTimeField("声明时间", auto_now_add=True)

    class Meta:
        verbose_name = "回避声明"
        verbose_name_plural = "回避声明"
        constraints = [models.UniqueConstraint(fields=["judge", "entry"], name="recusal_once")]

    def __str__(self) -> str:
        return f"{self.judge_id}→{self.entry_id}"


class Score(models.Model):
    """评分 — one judge's practical score of one competitor; locked once the judge signs the sheet."""

    judge = models.ForeignKey(Judge, verbose_name="裁判", on_delete=models.CASCADE, related_name="scores")
    competitor = models.ForeignKey(Competitor, verbose_name="选手", on_delete=models.CASCADE, related_name="scores")
    value = models.DecimalField("实操评分", max_digits=5, decimal_places=2)
    signed = models.BooleanField("已签字锁定", default=False)
    updated_at = models.DateTimeField("评分时间", auto_now=True)

    class Meta:
        verbose_name = "评分"
        verbose_name_plural = "评分"
        constraints = [models.UniqueConstraint(fields=["judge", "competitor"], name="score_once_per_judge")]

    def __str__(self) -> str:
        return str(self.value)


class ScoreChange(models.Model):
    """签字后改分 — a change of a locked score: old and new value, the reason, who and when."""

    score = models.ForeignKey(Score, verbose_name="评分", on_delete=models.CASCADE, related_name="changes")
    old = models.DecimalField("原分", max_digits=5, decimal_places=2)
    new = models.DecimalField("新分", max_digits=5, decimal_places=2)
    reason = models.CharField("理由", max_length=200)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="修改人", null=True, on_delete=models.PROTECT,
                           related_name="+")  # fmt: skip
    at = models.DateTimeField("修改时间", auto_now_add=True)

    class Meta:
        verbose_name = "改分记录"
        verbose_name_plural = "改分记录"

    def __str__(self) -> str:
        return f"{self.old}→{self.new}"


class Appeal(models.Model):
    """申诉 — lodged for an entry within 2 hours after the event; the arbitration panel's ruling is final."""

    class Status(models.TextChoices):
        PENDING = "pending", "待仲裁"
        UPHELD = "upheld", "申诉成立"
        REJECTED = "rejected", "申诉不成立"

    entry = models.ForeignKey(Entry, verbose_name="报名", on_delete=models.CASCADE, related_name="appeals")
    text = models.TextField("申诉事由", max_length=1000)
    lodged_at = models.DateTimeField("提出时间")
    lodged_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="登记人", null=True,
                                  on_delete=models.PROTECT, related_name="+")  # fmt: skip
    status = models.CharField("状态", max_length=16, choices=Status.choices, default=Status.PENDING)
    ruling = models.TextField("仲裁结论", max_length=1000, blank=True)
    ruled_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="仲裁人", null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")  # fmt: skip
    ruled_at = models.DateTimeField("仲裁时间", null=True, blank=True)

    scope_paths = ("entry__event__competition__org__path",)
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "申诉"
        verbose_name_plural = "申诉"

    def __str__(self) -> str:
        return f"申诉#{self.pk}"


class Certificate(models.Model):
    """证书 — a competitor's award or grade certificate; ``key`` (random) is what its QR code names."""

    competitor = models.ForeignKey(Competitor, verbose_name="选手", on_delete=models.CASCADE,
                                   related_name="certificates")  # fmt: skip
    title = models.CharField("证书内容", max_length=100)
    place = models.PositiveIntegerField("名次")
    key = models.CharField("核验码", max_length=32, unique=True)
    issued_at = models.DateTimeField("颁发时间", auto_now_add=True)

    class Meta:
        verbose_name = "竞赛证书"
        verbose_name_plural = "竞赛证书"
        constraints = [models.UniqueConstraint(fields=["competitor"], name="certificate_once_per_competitor")]

    def __str__(self) -> str:
        return self.title


# ----- honours and model workers ---------------------------------------------------------------------------------


class Level(models.TextChoices):
    NATIONAL = "national", "全国"
    PROVINCIAL = "provincial", "省部级"
    CITY = "city", "市级"
    GRASSROOTS = "grassroots", "基层"


class Title(models.TextChoices):
    """荣誉称号 — the catalogue; each title has its level (``TITLE_LEVELS``) and what it is given to."""

    NATIONAL_MODEL = "national_model", "全国劳动模范"
    NATIONAL_ADVANCED = "national_advanced", "全国先进工作者"
    PROVINCIAL_MODEL = "provincial_model", "省部级劳动模范"
    MAY_DAY_MEDAL = "may_day_medal", "全国五一劳动奖章"
    MAY_DAY_AWARD = "may_day_award", "全国五一劳动奖状"
    PIONEER = "pioneer", "全国工人先锋号"
    GREAT_CRAFTSMAN = "great_craftsman", "大国工匠"
    LOCAL_CRAFTSMAN = "local_craftsman", "省级工匠"


UNIT_TITLES = frozenset({"may_day_award"})  # titles given to a unit (the others: to a person)
TITLE_LEVELS = {Title.PROVINCIAL_MODEL: Level.PROVINCIAL, Title.LOCAL_CRAFTSMAN: Level.PROVINCIAL}
TITLE_TO = {Title.MAY_DAY_AWARD: "unit", Title.PIONEER: "team"}  # the rest: a person


def title_level(title: str) -> str:
    return TITLE_LEVELS.get(title, Level.NATIONAL)


class ModelWorker(models.Model):
    """劳模 — the registry of a person holding honours, kept by a union; health notes encrypted."""

    org = models.ForeignKey("orgs.Org", verbose_name="管理工会", on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey("members.Person", verbose_name="劳模本人", on_delete=models.PROTECT,
                               related_name="model_worker_records")  # fmt: skip
    employer_name = models.CharField("工作单位", max_length=100)
    occupation = models.CharField("岗位或工种", max_length=50, blank=True)
    health_enc = EncryptedTextField("健康和生活状况（密文）", blank=True)
    in_hardship = models.BooleanField("生活困难", default=False)
    hardship_note_enc = EncryptedTextField("生活困难情况（密文）", blank=True)
    hardship_flagged_on = models.DateField("标记生活困难日期", null=True, blank=True)
    hardship_flagged_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="标记人", null=True, blank=True,
                                            on_delete=models.PROTECT, related_name="+")  # fmt: skip
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    version = models.PositiveIntegerField("版本", default=1)

    scope_paths = ("org__path",)
    scope_related = ("org", "person")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "劳模"
        verbose_name_plural = "劳模"
        constraints = [models.UniqueConstraint(fields=["person"], name="model_worker_once")]

    def __str__(self) -> str:
        return self.person.name


class HonourAward(models.Model):
    """荣誉 — a title conferred on a model worker in a year."""

    model_worker = models.ForeignKey(ModelWorker, verbose_name="劳模", on_delete=models.CASCADE,
                                     related_name="honours")  # fmt: skip
    title = models.CharField("称号", max_length=24, choices=Title.choices)
    level = models.CharField("级别", max_length=16, choices=Level.choices)
    year = models.PositiveSmallIntegerField("年度")
    conferred_by = models.CharField("授予单位", max_length=100)

    class Meta:
        verbose_name = "荣誉称号"
        verbose_name_plural = "荣誉称号"
        constraints = [models.UniqueConstraint(fields=["model_worker", "title", "year"], name="honour_once")]

    def __str__(self) -> str:
        return f"{self.year} {self.get_title_display()}"


PLAN_YEARS = (2021, 2025)  # 全国总工会“十四五”规划 (docs/domain.md §2): the plan period of its targets


class Publicity(models.Model):
    """先进典型宣传 — a model worker publicised as an advanced example: at a level, in a campaign or medium
    (大国工匠年度人物, 最美职工, 劳模宣讲) on a day, with an optional link; entered by the union that keeps the model
    worker, once per campaign and year. The plan counts the model workers publicised nationally (``PLAN_YEARS``)."""

    model_worker = models.ForeignKey(ModelWorker, verbose_name="劳模", on_delete=models.CASCADE,
                                     related_name="publicity")  # fmt: skip
    level = models.CharField("宣传层级", max_length=16, choices=Level.choices)
    campaign = models.CharField("宣传活动或媒体", max_length=100)
    published_on = models.DateField("宣传日期")
    year = models.PositiveSmallIntegerField("年度")  # the year of ``published_on`` (the once-a-year rule, the plan)
    link = models.URLField("链接", max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="登记人", null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")  # fmt: skip
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    scope_paths = ("model_worker__org__path",)
    scope_related = ("model_worker", "model_worker__org")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "先进典型宣传"
        verbose_name_plural = "先进典型宣传"
        constraints = [models.UniqueConstraint(fields=["model_worker", "campaign", "year"], name="publicity_once")]
        indexes = [models.Index(fields=["level", "year"], name="publicity_level_year_idx")]

    def __str__(self) -> str:
        return f"{self.year} {self.campaign}"


class CareKind(models.TextChoices):
    HEALTH_CHECK = "health_check", "年度健康体检"
    REST = "rest", "疗休养"
    FESTIVAL = "festival", "节日走访慰问"
    SUBSIDY = "subsidy", "劳模专项补助"


class CareItem(models.Model):
    """劳模关爱 — one item of a model worker's care in a year (due, then done on a day, an amount if paid, booked in
    the keeping union's ledger)."""

    model_worker = models.ForeignKey(ModelWorker, verbose_name="劳模", on_delete=models.CASCADE, related_name="care")
    year = models.PositiveSmallIntegerField("年度")
    kind = models.CharField("项目", max_length=16, choices=CareKind.choices)
    done_on = models.DateField("完成日期", null=True, blank=True)
    amount = models.DecimalField("金额（元）", max_digits=10, decimal_places=2, null=True, blank=True)
    done_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="经办人", null=True, blank=True,
                                on_delete=models.PROTECT, related_name="+")  # fmt: skip
    # the spending entry in the keeping union's ledger when an amount was paid (finance.services.payment_post)
    entry = models.OneToOneField("finance.Entry", verbose_name="记账凭证", null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")  # fmt: skip

    scope_paths = ("model_worker__org__path",)
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "劳模关爱"
        verbose_name_plural = "劳模关爱"
        constraints = [models.UniqueConstraint(fields=["model_worker", "year", "kind"], name="care_once_a_year")]
        indexes = [models.Index(fields=["year", "done_on"], name="care_year_done_idx")]

    def __str__(self) -> str:
        return f"{self.year} {self.get_kind_display()}"


class SelectionRound(models.Model):
    """评选 — a round for a title in a year, run by a union: quotas per subtree and share rules (data of the
    round), the notice days (≥ 5 working days)."""

    org = models.ForeignKey("orgs.Org", verbose_name="组织单位", on_delete=models.PROTECT, related_name="+")
    name = models.CharField("名称", max_length=100)
    title = models.CharField("称号", max_length=24, choices=Title.choices)
    year = models.PositiveSmallIntegerField("年度")
    notice_days = models.PositiveSmallIntegerField("公示期（工作日）", default=5)
    quotas = models.JSONField("名额（工会 id → 人数）", default=dict)
    share_rules = models.JSONField("比例要求", default=list)
    created_at = models.DateTimeField("发布时间", auto_now_add=True)

    scope_paths = ("org__path",)
    scope_related = ("org",)
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "评选"
        verbose_name_plural = "评选"

    def __str__(self) -> str:
        return self.name


class Nomination(models.Model):
    """推荐 — a person on a union's list for a round; a case (两审三公示) once the list is submitted."""

    round = models.ForeignKey(SelectionRound, verbose_name="评选", on_delete=models.CASCADE,
                              related_name="nominations")  # fmt: skip
    org = models.ForeignKey("orgs.Org", verbose_name="推荐工会", on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey("members.Person", verbose_name="推荐人选", null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+")  # fmt: skip
    # a unit's title (五一劳动奖状): the employer nominated, answering the exclusion checks (UnitCheck) first
    employer = models.ForeignKey("members.Employer", verbose_name="推荐单位", null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")  # fmt: skip
    unit = models.CharField("工作单位", max_length=100)
    categories = models.JSONField("人员类别", default=list)
    deeds = models.TextField("主要事迹", max_length=2000)
    case = models.OneToOneField("cases.Case", verbose_name="事项", null=True, blank=True, on_delete=models.PROTECT,
                                related_name="nomination")  # fmt: skip
    status = models.CharField("状态", max_length=24, default="draft")
    created_at = models.DateTimeField("添加时间", auto_now_add=True)

    scope_paths = ("org__path",)
    scope_related = ("org", "person", "round")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "评选推荐"
        verbose_name_plural = "评选推荐"
        constraints = [
            models.UniqueConstraint(fields=["round", "person"], name="nomination_once_per_round"),
            models.UniqueConstraint(fields=["round", "employer"], name="nomination_unit_once_per_round"),
            models.CheckConstraint(condition=models.Q(person__isnull=True) ^ models.Q(employer__isnull=True),
                                   name="nomination_person_or_unit"),
        ]  # fmt: skip

    def __str__(self) -> str:
        return f"推荐#{self.pk}"

    @property
    def nominee(self) -> str:
        return self.person.name if self.person_id else self.employer.name


class ExclusionItem(models.TextChoices):
    """The exclusion checks of a unit nominated for a unit's title (docs/domain.md 3.9): each answered with
    evidence before the list goes; any of them present excludes the unit."""

    WAGE_ARREARS = "wage_arrears", "拖欠职工工资"
    SOCIAL_INSURANCE = "social_insurance", "欠缴社会保险费"
    NO_UNION = "no_union", "未建立工会"
    NO_DEMOCRACY = "no_democracy", "未建立职代会制度或未签订集体合同"
    ACCIDENT = "accident", "近三年发生重大及以上生产安全事故"


class UnitCheck(models.Model):
    """排除情形核查 — one exclusion item of a unit nomination, answered by the nominating union: present or not,
    what the platform's records said when answered, a note, and the evidence (encrypted at rest)."""

    nomination = models.ForeignKey(Nomination, verbose_name="推荐", on_delete=models.CASCADE, related_name="checks")
    item = models.CharField("核查事项", max_length=24, choices=ExclusionItem.choices)
    present = models.BooleanField("存在该情形")
    source = models.CharField("平台记录", max_length=300, blank=True)
    note = models.CharField("说明", max_length=300)
    evidence_file = PrivateFileField("证明材料", max_length=200)
    evidence_name = models.CharField("证明材料文件名", max_length=200)
    evidence_sha256 = models.CharField("证明材料摘要", max_length=64)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="核查人", null=True,
                                    on_delete=models.PROTECT, related_name="+")  # fmt: skip
    answered_at = models.DateTimeField("核查时间", auto_now=True)

    class Meta:
        verbose_name = "排除情形核查"
        verbose_name_plural = "排除情形核查"
        constraints = [models.UniqueConstraint(fields=["nomination", "item"], name="unit_check_once")]

    def __str__(self) -> str:
        return self.get_item_display()


# ----- innovation studios ------------------------------------------------------------------------------------------


class StudioLevel(models.TextChoices):
    NATIONAL_DEMO = "national_demo", "全国示范性劳模和工匠人才创新工作室"
    PROVINCIAL = "provincial", "省级"
    CITY = "city", "市级"
    GRASSROOTS = "grassroots", "基层"


class Studio(models.Model):
    """劳模和工匠人才创新工作室 — a studio by level, its leader (a model worker or craftsman), members, field and
    host employer."""

    org = models.ForeignKey("orgs.Org", verbose_name="命名工会", on_delete=models.PROTECT, related_name="+")
    name = models.CharField("名称", max_length=100)
    level = models.CharField("级别", max_length=16, choices=StudioLevel.choices)
    leader = models.ForeignKey(ModelWorker, verbose_name="领衔人（劳模）", null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="studios")  # fmt: skip
    leader_name = models.CharField("领衔人", max_length=50)
    field = models.CharField("领域", max_length=50)
    host_employer = models.CharField("依托单位", max_length=100)
    members = models.PositiveSmallIntegerField("成员人数", default=0)
    named_year = models.PositiveSmallIntegerField("命名年度")
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    scope_paths = ("org__path",)
    scope_related = ("org", "leader")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "创新工作室"
        verbose_name_plural = "创新工作室"
        indexes = [models.Index(fields=["org", "level"], name="studio_org_level_idx")]

    def __str__(self) -> str:
        return self.name


class Achievement(models.Model):
    """工作室成果 — a patent, technique, award or economic benefit of a studio in a year."""

    class Kind(models.TextChoices):
        PATENT = "patent", "专利"
        TECHNIQUE = "technique", "先进操作法"
        AWARD = "award", "获奖"
        BENEFIT = "benefit", "创效"

    studio = models.ForeignKey(Studio, verbose_name="工作室", on_delete=models.CASCADE, related_name="achievements")
    kind = models.CharField("类别", max_length=16, choices=Kind.choices)
    title = models.CharField("名称", max_length=100)
    year = models.PositiveSmallIntegerField("年度")
    benefit_wan = models.DecimalField("经济效益（万元）", max_digits=10, decimal_places=2, null=True, blank=True)

    class Meta:
        verbose_name = "工作室成果"
        verbose_name_plural = "工作室成果"

    def __str__(self) -> str:
        return self.title


# ----- 五小 innovations and 合理化建议 --------------------------------------------------------------------------------


class InnovationKind(models.TextChoices):
    """五小 (小发明、小创造、小革新、小设计、小建议) and 合理化建议."""

    INVENTION = "invention", "小发明"
    CREATION = "creation", "小创造"
    RENOVATION = "renovation", "小革新"
    DESIGN = "design", "小设计"
    SUGGESTION = "suggestion", "小建议"
    RATIONALISATION = "rationalisation", "合理化建议"


class Innovation(models.Model):
    """五小创新或合理化建议 — a worker's idea submitted to their union (from the phone, or entered by a cadre); a case
    (初审 → 评审 → 采纳 → 效益核定 → 奖励) whose status is mirrored here; the benefit and the reward in fen."""

    class Channel(models.TextChoices):
        PHONE = "phone", "职工手机提交"
        CADRE = "cadre", "工会干部录入"

    org = models.ForeignKey("orgs.Org", verbose_name="受理工会", on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey("members.Person", verbose_name="提出人", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField("类别", max_length=16, choices=InnovationKind.choices)
    title = models.CharField("名称", max_length=100)
    problem = models.TextField("现状和问题", max_length=2000)
    proposal = models.TextField("建议或方案", max_length=2000)
    unit = models.CharField("单位或部门", max_length=100)
    channel = models.CharField("提交方式", max_length=8, choices=Channel.choices)
    case = models.OneToOneField("cases.Case", verbose_name="事项", on_delete=models.PROTECT, related_name="innovation")
    status = models.CharField("状态", max_length=16)
    submitted_on = models.DateField("提交日期")
    adopted_on = models.DateField("采纳日期", null=True, blank=True)
    benefit_fen = models.BigIntegerField("年经济效益（分）", null=True, blank=True)
    benefit_note = models.CharField("效益核定说明", max_length=200, blank=True)
    reward_fen = models.BigIntegerField("奖励金额（分）", null=True, blank=True)
    rewarded_on = models.DateField("奖励日期", null=True, blank=True)

    scope_paths = ("org__path",)
    scope_related = ("org", "person")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "五小创新和合理化建议"
        verbose_name_plural = "五小创新和合理化建议"
        indexes = [models.Index(fields=["org", "status"], name="innovation_org_status_idx"),
                   models.Index(fields=["adopted_on"], name="innovation_adopted_idx")]  # fmt: skip
        constraints = [
            models.CheckConstraint(condition=models.Q(benefit_fen__gte=0) | models.Q(benefit_fen__isnull=True),
                                   name="innovation_benefit_not_negative"),
            models.CheckConstraint(condition=models.Q(reward_fen__gt=0) | models.Q(reward_fen__isnull=True),
                                   name="innovation_reward_positive"),
        ]  # fmt: skip

    def __str__(self) -> str:
        return self.title

    @property
    def status_label(self) -> str:
        from gonghui.cases.kinds import kind_of
        from gonghui.workforce.cases import INNOVATION

        return kind_of(INNOVATION).status_label(self.status)

    @property
    def benefit_yuan(self) -> str:
        from gonghui.finance.money import yuan

        return "" if self.benefit_fen is None else yuan(self.benefit_fen)


class StudioAlliance(models.Model):
    """创新工作室联盟 — studios of several employers or regions joined under a union, one of them leading."""

    org = models.ForeignKey("orgs.Org", verbose_name="组建工会", on_delete=models.PROTECT, related_name="+")
    name = models.CharField("名称", max_length=100)
    field = models.CharField("领域", max_length=50)
    lead = models.ForeignKey(Studio, verbose_name="牵头工作室", on_delete=models.PROTECT, related_name="leads")
    studios = models.ManyToManyField(Studio, verbose_name="成员工作室", related_name="alliances")
    formed_year = models.PositiveSmallIntegerField("组建年度")
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    scope_paths = ("org__path",)
    scope_related = ("org", "lead")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "创新工作室联盟"
        verbose_name_plural = "创新工作室联盟"

    def __str__(self) -> str:
        return self.name


class StudioGrade(models.TextChoices):
    EXCELLENT = "excellent", "优秀"
    PASS = "pass", "合格"
    FAIL = "fail", "不合格"


class StudioEvaluation(models.Model):
    """年度考核 — a studio's score in a year, its grade by the policy's thresholds, who evaluated and when."""

    studio = models.ForeignKey(Studio, verbose_name="工作室", on_delete=models.CASCADE, related_name="evaluations")
    year = models.PositiveSmallIntegerField("考核年度")
    score = models.DecimalField("得分", max_digits=5, decimal_places=2)
    grade = models.CharField("等次", max_length=16, choices=StudioGrade.choices)
    evaluator = models.CharField("考核组织", max_length=100)
    evaluated_on = models.DateField("考核日期")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="登记人", null=True,
                                    on_delete=models.PROTECT, related_name="+")  # fmt: skip

    class Meta:
        verbose_name = "工作室年度考核"
        verbose_name_plural = "工作室年度考核"
        constraints = [models.UniqueConstraint(fields=["studio", "year"], name="studio_evaluation_once_a_year")]

    def __str__(self) -> str:
        return f"{self.year} {self.get_grade_display()}"


# ----- 疗休养 batches (docs/decisions/0038, section 2026-11-30) -----------------------------------------------------


class RestBatch(models.Model):
    """劳模疗休养 — one batch run by a union: where, from and to which day, how many places."""

    org = models.ForeignKey("orgs.Org", verbose_name="组织工会", on_delete=models.PROTECT, related_name="+")
    place = models.CharField("疗休养地点", max_length=100)
    starts_on = models.DateField("开始日期")
    ends_on = models.DateField("结束日期")
    capacity = models.PositiveSmallIntegerField("名额")
    attendance_marked_at = models.DateTimeField("登记参加情况时间", null=True, blank=True)
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    scope_paths = ("org__path",)
    scope_related = ("org",)
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "疗休养批次"
        verbose_name_plural = "疗休养批次"
        constraints = [
            models.CheckConstraint(condition=models.Q(ends_on__gte=models.F("starts_on")), name="rest_batch_dates"),
            models.CheckConstraint(condition=models.Q(capacity__gt=0), name="rest_batch_capacity"),
        ]

    def __str__(self) -> str:
        return f"{self.place} {self.starts_on:%Y-%m-%d}"

    @property
    def year(self) -> int:
        return self.starts_on.year


class RestEnrolment(models.Model):
    """One model worker in a batch, for their year's 疗休养 care item (so once a year); attended is set after
    the batch (None until then)."""

    batch = models.ForeignKey(RestBatch, verbose_name="批次", on_delete=models.CASCADE, related_name="enrolments")
    model_worker = models.ForeignKey(ModelWorker, verbose_name="劳模", on_delete=models.CASCADE,
                                     related_name="rest_enrolments")  # fmt: skip
    care_item = models.OneToOneField(CareItem, verbose_name="关爱项目", on_delete=models.CASCADE,
                                     related_name="rest_enrolment")  # fmt: skip
    attended = models.BooleanField("参加", null=True, blank=True)
    enrolled_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="经办人", null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")  # fmt: skip
    enrolled_at = models.DateTimeField("报名时间", auto_now_add=True)

    class Meta:
        verbose_name = "疗休养人员"
        verbose_name_plural = "疗休养人员"
        constraints = [models.UniqueConstraint(fields=["batch", "model_worker"], name="rest_enrolment_once")]

    def __str__(self) -> str:
        return f"{self.batch} {self.model_worker_id}"
