"""Rate limits on public endpoints (SECURITY.md item 16): fixed-window counters in Django's cache.

The cache is Redis in production (shared by every web process) and local memory otherwise. A counter is
one cache key per (key, window); ``cache.add`` starts it with the window as its timeout and ``cache.incr``
counts, both atomic on Redis, so two processes never both see the same count.

``hit`` is the primitive; ``rate_limit`` wraps a Django view or a django-ninja operation and answers
429 with a Chinese message (JSON under /api/, a page elsewhere) once the limit is passed."""

import functools
import hashlib
import math
import time
from collections.abc import Callable, Iterable

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string

MESSAGE = "请求过于频繁，请稍后再试。"


def _cache_key(key: str, window_seconds: int, bucket: int) -> str:
    # Hashed: a key may carry a username or other text that some cache backends refuse in keys.
    digest = hashlib.sha256(key.encode()).hexdigest()[:32]
    return f"gh:rl:{digest}:{window_seconds}:{bucket}"


def hit(key: str, *, limit: int, window_seconds: int) -> bool:
    """Count one request against ``key``; True while at most ``limit`` requests fell in this window."""
    bucket = int(time.time() // window_seconds)
    cache_key = _cache_key(key, window_seconds, bucket)
    if cache.add(cache_key, 1, timeout=window_seconds + 1):
        return limit >= 1
    try:
        count = cache.incr(cache_key)
    except ValueError:  # the counter expired between add and incr: this request starts a new one
        cache.add(cache_key, 1, timeout=window_seconds + 1)
        count = 1
    return count <= limit


def retry_after(window_seconds: int) -> int:
    """Seconds until the current fixed window ends."""
    return max(1, math.ceil(window_seconds - time.time() % window_seconds))


def client_ip(request: HttpRequest) -> str:
    """The address the request came from. Behind a reverse proxy, the proxy must set REMOTE_ADDR
    (nginx's real_ip module); a client-supplied X-Forwarded-For is never trusted here."""
    return request.META.get("REMOTE_ADDR") or "unknown"


def too_many_requests(request: HttpRequest, *, window_seconds: int = 60) -> HttpResponse:
    """The 429 answer: JSON for the API (and clients asking for JSON), a Chinese page otherwise."""
    wants_json = request.path.startswith("/api/") or "application/json" in request.headers.get("Accept", "")
    if wants_json:
        response = JsonResponse({"detail": MESSAGE}, status=429, json_dumps_params={"ensure_ascii": False})
    else:
        response = HttpResponse(render_to_string("429.html", {"message": MESSAGE}, request=request), status=429)
    response["Retry-After"] = str(retry_after(window_seconds))
    return response


def rate_limit(
    *,
    scope: str,
    limit: int,
    window_seconds: int,
    key: Callable[[HttpRequest], str] = client_ip,
    methods: Iterable[str] = ("POST",),
):
    """Decorate a view (or a ninja operation; its first argument is the request as well): at most
    ``limit`` requests with the listed methods per ``key(request)`` (the client IP by default) in each
    window of ``window_seconds``; past that, 429."""
    counted = {m.upper() for m in methods}

    def decorator(view):
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            if request.method in counted and not hit(
                f"{scope}:{key(request)}", limit=limit, window_seconds=window_seconds
            ):
                return too_many_requests(request, window_seconds=window_seconds)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
