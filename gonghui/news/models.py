"""资讯与通知: articles and notices a union publishes to an audience (its subtree, chosen unions below it,
members of some employment forms, or the public), reviewed on the case workflow before they appear; and who
has opened each and confirmed a notice that asks for a read receipt."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from gonghui.core.files import PrivateFileField
from gonghui.orgs.scope import ScopedQuerySet


class Kind(models.TextChoices):
    ARTICLE = "article", "资讯"
    NOTICE = "notice", "通知公告"


class Category(models.TextChoices):
    """栏目."""

    NEWS = "news", "工会要闻"
    POLICY = "policy", "政策法规"
    RIGHTS = "rights", "维权服务"
    MODEL = "model", "劳模风采"
    EDUCATION = "education", "宣传教育"
    NOTICE = "notice", "通知公告"


class Audience(models.TextChoices):
    SUBTREE = "subtree", "本级及所有下属工会会员"
    CHOSEN = "chosen", "选定的下属工会会员"
    PUBLIC = "public", "公开（所有人可见）"


class Status(models.TextChoices):
    """Mirrors the article's case (gonghui/news/cases.py)."""

    DRAFT = "draft", "草稿"
    REVIEWING = "reviewing", "待审核"
    PUBLISHED = "published", "已发布"
    WITHDRAWN = "withdrawn", "已撤回"


