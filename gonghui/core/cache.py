"""The cache on Redis that keeps the site working while Redis is down (docs/decisions/0031-production-stack.md).

The cache holds only what may be lost: rate-limit counters (gonghui.core.ratelimit) and the like; sessions are in
the database. So when Redis does not answer, every cache operation falls back to this process's memory (rate
limits are then counted per process, as in development) instead of failing the page, and Redis is tried again
after ``RETRY_SECONDS``. The outage and the recovery are logged once each. The socket timeouts in
settings.CACHES keep a page from waiting on a dead Redis for more than half a second."""

import logging
import threading
import time

from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)
RETRY_SECONDS = 5.0
DOWN = (RedisConnectionError, RedisTimeoutError, ConnectionError, TimeoutError)
OPERATIONS = ("add", "get", "set", "touch", "delete", "get_many", "has_key", "incr", "set_many", "delete_many",
              "clear")  # fmt: skip


class ResilientRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._fallback = LocMemCache(f"gonghui-fallback-{id(self)}", {"OPTIONS": {"MAX_ENTRIES": 10000}})
        self._down_until = 0.0
        self._lock = threading.Lock()

    @property
    def redis_down(self) -> bool:
        return time.monotonic() < self._down_until

    def _call(self, name: str, *args, **kwargs):
        if not self.redis_down:
            try:
                result = getattr(super(), name)(*args, **kwargs)
            except DOWN:
                with self._lock:
                    first = self._down_until == 0.0
                    self._down_until = time.monotonic() + RETRY_SECONDS
                if first:
                    logger.error("Redis 不可用，缓存（频率限制计数）暂时改用本进程内存。", exc_info=True)
            else:
                if self._down_until:
                    with self._lock:
                        self._down_until = 0.0
                    logger.warning("Redis 已恢复，缓存重新使用 Redis。")
                return result
        return getattr(self._fallback, name)(*args, **kwargs)


def _delegate(name: str):
    def method(self, *args, **kwargs):
        return self._call(name, *args, **kwargs)

    method.__name__ = name
    return method


for _name in OPERATIONS:
    setattr(ResilientRedisCache, _name, _delegate(_name))
