"""Heavy reads on a standby (docs/deploy.md "Read replicas"): the overview and list exports read from a streaming
replica of the database when one is configured (``DATABASE_REPLICA_URL``, the alias ``replica``), so that a
province's leaders and its long exports do not load the server every write goes to.

Only code inside ``reading()`` is routed there, and only its reads: a write inside still goes to the primary, and
every other page reads the primary, so a cadre always sees their own saves. What is read on the standby may lag
the primary by the replication delay (usually well under a second; the overview's figures are monthly rollups and
an export is a snapshot anyway). If the standby does not answer, the reads go to the primary and a warning is
logged: a replica is a relief, never a new way to fail."""

import logging
from contextlib import contextmanager
from contextvars import ContextVar

from django.db import OperationalError, connections

logger = logging.getLogger(__name__)
REPLICA = "replica"
_reading: ContextVar[bool] = ContextVar("gonghui_replica_reading", default=False)


def _answers() -> bool:
    try:
        connections[REPLICA].ensure_connection()
    except OperationalError:
        logger.warning("只读副本数据库无法连接，本次查询改由主库完成。")
        return False
    return True


@contextmanager
def reading():
    """Within it, reads go to the standby when one is configured and answers (else to the primary)."""
    if REPLICA not in connections.settings or not _answers():
        yield
        return
    token = _reading.set(True)
    try:
        yield
    finally:
        _reading.reset(token)


class ReplicaRouter:
    """``DATABASE_ROUTERS``: reads inside ``reading()`` to the standby; writes, migrations and all else to the
    primary (``default``)."""

    def db_for_read(self, model, **hints):
        return REPLICA if _reading.get() else None

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the same data on both

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"
