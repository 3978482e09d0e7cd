"""Long jobs survive their worker (core.jobs, issue 10 item 3): the lease, the heartbeat, a stalled job resumed
once, by the worker's check or by an authorised cadre from its page (audited). The crash itself — a worker
killed mid-import, then a new one — is test_jobs_crash.py."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from gonghui.core import jobs
from gonghui.core.models import AuditEvent, ExportJob
from gonghui.rosters import services as roster_services
from gonghui.rosters.models import ImportJob
from gonghui.rosters.tests.support import HEADER, person_id, upload, xlsx

pytestmark = pytest.mark.security


@pytest.fixture
def committing(cast, settings, tmp_path):
    """A roster import whose commit worker died: committing, its lease expired a minute ago."""
    settings.VAR_DIR = tmp_path
    job = upload(cast, xlsx({"花名册": [HEADER, ["赵六", person_id(7)]]}))
    expired = timezone.now() - dt.timedelta(minutes=1)
    ImportJob.objects.filter(pk=job.pk).update(status="committing", lease_owner="dead:1:x", lease_expires_at=expired)
    job.refresh_from_db()
    return job


def _queued(job) -> int:
    return DBTaskResult.objects.filter(args_kwargs__args=[job.pk]).count()


def test_a_live_lease_keeps_other_workers_out_and_a_lost_one_stops_its_holder(committing, settings):
    settings.GONGHUI_JOB_LEASE_SECONDS = 60
    first = jobs.claim(committing, "committing")
    assert first is not None and jobs.claim(committing, "committing") is None  # held: nobody else
    first.beat()
    ImportJob.objects.filter(pk=committing.pk).update(lease_expires_at=timezone.now() - dt.timedelta(seconds=1))
    second = jobs.claim(committing, "committing")  # the first stalled: a new worker takes over
    assert second is not None
    with pytest.raises(jobs.LeaseLost):
        first.beat()
    with second:
        second.beat()
    assert ImportJob.objects.values_list("lease_owner", "lease_expires_at").get(pk=committing.pk) == ("", None)


def test_a_stalled_job_is_resumed_once_however_many_check(committing, django_capture_on_commit_callbacks):
    assert committing.stalled
    with django_capture_on_commit_callbacks(execute=True):
        assert jobs.resume_stalled() == 1
        assert jobs.resume_stalled() == 0  # queued now: its lease runs again until a worker takes it
        assert not jobs.resume(committing)
    assert _queued(committing) == 1
    assert not ImportJob.objects.get(pk=committing.pk).stalled


def test_resumed_commit_finishes_and_writes_each_row_once(cast, committing, django_capture_on_commit_callbacks):
    from gonghui.rosters.tasks import import_commit_task

    with django_capture_on_commit_callbacks(execute=True):
        jobs.resume(committing)
    import_commit_task.call(committing.pk)
    import_commit_task.call(committing.pk)  # the original task, still queued, runs too: writes nothing
    committing.refresh_from_db()
    assert committing.status == "committed" and committing.committed["create"] == 1
    assert cast.orgs.company.memberships.filter(person__name="赵六").count() == 1


def test_the_page_shows_a_stalled_import_and_a_cadre_resumes_it_audited(
    cast, client, committing, django_capture_on_commit_callbacks
):  # fmt: skip
    client.force_login(cast.users.readonly)
    page = client.get(reverse("rosters:import", args=[committing.pk])).content.decode()
    assert "已停滞" in page and reverse("rosters:resume", args=[committing.pk]) not in page
    assert client.post(reverse("rosters:resume", args=[committing.pk])).status_code == 403
    client.force_login(cast.users.grassroots_admin)
    page = client.get(reverse("rosters:import", args=[committing.pk])).content.decode()
    assert "已停滞" in page and reverse("rosters:resume", args=[committing.pk]) in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("rosters:resume", args=[committing.pk]))
    assert response.status_code == 302 and _queued(committing) == 1
    event = AuditEvent.objects.get(action="job.resume")
    assert (event.actor, event.object_id, event.detail) == (cast.users.grassroots_admin, str(committing.pk),
                                                            {"status": "committing"})  # fmt: skip
    client.post(reverse("rosters:resume", args=[committing.pk]))  # not stalled any more
    assert _queued(committing) == 1 and AuditEvent.objects.filter(action="job.resume").count() == 1


def test_a_running_job_is_not_stalled_and_cannot_be_resumed(cast, committing):
    ImportJob.objects.filter(pk=committing.pk).update(lease_expires_at=timezone.now() + dt.timedelta(minutes=1))
    committing.refresh_from_db()
    assert not committing.stalled
    with pytest.raises(Exception, match="无需继续"):
        roster_services.import_resume(actor=cast.users.grassroots_admin, job=committing)


def test_every_long_job_is_leased():
    assert {m._meta.label for m in jobs.leased_models()} >= {"rosters.ImportJob", "core.ExportJob",
                                                             "privacy.KeyRotationRun"}  # fmt: skip
    assert ExportJob.lease_tasks == {"running": "gonghui.core.tasks.export_task"}


def test_a_rotation_another_process_holds_is_left_to_it(cast, settings):
    from django.core.management import CommandError, call_command

    from gonghui.privacy import rotation
    from gonghui.privacy.models import KeyRotationRun

    run = KeyRotationRun.objects.create(target_key_id=rotation.current_key_id())
    assert jobs.claim(run, "running") is not None  # a worker is rotating
    with pytest.raises(CommandError, match="另一个进程正在进行密钥轮换"):
        call_command("rotate_data_key")
    assert KeyRotationRun.objects.get(pk=run.pk).rows_scanned == 0
