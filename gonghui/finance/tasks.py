"""Background work of finance (django-tasks, long jobs of core.jobs): the collection import's dry run and its
resumable commit."""

from django_tasks import task

from gonghui.finance import imports
from gonghui.finance.models import CollectionImport


@task()
def collection_import_check_task(job_id: int) -> dict:
    job = imports.check(job=CollectionImport(pk=job_id))
    return {"job": job.pk, "status": job.status, "errors": len(job.errors)}


@task()
def collection_import_commit_task(job_id: int) -> dict:
    job = imports.run(job=CollectionImport(pk=job_id))
    return {"job": job.pk, "status": job.status, "cursor": job.cursor}
