"""The embedded default under contention (docs/security.md §21): transient lock errors are retried by the daily jobs,
the task worker restarts after any error, and daily jobs and a roster import run at once on one SQLite file."""

import logging
import os
import sqlite3
import subprocess
import sys
import threading

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.db import IntegrityError, OperationalError, connection
from django_tasks_db.management.commands import db_worker

from gonghui.core import dbretry, registry
from gonghui.core.dbretry import is_transient, retry_transient
from gonghui.core.registry import DailyJob
from gonghui.core.tests.test_hardening import BASE_DIR
from gonghui.rosters import services
from gonghui.rosters.models import ImportJob
from gonghui.rosters.tests.support import HEADER, person_id, upload, xlsx

pytestmark = pytest.mark.django_db  # a retry closes broken connections, as the worker loop does
LOCKED = OperationalError("database is locked")
sqlite_only = pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's file locking")


@pytest.fixture
def sleeps(monkeypatch):
    waited: list[float] = []
    monkeypatch.setattr(dbretry.time, "sleep", waited.append)
    return waited


class Flaky:
    """Fails ``times`` times with ``error``, then answers 7."""

    def __init__(self, error: Exception, times: int):
        self.error, self.left, self.calls = error, times, 0

    def __call__(self, **kwargs):
        self.calls += 1
        if self.left:
            self.left -= 1
            raise self.error
        return 7


def _postgresql_error(sqlstate: str) -> OperationalError:
    error = OperationalError("could not serialize access")
    error.__cause__ = type("Cause", (Exception,), {"sqlstate": sqlstate})()
    return error


def test_transient_errors_are_recognised():
    assert is_transient(LOCKED) and is_transient(OperationalError("database table is locked"))
    assert is_transient(_postgresql_error("40001")) and is_transient(_postgresql_error("40P01"))
    assert not is_transient(OperationalError("no such table: x")) and not is_transient(_postgresql_error("42P01"))
    assert not is_transient(IntegrityError("database is locked"))


def test_a_transient_error_is_retried_with_growing_pauses(sleeps, caplog):
    work = Flaky(LOCKED, times=3)
    assert retry_transient(work, label="会籍预警") == 7
    assert work.calls == 4 and len(sleeps) == 3 and sleeps[0] < sleeps[1] < sleeps[2]
    assert "会籍预警：数据库暂时繁忙" in caplog.text


def test_other_errors_and_the_last_attempt_are_raised(sleeps):
    other = Flaky(OperationalError("no such table: x"), times=1)
    with pytest.raises(OperationalError, match="no such table"):
        retry_transient(other, label="x")
    assert other.calls == 1
    stuck = Flaky(LOCKED, times=99)
    with pytest.raises(OperationalError, match="locked"):
        retry_transient(stuck, label="x", attempts=3)
    assert stuck.calls == 3


def test_run_daily_retries_a_job_that_meets_a_locked_database(settings, sleeps, monkeypatch, capsys):
    job = Flaky(LOCKED, times=2)
    monkeypatch.setattr(sys.modules[__name__], "flaky_daily_job", job, raising=False)
    monkeypatch.setattr(
        registry, "daily_jobs", lambda: [DailyJob("抖动的任务", f"{__name__}.flaky_daily_job", order=1)]
    )
    call_command("run_daily")
    assert job.calls == 3 and "抖动的任务：7 条" in capsys.readouterr().out


def test_the_task_worker_restarts_its_loop_after_any_error(monkeypatch, caplog):
    runs = []

    def run(worker):
        runs.append(worker.worker_id)
        if len(runs) < 3:
            raise LOCKED if len(runs) == 1 else RuntimeError("connection dropped")

    monkeypatch.setattr(db_worker.Worker, "run", run)
    monkeypatch.setattr(db_worker.Worker, "configure_signals", lambda worker: None)
    monkeypatch.setattr("gonghui.core.management.commands.task_worker.time.sleep", lambda seconds: None)
    with caplog.at_level(logging.ERROR):
        call_command("task_worker", "--batch", "--no-reload", "--worker-id", "w1")
    assert runs == ["w1", "w1", "w1"]
    assert caplog.text.count("后台任务处理出错") == 2 and "connection dropped" in caplog.text
    watchers = [t for t in threading.enumerate() if t.name == "gonghui-stalled-jobs"]
    for watcher in watchers:  # the worker's stalled-job watcher ends with its loop (it is told to stop)
        watcher.join(timeout=5)
    assert not any(t.is_alive() for t in watchers)


