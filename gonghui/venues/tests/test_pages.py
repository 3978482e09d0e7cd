"""The venues pages as people use them: a cadre registers a station (GPS converted) and sees its standard,
QR code and footfall; a worker finds stations from the phone and checks in by QR; the keeper sees today's
visits; the list, its export and the report; the person's copy holds their check-ins."""

import io
import json

from django.urls import reverse
from openpyxl import load_workbook

from gonghui.core.models import AuditEvent, ExportJob
from gonghui.core.tasks import export_task
from gonghui.privacy.services import personal_data_of
from gonghui.testing import pii_guard
from gonghui.venues import services
from gonghui.venues.models import Venue
from gonghui.venues.tests.conftest import XIHU, make_station
from gonghui.venues.tests.test_permissions import _form


def test_cadre_registers_a_station_from_a_gps_position(cast, client):
    client.force_login(cast.users.grassroots_admin)
    response = client.post(reverse("venues:new"), _form(cast, lat="39.915", lng="116.404", wgs84="on"))
    assert response.status_code == 302
    venue = Venue.objects.get()
    assert (round(venue.lat, 6), round(venue.lng, 6)) == (39.916404, 116.410244)
    page = client.get(response["Location"]).content.decode()
    assert "工会驿站“六有”标准" in page and "达标" in page and "未达标" not in page
    assert "<svg" in page and "签到二维码" in page


def test_the_form_says_what_is_wrong_in_chinese(cast, client):
    client.force_login(cast.users.grassroots_admin)
    response = client.post(reverse("venues:new"), _form(cast, closes_at=""))
    assert response.status_code == 400
    assert "请填写开放和关闭时间，或选择 24 小时开放。" in response.content.decode()
    response = client.post(reverse("venues:new"), _form(cast, lat="48.85", lng="2.35"))
    assert response.status_code == 400 and "位置不在我国境内" in response.content.decode()
    assert not Venue.objects.exists()


def test_an_unmet_standard_lists_what_is_missing(cast, client):
    venue = make_station(cast, checked=["place"], facilities=[1, 2])
    client.force_login(cast.users.province_admin)
    page = client.get(reverse("venues:detail", args=[venue.pk])).content.decode()
    assert "未达标" in page and "缺：取暖、充电、如厕、急救药箱" in page


def test_edit_keeps_the_version_and_recognitions_show(cast, client):
    venue = make_station(cast)
    client.force_login(cast.users.province_admin)
    form = client.get(reverse("venues:edit", args=[venue.pk])).content.decode()
    assert 'value="西溪路环卫工会驿站"' in form and 'name="version"' in form
    data = _form(cast, name="西溪驿站", version=1, is_active="on")
    assert client.post(reverse("venues:edit", args=[venue.pk]), data).status_code == 302
    stale = client.post(reverse("venues:edit", args=[venue.pk]), data)
    assert stale.status_code == 409 and "该记录已被他人修改" in stale.content.decode()
    client.post(reverse("venues:recognise", args=[venue.pk]),
                {"title": "best_station", "year": 2025, "conferred_by": "杭州市总工会"})  # fmt: skip
    page = client.get(reverse("venues:detail", args=[venue.pk])).content.decode()
    assert "西溪驿站" in page and "2025 年 最美工会驿站" in page


def test_worker_finds_stations_from_the_phone(cast, client):
    make_station(cast)
    far = make_station(cast, name="南京玄武驿站", org=cast.orgs.logistics, actor=cast.users.national_admin,
                       lat=32.048, lng=118.797)  # fmt: skip
    response = client.get(reverse("venues:nearby"))
    assert "geolocation=(self)" in response["Permissions-Policy"]
    assert "camera=()" in response["Permissions-Policy"]
    page = client.get(reverse("venues:nearby") + f"?lat={XIHU[0]}&lng={XIHU[1]}&facilities=2").content.decode()
    assert "西溪路环卫工会驿站" in page and far.name not in page and "0 米" in page
    assert 'id="venues-map-data"' in page and "echarts" in page
    # a GPS position (WGS-84) is converted before the search: ~550 m off here, to the north-east
    gps = client.get(reverse("venues:nearby") + f"?lat={XIHU[0]}&lng={XIHU[1]}&gps=1").content.decode()
    data = json.loads(gps.split('id="venues-map-data" type="application/json">')[1].split("</script>")[0])
    assert data["centre"]["lat"] != XIHU[0] and data["points"][0]["distance"] != "0 米"
    bad = client.get(reverse("venues:nearby") + "?lat=abc&lng=120")
    assert bad.status_code == 400 and "纬度应为数字，如 30.2590。" in bad.content.decode()


