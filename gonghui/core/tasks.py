"""Background work of the kernel (django-tasks): the one list export."""

from django_tasks import task

from gonghui.core import exports
from gonghui.core.models import ExportJob


@task()
def export_task(job_id: int) -> dict:
    job = exports.export_run(job=ExportJob.objects.get(pk=job_id))
    return {"job": job.pk, "status": job.status, "rows": job.rows}
