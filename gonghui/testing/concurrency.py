"""Calls made at the same moment, as hundreds of phones do (the concurrency tests, PostgreSQL)."""

import threading
from collections.abc import Callable
from typing import Any

from django.db import connection


def at_once(calls: list[Callable[[], Any]], *, timeout: float = 120) -> list:
    """Runs each call in its own thread, all released together by one barrier, each on its own database connection
    (closed after): the outcomes in the order they finished — what the call returned, or the refusal's text (a
    ValidationError's messages, a ConflictError's message; any other error's repr)."""
    start, outcomes = threading.Barrier(len(calls)), []

    def run(call):
        try:
            start.wait()
            outcomes.append(call())
        except Exception as error:  # noqa: BLE001 — every outcome is the test's finding
            text = getattr(error, "messages", None) or [getattr(error, "message", None) or repr(error)]
            outcomes.append(" ".join(text))
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout)
    return outcomes
