"""The production mode (docs/deploy.md, docs/decisions/0031-production-stack.md): settings only from the
environment, the probes, the structured access log with masked personal data, and the task queue on Redis (RQ)."""

import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import django_rq
import pytest
from django.db import OperationalError
from django.test import Client
from django.urls import reverse
from rq import SimpleWorker

from gonghui.core import health, jobs
from gonghui.core.logging import JsonFormatter, MaskPersonalDataFilter
from gonghui.core.models import ExportJob, QueuedTask
from gonghui.core.requestlog import HEADER

ROOT = Path(__file__).resolve().parents[3]
REDIS_TEST_URL = os.environ.get("GONGHUI_TEST_REDIS_URL", "redis://127.0.0.1:6379/14")  # a database of its own
REDIS_NOWHERE = "redis://127.0.0.1:1/0"  # nothing listens on port 1
RQ = "django_tasks_rq.RQBackend"
ID_NUMBER, PHONE = "330106198501010012", "13912345678"


def _redis_up() -> bool:
    import redis

    try:
        return redis.Redis.from_url(REDIS_TEST_URL, socket_connect_timeout=0.5).ping()
    except redis.RedisError:
        return False


needs_redis = pytest.mark.skipif(not _redis_up(), reason=f"Redis is not running at {REDIS_TEST_URL}")

PRODUCTION_ENV = {
    "GONGHUI_ENV": "production",
    "SECRET_KEY": "x" * 60,
    "GONGHUI_DATA_KEYS": "k1:" + "ab" * 16,
    "GONGHUI_INDEX_KEY": "cd" * 32,
    "GONGHUI_AUDIT_KEYS": "a1:" + "ef" * 32,
    "DATABASE_URL": "postgres://gonghui@127.0.0.1:5432/gonghui",
    "REDIS_URL": REDIS_NOWHERE,
    "ALLOWED_HOSTS": "union.example.cn",
}


def _django(env: dict, code: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in PRODUCTION_ENV and not k.startswith("GONGHUI_")}
    return subprocess.run([sys.executable, "-c", f"import django; django.setup(); {code}"], cwd=ROOT,  # noqa: S603
                          env=clean | {"DJANGO_SETTINGS_MODULE": "gonghui.settings"} | env, capture_output=True,
                          text=True, timeout=60)  # fmt: skip


def test_production_refuses_to_start_naming_every_missing_variable():
    missing = _django({"GONGHUI_ENV": "production", "SECRET_KEY": "x" * 60}, "")
    assert missing.returncode != 0
    message = missing.stderr.strip().splitlines()[-1]
    assert "生产模式（GONGHUI_ENV=production）缺少必需的环境变量，拒绝启动" in message
    for name in ("GONGHUI_DATA_KEYS", "GONGHUI_INDEX_KEY", "GONGHUI_AUDIT_KEYS", "DATABASE_URL", "REDIS_URL"):
        assert name in message
    assert "SECRET_KEY" not in message.split("拒绝启动")[1]
    # With everything set: the RQ task backend, django_rq, JSON logs, WhiteNoise's hashed manifest, HTTPS.
    code = (
        "from django.conf import settings as s; import json; print(json.dumps([s.TASKS['default']['BACKEND'],"
        " 'django_rq' in s.INSTALLED_APPS, s.RQ_QUEUES['default']['URL'], s.LOGGING['handlers']['console']"
        "['formatter'], s.STORAGES['staticfiles']['BACKEND'], s.DEBUG, s.SECURE_SSL_REDIRECT,"
        " s.CACHES['default']['BACKEND']]))"
    )
    ready = _django(PRODUCTION_ENV, code)
    assert ready.returncode == 0, ready.stderr
    assert json.loads(ready.stdout.strip().splitlines()[-1]) == [
        RQ, True, REDIS_NOWHERE, "json", "whitenoise.storage.CompressedManifestStaticFilesStorage", False, True,
        "gonghui.core.cache.ResilientRedisCache",
    ]  # fmt: skip


# ----- probes -------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_healthz_answers_without_the_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert response.status_code == 200 and response.json() == {"status": "ok"}
    assert "no-store" in response["Cache-Control"]


@pytest.mark.django_db
def test_readyz_checks_database_redis_and_migrations(client, settings, monkeypatch):
    response = client.get("/readyz")
    assert response.status_code == 200 and response.json() == {"status": "ok"}

    def broken(*args, **kwargs):
        raise OperationalError("could not connect to server: Connection refused (host db.internal)")

    monkeypatch.setattr("django.db.backends.utils.CursorWrapper.execute", broken)
    response = client.get("/readyz")
    monkeypatch.undo()
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "check": "database", "reason": "数据库不可用"}
    assert "db.internal" not in response.content.decode()  # no host, no error text

    settings.REDIS_URL = REDIS_NOWHERE
    response = client.get("/readyz")
    assert response.status_code == 503 and response.json()["check"] == "redis"
    assert "127.0.0.1" not in response.content.decode()
    settings.REDIS_URL = ""

    monkeypatch.setattr(health, "_migrated", False)
    monkeypatch.setattr(health.MigrationExecutor, "migration_plan", lambda self, targets: [("unapplied", False)])
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "check": "migrations", "reason": "数据库迁移尚未全部执行"}


