"""Browser-facing security headers that Django does not set itself (docs/security.md §14).

Content-Security-Policy and Permissions-Policy go on every response that passes through Django. The pages
have no inline scripts, inline styles or event-handler attributes (their behaviour lives in
static/js/gonghui.js, their looks in static/css/gonghui.css), so the policy allows only the site's own files.
The Swagger UI at /api/v1/docs (django-ninja's local files) keeps its settings in a JSON data block and
runs from files, so it lives under the same policy (a browser test checks it). Django's SecurityMiddleware
and XFrameOptionsMiddleware send nosniff, Referrer-Policy, Cross-Origin-Opener-Policy and X-Frame-Options;
they are configured in settings."""

from django.conf import settings

# The site's own files only, no framing, no plugins, forms post only to the site.
CONTENT_SECURITY_POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "frame-ancestors": "'none'",
    "form-action": "'self'",
    "base-uri": "'none'",
    "object-src": "'none'",
}

PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), display-capture=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), payment=(), usb=()"
)


def render_policy(policy: dict[str, str]) -> str:
    return "; ".join(f"{directive} {sources}" for directive, sources in policy.items())


class SecurityHeadersMiddleware:
    """Adds Content-Security-Policy and Permissions-Policy unless a view has set its own."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.policy = render_policy(getattr(settings, "GONGHUI_CONTENT_SECURITY_POLICY", CONTENT_SECURITY_POLICY))
        self.permissions_policy = getattr(settings, "GONGHUI_PERMISSIONS_POLICY", PERMISSIONS_POLICY)

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", self.policy)
        response.headers.setdefault("Permissions-Policy", self.permissions_policy)
        return response
