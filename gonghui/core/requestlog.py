"""The access log: one structured line per request (docs/deploy.md, "Logs"), and the request id.

The id is the caller's ``X-Request-ID`` when it looks like one (nginx sets ``$request_id``; 8 to 64 letters,
digits and ``._:-``), else a new random one; it is echoed in the response's ``X-Request-ID`` header and carried
by every log line written while the request is served (``gonghui.core.logging.request_id``), so a user's
error report, the nginx log and the application's lines meet on it.

The line gives the method, the path with the query string's names but not its values (a search for an ID number
or a phone is in the values), the status, the duration in milliseconds and the user's id (never a name). The
log's filter and the JSON formatter mask any ID number or phone still in it (a path such as /v/<code>/)."""

import logging
import re
import time
import uuid

from django.utils.functional import empty

from gonghui.core.logging import request_id

logger = logging.getLogger("gonghui.request")
HEADER = "X-Request-ID"
_VALID_ID = re.compile(r"^[A-Za-z0-9._:-]{8,64}$")


def new_request_id(offered: str | None) -> str:
    return offered if offered and _VALID_ID.match(offered) else uuid.uuid4().hex


def path_without_values(request) -> str:
    """``/members/?q=…&page=2`` -> ``/members/?q=&page=``: the names of the query's parameters only."""
    names = list(dict.fromkeys(request.GET.keys()))
    return request.path + ("?" + "&".join(f"{name}=" for name in names) if names else "")


def user_id_of(request) -> int | None:
    """The signed-in user's id, only if the request already looked the user up (no extra query here)."""
    user = request.__dict__.get("user")
    if user is None or getattr(user, "_wrapped", None) is empty:
        return None
    return user.pk if getattr(user, "is_authenticated", False) else None


class RequestLogMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        rid = new_request_id(request.headers.get(HEADER))
        request.request_id = rid
        token = request_id.set(rid)
        started = time.perf_counter()
        status = 500
        try:
            response = self.get_response(request)
            status = response.status_code
            response[HEADER] = rid
            return response
        finally:
            duration = round((time.perf_counter() - started) * 1000, 1)
            path = path_without_values(request)
            level = logging.ERROR if status >= 500 else logging.INFO
            fields = {"request_id": rid, "method": request.method, "path": path, "status": status,
                      "duration_ms": duration, "user_id": user_id_of(request)}  # fmt: skip
            logger.log(level, "%s %s %s %.1fms", request.method, path, status, duration, extra=fields)
            request_id.reset(token)
