"""网上舆论 (decision 0032): the lexicon scorer against the shipped labelled set (accuracy printed, floor kept),
segmentation with the union dictionary, keywords, the spike rule (property test), and through the services,
pages and API: masking before storage, anonymous filers, idempotent ingestion, scope, spikes told to cadres."""

import datetime as dt
import statistics
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from gonghui.governance import opinion, services
from gonghui.governance.models import OpinionItem, OpinionSpike
from gonghui.messages.models import Message
from gonghui.testing.api import ApiClient

ACCURACY_FLOOR = 0.9
ID_NUMBER = "330106199001011234"


def _labelled():
    return [line.split("\t") for line in opinion._lines("labelled.txt")]


def test_the_labelled_set_is_balanced_and_scored_above_the_floor(capsys):
    rows = _labelled()
    positive = sum(1 for label, _ in rows if label == "+")
    assert len(rows) >= 200 and positive >= 100 and len(rows) - positive >= 100
    lexicon = opinion.base_lexicon()
    right = 0
    for label, text in rows:
        value = opinion.score(opinion.tokenize(text), lexicon)
        right += (value > 0) if label == "+" else (value < 0)
    accuracy = right / len(rows)
    with capsys.disabled():
        print(f"\n舆论情感标注集：{len(rows)} 句，准确率 {accuracy:.3f}（下限 {ACCURACY_FLOOR}）")
    assert accuracy >= ACCURACY_FLOOR


def test_segmentation_keeps_union_words_and_scoring_reads_negation_and_degree():
    tokens = opinion.tokenize("外卖骑手讨薪难，劳动合同不签，职代会也不管")
    assert {"外卖骑手", "讨薪", "劳动合同", "职代会"} <= set(tokens)
    lexicon = opinion.base_lexicon()
    plain = opinion.score(opinion.tokenize("服务满意"), lexicon)
    assert plain > 0
    assert opinion.score(opinion.tokenize("服务非常满意"), lexicon) > plain
    assert opinion.score(opinion.tokenize("服务不满意"), lexicon) < 0
    assert opinion.score(opinion.tokenize("公司不再拖欠工资"), lexicon) > 0
    extended = lexicon.with_extra([("满意", Decimal("-1"))])  # an admin's word overrides the shipped one
    assert opinion.score(opinion.tokenize("服务满意"), extended) < 0


def test_keywords_count_items_not_repeats_and_drop_stop_words():
    docs = [opinion.tokenize(t) for t in ("欠薪欠薪欠薪，我们的工资", "外卖骑手欠薪", "快递员的社保")]
    counts = dict(opinion.keywords(docs))
    assert counts["欠薪"] == 2 and counts["外卖骑手"] == 1 and counts["社保"] == 1
    assert "我们" not in counts and "的" not in counts
    assert opinion.keywords([opinion.tokenize("电话 138****5678 号码")]) == [("号码", 1), ("电话", 1)]


@settings(max_examples=50, deadline=None)
@given(st.lists(st.integers(0, 40), max_size=28), st.integers(0, 200), st.integers(1, 10))
def test_spike_is_above_mean_plus_three_sigma_of_28_days(history, today, minimum):
    result = opinion.spike(history, today, minimum)
    days = [0] * (28 - len(history)) + history
    mean, sigma = statistics.fmean(days), statistics.pstdev(days)
    assert result.is_spike == (today > mean + 3 * sigma and today >= minimum)
    assert abs(result.threshold - (mean + 3 * sigma)) < 0.01
    if result.is_spike:  # one more negative item is a spike too; a constant history spikes at anything above it
        assert opinion.spike(history, today + 1, minimum).is_spike
    if history and len(set(days)) == 1 and today > days[0] and today >= minimum:
        assert result.is_spike


def _ingest_request(cast, **extra):
    from gonghui.rights.tests.conftest import make_request

    text = f"公司拖欠工资三个月，没人管。我的身份证号{ID_NUMBER}，电话13812345678"
    return make_request(cast, description=text, **extra)


def test_requests_and_comments_are_ingested_masked_once_and_anonymous(cast):
    from gonghui.news import services as news
    from gonghui.news.tests.conftest import draft, publish

    named, hidden = _ingest_request(cast), _ingest_request(cast, anonymous=True)
    article = publish(cast, draft(cast))
    comment = news.comment_create(actor=cast.users.worker, article=article, text="驿站很贴心，感谢工会")
    assert comment.status == "approved"
    today = timezone.localdate()
    assert services.opinion_ingest(today=today) == 3
    assert services.opinion_ingest(today=today) == 0  # idempotent
    items = {(i.source, i.ref): i for i in OpinionItem.objects.all()}
    for request in (named, hidden):
        item = items["request", str(request.pk)]
        assert ID_NUMBER not in item.text and "13812345678" not in item.text and ID_NUMBER not in item.tokens
        assert "3301**********1234" in item.text and "138****5678" in item.text
        assert item.sentiment == "negative" and item.org == request.org
        assert "张伟" not in item.text
    assert {f.name for f in OpinionItem._meta.get_fields()}.isdisjoint({"filer", "person", "user", "author"})
    assert items["comment", str(comment.pk)].sentiment == "positive"


