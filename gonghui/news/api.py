"""/api/v1/news: the member's feed, reading an article and confirming a read receipt; the cadres' articles and
the receipt counts per union."""

import datetime as dt

from ninja import Field, Router, Schema
from ninja.pagination import paginate

from gonghui.core.api import ERRORS
from gonghui.core.pagination import Pagination
from gonghui.news import contest_selectors, contest_services, selectors, services
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
def feed(request, q: str = ""):
    """本人所在工会及各级上级工会发布、发布范围包括本人的资讯和通知，置顶在前，新的在前。q：按标题和正文搜索（中文分词），
    匹配词多的在前。"""
    return selectors.feed_for(request.auth, q=q)


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
    """授权范围内各工会的资讯和通知。q：按标题和正文搜索（中文分词），匹配词多的在前。"""
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


# ----- 知识竞赛 ----------------------------------------------------------------------------------------------------


class ContestOut(Schema):
    id: int
    title: str
    org_name: str
    ends_at: dt.datetime
    question_count: int
    time_limit_minutes: int
    attempts_allowed: int
    attempts_used: int = Field(description="本人已开始的答题次数")
    best_score: int | None = Field(description="本人最好成绩（百分制），未交卷为空")

    @staticmethod
    def resolve_org_name(c):
        return c.org.name

    @staticmethod
    def resolve_attempts_used(c):
        return c.used

    @staticmethod
    def resolve_best_score(c):
        return c.best


class OptionOut(Schema):
    letter: str
    text: str


class PaperQuestionOut(Schema):
    position: int
    kind: str = Field(description="single 单选题、multiple 多选题、judge 判断题")
    text: str
    options: list[OptionOut]
    chosen: str | None = Field(None, description="交卷后：本人所选字母")
    answer: str | None = Field(None, description="交卷后：正确答案字母（交卷前不返回）")
    right: bool | None = Field(None, description="交卷后：是否答对")


class AttemptOut(Schema):
    id: int
    contest_id: int
    number: int
    started_at: dt.datetime
    deadline: dt.datetime = Field(description="交卷截止时间（服务器判定）")
    submitted_at: dt.datetime | None
    score: int | None = Field(description="得分（百分制），交卷前为空")
    correct: int | None
    total: int
    seconds: int | None
    questions: list[PaperQuestionOut]


class AnswersIn(Schema):
    answers: dict[int, list[str]] = Field(description="题号 → 所选选项字母（单选、判断只选一个）")


class BoardRowOut(Schema):
    rank: int
    name: str = Field(description="姓名（脱敏）")
    score: int
    seconds: int


class BoardOut(Schema):
    org_id: int
    org_name: str
    entrants: int
    top: list[BoardRowOut]
    my_rank: int | None


def _attempt_out(attempt):
    done = attempt.submitted_at is not None
    return {"id": attempt.pk, "contest_id": attempt.contest_id, "number": attempt.number,
            "started_at": attempt.started_at, "deadline": attempt.deadline, "submitted_at": attempt.submitted_at,
            "score": attempt.score if done else None, "correct": attempt.correct if done else None,
            "total": attempt.total, "seconds": attempt.seconds,
            "questions": contest_selectors.paper(attempt)}  # fmt: skip


@router.get("/contests", response={200: list[ContestOut], **ERRORS}, summary="知识竞赛")
def contests(request):
    """向本人开放的知识竞赛（本人所在工会及上级工会主办、参赛范围包括本人、正在开放时间内）。"""
    return contest_selectors.open_for(request.auth)


@router.post(
    "/contests/{int:contest_id}/attempts", response={200: AttemptOut, **ERRORS}, summary="开始答题", exclude_none=True
)
def attempt_start(request, contest_id: int):
    """开始答题：题目在此时随机抽定；已有未交卷且未超时的答题则返回它。交卷前不返回答案。"""
    contest = contest_selectors.open_contest(request.auth, contest_id)
    return _attempt_out(contest_services.attempt_start(actor=request.auth, contest=contest))


@router.get("/attempts/{int:attempt_id}", response={200: AttemptOut, **ERRORS}, summary="我的答题", exclude_none=True)
def attempt(request, attempt_id: int):
    """本人的一次答题；交卷后才含正确答案。"""
    return _attempt_out(contest_selectors.own_attempt(request.auth, attempt_id))


@router.post(
    "/attempts/{int:attempt_id}/submit", response={200: AttemptOut, **ERRORS}, summary="交卷", exclude_none=True
)
def attempt_submit(request, attempt_id: int, payload: AnswersIn):
    """交卷并由服务器判分；超过时限（宽限 30 秒）的答卷不被接受；重复交卷返回第一次的结果。"""
    row = contest_selectors.own_attempt(request.auth, attempt_id)
    row = contest_services.attempt_submit(actor=request.auth, attempt=row, answers=payload.answers)
    return _attempt_out(contest_selectors.own_attempt(request.auth, row.pk))


@router.get("/contests/{int:contest_id}/leaderboard", response={200: list[BoardOut], **ERRORS}, summary="排行榜")
def leaderboard(request, contest_id: int):
    """本人所在工会及各级上级工会（至主办工会）的排行榜前十名和本人名次；同分用时少者在前。"""
    contest = contest_selectors.open_contest(request.auth, contest_id)
    boards = contest_selectors.leaderboards(contest, contest_selectors.membership_of(request.auth))
    return [{"org_id": b["org"].pk, "org_name": b["org"].name, "entrants": b["entrants"], "top": b["top"],
             "my_rank": b["me"]["rank"] if b["me"] else None} for b in boards]  # fmt: skip
