"""The crash-resume test's other processes (gonghui/core/tests/test_jobs_crash.py): ``python -m
gonghui.testing.crash_worker setup ROWS`` builds the cast and a roster import waiting for its commit,
``worker SLOW`` runs ``manage.py task_worker`` with each import batch taking SLOW seconds more (so that the test
can kill it mid-job), ``state JOB`` prints what the database holds of the import. Settings from the environment
(DATABASE_URL, GONGHUI_VAR_DIR, GONGHUI_JOB_LEASE_SECONDS)."""

import json
import os
import sys
import time

import django

BATCH = 50


def _setup(rows: int) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from gonghui.rosters import services, tasks
    from gonghui.rosters.tests.support import HEADER, person_id, xlsx
    from gonghui.testing.cast import build_cast

    cast = build_cast()
    content = xlsx({"花名册": [HEADER] + [[f"职工{n}", person_id(n)] for n in range(rows)]})
    admin, company = cast.users.grassroots_admin, cast.orgs.company
    job = services.import_upload(actor=admin, org=company, file=SimpleUploadedFile("r.xlsx", content),
                                 file_name="r.xlsx")  # fmt: skip
    tasks.import_check_task.call(job.pk)
    job.refresh_from_db()
    services.import_commit(actor=admin, job=job)  # enqueued: the worker commits it
    print(json.dumps({"job": job.pk, "company": company.pk}))


def _worker(slow: float) -> None:
    from django.core.management import call_command

    from gonghui.rosters import importer

    write = importer.write_batch

    def slow_write(job, outcomes):
        time.sleep(slow)
        return write(job, outcomes)

    importer.write_batch = slow_write
    call_command("task_worker", "--no-reload", "--interval", "0.2", "-v0")


def _state(pk: int) -> None:
    from gonghui.core.models import AuditEvent
    from gonghui.members.models import Membership, Person
    from gonghui.rosters.models import ImportJob

    job = ImportJob.objects.get(pk=pk)
    batches = AuditEvent.objects.filter(action="roster.import.batch", object_id=str(pk)).order_by("id")
    print(json.dumps({
        "status": job.status, "cursor": job.cursor, "committed": job.committed, "total": job.rows_total,
        "memberships": Membership.objects.filter(org=job.org, person__name__startswith="职工").count(),
        "people": Person.objects.filter(name__startswith="职工").count(),
        "batches": [[e.detail["from"], e.detail["to"]] for e in batches],
    }))  # fmt: skip


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gonghui.settings")
    django.setup()
    from django.conf import settings

    settings.GONGHUI_ROSTERS = {"batch_size": BATCH}
    command, argument = sys.argv[1], sys.argv[2]
    {"setup": lambda: _setup(int(argument)), "worker": lambda: _worker(float(argument)),
     "state": lambda: _state(int(argument))}[command]()  # fmt: skip
