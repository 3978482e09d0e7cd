"""Online joining through its services: phone codes, applying, deadlines, escalation, decisions, join codes."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from gonghui.accounts.models import User
from gonghui.cases.services import cases_escalate_overdue as escalate_overdue
from gonghui.core import crypto, sms
from gonghui.core.audit import AuditEvent
from gonghui.core.errors import ConflictError
from gonghui.core.models import WorkdayOverride
from gonghui.core.sealed import SealedIdNumber, SealedPhone, phone_index
from gonghui.core.workdays import add_working_days
from gonghui.joining import services
from gonghui.joining.backends import username_for_phone
from gonghui.joining.models import JoinApplication, PhoneVerification, RoutingRule
from gonghui.joining.tests.conftest import NEW_ID, NEW_PHONE, last_code, submit, verified
from gonghui.members.models import Membership
from gonghui.orgs.models import OrgType, Region
from gonghui.testing.api import ApiClient, url
from gonghui.testing.cast import ZHANG_WEI_ID, add_org, valid_id

# ----- phone codes -------------------------------------------------------------------------------------------


def test_code_is_sent_and_only_its_digest_is_kept(db):
    verification = services.phone_code_send(phone="+86 135 6666 7777")
    code = last_code()
    assert sms.outbox[-1].phone == NEW_PHONE
    assert verification.phone_masked == "135****7777"
    assert code not in verification.code_hash and NEW_PHONE not in verification.phone_enc


def test_wrong_code_is_counted_and_refused_after_five_tries(db):
    verification = services.phone_code_send(phone=NEW_PHONE)
    code = last_code()
    wrong = "000000" if code != "000000" else "111111"
    for left in (4, 3, 2, 1):
        with pytest.raises(ValidationError, match=f"还可以再试 {left} 次"):
            services.phone_code_verify(verification=verification, code=wrong)
    with pytest.raises(ValidationError, match="错误次数过多"):
        services.phone_code_verify(verification=verification, code=wrong)
    with pytest.raises(ValidationError, match="错误次数过多"):  # even the right code, now
        services.phone_code_verify(verification=verification, code=code)
    assert PhoneVerification.objects.get(pk=verification.pk).verified_at is None


@pytest.mark.security
def test_a_verified_token_is_not_verified_again_by_any_code(db):
    verification = services.phone_code_send(phone=NEW_PHONE)
    code = last_code()
    services.phone_code_verify(verification=verification, code=code)
    for again in (code, "000000" if code != "000000" else "111111"):
        with pytest.raises(ValidationError, match="该验证码已使用"):
            services.phone_code_verify(verification=verification, code=again)
    assert AuditEvent.objects.filter(action="join.code_verify").count() == 1


@pytest.mark.security
def test_the_try_cap_is_decided_in_the_database_not_by_a_stale_copy(db):
    verification = services.phone_code_send(phone=NEW_PHONE)
    code = last_code()
    stale = PhoneVerification.objects.get(pk=verification.pk)  # read before the other tries, as a racing request
    PhoneVerification.objects.filter(pk=verification.pk).update(attempts=5)
    with pytest.raises(ValidationError, match="错误次数过多"):
        services.phone_code_verify(verification=stale, code=code)
    assert PhoneVerification.objects.get(pk=verification.pk).attempts == 5


def test_expired_code_is_refused(db):
    verification = services.phone_code_send(phone=NEW_PHONE)
    PhoneVerification.objects.filter(pk=verification.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    with pytest.raises(ValidationError, match="已过期"):
        services.phone_code_verify(verification=verification, code=last_code())


def test_sends_per_phone_are_limited(db, settings):
    settings.GONGHUI_JOINING = {"sends_per_phone_per_hour": 2}
    services.phone_code_send(phone=NEW_PHONE)
    services.phone_code_send(phone=NEW_PHONE)
    with pytest.raises(services.TooManyCodes):
        services.phone_code_send(phone=NEW_PHONE)
    services.phone_code_send(phone="13566660000")  # another phone is not affected


def test_bad_phone_gets_a_chinese_message(db):
    with pytest.raises(ValidationError, match="手机号码应为 11 位"):
        services.phone_code_send(phone="1356666")


# ----- applying ----------------------------------------------------------------------------------------------


def test_application_makes_an_account_and_is_routed_with_a_deadline(cast):
    application = submit()
    assert application.org == cast.orgs.xixi and application.routed_by == RoutingRule.TOWNSHIP
    assert application.id_number_masked == NEW_ID[:4] + "*" * 10 + NEW_ID[-4:]
    assert application.gender == "M" and application.birth_date == dt.date(1995, 1, 1)
    assert application.due_on == add_working_days(timezone.localdate(), 15)
    assert application.account.check_password("Ruhui-shenqing-2024") and application.account.person is None
    assert NEW_PHONE not in application.account.username


def test_worker_signs_in_by_phone_and_password(cast, client):
    submit()
    assert client.login(username="135 6666 7777", password="Ruhui-shenqing-2024")


def test_unverified_or_reused_verification_is_refused(cast):
    from gonghui.orgs.models import Region

    verification = services.phone_code_send(phone=NEW_PHONE)
    kwargs = {"name": "赵强", "id_number": NEW_ID, "password": "Ruhui-shenqing-2024", "employment_form": "courier",
              "region": Region.objects.get(code="330106004"), "consent": True}  # fmt: skip
    with pytest.raises(ValidationError, match="请先验证手机号码"):
        services.application_submit(verification=verification, **kwargs)
    submit()
    used = PhoneVerification.objects.exclude(used_at=None).get()
    with pytest.raises(ValidationError, match="手机验证已失效"):
        services.application_submit(verification=used, **kwargs | {"id_number": valid_id("33010619950101011")})


def test_weak_password_is_refused_and_nothing_is_saved(cast):
    from gonghui.orgs.models import Region

    with pytest.raises(ValidationError) as caught:
        services.application_submit(verification=verified(), name="赵强", id_number=NEW_ID, password="123",
                                    employment_form="courier", region=Region.objects.get(code="330106004"),
                                    consent=True)  # fmt: skip
    assert "password" in caught.value.message_dict
    assert not JoinApplication.objects.exists() and not User.objects.filter(username__startswith="w").exists()


def test_a_member_is_told_to_transfer_instead(cast):
    with pytest.raises(ValidationError, match="已是工会会员.*接转"):
        submit(id_number=ZHANG_WEI_ID)


@pytest.mark.security
def test_a_second_pending_application_is_taken_and_flagged_for_the_union_and_a_taken_phone_refused(cast):
    first = submit()
    second = submit(phone="13566660000")  # the applicant learns nothing about the first (issue 10 item 7)
    assert (second.status, second.duplicate_of, first.duplicate_of) == ("pending", first, None)
    assert AuditEvent.objects.filter(action="join.submit", detail__duplicate_of=first.pk).exists()
    with pytest.raises(ValidationError, match="该手机号码已注册账号"):
        submit(id_number=valid_id("33010619950101011"))


def test_id_with_an_account_is_told_to_sign_in(cast):
    from gonghui.members.services import membership_end

    membership_end(actor=None, membership=cast.members.zhang, status="withdrawn", reason="本人申请")
    with pytest.raises(ValidationError, match="请直接登录"):
        submit(id_number=ZHANG_WEI_ID)


# ----- deadlines and escalation ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_deadline_skips_the_national_day_holiday():
    assert add_working_days(dt.date(2024, 9, 30), 15) == dt.date(2024, 10, 25)


@pytest.mark.django_db
def test_deadline_follows_the_admins_overrides():
    WorkdayOverride.objects.create(day=dt.date(2024, 10, 21), is_workday=False, note="本地假日")
    assert add_working_days(dt.date(2024, 9, 30), 15) == dt.date(2024, 10, 28)


def test_overdue_applications_escalate_once_to_the_parent(cast):
    application = submit()
    today = application.due_on
    assert escalate_overdue(today=today) == 0  # due today: not overdue yet
    assert escalate_overdue(today=today + dt.timedelta(days=1)) == 1
    application.refresh_from_db()
    assert application.escalated_to == cast.orgs.xihu and application.escalated_at
    assert escalate_overdue(today=today + dt.timedelta(days=2)) == 0
    assert AuditEvent.objects.filter(action="join.escalate").count() == 1


def test_decided_applications_never_escalate(cast):
    application = submit()
    services.application_reject(actor=cast.users.province_admin, application=application, version=1, reason="重复")
    assert escalate_overdue(today=application.due_on + dt.timedelta(days=30)) == 0


# ----- decisions ---------------------------------------------------------------------------------------------


def test_accept_creates_the_membership_and_links_the_account(cast):
    application = submit()
    done = services.application_accept(actor=cast.users.province_admin, application=application, version=1)
    membership = done.membership
    assert done.status == JoinApplication.Status.ACCEPTED and done.decided_by == cast.users.province_admin
    assert membership.org == cast.orgs.xixi and membership.status == Membership.Status.ACTIVE
    assert len(membership.card_number) == 17 and membership.person.phone_masked == "135****7777"
    assert User.objects.get(pk=application.account_id).person == membership.person


def test_accept_carries_the_sealed_values_over_without_decrypting(cast, monkeypatch):
    application = submit()

    def refuse(token):
        raise AssertionError("accepting an application decrypted a value")

    monkeypatch.setattr(crypto, "decrypt", refuse)
    person = services.application_accept(actor=cast.users.province_admin, application=application,
                                         version=1).membership.person  # fmt: skip
    assert SealedIdNumber.stored_in(person) == SealedIdNumber.stored_in(application)
    assert SealedPhone.stored_in(person) == SealedPhone.stored_in(application)
    assert person.phone_bidx == phone_index(NEW_PHONE)  # a cadre's phone search finds the new member


def test_accept_with_a_stale_version_is_a_conflict(cast):
    application = submit()
    services.application_reassign(actor=cast.users.province_admin, application=application, version=1,
                                  org=cast.orgs.company)  # fmt: skip
    with pytest.raises(ConflictError):
        services.application_accept(actor=cast.users.province_admin, application=application, version=1)


def test_reject_needs_a_reason(cast):
    application = submit()
    with pytest.raises(ValidationError, match="请填写退回原因"):
        services.application_reject(actor=cast.users.province_admin, application=application, version=1, reason=" ")
    done = services.application_reject(actor=cast.users.province_admin, application=application, version=1,
                                       reason="经核实不在本辖区工作")  # fmt: skip
    assert done.status == JoinApplication.Status.REJECTED and done.reject_reason == "经核实不在本辖区工作"


def test_readonly_and_out_of_scope_cannot_decide(cast):
    application = submit()
    with pytest.raises(PermissionDenied):
        services.application_accept(actor=cast.users.readonly, application=application, version=1)
    with pytest.raises(Http404):
        services.application_accept(actor=cast.users.sibling_admin, application=application, version=1)


def test_reassign_by_the_upper_level_restarts_the_deadline(cast):
    application = submit(employer=cast.orgs.company.employer, employment_form="standard")
    assert application.org == cast.orgs.company
    with pytest.raises(PermissionDenied, match="上级工会"):
        services.application_reassign(actor=cast.users.grassroots_admin, application=application, version=1,
                                      org=cast.orgs.company)  # fmt: skip
    with pytest.raises(Http404):
        services.application_reassign(actor=cast.users.sibling_admin, application=application, version=1,
                                      org=cast.orgs.xixi)  # fmt: skip
    JoinApplication.objects.filter(pk=application.pk).update(due_on=dt.date(2020, 1, 2))
    done = services.application_reassign(actor=cast.users.province_admin, application=application, version=1,
                                         org=cast.orgs.xixi)  # fmt: skip
    assert done.org == cast.orgs.xixi and done.routed_by == RoutingRule.REASSIGNED and done.version == 2
    assert done.due_on == add_working_days(timezone.localdate(), 15)


def test_accept_at_a_federation_that_holds_no_members_asks_to_reassign(cast):
    application = submit(region="330106005")  # 翠苑街道 has no union: 西湖区总工会
    assert application.routed_by == RoutingRule.UPPER
    with pytest.raises(ValidationError, match="请改派"):
        services.application_accept(actor=cast.users.province_admin, application=application, version=1)


def test_the_employer_is_never_told(cast):
    """The flow has no employer contact at all: the only message sent, from applying to acceptance, is the
    applicant's own code."""
    application = submit(employer=cast.orgs.company.employer, employment_form="standard")
    services.application_accept(actor=cast.users.grassroots_admin, application=application, version=1)
    assert [m.phone for m in sms.outbox] == [NEW_PHONE]


