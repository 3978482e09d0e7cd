"""The pages, through the paths people take: a worker applies from the phone, a cadre decides."""

import datetime as dt

import pytest
from django.urls import reverse

from gonghui.joining import services
from gonghui.joining.models import JoinApplication
from gonghui.joining.tests.conftest import NEW_ID, NEW_PHONE, PASSWORD, last_code, submit
from gonghui.testing.cast import valid_id

FORM = {"name": "赵强", "id_number": NEW_ID, "employment_form": "courier", "employer_name": "某快递网点",
        "job_title": "快递员", "region": "330106004", "password1": PASSWORD, "agree": "1"}  # fmt: skip
BAD_CHECK = NEW_ID[:-1] + ("0" if NEW_ID[-1] != "0" else "1")


def _verified_session(client):
    client.post(reverse("joining:apply"), {"phone": NEW_PHONE})
    return client.post(reverse("joining:verify"), {"code": last_code()})


def test_worker_applies_from_the_phone_and_sees_the_status(cast, client):
    assert "获取验证码" in client.get(reverse("joining:apply")).content.decode()
    response = client.post(reverse("joining:apply"), {"phone": NEW_PHONE})
    assert response.status_code == 302 and response["Location"] == reverse("joining:verify")
    page = client.get(reverse("joining:verify")).content.decode()
    assert "135****7777" in page
    wrong = "000000" if last_code() != "000000" else "111111"
    response = client.post(reverse("joining:verify"), {"code": wrong})
    assert response.status_code == 400 and "还可以再试 4 次" in response.content.decode()
    assert client.post(reverse("joining:verify"), {"code": last_code()})["Location"] == reverse("joining:form")
    assert client.get(reverse("joining:form")).status_code == 200
    response = client.post(reverse("joining:form"), FORM)
    assert response.status_code == 302 and response["Location"] == reverse("joining:mine")
    page = client.get(reverse("joining:mine")).content.decode()
    assert "待受理" in page and "西溪街道工会" in page and f'href="{reverse("joining:mine")}"' in page
    assert client.get(reverse("accounts:home"))["Location"] == reverse("portal:me")  # the worker home


def test_every_error_is_shown_at_once_and_every_field_keeps_its_value_but_the_password(cast, client):
    _verified_session(client)
    typed = FORM | {"id_number": BAD_CHECK, "password1": "123", "employer_uscc": "91330106MA2A0000X4",
                    "agree": ""}  # fmt: skip
    response = client.post(reverse("joining:form"), typed)
    page = response.content.decode()
    assert response.status_code == 400 and response["Cache-Control"] == "no-store"
    assert "有 4 处需要修改" in page
    for message in ("校验位错误", "密码", "统一社会信用代码", "请阅读并同意《入会个人信息处理规则》"):
        assert message in page, message
    for name in ("name", "id_number", "employer_name", "employer_uscc", "job_title"):
        assert f'name="{name}"' in page and f'value="{typed[name]}"' in page, name
    assert 'value="123"' not in page  # the password is never sent back
    assert '<option value="courier" selected>' in page and 'name="region" value="330106004"' in page
    assert not JoinApplication.objects.exists()


def test_required_fields_are_marked_and_the_optional_ones_say_so(cast, client):
    _verified_session(client)
    page = client.get(reverse("joining:form")).content.decode()
    assert page.count("（必填）") == 6  # name, ID, work type, region, password, consent
    assert page.count("选填") >= 3 and "您的工作类型" in page and "外卖骑手" in page
    assert f'href="{reverse("joining:notice")}"' in page


def test_the_notice_says_what_is_collected_why_who_sees_it_how_long_and_the_rights(cast, client):
    page = client.get(reverse("joining:notice")).content.decode()
    for heading in ("收集哪些信息，为什么", "谁能看到", "保存多久", "您的权利", "不告知您的用人单位"):
        assert heading in page, heading