# ----- one SQLite file, several processes ------------------------------------------------------------------


def _to_file(tmp_path) -> str:
    """The test database, committed, copied to a file in WAL mode (as `make demo` runs it)."""
    path = str(tmp_path / "gonghui.sqlite3")
    connection.ensure_connection()
    target = sqlite3.connect(path)
    connection.connection.backup(target)
    target.execute("PRAGMA journal_mode=WAL")
    target.close()
    return path


def _manage(*args: str, db: str, tmp_path) -> subprocess.Popen:
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{db}", "GONGHUI_VAR_DIR": str(tmp_path), "PYTHONUNBUFFERED": "1",
           **{name: getattr(django_settings, name) for name in
              ("SECRET_KEY", "GONGHUI_DATA_KEYS", "GONGHUI_INDEX_KEY", "GONGHUI_AUDIT_KEYS")}}  # fmt: skip
    env.pop("DJANGO_SETTINGS_MODULE", None)
    return subprocess.Popen(  # noqa: S603
        [sys.executable, "manage.py", *args], cwd=BASE_DIR, env=env, text=True,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )  # fmt: skip


def _finish(process: subprocess.Popen) -> str:
    output, _ = process.communicate(timeout=600)
    assert process.returncode == 0, output
    assert "Traceback" not in output and "Error" not in output, output
    return output


@sqlite_only
def test_daily_jobs_and_a_roster_import_run_at_once_on_one_sqlite_file(transactional_db, cast, settings,
                                                                        tmp_path):  # fmt: skip
    settings.VAR_DIR = tmp_path
    rows = [HEADER] + [[f"职工{n}", person_id(n), f"1390000{n:04d}", *[""] * (len(HEADER) - 3)] for n in range(400)]
    job = upload(cast, xlsx({"花名册": rows}))
    assert job.counts["create"] == 400
    from django_tasks_db.models import DBTaskResult

    DBTaskResult.objects.all().delete()  # the dry run was done above; only the commit is left for the worker
    services.import_commit(actor=cast.users.grassroots_admin, job=job)
    db = _to_file(tmp_path)
    daily = "from django.core.management import call_command\nfor _ in range(4): call_command('run_daily')"
    processes = [_manage("task_worker", "--batch", "--no-reload", "--no-startup-delay", db=db, tmp_path=tmp_path),
                 _manage("shell", "-c", daily, db=db, tmp_path=tmp_path)]  # fmt: skip
    outputs = [_finish(process) for process in processes]
    assert outputs[1].count("审计链签名检查点：1 条") == 4
    with sqlite3.connect(db) as result:
        assert result.execute("SELECT status, cursor FROM rosters_importjob WHERE id = ?", [job.pk]).fetchone() == (
            ImportJob.Status.COMMITTED,
            400,
        )
        tasks = result.execute("SELECT task_path, status FROM django_tasks_database_dbtaskresult").fetchall()
    # the import's commit, and the overview's incremental rollup its batches asked for (one per transaction)
    assert {status for _, status in tasks} == {"SUCCESSFUL"}, tasks
    assert sorted({path.rsplit(".", 1)[-1] for path, _ in tasks}) == ["import_commit_task", "rollup_apply_task"], tasks


@sqlite_only
def test_run_daily_outlasts_a_write_lock_held_past_the_busy_timeout(transactional_db, tmp_path):
    """Another writer holds the lock from before run_daily starts until 6 s (busy timeout: 5 s) after it has
    printed its first line; without the retry the first job that writes fails with "database is locked"."""
    db = _to_file(tmp_path)
    holder = sqlite3.connect(db, isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")
    process = _manage("run_daily", db=db, tmp_path=tmp_path)
    first_line = process.stdout.readline()
    release = threading.Timer(6, holder.commit)
    release.start()
    try:
        output = first_line + _finish(process)
    finally:
        release.join()
        holder.close()
    assert "数据库暂时繁忙" in output and "审计链签名检查点：1 条" in output


def test_a_seal_meeting_a_locked_database_does_not_fail_the_committed_work(
    monkeypatch, django_capture_on_commit_callbacks
):
    from gonghui.core import audit

    def locked():
        raise LOCKED

    monkeypatch.setattr(audit, "audit_keys", locked)  # the first thing a seal does
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        event = audit.audit_record(actor=None, action="auth.login")
    assert len(callbacks) == 1
    event.refresh_from_db()
    assert event.seq is None  # left for the sweep, or reported by verify if something newer was sealed first
