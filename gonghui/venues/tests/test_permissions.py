"""Every page and API operation of the venues area × every member of the cast (see gonghui.testing.matrix).

The station is hosted by 张伟's company union (西湖区, Zhejiang): Jiangsu does not see it, the read-only role
sees but does not change it; finding stations needs no grant (pages: no sign-in either); checking in and the
keeper's page need a signed-in account."""

import io
from urllib.parse import quote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from gonghui.testing.api import ApiClient
from gonghui.testing.matrix import USERS, Case, Page, api_tests, codes, expect
from gonghui.venues import services
from gonghui.venues.models import CheckIn, Footfall, Recognition, Venue, VenuePhoto
from gonghui.venues.tests.conftest import XIHU, make_station, station_data

PUBLIC = dict.fromkeys(USERS, 200)
SIGNED_IN = PUBLIC | {"anonymous": 302}


def station(cast):
    if not hasattr(cast, "station"):
        cast.station = make_station(cast)
    return cast.station


def _venue(cast):
    return [station(cast).pk]


def _token(cast):
    return [services.qr_token(station(cast))]


def _png_file(name: str, colour: tuple) -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), colour).save(out, "PNG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/png")


def _photo(cast):
    """A photo of the station, stored under VAR_DIR (var/, not in git)."""
    if not hasattr(cast, "photo"):
        cast.photo = services.photo_add(actor=None, venue=station(cast), file=_png_file("a.png", (10, 90, 160)))
    return cast.photo


def _png(cast):
    return {"photo": _png_file("b.png", (200, 90, 10))}


def _form(cast, **extra):
    data = station_data() | {"org": cast.orgs.company.pk, "opens_at": "08:00", "closes_at": "20:00"} | extra
    data["open_days"] = list(data["open_days"])
    data["facilities"] = [int(f) for f in data["facilities"]]
    return data


def _edit(cast):
    return _form(cast, version=station(cast).version, is_active="on")


NEAR = f"?lat={XIHU[0]}&lng={XIHU[1]}&open_now=on&facilities=2"

PAGES: list = [
    Page("venues:list", expect(200, 200, 200, 200, 200)),
    Page("venues:new", expect(200, 200, 200, 200, 200)),
    # Jiangsu and the read-only role have no union in reach to register for: the form refuses the org.
    Page("venues:new", expect(302, 302, 400, 302, 400), method="post", data=_form),
    Page("venues:detail", expect(200, 200, 404, 200, 200), args=_venue),
    Page("venues:edit", expect(200, 200, 404, 200, 200), args=_venue),
    Page("venues:edit", expect(302, 302, 404, 302, 403), method="post", args=_venue, data=_edit),
    Page("venues:recognise", expect(302, 302, 404, 302, 403), method="post", args=_venue,
         data=lambda c: {"title": "best_station", "year": 2025, "conferred_by": "杭州市总工会"}),
    Page("venues:qr_renew", expect(302, 302, 404, 302, 403), method="post", args=_venue),
    Page("venues:report", expect(200, 200, 200, 200, 200)),
    Page("venues:report", expect(200, 200, 404, 200, 200), query=lambda c: f"?org={c.orgs.company.pk}", variant="org"),
    Page("venues:nearby", PUBLIC),
    Page("venues:nearby", PUBLIC, query=NEAR, setup=station, variant="found"),
    Page("venues:nearby", PUBLIC, query=f"?q={quote('杭州市西湖区')}", setup=station, variant="typed"),
    Page("venues:checkin", SIGNED_IN, args=_token),
    Page("venues:checkin", SIGNED_IN, method="post", args=_token),
    Page("venues:keeper", SIGNED_IN),
    Page("venues:photo_upload", expect(302, 302, 404, 302, 403), method="post", args=_venue, data=_png),
    Page("venues:photo", PUBLIC, args=lambda c: [_photo(c).pk]),
    Page("venues:photo_delete", expect(302, 302, 404, 302, 403), method="post", args=lambda c: [_photo(c).pk]),
    Page("venues:station", PUBLIC, args=_venue),
]  # fmt: skip


def _create(cast, caller):
    data = station_data(opens_at="08:00", closes_at="20:00")
    return data | {"org_id": cast.orgs.company.pk, "facilities": [int(f) for f in data["facilities"]]}


API_CASES: list = [
    Case("nearby", "list", "GET", "/venues/nearby", codes(200, 200, 200, 200, 200, 200, 200, 401),
         path=lambda c: f"/venues/nearby?lat={XIHU[0]}&lng={XIHU[1]}&gps=true"),
    Case("places", "detail", "GET", "/venues/places", codes(200, 200, 200, 200, 200, 200, 200, 401),
         path=lambda c: station(c) and f"/venues/places?q={quote('杭州市西湖区')}"),
    Case("checkin", "create", "POST", "/venues/checkins", codes(201, 201, 201, 201, 201, 201, 201, 401),
         body=lambda c, u: {"token": services.qr_token(station(c))}),
    Case("keeper", "list", "GET", "/venues/keeper/today", codes(200, 200, 200, 200, 200, 200, 200, 401)),
    Case("venues", "list", "GET", "/venues", codes(200, 200, 200, 200, 200, 403, 403, 401)),
    Case("venue", "detail", "GET", "/venues/{venue_id}", codes(200, 200, 404, 200, 200, 403, 403, 401),
         path=lambda c: f"/venues/{station(c).pk}"),
    Case("venue", "create", "POST", "/venues", codes(201, 201, 404, 201, 403, 403, 403, 401), body=_create),
]  # fmt: skip


def snapshot():
    """What a refused write must leave unchanged."""
    return (
        list(Venue.objects.order_by("pk").values_list("pk", "name", "version", "qr_version")),
        list(Recognition.objects.order_by("pk").values_list("pk")),
        list(CheckIn.objects.order_by("pk").values_list("pk")),
        list(Footfall.objects.order_by("pk").values_list("pk", "visits")),
        list(VenuePhoto.objects.order_by("pk").values_list("pk")),
    )


@pytest.fixture
def api(cast):
    client = ApiClient()
    yield client
    client.assert_no_personal_data()


test_api_permissions = api_tests(API_CASES, snapshot)


def probe_targets(cast) -> dict:
    """浙江's station for the scope probe (gonghui/core/tests/test_scope_probe.py)."""
    return {"venue_id": make_station(cast).pk}
