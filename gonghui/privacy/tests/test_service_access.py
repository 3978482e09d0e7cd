"""Privacy services check their own actor (docs/decisions/0010): the person themself or a writer of their
union; 404 out of scope, 403 for a read-only role, nothing written."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from gonghui.privacy import services
from gonghui.privacy.models import ConsentCategory, ConsentRecord, DataSubjectRequest, RetentionRule

REFUSED = [("sibling_admin", Http404), ("readonly", PermissionDenied)]


def _request(cast, kind=DataSubjectRequest.Kind.ACCESS):
    return services.request_create(actor=cast.users.worker, person=cast.members.zhang.person, kind=kind)


@pytest.mark.parametrize(("who", "refusal"), REFUSED)
def test_a_request_is_made_by_the_person_or_their_union(cast, who, refusal):
    with pytest.raises(refusal):
        services.request_create(actor=getattr(cast.users, who), person=cast.members.zhang.person, kind="access")
    assert not DataSubjectRequest.objects.exists()
    assert _request(cast).created_by == cast.users.worker


@pytest.mark.parametrize(("who", "refusal"), REFUSED)
def test_a_request_is_handled_only_by_a_writer_of_the_persons_union(cast, who, refusal):
    request = _request(cast)
    user = getattr(cast.users, who)
    with pytest.raises(refusal):
        services.request_start(actor=user, request=request)
    with pytest.raises(refusal):
        services.request_refuse(actor=user, request=request, reason="理由")
    with pytest.raises(refusal):
        services.request_complete(actor=user, request=request)
    assert DataSubjectRequest.objects.get(pk=request.pk).status == DataSubjectRequest.Status.RECEIVED
    with pytest.raises(Http404):
        DataSubjectRequest.objects.get_for_read(cast.users.sibling_admin, request.pk)
    assert DataSubjectRequest.objects.get_for_write(cast.users.grassroots_admin, request.pk) == request


@pytest.mark.parametrize(("who", "refusal"), REFUSED)
def test_consents_and_erasure_check_their_actor(cast, who, refusal):
    user, person = getattr(cast.users, who), cast.members.zhang.person
    with pytest.raises(refusal):
        services.consent_give(actor=user, person=person, category=ConsentCategory.ID_NUMBER, purpose="入会登记",
                              text_version="v1")  # fmt: skip
    assert not ConsentRecord.objects.exists()
    with pytest.raises(refusal):
        services.person_anonymise(actor=user, person=person)
    assert type(person).objects.get(pk=person.pk).name == "张伟"


def test_the_data_copy_is_downloaded_only_by_the_person(cast):
    request = _request(cast, DataSubjectRequest.Kind.EXPORT)
    request = services.request_complete(actor=cast.users.grassroots_admin, request=request)
    with pytest.raises(Http404):
        services.export_download(actor=cast.users.grassroots_admin, export=request.export)
    assert services.export_download(actor=cast.users.worker, export=request.export)


@pytest.mark.parametrize("who", ["national_admin", "worker"])
def test_retention_rules_are_the_security_admins(cast, who):
    with pytest.raises(PermissionDenied):
        services.retention_rule_set(actor=getattr(cast.users, who), category="inactive_phone", days=10, action="erase")
    assert not RetentionRule.objects.exists()
    services.retention_rule_set(actor=cast.users.security_admin, category="inactive_phone", days=10, action="erase")
    assert RetentionRule.objects.get().days == 10
