"""审核发布 as a case kind: a cadre of the union drafts an article (草稿) and submits it (待审核); another cadre
of the union or above approves it (已发布, at once or at its scheduled time) or returns it with a reason; a
published article may be withdrawn with a reason. The reviewer may not be the author (checked by
``news.services``, which alone moves these cases)."""

from django.urls import reverse

from gonghui.cases.kinds import CaseKind, TransitionRule
from gonghui.news.models import Status

ARTICLE = "news_article"
SUBJECT = "资讯通知审核发布"


def _page(case) -> str:
    return reverse("news:detail", args=[case.news_article.pk])


def _mirror(case) -> None:
    from gonghui.news.models import Article

    Article.objects.filter(case=case).update(status=case.status)


CASE_KINDS = [
    CaseKind(
        code=ARTICLE,
        name="资讯通知审核发布",
        statuses=dict(Status.choices),
        initial=Status.DRAFT,
        closed=frozenset({Status.PUBLISHED, Status.WITHDRAWN}),
        transitions={
            Status.DRAFT: {Status.REVIEWING: TransitionRule("提交审核")},
            Status.REVIEWING: {
                Status.PUBLISHED: TransitionRule("审核通过并发布"),
                Status.DRAFT: TransitionRule("退回修改", reason_required=True),
            },
            Status.PUBLISHED: {Status.WITHDRAWN: TransitionRule("撤回", reason_required=True)},
        },
        escalate=False,
        opened_by_cadre=False,  # opened by news.services.article_create, which checks the author itself
        app_page=_page,
        mirror=_mirror,
        owner_messages=False,
    ),
]
