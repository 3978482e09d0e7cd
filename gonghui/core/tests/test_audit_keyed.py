"""The keyed audit chain (docs/security.md §23): HMAC-SM3 under a key outside the database, sealed only forwards,
verified read-only against signed daily checkpoints; the tampering an attacker with SQL access could try."""

import datetime as dt
import importlib
import json
import secrets

import pytest
from django.conf import settings as django_settings
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction
from django.test.utils import CaptureQueriesContext
from hypothesis import given
from hypothesis import strategies as st

from gonghui.core import registry
from gonghui.core.audit import (
    GENESIS,
    audit_checkpoint,
    audit_checkpoint_daily,
    audit_keys,
    audit_record,
    audit_seal,
    audit_verify,
    event_digest,
)
from gonghui.core.crypto import parse_key_list
from gonghui.core.devsecrets import load_or_create
from gonghui.core.models import AuditChainHead, AuditCheckpoint, AuditEvent
from gonghui.testing.audit import forge_audit

pytestmark = pytest.mark.django_db


def _events(n):
    for i in range(n):
        audit_record(actor=None, action="test.event", detail={"i": i})


def _insert_raw(*, at: dt.datetime, pk: int | None = None) -> int:
    """An event written straight into the table, as an attacker with SQL access would."""
    columns = "at, actor_name, action, object_type, object_id, result, detail, prev_hash, hash, key_id"
    values = [at, "", "forged.login", "", "", "success", "{}", "", "", ""]
    if pk is not None:
        columns, values = "id, " + columns, [pk, *values]
    marks = ", ".join(["%s"] * len(values))
    forge_audit(f"INSERT INTO core_auditevent ({columns}) VALUES ({marks})", values)  # noqa: S608
    return pk or AuditEvent.objects.order_by("-id").values_list("id", flat=True)[0]


def _rewrite(first_seq: int, *, key_id: str, action: str = "forged") -> None:
    """Change the event at ``first_seq`` and recompute every link from there on, with ``key_id``."""
    prev = AuditEvent.objects.get(seq=first_seq - 1).hash if first_seq > 1 else GENESIS
    for event in AuditEvent.objects.filter(seq__gte=first_seq).order_by("seq"):
        if event.seq == first_seq:
            event.action = action
        digest = event_digest(event, seq=event.seq, prev_hash=prev, key_id=key_id)
        forge_audit("UPDATE core_auditevent SET action = %s, prev_hash = %s, hash = %s, key_id = %s WHERE id = %s",
                    [event.action, prev, digest, key_id, event.pk])  # fmt: skip
        prev = digest
    AuditChainHead.objects.filter(pk=1).update(hash=prev)


def test_links_are_hmac_sm3_under_the_first_audit_key():
    _events(2)
    audit_seal()
    key_id = audit_keys()[0]
    first = AuditEvent.objects.get(seq=1)
    assert first.key_id == key_id == django_settings.GONGHUI_AUDIT_KEYS.split(":")[0]
    assert first.hash == event_digest(first, seq=1, prev_hash=GENESIS, key_id=key_id)
    assert first.hash != event_digest(first, seq=1, prev_hash=GENESIS)  # not the plain SM3 of before


def test_an_inserted_backdated_event_is_never_sealed_and_verify_reports_it():
    _events(3)
    audit_seal()
    head = AuditChainHead.objects.get()
    backdated = _insert_raw(at=head.at - dt.timedelta(days=30))
    below_head = _insert_raw(at=head.at + dt.timedelta(seconds=1), pk=-7)
    assert audit_seal() == 0
    assert AuditEvent.objects.filter(pk__in=[backdated, below_head], seq__isnull=True).count() == 2
    report = audit_verify()
    assert report.broken_seq is None and report.checked == 3
    assert report.out_of_order == (below_head, backdated) and not report.intact
    with pytest.raises(CommandError, match="早于链头"):
        call_command("audit_verify")
    _events(1)
    assert audit_seal() == 1  # the chain goes on; the forged rows stay out of it
    assert set(audit_verify().out_of_order) == {below_head, backdated}


def test_a_stretch_rewritten_with_recomputed_plain_sm3_hashes_fails():
    _events(5)
    audit_seal()
    _rewrite(3, key_id="")
    report = audit_verify()
    assert (report.broken_seq, report.checked) == (3, 2)
    assert "未用密钥" in report.reason


def test_a_stretch_rewritten_under_the_key_id_with_plain_hashes_fails():
    _events(5)
    audit_seal()
    prev = AuditEvent.objects.get(seq=2).hash
    for event in AuditEvent.objects.filter(seq__gte=3).order_by("seq"):
        digest = event_digest(event, seq=event.seq, prev_hash=prev)  # plain SM3, key id left as it was
        forge_audit("UPDATE core_auditevent SET prev_hash = %s, hash = %s WHERE id = %s", [prev, digest, event.pk])
        prev = digest
    assert audit_verify().broken_seq == 3