class Article(models.Model):
    """资讯/通知 — written by a cadre of ``org``, reviewed by another before it is published, visible from
    ``published_at`` (a scheduled time, checked on every read) until withdrawn. ``forms`` holds the employment
    forms it is limited to as ",courier,food_delivery," ("" for every form), so that the feed matches one
    member's form with a portable substring test. ``audience_size`` is fixed when it is published (the
    members it reaches then); ``receipt_count`` counts confirmed read receipts."""

    org = models.ForeignKey("orgs.Org", verbose_name="发布工会", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField("类型", max_length=16, choices=Kind.choices, default=Kind.ARTICLE)
    category = models.CharField("栏目", max_length=16, choices=Category.choices, default=Category.NEWS)
    title = models.CharField("标题", max_length=120)
    body = models.TextField("正文（已净化的 HTML）")
    audience = models.CharField("发布范围", max_length=16, choices=Audience.choices, default=Audience.SUBTREE)
    forms = models.CharField("限定就业形态", max_length=400, blank=True)
    # the groups of people it is limited to (劳模…, core.groups), as ",model_workers," ("" for everyone)
    groups = models.CharField("限定人群", max_length=200, blank=True)
    receipt_required = models.BooleanField("需要阅读回执", default=False)
    pinned = models.BooleanField("置顶", default=False)
    status = models.CharField("状态", max_length=16, choices=Status.choices, default=Status.DRAFT)
    case = models.OneToOneField("cases.Case", verbose_name="审核事项", on_delete=models.PROTECT,
                                related_name="news_article")  # fmt: skip
    author = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="撰稿人", null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+")  # fmt: skip
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="审核人", null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")  # fmt: skip
    reviewed_at = models.DateTimeField("审核时间", null=True, blank=True)
    publish_at = models.DateTimeField("定时发布时间", null=True, blank=True)
    published_at = models.DateTimeField("发布时间", null=True, blank=True)
    withdrawn_at = models.DateTimeField("撤回时间", null=True, blank=True)
    audience_size = models.PositiveIntegerField("发布时覆盖会员数", default=0)
    receipt_count = models.PositiveIntegerField("已确认阅读人数", default=0)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    version = models.PositiveIntegerField("版本", default=1)
    # search words (gonghui/news/search.py), kept by the services whenever title or body is written
    title_tokens = models.TextField("标题分词", blank=True, default="", editable=False)
    search_tokens = models.TextField("全文分词", blank=True, default="", editable=False)

    scope_paths = ("org__path",)
    scope_related = ("org",)
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "资讯通知"
        verbose_name_plural = "资讯通知"
        indexes = [
            models.Index(fields=["org", "status", "published_at"], name="news_org_published_idx"),
            models.Index(fields=["status", "audience", "published_at"], name="news_public_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=~Q(receipt_required=True) | Q(kind="notice"),
                                   name="news_receipt_only_on_notices"),
        ]  # fmt: skip

    def __str__(self) -> str:
        return self.title

    @property
    def form_list(self) -> list[str]:
        return [f for f in self.forms.split(",") if f]

    @property
    def group_list(self) -> list[str]:
        return [g for g in self.groups.split(",") if g]

    @property
    def scheduled(self) -> bool:
        from django.utils import timezone

        due = self.published_at
        return self.status == Status.PUBLISHED and due is not None and due > timezone.now()


class ArticleImage(models.Model):
    """资讯配图 — a JPEG or PNG uploaded to a draft, re-encoded without its metadata (a phone photo's location),
    stored encrypted (core/files.py) and put into the article's text as ``<img src="/news/images/<pk>/">``. It
    is served to whoever may read its article (anyone, for a published public article)."""

    article = models.ForeignKey(Article, verbose_name="资讯通知", on_delete=models.CASCADE, related_name="images")
    file_path = PrivateFileField("文件", max_length=200)
    file_kind = models.CharField("格式", max_length=8)
    width = models.PositiveIntegerField("宽（像素）")
    height = models.PositiveIntegerField("高（像素）")
    size = models.PositiveIntegerField("大小（字节）")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="上传人", null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")  # fmt: skip
    created_at = models.DateTimeField("上传时间", auto_now_add=True)

    scope_paths = ("article__org__path",)
    scope_related = ("article__org",)
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "资讯配图"
        verbose_name_plural = "资讯配图"

    def __str__(self) -> str:
        return f"{self.article_id} {self.pk}"


class ArticleTarget(models.Model):
    """选定的下属工会 — one union below the publisher whose subtree an article of ``chosen`` audience reaches
    (its path copied, so that reaching a member is a prefix test)."""

    article = models.ForeignKey(Article, verbose_name="资讯通知", on_delete=models.CASCADE, related_name="targets")
    org = models.ForeignKey("orgs.Org", verbose_name="下属工会", on_delete=models.PROTECT, related_name="+")
    path = models.CharField("路径", max_length=255)

    class Meta:
        verbose_name = "发布范围工会"
        verbose_name_plural = "发布范围工会"
        constraints = [models.UniqueConstraint(fields=["article", "org"], name="news_target_once")]

    def __str__(self) -> str:
        return f"{self.article_id} → {self.org_id}"


class Reading(models.Model):
    """阅读记录 — a member (the person, whichever account they sign in with) opened an article (``read_at``,
    the unread mark goes) and, for a notice that asks, confirmed 我已阅读 (``confirmed_at``). ``org_path`` is
    the member's union when they read it: the receipt counts per union below the publisher are prefix counts."""

    article = models.ForeignKey(Article, verbose_name="资讯通知", on_delete=models.CASCADE, related_name="readings")
    person = models.ForeignKey("members.Person", verbose_name="会员", on_delete=models.CASCADE, related_name="+")
    org = models.ForeignKey("orgs.Org", verbose_name="所在工会", null=True, blank=True, on_delete=models.SET_NULL,
                            related_name="+")  # fmt: skip
    org_path = models.CharField("所在工会路径", max_length=255, blank=True)
    read_at = models.DateTimeField("首次阅读时间")
    confirmed_at = models.DateTimeField("确认阅读时间", null=True, blank=True)

    class Meta:
        verbose_name = "阅读记录"
        verbose_name_plural = "阅读记录"
        constraints = [models.UniqueConstraint(fields=["article", "person"], name="news_read_once")]
        indexes = [
            models.Index(fields=["article", "org_path"], condition=Q(confirmed_at__isnull=False),
                         name="news_receipt_path_idx"),
        ]  # fmt: skip

    def __str__(self) -> str:
        return f"{self.article_id} {self.person_id}"


class ModerationSetting(models.Model):
    """评论审核设置 — whether comments on a union's articles wait for a cadre (先审后发); a union without its own
    setting follows the nearest union above it that has one, and by default comments appear at once unless
    they carry a sensitive word."""

    org = models.OneToOneField("orgs.Org", verbose_name="工会", on_delete=models.CASCADE, related_name="+")
    premoderate = models.BooleanField("评论先审后发", default=False)

    scope_paths = ("org__path",)
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "评论审核设置"
        verbose_name_plural = "评论审核设置"

    def __str__(self) -> str:
        return f"{self.org_id} {self.premoderate}"


class SensitiveWord(models.Model):
    """敏感词 — kept by the system administrator; a comment carrying one waits for a cadre whatever the union's
    setting."""

    word = models.CharField("敏感词", max_length=30, unique=True)
    created_at = models.DateTimeField("添加时间", auto_now_add=True)

    class Meta:
        verbose_name = "敏感词"
        verbose_name_plural = "敏感词"
        ordering = ["word"]

    def __str__(self) -> str:
        return self.word


class Comment(models.Model):
    """评论 — a member's comment on an article that reaches them; ID and mobile numbers in it are masked before
    it is stored. Shown once approved (at once when the union does not pre-moderate and no sensitive word is in
    it); the author sees their own pending comment."""

    class Status(models.TextChoices):
        PENDING = "pending", "待审核"
        APPROVED = "approved", "已通过"
        REJECTED = "rejected", "未通过"

    article = models.ForeignKey(Article, verbose_name="资讯通知", on_delete=models.CASCADE, related_name="comments")
    person = models.ForeignKey("members.Person", verbose_name="评论人", on_delete=models.CASCADE, related_name="+")
    text = models.CharField("评论内容（已脱敏）", max_length=500)
    status = models.CharField("状态", max_length=16, choices=Status.choices)
    flagged = models.CharField("命中的敏感词", max_length=200, blank=True)
    created_at = models.DateTimeField("评论时间", auto_now_add=True)
    moderated_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="审核人", null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")  # fmt: skip
    moderated_at = models.DateTimeField("审核时间", null=True, blank=True)

    scope_paths = ("article__org__path",)
    scope_related = ("article__org",)
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "评论"
        verbose_name_plural = "评论"
        indexes = [models.Index(fields=["article", "status", "created_at"], name="news_comment_idx")]

    def __str__(self) -> str:
        return f"{self.article_id} {self.person_id} {self.status}"


class Like(models.Model):
    """点赞 — once per member and article."""

    article = models.ForeignKey(Article, verbose_name="资讯通知", on_delete=models.CASCADE, related_name="likes")
    person = models.ForeignKey("members.Person", verbose_name="点赞人", on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField("点赞时间", auto_now_add=True)

    class Meta:
        verbose_name = "点赞"
        verbose_name_plural = "点赞"
        constraints = [models.UniqueConstraint(fields=["article", "person"], name="news_like_once")]

    def __str__(self) -> str:
        return f"{self.article_id} {self.person_id}"


# ----- 知识竞赛 (docs/decisions/0029-news-and-notices.md, "Knowledge contests") -------------------------------------


class QuestionKind(models.TextChoices):
    SINGLE = "single", "单选题"
    MULTIPLE = "multiple", "多选题"
    JUDGE = "judge", "判断题"


class Difficulty(models.TextChoices):
    EASY = "easy", "容易"
    MEDIUM = "medium", "中等"
    HARD = "hard", "困难"


class Question(models.Model):
    """题库中的一道题 — a union's bank. ``options`` the texts of A, B, C... (判断题: 正确, 错误); ``answer`` the
    correct letters, sorted ("A", "AC"). The answer never leaves the server before an attempt is submitted."""

    org = models.ForeignKey("orgs.Org", verbose_name="所属工会", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField("题型", max_length=16, choices=QuestionKind.choices)
    category = models.CharField("分类", max_length=30, blank=True)
    difficulty = models.CharField("难度", max_length=16, choices=Difficulty.choices, default=Difficulty.MEDIUM)
    text = models.CharField("题目", max_length=300)
    options = models.JSONField("选项", default=list)
    answer = models.CharField("正确答案", max_length=8)
    created_at = models.DateTimeField("录入时间", auto_now_add=True)

    scope_paths = ("org__path",)
    scope_related = ("org",)
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "竞赛题目"
        verbose_name_plural = "竞赛题目"
        indexes = [models.Index(fields=["org", "category", "difficulty"], name="news_question_bank_idx")]

    def __str__(self) -> str:
        return self.text[:30]


class Contest(models.Model):
    """知识竞赛 — open to its audience (as an article's: the union's subtree or chosen unions below it, limited
    to employment forms or not) from ``starts_at`` to ``ends_at``; each attempt draws ``question_count``
    questions of the union's bank (of one category and difficulty if set), to be answered in
    ``time_limit_minutes``; a member may make ``attempts_allowed`` attempts, the best one counts."""

    org = models.ForeignKey("orgs.Org", verbose_name="主办工会", on_delete=models.PROTECT, related_name="+")
    title = models.CharField("竞赛名称", max_length=120)
    description = models.TextField("竞赛说明", blank=True)
    audience = models.CharField("参赛范围", max_length=16, choices=Audience.choices, default=Audience.SUBTREE)
    forms = models.CharField("限定就业形态", max_length=400, blank=True)
    starts_at = models.DateTimeField("开始时间")
    ends_at = models.DateTimeField("结束时间")
    question_count = models.PositiveSmallIntegerField("每次抽题数")
    category = models.CharField("限定分类", max_length=30, blank=True)
    difficulty = models.CharField("限定难度", max_length=16, choices=Difficulty.choices, blank=True)
    time_limit_minutes = models.PositiveSmallIntegerField("答题时限（分钟）")
    attempts_allowed = models.PositiveSmallIntegerField("可答题次数", default=1)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="创建人", null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")  # fmt: skip
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    scope_paths = ("org__path",)
    scope_related = ("org",)
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "知识竞赛"
        verbose_name_plural = "知识竞赛"
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="news_contest_window"),
            models.CheckConstraint(condition=Q(question_count__gte=1, time_limit_minutes__gte=1,
                                                attempts_allowed__gte=1), name="news_contest_positive"),
        ]  # fmt: skip

    def __str__(self) -> str:
        return self.title

    @property
    def form_list(self) -> list[str]:
        return [f for f in self.forms.split(",") if f]

    def is_open(self, now=None) -> bool:
        from django.utils import timezone

        now = now or timezone.now()
        return self.starts_at <= now < self.ends_at


class ContestTarget(models.Model):
    """选定的下属工会 of a contest (the path copied, as an article's)."""

    contest = models.ForeignKey(Contest, verbose_name="知识竞赛", on_delete=models.CASCADE, related_name="targets")
    org = models.ForeignKey("orgs.Org", verbose_name="下属工会", on_delete=models.PROTECT, related_name="+")
    path = models.CharField("路径", max_length=255)

    class Meta:
        verbose_name = "参赛范围工会"
        verbose_name_plural = "参赛范围工会"
        constraints = [models.UniqueConstraint(fields=["contest", "org"], name="news_contest_target_once")]

    def __str__(self) -> str:
        return f"{self.contest_id} → {self.org_id}"


class Attempt(models.Model):
    """一次答题 — its questions fixed when it starts (``AttemptQuestion``), to be submitted by ``deadline`` (the
    time limit, or the contest's end if sooner; checked on the server). ``number`` is the member's 1st, 2nd...
    attempt (unique: two taps on 开始答题 make one). ``seconds``: time taken, the tie-break of the leaderboard.
    ``org_path``: the member's union when they started, for the leaderboard at each level."""

    contest = models.ForeignKey(Contest, verbose_name="知识竞赛", on_delete=models.CASCADE, related_name="attempts")
    person = models.ForeignKey("members.Person", verbose_name="参赛会员", on_delete=models.CASCADE, related_name="+")
    number = models.PositiveSmallIntegerField("第几次")
    org = models.ForeignKey("orgs.Org", verbose_name="所在工会", null=True, blank=True, on_delete=models.SET_NULL,
                            related_name="+")  # fmt: skip
    org_path = models.CharField("所在工会路径", max_length=255)
    started_at = models.DateTimeField("开始时间")
    deadline = models.DateTimeField("交卷截止时间")
    submitted_at = models.DateTimeField("交卷时间", null=True, blank=True)
    correct = models.PositiveSmallIntegerField("答对题数", default=0)
    total = models.PositiveSmallIntegerField("题数", default=0)
    score = models.PositiveSmallIntegerField("得分", default=0)
    seconds = models.PositiveIntegerField("用时（秒）", null=True, blank=True)

    scope_paths = ("contest__org__path",)
    scope_related = ("contest__org",)
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "答题记录"
        verbose_name_plural = "答题记录"
        constraints = [models.UniqueConstraint(fields=["contest", "person", "number"], name="news_attempt_once")]
        indexes = [models.Index(fields=["contest", "org_path"], condition=Q(submitted_at__isnull=False),
                                name="news_attempt_board_idx")]  # fmt: skip

    def __str__(self) -> str:
        return f"{self.contest_id} {self.person_id} #{self.number}"


class AttemptQuestion(models.Model):
    """One question of an attempt, in its order; ``chosen`` the member's letters, ``right`` set on submission."""

    attempt = models.ForeignKey(Attempt, verbose_name="答题记录", on_delete=models.CASCADE, related_name="items")
    question = models.ForeignKey(Question, verbose_name="题目", on_delete=models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField("题号")
    chosen = models.CharField("所选答案", max_length=8, blank=True)
    right = models.BooleanField("答对", null=True)

    class Meta:
        verbose_name = "答题题目"
        verbose_name_plural = "答题题目"
        ordering = ["position"]
        constraints = [models.UniqueConstraint(fields=["attempt", "position"], name="news_attempt_position_once")]

    def __str__(self) -> str:
        return f"{self.attempt_id} {self.position}"


# ----- 宣讲与班组学习 (docs/decisions/0034-news-search-images-talks.md) ------------------------------------------


class TalkKind(models.TextChoices):
    TALK = "talk", "宣讲/送教到基层"
    STUDY = "study", "班组学习"


class Talk(models.Model):
    """宣讲 or 班组学习 — a union's session for the members of its subtree: a topic, a time and place, a speaker
    (a model worker of the workforce registry, picked by search, or anyone named in ``speaker_name``), the
    materials (``TalkMaterial``, encrypted files) and who attended (``TalkAttendance``; ``attendance`` counts
    them, kept under the row lock)."""

    org = models.ForeignKey("orgs.Org", verbose_name="主办工会", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField("类型", max_length=16, choices=TalkKind.choices, default=TalkKind.TALK)
    topic = models.CharField("主题", max_length=120)
    summary = models.TextField("内容简介", blank=True)
    place = models.CharField("地点", max_length=120)
    starts_at = models.DateTimeField("开始时间")
    minutes = models.PositiveSmallIntegerField("时长（分钟）", default=60)
    speaker = models.ForeignKey("workforce.ModelWorker", verbose_name="主讲劳模", null=True, blank=True,
                                on_delete=models.PROTECT, related_name="+")  # fmt: skip
    speaker_name = models.CharField("主讲人", max_length=60)
    attendance = models.PositiveIntegerField("参加人数", default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="登记人", null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")  # fmt: skip
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    scope_paths = ("org__path",)
    scope_related = ("org",)
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "宣讲与班组学习"
        verbose_name_plural = "宣讲与班组学习"
        indexes = [models.Index(fields=["org", "starts_at"], name="news_talk_org_idx")]
        constraints = [models.CheckConstraint(condition=Q(minutes__gte=1), name="news_talk_minutes")]

    def __str__(self) -> str:
        return self.topic


class TalkAttendance(models.Model):
    """签到 — a member of the talk's subtree attended (signed in on the day, or recorded by a cadre)."""

    talk = models.ForeignKey(Talk, verbose_name="宣讲", on_delete=models.CASCADE, related_name="attendees")
    person = models.ForeignKey("members.Person", verbose_name="参加人", on_delete=models.CASCADE, related_name="+")
    org_path = models.CharField("所在工会路径", max_length=255)
    recorded_at = models.DateTimeField("签到时间")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="登记人", null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")  # fmt: skip

    scope_paths = ("talk__org__path",)
    scope_related = ("talk__org", "person")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "宣讲签到"
        verbose_name_plural = "宣讲签到"
        constraints = [models.UniqueConstraint(fields=["talk", "person"], name="news_talk_attend_once")]

    def __str__(self) -> str:
        return f"{self.talk_id} {self.person_id}"


class TalkMaterial(models.Model):
    """宣讲材料 — a PDF, image or workbook, checked by content and stored encrypted (core/files.py)."""

    talk = models.ForeignKey(Talk, verbose_name="宣讲", on_delete=models.CASCADE, related_name="materials")
    file_name = models.CharField("文件名", max_length=200)
    file_path = PrivateFileField("文件", max_length=200)
    file_kind = models.CharField("格式", max_length=8)
    size = models.PositiveIntegerField("大小（字节）")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="上传人", null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")  # fmt: skip
    created_at = models.DateTimeField("上传时间", auto_now_add=True)

    scope_paths = ("talk__org__path",)
    scope_related = ("talk__org",)
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "宣讲材料"
        verbose_name_plural = "宣讲材料"

    def __str__(self) -> str:
        return self.file_name
