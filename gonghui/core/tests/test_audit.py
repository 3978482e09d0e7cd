"""Audit (docs/security.md §§8-9): every write and every unmasking leaves an event; events are append-only."""

import datetime as dt

import pytest
from django.db import DatabaseError, IntegrityError, InternalError, ProgrammingError, connection, transaction

from gonghui.accounts.models import Grant
from gonghui.accounts.services import grant_create, token_create, user_create
from gonghui.core.audit import current_ip
from gonghui.core.models import AuditEvent
from gonghui.members.services import member_create, member_unmask, member_update, membership_end
from gonghui.orgs.models import OrgType
from gonghui.orgs.services import org_create, org_move, org_update
from gonghui.testing.cast import valid_id

IP = "203.0.113.7"


@pytest.fixture
def client_ip():
    token = current_ip.set(IP)
    yield IP
    current_ip.reset(token)


def last_event() -> AuditEvent:
    return AuditEvent.objects.order_by("-id").first()


def assert_event(*, actor, action, obj, org, result="success"):
    event = last_event()
    assert (event.actor_id, event.actor_name) == (actor.pk, actor.username)
    assert event.action == action
    assert (event.object_type, event.object_id) == (obj._meta.label_lower, str(obj.pk))
    assert event.org_id == (org.pk if org is not None else None)
    assert event.result == result
    assert event.ip == IP
    assert event.at is not None
    return event


def test_org_writes_are_audited(cast, client_ip):
    admin, orgs = cast.users.national_admin, cast.orgs
    org = org_create(actor=admin, parent=orgs.xixi, name="西溪示例餐饮工会", org_type=OrgType.GRASSROOTS,
                     region=orgs.xixi.region)  # fmt: skip
    assert_event(actor=admin, action="org.create", obj=org, org=org)
    org_update(actor=admin, org=org, version=org.version, name="西溪餐饮工会")
    assert_event(actor=admin, action="org.update", obj=org, org=org)
    org_move(actor=admin, org=org, new_parent=orgs.xihu)
    assert_event(actor=admin, action="org.move", obj=org, org=org)


def test_member_writes_are_audited(cast, client_ip):
    admin, company = cast.users.grassroots_admin, cast.orgs.company
    membership = member_create(actor=admin, org=company, name="赵敏", id_number=valid_id("33010620010915004"))
    assert_event(actor=admin, action="member.create", obj=membership.person, org=company)
    person = membership.person
    member_update(actor=admin, person=person, version=person.version, job_title="仓管")
    assert_event(actor=admin, action="member.update", obj=person, org=company)
    membership_end(actor=admin, membership=membership, status="withdrawn", reason="退会", ended_on=dt.date.today())
    assert_event(actor=admin, action="membership.end", obj=membership, org=company)


def test_account_writes_are_audited(cast, client_ip):
    admin, security = cast.users.national_admin, cast.users.security_admin
    system = user_create(actor=None, username="sys", password="x", check_password=False, platform_role="system")
    user = user_create(actor=system, username="newstaff", password="x", check_password=False)
    assert_event(actor=system, action="account.create", obj=user, org=None)
    grant = grant_create(actor=security, user=user, org=cast.orgs.hangzhou, role=Grant.Role.STAFF)
    assert_event(actor=security, action="grant.set", obj=grant, org=cast.orgs.hangzhou)
    token, _ = token_create(actor=admin, name="接口")
    assert_event(actor=admin, action="token.create", obj=token, org=None)


def test_unmasking_is_audited_when_allowed(cast, client_ip):
    admin, person = cast.users.grassroots_admin, cast.members.zhang.person
    member_unmask(actor=admin, person=person)
    assert_event(actor=admin, action="member.unmask", obj=person, org=cast.orgs.company)


def test_refused_unmasking_is_audited_as_denied(cast, client_ip):
    from django.core.exceptions import PermissionDenied

    user, person = cast.users.province_admin, cast.members.zhang.person
    with pytest.raises(PermissionDenied):
        member_unmask(actor=user, person=person)
    assert_event(actor=user, action="member.unmask", obj=person, org=cast.orgs.company, result="denied")


def test_failed_write_leaves_no_success_event(cast, client_ip):
    from django.core.exceptions import ValidationError

    before = AuditEvent.objects.count()
    with pytest.raises(ValidationError):
        member_create(actor=cast.users.grassroots_admin, org=cast.orgs.company, name="赵敏", id_number="123")
    assert AuditEvent.objects.count() == before


def test_audit_detail_never_carries_an_id_or_phone(cast):
    from gonghui.core.audit import audit_record

    event = audit_record(actor=None, action="test", detail={"note": "号码 330106199003071236 电话 13812345678"})
    assert "330106199003071236" not in event.detail["note"]
    assert "13812345678" not in event.detail["note"]


def test_audit_event_cannot_be_changed_by_saving(cast):
    event = last_event()
    event.action = "forged"
    with pytest.raises(RuntimeError):
        event.save()
    assert last_event().action != "forged"


def test_audit_event_cannot_be_deleted_one_by_one(cast):
    event = last_event()
    with pytest.raises(RuntimeError):
        event.delete()
    assert AuditEvent.objects.filter(pk=event.pk).exists()


REFUSED = (RuntimeError, DatabaseError, IntegrityError, InternalError, ProgrammingError)


def test_audit_events_cannot_be_updated_in_bulk_through_the_orm(cast):
    count = AuditEvent.objects.count()
    with pytest.raises(REFUSED), transaction.atomic():
        AuditEvent.objects.all().update(action="forged")
    assert not AuditEvent.objects.filter(action="forged").exists()
    assert AuditEvent.objects.count() == count


def test_audit_events_cannot_be_deleted_in_bulk_through_the_orm(cast):
    count = AuditEvent.objects.count()
    with pytest.raises(REFUSED), transaction.atomic():
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.count() == count


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the refusing trigger is PostgreSQL's (docs/security.md §9)"
)
def test_postgresql_refuses_raw_update_and_delete_of_audit_events(cast):
    table = AuditEvent._meta.db_table
    for statement in (f"UPDATE {table} SET action = 'forged'", f"DELETE FROM {table}"):  # noqa: S608
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement)
