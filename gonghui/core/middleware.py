"""Request-wide concerns: remembering the client IP for the audit log, no-store for personal data, and refusing
the NUL character no field may hold."""

from django.http import HttpResponseBadRequest, JsonResponse

from gonghui.core.audit import current_ip

NUL_REFUSED = "请求中含有不允许的空字符（\\0），请检查填写的内容后重试。"


class RefuseNulCharactersMiddleware:
    """A NUL character (\\0) in a query parameter, a form field or a JSON body is refused with a 400 in Chinese
    before any view runs: no text a person types holds one, and PostgreSQL cannot store or compare it (a filter
    on it was a 500). Uploaded files are not read here (their checks are core.uploads')."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self._holds_nul(request):
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": NUL_REFUSED}, status=400)
            return HttpResponseBadRequest(NUL_REFUSED, content_type="text/plain; charset=utf-8")
        return self.get_response(request)

    @staticmethod
    def _holds_nul(request) -> bool:
        if any("\x00" in key or any("\x00" in v for v in values) for key, values in request.GET.lists()):
            return True
        if request.content_type == "application/json":
            return b"\\u0000" in request.body
        if request.method == "POST" and request.content_type == "application/x-www-form-urlencoded":
            return any("\x00" in value for _, values in request.POST.lists() for value in values)
        return False


class NoStoreForPersonalDataMiddleware:
    """Pages that show personal data must not be kept by browsers or proxies.

    Every page of a signed-in user may show personal data, so all of them are no-store; the public
    static files are not served through here."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = current_ip.set(request.META.get("REMOTE_ADDR"))
        try:
            response = self.get_response(request)
        finally:
            current_ip.reset(token)
        signed_in = getattr(request, "user", None) is not None and request.user.is_authenticated
        if signed_in or request.path.startswith("/api/"):
            response["Cache-Control"] = "no-store"
        return response
