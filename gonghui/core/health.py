"""Probes for the load balancer and the process supervisor, and the answer when the database goes away.

* ``/healthz`` (liveness): the process answers; no database, no Redis. Restart the process when it fails.
* ``/readyz`` (readiness): the database answers, Redis answers (when ``REDIS_URL`` is set: the cache and the
  task queue), and every migration is applied; else 503 with the first check that failed. Send no traffic
  while it fails. Neither names a host, a version or an error's text: the answer is a status and a check's name.

Both are open to anyone (a probe signs in to nothing) and not rate limited; they read no session.

``DatabaseUnavailableMiddleware``: a request whose database connection dropped (the server restarted, the
network cut, the connection killed) gets a clear Chinese 503 instead of the generic error page. The request's
transaction was rolled back with the connection, so nothing of it was written; the page says so."""

import logging

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, InterfaceError, OperationalError, connections
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

logger = logging.getLogger(__name__)

DATABASE_DOWN = "数据库连接中断，本次操作没有保存任何内容。请稍后重试；如果问题持续出现，请联系平台管理员。"
READY_REASONS = {
    "database": "数据库不可用",
    "redis": "Redis 不可用",
    "migrations": "数据库迁移尚未全部执行",
}
_migrated = False  # once every migration is applied, it stays so for this process


def _json(payload: dict, status: int = 200) -> JsonResponse:
    return JsonResponse(payload, status=status, json_dumps_params={"ensure_ascii": False})


@never_cache
@require_GET
def healthz(request):
    return _json({"status": "ok"})


def _database_ok() -> bool:
    try:
        with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:
        logger.warning("就绪检查：数据库不可用。", exc_info=True)
        return False


def redis_urls() -> list[str]:
    """Every Redis the site uses: the cache's and the task queue's."""
    urls = [settings.REDIS_URL] if settings.REDIS_URL else []
    urls += [queue["URL"] for queue in getattr(settings, "RQ_QUEUES", {}).values() if queue.get("URL")]
    return list(dict.fromkeys(urls))


def _redis_ok() -> bool:
    import redis

    for url in redis_urls():
        client = redis.Redis.from_url(url, socket_connect_timeout=0.5, socket_timeout=0.5)
        try:
            client.ping()
        except redis.RedisError:
            logger.warning("就绪检查：Redis 不可用。", exc_info=True)
            return False
        finally:
            client.close()
    return True


def _migrations_ok() -> bool:
    global _migrated
    if not _migrated:
        executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
        _migrated = not executor.migration_plan(executor.loader.graph.leaf_nodes())
    return _migrated


@never_cache
@require_GET
def readyz(request):
    checks = (("database", _database_ok), ("redis", _redis_ok), ("migrations", _migrations_ok))
    for name, check in checks:
        if not check():
            return _json({"status": "unavailable", "check": name, "reason": READY_REASONS[name]}, status=503)
    return _json({"status": "ok"})


def database_dropped(request, exception: Exception) -> str:
    """Logs a request whose database connection dropped, lets the next request connect afresh, and gives the
    message for the person (the page here, the API's error shape in core.api)."""
    logger.error("请求处理中数据库连接中断，事务已回滚：%s %s", request.method, request.path, exc_info=exception)
    for connection in connections.all(initialized_only=True):
        connection.close_if_unusable_or_obsolete()
    return DATABASE_DOWN


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, OperationalError | InterfaceError):
            return None
        message = database_dropped(request, exception)
        if request.path.startswith("/api/") or "application/json" in request.headers.get("Accept", ""):
            response = _json({"detail": message}, status=503)
        else:
            response = HttpResponse(render_to_string("503.html", {"message": message}), status=503)
        response["Retry-After"] = "30"
        return response
