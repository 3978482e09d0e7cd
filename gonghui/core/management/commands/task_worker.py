"""`manage.py task_worker`: django_tasks_db's worker loop (`db_worker`, same options), restarted after any error.

The loop itself skips a locked queue, but an error elsewhere (a "database is locked" while recording a task's
result, a dropped connection) ends `db_worker` for good. Here the error is logged and the loop starts again
after a pause that doubles while errors keep coming (up to a minute) and resets once it has run a minute.
Beside the loop, a thread puts long jobs whose worker died back on the queue (core.jobs.watch_stalled).

With the RQ backend (production: TASKS_BACKEND=django_tasks_rq.RQBackend) the same command runs django-rq's worker
instead (``rqworker`` with django-tasks-rq's job class and the scheduler), beside the same watcher, and starts it
again after a pause when it ends with an error (Redis went away): one command for the systemd unit either way."""

import logging
import os
import threading
import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import close_old_connections
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV, run_with_reloader
from django_tasks_db.management.commands import db_worker

from gonghui.core import jobs

logger = logging.getLogger(__name__)
MAX_PAUSE = 60.0


class RestartingWorker(db_worker.Worker):
    def run(self) -> None:
        stop = threading.Event()  # set when the loop ends (``--batch``, a signal), so the watcher ends with it
        jobs.watch_stalled(stop)  # long jobs whose worker died are resumed (core.jobs)
        try:
            self._run_restarting()
        finally:
            stop.set()

    def _run_restarting(self) -> None:
        pause = 1.0
        while True:
            started = time.monotonic()
            try:
                return super().run()
            except Exception:
                if time.monotonic() - started > MAX_PAUSE:
                    pause = 1.0
                logger.exception("后台任务处理出错，%.0f 秒后重新开始处理。", pause)
                close_old_connections()
                time.sleep(pause)
                pause = min(pause * 2, MAX_PAUSE)


class Command(db_worker.Command):
    help = "后台任务处理进程（django_tasks_db 的 db_worker，出错后记录日志并自动重新开始）。"

    def add_arguments(self, parser) -> None:
        super().add_arguments(parser)
        for action in parser._actions:  # db_worker accepts database backends only; RQ is handled in handle()
            if action.dest == "backend_name":
                action.type = str

    def handle(self, *, verbosity, queue_name, exclude_queues, reload, **options) -> None:
        backend = settings.TASKS[options["backend_name"]]["BACKEND"]
        if backend == settings.RQ_BACKEND:
            return rq_worker(queue_name.split(","), batch=options["batch"], verbosity=verbosity)
        self.configure_logging(verbosity)
        if exclude_queues and "*" not in queue_name.split(","):
            raise CommandError("--exclude-queues can only be used with --queue-name=*")
        worker = RestartingWorker(
            queue_names=queue_name.split(","),
            excluded_queue_names=exclude_queues.split(",") if exclude_queues else [],
            interval=options["interval"],
            batch=options["batch"],
            backend_name=options["backend_name"],
            startup_delay=options["startup_delay"],
            max_tasks=options["max_tasks"],
            worker_id=options["worker_id"],
        )
        if reload and not options["batch"]:
            if os.environ.get(DJANGO_AUTORELOAD_ENV) == "true":  # only the reloader's child handles signals
                worker.configure_signals()
            run_with_reloader(worker.run)
        else:
            worker.configure_signals()
            worker.run()


def rq_worker(queues: list[str], *, batch: bool, verbosity: int) -> None:
    """django-rq's worker on ``queues`` (``*``: every queue of RQ_QUEUES), restarted after an error as above."""
    if "*" in queues:
        queues = list(settings.RQ_QUEUES)
    stop = threading.Event()
    jobs.watch_stalled(stop)
    pause = 1.0
    try:
        while True:
            started = time.monotonic()
            try:
                call_command("rqworker", *queues, job_class="django_tasks_rq.backend.Job", with_scheduler=not batch,
                             burst=batch, verbosity=verbosity)  # fmt: skip
                return
            except (Exception, SystemExit):  # rqworker exits with 1 when Redis does not answer
                if batch:
                    raise
                if time.monotonic() - started > MAX_PAUSE:
                    pause = 1.0
                logger.exception("后台任务处理（RQ）出错，%.0f 秒后重新开始处理。", pause)
                close_old_connections()
                time.sleep(pause)
                pause = min(pause * 2, MAX_PAUSE)
    finally:
        stop.set()
