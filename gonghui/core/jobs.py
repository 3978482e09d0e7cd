"""Long jobs that survive their worker (issue 10 item 3): the one lease-and-heartbeat mechanism.

A long job (a roster import's dry run and commit, a list export, a key rotation, and any area job) is a model
that inherits ``LeasedJob`` and names, for each of its running statuses, the task that runs it
(``lease_tasks``: status -> dotted path of a django-tasks task taking the job's pk). The task body claims the
job (``claim``: a conditional UPDATE, so one worker at a time) and renews the lease after every batch
(``Lease.beat``; a worker that lost its lease stops before writing). A job whose lease expired while running
is stalled (已停滞): its worker died (``kill -9``, a power cut). ``resume_stalled`` — run when a worker starts,
every lease period by the worker, and by ``run_daily`` — puts each stalled job back on the queue exactly once
(again a conditional UPDATE: two checkers never both enqueue it); an authorised cadre may do the same from the
job's page (``resume``, audited). The job bodies resume from their own checkpoints (the import's cursor, the
rotation's progress) or start again (a dry run, an export), so nothing is lost or written twice.
"""

import datetime as dt
import logging
import os
import socket
import threading
import uuid

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connections, models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)
QUEUED = "queued:"  # the owner of a lease handed back to the queue: the next worker to start the job takes it
NOT_STALLED = "该任务正在运行或已结束，无需继续。"


def lease_seconds() -> int:
    """How long a lease lasts without a heartbeat (``GONGHUI_JOB_LEASE_SECONDS``; a batch takes seconds)."""
    return settings.GONGHUI_JOB_LEASE_SECONDS


class LeasedJob(models.Model):
    """Abstract: the lease columns of a long job (租约). ``lease_tasks`` maps each running status to its task."""

    lease_owner = models.CharField("租约持有者", max_length=100, blank=True)
    lease_expires_at = models.DateTimeField("租约到期时间", null=True, blank=True)

    lease_tasks: dict[str, str] = {}

    class Meta:
        abstract = True

    @property
    def stalled(self) -> bool:
        """已停滞: running, but its worker stopped renewing the lease."""
        expires = self.lease_expires_at
        return self.status in self.lease_tasks and expires is not None and expires <= timezone.now()


class LeaseLost(Exception):
    """Another worker took the job over (this one was stalled): stop without writing."""


class Lease:
    """A claimed job: ``beat`` after each batch, released when the ``with`` block ends."""

    def __init__(self, model, pk: int):
        self.model, self.pk = model, pk
        self.owner = f"{socket.gethostname()[:40]}:{os.getpid()}:{uuid.uuid4().hex[:12]}"

    def _mine(self):
        return self.model.objects.filter(pk=self.pk, lease_owner=self.owner)

    def beat(self) -> None:
        """Renew the lease (inside a batch's transaction, it also proves the batch is still this worker's)."""
        if not self._mine().update(lease_expires_at=_expiry()):
            raise LeaseLost(f"{self.model._meta.label} {self.pk}")

    def __enter__(self) -> "Lease":
        return self

    def __exit__(self, *exc) -> None:
        self._mine().update(lease_owner="", lease_expires_at=None)


def _expiry() -> dt.datetime:
    return timezone.now() + dt.timedelta(seconds=lease_seconds())


def _free() -> Q:
    expired = Q(lease_expires_at__isnull=True) | Q(lease_expires_at__lte=timezone.now())
    return expired | Q(lease_owner__startswith=QUEUED)


def claim(job: LeasedJob, status: str) -> Lease | None:
    """Take the job's lease if it is in ``status`` (the one the calling task handles) and nobody holds a live
    lease on it; None if it is not, or somebody does."""
    lease = Lease(type(job), job.pk)
    running = type(job).objects.filter(pk=job.pk, status=status).filter(_free())
    return lease if running.update(lease_owner=lease.owner, lease_expires_at=_expiry()) else None


def enqueue_job(job: LeasedJob, task) -> None:
    """Put ``task(job.pk)`` on the queue when the current transaction commits, the job's lease handed to the
    queue first (in the transaction). If the queue does not answer (Redis down) the page is not failed: the error
    is logged, and once the lease runs out the job is stalled and ``resume_stalled`` (the worker's watcher,
    ``run_daily``) queues it again, until the queue answers; a worker that takes it meanwhile claims it as usual."""
    type(job).objects.filter(pk=job.pk).update(lease_owner=f"{QUEUED}{uuid.uuid4().hex[:12]}",
                                               lease_expires_at=_expiry())  # fmt: skip
    transaction.on_commit(lambda: _send(task, job.pk))


def _send(task, pk: int) -> None:
    try:
        task.enqueue(pk)
    except Exception:
        logger.error("后台任务 %s（%s）暂时无法排队：任务队列不可用。队列恢复后将自动重新排队。", task.name, pk,
                     exc_info=True)  # fmt: skip


