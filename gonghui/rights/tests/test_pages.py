"""The rights pages and API as people use them: a worker files on the phone (with a document) and reads the
reply; an anonymous filer appears on no cadre page, list, export row or API response; hotline filing; the legal
case page with its clocks and its narrative for the handling union only; clusters and signals."""

import datetime as dt
import json

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from gonghui.cases.models import CaseAttachment
from gonghui.cases.tests.support import PDF
from gonghui.rights import services
from gonghui.rights.lists import REQUESTS
from gonghui.rights.models import RightsRequest
from gonghui.rights.tests.conftest import TECH_USCC, make_legal, make_request
from gonghui.testing.api import ApiClient

FORM = {"category": "wages", "description": "三个月没发工资了，约两万四千元。", "employer_name": "杭州示例科技有限公司",
        "employer_uscc": TECH_USCC}  # fmt: skip


def test_a_worker_files_on_the_phone_reads_the_reply_and_rates_it(cast, client, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    client.force_login(cast.users.worker)
    bad = client.post(reverse("rights:file"), FORM | {"employer_uscc": "91330106MA2A0000X4"})
    assert bad.status_code == 400 and "统一社会信用代码" in bad.content.decode() and not RightsRequest.objects.exists()
    response = client.post(reverse("rights:file"), FORM | {"files": [SimpleUploadedFile("工资条.pdf", PDF)]})
    request = RightsRequest.objects.get()
    assert response["Location"] == reverse("rights:mine_detail", args=[request.pk])
    assert CaseAttachment.objects.get(case=request.case).file_name == "工资条.pdf"
    page = client.get(response["Location"]).content.decode()
    assert "待受理" in page and "杭州示例科技有限公司工会" in page and "工会尚未答复" in page
    client.force_login(cast.users.grassroots_admin)
    detail = client.get(reverse("rights:detail", args=[request.pk])).content.decode()
    assert "张伟" in detail and "三个月没发工资了" in detail and "工资条.pdf" in detail
    client.post(
        reverse("rights:act", args=[request.pk]), {"action": "reply", "version": 1, "text": "已约谈单位，周五前补发。"}
    )
    client.force_login(cast.users.worker)
    page = client.get(reverse("rights:mine_detail", args=[request.pk])).content.decode()
    assert "已约谈单位，周五前补发。" in page and "已答复" in page and "评价并办结" in page
    request.refresh_from_db()
    rated = client.post(reverse("rights:mine_act", args=[request.pk]),
                        {"action": "rate", "satisfaction": 5, "version": request.version}, follow=True)  # fmt: skip
    assert "感谢您的评价" in rated.content.decode() and RightsRequest.objects.get().satisfaction == 5


def test_an_anonymous_filer_appears_on_no_cadre_surface(cast, client):
    request = make_request(cast, anonymous=True)
    services.request_accept(actor=cast.users.grassroots_admin, request=request, version=1)
    api = ApiClient()
    for user in (cast.users.grassroots_admin, cast.users.province_admin, cast.users.national_admin):
        client.force_login(user)
        for url in (reverse("rights:list"), reverse("rights:detail", args=[request.pk]),
                    reverse("cases:detail", args=[request.case_id]), reverse("cases:todo")):  # fmt: skip
            body = client.get(url).content.decode()
            assert "张伟" not in body and "zhangwei" not in body, url
        assert "匿名" in client.get(reverse("rights:detail", args=[request.pk])).content.decode()
        rows = [REQUESTS.cells(row, unmasked=True) for row in REQUESTS.rows(user, {})]
        assert rows and all("张伟" not in str(cells) for cells in rows) and rows[0][4] == "匿名"
        for path in ("/api/v1/rights/requests", f"/api/v1/rights/requests/{request.pk}"):
            body = json.dumps(api.call("GET", path, user).json(), ensure_ascii=False)
            assert "张伟" not in body and "匿名" in body
    mine = api.call("GET", f"/api/v1/rights/requests/mine/{request.pk}", cast.users.worker).json()
    assert mine["anonymous"] and mine["description"].startswith("单位已拖欠")


def test_a_hotline_operator_files_for_a_caller_who_then_reads_it(cast, client):
    client.force_login(cast.users.province_admin)
    form = FORM | {"category": "hours", "caller_name": "张伟", "caller_phone": "13812345678"}
    assert client.get(reverse("rights:file"))["Location"] == reverse("rights:hotline")
    missing = client.post(reverse("rights:hotline"), form | {"caller_phone": ""})
    assert missing.status_code == 400 and "来电人正确的手机号码" in missing.content.decode()
    response = client.post(reverse("rights:hotline"), form)
    request = RightsRequest.objects.get()
    assert response.status_code == 302 and request.via_hotline and request.filer == cast.users.worker
    page = client.get(reverse("rights:detail", args=[request.pk])).content.decode()
    assert "热线代录" in page and "138****5678" in page and "13812345678" not in page
    client.force_login(cast.users.worker)
    assert "热线代录" in client.get(reverse("rights:mine_detail", args=[request.pk])).content.decode()


def test_the_legal_case_page_shows_clocks_and_its_narrative_to_the_handling_union_only(cast, client):
    request = make_request(cast)
    client.force_login(cast.users.grassroots_admin)
    new = client.get(reverse("rights:legal_new") + f"?request={request.pk}").content.decode()
    assert "杭州示例科技有限公司" in new
    form = {"kind": "arbitration", "handler": cast.users.grassroots_admin.pk, "parties": "申请人：张伟",
            "claims": "支付工资 24000 元", "amount_claimed": "24000", "wage_arrears": "on",
            "employer_name": "杭州示例科技有限公司", "employer_uscc": TECH_USCC,
            "known_on": (dt.date.today() - dt.timedelta(days=90)).isoformat()}  # fmt: skip
    response = client.post(reverse("rights:legal_new") + f"?request={request.pk}", form)
    legal = request.legal_cases.get()
    assert response["Location"] == reverse("rights:legal_detail", args=[legal.pk])
    applied = (dt.date.today() - dt.timedelta(days=3)).isoformat()
    client.post(reverse("rights:legal_act", args=[legal.pk]), {"action": "milestone", "kind": "arbitration_applied_on",
                                                                "on": applied})  # fmt: skip
    page = client.get(reverse("rights:legal_detail", args=[legal.pk])).content.decode()
    assert "支付工资 24000 元" in page and "仲裁受理（5个工作日）" in page and "申请仲裁" in page
    client.force_login(cast.users.province_admin)
    page = client.get(reverse("rights:legal_detail", args=[legal.pk])).content.decode()
    assert "支付工资 24000 元" not in page and "仅承办工会和承办律师" in page and "仲裁受理" in page
    assert "支付工资" not in client.get(reverse("rights:legal_list")).content.decode()


def test_clusters_and_signals_pages(cast, client):
    for _ in range(3):
        make_request(cast)
    make_legal(cast)
    client.force_login(cast.users.province_admin)
    clusters = client.get(reverse("rights:clusters")).content.decode()
    assert "杭州示例科技有限公司" in clusters and "拖欠工资" in clusters
    signals = client.get(reverse("rights:signals")).content.decode()
    assert "杭州市" in signals and "拖欠工资 3" in signals and "20000.00" in signals


def test_the_api_files_and_reads_the_workers_own(cast):
    api = ApiClient()
    bad = api.call(
        "POST",
        "/api/v1/rights/requests",
        cast.users.worker,
        {"category": "injury", "description": "x", "anonymous": True, "employer_uscc": TECH_USCC},
    )
    assert bad.status_code == 400 and "实名" in bad.json()["detail"]
    made = api.call(
        "POST",
        "/api/v1/rights/requests",
        cast.users.worker,
        {"category": "injury", "description": "搬运时受伤", "employer_uscc": TECH_USCC},
    ).json()
    assert made["org_name"] == "杭州示例科技有限公司工会" and made["status"] == "submitted" and made["replies"] == []
    mine = api.call("GET", "/api/v1/rights/requests/mine", cast.users.worker).json()
    assert [r["id"] for r in mine["items"]] == [made["id"]]
    api.assert_no_personal_data()


def test_a_phone_number_typed_into_a_request_is_masked_for_cadres(cast, client):
    request = make_request(cast, description="请回电 13812345678，白天上班不方便接。")
    client.force_login(cast.users.grassroots_admin)
    page = client.get(reverse("rights:detail", args=[request.pk])).content.decode()
    assert "138****5678" in page and "13812345678" not in page