# ----- logs ---------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_one_json_line_per_request_with_the_request_id(client, cast, caplog):
    client.force_login(cast.users.province_admin)
    with caplog.at_level(logging.INFO, logger="gonghui.request"):
        response = client.get(f"/members/?q={ID_NUMBER}&page=2", headers={HEADER: "edge-4f2a9c01"})
        generated = client.get("/healthz", headers={HEADER: "bad id with spaces"})
    assert response[HEADER] == "edge-4f2a9c01"  # the caller's id is echoed
    assert len(generated[HEADER]) == 32 and generated[HEADER] != "bad id with spaces"  # else a new one
    records = [r for r in caplog.records if r.name == "gonghui.request"]
    assert len(records) == 2
    line = json.loads(JsonFormatter().format(records[0]))
    assert line["request_id"] == "edge-4f2a9c01" and line["level"] == "INFO" and line["method"] == "GET"
    assert line["path"] == "/members/?q=&page="  # the query's names, never its values
    assert line["status"] == response.status_code and line["user_id"] == cast.users.province_admin.pk
    assert isinstance(line["duration_ms"], float) and line["time"].endswith("+00:00")
    assert ID_NUMBER not in json.dumps(line)
    assert json.loads(JsonFormatter().format(records[1]))["request_id"] == generated[HEADER]
    with caplog.at_level(logging.INFO, logger="gonghui.request"):
        Client().get(reverse("accounts:login"))
    assert caplog.records[-1].user_id is None  # nobody signed in


def test_personal_data_in_any_log_line_is_masked():
    record = logging.LogRecord("gonghui.test", logging.WARNING, __file__, 1, "会员 %s 的手机 %s 无法发送短信",
                               (ID_NUMBER, PHONE), None)  # fmt: skip
    record.detail = f"转来的身份证 {ID_NUMBER[:6]}19850101001X 和 +86{PHONE}"  # an extra field
    try:
        raise ValueError(f"bad phone {PHONE}")
    except ValueError:
        record.exc_info = sys.exc_info()
    MaskPersonalDataFilter().filter(record)
    text = JsonFormatter().format(record)
    line = json.loads(text)
    assert line["message"] == "会员 3301**********0012 的手机 139****5678 无法发送短信"
    assert "3301**********001X" in line["detail"] and "139****5678" in line["detail"]
    assert "bad phone 139****5678" in line["exception"]
    for secret in (ID_NUMBER, PHONE, "19850101001X"):
        assert secret not in text


# ----- Redis ----------------------------------------------------------------------------------------------------


