"""Background work of the governance app (django-tasks)."""

from django_tasks import task

from gonghui.governance import rollup


@task()
def rollup_apply_task() -> dict:
    """The incremental rollup of the orgs marked dirty since the last run (idempotent: nothing marked, nothing
    done)."""
    from gonghui.governance.models import RollupDirty

    rows = rollup.apply_dirty()
    for _ in range(20):  # a backlog (more than one run takes) is worked off in the same task
        if not RollupDirty.objects.exists():
            break
        rows += rollup.apply_dirty()
    return {"rows": rows}


@task()
def year_report_task(job_id: int) -> dict:
    """生成统计年报 (a long job: resumed at its next section after its worker died)."""
    from gonghui.governance.services import year_report_run

    job = year_report_run(job_id=job_id)
    return {"job": job.pk, "status": job.status}
