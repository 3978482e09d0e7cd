"""Faults (issue 19): the database connection dropped during a request, two cadres saving the same record, the
disk full while an export is written. Each through the pages people use; on SQLite and PostgreSQL alike (where
PostgreSQL can do it for real, it does: the connection is killed by the server). Redis down: test_production.py."""

import errno

import pytest
from django.db import OperationalError, connection, connections
from django.urls import reverse

from gonghui.core import exports, files
from gonghui.core.models import AuditEvent, ExportJob
from gonghui.core.tasks import export_task
from gonghui.venues.models import Venue
from gonghui.venues.tests.conftest import make_station
from gonghui.venues.tests.test_permissions import _form

DROPPED = "数据库连接中断，本次操作没有保存任何内容"


def _kill_connection_at(sql_start: str):
    """An execute wrapper that drops this connection just before the first statement starting with ``sql_start``:
    on PostgreSQL the server terminates the backend (pg_terminate_backend from another connection), so the
    statement meets a dead connection; on SQLite (no server) the statement fails as a lost connection would."""
    fired = []

    def wrapper(execute, sql, params, many, context):
        if not fired and sql.startswith(sql_start):
            fired.append(sql)
            if connection.vendor == "postgresql":
                pid = connection.connection.info.backend_pid
                other = connections.create_connection("default")
                try:
                    with other.cursor() as cursor:
                        cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
                finally:
                    other.close()
            else:
                raise OperationalError("disk I/O error: database connection lost")
        return execute(sql, params, many, context)

    return wrapper, fired


@pytest.mark.django_db(transaction=True)  # the killed connection takes any test transaction with it
def test_a_dropped_database_connection_mid_request_writes_nothing_and_says_so(cast, client):
    venue = make_station(cast)
    client.force_login(cast.users.province_admin)
    url = reverse("venues:edit", args=[venue.pk])
    wrapper, fired = _kill_connection_at('INSERT INTO "core_auditevent"')  # after the venue's UPDATE
    with connection.execute_wrapper(wrapper):
        response = client.post(url, _form(cast, name="改名后的驿站", version=venue.version, is_active="on"))
    assert fired, "the save never reached its audit event"
    assert response.status_code == 503 and response["Retry-After"] == "30"
    assert DROPPED in response.content.decode()
    connection.close()  # the test client does not run Django's per-request connection clean-up
    venue_after = Venue.objects.get(pk=venue.pk)
    assert (venue_after.name, venue_after.version) == (venue.name, venue.version)  # the UPDATE was rolled back
    assert not AuditEvent.objects.filter(action="venues.venue_update").exists()
    # The next request connects afresh and the same save goes through.
    response = client.post(url, _form(cast, name="改名后的驿站", version=venue.version, is_active="on"))
    assert response.status_code == 302 and Venue.objects.get(pk=venue.pk).name == "改名后的驿站"

    # Under the API the answer is the API's error shape (one test: each transactional test flushes every table).
    from gonghui.testing.api import ApiClient, url

    api = ApiClient()
    api.token(cast.users.province_admin)
    wrapper, fired = _kill_connection_at("SELECT")
    with connection.execute_wrapper(wrapper):
        response = api.call("get", url("/members"), cast.users.province_admin)
    assert fired and response.status_code == 503
    assert response.json() == {"detail": DROPPED + "。请稍后重试；如果问题持续出现，请联系平台管理员。"}
    connection.close()


# ----- two cadres, one record ---------------------------------------------------------------------------------


def _venue(cast):
    venue = make_station(cast)
    url = reverse("venues:edit", args=[venue.pk])

    def form(who):
        return _form(cast, name=f"{who}改的驿站", version=venue.version, is_active="on")

    return url, form, lambda: Venue.objects.get(pk=venue.pk).name, ("province_admin", "grassroots_admin")


def _member(cast):
    from gonghui.members.models import Person

    pk = cast.members.zhang.person_id
    url = reverse("members:edit", args=[pk])

    def form(who):
        return {"name": "张伟", "ethnicity": "汉族", "employment_form": "standard", "version": 1, "job_title": who}

    return url, form, lambda: Person.objects.get(pk=pk).job_title, ("province_admin", "national_admin")


def _hardship_file(cast):
    from gonghui.assistance.models import HardshipFile
    from gonghui.assistance.tests.test_permissions import _edit, hardship_file

    file = hardship_file(cast)
    url = reverse("assistance:edit", args=[file.pk])

    def form(who):
        return _edit(cast) | {"m-0-monthly_income": "1300" if who == "grassroots_admin" else "1700"}

    def saved():
        from gonghui.core import crypto

        self_row = HardshipFile.objects.get(pk=file.pk).household.get(relation="self")
        return crypto.decrypt(self_row.monthly_income_enc)

    return url, form, saved, ("grassroots_admin", "national_admin")


@pytest.mark.parametrize("record", [_venue, _member, _hardship_file], ids=["venue", "member", "hardship-file"])
def test_two_cadres_edit_the_same_record_the_second_gets_a_conflict(cast, client, record):
    from django.test import Client

    from gonghui.testing import pii_guard

    url, form, saved, (first, second) = record(cast)
    one, two = client, Client()
    one.force_login(getattr(cast.users, first))
    two.force_login(getattr(cast.users, second))
    with pii_guard.paused():  # the hardship form shows the file's full values to its editors (audited)
        assert one.get(url).status_code == two.get(url).status_code == 200  # both open the form at version 1
    before = saved()
    assert one.post(url, form(first)).status_code == 302
    kept = saved()
    assert kept != before
    with pii_guard.paused():
        response = two.post(url, form(second))
    assert response.status_code == 409
    assert "已被他人修改" in response.content.decode()
    assert saved() == kept  # the first cadre's save is not overwritten


# ----- disk full ----------------------------------------------------------------------------------------------


def test_disk_full_while_writing_an_export_fails_it_clearly_and_offers_no_file(cast, client, settings, tmp_path,
                                                                               monkeypatch, caplog):  # fmt: skip
    settings.VAR_DIR = tmp_path
    writes = []
    real_write = files.EncryptingWriter.write

    def full_after_the_first_write(self, data):
        if writes:
            raise OSError(errno.ENOSPC, "No space left on device")
        writes.append(len(data))
        return real_write(self, data)

    monkeypatch.setattr(files.EncryptingWriter, "write", full_after_the_first_write)
    client.force_login(cast.users.grassroots_admin)
    response = client.post(reverse("exports:list"), {"list": "joining.codes"})
    job = ExportJob.objects.get()
    with pytest.raises(OSError):
        export_task.call(job.pk)  # the worker's run: the task fails, and so does the job
    assert writes
    job.refresh_from_db()
    assert (job.status, job.file_path, job.error) == (ExportJob.Status.FAILED, "", exports.DISK_FULL)
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == []  # the half-written file is gone
    assert any("存储空间不足" in r.getMessage() for r in caplog.records if r.levelname == "ERROR")
    page = client.get(response["Location"]).content.decode()
    assert "失败：服务器存储空间不足，文件没有生成" in page and f"exports/{job.pk}/download/" not in page
    download = client.get(reverse("exports:download", args=[job.pk]))
    assert download.status_code == 302  # back to the export's page with the reason: no file is offered
    assert "不能下载" in client.get(download["Location"]).content.decode()
