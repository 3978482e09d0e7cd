"""Through the pages and the API as people use them: a cadre writes and another publishes, the member's feed
marks what is unread, reading and confirming a notice, the XSS payloads never reach a page, the public page."""

import pytest
from django.urls import reverse

from gonghui.news.models import Article, Audience, Reading
from gonghui.news.tests.conftest import draft, notice, publish
from gonghui.testing.api import ApiClient, url
from gonghui.workforce.models import ModelWorker

pytestmark = pytest.mark.django_db


def test_write_submit_and_publish_through_the_pages(client, cast):
    client.force_login(cast.users.grassroots_admin)
    form = {"org": cast.orgs.company.pk, "kind": "notice", "category": "notice", "title": "关于召开会员代表大会的通知",
            "body": "定于下周五召开会员代表大会。\n\n请各小组组织会员阅读。", "audience": "subtree",
            "receipt_required": "on"}  # fmt: skip
    bad = client.post(reverse("news:new"), form | {"kind": "article", "title": ""})
    assert bad.status_code == 400 and "这个字段是必填项" in bad.content.decode()
    assert not Article.objects.exists()
    response = client.post(reverse("news:new"), form)
    article = Article.objects.get()
    assert (
        response.status_code == 302
        and article.body == "<p>定于下周五召开会员代表大会。</p><p>请各小组组织会员阅读。</p>"
    )
    client.post(reverse("news:step", args=[article.pk]), {"to": "reviewing", "version": article.version})
    page = client.get(reverse("news:detail", args=[article.pk])).content.decode()
    assert "撰稿人不能审核自己的稿件" in page and "审核通过并发布" not in page
    client.force_login(cast.users.province_admin)
    article.refresh_from_db()
    page = client.get(reverse("news:detail", args=[article.pk])).content.decode()
    assert "审核通过并发布" in page and "退回修改" in page
    client.post(reverse("news:step", args=[article.pk]), {"to": "published", "version": article.version})
    article.refresh_from_db()
    assert article.status == "published" and article.reviewer == cast.users.province_admin
    listing = client.get(reverse("news:list"), {"q": "代表大会"}).content.decode()
    assert "关于召开会员代表大会的通知" in listing and "已确认 0/2" in listing


def test_the_member_reads_and_confirms(client, cast):
    article = notice(cast)
    other = publish(cast, draft(cast, title="职工书屋新书推荐"))
    riders = publish(cast, draft(cast, title="致外卖骑手的一封信", forms=["food_delivery"]))  # 张伟 is not a rider
    client.force_login(cast.users.worker)
    feed = client.get(reverse("news:feed")).content.decode()
    assert feed.count("data-unread") == 2 and "职工书屋新书推荐" in feed and "致外卖骑手" not in feed
    assert "需确认阅读" in feed
    page = client.get(reverse("news:read", args=[article.pk])).content.decode()
    assert "我已阅读" in page and Reading.objects.get().confirmed_at is None
    assert client.get(reverse("news:read", args=[riders.pk])).status_code == 404
    client.post(reverse("news:confirm", args=[article.pk]))
    page = client.get(reverse("news:read", args=[article.pk])).content.decode()
    assert "确认阅读。" in page and "data-receipt" in page
    feed = client.get(reverse("news:feed")).content.decode()
    assert feed.count("data-unread") == 1 and "已确认阅读" in feed
    client.force_login(cast.users.grassroots_admin)
    counts = client.get(reverse("news:receipts", args=[article.pk])).content.decode()
    assert "张伟" in counts and "50.0%" in counts
    assert other.pk


def test_a_notice_to_the_model_workers_reaches_them_only(client, cast):
    """劳模 is a group the workforce app declares: the writer picks it on the form, the detail names it, and the
    notice reaches a member of the subtree once the union has registered them as a model worker."""
    client.force_login(cast.users.grassroots_admin)
    form = {"org": cast.orgs.company.pk, "kind": "notice", "category": "notice", "title": "劳模年度体检通知",
            "body": "请在册劳模本月内参加体检。", "audience": "subtree", "groups": ["model_workers"]}  # fmt: skip
    bad = client.post(reverse("news:new"), form | {"groups": ["nobody"]})
    assert bad.status_code == 400 and not Article.objects.exists()
    public = client.post(reverse("news:new"), form | {"audience": "public"})
    assert "公开发布的资讯不能限定人群" in public.content.decode() and not Article.objects.exists()
    client.post(reverse("news:new"), form)
    article = Article.objects.get()
    assert article.groups == ",model_workers," and "限定人群" in client.get(
        reverse("news:detail", args=[article.pk])).content.decode()  # fmt: skip
    publish(cast, article)
    client.force_login(cast.users.worker)
    assert "劳模年度体检通知" not in client.get(reverse("news:feed")).content.decode()
    assert client.get(reverse("news:read", args=[article.pk])).status_code == 404
    ModelWorker.objects.create(org=cast.orgs.company, person=cast.users.worker.person, employer_name="示例科技")
    assert "劳模年度体检通知" in client.get(reverse("news:feed")).content.decode()
    assert client.get(reverse("news:read", args=[article.pk])).status_code == 200


@pytest.mark.security
def test_xss_payloads_never_reach_a_page(client, cast):
    from gonghui.news.tests.test_services import XSS

    article = publish(cast, draft(cast, body="<p>正文</p>" + "".join(XSS), audience=Audience.PUBLIC))
    client.force_login(cast.users.worker)
    for page in (reverse("news:read", args=[article.pk]), reverse("news:public_detail", args=[article.pk])):
        body = client.get(page).content.decode().lower()
        article_html = body.split('gh-article">', 1)[1].split("</div>", 1)[0]
        assert "正文" in article_html
        for bad in ("<script", "onerror", "javascript:", "<iframe", "<img", "<svg", "<style", "<form", "<meta"):
            assert bad not in article_html


def test_the_api_feed_read_and_receipt(cast):
    article = notice(cast)
    api = ApiClient()
    feed = api.get(url("/news/feed"), cast.users.worker).json()
    assert [(i["id"], i["unread"], i["confirmed"]) for i in feed["items"]] == [(article.pk, True, False)]
    read = api.get(url(f"/news/feed/{article.pk}"), cast.users.worker).json()
    assert read["unread"] is False and "<p>" in read["body"]
    receipt = api.post(url(f"/news/feed/{article.pk}/receipt"), cast.users.worker, {})
    assert receipt.status_code == 200 and receipt.json()["confirmed_at"]
    counts = api.get(url(f"/news/articles/{article.pk}/receipts"), cast.users.province_admin).json()
    assert [(c["org_name"], c["reached"], c["read"]) for c in counts] == [("杭州示例科技有限公司工会", 2, 1)]
    assert api.get(url(f"/news/feed/{article.pk}"), cast.users.sibling_admin).status_code == 404
    api.assert_no_personal_data()


def test_the_public_page_shows_only_public_articles(client, cast):
    public = publish(cast, draft(cast, title="工会驿站向户外劳动者开放", audience=Audience.PUBLIC))
    members_only = notice(cast)
    body = client.get(reverse("news:public")).content.decode()
    assert public.title in body and members_only.title not in body
    assert client.get(reverse("news:public_detail", args=[members_only.pk])).status_code == 404
