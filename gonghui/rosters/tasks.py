"""Background work of rosters (django-tasks): the dry run and the resumable commit (exports: core.tasks)."""

from django_tasks import task

from gonghui.rosters import services
from gonghui.rosters.models import ImportJob


@task()
def import_check_task(job_id: int) -> dict:
    job = services.import_check(job=ImportJob.objects.select_related("org", "created_by").get(pk=job_id))
    return {"job": job.pk, "status": job.status, "counts": job.counts}


@task()
def import_commit_task(job_id: int) -> dict:
    """Resumable: enqueue again after a crash or restart (``manage.py roster_imports_resume``)."""
    job = services.import_run(job=ImportJob.objects.get(pk=job_id))
    return {"job": job.pk, "status": job.status, "cursor": job.cursor, "committed": job.committed}
