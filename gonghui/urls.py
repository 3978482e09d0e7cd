from django.urls import include, path

from gonghui.api import api
from gonghui.portal.views import card_verify_page

urlpatterns = [
    path("", include("gonghui.accounts.urls")),
    path("orgs/", include("gonghui.orgs.urls")),
    path("members/", include("gonghui.members.urls")),
    path("join/", include("gonghui.joining.urls")),
    path("rosters/", include("gonghui.rosters.urls")),
    path("dues/", include("gonghui.dues.urls")),
    path("me/", include("gonghui.portal.urls")),
    path("console/", include("gonghui.console.urls")),
    path("privacy/", include("gonghui.privacy.urls")),
    path("cases/", include("gonghui.cases.urls")),
    path("api/v1/", api.urls),
    # The public page an e-card's QR code opens; short, since it is printed in the code.
    path("v/<str:code>/", card_verify_page, name="card_verify"),
]
