"""gunicorn for the load benches (bench/load.py, bench/contest_submissions.py): started on loopback with the
development settings and DEBUG=0 — or the production settings and gunicorn.conf.py, as `make prod` — waited for
until it answers, stopped with its workers."""

import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent


def start(*, port: int, workers: int, database_url: str, threads: int = 1, probe: str = "/healthz", log=None,
          env: dict | None = None, production_env: dict | None = None) -> subprocess.Popen:  # fmt: skip
    """gunicorn serving gonghui.wsgi on 127.0.0.1:``port``, once ``probe`` answers 200 (exits the bench if it never
    does within 60 s). With ``production_env`` (the whole environment of the production mode, GONGHUI_BIND and
    WEB_CONCURRENCY included) it runs as `make prod` does: gunicorn.conf.py, the production settings."""
    if production_env is not None:
        environment = {**os.environ, **production_env}
        cmd = [str(VENV_BIN / "gunicorn"), "-c", str(ROOT / "gunicorn.conf.py"), "gonghui.wsgi"]
    else:
        environment = {**os.environ, "DEBUG": "0", "ALLOWED_HOSTS": "127.0.0.1,localhost",
                       "DATABASE_URL": database_url, "DJANGO_SETTINGS_MODULE": "gonghui.settings",
                       **(env or {})}  # fmt: skip
        environment.pop("GONGHUI_ENV", None)  # development settings (the dev secrets under var/)
        cmd = [str(VENV_BIN / "gunicorn"), "gonghui.wsgi", "--workers", str(workers), "--threads", str(threads),
               "--bind", f"127.0.0.1:{port}", "--timeout", "120", "--backlog", "2048",
               "--error-logfile", "-"]  # fmt: skip
    server = subprocess.Popen(cmd, cwd=ROOT, env=environment, stdout=log, stderr=subprocess.STDOUT if log else None,
                              start_new_session=True)  # fmt: skip
    deadline = time.time() + 60
    while time.time() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"gunicorn exited with {server.returncode}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}{probe}", timeout=5) as response:
                if response.status == 200:
                    return server
        except OSError:
            pass
        time.sleep(0.5)
    stop(server)
    raise SystemExit("gunicorn did not answer within 60 s")


def stop(server: subprocess.Popen) -> None:
    """SIGTERM to the process group the bench started (``start_new_session``: gunicorn and its workers, or a task
    worker and the jobs it forked); killed if it has not ended after 30 s."""
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