def _push(api, user, org, items):
    body = {"org_id": org.pk, "items": items}
    return api.call("POST", "/api/v1/governance/opinion/items", user, body)


def test_pushed_items_are_masked_all_or_nothing_within_scope_and_shown_on_the_page(cast, client):
    api = ApiClient()
    now = timezone.now().isoformat()
    items = [{"id": "wx-1", "occurred_at": now, "text": "外卖骑手被平台乱扣钱，投诉没人管，联系13900001111"},
             {"id": "wx-2", "occurred_at": now, "text": "驿站冬天很温暖，点赞"}]  # fmt: skip
    r = _push(api, cast.users.province_admin, cast.orgs.hangzhou, items)
    assert r.status_code == 201 and r.json() == {"kept": 2, "already": 0}
    assert _push(api, cast.users.province_admin, cast.orgs.hangzhou, items).json() == {"kept": 0, "already": 2}
    bad = [{"id": "wx-3", "occurred_at": now, "text": "好"}, {"id": "", "occurred_at": now, "text": "差"}]
    r = _push(api, cast.users.province_admin, cast.orgs.hangzhou, bad)
    assert r.status_code == 400 and "第 2 条" in r.json()["detail"]
    assert OpinionItem.objects.count() == 2
    assert _push(api, cast.users.sibling_admin, cast.orgs.hangzhou, items).status_code == 404
    assert _push(api, cast.users.readonly, cast.orgs.hangzhou, items).status_code == 403
    _push(api, cast.users.sibling_admin, cast.orgs.jiangsu, [{"id": "js", "occurred_at": now, "text": "南京讨薪难"}])
    assert OpinionItem.objects.filter(text__contains="139****1111").exists()

    client.force_login(cast.users.province_admin)
    page = client.get(reverse("governance:opinion")).content.decode()
    assert "外卖骑手" in page and "139****1111" in page and "13900001111" not in page and "南京" not in page
    body = api.call("GET", "/api/v1/governance/opinion?days=7", cast.users.province_admin).json()
    assert body["by_sentiment"] == {"positive": 1, "neutral": 0, "negative": 1}
    assert "外卖骑手" in [k["word"] for k in body["keywords"]] and len(body["trend"]) == 7
    client.force_login(cast.users.sibling_admin)
    page = client.get(reverse("governance:opinion")).content.decode()
    assert "南京讨薪难" in page and "外卖骑手" not in page and "139****1111" not in page
    assert client.get(reverse("governance:opinion") + f"?org={cast.orgs.hangzhou.pk}").status_code == 404
    api.assert_no_personal_data()


def test_a_day_of_negative_items_above_the_28_days_is_a_spike_told_to_the_cadres_once(cast):
    today = timezone.localdate()
    tz = timezone.get_current_timezone()
    lexicon = services._lexicon()
    n = 0
    for back in range(1, 29):  # one negative item a day, then eight today
        for _ in range(1 if back % 2 else 0):
            at = dt.datetime.combine(today - dt.timedelta(days=back), dt.time(10), tz)
            services._item(source="api", ref=f"t{n}", org=cast.orgs.company, occurred_at=at, text="拖欠工资",
                           lexicon=lexicon)  # fmt: skip
            n += 1
    assert services.opinion_spikes(today=today) == 0
    for i in range(8):
        at = dt.datetime.combine(today, dt.time(9, i), tz)
        services._item(source="api", ref=f"s{i}", org=cast.orgs.company, occurred_at=at, text="公司欠薪没人管",
                       lexicon=lexicon)  # fmt: skip
    before = Message.objects.filter(event="governance.opinion_spike").count()
    assert services.opinion_spikes(today=today) == 1
    assert services.opinion_spikes(today=today) == 0
    spike = OpinionSpike.objects.get()
    assert spike.count == 8 and spike.org == cast.orgs.company and spike.mean == Decimal("0.5")
    told = Message.objects.filter(event="governance.opinion_spike").count() - before
    assert told >= 1
    assert Message.objects.filter(user=cast.users.grassroots_admin, event="governance.opinion_spike").exists()


def test_an_admin_word_changes_the_scores_of_later_items(cast, client):
    client.force_login(cast.users.national_admin)
    r = client.post(reverse("governance:opinion_words"), {"word": "躺平", "weight": "-2"})
    assert r.status_code == 302
    item = services._item(source="api", ref="w1", org=cast.orgs.company, occurred_at=timezone.now(),
                          text="大家都躺平了")  # fmt: skip
    assert item.sentiment == "negative" and "躺平" in item.tokens.split()
    r = client.post(reverse("governance:opinion_words"), {"word": "躺 平", "weight": "9"})
    assert r.status_code == 400 and "权重" in r.content.decode()