def test_resend_waits_for_the_countdown_then_sends_to_the_same_phone(cast, client, settings):
    from gonghui.core import sms

    _verified_session(client)
    client.post(reverse("joining:apply"), {"phone": NEW_PHONE})
    page = client.get(reverse("joining:verify")).content.decode()
    assert 'data-gh-countdown="60"' in page or 'data-gh-countdown="59"' in page
    sent = len(sms.outbox)
    response = client.post(reverse("joining:resend"), follow=True)
    assert "秒后再重新获取验证码" in response.content.decode() and len(sms.outbox) == sent
    settings.GONGHUI_JOINING = {"resend_after_seconds": 0}
    response = client.post(reverse("joining:resend"))
    assert response["Location"] == reverse("joining:verify") and len(sms.outbox) == sent + 1
    assert sms.outbox[-1].phone == NEW_PHONE
    assert client.post(reverse("joining:verify"), {"code": last_code()})["Location"] == reverse("joining:form")


def test_form_without_a_verified_phone_starts_again(cast, client):
    response = client.get(reverse("joining:form"))
    assert response.status_code == 200 and "获取验证码" in response.content.decode()


def test_scanning_a_join_code_fixes_the_org(cast, client):
    code = services.join_code_create(actor=cast.users.province_admin, org=cast.orgs.xixi, label="快递员流动入会服务站")
    page = client.get(reverse("joining:code", args=[code.token])).content.decode()
    assert "快递员流动入会服务站" in page and "西溪街道工会" in page
    _verified_session(client)
    client.post(reverse("joining:form"), FORM | {"region": "330106005"})
    application = JoinApplication.objects.get()
    assert application.org == cast.orgs.xixi and application.join_code == code


def test_inactive_or_forged_code_falls_back_to_routing(cast, client):
    code = services.join_code_create(actor=cast.users.province_admin, org=cast.orgs.xixi, label="服务站")
    services.join_code_deactivate(actor=cast.users.province_admin, code=code)
    for url in (reverse("joining:code", args=[code.token]), reverse("joining:apply") + "?code=forged"):
        assert "无效或已停用" in client.get(url).content.decode()


def test_debug_hint_says_where_the_code_is(cast, client, settings):
    settings.DEBUG, settings.GONGHUI_SMS_BACKEND = True, "console"
    client.post(reverse("joining:apply"), {"phone": NEW_PHONE})
    assert "验证码在服务器日志中" in client.get(reverse("joining:verify")).content.decode()


def _apply_from_a_phone(client, phone: str, id_number: str):
    client.post(reverse("joining:apply"), {"phone": phone})
    client.post(reverse("joining:verify"), {"code": last_code()})
    response = client.post(reverse("joining:form"), FORM | {"id_number": id_number})
    return response.status_code, response.get("Location"), client.get(reverse("joining:mine")).content.decode()


@pytest.mark.security
def test_another_phone_learns_nothing_about_a_pending_application_and_the_union_sees_the_duplicate(cast, client):
    from django.test import Client

    submit()
    stranger = _apply_from_a_phone(Client(), "13566660000", NEW_ID)
    fresh = _apply_from_a_phone(Client(), "13566660001", valid_id("33010619950101011"))
    assert stranger[:2] == fresh[:2] == (302, reverse("joining:mine"))
    assert "已提交过" not in stranger[2] and stranger[2].count("待受理") == fresh[2].count("待受理") == 1
    duplicate = JoinApplication.objects.get(duplicate_of__isnull=False)
    client.force_login(cast.users.province_admin)
    assert "重复申请" in client.get(reverse("joining:todo")).content.decode()
    assert "同一身份证号已有一份待办" in client.get(reverse("joining:detail", args=[duplicate.pk])).content.decode()


