"""查看申请人电话: the cadre who must contact a pending applicant sees and calls their phone — the handling
union's writers only, each view audited, refusals too; never after the decision, never a read-only grant."""

import pytest
from django.urls import reverse

from gonghui.core.models import AuditEvent
from gonghui.joining import services
from gonghui.joining.tests.conftest import NEW_PHONE, submit


@pytest.fixture
def application(cast):
    return submit(employer=cast.orgs.company.employer, employment_form="standard")  # to the grassroots admin's union


def _url(application):
    return reverse("joining:applicant_phone", args=[application.pk])


def test_the_deciding_union_sees_the_phone_with_a_call_link_and_it_is_audited(client, cast, application):
    client.force_login(cast.users.grassroots_admin)
    page = client.get(reverse("joining:detail", args=[application.pk])).content.decode()
    assert "135****7777" in page and NEW_PHONE not in page and _url(application) in page
    response = client.post(_url(application), HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert response.status_code == 200 and f'href="tel:{NEW_PHONE}"' in body and "拨打" in body
    event = AuditEvent.objects.get(action="join.phone_view")
    assert event.actor == cast.users.grassroots_admin and event.org == application.org
    assert event.object_id == str(application.pk) and NEW_PHONE not in str(event.detail)
    client.post(_url(application))
    assert AuditEvent.objects.filter(action="join.phone_view", result="success").count() == 2  # each view


def test_a_read_only_grant_gets_no_button_and_a_refusal_audited(client, cast, application):
    client.force_login(cast.users.readonly)
    page = client.get(reverse("joining:detail", args=[application.pk])).content.decode()
    assert _url(application) not in page
    assert client.post(_url(application)).status_code == 403
    assert AuditEvent.objects.filter(action="access.denied", actor=cast.users.readonly).exists()
    assert not AuditEvent.objects.filter(action="join.phone_view").exists()


def test_out_of_scope_reads_as_missing(client, cast, application):
    client.force_login(cast.users.sibling_admin)
    assert client.post(_url(application)).status_code == 404


def test_no_phone_once_the_application_is_decided(client, cast, application):
    services.application_reject(actor=cast.users.grassroots_admin, application=application, version=application.version,
                                reason="不在本单位工作")  # fmt: skip
    client.force_login(cast.users.grassroots_admin)
    assert _url(application) not in client.get(reverse("joining:detail", args=[application.pk])).content.decode()
    response = client.post(_url(application))
    assert response.status_code == 403 and NEW_PHONE not in response.content.decode()
    assert AuditEvent.objects.filter(action="access.denied", actor=cast.users.grassroots_admin).exists()
