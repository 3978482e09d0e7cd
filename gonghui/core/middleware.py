"""Request-wide concerns: remembering the client IP for the audit log, and no-store for personal data."""

from gonghui.core.audit import current_ip


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