def test_a_whole_chain_rewritten_as_plain_sm3_fails_against_its_checkpoint():
    _events(3)
    audit_checkpoint()
    _rewrite(1, key_id="")
    report = audit_verify()
    assert report.broken_seq == 3 and "检查点" in report.reason


def test_a_rewrite_after_the_last_checkpoint_with_a_wrong_key_fails(settings):
    _events(3)
    audit_checkpoint()
    _events(3)
    audit_seal()
    key_id = audit_keys()[0]
    real = settings.GONGHUI_AUDIT_KEYS
    settings.GONGHUI_AUDIT_KEYS = f"{key_id}:{secrets.token_hex(32)}"  # the attacker's guess, same key id
    _rewrite(4, key_id=key_id)
    settings.GONGHUI_AUDIT_KEYS = real
    report = audit_verify()
    assert (report.broken_seq, report.checked) == (4, 3)
    assert "篡改" in report.reason


def test_a_whole_rewrite_with_the_checkpoints_deleted_fails_against_an_exported_checkpoint(tmp_path):
    _events(3)
    point = audit_checkpoint()
    export = tmp_path / "audit.jsonl"
    kept = {"seq": point.seq, "hash": point.hash, "at": point.at.isoformat(), "key_id": point.key_id, "mac": point.mac}
    export.write_text(json.dumps({"id": 1, "action": "test.event"}) + "\n" + json.dumps({"checkpoint": kept}) + "\n")
    _rewrite(1, key_id="")
    with connection.cursor() as cursor:  # an owner of the database can drop the triggers' protection too
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE core_auditcheckpoint DISABLE TRIGGER core_auditcheckpoint_append_only")
        cursor.execute("DELETE FROM core_auditcheckpoint")
    assert audit_verify().intact  # the database alone can no longer tell (decision 0012)
    with pytest.raises(CommandError, match="序号 3.*检查点"):
        call_command("audit_verify", export=[str(export)])
    export.write_text(json.dumps({"checkpoint": {**kept, "mac": "0" * 64}}) + "\n")
    with pytest.raises(CommandError, match="签名无效"):
        call_command("audit_verify", export=[str(export)])


def test_the_chain_cut_back_behind_a_checkpoint_fails():
    _events(3)
    audit_checkpoint()
    second = AuditEvent.objects.get(seq=2)
    forge_audit("DELETE FROM core_auditevent WHERE seq = %s", [3])
    AuditChainHead.objects.filter(pk=1).update(seq=2, hash=second.hash)
    report = audit_verify()
    assert report.broken_seq == 3 and "截断" in report.reason


def test_a_forged_checkpoint_fails():
    _events(2)
    audit_seal()
    head = AuditChainHead.objects.get()
    AuditCheckpoint.objects.create(seq=head.seq, hash=head.hash, at=head.at, key_id=audit_keys()[0], mac="0" * 64)
    report = audit_verify()
    assert report.broken_seq == 2 and "签名无效" in report.reason


def test_verify_never_writes():
    _events(3)
    audit_seal()
    audit_checkpoint()
    _events(2)  # left unsealed: the test's transaction never commits
    _insert_raw(at=AuditChainHead.objects.get().at - dt.timedelta(days=1))

    def state():
        head = AuditChainHead.objects.values().get()
        return AuditEvent.objects.count(), AuditEvent.objects.filter(seq__isnull=True).count(), head, \
            AuditCheckpoint.objects.count()  # fmt: skip

    before = state()
    with CaptureQueriesContext(connection) as queries:
        audit_verify()
        with pytest.raises(CommandError):
            call_command("audit_verify")
    assert state() == before and before[1] == 3
    reads = ("SELECT", "SAVEPOINT", "RELEASE")
    assert [q["sql"] for q in queries.captured_queries if not q["sql"].lstrip().upper().startswith(reads)] == []


def test_the_audit_key_rotates(settings):
    old, new = f"old:{secrets.token_hex(32)}", f"new:{secrets.token_hex(32)}"
    settings.GONGHUI_AUDIT_KEYS = old
    _events(2)
    audit_checkpoint()
    settings.GONGHUI_AUDIT_KEYS = f"{new},{old}"
    _events(2)
    audit_checkpoint()
    assert list(AuditEvent.objects.order_by("seq").values_list("key_id", flat=True)) == ["old", "old", "new", "new"]
    assert list(AuditCheckpoint.objects.order_by("seq").values_list("key_id", flat=True)) == ["old", "new"]
    report = audit_verify()
    assert report.intact and (report.checked, report.checkpoints) == (4, 2)
    settings.GONGHUI_AUDIT_KEYS = new  # the old key withdrawn: its links can no longer be vouched for
    assert audit_verify().broken_seq is not None


