from django.urls import include, path
from django.views import defaults

from gonghui.api import api
from gonghui.core import health, registry
from gonghui.core.audit import refusal_recorded
from gonghui.portal.views import card_verify_page

urlpatterns = [
    *(path(prefix, include(module)) for prefix, module in registry.url_modules()),
    path("api/v1/", api.urls),
    # The public page an e-card's QR code opens; short, since it is printed in the code.
    path("v/<str:code>/", include(([path("", card_verify_page, name="card_verify")], "public"))),
    # Liveness and readiness probes (gonghui.core.health): open, no session, no rate limit.
    path(
        "",
        include(
            ([path("healthz", health.healthz, name="healthz"), path("readyz", health.readyz, name="readyz")], "ops")
        ),
    ),  # fmt: skip
]


def permission_denied(request, exception):
    """The 403 page. A refusal whose audit event went with its service's rolled-back transaction is
    recorded again here, so every refusal a user sees is in the audit log."""
    refusal_recorded(exception)
    return defaults.permission_denied(request, exception)


handler403 = permission_denied
