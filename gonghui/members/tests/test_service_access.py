"""Members' services check their own actor (docs/decisions/0010): out of scope reads as 404, a read-only
role gets an audited 403, and nothing is written either way. Scope declared on the members models."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.urls import reverse

from gonghui.accounts.models import Grant
from gonghui.accounts.services import grant_create, user_create
from gonghui.core.models import AuditEvent
from gonghui.members import services
from gonghui.members.models import Employer, LapseWarning, Membership, Person, TransferRequest
from gonghui.members.services import EmployerNamed
from gonghui.testing.cast import valid_id

REFUSED = [("sibling_admin", Http404), ("readonly", PermissionDenied)]


def _snapshot():
    return (
        list(Person.objects.order_by("pk").values()),
        list(Membership.objects.order_by("pk").values()),
        Employer.objects.count(),
    )


@pytest.mark.parametrize(("who", "refusal"), REFUSED)
def test_member_create_checks_its_actor(cast, who, refusal):
    before = _snapshot()
    with pytest.raises(refusal):
        services.member_create(
            actor=getattr(cast.users, who),
            org=cast.orgs.company,
            name="赵六",
            id_number=valid_id("33010619950101001"),
            employer=EmployerNamed(name="新单位"),
        )
    assert _snapshot() == before


@pytest.mark.parametrize(("who", "refusal"), REFUSED)
def test_member_update_checks_its_actor(cast, who, refusal):
    person = cast.members.zhang.person
    before = _snapshot()
    with pytest.raises(refusal):
        services.member_update(actor=getattr(cast.users, who), person=person, version=person.version, name="张三")
    assert _snapshot() == before


@pytest.mark.parametrize(("who", "refusal"), REFUSED)
def test_membership_end_checks_its_actor(cast, who, refusal):
    before = _snapshot()
    with pytest.raises(refusal):
        services.membership_end(
            actor=getattr(cast.users, who),
            membership=cast.members.zhang,
            status=Membership.Status.WITHDRAWN,
            reason="退会",
        )
    assert _snapshot() == before


def test_ecard_issue_is_for_the_member_or_their_union(cast):
    with pytest.raises(Http404):
        services.ecard_issue(actor=cast.users.sibling_admin, membership=cast.members.zhang)
    assert Membership.objects.get(pk=cast.members.zhang.pk).card_key is None
    assert services.ecard_issue(actor=cast.users.worker, membership=cast.members.zhang).card_key


def test_a_new_employer_is_not_kept_when_the_registration_is_refused(cast):
    employers = Employer.objects.count()
    with pytest.raises(ValidationError):
        services.member_create(
            actor=cast.users.grassroots_admin,
            org=cast.orgs.company,
            name="赵六",
            id_number="330106199501010010",
            employer=EmployerNamed(name="新单位"),
        )
    assert Employer.objects.count() == employers
    membership = services.member_create(
        actor=cast.users.grassroots_admin,
        org=cast.orgs.company,
        name="赵六",
        id_number=valid_id("33010619950101001"),
        employer=EmployerNamed(name="新单位"),
    )
    assert membership.person.employer.name == "新单位" and Employer.objects.count() == employers + 1


def test_a_transfer_is_in_scope_of_both_unions(cast):
    transfer = services.transfer_start(
        actor=cast.users.grassroots_admin, membership=cast.members.zhang, to_org=cast.orgs.logistics, reason="工作调动"
    )
    for who in ("grassroots_admin", "sibling_admin", "national_admin", "readonly"):
        assert TransferRequest.objects.get_for_read(getattr(cast.users, who), transfer.pk) == transfer
    outsider = user_create(actor=None, username="xixi", password=cast.password, check_password=False)
    grant_create(actor=None, user=outsider, org=cast.orgs.xixi, role=Grant.Role.ADMIN)
    with pytest.raises(Http404):
        TransferRequest.objects.get_for_read(outsider, transfer.pk)


def test_people_are_written_through_their_home_union(cast):
    zhang = cast.members.zhang.person
    assert Person.objects.get_for_write(cast.users.grassroots_admin, zhang.pk) == zhang
    assert set(Person.objects.writable_by(cast.users.grassroots_admin)) == {zhang, cast.members.li.person}
    assert not Person.objects.writable_by(cast.users.readonly).exists()
    with pytest.raises(PermissionDenied):
        Person.objects.get_for_write(cast.users.readonly, zhang.pk)


def test_a_lapse_warning_reads_as_404_outside_the_scope(cast):
    warning = LapseWarning.objects.create(
        membership=cast.members.wang,
        org=cast.orgs.logistics,
        inactive_since=dt.date(2024, 1, 1),
        raised_on=dt.date(2026, 1, 1),
    )
    assert LapseWarning.objects.get_for_read(cast.users.sibling_admin, warning.pk) == warning
    with pytest.raises(Http404, match="会籍预警不存在"):
        LapseWarning.objects.get_for_read(cast.users.province_admin, warning.pk)


def test_a_refusal_inside_a_services_transaction_stays_audited(cast, client):
    """The receiving union may not release: the refusal is raised inside transfer_release's transaction and
    rolled back with it; the 403 page records it again."""
    transfer = services.transfer_start(
        actor=cast.users.grassroots_admin, membership=cast.members.zhang, to_org=cast.orgs.logistics, reason="工作调动"
    )
    sibling = cast.users.sibling_admin
    client.force_login(sibling)
    response = client.post(reverse("members:transfer_release", args=[transfer.pk]))
    assert response.status_code == 403
    event = AuditEvent.objects.get(actor=sibling, action="access.denied")
    assert event.detail["reason"] == "此步骤只能由转出工会办理。" and event.org == cast.orgs.company
    assert TransferRequest.objects.get(pk=transfer.pk).status == TransferRequest.Status.REQUESTED
