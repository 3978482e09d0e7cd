"""Writes of news: draft, edit, submit, review (approve and publish, or return), withdraw and pin an article;
a member's reading and read receipt (docs/decisions/0029-news-and-notices.md). The review runs on the case
workflow (gonghui/news/cases.py); the reviewer may not be the author."""

import datetime as dt
import html

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from gonghui.cases.services import case_open, case_transition
from gonghui.core.audit import acting_user, atomic_audited, audit_record
from gonghui.core.errors import ConflictError, field_error
from gonghui.core.groups import unknown as unknown_groups
from gonghui.core.masking import mask_text
from gonghui.members.models import EmploymentForm
from gonghui.news import cases, policy, sanitize, search, selectors
from gonghui.news.models import (
    Article,
    ArticleImage,
    ArticleTarget,
    Audience,
    Category,
    Comment,
    Kind,
    Like,
    ModerationSetting,
    Reading,
    SensitiveWord,
    Status,
)
from gonghui.orgs import access
from gonghui.orgs.models import Org


def _checked(*, org: Org, kind: str, category: str, title: str, body: str, audience: str, targets: list[Org],
             forms: list[str], groups: list[str], receipt_required: bool,
             publish_at: dt.datetime | None) -> dict:  # fmt: skip
    """The fields of an article, checked; every problem is reported at once."""
    errors: dict[str, str] = {}
    title = (title or "").strip()
    clean = sanitize.clean(body)
    if not title:
        errors["title"] = "请填写标题。"
    elif len(title) > 120:
        errors["title"] = "标题不能超过 120 个字。"
    if not sanitize.plain(clean):
        errors["body"] = "请填写正文。"
    if kind not in Kind.values:
        errors["kind"] = "类型选项无效。"
    if category not in Category.values:
        errors["category"] = "栏目选项无效。"
    if audience not in Audience.values:
        errors["audience"] = "发布范围选项无效。"
    forms = sorted(set(forms or []))
    if any(f not in EmploymentForm.values for f in forms):
        errors["forms"] = "就业形态选项无效。"
    targets = list(dict.fromkeys(targets or []))
    if audience == Audience.CHOSEN:
        if not targets:
            errors["targets"] = "请选择接收的下属工会。"
        elif any(not t.path.startswith(org.path) or t.pk == org.pk for t in targets):
            errors["targets"] = "只能选择发布工会的下属工会。"
    elif targets:
        errors["targets"] = "只有“选定的下属工会会员”范围才能选择下属工会。"
    if audience == Audience.PUBLIC and forms:
        errors["forms"] = "公开发布的资讯不能限定就业形态。"
    groups = sorted(set(groups or []))
    if unknown_groups(groups):
        errors["groups"] = "限定人群选项无效。"
    elif audience == Audience.PUBLIC and groups:
        errors["groups"] = "公开发布的资讯不能限定人群。"
    if receipt_required and kind != Kind.NOTICE:
        errors["receipt_required"] = "只有通知公告可以要求阅读回执。"
    if publish_at is not None and publish_at <= timezone.now():
        errors["publish_at"] = "定时发布时间须晚于现在（立即发布请留空）。"
    if errors:
        from django.core.exceptions import ValidationError

        raise ValidationError({k: ValidationError(v) for k, v in errors.items()})
    fields = {"kind": kind, "category": category, "title": title, "body": clean, "audience": audience,
              "forms": "," + ",".join(forms) + "," if forms else "",
              "groups": "," + ",".join(groups) + "," if groups else "", "receipt_required": receipt_required,
              "publish_at": publish_at}  # fmt: skip
    fields |= search.index_fields(title, sanitize.plain(clean))
    return fields | {"targets": targets}


def _set_targets(article: Article, targets: list[Org]) -> None:
    ArticleTarget.objects.filter(article=article).delete()
    ArticleTarget.objects.bulk_create([ArticleTarget(article=article, org=t, path=t.path) for t in targets])


@atomic_audited
def article_create(*, actor, org: Org, title: str, body: str, kind: str = Kind.ARTICLE,
                   category: str = Category.NEWS, audience: str = Audience.SUBTREE, targets: list[Org] | None = None,
                   forms: list[str] | None = None, groups: list[str] | None = None, receipt_required: bool = False,
                   publish_at: dt.datetime | None = None) -> Article:  # fmt: skip
    """撰写 a draft of ``org`` (a write role on it); it opens the review case."""
    access.require_write(actor, org)
    fields = _checked(org=org, kind=kind, category=category, title=title, body=body, audience=audience,
                      targets=targets or [], forms=forms or [], groups=groups or [],
                      receipt_required=receipt_required,
                      publish_at=publish_at)  # fmt: skip
    targets = fields.pop("targets")
    case = case_open(actor=actor, kind=cases.ARTICLE, org=org, subject=cases.SUBJECT)
    article = Article.objects.create(org=org, case=case, author=acting_user(actor), **fields)
    _set_targets(article, targets)
    audit_record(actor=actor, action="news.article_create", obj=article, org=org, detail={"kind": kind})
    return article


