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
