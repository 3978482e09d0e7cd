"""The pages as people use them: a cadre sets up a congress, its term, representatives and a sitting; a
representative checks in by the sitting's QR link and votes on the phone; the result is counted, published and
checked against the receipt."""

import datetime as dt
import re

from django.urls import reverse
from django.utils import timezone

from gonghui.democracy.models import Ballot, Congress, Representative, Sitting
from gonghui.democracy.tests.conftest import congress_of, secret_ballot
from gonghui.testing.cast import LI_NA_ID, ZHANG_WEI_ID


def test_a_cadre_sets_up_a_congress_through_its_pages(client, cast):
    client.force_login(cast.users.grassroots_admin)
    bad = client.post(reverse("democracy:new"), {"org": cast.orgs.company.pk, "name": "职代会", "kind": "enterprise",
                                                 "staff_count": 50, "women_staff": 60})  # fmt: skip
    assert bad.status_code == 400 and "女职工人数不能超过职工人数" in bad.content.decode()
    assert not Congress.objects.exists()
    form = {"org": cast.orgs.company.pk, "name": "示例科技职代会", "kind": "enterprise", "staff_count": 50,
            "women_staff": 20}  # fmt: skip
    made = client.post(reverse("democracy:new"), form)
    congress = Congress.objects.get()
    assert made.status_code == 302 and made["Location"] == reverse("democracy:congress", args=[congress.pk])
    add = reverse("democracy:congress_add", args=[congress.pk])
    assert (
        "请先建立届次"
        in client.post(
            add,
            {
                "what": "representative",
                "id_number": ZHANG_WEI_ID,
                "role": "formal",
                "category": "frontline",
                "constituency": "一车间",
            },
        ).content.decode()
    )
    today = timezone.localdate()
    short = client.post(
        add, {"what": "term", "number": 1, "starts_on": today, "ends_on": today + dt.timedelta(days=400)}
    )
    assert short.status_code == 400 and "3 至 5 年" in short.content.decode()
    client.post(add, {"what": "term", "number": 1, "starts_on": today, "ends_on": today + dt.timedelta(days=1096)})
    for number in (ZHANG_WEI_ID, LI_NA_ID):
        assert client.post(add, {"what": "representative", "id_number": number, "role": "formal",
                                 "category": "frontline", "constituency": "一车间"}).status_code == 302  # fmt: skip
    invalid = client.post(add, {"what": "representative", "id_number": "330106199003071235", "role": "formal",
                                "category": "frontline", "constituency": "一车间"})  # fmt: skip
    assert invalid.status_code == 400 and "校验" in invalid.content.decode()
    client.post(
        add, {"what": "sitting", "number": 1, "title": "第一届第一次会议", "starts_on": today, "place": "报告厅"}
    )
    page = client.get(reverse("democracy:congress", args=[congress.pk])).content.decode()
    assert "张伟" in page and "代表名额" in page and "30 名" in page and ZHANG_WEI_ID not in page
    sitting = Sitting.objects.get()
    body = client.get(reverse("democracy:sitting", args=[sitting.pk])).content.decode()
    assert "会议材料尚未送达代表" in body and "checkin-qr" not in body
    client.post(reverse("democracy:sitting_act", args=[sitting.pk]), {"action": "open"})
    body = client.get(reverse("democracy:sitting", args=[sitting.pk])).content.decode()
    assert "checkin-qr" in body and "<svg" in body and "未达法定人数（须 2 名）" in body
    empty = client.post(reverse("democracy:sitting_act", args=[sitting.pk]), {"action": "ballot", "title": "表决",
                                                                              "kind": "resolution", "method": "secret",
                                                                              "items": "  "})  # fmt: skip
    assert empty.status_code == 400 and not Ballot.objects.exists()


def test_a_representative_checks_in_votes_and_finds_the_receipt(client, cast):
    ballot = secret_ballot(cast)
    c = cast.congress
    client.force_login(c.users["张伟"])
    mine = client.get(reverse("democracy:mine")).content.decode()
    assert c.sitting.title in mine and "请扫描会场的签到二维码签到" in mine
    from gonghui.democracy.services import checkin_token

    url = reverse("democracy:checkin", args=[checkin_token(c.sitting)])
    assert "确认签到" in client.get(url).content.decode()
    assert client.post(url)["Location"] == reverse("democracy:mine")
    assert "已签到" in client.get(reverse("democracy:mine")).content.decode()
    vote = reverse("democracy:vote", args=[ballot.pk])
    missing = client.post(vote, {"item_1": "yes"})
    assert missing.status_code == 400 and "请对这一项作出选择" in missing.content.decode()
    done = client.post(vote, {"item_1": "yes", "item_2": "no"})
    code = re.search(r'id="receipt-code">([A-Z0-9-]+)<', done.content.decode()).group(1)
    assert done["Cache-Control"] == "no-store"
    again = client.post(vote, {"item_1": "yes", "item_2": "yes"})
    assert again.status_code == 400 and "已经投过票" in again.content.decode()
    cadre = c.admin
    client.force_login(cadre)
    act = reverse("democracy:ballot_act", args=[ballot.pk])
    client.post(act, {"action": "close"})
    client.post(act, {"action": "publish"})
    page = client.get(reverse("democracy:ballot", args=[ballot.pk])).content.decode()
    assert "复核一致" in page and "待报上一级工会" in page and "1. 2026年度职工福利费使用方案" in page
    client.force_login(c.users["张伟"])
    papers = reverse("democracy:papers", args=[ballot.pk])
    found = client.post(papers, {"receipt": code.lower()}).content.decode()
    assert 'id="found"' in found and "1. 赞成；2. 反对" in found and "2. 集体合同" in found
    assert 'id="not-found"' in client.post(papers, {"receipt": "AAAA-BBBB-CCCC-DDDD"}).content.decode()


def test_the_live_quorum_partial_and_the_staff_check_in(client, cast):
    c = congress_of(cast)
    client.force_login(c.admin)
    act = reverse("democracy:sitting_act", args=[c.sitting.pk])
    for name in ("李娜", "陈军", "刘芳"):
        client.post(act, {"action": "checkin", "rep": c.reps[name].pk})
    partial = client.get(reverse("democracy:quorum", args=[c.sitting.pk])).content.decode()
    assert 'id="present">3<' in partial and "未达法定人数（须 4 名）" in partial and 'hx-trigger="every 5s"' in partial
    client.post(act, {"action": "checkin", "rep": c.reps["赵强"].pk})
    assert "已达法定人数" in client.get(reverse("democracy:quorum", args=[c.sitting.pk])).content.decode()
    other = Representative.objects.exclude(term=c.term).first()
    assert other is None


def test_the_congress_list_pages_in_a_fixed_number_of_queries(client, cast, django_assert_max_num_queries):
    congress_of(cast)
    client.force_login(cast.users.province_admin)
    with django_assert_max_num_queries(12):
        body = client.get(reverse("democracy:list")).content.decode()
    assert "杭州示例科技有限公司职工代表大会" in body
    assert "没有符合条件" in client.get(reverse("democracy:list"), {"kind": "regional"}).content.decode()
    client.force_login(cast.users.sibling_admin)
    assert "杭州示例" not in client.get(reverse("democracy:list")).content.decode()