def test_an_unkeyed_chain_from_before_the_upgrade_verifies_and_the_keyed_segment_continues_it():
    _events(2)
    prev = GENESIS
    for seq, event in enumerate(AuditEvent.objects.order_by("id"), start=1):  # sealed the way it was before
        digest = event_digest(event, seq=seq, prev_hash=prev)
        AuditEvent.objects.filter(pk=event.pk).seal(seq=seq, prev_hash=prev, hash=digest, key_id="")
        prev = digest
    AuditChainHead.objects.create(pk=1, seq=2, hash=prev)
    _events(2)
    assert audit_seal() == 2
    assert list(AuditEvent.objects.order_by("seq").values_list("key_id", flat=True)) == ["", "", *[audit_keys()[0]] * 2]
    assert AuditEvent.objects.get(seq=3).prev_hash == prev
    report = audit_verify()
    assert report.intact and report.checked == 4


def test_the_upgrade_sets_the_head_to_the_newest_sealed_event_so_older_leftovers_are_never_swept_in():
    from django.apps import apps

    upgrade = importlib.import_module("gonghui.core.migrations.0006_keyed_audit_chain")
    _events(3)
    audit_seal()
    newest = AuditEvent.objects.order_by("-id").first()
    AuditChainHead.objects.filter(pk=1).update(event_id=0, at=None)  # as the new columns start
    upgrade.head_newest_sealed(apps, None)
    assert AuditChainHead.objects.filter(pk=1, event_id=newest.pk, at=newest.at).exists()


def test_the_application_seals_its_own_late_committed_event_but_a_sweep_does_not():
    _events(2)
    first, second = AuditEvent.objects.order_by("id")
    assert audit_seal(event_ids=[second.pk]) == 1
    assert audit_seal() == 0  # a sweep never seals a row older than the head
    assert audit_seal(event_ids=[first.pk]) == 1  # its own transaction's seal, committed late
    assert list(AuditEvent.objects.order_by("seq").values_list("id", flat=True)) == [second.pk, first.pk]
    assert audit_verify().intact


def test_the_daily_job_signs_a_checkpoint_of_the_head():
    assert "gonghui.core.audit.audit_checkpoint_daily" in {job.func for job in registry.daily_jobs()}
    _events(2)
    assert audit_checkpoint_daily(today=dt.date.today()) == 1
    point = AuditCheckpoint.objects.get()
    assert (point.seq, point.hash) == (2, AuditChainHead.objects.get().hash)
    assert audit_verify().checkpoints == 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the triggers are PostgreSQL's")
def test_postgresql_seals_with_a_key_id_and_refuses_changing_it_or_a_checkpoint():
    _events(1)
    assert audit_seal() == 1
    event = AuditEvent.objects.get()
    assert event.key_id == audit_keys()[0]
    point = audit_checkpoint()
    for statement, params in [
        ("UPDATE core_auditevent SET key_id = '' WHERE id = %s", [event.pk]),
        ("UPDATE core_auditcheckpoint SET hash = 'x' WHERE id = %s", [point.pk]),
        ("DELETE FROM core_auditcheckpoint WHERE id = %s", [point.pk]),
    ]:
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement, params)


def test_dev_secrets_gain_the_audit_key_and_keep_the_others(tmp_path):
    path = tmp_path / "dev-secrets.json"
    path.write_text(json.dumps({"SECRET_KEY": "s", "GONGHUI_DATA_KEYS": "dev1:" + "ab" * 16, "GONGHUI_INDEX_KEY": "i"}))
    values = load_or_create(path)
    assert values["SECRET_KEY"] == "s" and values["GONGHUI_INDEX_KEY"] == "i"
    key_id, _, hexkey = values["GONGHUI_AUDIT_KEYS"].partition(":")
    assert key_id and len(bytes.fromhex(hexkey)) == 32
    assert json.loads(path.read_text()) == values
    assert load_or_create(path) == values


key_ids = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789-_", min_size=1, max_size=32)


@pytest.mark.django_db(databases=[])
@given(st.dictionaries(key_ids, st.binary(min_size=32, max_size=32), min_size=1, max_size=4))
def test_audit_key_settings_parse_back_to_their_keys(keys):
    spec = ",".join(f"{key_id}:{key.hex()}" for key_id, key in keys.items())
    assert parse_key_list(spec, setting="GONGHUI_AUDIT_KEYS", size=32) == (next(iter(keys)), keys)


@pytest.mark.django_db(databases=[])
@given(key_ids, st.binary(min_size=1, max_size=64).filter(lambda key: len(key) != 32))
def test_audit_keys_of_the_wrong_length_are_refused(key_id, key):
    with pytest.raises(ValueError, match="GONGHUI_AUDIT_KEYS"):
        parse_key_list(f"{key_id}:{key.hex()}", setting="GONGHUI_AUDIT_KEYS", size=32)
