"""Key rotation (docs/security.md §10, docs/architecture.md rule 6):
re-encrypt every stored value not under the current key.

The first key in GONGHUI_DATA_KEYS encrypts and every listed key decrypts, so rotation is: put the new key
first, keep the old one listed, run ``rotate_data_key`` until it reports completion, then drop the old key.

The job walks each table by primary key in batches. Each batch and the checkpoint (the run's per-table
last id and counts) commit in one transaction with the run row locked, so a crash loses at most the batch
in flight, a restart resumes after the last committed one, and two workers never do the same batch. A
value is replaced only if it is still the one read (a concurrent edit already wrote current-key text).
Blind indexes are HMACs under the separate index key and are not touched.

Stored files (core.files: uploads, exports, case attachments) rotate too: after the columns, the job walks
every table with a ``PrivateFileField`` column the same way, a few files a batch, and re-encrypts each file not
under the target key (streamed into a new file that replaces it atomically). A file already under the target
key is skipped by its header, so a batch redone after a crash only re-reads headers.
"""

from collections.abc import Callable

from django.apps import apps
from django.db import transaction
from django.utils import timezone

from gonghui.core import crypto, files, jobs
from gonghui.core.audit import audit_record
from gonghui.privacy.models import KeyRotationRun
from gonghui.privacy.policy import privacy_policy


class RotationBusy(Exception):
    """Another process holds the rotation's lease (core.jobs): it is running there."""


def encrypted_fields() -> list[tuple[str, tuple[str, ...]]]:
    """Every encrypted column of every installed model, as (app_label.Model, field names), found by the field
    type (``crypto.EncryptedTextField``) rather than listed: an app that adds one is rotated with no edit here."""
    found = []
    for model in apps.get_models():
        fields = tuple(f.name for f in model._meta.concrete_fields if isinstance(f, crypto.EncryptedTextField))
        if fields and not model._meta.proxy:
            found.append((model._meta.label, fields))
    return sorted(found)


def file_progress_label(label: str) -> str:
    """The checkpoint key of a table's files (its columns have the table's own label)."""
    return f"{label} 文件"


FILE_BATCH = 20  # files a batch: each may be large, and the batch holds the run's row lock


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


def _rotate_batch(
    run_pk: int, label: str, fields: tuple[str, ...], batch_size: int, target: str, lease: jobs.Lease
) -> KeyRotationRun:  # fmt: skip
    """One batch of one table, and its checkpoint, in one transaction (with the lease renewed: core.jobs)."""
    model = apps.get_model(label)
    with transaction.atomic():
        run = KeyRotationRun.objects.select_for_update().get(pk=run_pk)
        lease.beat()
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


def _rotate_file_batch(
    run_pk: int, label: str, fields: tuple[str, ...], target: str, lease: jobs.Lease
) -> KeyRotationRun:
    """One batch of a table's stored files, and its checkpoint, in one transaction (the lease renewed)."""
    model = apps.get_model(label)
    with transaction.atomic():
        run = KeyRotationRun.objects.select_for_update().get(pk=run_pk)
        lease.beat()
        table = _table_progress(run, file_progress_label(label))
        if run.status != KeyRotationRun.Status.RUNNING or table["done"]:
            return run
        rows = list(
            model.objects.filter(pk__gt=table["last_id"]).order_by("pk").values_list("pk", *fields)[:FILE_BATCH]
        )
        for _, *paths in rows:
            rotated = sum(files.reencrypt(path, target) for path in paths if path)
            table["rotated"] += rotated
            run.values_rotated += rotated
        table["scanned"] += len(rows)
        run.rows_scanned += len(rows)
        if rows:
            table["last_id"] = rows[-1][0]
        if len(rows) < FILE_BATCH:
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
    to be resumed by the next call; the return value's status says whether it is complete. A long job
    (core.jobs): while another worker holds the run's lease, ``RotationBusy``."""
    batch_size = batch_size or privacy_policy().batch_size
    run = _start_or_resume(actor=actor, target=current_key_id())
    lease = jobs.claim(run, KeyRotationRun.Status.RUNNING)
    if lease is None:
        raise RotationBusy("另一个进程正在进行密钥轮换，请稍后查看进度。")
    with lease:
        return _rotate(run, lease, actor=actor, batch_size=batch_size, max_batches=max_batches, on_batch=on_batch)


def _rotate(run: KeyRotationRun, lease: jobs.Lease, *, actor, batch_size: int, max_batches, on_batch) -> KeyRotationRun:
    target = run.target_key_id
    batches = 0
    steps = [(label, lambda pk, label=label, fields=fields: _rotate_batch(pk, label, fields, batch_size, target, lease))
             for label, fields in encrypted_fields()]  # fmt: skip
    steps += [(file_progress_label(label), lambda pk, label=label, fields=fields: _rotate_file_batch(
        pk, label, fields, target, lease)) for label, fields in files.file_fields()]  # fmt: skip
    for key, batch in steps:
        while not _table_progress(run, key)["done"]:
            if max_batches is not None and batches >= max_batches:
                return run
            run = batch(run.pk)
            if run.status != KeyRotationRun.Status.RUNNING:
                return run
            batches += 1
            if on_batch is not None:
                on_batch(run, key)
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


def files_not_under(key_id: str) -> int:
    """How many stored files are under another key or unreadable (0 means, with ``values_not_under``, that the
    old keys may be dropped)."""
    total = 0
    for label, fields in files.file_fields():
        for paths in apps.get_model(label).objects.values_list(*fields).iterator():
            for path in filter(files.exists, paths):
                try:
                    total += files.key_id_of(files.path_of(path)) != key_id
                except crypto.DecryptionError:
                    total += 1
    return total
