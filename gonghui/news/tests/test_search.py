"""Search with Chinese segmentation (gonghui/news/search.py): a cadre's list and a member's feed find articles by
the words of their title and text, best match first, on the page and in the API; a word of a published
article's title always finds it (hypothesis)."""

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gonghui.news import search, selectors, services
from gonghui.news.models import Article
from gonghui.news.tests.conftest import draft, publish
from gonghui.testing.api import ApiClient, url

TITLES = ["签订劳动合同的注意事项", "职工书屋新书推荐", "关于做好夏季防暑降温工作的通知", "工会驿站向户外劳动者开放"]


def _published(cast, title, body="<p>请各单位做好工作。</p>"):
    return publish(cast, draft(cast, title=title, body=body))


def test_the_words_of_a_text():
    expected = ["签订", "劳动", "合同", "劳动合同", "的", "注意", "事项", "注意事项"]
    assert search.words("签订劳动合同的注意事项") == expected
    assert search.stored("Hello, 工会 APP!") == " hello 工会 app "
    assert search.query_words("  劳动合同  ") == ["劳动", "合同", "劳动合同"]
    assert search.required_words("劳动合同 注意事项") == ["劳动合同", "注意事项"]
    assert search.query_words("") == [] and search.query_words("，。！") == []


@pytest.mark.django_db
def test_the_member_searches_the_feed_best_match_first(client, cast):
    contract = _published(cast, TITLES[0])
    body_only = _published(cast, "职工法律援助热线开通", "<p>可咨询劳动争议、劳动合同等问题。</p>")
    labour = _published(cast, TITLES[3])
    _published(cast, TITLES[1])
    client.force_login(cast.users.worker)
    page = client.get(reverse("news:feed"), {"q": "劳动合同"}).content.decode()
    found = [int(p.split('"')[0]) for p in page.split('data-article="')[1:]]
    assert found == [contract.pk, body_only.pk]  # the title first; 劳动 alone is not 劳动合同
    assert "“劳动合同”的搜索结果：2 条" in page and "职工书屋" not in page
    page = client.get(reverse("news:feed"), {"q": "劳动"}).content.decode()
    assert [int(p.split('"')[0]) for p in page.split('data-article="')[1:]] == [labour.pk, contract.pk, body_only.pk]
    nothing = client.get(reverse("news:feed"), {"q": "养老保险"}).content.decode()
    assert "没有找到相关的资讯和通知" in nothing
    everything = client.get(reverse("news:feed")).content.decode()
    assert everything.count("data-article=") == 4


@pytest.mark.django_db
def test_the_cadre_list_and_the_api_search_text_too(client, cast):
    contract = _published(cast, TITLES[0])
    heat = draft(cast, title=TITLES[2], body="<p>高温天气严格执行劳动保护规定。</p>")  # a draft, in the cadre's list
    client.force_login(cast.users.grassroots_admin)
    listing = client.get(reverse("news:list"), {"q": "劳动保护"}).content.decode()
    assert TITLES[2] in listing and TITLES[0] not in listing
    listing = client.get(reverse("news:list"), {"q": "劳动"}).content.decode()
    assert listing.index(TITLES[0]) < listing.index(TITLES[2])  # the title breaks the tie
    api = ApiClient()
    items = api.get(url("/news/articles") + "?q=防暑降温", cast.users.grassroots_admin).json()["items"]
    assert [i["id"] for i in items] == [heat.pk]
    items = api.get(url("/news/feed") + "?q=劳动合同", cast.users.worker).json()["items"]
    assert [i["id"] for i in items] == [contract.pk]


@pytest.mark.django_db
def test_editing_a_draft_reindexes_it(cast):
    article = draft(cast, title="职工书屋新书推荐")
    services.article_update(actor=cast.users.grassroots_admin, article=article, version=article.version,
                            title="职工疗休养安排", body="<p>今年疗休养名额已下达。</p>", kind="article",
                            category="news", audience="subtree")  # fmt: skip
    rows = selectors.articles_visible_to(cast.users.grassroots_admin, q="疗休养")
    assert list(rows) == [Article.objects.get(pk=article.pk)]
    assert not selectors.articles_visible_to(cast.users.grassroots_admin, q="书屋").exists()


CJK = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5)
WORDS = ["劳动", "合同", "工会", "职工", "安全生产", "技能", "竞赛", "女职工", "权益", "送温暖", "驿站", "户外"]
TITLE = st.lists(st.one_of(st.sampled_from(WORDS), st.text(CJK, min_size=1, max_size=4),
                           st.sampled_from(["·", "，", " ", "2026", "APP"])), min_size=1, max_size=8)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(parts=TITLE, data=st.data())
def test_a_word_of_a_title_matches_its_stored_words(parts, data):
    title = "".join(parts)
    found = search.words(title)
    if not found:
        return
    word = data.draw(st.sampled_from(found))
    stored = search.stored(title)
    assert any(f" {w} " in stored for w in search.query_words(word))


@pytest.mark.django_db
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(parts=TITLE, data=st.data())
def test_every_published_article_is_found_by_a_word_of_its_title(cast, parts, data):
    title = "".join(parts).strip()[:120] or "通知"
    article = _published(cast, title)
    word = data.draw(st.sampled_from(search.words(title) or [title]))
    assert selectors.feed_for(cast.users.worker, q=word).filter(pk=article.pk).exists()
    assert selectors.articles_visible_to(cast.users.grassroots_admin, q=word).filter(pk=article.pk).exists()
