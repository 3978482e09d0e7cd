"""Consent records for sensitive categories (docs/security.md §12): separate, versioned, guardian under 14."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from gonghui.core.models import AuditEvent
from gonghui.members.services import member_create
from gonghui.privacy import services
from gonghui.privacy.models import ConsentRecord
from gonghui.testing.cast import valid_id

SHANGHAI = dt.timezone(dt.timedelta(hours=8))


@pytest.fixture
def child(cast):
    """A child born 2013-06-01 (the cast's member register is only used to hold a person record)."""
    return member_create(actor=None, org=cast.orgs.company, name="小明", id_number=valid_id("33010620130601001")).person


def test_adult_consents_for_themself_and_it_is_audited(cast):
    zhang = cast.members.zhang.person
    consent = services.consent_give(actor=cast.users.grassroots_admin, person=zhang, category="health",
                                    purpose="大病救助审核", text_version="v2")  # fmt: skip
    assert consent.given_by == "self" and consent.active and consent.recorded_by == cast.users.grassroots_admin
    event = AuditEvent.objects.get(action="privacy.consent.give")
    assert event.object_id == str(consent.pk) and event.detail["category"] == "health"


def test_under_fourteen_needs_a_guardian_with_name_and_relation(child):
    at = dt.datetime(2026, 5, 31, 12, tzinfo=SHANGHAI)  # the day before the 13th birthday
    with pytest.raises(ValidationError, match="监护人同意"):
        services.consent_give(actor=None, person=child, category="minor", purpose="子女助学", text_version="v1",
                              given_at=at)  # fmt: skip
    with pytest.raises(ValidationError, match="监护人姓名"):
        services.consent_give(actor=None, person=child, category="minor", purpose="子女助学", text_version="v1",
                              given_by="guardian", given_at=at)  # fmt: skip
    with pytest.raises(ValidationError, match="关系"):
        services.consent_give(actor=None, person=child, category="minor", purpose="子女助学", text_version="v1",
                              given_by="guardian", guardian_name="王某", given_at=at)  # fmt: skip
    consent = services.consent_give(actor=None, person=child, category="minor", purpose="子女助学",
                                    text_version="v1", given_by="guardian", guardian_name="王某",
                                    guardian_relation="母亲", given_at=at)  # fmt: skip
    assert consent.guardian_relation == "母亲"


def test_age_is_taken_at_the_time_of_consent(child):
    at = dt.datetime(2027, 6, 1, 9, tzinfo=SHANGHAI)  # 14th birthday: consents for themself
    assert services.consent_give(actor=None, person=child, category="phone", purpose="通知", text_version="v1",
                                 given_at=at).given_by == "self"  # fmt: skip
    with pytest.raises(ValidationError):
        services.consent_give(actor=None, person=child, category="phone", purpose="通知", text_version="v1",
                              given_at=at - dt.timedelta(days=1))  # fmt: skip


def test_purpose_version_and_category_are_required(cast):
    zhang = cast.members.zhang.person
    for bad in ({"category": "shoe_size"}, {"purpose": " "}, {"text_version": ""}):
        kwargs = {"category": "phone", "purpose": "通知", "text_version": "v1"} | bad
        with pytest.raises(ValidationError):
            services.consent_give(actor=None, person=zhang, **kwargs)
    assert not ConsentRecord.objects.exists()


def test_worker_sees_and_withdraws_their_consent(client, cast):
    zhang = cast.members.zhang.person
    consent = services.consent_give(actor=None, person=zhang, category="phone", purpose="接收活动通知",
                                    text_version="2025-01")  # fmt: skip
    client.force_login(cast.users.worker)
    body = client.get(reverse("privacy:mine")).content.decode()
    assert "手机号码" in body and "接收活动通知" in body and "2025-01" in body and "撤回" in body
    response = client.post(reverse("privacy:consent_withdraw", args=[consent.pk]), follow=True)
    consent.refresh_from_db()
    assert consent.withdrawn_at is not None and "已撤回" in response.content.decode()
    assert AuditEvent.objects.filter(action="privacy.consent.withdraw", object_id=str(consent.pk)).count() == 1
    response = client.post(reverse("privacy:consent_withdraw", args=[consent.pk]), follow=True)
    assert "该同意已撤回" in response.content.decode()
    assert AuditEvent.objects.filter(action="privacy.consent.withdraw").count() == 1


def test_worker_cannot_withdraw_someone_elses_consent(client, cast):
    other = services.consent_give(actor=None, person=cast.members.li.person, category="phone", purpose="通知",
                                  text_version="v1")  # fmt: skip
    client.force_login(cast.users.worker)
    assert client.post(reverse("privacy:consent_withdraw", args=[other.pk])).status_code == 404
    other.refresh_from_db()
    assert other.withdrawn_at is None


def test_cadre_member_page_lists_consents(client, cast):
    zhang = cast.members.zhang.person
    services.consent_give(actor=None, person=zhang, category="hardship", purpose="困难职工建档", text_version="v3")
    client.force_login(cast.users.grassroots_admin)
    body = client.get(reverse("members:detail", args=[zhang.pk])).content.decode()
    assert "个人信息处理同意" in body and "困难/财产信息" in body and "困难职工建档" in body and "有效" in body