def _locked(article: Article, version: int) -> Article:
    fresh = Article.objects.select_for_update().select_related("org", "case").get(pk=article.pk)
    if fresh.version != version:
        raise ConflictError("该资讯已被他人修改，请刷新后重新编辑。")
    return fresh


@atomic_audited
def article_update(*, actor, article: Article, version: int, title: str, body: str, kind: str, category: str,
                   audience: str, targets: list[Org] | None = None, forms: list[str] | None = None,
                   groups: list[str] | None = None, receipt_required: bool = False,
                   publish_at: dt.datetime | None = None) -> Article:  # fmt: skip
    """修改 a draft (a returned one too); once submitted it is changed only by returning it."""
    access.require_write(actor, article.org)
    article = _locked(article, version)
    if article.status != Status.DRAFT:
        raise field_error("status", "只有草稿可以修改；待审核的请先退回，已发布的请撤回后重新撰写。")
    fields = _checked(org=article.org, kind=kind, category=category, title=title, body=body, audience=audience,
                      targets=targets or [], forms=forms or [], groups=groups or [],
                      receipt_required=receipt_required,
                      publish_at=publish_at)  # fmt: skip
    _set_targets(article, fields.pop("targets"))
    for name, value in fields.items():
        setattr(article, name, value)
    article.version += 1
    article.save()
    audit_record(actor=actor, action="news.article_update", obj=article, org=article.org)
    return article


@atomic_audited
def article_step(*, actor, article: Article, to: str, version: int, note: str = "") -> Article:
    """办理 the review case: 提交审核 (draft → reviewing), 审核通过并发布 or 退回修改 (by someone other than the
    author), 撤回 (published → withdrawn). Publishing fixes the audience size and the time it appears."""
    access.require_write(actor, article.org)
    article = _locked(article, version)
    now = timezone.now()
    if article.status == Status.REVIEWING and actor is not None and acting_user(actor) == article.author:
        raise field_error("to", "审核人不能是撰稿人本人，请由本工会其他工作人员或上级工会审核。")
    if to == Status.REVIEWING and article.publish_at is not None and article.publish_at <= now:
        raise field_error("publish_at", "定时发布时间已过，请修改后再提交审核。")
    case_transition(actor=actor, case=article.case, to=to, note=note, version=article.case.version)
    article.refresh_from_db()
    if to == Status.PUBLISHED:
        article.reviewer, article.reviewed_at = acting_user(actor), now
        article.published_at = max(now, article.publish_at) if article.publish_at else now
        article.audience_size = selectors.audience_count(article)
    elif to == Status.WITHDRAWN:
        article.withdrawn_at, article.pinned = now, False
    elif to == Status.DRAFT:
        article.reviewer, article.reviewed_at = acting_user(actor), now
    article.version += 1
    article.save()
    audit_record(actor=actor, action="news.article_step", obj=article, org=article.org, detail={"to": to})
    return article


@atomic_audited
def article_pin(*, actor, article: Article, pinned: bool, version: int) -> Article:
    """置顶 or 取消置顶 a published article."""
    access.require_write(actor, article.org)
    article = _locked(article, version)
    if pinned and article.status != Status.PUBLISHED:
        raise field_error("pinned", "只有已发布的资讯可以置顶。")
    article.pinned, article.version = pinned, article.version + 1
    article.save(update_fields=["pinned", "version"])
    audit_record(actor=actor, action="news.article_pin", obj=article, org=article.org, detail={"pinned": pinned})
    return article


# ----- images ----------------------------------------------------------------------------------------------------

IMAGE_KINDS = {"jpg": ("JPEG", "image/jpeg"), "png": ("PNG", "image/png")}


def _reencoded(file, kind: str) -> tuple[bytes, int, int]:
    """The image decoded by Pillow (it must really be the JPEG or PNG its first bytes say) and written again
    without its metadata (EXIF with a phone photo's location, text chunks), turned upright first."""
    import io

    from PIL import Image, ImageOps, UnidentifiedImageError

    broken = "图片文件已损坏或无法识别，请重新导出为 JPG 或 PNG 后上传。"
    try:
        with Image.open(file) as image:
            if image.format != IMAGE_KINDS[kind][0]:
                raise field_error("image", broken)
            width, height = image.size
            if width * height > policy.IMAGE_MAX_PIXELS:
                raise field_error("image", "图片尺寸过大（超过 4000 万像素），请缩小后上传。")
            image.load()
            upright = ImageOps.exif_transpose(image)
            out = io.BytesIO()
            if kind == "jpg":
                upright.convert("RGB").save(out, "JPEG", quality=85, optimize=True)
            else:
                upright.save(out, "PNG", optimize=True)
            return out.getvalue(), upright.width, upright.height
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError):
        raise field_error("image", broken) from None


