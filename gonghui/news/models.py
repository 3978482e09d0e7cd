"""资讯与通知: articles and notices a union publishes to an audience (its subtree, chosen unions below it,
members of some employment forms, or the public), reviewed on the case workflow before they appear; and who
has opened each and confirmed a notice that asks for a read receipt."""

from django.conf import settings
from django.db import models
from django.db.models import Q

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
    def scheduled(self) -> bool:
        from django.utils import timezone

        due = self.published_at
        return self.status == Status.PUBLISHED and due is not None and due > timezone.now()


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
