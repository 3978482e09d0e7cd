"""Holds a signed-in user at the two-factor step until it is done (docs/security.md §5).

Runs after AuthenticationMiddleware. Until the session is verified, every page except sign-in,
sign-out, the two-factor pages and static files redirects to the verify page (or, for a user who must
use two factors and has no authenticator yet, to enrolment). /api/ is left alone: the API does not use
sessions, and POST /api/v1/auth/token asks for the code itself."""

from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpResponseRedirect
from django.urls import reverse

from gonghui.accounts import two_factor


class TwoFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def _exempt(self, path: str) -> bool:
        static = "/" + settings.STATIC_URL.lstrip("/")
        open_paths = (reverse("accounts:login"), reverse("accounts:logout"))
        return path in open_paths or path.startswith((reverse("accounts:2fa_setup"), static, "/api/"))

    def __call__(self, request):
        if getattr(request, "user", None) is not None and request.user.is_authenticated:
            step = None if self._exempt(request.path_info) else two_factor.next_step(request)
            if step is not None:
                target = reverse("accounts:2fa_verify" if step == "verify" else "accounts:2fa_setup")
                if request.method == "GET" and step == "verify":
                    target += "?" + urlencode({"next": request.get_full_path()})
                response = HttpResponseRedirect(target)
                if request.headers.get("HX-Request"):
                    response["HX-Redirect"] = target  # an htmx swap would otherwise load the page into a fragment
                return response
        return self.get_response(request)