# ----- join codes ---------------------------------------------------------------------------------------------


def test_join_code_routes_and_counts_scans(cast):
    code = services.join_code_create(actor=cast.users.province_admin, org=cast.orgs.xixi, label="快递员流动入会服务站")
    assert services.join_code_scan(token=code.token) == code
    application = submit(region="330106005", join_code=code)
    code.refresh_from_db()
    assert code.scan_count == 1 and application.org == cast.orgs.xixi and application.join_code == code


def test_inactive_and_forged_codes_are_not_found(cast):
    code = services.join_code_create(actor=cast.users.province_admin, org=cast.orgs.xixi, label="服务站")
    services.join_code_deactivate(actor=cast.users.province_admin, code=code)
    assert services.join_code_scan(token=code.token) is None
    assert services.join_code_scan(token="forged-token") is None


def test_join_code_only_for_member_holding_unions_in_write_scope(cast):
    with pytest.raises(ValidationError, match="不直接发展会员"):
        services.join_code_create(actor=cast.users.province_admin, org=cast.orgs.xihu, label="服务站")
    with pytest.raises(PermissionDenied):
        services.join_code_create(actor=cast.users.readonly, org=cast.orgs.xixi, label="服务站")


def test_sector_federation_code_for_gig_workers(cast):
    fed = add_org(cast.orgs.xihu, "西湖区快递行业工会联合会", OrgType.SECTOR_FEDERATION, "330106")
    assert submit(employment_form="courier").org == fed


