"""News tests: articles of the cast's company union, written by its chairman and reviewed by the province."""

from gonghui.news import services
from gonghui.news.models import Kind, Status


def draft(cast, *, org=None, author=None, title="关于做好夏季防暑降温工作的通知", body="<p>请各单位做好防暑降温。</p>",
          **extra):  # fmt: skip
    return services.article_create(actor=author or cast.users.grassroots_admin, org=org or cast.orgs.company,
                                   title=title, body=body, **extra)  # fmt: skip


def publish(cast, article, reviewer=None):
    author = article.author
    article = services.article_step(actor=author, article=article, to=Status.REVIEWING, version=article.version)
    return services.article_step(actor=reviewer or cast.users.province_admin, article=article, to=Status.PUBLISHED,
                                 version=article.version)  # fmt: skip


def notice(cast, reviewer=None, **extra):
    fields = {"kind": Kind.NOTICE, "category": "notice", "receipt_required": True} | extra
    return publish(cast, draft(cast, **fields), reviewer=reviewer)


def a_bank(cast, n: int = 6, org=None):
    """``n`` questions in a union's bank (the company's by default): single, multiple and true/false in turn."""
    from gonghui.news import contest_services

    kinds = [("single", ["甲", "乙", "丙", "丁"], "B"), ("multiple", ["甲", "乙", "丙"], "AC"), ("judge", [], "正确")]
    return [contest_services.question_create(actor=None, org=org or cast.orgs.company, kind=kinds[i % 3][0],
                                             text=f"第{i + 1}题：工会知识", options=kinds[i % 3][1],
                                             answer=kinds[i % 3][2], category="工会法")
            for i in range(n)]  # fmt: skip


def a_contest(cast, *, org=None, n: int = 3, **extra):
    """An open contest of the company union (on its bank), 3 questions in 5 minutes, 2 attempts."""
    import datetime as dt

    from django.utils import timezone

    from gonghui.news import contest_services
    from gonghui.news.models import Question

    org = org or cast.orgs.company
    if Question.objects.filter(org=org).count() < n:
        a_bank(cast, n=max(n, 6), org=org)
    now = timezone.now()
    fields = {"title": "工会法知识竞赛", "starts_at": now - dt.timedelta(hours=1),
              "ends_at": now + dt.timedelta(days=3), "question_count": n,
              "time_limit_minutes": 5, "attempts_allowed": 2} | extra  # fmt: skip
    return contest_services.contest_create(actor=None, org=org, **fields)
