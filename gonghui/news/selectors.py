"""Reads of news: a cadre's articles in scope; the audience of an article as a filter on memberships (path
prefixes, one query); a member's feed (articles of their union and every union above it that reach them);
read-receipt counts per union below a node; the overview figures."""

import datetime as dt
from decimal import Decimal

from django.core.paginator import Paginator
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum
from django.http import Http404
from django.utils import timezone

from gonghui.core import groups
from gonghui.members.models import Membership
from gonghui.news import search
from gonghui.news.models import Article, ArticleTarget, Audience, Reading, Status
from gonghui.orgs import access
from gonghui.orgs.models import Org

# ----- the cadre's side ------------------------------------------------------------------------------------------


def articles_visible_to(user, *, status: str = "", kind: str = "", category: str = "", q: str = "") -> QuerySet:
    rows = Article.objects.in_scope(user).select_related("org", "author", "reviewer")
    if status:
        rows = rows.filter(status=status)
    if kind:
        rows = rows.filter(kind=kind)
    if category:
        rows = rows.filter(category=category)
    if q.strip():  # ranked by the words of the query they hold (gonghui/news/search.py)
        return search.matching(rows, q).order_by("-rank", "-pinned", "-created_at", "-id")
    return rows.order_by("-pinned", "-created_at", "-id")


def article_for_read(user, pk: int) -> Article:
    return Article.objects.get_for_read(user, pk)


def article_for_write(user, pk: int) -> Article:
    return Article.objects.get_for_write(user, pk)


def audience_q(article: Article, prefix: str = "") -> Q:
    """The active memberships an article reaches, as a filter on ``Membership`` (``prefix`` for a relation):
    a union path prefix (the publisher's subtree, or the chosen unions'), and the employment forms and the groups
    of people (core.groups: anyone in one of them) if limited."""
    p = prefix
    if article.audience == Audience.CHOSEN:
        paths = [t.path for t in article.targets.all()]
        where = Q(pk__in=[])
        for path in paths:
            where |= Q(**{f"{p}org__path__startswith": path})
    else:
        where = Q(**{f"{p}org__path__startswith": article.org.path})
    where &= Q(**{f"{p}status": Membership.Status.ACTIVE})
    if article.form_list:
        where &= Q(**{f"{p}person__employment_form__in": article.form_list})
    if article.group_list:
        where &= groups.in_any(article.group_list, field=f"{p}person_id")
    return where


def audience_count(article: Article) -> int:
    return Membership.objects.filter(audience_q(article)).count()


# ----- the member's side -----------------------------------------------------------------------------------------


def membership_of(user) -> Membership | None:
    person = getattr(user, "person_id", None)
    if not person:
        return None
    return (Membership.objects.filter(person_id=person, status=Membership.Status.ACTIVE)
            .select_related("org", "person").first())  # fmt: skip


def _live(rows: QuerySet, now: dt.datetime) -> QuerySet:
    """Published and due (a scheduled article appears from its time on: checked here, on every read)."""
    return rows.filter(status=Status.PUBLISHED, published_at__lte=now)


def reaching(membership: Membership, now: dt.datetime | None = None) -> QuerySet:
    """The articles that reach a member: published by their union or a union above it, to the whole subtree
    or the public, or to a chosen union on their path; and to their employment form, and to a group of people
    they are in, if it is limited to some."""
    now = now or timezone.now()
    org, form = membership.org, membership.person.employment_form
    chain = [*org.ancestor_paths(), org.path]
    chosen = Exists(ArticleTarget.objects.filter(article=OuterRef("pk"), path__in=chain))
    reach = Q(audience__in=(Audience.SUBTREE, Audience.PUBLIC)) | (Q(audience=Audience.CHOSEN) & chosen)
    forms = Q(forms="") | Q(forms__contains=f",{form},")
    mine = Q(groups="")
    for group in groups.of_person(membership.person_id):
        mine |= Q(groups__contains=f",{group},")
    return _live(Article.objects.filter(org__path__in=chain), now).filter(reach & forms & mine)


def feed_for(user, q: str = "") -> QuerySet:
    """我的资讯: what reaches the signed-in member, pinned first, then newest; ``unread`` and ``confirmed``
    marked. Empty for someone who is not a member. With a query ``q``: only what holds a word of it, the best
    match first (gonghui/news/search.py)."""
    membership = membership_of(user)
    if membership is None:
        return Article.objects.none()
    mine = Reading.objects.filter(article=OuterRef("pk"), person_id=membership.person_id)
    rows = (reaching(membership).select_related("org")
            .annotate(seen=Exists(mine), confirmed=Exists(mine.filter(confirmed_at__isnull=False))))  # fmt: skip
    if q.strip():
        return search.matching(rows, q).order_by("-rank", "-pinned", "-published_at", "-id")
    return rows.order_by("-pinned", "-published_at", "-id")


def feed_article(user, pk: int) -> Article:
    """One article of the member's feed (404 for anything that does not reach them)."""
    article = feed_for(user).filter(pk=pk).first()
    if article is None:
        raise Http404("资讯不存在或不在您的接收范围内")
    return article


def public_articles() -> QuerySet:
    return (
        _live(Article.objects.filter(audience=Audience.PUBLIC), timezone.now())
        .select_related("org")
        .order_by("-pinned", "-published_at", "-id")
    )


def public_article(pk: int) -> Article:
    article = public_articles().filter(pk=pk).first()
    if article is None:
        raise Http404("资讯不存在")
    return article


