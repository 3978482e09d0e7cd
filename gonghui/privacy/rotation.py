"""Key rotation (docs/security.md §10, docs/architecture.md rule 6):
re-encrypt every stored value not under the current key.

The first key in GONGHUI_DATA_KEYS encrypts and every listed key decrypts, so rotation is: put the new key
first, keep the old one listed, run ``rotate_data_key`` until it reports completion, then drop the old key.

The job walks each table by primary key in batches. Each batch and the checkpoint (the run's per-table
last id and counts) commit in one transaction with the run row locked, so a crash loses at most the batch
in flight, a restart resumes after the last committed one, and two workers never do the same batch. A
value is replaced only if it is still the one read (a concurrent edit already wrote current-key text).
Blind indexes are HMACs under the separate index key and are not touched.
"""

from collections.abc import Callable

from django.apps import apps
from django.db import transaction
from django.utils import timezone

from gonghui.core import crypto
from gonghui.core.audit import audit_record
from gonghui.privacy.models import KeyRotationRun
from gonghui.privacy.policy import privacy_policy


def encrypted_fields() -> list[tuple[str, tuple[str, ...]]]:
    """Every encrypted column of every installed model, as (app_label.Model, field names), found by the field
    type (``crypto.EncryptedTextField``) rather than listed: an app that adds one is rotated with no edit here."""
    found = []
    for model in apps.get_models():
        fields = tuple(f.name for f in model._meta.concrete_fields if isinstance(f, crypto.EncryptedTextField))
        if fields and not model._meta.proxy:
            found.append((model._meta.label, fields))
    return sorted(found)


def current_key_id() -> str:
    return crypto._keys()[0]


def _table_progress(run: KeyRotationRun, label: str) -> dict:
    return run.progress.setdefault(label, {"last_id": 0, "scanned": 0, "rotated": 0, "done": False})


def _start_or_resume(*, actor, target: str) -> KeyRotationRun:
    with transaction.atomic():
        run = KeyRotationRun.objects.select_for_update().filter(target_key_id=target, status="running").first()
        if run is not None:
            return run
        stale = KeyRotationRun.objects.filter(status=KeyRotationRun.Status.RUNNING).exclude(target_key_id=target)
        stale.update(status=KeyRotationRun.Status.SUPERSEDED, finished_at=timezone.now())
        run = KeyRotationRun.objects.create(target_key_id=target)
        audit_record(actor=actor, action="privacy.key_rotation.start", obj=run, detail={"target": target})
        return run


def _rotate_batch(run_pk: int, label: str, fields: tuple[str, ...], batch_size: int, target: str) -> KeyRotationRun:
    """One batch of one table, and its checkpoint, in one transaction."""
    model = apps.get_model(label)
    with transaction.atomic():
        run = KeyRotationRun.objects.select_for_update().get(pk=run_pk)
        table = _table_progress(run, label)
        if run.status != KeyRotationRun.Status.RUNNING or table["done"]:
            return run
        batch = model.objects.filter(pk__gt=table["last_id"]).order_by("pk").values_list("pk", *fields)
        rows = list(batch[:batch_size])
        prefix = f"{target}$"
        for pk, *values in rows:
            changes = {}
            for field, value in zip(fields, values, strict=True):
                if value and not value.startswith(prefix):
                    changes[field] = (value, crypto.encrypt(crypto.decrypt(value)))
            if changes:
                still = {field: old for field, (old, _) in changes.items()}
                updated = model.objects.filter(pk=pk, **still).update(**{f: new for f, (_, new) in changes.items()})
                if updated:
                    table["rotated"] += len(changes)
                    run.values_rotated += len(changes)
        table["scanned"] += len(rows)
        run.rows_scanned += len(rows)
        if rows:
            table["last_id"] = rows[-1][0]
        if len(rows) < batch_size:
            table["done"] = True
        run.save(update_fields=["progress", "rows_scanned", "values_rotated"])
        return run


def _finish(*, actor, run_pk: int) -> KeyRotationRun:
    with transaction.atomic():
        run = KeyRotationRun.objects.select_for_update().get(pk=run_pk)
        if run.status == KeyRotationRun.Status.RUNNING:
            run.status, run.finished_at = KeyRotationRun.Status.COMPLETED, timezone.now()
            run.save(update_fields=["status", "finished_at"])
            audit_record(actor=actor, action="privacy.key_rotation.complete", obj=run,
                         detail={"target": run.target_key_id, "scanned": run.rows_scanned,
                                 "rotated": run.values_rotated})  # fmt: skip
        return run


def rotate_data_key(
    *,
    actor=None,
    batch_size: int | None = None,
    max_batches: int | None = None,
    on_batch: Callable[[KeyRotationRun, str], None] | None = None,
) -> KeyRotationRun:
    """Run (or resume) the rotation to the current key. ``max_batches`` stops early, leaving the run
    to be resumed by the next call; the return value's status says whether it is complete."""
    batch_size = batch_size or privacy_policy().batch_size
    target = current_key_id()
    run = _start_or_resume(actor=actor, target=target)
    batches = 0
    for label, fields in encrypted_fields():
        while not _table_progress(run, label)["done"]:
            if max_batches is not None and batches >= max_batches:
                return run
            run = _rotate_batch(run.pk, label, fields, batch_size, target)
            if run.status != KeyRotationRun.Status.RUNNING:
                return run
            batches += 1
            if on_batch is not None:
                on_batch(run, label)
    return _finish(actor=actor, run_pk=run.pk)


def values_not_under(key_id: str) -> int:
    """How many stored values are still under another key (0 means the old keys may be dropped)."""
    total = 0
    for label, fields in encrypted_fields():
        model = apps.get_model(label)
        for field in fields:
            stale = model.objects.exclude(**{field: ""}).exclude(**{f"{field}__startswith": f"{key_id}$"})
            total += stale.count()
    return total