@pytest.fixture
def redis_cache(settings):
    """The production cache: on the test Redis, or on a Redis that is down."""
    from django.core.cache import caches

    def use(url: str):
        settings.CACHES = {"default": {"BACKEND": "gonghui.core.cache.ResilientRedisCache", "LOCATION": url,
                                       "KEY_PREFIX": "gonghui-test",
                                       "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2}}}  # fmt: skip
        return caches["default"]

    return use


@pytest.mark.django_db
def test_pages_work_while_redis_is_down(client, cast, redis_cache, caplog):
    cache = redis_cache(REDIS_NOWHERE)
    assert client.get(reverse("accounts:login")).status_code == 200
    # The sign-in is rate limited: its counter falls back to this process's memory.
    response = client.post(reverse("accounts:login"), {"username": cast.users.province_admin.username,
                                                       "password": "wrong-password-1"})  # fmt: skip
    assert response.status_code == 200 and "请输入一个正确的用户名和密码" in response.content.decode()
    assert cache.redis_down
    client.force_login(cast.users.province_admin)
    assert client.get(reverse("members:list")).status_code == 200
    assert [r.getMessage() for r in caplog.records if r.name == "gonghui.core.cache"] == [
        "Redis 不可用，缓存（频率限制计数）暂时改用本进程内存。"
    ]


@needs_redis
def test_the_cache_uses_redis_when_it_is_up(redis_cache):
    cache = redis_cache(REDIS_TEST_URL)
    cache.set("probe", 41, 30)
    assert cache.incr("probe") == 42 and not cache.redis_down
    import redis

    assert redis.Redis.from_url(REDIS_TEST_URL).exists(cache.make_key("probe"))
    cache.delete("probe")


@pytest.fixture
def rq_tasks(settings):
    """Tasks on RQ, with the queue on the test Redis (``up``) or on a Redis that is down."""

    def use(url: str):
        settings.TASKS = {"default": {"BACKEND": RQ}}
        settings.RQ_QUEUES = {"default": {"URL": url, "DEFAULT_TIMEOUT": 60}}
        return django_rq.get_queue("default")

    return use


@needs_redis
@pytest.mark.django_db
def test_an_export_waits_while_redis_is_down_and_runs_once_it_is_back(client, cast, rq_tasks, caplog,
                                                                       django_capture_on_commit_callbacks):  # fmt: skip
    rq_tasks(REDIS_NOWHERE)
    client.force_login(cast.users.grassroots_admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("exports:list"), {"list": "joining.codes"})
    assert response.status_code == 302  # the page works; the job is kept
    job = ExportJob.objects.get()
    assert job.status == ExportJob.Status.RUNNING and job.lease_owner.startswith(jobs.QUEUED)
    assert any("暂时无法排队：任务队列不可用" in r.getMessage() for r in caplog.records)
    page = client.get(response["Location"]).content.decode()
    assert "正在准备" in page

    queue = rq_tasks(REDIS_TEST_URL)  # Redis is back
    queue.empty()
    ExportJob.objects.filter(pk=job.pk).update(lease_expires_at=job.created_at)  # its lease ran out meanwhile
    with django_capture_on_commit_callbacks(execute=True):
        assert jobs.resume_stalled() == 1  # the worker's watcher does this every half lease
    assert queue.count == 1
    from django_tasks_rq.backend import Job

    assert SimpleWorker([queue], connection=queue.connection, job_class=Job).work(burst=True)
    job.refresh_from_db()
    assert job.status == ExportJob.Status.READY and job.file_path
    assert client.get(reverse("exports:download", args=[job.pk])).status_code == 200


@needs_redis
@pytest.mark.django_db
def test_a_task_asked_for_while_redis_is_down_is_kept_and_sent_once_it_is_back(
    client, cast, rq_tasks, caplog, django_capture_on_commit_callbacks
):
    """A province's new dues rate asks for its rollups to be recomputed: with the queue down the page still
    works, the request is kept (core.jobs.enqueue_on_commit), and the worker's watcher sends it once Redis is back."""
    from gonghui.dues.models import DuesRate

    rq_tasks(REDIS_NOWHERE)
    client.force_login(cast.users.province_admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("dues:policy"), {"province": cast.orgs.zhejiang.pk, "rate_percent": "0.4",
                                                        "effective_from": "2026-01"})  # fmt: skip
    assert response.status_code == 302 and DuesRate.objects.filter(province_code="33").exists()
    kept = QueuedTask.objects.get()
    assert (
        kept.task == "gonghui.dues.tasks.recompute_rollups_task"
        and kept.attempts == 1
        and "ConnectionError" in kept.error
    )
    assert kept.kwargs == {"province_code": "33", "since": "2026-01-01"}
    assert any("暂时无法排队：任务队列不可用" in r.getMessage() for r in caplog.records)
    assert jobs.queued_tasks_send() == 0  # not due yet: the watcher tries again after a lease period

    queue = rq_tasks(REDIS_TEST_URL)  # Redis is back
    queue.empty()
    QueuedTask.objects.update(next_try_at=kept.created_at)
    assert jobs.queued_tasks_send() == 1 and not QueuedTask.objects.exists()
    assert queue.count == 1 and jobs.queued_tasks_send() == 0  # sent once
    from django_tasks_rq.backend import Job

    assert SimpleWorker([queue], connection=queue.connection, job_class=Job).work(burst=True)
    assert queue.count == 0


@pytest.mark.django_db
def test_a_task_queue_that_is_down_fails_the_enqueue_clearly(rq_tasks):
    """Outside a leased job (a caller enqueueing directly) the error is Redis's own, not a silent loss."""
    import redis

    from gonghui.core.tasks import export_task

    rq_tasks(REDIS_NOWHERE)
    with pytest.raises(redis.exceptions.ConnectionError):
        export_task.enqueue(1)


def test_the_preloaded_application_opens_no_connection_before_the_workers_fork():
    """gunicorn.conf.py preloads gonghui.wsgi in the master: importing it (settings, apps, URLconf, API) must leave
    no database or Redis connection open, or the forked workers would share one socket."""
    code = (
        "import gonghui.wsgi, sys, json; from django.db import connections; from django.core.cache import caches;"
        " print(json.dumps(['gonghui.api' in sys.modules,"
        " [c.connection is not None for c in connections.all()], len(caches.all(initialized_only=True))]))"
    )
    loaded = _django(PRODUCTION_ENV, code)
    assert loaded.returncode == 0, loaded.stderr
    assert json.loads(loaded.stdout.strip().splitlines()[-1]) == [True, [False], 0]
