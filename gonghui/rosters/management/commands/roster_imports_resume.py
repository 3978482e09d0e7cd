"""Re-enqueue every roster import that was committing when its worker stopped (run after a crash or restart).
The commit continues after the last committed batch; an import that is in fact still running refuses to
write the same batch twice (the job's cursor is checked under a row lock)."""

from django.core.management.base import BaseCommand

from gonghui.rosters.models import ImportJob
from gonghui.rosters.tasks import import_commit_task


class Command(BaseCommand):
    help = "继续因中断而未完成的花名册导入"

    def handle(self, *args, **options):
        jobs = list(ImportJob.objects.filter(status=ImportJob.Status.COMMITTING).values_list("pk", flat=True))
        for pk in jobs:
            import_commit_task.enqueue(pk)
        self.stdout.write(f"已重新排队 {len(jobs)} 个花名册导入。")
