"""Transient database errors, retried (docs/security.md §21): SQLite's "database is locked" when another writer
holds the lock longer than the busy timeout, and PostgreSQL's serialization failures and deadlocks. The whole
unit of work is run again, so it must be one that can be (a daily job, which is idempotent)."""

import logging
import random
import time
from collections.abc import Callable
from typing import TypeVar

from django.db import OperationalError, close_old_connections

T = TypeVar("T")
logger = logging.getLogger(__name__)
POSTGRESQL_RETRYABLE = {"40001", "40P01"}  # serialization_failure, deadlock_detected


def is_transient(error: BaseException) -> bool:
    if not isinstance(error, OperationalError):
        return False
    if "database is locked" in str(error) or "database table is locked" in str(error):
        return True
    return getattr(error.__cause__, "sqlstate", None) in POSTGRESQL_RETRYABLE


def retry_transient(work: Callable[[], T], *, label: str, attempts: int = 6, first_delay: float = 0.5) -> T:
    """Run ``work``; after a transient error wait (doubling, with jitter) and run it again, at most ``attempts``
    times in all; any other error, or the last transient one, is raised."""
    attempt = 1
    while True:
        try:
            return work()
        except OperationalError as error:
            if attempt == attempts or not is_transient(error):
                raise
            delay = first_delay * 2 ** (attempt - 1) * random.uniform(0.8, 1.2)  # noqa: S311 — jitter, not secrecy
            logger.warning("%s：数据库暂时繁忙（%s），%.1f 秒后第 %d 次重试。", label, error, delay, attempt)
            close_old_connections()
            time.sleep(delay)
            attempt += 1