def test_cadre_sees_the_todo_with_overdue_flags_and_accepts(cast, client):
    application = submit()
    JoinApplication.objects.filter(pk=application.pk).update(due_on=dt.date(2024, 1, 2))
    client.force_login(cast.users.province_admin)
    page = client.get(reverse("joining:todo")).content.decode()
    assert "赵强" in page and "已超期" in page
    assert "赵强" in client.get(reverse("joining:todo") + "?show=overdue").content.decode()
    page = client.get(reverse("joining:detail", args=[application.pk])).content.decode()
    assert application.id_number_masked in page and "135****7777" in page and "所在乡镇（街道）工会" in page
    response = client.post(reverse("joining:accept", args=[application.pk]), {"version": 1})
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == "accepted" and application.membership.org == cast.orgs.xixi
    client.force_login(application.account)
    page = client.get(reverse("joining:mine")).content.decode()
    assert "已入会" in page and application.membership.card_number in page and reverse("portal:card") in page
    assert client.get(reverse("portal:card")).status_code == 200


def test_reject_without_a_reason_says_so_and_a_stale_form_is_a_conflict(cast, client):
    application = submit()
    client.force_login(cast.users.province_admin)
    url = reverse("joining:detail", args=[application.pk])
    client.post(reverse("joining:reject", args=[application.pk]), {"version": 1, "reason": ""})
    assert "请填写退回原因" in client.get(url).content.decode()
    client.post(reverse("joining:reject", args=[application.pk]), {"version": 1, "reason": "不在本辖区"})
    client.post(reverse("joining:accept", args=[application.pk]), {"version": 1})
    assert "已被他人办理" in client.get(url).content.decode()
    assert JoinApplication.objects.get().status == "rejected"


def test_escalated_application_shows_at_the_upper_level(cast, client):
    from gonghui.cases.services import cases_escalate_overdue as escalate_overdue

    application = submit()
    escalate_overdue(today=application.due_on + dt.timedelta(days=1))
    client.force_login(cast.users.province_admin)
    assert "已升级至杭州市西湖区总工会" in client.get(reverse("joining:todo")).content.decode()


def test_join_codes_and_the_printable_poster(cast, client):
    client.force_login(cast.users.province_admin)
    response = client.post(reverse("joining:codes"), {"org": cast.orgs.xixi.pk, "label": "快递员流动入会服务站"})
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "<svg" in page and "西溪街道工会" in page and "快递员流动入会服务站" in page
    response = client.post(reverse("joining:codes"), {"org": cast.orgs.xihu.pk, "label": "服务站"})
    assert response.status_code == 400 and "不直接发展会员" in response.content.decode()


def test_the_todo_list_needs_the_same_queries_for_more_rows(cast, client, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(cast.users.province_admin)
    submit()
    client.get(reverse("joining:todo"))  # warm the session and caches
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("joining:todo"))
    for i in range(3):
        submit(phone=f"1356666000{i}", id_number=valid_id(f"3301061995010110{i}"), name=f"申请人{i}")
    with django_assert_num_queries(len(one)):
        client.get(reverse("joining:todo"))


def test_the_consent_given_when_joining_shows_under_my_personal_data_and_follows_the_member(cast, client):
    from gonghui.privacy.models import ConsentRecord

    _verified_session(client)
    client.post(reverse("joining:form"), FORM)
    page = client.get(reverse("privacy:mine")).content.decode()
    assert "身份证件号码" in page and "手机号码" in page and "办理入会" in page and "入会-2026-11" in page
    application = JoinApplication.objects.get()
    assert set(ConsentRecord.objects.filter(account=application.account, person=None)
               .values_list("category", flat=True)) == {"id_number", "phone"}  # fmt: skip
    services.application_accept(actor=cast.users.province_admin, application=application, version=1)
    person = JoinApplication.objects.get().membership.person
    assert ConsentRecord.objects.filter(person=person).count() == 2
    page = client.get(reverse("privacy:mine")).content.decode()
    assert "撤回" in page and "提出请求" in page
