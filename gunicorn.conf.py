"""gunicorn's settings for Gonghui (docs/deploy.md): `gunicorn -c gunicorn.conf.py gonghui.wsgi`.

Every value can be changed from the environment without editing this file. Several synchronous worker processes
(the pages and the API are short requests; long work goes to the task workers), recycled after a few thousand
requests, with the access log left to the application (gonghui.core.requestlog: one JSON line per request with
its request id) and gunicorn's own lines in the same JSON shape."""

import multiprocessing
import os

bind = os.environ.get("GONGHUI_BIND", "127.0.0.1:8001")
# (2 x cores) + 1 is gunicorn's advice; capped so that a big machine does not open more database connections
# than PostgreSQL's max_connections allows (each worker holds one, DB_CONN_MAX_AGE keeps it).
workers = int(os.environ.get("WEB_CONCURRENCY", min(2 * multiprocessing.cpu_count() + 1, 8)))
worker_class = "sync"
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
keepalive = 5
max_requests = 2000
max_requests_jitter = 200
# The master imports the application once (gonghui/wsgi.py: settings, apps, URLconf, API) and the workers fork from
# it: a recycled worker is ready at once (importing took seconds of CPU on every recycle, inside its first
# request) and the workers share the imported code's memory. New code therefore needs a restart of the service,
# not a reload (docs/deploy.md).
preload_app = True
SHM = "/dev/shm"  # noqa: S108 — gunicorn's heartbeat files, off the disk (its documented advice)
worker_tmp_dir = SHM if os.path.isdir(SHM) else None
# nginx on the same host sets X-Forwarded-Proto; only it is trusted to.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
proc_name = "gonghui-web"
accesslog = None  # gonghui.core.requestlog writes the access line
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "gonghui.core.logging.JsonFormatter"}},
    "filters": {"mask_personal_data": {"()": "gonghui.core.logging.MaskPersonalDataFilter"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json",
            "filters": ["mask_personal_data"],
            "stream": "ext://sys.stderr",
        }
    },
    "loggers": {
        "gunicorn.error": {"level": loglevel.upper(), "handlers": ["console"], "propagate": False},
        "gunicorn.access": {"level": "WARNING", "handlers": ["console"], "propagate": False},
    },
}
