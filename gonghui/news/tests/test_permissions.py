"""Every page and API operation of news × every member of the cast (see gonghui.testing.matrix).

The notice is the company union's (written by its chairman, reviewed by 浙江): Jiangsu does not see it, the
read-only role sees but does not write; 张伟 (the cast's worker, a member of the company) finds it in his feed,
nobody else does (the cadres are not members)."""

import pytest

from gonghui.news import contest_services, services
from gonghui.news.models import Article, Attempt, Audience, Comment, Contest, Like, Question, Reading, SensitiveWord
from gonghui.news.tests.conftest import a_bank, a_contest, draft, notice, publish
from gonghui.testing.api import ApiClient
from gonghui.testing.matrix import USERS, Case, Page, api_tests, codes, expect

SIGNED_IN = dict.fromkeys(USERS, 200) | {"anonymous": 302}
WORKER_ONLY = dict.fromkeys(USERS, 404) | {"worker": 200, "anonymous": 302}
WORKER_POST = dict.fromkeys(USERS, 404) | {"worker": 302, "anonymous": 302}
EVERYONE = dict.fromkeys(USERS, 200)
WRITE = expect(302, 302, 404, 302, 403)
# The sensitive words are the system administrator's; the cast has none, so everyone is refused.
PLATFORM_ONLY = dict.fromkeys(USERS, 403) | {"anonymous": 302}


def published(cast):
    if not hasattr(cast, "notice"):
        cast.notice = notice(cast)
    return cast.notice


def a_draft(cast):
    if not hasattr(cast, "draft"):
        cast.draft = draft(cast, title="职工书屋新书推荐")
    return cast.draft


def public(cast):
    if not hasattr(cast, "public"):
        cast.public = publish(cast, draft(cast, title="工会驿站向户外劳动者开放", audience=Audience.PUBLIC))
    return cast.public


def pending(cast):
    if not hasattr(cast, "comment"):
        services.moderation_set(actor=None, org=cast.orgs.company, premoderate=True)
        cast.comment = services.comment_create(actor=cast.users.worker, article=published(cast), text="建议增加夜班餐")
    return cast.comment


def word(cast):
    if not hasattr(cast, "word"):
        cast.word = SensitiveWord.objects.create(word="罢工")
    return cast.word


def contest(cast):
    if not hasattr(cast, "contest"):
        cast.contest = a_contest(cast)
    return cast.contest


def attempt(cast):
    if not hasattr(cast, "attempt"):
        cast.attempt = contest_services.attempt_start(actor=cast.users.worker, contest=contest(cast))
    return cast.attempt


def _contest_form(cast):
    a_bank(cast)
    return {"org": cast.orgs.company.pk, "title": "安全生产知识竞赛", "audience": "subtree",
            "starts_at": "2030-01-01T09:00", "ends_at": "2030-01-10T18:00", "question_count": 3,
            "time_limit_minutes": 10, "attempts_allowed": 1}  # fmt: skip


def _question_form(cast):
    return {"org": cast.orgs.company.pk, "kind": "single", "text": "工会的基本职责是什么？",
            "option_a": "维护职工合法权益", "option_b": "经营企业", "answer": "A", "difficulty": "easy"}  # fmt: skip


def _form(cast):
    return {"org": cast.orgs.company.pk, "kind": "article", "category": "news", "title": "职工运动会圆满落幕",
            "body": "<p>本届运动会共有 12 个项目。</p>", "audience": "subtree"}  # fmt: skip


def _edit(cast):
    return _form(cast) | {"version": a_draft(cast).version}


