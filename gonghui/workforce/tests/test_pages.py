"""The workforce pages and API as people use them: a judge scores on their sheet, withdraws, signs and corrects a
locked score with a reason; the API refuses a score for an entrant the judge withdrew from; the organiser issues
the certificates and downloads one; the lists show masked data."""

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from gonghui.core.models import AuditEvent
from gonghui.testing.api import ApiClient, url
from gonghui.workforce import services
from gonghui.workforce.models import Certificate, Score
from gonghui.workforce.tests.conftest import YEAR, make_event, make_model_worker, score_all


def test_a_judge_scores_withdraws_and_signs_on_the_sheet(client, cast):
    ev = make_event(cast, judges=2)
    judge = ev.judges[0]
    client.force_login(judge.user)
    assert "2026年浙江省职工职业技能大赛" in client.get(reverse("workforce:judging")).content.decode()
    sheet = reverse("workforce:sheet", args=[judge.pk])
    body = client.get(sheet).content.decode()
    assert "已评 0/2" in body and "张伟" not in body  # judges see numbers, not names
    assert client.post(sheet, {"competitor": ev.competitors[0].pk, "value": "101"}).status_code == 400
    assert client.post(sheet, {"competitor": ev.competitors[0].pk, "value": "88.5"}).status_code == 302
    response = client.post(reverse("workforce:recuse", args=[judge.pk]), {"entry": ev.entries[1].pk,
                                                                           "relation": "mentor"})  # fmt: skip
    assert response.status_code == 302
    assert client.post(sheet, {"competitor": ev.competitors[1].pk, "value": "90"}).status_code == 403
    assert "已评 1/1" in client.get(sheet).content.decode()
    client.post(reverse("workforce:sign", args=[judge.pk]))
    body = client.post(sheet, {"competitor": ev.competitors[0].pk, "value": "89"}).content.decode()
    assert "修改须填写理由" in body
    client.post(sheet, {"competitor": ev.competitors[0].pk, "value": "89", "reason": "复核录像"})
    assert Score.objects.get(judge=judge).value == 89 and Score.objects.get(judge=judge).signed
    # another judge's sheet does not exist for this one
    assert client.get(reverse("workforce:sheet", args=[ev.judges[1].pk])).status_code == 404


def test_the_api_refuses_a_score_for_an_entrant_the_judge_withdrew_from(cast):
    ev = make_event(cast, judges=1)
    judge = ev.judges[0]
    api = ApiClient()
    path = url(f"/workforce/judging/{judge.pk}")
    r = api.post(path + "/recusals", judge.user, {"entry_id": ev.entries[0].pk, "relation": "family"})
    assert r.status_code == 201
    r = api.post(path + "/scores", judge.user, {"competitor_id": ev.competitors[0].pk, "value": "95"})
    assert r.status_code == 403 and "回避" in r.json()["detail"]
    r = api.post(path + "/scores", judge.user, {"competitor_id": ev.competitors[1].pk, "value": "95"})
    assert r.status_code == 200 and r.json()["value"] == "95.00"
    assert [line["number"] for line in api.get(path, judge.user).json()["lines"]] == [2]
    assert api.post(path + "/sign", judge.user).status_code == 200
    r = api.post(path + "/scores", judge.user, {"competitor_id": ev.competitors[1].pk, "value": "96"})
    assert r.status_code == 400 and "理由" in r.json()["detail"]
    ranking = api.get(url(f"/workforce/events/{ev.event.pk}/ranking"), cast.users.province_admin).json()
    assert ranking["incomplete"] == 1 and ranking["rows"][0]["total"] == "93.50"  # 80 × 0.3 + 95 × 0.7
    api.assert_no_personal_data()


def test_the_organiser_ends_the_event_issues_and_downloads_certificates(client, cast):
    ev = make_event(cast)
    score_all(ev, {0: ["90", "91", "92", "93", "94"], 1: ["80", "81", "82", "83", "84"]})
    client.force_login(cast.users.province_admin)
    event_page = reverse("workforce:event", args=[ev.event.pk])
    body = client.get(event_page).content.decode()
    assert "去掉最高分和最低分" in body and "92.00" in body and "颁发证书" not in body
    services.event_end(actor=ev.actor, event=ev.event, at=timezone.now() - dt.timedelta(hours=3))
    client.post(reverse("workforce:certificates_issue", args=[ev.event.pk]))
    certificate = Certificate.objects.get(competitor=ev.competitors[0])
    response = client.get(reverse("workforce:certificate_pdf", args=[certificate.pk]))
    assert response["Content-Type"] == "application/pdf" and response.content.startswith(b"%PDF")
    assert AuditEvent.objects.filter(action="workforce.certificate_download", actor=cast.users.province_admin).exists()
    client.force_login(cast.users.worker)  # 张伟 downloads his own
    assert client.get(reverse("workforce:certificate_pdf", args=[certificate.pk])).status_code == 200
    other = Certificate.objects.get(competitor=ev.competitors[1])
    assert client.get(reverse("workforce:certificate_pdf", args=[other.pk])).status_code == 403


def test_the_registry_lists_show_masked_data(client, cast, django_assert_max_num_queries):
    make_model_worker(cast)
    services.care_year_open(actor=None, org=cast.orgs.zhejiang, year=YEAR)
    client.force_login(cast.users.province_admin)
    with django_assert_max_num_queries(15):
        body = client.get(reverse("workforce:model_workers")).content.decode()
    assert "张伟" in body and "3301**********1236" in body and "省部级劳动模范" in body
    body = client.get(reverse("workforce:care") + f"?year={YEAR}&pending=on").content.decode()
    assert body.count("待落实") == 4 and "劳模专项补助" in body
    assert "没有符合条件的工作室" in client.get(reverse("workforce:studios")).content.decode()


def test_the_round_page_shows_the_list_check_with_its_figures(client, cast):
    rules = [{"category": "industrial", "at_least": True, "percent": 35}]
    round_ = services.round_create(actor=None, org=cast.orgs.zhejiang, name="2026年浙江省五一劳动奖章评选",
                                   title="may_day_medal", year=YEAR, quotas_by_org={str(cast.orgs.company.pk): 1},
                                   share_rules=rules)  # fmt: skip
    for member, categories in ((cast.members.li, ["industrial", "migrant"]), (cast.members.zhang, ["frontline"])):
        services.nomination_add(actor=None, round=round_, org=cast.orgs.company, person=member.person,
                                unit="杭州示例", categories=categories, deeds="攻克关键工艺难题")  # fmt: skip
    client.force_login(cast.users.grassroots_admin)
    body = client.get(reverse("workforce:round", args=[round_.pk])).content.decode()
    assert "产业工人不少于35%：1/2（50.0%）" in body and "超出名额" in body and "产业工人、农民工" in body
    assert "报送名单</button>" not in body  # refused until the list fits
    response = client.post(reverse("workforce:round_submit", args=[round_.pk]), {"org": cast.orgs.company.pk})
    assert response.status_code == 302 and not round_.nominations.filter(case__isnull=False).exists()