# ----- signing in by phone -----------------------------------------------------------------------------------


@pytest.mark.django_db
@hsettings(max_examples=40, deadline=None)
@given(st.from_regex(r"1[3-9]\d{9}", fullmatch=True), st.sampled_from(["", "+86", "+86 ", "0086"]))
def test_a_phone_is_never_kept_as_a_username(phone, prefix):
    username = username_for_phone(prefix + phone)
    assert username.startswith("phone:") and phone not in username
    assert username == username_for_phone(phone)  # every spelling of one phone counts against one lock


@pytest.mark.django_db
def test_a_username_is_not_taken_for_a_phone():
    assert username_for_phone("zhejiang") is None


def test_the_applicant_withdraws_and_applies_again_with_new_work_details(cast, client):
    application = submit()
    with pytest.raises(PermissionDenied):
        services.application_withdraw(actor=cast.users.grassroots_admin, application=application)
    client.force_login(application.account)
    page = client.get(reverse("joining:mine")).content.decode()
    assert "撤回申请" in page and "重新申请入会" not in page
    client.post(reverse("joining:withdraw", args=[application.pk]))
    application.refresh_from_db()
    assert application.status == "withdrawn"
    assert "重新申请入会" in client.get(reverse("joining:mine")).content.decode()
    employer = cast.orgs.company.employer
    response = client.post(reverse("joining:again"), {"employment_form": "standard", "region": "330106004",
                                                      "employer_name": employer.name,
                                                      "employer_uscc": employer.uscc})  # fmt: skip
    assert response.status_code == 302
    again = JoinApplication.objects.get(account=application.account, status="pending")
    assert again.pk != application.pk and again.id_number_bidx == application.id_number_bidx
    assert again.phone_masked == application.phone_masked and again.org == cast.orgs.company
    assert SealedIdNumber.stored_in(again) == SealedIdNumber.stored_in(application)
    assert SealedPhone.stored_in(again) == SealedPhone.stored_in(application)
    assert AuditEvent.objects.filter(action="join.withdraw").exists()
    with pytest.raises(ValidationError, match="正在办理中"):
        services.application_again(actor=application.account, employment_form="courier",
                                   region=Region.objects.get(code="330106004"))  # fmt: skip


