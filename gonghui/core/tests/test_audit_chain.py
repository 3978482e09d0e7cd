"""The hash chain over audit events: sealed after commit, verified, breaks named (keyed: test_audit_keyed)."""

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from gonghui.core.audit import audit_record, audit_seal, audit_verify
from gonghui.core.models import AuditChainHead, AuditEvent
from gonghui.testing.audit import forge_audit

pytestmark = pytest.mark.security  # issue 10's security suite: the audit chain verified, its breaks named


def _events(n):
    for i in range(n):
        audit_record(actor=None, action="test.event", detail={"i": i, "text": "号码 13812345678"})


@pytest.mark.django_db
def test_sealing_links_every_event_in_order_and_verifies():
    _events(5)
    assert audit_seal() == 5
    seqs = list(AuditEvent.objects.order_by("id").values_list("seq", flat=True))
    assert seqs == [1, 2, 3, 4, 5]
    assert audit_verify().broken_seq is None
    assert AuditChainHead.objects.get().seq == 5


@pytest.mark.django_db
def test_sealing_continues_the_chain_across_runs_and_batches():
    _events(3)
    audit_seal()
    _events(4)
    assert audit_seal(batch_size=2) == 4
    report = audit_verify(batch_size=3)
    assert (report.checked, report.broken_seq) == (7, None)


@pytest.mark.django_db
def test_verify_names_the_first_tampered_event():
    _events(4)
    audit_seal()
    third = AuditEvent.objects.get(seq=3)
    forge_audit("UPDATE core_auditevent SET action = %s WHERE id = %s", ["forged", third.pk])
    report = audit_verify()
    assert (report.broken_seq, report.broken_id, report.checked) == (3, third.pk, 2)
    assert "篡改" in report.reason


@pytest.mark.django_db
def test_verify_notices_a_deleted_event():
    _events(4)
    audit_seal()
    forge_audit("DELETE FROM core_auditevent WHERE seq = %s", [2])
    report = audit_verify()
    assert report.broken_seq == 2
    assert "删除" in report.reason


@pytest.mark.django_db
def test_verify_notices_the_last_event_removed():
    _events(3)
    audit_seal()
    forge_audit("DELETE FROM core_auditevent WHERE seq = %s", [3])
    assert audit_verify().broken_seq == 3


@pytest.mark.django_db
def test_verify_command_reports_ok_and_breaks():
    _events(2)
    audit_seal()  # the application seals; the command only verifies (test_audit_keyed::test_verify_never_writes)
    call_command("audit_verify")
    assert AuditEvent.objects.filter(seq__isnull=True).count() == 0
    forge_audit("UPDATE core_auditevent SET result = %s WHERE seq = %s", ["denied", 1])
    with pytest.raises(CommandError, match="序号 1"):
        call_command("audit_verify")


@pytest.mark.django_db(transaction=True)
def test_events_are_sealed_when_their_transaction_commits():
    _events(2)  # autocommit: each event commits at once and is sealed right after
    assert AuditEvent.objects.filter(seq__isnull=True).count() == 0
    assert audit_verify().checked == 2


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger is PostgreSQL's")
@pytest.mark.django_db
def test_postgresql_allows_only_sealing_an_unsealed_event():
    from django.db import DatabaseError, transaction

    _events(1)
    event = AuditEvent.objects.get()
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE core_auditevent SET seq = 1, action = 'x' WHERE id = %s", [event.pk])
    audit_seal()
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE core_auditevent SET hash = 'x' WHERE id = %s", [event.pk])
