"""/api/v1/news: the member's feed, reading an article and confirming a read receipt; the cadres' articles and
the receipt counts per union."""

import datetime as dt

from ninja import Field, Router, Schema
from ninja.pagination import paginate

from gonghui.core.api import ERRORS
from gonghui.core.pagination import Pagination
from gonghui.news import selectors, services
from gonghui.orgs import access

router = Router(tags=["资讯通知"])


class FeedItemOut(Schema):
    id: int
    kind: str = Field(description="article 资讯、notice 通知公告")
    category: str
    title: str
    org_name: str
    published_at: dt.datetime
    pinned: bool
    receipt_required: bool
    unread: bool = Field(description="本人尚未打开")
    confirmed: bool = Field(description="本人已确认阅读（需要回执的通知）")

    @staticmethod
    def resolve_org_name(a):
        return a.org.name

    @staticmethod
    def resolve_unread(a):
        return not a.seen


class ArticleOut(FeedItemOut):
    body: str = Field(description="已净化的 HTML 正文")


class ReadReceiptOut(Schema):
    article_id: int
    read_at: dt.datetime
    confirmed_at: dt.datetime | None


class CadreArticleOut(Schema):
    id: int
    kind: str
    category: str
    title: str
    org_name: str
    audience: str = Field(description="subtree 本级及下属、chosen 选定的下属工会、public 公开")
    status: str = Field(description="draft 草稿、reviewing 待审核、published 已发布、withdrawn 已撤回")
    published_at: dt.datetime | None
    audience_size: int = Field(description="发布时覆盖的会员数")
    receipt_count: int = Field(description="已确认阅读人数")

    @staticmethod
    def resolve_org_name(a):
        return a.org.name


class BreakdownOut(Schema):
    org_id: int
    org_name: str
    own: bool = Field(description="为真时是该工会本级会员，否则为该下属工会及其下属")
    reached: int
    read: int


@router.get("/feed", response={200: list[FeedItemOut], **ERRORS}, summary="我的资讯通知")
@paginate(Pagination)
def feed(request):
    """本人所在工会及各级上级工会发布、发布范围包括本人的资讯和通知，置顶在前，新的在前。"""
    return selectors.feed_for(request.auth)


@router.get("/feed/{int:article_id}", response={200: ArticleOut, **ERRORS}, summary="阅读")
def read(request, article_id: int):
    """打开一条资讯（记为已读）。"""
    article = selectors.feed_article(request.auth, article_id)
    services.reading_mark(user=request.auth, article=article)
    return selectors.feed_article(request.auth, article_id)


@router.post("/feed/{int:article_id}/receipt", response={200: ReadReceiptOut, **ERRORS}, summary="我已阅读")
def receipt(request, article_id: int):
    """确认阅读需要回执的通知；重复确认不改变首次确认时间。"""
    article = selectors.feed_article(request.auth, article_id)
    return services.receipt_confirm(actor=request.auth, article=article)


@router.get("/articles", response={200: list[CadreArticleOut], **ERRORS}, summary="资讯通知")
@paginate(Pagination)
def articles(request, status: str = "", kind: str = "", q: str = ""):
    """授权范围内各工会的资讯和通知。"""
    access.require_cadre(request.auth)
    return selectors.articles_visible_to(request.auth, status=status, kind=kind, q=q)


@router.get("/articles/{int:article_id}/receipts", response={200: list[BreakdownOut], **ERRORS},
            summary="阅读回执统计")  # fmt: skip
def receipts(request, article_id: int, org_id: int | None = None):
    """某工会（默认发布工会）本级及各下属工会的覆盖人数和确认阅读人数。"""
    article = selectors.article_for_read(request.auth, article_id)
    node = selectors.receipt_node(request.auth, article, org_id)
    return [{"org_id": r["org"].pk, "org_name": r["org"].name, "own": r["own"], "reached": r["reached"],
             "read": r["read"]} for r in selectors.receipt_breakdown(article, node)]  # fmt: skip
