"""A worker killed mid-import (``kill -9``), then a new one (issue 10 item 3): the import's read-ahead child
exits with its parent, the new worker resumes the stalled job by itself, and every row is written exactly once.

The worker is a real process (``manage.py task_worker``, gonghui.testing.crash_worker) on a database it can
share with this one: a file-based SQLite database migrated for the test, or on PostgreSQL the test database
itself (hence ``transactional_db``: the test's data must be committed to be seen)."""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

pytestmark = [pytest.mark.security]
ROWS = 600
LEASE_SECONDS = 2


def _env(tmp_path: Path) -> dict:
    db = connection.settings_dict
    if connection.vendor == "postgresql":
        url = f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}/{db['NAME']}"
    else:
        url = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    return os.environ | {"DATABASE_URL": url, "GONGHUI_VAR_DIR": str(tmp_path), "GONGHUI_ENV": "development",
                         "GONGHUI_JOB_LEASE_SECONDS": str(LEASE_SECONDS), "DJANGO_SETTINGS_MODULE": "gonghui.settings",
                         "TASKS_BACKEND": "django_tasks_db.DatabaseBackend"}  # fmt: skip


def _run(env: dict, *args: str) -> dict:
    command = [sys.executable, "-m", "gonghui.testing.crash_worker", *args]
    out = subprocess.run(command, env=env, check=True, capture_output=True, text=True,  # noqa: S603 — fixed
                         cwd=settings.BASE_DIR, timeout=180)  # fmt: skip
    return json.loads(out.stdout.strip().splitlines()[-1])


def _worker(env: dict, slow: float) -> subprocess.Popen:
    command = [sys.executable, "-m", "gonghui.testing.crash_worker", "worker", str(slow)]
    return subprocess.Popen(command, env=env, cwd=settings.BASE_DIR,  # noqa: S603 — fixed command
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip


def _until(predicate, timeout: float) -> bool:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if predicate():
            return True
        time.sleep(0.3)
    return False


def _children(pid: int) -> list[int]:
    found = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True)  # noqa: S603, S607
    return [int(p) for p in found.stdout.split()]


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    status = subprocess.run(["ps", "-o", "stat=", "-p", str(pid)], capture_output=True, text=True)  # noqa: S603, S607
    status = status.stdout
    return bool(status.strip()) and not status.strip().startswith("Z")  # a zombie has exited


@pytest.mark.django_db(transaction=True)
def test_a_killed_worker_s_import_is_resumed_by_the_next_worker_with_nothing_lost_or_repeated(tmp_path):
    env = _env(tmp_path)
    if connection.vendor == "sqlite":
        subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], env=env, check=True, cwd=settings.BASE_DIR,
                       timeout=300)  # fmt: skip
    job = _run(env, "setup", str(ROWS))["job"]
    first = _worker(env, slow=0.4)
    try:
        assert _until(lambda: 100 <= _run(env, "state", str(job))["cursor"] < ROWS - 100, timeout=120)
        children = _children(first.pid)
        assert children, "the commit reads ahead in a child process"
        first.send_signal(signal.SIGKILL)
        first.wait()
    finally:
        first.kill()
    stopped = _run(env, "state", str(job))
    assert stopped["status"] == "committing" and stopped["cursor"] < ROWS
    assert _until(lambda: not any(_alive(pid) for pid in children), timeout=10), "the read-ahead child outlived it"

    second = _worker(env, slow=0)
    try:
        assert _until(lambda: _run(env, "state", str(job))["status"] == "committed", timeout=120)
    finally:
        second.terminate()
        second.wait(timeout=30)
    done = _run(env, "state", str(job))
    assert done["cursor"] == ROWS and done["committed"]["create"] == ROWS
    assert done["memberships"] == done["people"] == ROWS  # nothing lost, nothing twice
    spans = done["batches"]
    assert spans[0][0] == 0 and spans[-1][1] == ROWS
    assert all(a[1] == b[0] for a, b in zip(spans, spans[1:], strict=False))  # each batch once, none skipped
