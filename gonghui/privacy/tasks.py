"""Background work of personal-data protection (django-tasks; run by the worker or inline by a command)."""

from django_tasks import task

from gonghui.privacy import rotation, services


@task()
def rotate_data_key_task(batch_size: int | None = None, max_batches: int | None = None) -> dict:
    """Re-encrypt under the current key; resumable: call again until ``status`` is ``completed``."""
    run = rotation.rotate_data_key(actor=None, batch_size=batch_size, max_batches=max_batches)
    return {"run": run.pk, "target": run.target_key_id, "status": run.status, "scanned": run.rows_scanned,
            "rotated": run.values_rotated, "progress": run.progress}  # fmt: skip


@task()
def rotation_resume_task(run_id: int) -> dict:
    """A rotation whose worker died (core.jobs), resumed from its checkpoint until complete."""
    try:
        run = rotation.rotate_data_key(actor=None)
    except rotation.RotationBusy:  # taken over meanwhile (the command was run again)
        return {"run": run_id, "status": "busy"}
    return {"run": run.pk, "resumed": run_id, "status": run.status}


@task()
def enforce_retention_task() -> dict[str, int]:
    """Apply the retention rules (schedule daily)."""
    return services.retention_enforce(actor=None)
