"""Rate limits on public endpoints (docs/security.md §16), counted by django-ratelimit.

django-ratelimit keeps fixed-window counters in Django's cache: Redis in production (shared by every web
process), local memory otherwise. ``cache.add`` starts a window's counter and ``cache.incr`` counts, both
atomic on Redis, so two processes never both see the same count; each key's windows end at their own
offset, so not every client's limit resets at once. A counter is shared by everything that uses the same
``scope`` and numbers (the sign-in page and the API token endpoint count together), whatever the method.

This module adds what the library leaves to its user: the Chinese 429 answer — a page, or JSON for a
client asking for it; under /api/ ``ninja.errors.Throttled``, which gonghui/api.py answers — and ``hit``
for a service that counts something other than a request (a phone number's blind index)."""

import functools
from collections.abc import Callable, Iterable

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django_ratelimit.core import get_usage
from ninja.errors import Throttled

MESSAGE = "请求过于频繁，请稍后再试。"
API_PREFIX = "/api/"

Key = str | Callable[[str, HttpRequest | None], str]  # "ip" (REMOTE_ADDR; IPv6 by /64) or (scope, request) -> str


def _wait(request: HttpRequest | None, *, scope: str, limit: int, window_seconds: int, key: Key) -> int:
    """Count one request against ``scope`` and ``key``; 0 while within ``limit``, else the seconds until
    the window ends."""
    usage = get_usage(request, group=scope, key=key, rate=(limit, window_seconds), increment=True)
    if usage is None or not usage["should_limit"]:
        return 0
    return max(1, usage["time_left"])


def hit(key: str, *, limit: int, window_seconds: int) -> bool:
    """Count one event against ``key``; True while at most ``limit`` events fell in this window."""
    return not _wait(None, scope=key, limit=limit, window_seconds=window_seconds, key=lambda scope, request: scope)


def throttle(request: HttpRequest, *, scope: str, limit: int, window_seconds: int, key: Key = "ip") -> None:
    """In a ninja operation: count this request (per client IP by default); past ``limit`` in the window,
    raise ``Throttled``, which the API answers with 429 and the Chinese message."""
    if wait := _wait(request, scope=scope, limit=limit, window_seconds=window_seconds, key=key):
        raise Throttled(wait)


def too_many_requests(request: HttpRequest, *, retry_after: int) -> HttpResponse:
    """The 429 answer for a page: JSON for clients asking for JSON, a Chinese page otherwise."""
    if "application/json" in request.headers.get("Accept", ""):
        response = JsonResponse({"detail": MESSAGE}, status=429, json_dumps_params={"ensure_ascii": False})
    else:
        response = HttpResponse(render_to_string("429.html", {"message": MESSAGE}, request=request), status=429)
    response["Retry-After"] = str(retry_after)
    return response


def rate_limit(*, scope: str, limit: int, window_seconds: int, key: Key = "ip", methods: Iterable[str] = ("POST",)):
    """Decorate a view (or a ninja operation; its first argument is the request as well): at most
    ``limit`` requests with the listed methods per key (the client IP by default) in each window of
    ``window_seconds``; past that, 429."""
    counted = {m.upper() for m in methods}

    def decorator(view):
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            if request.method in counted:
                if request.path.startswith(API_PREFIX):
                    throttle(request, scope=scope, limit=limit, window_seconds=window_seconds, key=key)
                elif wait := _wait(request, scope=scope, limit=limit, window_seconds=window_seconds, key=key):
                    return too_many_requests(request, retry_after=wait)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