def resume(job: LeasedJob, *, actor=None) -> bool:
    """Put a stalled job back on the queue, once: False if it is not stalled (running, finished, or another
    checker resumed it first). By a cadre (``actor``) it is audited; the caller checks the actor's right."""
    from gonghui.core.audit import audit_record  # core.models imports this module

    model = type(job)
    with transaction.atomic():
        fresh = model.objects.select_for_update().get(pk=job.pk)
        if not fresh.stalled:
            return False
        stalled = model.objects.filter(pk=job.pk, lease_owner=fresh.lease_owner, lease_expires_at__lte=timezone.now())
        if not stalled.update(lease_owner=f"{QUEUED}{uuid.uuid4().hex[:12]}", lease_expires_at=_expiry()):
            return False
        task = import_string(fresh.lease_tasks[fresh.status])
        transaction.on_commit(lambda: _send(task, fresh.pk))
        if actor is not None:
            audit_record(actor=actor, action="job.resume", obj=fresh, org=getattr(fresh, "org", None),
                         detail={"status": fresh.status})  # fmt: skip
    return True


def resume_or_refuse(job: LeasedJob, *, actor) -> None:
    """The page's 继续: resume, or a clear error when the job is not stalled."""
    if not resume(job, actor=actor):
        raise ValidationError(NOT_STALLED)


def leased_models() -> list[type[LeasedJob]]:
    """Every long-job model, found by type (an app that adds one is checked with no edit here)."""
    return [m for m in apps.get_models() if issubclass(m, LeasedJob)]


def resume_stalled() -> int:
    """Every stalled job of every kind back on the queue (each once); how many."""
    resumed = 0
    for model in leased_models():
        stalled = model.objects.filter(status__in=list(model.lease_tasks), lease_expires_at__lte=timezone.now())
        resumed += sum(resume(job) for job in stalled.only("pk", "status", "lease_owner", "lease_expires_at"))
    return resumed


def resume_stalled_daily(*, today: dt.date) -> int:
    """The daily job (``run_daily``): a safety net for a deployment whose worker never restarts."""
    return resume_stalled() + queued_tasks_send()


def enqueue_on_commit(task, **kwargs) -> None:
    """Run ``task(**kwargs)`` in the background once the current transaction commits, even if the queue is down
    then: the request is saved in the transaction (``QueuedTask``) and sent to the queue on commit; if the queue
    does not answer, the page is not failed (the error is logged) and the worker's watcher sends it once it
    does. The task must be idempotent: in a rare race (a send that hangs past the retry time) it may run twice."""
    from gonghui.core.models import QueuedTask

    row = QueuedTask.objects.create(task=task.module_path, kwargs=kwargs,
                                    next_try_at=timezone.now() + dt.timedelta(seconds=lease_seconds()))  # fmt: skip
    transaction.on_commit(lambda: _send_queued(row.pk))


def _send_queued(pk: int) -> bool:
    """Send one saved request to the queue and delete it; False (logged, kept for the next try) if the queue
    does not answer, or if another checker is sending it."""
    from gonghui.core.models import QueuedTask

    retry = timezone.now() + dt.timedelta(seconds=lease_seconds())
    row = QueuedTask.objects.filter(pk=pk).first()
    if row is None or not QueuedTask.objects.filter(pk=pk, attempts=row.attempts).update(
        attempts=row.attempts + 1, next_try_at=retry
    ):
        return False
    try:
        import_string(row.task).enqueue(**row.kwargs)
    except Exception as error:
        logger.error("后台任务 %s 暂时无法排队：任务队列不可用。队列恢复后将自动重新排队。", row.task, exc_info=True)
        QueuedTask.objects.filter(pk=pk).update(error=f"{type(error).__name__}: {error}"[:200])
        return False
    QueuedTask.objects.filter(pk=pk).delete()
    return True


def queued_tasks_send() -> int:
    """Every saved request whose send failed (or never ran: the process ended first) on the queue; how many."""
    from gonghui.core.models import QueuedTask

    due = QueuedTask.objects.filter(next_try_at__lte=timezone.now()).order_by("pk").values_list("pk", flat=True)
    return sum(_send_queued(pk) for pk in due[:1000])


def watch_stalled(stop: threading.Event) -> threading.Thread:
    """The worker's periodic check, now and then every half lease period until ``stop``: ``resume_stalled``, and
    ``queued_tasks_send`` for the tasks a write asked for while the queue was down."""

    def loop() -> None:
        while True:
            try:
                if count := resume_stalled():
                    logger.warning("已重新排队 %d 个停滞的后台任务。", count)
                if count := queued_tasks_send():
                    logger.warning("队列恢复，已补排 %d 个后台任务。", count)
            except Exception:
                logger.exception("检查停滞的后台任务时出错。")
            finally:
                connections.close_all()  # this thread's own connections
            if stop.wait(max(1, lease_seconds() // 2)):
                return

    thread = threading.Thread(target=loop, name="gonghui-stalled-jobs", daemon=True)
    thread.start()
    return thread
