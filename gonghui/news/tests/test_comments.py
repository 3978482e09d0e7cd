"""Comments and likes: personal numbers masked, sensitive words and the union's 先审后发 hold a comment for a
cadre, who approves or rejects it; likes once per member; the words are the system administrator's."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from gonghui.accounts.models import User
from gonghui.news import selectors, services
from gonghui.news.models import Comment, Like
from gonghui.news.tests.conftest import draft, publish

pytestmark = pytest.mark.django_db


def test_comments_are_masked_held_and_moderated(cast, client):
    article = publish(cast, draft(cast, title="职工食堂满意度调查"))
    zhang = cast.users.worker
    shown = services.comment_create(actor=zhang, article=article, text="饭菜不错，有事打我 13812345678")
    assert shown.status == "approved" and "13812345678" not in shown.text and "138****5678" in shown.text
    sysadmin = User.objects.create(username="sys", platform_role="system")
    with pytest.raises(PermissionDenied):
        services.word_add(actor=cast.users.national_admin, word="罢工")
    services.word_add(actor=sysadmin, word="罢工")
    with pytest.raises(ValidationError, match="已经在列表中"):
        services.word_add(actor=sysadmin, word="罢工")
    held = services.comment_create(actor=zhang, article=article, text="再不涨工资就罢工")
    assert held.status == "pending" and held.flagged == "罢工"
    services.moderation_set(actor=cast.users.grassroots_admin, org=cast.orgs.company, premoderate=True)
    assert services.premoderated(cast.orgs.company) and not services.premoderated(cast.orgs.xihu)
    waiting = services.comment_create(actor=zhang, article=article, text="建议增加夜班餐")
    assert waiting.status == "pending"
    assert [c.pk for c in selectors.pending_comments(cast.users.province_admin)] == [held.pk, waiting.pk]
    assert not selectors.pending_comments(cast.users.sibling_admin).exists()
    with pytest.raises(PermissionDenied):
        services.comment_moderate(actor=cast.users.readonly, comment=waiting, approve=True)
    services.comment_moderate(actor=cast.users.grassroots_admin, comment=waiting, approve=True)
    services.comment_moderate(actor=cast.users.grassroots_admin, comment=held, approve=False)
    with pytest.raises(ValidationError, match="已经审核过了"):
        services.comment_moderate(actor=cast.users.grassroots_admin, comment=held, approve=True)
    # another member sees the approved ones only; the author sees their own rejected one marked
    assert [c.pk for c in selectors.comments_shown(article, cast.members.li.person.pk)] == [shown.pk, waiting.pk]
    client.force_login(zhang)
    page = client.get(reverse("news:read", args=[article.pk])).content.decode()
    assert "未通过" in page and "138****5678" in page and "13812345678" not in page
    client.post(reverse("news:like", args=[article.pk]))
    assert Like.objects.count() == 1 and "已赞" in client.get(reverse("news:read", args=[article.pk])).content.decode()
    client.post(reverse("news:like", args=[article.pk]))
    assert not Like.objects.exists()
    response = client.post(reverse("news:comment", args=[article.pk]), {"text": "   "}, follow=True)
    assert "请填写评论内容" in response.content.decode() and Comment.objects.count() == 3


def test_the_system_administrator_keeps_the_words(client):
    sysadmin = User.objects.create(username="sys", platform_role="system")
    client.force_login(sysadmin)
    assert client.post(reverse("news:words"), {"word": "  "}).status_code == 400
    assert client.post(reverse("news:words"), {"word": "罢工"}).status_code == 302
    page = client.get(reverse("news:words")).content.decode()
    assert "罢工" in page
    from gonghui.news.models import SensitiveWord

    client.post(reverse("news:word_remove", args=[SensitiveWord.objects.get().pk]))
    assert not SensitiveWord.objects.exists()