@atomic_audited
def image_add(*, actor, article: Article, file, version: int, alt: str = "") -> ArticleImage:
    """插入图片 into a draft: a JPEG or PNG checked by its content (``core.uploads.check_document``, then decoded),
    at most ``policy.image_max_mb()`` MB, stored encrypted (core/files.py) and added at the end of the text as
    its own paragraph (the writer moves it in the text). A refused file is a 400 on ``image``; nothing is kept."""
    from django.core.exceptions import ValidationError

    from gonghui.core import files
    from gonghui.core.uploads import check_document

    access.require_write(actor, article.org)
    article = _locked(article, version)
    if article.status != Status.DRAFT:
        raise field_error("image", "只有草稿可以插入图片；待审核的请先退回，已发布的请撤回后重新撰写。")
    if file is None:
        raise field_error("image", "请选择要插入的图片。")
    alt = " ".join((alt or "").split())
    if len(alt) > 60:
        raise field_error("alt", "图片说明不能超过 60 个字。")
    try:
        checked = check_document(file)
    except ValidationError as error:
        raise field_error("image", error.messages[0]) from None
    if checked.kind not in IMAGE_KINDS:
        raise field_error("image", "只能插入 JPG 或 PNG 图片。")
    limit = policy.image_max_mb()
    if file.size > limit * 1024 * 1024:
        raise field_error("image", f"图片不能超过 {limit} MB，请压缩后上传。")
    data, width, height = _reencoded(file, checked.kind)
    relative = files.new_relative(f"news/{article.pk}", checked.kind)
    with files.create(relative) as out:
        out.write(data)
    try:
        image = ArticleImage.objects.create(article=article, file_path=relative, file_kind=checked.kind, width=width,
                                            height=height, size=len(data), uploaded_by=acting_user(actor))  # fmt: skip
        tag = f'<p><img src="/news/images/{image.pk}/" alt="{html.escape(alt or article.title)}"></p>'
        article.body = sanitize.clean(article.body + tag)
        article.version += 1
        article.save(update_fields=["body", "version"])
        audit_record(actor=actor, action="news.image_add", obj=image, org=article.org,
                     detail={"kind": checked.kind, "size": len(data)})  # fmt: skip
    except BaseException:
        files.remove(relative)  # the row was not written: no file stays behind
        raise
    return image


def reading_mark(*, user, article: Article) -> Reading:
    """The member opened an article of their feed (``selectors.feed_article``): the unread mark goes. Once per
    article; not audited (a reading is not a decision), kept under the retention rule."""
    membership = selectors.membership_of(user)
    if membership is None:
        raise field_error("article", "请先加入工会，会员才能阅读工会通知。")
    existing = Reading.objects.filter(article=article, person_id=membership.person_id).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            return Reading.objects.create(article=article, person_id=membership.person_id, read_at=timezone.now(),
                                          org=membership.org, org_path=membership.org.path)  # fmt: skip
    except IntegrityError:  # read at the same moment from a second tab
        return Reading.objects.get(article=article, person_id=membership.person_id)


@atomic_audited
def receipt_confirm(*, actor, article: Article) -> Reading:
    """我已阅读: the member confirms a notice that asks for a read receipt (once; a second time changes nothing)."""
    if not article.receipt_required:
        raise field_error("article", "这条资讯不需要阅读回执。")
    reading = reading_mark(user=actor, article=article)
    reading = Reading.objects.select_for_update().get(pk=reading.pk)
    if reading.confirmed_at is None:
        reading.confirmed_at = timezone.now()
        reading.save(update_fields=["confirmed_at"])
        Article.objects.filter(pk=article.pk).update(receipt_count=F("receipt_count") + 1)
        audit_record(actor=actor, action="news.receipt_confirm", obj=article, org=article.org)
    return reading


def readings_delete(*, cutoff: dt.datetime, batch_size: int) -> int:
    """Retention: readings of articles published before ``cutoff`` are deleted (the counts stay on the article)."""
    from gonghui.core.batches import in_batches

    def work(ids: list[int]) -> int:
        return Reading.objects.filter(pk__in=ids).delete()[0]

    return in_batches(Reading.objects.filter(article__published_at__lt=cutoff), work, batch_size)