def test_a_refused_applicant_applies_again_by_api_and_a_member_cannot(cast):
    application = submit()
    services.application_reject(actor=cast.users.province_admin, application=application, version=1,
                                reason="请填写实际工作单位")  # fmt: skip
    api = ApiClient()
    r = api.post(
        url("/join/applications/again"),
        application.account,
        {"employment_form": "standard", "region_code": "330106004", "employer_uscc": cast.orgs.company.employer.uscc},
    )
    assert r.status_code == 201 and r.json()["status"] == "pending"
    withdrawn = api.post(url(f"/join/applications/{r.json()['id']}/withdraw"), application.account)
    assert withdrawn.status_code == 200 and withdrawn.json()["status"] == "withdrawn"
    mine = api.get(url("/join/applications/mine"), application.account).json()["items"]
    assert [a["status"] for a in mine] == ["withdrawn", "rejected"]
    r = api.post(url("/join/applications/again"), application.account,
                 {"employment_form": "standard", "region_code": "330106004",
                  "employer_uscc": cast.orgs.company.employer.uscc})  # fmt: skip
    accepted = JoinApplication.objects.get(pk=r.json()["id"])
    services.application_accept(actor=cast.users.grassroots_admin, application=accepted, version=accepted.version)
    again = api.post(
        url("/join/applications/again"),
        application.account,
        {"employment_form": "standard", "region_code": "330106004"},
    )
    assert again.status_code == 400 and "已是工会会员" in again.json()["detail"]
