"""Registering venues, recognitions, QR codes and check-ins, through the services as the pages call them."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone

from gonghui.core.errors import ConflictError
from gonghui.core.models import AuditEvent
from gonghui.venues import services
from gonghui.venues.models import CheckIn, Facility, Footfall, Recognition
from gonghui.venues.tests.conftest import make_station, station_data

pytestmark = pytest.mark.django_db


def test_create_stores_gcj02_and_converts_gps(cast):
    typed = make_station(cast)
    assert (typed.lat, typed.lng) == (30.259, 120.13)
    gps = make_station(cast, lat=39.915, lng=116.404, wgs84=True)
    assert gps.lat == pytest.approx(39.91640428150164) and gps.lng == pytest.approx(116.41024449916938)
    assert gps.facilities & Facility.MICROWAVE
    event = AuditEvent.objects.filter(action="venues.venue_create").last()
    assert event.actor == cast.users.grassroots_admin and event.org == cast.orgs.company


@pytest.mark.parametrize(
    ("extra", "field", "message"),
    [({"name": " "}, "name", "请填写名称。"), ({"lat": 30.2, "lng": None}, "lat", "请同时填写纬度和经度。"),
     ({"lat": 48.85, "lng": 2.35}, "lat", "位置不在我国境内，请检查经纬度是否填反。"),
     ({"lat": 120.13, "lng": 30.25}, "lat", "纬度应在 -90 到 90 之间。"),
     ({"open_days": ""}, "open_days", "请选择开放日。"),
     ({"closes_at": None}, "opens_at", "请填写开放和关闭时间，或选择 24 小时开放。"),
     ({"closes_at": dt.time(8)}, "closes_at", "关闭时间不能与开放时间相同；全天开放请选择 24 小时开放。"),
     ({"library_grade": "national"}, "library_grade", "只有职工书屋有级别。"),
     ({"checked": ["computer"]}, "checked", "核验项不属于这类阵地的标准。"),
     ({"books": -1}, "books", "藏书册数不能为负数。"), ({"facilities": [3]}, "facilities", "设施选项无效。")],
)  # fmt: skip
def test_bad_input_is_refused_in_chinese_and_nothing_is_saved(cast, extra, field, message):
    with pytest.raises(ValidationError) as error:
        make_station(cast, **extra)
    assert error.value.message_dict[field] == [message]
    assert not AuditEvent.objects.filter(action="venues.venue_create").exists()


def test_scope_and_role(cast):
    with pytest.raises(Http404):
        make_station(cast, actor=cast.users.sibling_admin)
    with pytest.raises(PermissionDenied):
        make_station(cast, actor=cast.users.readonly, org=cast.orgs.zhejiang)
    assert AuditEvent.objects.filter(action="access.denied", actor=cast.users.readonly).exists()


def test_update_checks_the_version(cast):
    venue = make_station(cast)
    updated = services.venue_update(actor=cast.users.province_admin, venue=venue, version=1,
                                    **station_data(name="西溪路驿站", all_day=True, is_active=True))  # fmt: skip
    assert (updated.name, updated.version, updated.opens_at) == ("西溪路驿站", 2, None)
    with pytest.raises(ConflictError):
        services.venue_update(actor=cast.users.grassroots_admin, venue=venue, version=1,
                              **station_data(is_active=True))  # fmt: skip
    with pytest.raises(Http404):
        services.venue_update(actor=cast.users.sibling_admin, venue=venue, version=2, **station_data(is_active=True))


def test_a_recognition_once_a_year(cast):
    venue = make_station(cast)
    services.recognition_add(actor=cast.users.province_admin, venue=venue, title="best_station", year=2025,
                             conferred_by="浙江省总工会")  # fmt: skip
    with pytest.raises(ValidationError) as error:
        services.recognition_add(actor=cast.users.province_admin, venue=venue, title="best_station", year=2025,
                                 conferred_by="浙江省总工会")  # fmt: skip
    assert error.value.messages == ["这项荣誉在该年度已经登记。"]
    with pytest.raises(ValidationError):
        services.recognition_add(actor=cast.users.province_admin, venue=venue, title="best_station", year=2999,
                                 conferred_by="浙江省总工会")  # fmt: skip
    assert Recognition.objects.count() == 1


def test_check_in_once_a_day_and_footfall(cast):
    venue = make_station(cast)
    token = services.qr_token(venue)
    first, created = services.checkin_record(actor=cast.users.worker, token=token)
    again, created_again = services.checkin_record(actor=cast.users.worker, token=token)
    assert created and not created_again and first.pk == again.pk
    services.checkin_record(actor=cast.users.grassroots_admin, token=token)
    tomorrow = timezone.now() + dt.timedelta(days=1)
    services.checkin_record(actor=cast.users.worker, token=token, at=tomorrow)
    counts = dict(Footfall.objects.values_list("day", "visits"))
    assert counts == {timezone.localdate(): 2, timezone.localdate(tomorrow): 1}


def test_check_in_day_is_the_day_in_shanghai(cast):
    venue = make_station(cast)
    late_utc = dt.datetime(2026, 3, 1, 17, 30, tzinfo=dt.UTC)  # 01:30 on 2 March in Shanghai
    row, _ = services.checkin_record(actor=cast.users.worker, token=services.qr_token(venue), at=late_utc)
    assert row.day == dt.date(2026, 3, 2)


def test_forged_renewed_and_closed_codes_are_refused(cast):
    venue = make_station(cast)
    token = services.qr_token(venue)
    with pytest.raises(ValidationError, match="二维码无效"):
        services.checkin_record(actor=cast.users.worker, token=token[:-2] + "xx")
    with pytest.raises(ValidationError, match="二维码无效"):
        services.checkin_record(actor=cast.users.worker, token=f"{venue.pk}.1")
    services.qr_renew(actor=cast.users.grassroots_admin, venue=venue)
    with pytest.raises(ValidationError, match="二维码已失效"):
        services.checkin_record(actor=cast.users.worker, token=token)
    assert services.checkin_record(actor=cast.users.worker, token=services.qr_token(venue))[1]
    with pytest.raises(PermissionDenied):
        services.qr_renew(actor=cast.users.readonly, venue=venue)


def test_retention_deletes_old_check_ins_and_keeps_the_footfall(cast):
    venue = make_station(cast)
    token = services.qr_token(venue)
    old = timezone.now() - dt.timedelta(days=200)
    services.checkin_record(actor=cast.users.worker, token=token, at=old)
    services.checkin_record(actor=cast.users.worker, token=token)
    deleted = services.checkins_delete(cutoff=timezone.now() - dt.timedelta(days=180), batch_size=1)
    assert deleted == 1
    assert CheckIn.objects.count() == 1
    assert Footfall.objects.filter(day=timezone.localdate(old)).get().visits == 1
