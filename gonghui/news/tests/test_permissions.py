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


def talk(cast):
    if not hasattr(cast, "talk"):
        from django.utils import timezone

        from gonghui.news import talk_services

        cast.talk = talk_services.talk_create(actor=None, org=cast.orgs.company, kind="talk", topic="劳模进车间",
                                              place="车间", starts_at=timezone.now(), minutes=60,
                                              speaker_name="宣讲团")  # fmt: skip
    return cast.talk


def material(cast):
    if not hasattr(cast, "material"):
        from django.core.files.uploadedfile import SimpleUploadedFile

        from gonghui.news import talk_services

        pdf = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\n%%EOF\n"
        cast.material = talk_services.material_add(actor=None, talk=talk(cast), file=SimpleUploadedFile("a.pdf", pdf),
                                                   file_name="a.pdf")  # fmt: skip
    return cast.material


def image(cast):
    """An image of a published public article (anyone may see it)."""
    if not hasattr(cast, "image"):
        import io

        from django.core.files.uploadedfile import SimpleUploadedFile
        from PIL import Image

        out = io.BytesIO()
        Image.new("RGB", (8, 8), (200, 0, 0)).save(out, "PNG")
        article = draft(cast, title="驿站开放", audience=Audience.PUBLIC)
        cast.image = services.image_add(actor=None, article=article, file=SimpleUploadedFile("a.png", out.getvalue()),
                                        version=article.version)  # fmt: skip
        publish(cast, Article.objects.get(pk=article.pk))
    return cast.image


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
    Page("news:contest_edit", expect(200, 200, 404, 200, 403), args=lambda c: [contest(c).pk]),
    Page("news:question_edit", expect(200, 200, 404, 200, 403),
         args=lambda c: [Question.objects.filter(org=c.orgs.company).order_by("pk").first().pk if a_bank(c) else 0]),
    Page("news:image_add", WRITE, method="post", args=lambda c: [a_draft(c).pk],
         data=lambda c: {"version": a_draft(c).version}),
    Page("news:image", EVERYONE, args=lambda c: [image(c).pk]),
    Page("news:talks", expect(200, 200, 200, 200, 200)),
    Page("news:talk_new", expect(200, 200, 200, 200, 200)),
    Page("news:speaker_options", expect(200, 200, 200, 200, 200)),
    Page("news:talk_detail", expect(200, 200, 404, 200, 200), args=lambda c: [talk(c).pk]),
    Page("news:talk_material_add", WRITE, method="post", args=lambda c: [talk(c).pk]),
    Page("news:talk_material", expect(200, 200, 404, 200, 200, worker=200) | {"security_admin": 404},
         args=lambda c: [material(c).pk]),
    Page("news:my_talks", SIGNED_IN),
    Page("news:talk_checkin", WORKER_POST, method="post", args=lambda c: [talk(c).pk]),
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