def image_for_view(user, pk: int):
    """An article image and whether it is public: anyone sees the images of a published public article; a
    member those of the articles in their feed; a cadre those of the articles in their scope (drafts too).
    404 for anyone else, as for the article itself."""
    from gonghui.news.models import ArticleImage

    image = ArticleImage.objects.select_related("article").filter(pk=pk).first()
    if image is None:
        raise Http404("图片不存在")
    if public_articles().filter(pk=image.article_id).exists():
        return image, True
    if (
        user is not None
        and user.is_authenticated
        and (
            Article.objects.in_scope(user).filter(pk=image.article_id).exists()
            or feed_for(user).filter(pk=image.article_id).exists()
        )
    ):
        return image, False
    raise Http404("图片不存在")


# ----- read receipts ---------------------------------------------------------------------------------------------


def receipt_node(user, article: Article, org_id: int | None) -> Org:
    """The union whose children the publisher's count is broken down by: the article's union by default, or a
    union below it in the user's scope (404 elsewhere)."""
    if org_id is None:
        return article.org
    org = Org.objects.filter(pk=org_id, path__startswith=article.org.path).filter(access.scope_q(user)).first()
    if org is None:
        raise Http404("组织不存在")
    return org


def receipt_breakdown(article: Article, node: Org) -> list[dict]:
    """Per child union of ``node`` (and ``node``'s own members as a first row): members reached and members
    who confirmed. Two queries whatever the size of the tree: conditional counts on path prefixes."""
    children = list(Org.objects.filter(parent=node).order_by("path"))
    members = Membership.objects.filter(audience_q(article))
    reads = Reading.objects.filter(article=article, confirmed_at__isnull=False)
    reach = members.aggregate(
        own=Count("pk", filter=Q(org_id=node.pk)),
        **{f"c{c.pk}": Count("pk", filter=Q(org__path__startswith=c.path)) for c in children},
    )
    read = reads.aggregate(
        own=Count("pk", filter=Q(org_path=node.path)),
        **{f"c{c.pk}": Count("pk", filter=Q(org_path__startswith=c.path)) for c in children},
    )
    rows = [{"org": node, "own": True, "reached": reach["own"], "read": read["own"]}]
    rows += [{"org": c, "own": False, "reached": reach[f"c{c.pk}"], "read": read[f"c{c.pk}"]} for c in children]
    for row in rows:
        row["rate"] = f"{row['read'] * 100 / row['reached']:.1f}%" if row["reached"] else "—"
    return [r for r in rows if r["reached"] or r["read"] or not r["own"]]


def readers_at(article: Article, node: Org, page: int = 1):
    """The members of ``node`` itself who confirmed (names only), a page of them."""
    rows = (Reading.objects.filter(article=article, confirmed_at__isnull=False, org_path=node.path)
            .select_related("person").order_by("confirmed_at", "pk"))  # fmt: skip
    return Paginator(rows, 50).get_page(page)


# ----- overview figures ------------------------------------------------------------------------------------------


def _this_year(rows: QuerySet) -> QuerySet:
    now = timezone.now()
    start = timezone.localtime(now).replace(month=1, day=1, hour=0, minute=0, second=0, microsecond=0)
    return rows.filter(status=Status.PUBLISHED, published_at__gte=start, published_at__lte=now)


def published_this_year(user) -> int:
    """本年发布资讯通知: published (and due) this year by the unions in the user's scope."""
    return _this_year(Article.objects.in_scope(user)).count()


def published_this_year_under(org: Org) -> int:
    return _this_year(Article.objects.filter(org__path__startswith=org.path)).count()


def published_this_year_by_org() -> dict[int, int]:
    """Each union's own share (the governance rollups sum them up the tree; the read rate does not add up)."""
    rows = _this_year(Article.objects.all()).values("org").annotate(n=Count("id"))
    return dict(rows.values_list("org", "n"))


def _rate(rows: QuerySet) -> Decimal:
    totals = _this_year(rows).filter(receipt_required=True).aggregate(n=Sum("receipt_count"), d=Sum("audience_size"))
    if not totals["d"]:
        return Decimal(0)
    return (Decimal(totals["n"] or 0) * 100 / totals["d"]).quantize(Decimal("0.1"))


def read_rate(user) -> Decimal:
    """通知阅读率 (%): confirmed receipts over the members reached, of this year's notices that ask for one."""
    return _rate(Article.objects.in_scope(user))


def read_rate_under(org: Org) -> Decimal:
    return _rate(Article.objects.filter(org__path__startswith=org.path))


# ----- comments and likes ----------------------------------------------------------------------------------------


def comments_shown(article: Article, person_id: int | None) -> list:
    """The approved comments, oldest first, and the reader's own that wait or were not approved."""
    from gonghui.news.models import Comment

    own = Q(person_id=person_id) if person_id else Q(pk__in=[])
    return list(Comment.objects.filter(Q(article=article) & (Q(status=Comment.Status.APPROVED) | own))
                .select_related("person").order_by("created_at", "pk"))  # fmt: skip


def likes_of(article: Article, person_id: int | None) -> tuple[int, bool]:
    from gonghui.news.models import Like

    rows = Like.objects.filter(article=article)
    return rows.count(), bool(person_id) and rows.filter(person_id=person_id).exists()


def pending_comments(user) -> QuerySet:
    """评论审核: comments waiting on articles of the unions in scope, oldest first."""
    from gonghui.news.models import Comment

    return (Comment.objects.in_scope(user).filter(status=Comment.Status.PENDING)
            .select_related("article__org", "person").order_by("created_at", "pk"))  # fmt: skip


def comment_for_write(user, pk: int):
    from gonghui.news.models import Comment

    return Comment.objects.get_for_write(user, pk)