# ----- comments and likes ----------------------------------------------------------------------------------------


def premoderated(org: Org) -> bool:
    """The union's own setting, else the nearest union above it with one; no setting anywhere: not."""
    paths = [*org.ancestor_paths(), org.path]
    row = (ModerationSetting.objects.filter(org__path__in=paths).select_related("org")
           .order_by("-org__depth").first())  # fmt: skip
    return bool(row and row.premoderate)


def sensitive_in(text: str) -> list[str]:
    words = SensitiveWord.objects.values_list("word", flat=True)
    return [w for w in words if w and w in text]


@atomic_audited
def comment_create(*, actor, article: Article, text: str) -> Comment:
    """评论 on an article of the member's feed (``selectors.feed_article``): ID and mobile numbers masked, held
    for a cadre when the union pre-moderates or a sensitive word is in it."""
    membership = selectors.membership_of(actor)
    if membership is None:
        raise field_error("text", "请先加入工会，会员才能评论。")
    text = mask_text(" ".join((text or "").split()))
    if not text:
        raise field_error("text", "请填写评论内容。")
    if len(text) > 500:
        raise field_error("text", "评论不能超过 500 个字。")
    flagged = sensitive_in(text)
    held = bool(flagged) or premoderated(article.org)
    comment = Comment.objects.create(article=article, person_id=membership.person_id, text=text,
                                     status=Comment.Status.PENDING if held else Comment.Status.APPROVED,
                                     flagged="、".join(flagged)[:200])  # fmt: skip
    audit_record(actor=actor, action="news.comment_create", obj=comment, org=article.org,
                 detail={"status": comment.status})  # fmt: skip
    return comment


@atomic_audited
def comment_moderate(*, actor, comment: Comment, approve: bool) -> Comment:
    """通过 or 不通过 a pending comment (a writer of the article's union or above)."""
    access.require_write(actor, comment.article.org)
    comment = Comment.objects.select_for_update().select_related("article__org").get(pk=comment.pk)
    if comment.status != Comment.Status.PENDING:
        raise field_error("comment", "这条评论已经审核过了。")
    comment.status = Comment.Status.APPROVED if approve else Comment.Status.REJECTED
    comment.moderated_by, comment.moderated_at = acting_user(actor), timezone.now()
    comment.save(update_fields=["status", "moderated_by", "moderated_at"])
    audit_record(actor=actor, action="news.comment_moderate", obj=comment, org=comment.article.org,
                 detail={"status": comment.status})  # fmt: skip
    return comment


@atomic_audited
def moderation_set(*, actor, org: Org, premoderate: bool) -> ModerationSetting:
    """评论先审后发 on or off for ``org`` and the unions below it that have no setting of their own."""
    access.require_write(actor, org, manage=True)
    row, _ = ModerationSetting.objects.update_or_create(org=org, defaults={"premoderate": premoderate})
    audit_record(actor=actor, action="news.moderation_set", obj=row, org=org, detail={"premoderate": premoderate})
    return row


def like_toggle(*, actor, article: Article) -> bool:
    """点赞 or 取消点赞 (the member's own; not audited, like reading). Returns whether it is now liked."""
    membership = selectors.membership_of(actor)
    if membership is None:
        raise field_error("article", "请先加入工会，会员才能点赞。")
    with transaction.atomic():
        deleted, _ = Like.objects.filter(article=article, person_id=membership.person_id).delete()
        if deleted:
            return False
        try:
            with transaction.atomic():
                Like.objects.create(article=article, person_id=membership.person_id)
        except IntegrityError:  # a second tap at the same moment
            pass
    return True


@atomic_audited
def word_add(*, actor, word: str) -> SensitiveWord:
    """添加敏感词 (the system administrator)."""
    if getattr(actor, "platform_role", "") != "system":
        raise access.deny(actor, "敏感词由系统管理员维护。")
    word = (word or "").strip()
    if not word or len(word) > 30:
        raise field_error("word", "敏感词为 1 至 30 个字。")
    if SensitiveWord.objects.filter(word=word).exists():
        raise field_error("word", "这个敏感词已经在列表中。")
    row = SensitiveWord.objects.create(word=word)
    audit_record(actor=actor, action="news.word_add", obj=row)
    return row


@atomic_audited
def word_remove(*, actor, word: SensitiveWord) -> None:
    if getattr(actor, "platform_role", "") != "system":
        raise access.deny(actor, "敏感词由系统管理员维护。")
    audit_record(actor=actor, action="news.word_remove", obj=word)
    word.delete()