def test_check_in_by_qr_and_the_keepers_page(cast, client):
    venue = make_station(cast, keeper=cast.users.grassroots_admin)
    url = reverse("venues:checkin", args=[services.qr_token(venue)])
    anonymous = client.get(url)
    assert anonymous.status_code == 302 and "/login/" in anonymous["Location"]
    client.force_login(cast.users.worker)
    assert "确认签到" in client.get(url).content.decode()
    assert "签到成功" in client.post(url).content.decode()
    assert "今天已签到" in client.post(url).content.decode()
    forged = client.get(reverse("venues:checkin", args=["1.1:abc"]))
    assert forged.status_code == 404 and "二维码无效" in forged.content.decode()
    client.force_login(cast.users.grassroots_admin)
    keeper = client.get(reverse("venues:keeper")).content.decode()
    assert f'data-visits="{venue.pk}">1 ' in keeper and "张伟" not in keeper
    nearby = client.get(reverse("venues:nearby")).content.decode()
    assert reverse("venues:keeper") in nearby
    detail = client.get(reverse("venues:detail", args=[venue.pk])).content.decode()
    assert "近 30 天客流" in detail and "暂无签到" not in detail


def test_check_ins_are_in_the_persons_copy(cast):
    venue = make_station(cast)
    services.checkin_record(actor=cast.users.worker, token=services.qr_token(venue))
    with pii_guard.paused():
        copy = personal_data_of(cast.members.zhang.person)["扫码签到"]
    assert copy[0]["阵地"] == "西溪路环卫工会驿站" and copy[0]["时间"]


def test_list_export_and_report(cast, client):
    station = make_station(cast)
    services.recognition_add(actor=None, venue=station, title="best_station", year=2025, conferred_by="全总")
    make_station(cast, name="西湖职工书屋", kind="library", library_grade="local", books=600, area_m2=40, checked=[])
    client.force_login(cast.users.province_admin)
    page = client.get(reverse("venues:list") + "?kind=library").content.decode()
    assert "西湖职工书屋" in page and "西溪路环卫工会驿站" not in page and "导出" in page
    client.post(reverse("exports:list"), {"list": "venues.venues", "kind": "station"})
    job = ExportJob.objects.get()
    export_task.call(job.pk)
    response = client.get(reverse("exports:download", args=[job.pk]))
    rows = [
        list(r)
        for r in load_workbook(io.BytesIO(b"".join(response.streaming_content))).active.iter_rows(values_only=True)
    ]
    assert (
        rows[0][:2] == ["名称", "类型"]
        and rows[1][0] == "西溪路环卫工会驿站"
        and rows[1][9] == "达标"
        and len(rows) == 2
    )
    assert AuditEvent.objects.filter(action="venues.venues.export").exists()
    report = client.get(reverse("venues:report")).content.decode()
    assert "职工书屋（地方示范点）" in report and "16000" in report
    client.force_login(cast.users.sibling_admin)
    assert "职工书屋（地方示范点）" not in client.get(reverse("venues:report")).content.decode()


def test_list_queries_do_not_grow_with_the_venues(cast, client, django_assert_max_num_queries):
    make_station(cast)
    client.force_login(cast.users.province_admin)
    client.get(reverse("venues:list"))
    with django_assert_max_num_queries(12) as one:
        client.get(reverse("venues:list"))
    for i in range(5):
        make_station(cast, name=f"驿站{i}")
    with django_assert_max_num_queries(len(one.captured_queries)):
        client.get(reverse("venues:list"))
