"""Personal-data requests (PIPL art. 44-47, 50): tracked to completion, deadlines in working days."""

import datetime as dt
import json

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from gonghui.accounts.services import user_create
from gonghui.core import crypto
from gonghui.core.models import AuditEvent
from gonghui.core.workdays import add_working_days
from gonghui.members.models import Membership, Person
from gonghui.members.services import membership_end
from gonghui.privacy import services
from gonghui.privacy.models import DataExport, DataSubjectRequest
from gonghui.testing.cast import ZHANG_WEI_ID
from gonghui.testing.pii_guard import paused


def test_deadline_comes_from_the_policy(cast, settings):
    settings.GONGHUI_PRIVACY = {"request_due_working_days": 3}
    request = services.request_create(actor=None, person=cast.members.zhang.person, kind="access")
    received = timezone.localdate(request.received_at)
    assert request.due_on == add_working_days(received, 3) != add_working_days(received, 15)


def test_worker_asks_for_a_copy_and_downloads_it_when_done(client, cast):
    zhang = cast.members.zhang.person
    services.consent_give(actor=None, person=zhang, category="phone", purpose="通知", text_version="v1")
    client.force_login(cast.users.worker)
    response = client.post(reverse("privacy:request_create"), {"kind": "export"}, follow=True)
    assert "已受理您的复制/导出请求" in response.content.decode()
    request = DataSubjectRequest.objects.get(person=zhang)
    assert request.status == "received" and request.created_by == cast.users.worker
    assert "下载" not in client.get(reverse("privacy:mine")).content.decode()
    assert client.get(reverse("privacy:export_download", args=[request.pk])).status_code == 404

    cadre = client.__class__()
    cadre.force_login(cast.users.grassroots_admin)
    assert cadre.post(reverse("privacy:request_start", args=[request.pk])).status_code == 302
    assert cadre.post(reverse("privacy:request_complete", args=[request.pk]), {"note": ""}).status_code == 302
    request.refresh_from_db()
    assert request.status == "completed" and request.handled_by == cast.users.grassroots_admin
    export = DataExport.objects.get(request=request)
    assert ZHANG_WEI_ID not in export.payload_enc and "张伟" not in export.payload_enc  # encrypted at rest

    page = client.get(reverse("privacy:mine")).content.decode()
    assert reverse("privacy:export_download", args=[request.pk]) in page
    with paused():  # their own copy (audited, PIPL art. 45)
        response = client.get(reverse("privacy:export_download", args=[request.pk]))
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment")
    data = json.loads(response.content)
    assert data["个人信息"]["身份证号码"] == ZHANG_WEI_ID and data["个人信息"]["手机号码"] == "13812345678"
    assert data["会籍"][0]["会员证号"] == cast.members.zhang.card_number
    assert data["同意记录"][0]["信息类别"] == "手机号码" and data["权利请求"][0]["请求类型"] == "复制/导出"
    assert AuditEvent.objects.filter(action="privacy.export.download", object_id=str(request.pk)).count() == 1
    assert ZHANG_WEI_ID not in json.dumps(list(AuditEvent.objects.values("detail")), ensure_ascii=False)


def test_another_worker_cannot_download_the_copy(client, cast):
    request = services.request_create(actor=None, person=cast.members.zhang.person, kind="export")
    services.request_complete(actor=None, request=request)
    li = user_create(actor=None, username="lina", password=cast.password, check_password=False,
                     person=cast.members.li.person)  # fmt: skip
    client.force_login(li)
    assert client.get(reverse("privacy:export_download", args=[request.pk])).status_code == 404


def test_correction_needs_details_and_the_handler_gets_the_edit_link(client, cast):
    zhang = cast.members.zhang.person
    client.force_login(cast.users.worker)
    response = client.post(reverse("privacy:request_create"), {"kind": "correct", "details": ""})
    assert response.status_code == 400 and "哪项信息有误" in response.content.decode()
    client.post(reverse("privacy:request_create"), {"kind": "correct", "details": "岗位应为工程师"})
    request = DataSubjectRequest.objects.get(person=zhang, kind="correct")
    client.force_login(cast.users.grassroots_admin)
    body = client.get(reverse("privacy:request_detail", args=[request.pk])).content.decode()
    assert reverse("members:edit", args=[zhang.pk]) in body and "岗位应为工程师" in body


def test_a_second_open_request_of_the_same_kind_is_refused(cast):
    zhang = cast.members.zhang.person
    services.request_create(actor=None, person=zhang, kind="access")
    with pytest.raises(ValidationError, match="同类请求"):
        services.request_create(actor=None, person=zhang, kind="access")