PAGES: list = [
    Page("news:list", expect(200, 200, 200, 200, 200)),
    Page("news:new", expect(200, 200, 200, 200, 200)),
    Page("news:new", expect(302, 302, 400, 302, 400), method="post", data=_form),
    Page("news:detail", expect(200, 200, 404, 200, 200), args=lambda c: [published(c).pk]),
    Page("news:edit", expect(200, 200, 404, 200, 403), args=lambda c: [a_draft(c).pk]),
    Page("news:edit", WRITE, method="post", args=lambda c: [a_draft(c).pk], data=_edit),
    Page("news:step", WRITE, method="post", args=lambda c: [a_draft(c).pk],
         data=lambda c: {"to": "reviewing", "version": a_draft(c).version}),
    Page("news:pin", WRITE, method="post", args=lambda c: [published(c).pk],
         data=lambda c: {"pinned": "1", "version": published(c).version}),
    Page("news:receipts", expect(200, 200, 404, 200, 200), args=lambda c: [published(c).pk]),
    Page("news:feed", SIGNED_IN),
    Page("news:read", WORKER_ONLY, args=lambda c: [published(c).pk]),
    Page("news:confirm", WORKER_POST, method="post", args=lambda c: [published(c).pk]),
    Page("news:comment", WORKER_POST, method="post", args=lambda c: [published(c).pk], data=lambda c: {"text": "好"}),
    Page("news:like", WORKER_POST, method="post", args=lambda c: [published(c).pk]),
    Page("news:comments", expect(200, 200, 200, 200, 200)),
    Page("news:moderate", WRITE, method="post", args=lambda c: [pending(c).pk], data=lambda c: {"approve": "1"}),
    Page("news:moderation", expect(302, 302, 404, 302, 403), method="post",
         data=lambda c: {"org": c.orgs.company.pk, "premoderate": "1"}),
    Page("news:words", PLATFORM_ONLY),
    Page("news:words", PLATFORM_ONLY, method="post", data=lambda c: {"word": "罢工"}),
    Page("news:word_remove", PLATFORM_ONLY, method="post", args=lambda c: [word(c).pk]),
    Page("news:public", EVERYONE),
    Page("news:public_detail", EVERYONE, args=lambda c: [public(c).pk]),
    Page("news:contests", expect(200, 200, 200, 200, 200)),
    Page("news:contest_new", expect(200, 200, 200, 200, 200)),
    Page("news:contest_new", expect(302, 302, 400, 302, 400), method="post", data=_contest_form),
    Page("news:contest_detail", expect(200, 200, 404, 200, 200), args=lambda c: [contest(c).pk]),
    Page("news:bank", expect(200, 200, 200, 200, 200)),
    Page("news:question_new", expect(200, 200, 200, 200, 200)),
    Page("news:question_new", expect(302, 302, 400, 302, 400), method="post", data=_question_form),
    Page("news:question_import", expect(200, 200, 200, 200, 200)),
    Page("news:question_template", expect(200, 200, 200, 200, 200)),
    Page("news:quizzes", SIGNED_IN),
    Page("news:quiz", WORKER_ONLY, args=lambda c: [contest(c).pk]),
    Page("news:quiz_start", WORKER_POST, method="post", args=lambda c: [contest(c).pk]),
    Page("news:attempt", WORKER_ONLY, args=lambda c: [attempt(c).pk]),
    Page("news:attempt_submit", WORKER_POST, method="post", args=lambda c: [attempt(c).pk],
         data=lambda c: {"q1": "A"}),
]  # fmt: skip


API_CASES: list = [
    Case("feed", "list", "GET", "/news/feed", codes(200, 200, 200, 200, 200, 200, 200, 401)),
    Case("read", "detail", "GET", "/news/feed/{article_id}", codes(404, 404, 404, 404, 404, 200, 404, 401),
         path=lambda c: f"/news/feed/{published(c).pk}"),
    Case("receipt", "create", "POST", "/news/feed/{article_id}/receipt",
         codes(404, 404, 404, 404, 404, 200, 404, 401), path=lambda c: f"/news/feed/{published(c).pk}/receipt",
         body=lambda c, u: published(c) and {}),
    Case("articles", "list", "GET", "/news/articles", codes(200, 200, 200, 200, 200, 403, 403, 401)),
    Case("receipts", "detail", "GET", "/news/articles/{article_id}/receipts",
         codes(200, 200, 404, 200, 200, 403, 403, 401), path=lambda c: f"/news/articles/{published(c).pk}/receipts"),
    Case("contests", "list", "GET", "/news/contests", codes(200, 200, 200, 200, 200, 200, 200, 401)),
    Case("attempt_start", "create", "POST", "/news/contests/{contest_id}/attempts",
         codes(404, 404, 404, 404, 404, 200, 404, 401), path=lambda c: f"/news/contests/{contest(c).pk}/attempts",
         body=lambda c, u: contest(c) and {}),
    Case("attempt", "detail", "GET", "/news/attempts/{attempt_id}", codes(404, 404, 404, 404, 404, 200, 404, 401),
         path=lambda c: f"/news/attempts/{attempt(c).pk}"),
    Case("attempt_submit", "create", "POST", "/news/attempts/{attempt_id}/submit",
         codes(404, 404, 404, 404, 404, 200, 404, 401), path=lambda c: f"/news/attempts/{attempt(c).pk}/submit",
         body=lambda c, u: attempt(c) and {"answers": {"1": ["A"]}}),
    Case("leaderboard", "detail", "GET", "/news/contests/{contest_id}/leaderboard",
         codes(404, 404, 404, 404, 404, 200, 404, 401), path=lambda c: f"/news/contests/{contest(c).pk}/leaderboard"),
]  # fmt: skip


def snapshot():
    return (
        list(Article.objects.order_by("pk").values_list("pk", "status", "version", "pinned", "receipt_count")),
        list(Reading.objects.order_by("pk").values_list("pk", "confirmed_at")),
        list(Comment.objects.order_by("pk").values_list("pk", "status")),
        list(Like.objects.order_by("pk").values_list("pk")),
        list(Question.objects.order_by("pk").values_list("pk")),
        list(Contest.objects.order_by("pk").values_list("pk")),
        list(Attempt.objects.order_by("pk").values_list("pk", "submitted_at", "score")),
    )


@pytest.fixture
def api(cast):
    client = ApiClient()
    yield client
    client.assert_no_personal_data()


test_api_permissions = api_tests(API_CASES, snapshot)


def probe_targets(cast) -> dict:
    """浙江's notice for the scope probe (gonghui/core/tests/test_scope_probe.py)."""
    return {"article_id": notice(cast).pk, "contest_id": contest(cast).pk, "attempt_id": attempt(cast).pk}
