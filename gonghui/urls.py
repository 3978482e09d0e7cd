from django.urls import include, path

from gonghui.api import api
from gonghui.core import registry
from gonghui.portal.views import card_verify_page

urlpatterns = [
    *(path(prefix, include(module)) for prefix, module in registry.url_modules()),
    path("api/v1/", api.urls),
    # The public page an e-card's QR code opens; short, since it is printed in the code.
    path("v/<str:code>/", card_verify_page, name="card_verify"),
]