def test_refusal_needs_a_reason_and_the_worker_sees_it(client, cast):
    request = services.request_create(actor=None, person=cast.members.zhang.person, kind="access")
    with pytest.raises(ValidationError):
        services.request_refuse(actor=None, request=request, reason="  ")
    client.force_login(cast.users.grassroots_admin)
    response = client.post(reverse("privacy:request_refuse", args=[request.pk]), {"reason": ""})
    assert response.status_code == 400 and "请填写不予办理的理由" in response.content.decode()
    client.post(reverse("privacy:request_refuse", args=[request.pk]), {"reason": "无法核实申请人身份"})
    request.refresh_from_db()
    assert request.status == "refused" and request.completed_at is not None
    with pytest.raises(ValidationError, match="不能再办理"):
        services.request_complete(actor=None, request=request)
    client.force_login(cast.users.worker)
    assert "无法核实申请人身份" in client.get(reverse("privacy:mine")).content.decode()
    assert AuditEvent.objects.filter(action="privacy.request.refuse").count() == 1


def test_queue_is_scoped_and_highlights_overdue(client, cast):
    zhang = services.request_create(actor=None, person=cast.members.zhang.person, kind="access")
    wang = services.request_create(actor=None, person=cast.members.wang.person, kind="delete")
    DataSubjectRequest.objects.filter(pk=zhang.pk).update(due_on=dt.date.today() - dt.timedelta(days=1))
    client.force_login(cast.users.province_admin)
    body = client.get(reverse("privacy:queue")).content.decode()
    assert "张伟" in body and "王芳" not in body and "已逾期" in body and "table-danger" in body
    client.force_login(cast.users.sibling_admin)
    body = client.get(reverse("privacy:queue")).content.decode()
    assert "王芳" in body and "张伟" not in body and "已逾期" not in body
    services.request_refuse(actor=None, request=wang, reason="重复")
    assert "王芳" not in client.get(reverse("privacy:queue")).content.decode()
    assert "王芳" in client.get(reverse("privacy:queue") + "?all=1").content.decode()


def test_deletion_waits_for_the_membership_to_end(client, cast):
    zhang = cast.members.zhang.person
    request = services.request_create(actor=None, person=zhang, kind="delete")
    client.force_login(cast.users.grassroots_admin)
    body = client.get(reverse("privacy:request_detail", args=[request.pk])).content.decode()
    assert "请先办理退会" in body
    response = client.post(reverse("privacy:request_complete", args=[request.pk]), {"note": ""}, follow=True)
    assert "仍有有效会籍" in response.content.decode()
    request.refresh_from_db()
    assert request.status == "received" and Person.objects.get(pk=zhang.pk).name == "张伟"


def test_deletion_anonymises_and_keeps_the_membership_record(client, cast):
    zhang = cast.members.zhang.person
    services.consent_give(actor=None, person=zhang, category="phone", purpose="通知", text_version="v1")
    bidx = zhang.id_number_bidx
    membership_end(actor=None, membership=cast.members.zhang, status="withdrawn", reason="本人申请退会")
    request = services.request_create(actor=None, person=zhang, kind="delete")
    client.force_login(cast.users.grassroots_admin)
    client.post(reverse("privacy:request_complete", args=[request.pk]), {"note": "已删除"})
    person = Person.objects.get(pk=zhang.pk)
    assert person.name == "已删除" and person.name_pinyin == "" and person.employer is None
    assert person.phone_enc == person.phone_bidx == person.phone_masked == ""
    assert person.id_number_enc == person.id_number_masked == ""
    assert person.id_number_bidx == bidx and person.birth_date == dt.date(1990, 1, 1)
    assert Membership.objects.filter(person=person).count() == 1
    assert not person.consents.filter(withdrawn_at__isnull=True).exists()
    event = AuditEvent.objects.get(action="privacy.person.anonymise")
    assert event.detail == {"kept_id_index": True}
    request.refresh_from_db()
    assert request.status == "completed"


def test_deleting_a_person_without_membership_drops_the_id_index(cast):
    person = Person.objects.create(name="孤立", name_pinyin="guli", name_initials="gl", gender="M",
                                   birth_date=dt.date(1980, 5, 5), id_number_enc=crypto.encrypt("x"),
                                   id_number_bidx="a" * 64, id_number_masked="x")  # fmt: skip
    services.person_anonymise(actor=None, person=person)
    person.refresh_from_db()
    assert person.id_number_bidx.startswith("deleted-") and len(person.id_number_bidx) == 64
