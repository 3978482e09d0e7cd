"""服务阵地 pages: the cadres' venue list, registration, venue page (standard checklist, recognitions, QR code,
footfall), edit and report; the worker's nearest venues (list and point map) and check-in by QR code; the
keeper's visits today. Views validate and call services or selectors."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from gonghui.core import files
from gonghui.core.errors import ConflictError
from gonghui.core.lists import list_rows, render_list
from gonghui.core.qr import qr_svg
from gonghui.core.security_headers import PERMISSIONS_POLICY
from gonghui.core.web import form_errors, int_param
from gonghui.orgs import access
from gonghui.orgs import selectors as org_selectors
from gonghui.orgs.models import Org
from gonghui.venues import geo, places, selectors, services
from gonghui.venues.forms import NearbyForm, RecognitionForm, VenueEditForm, VenueForm
from gonghui.venues.hours import hours_text
from gonghui.venues.lists import VENUES
from gonghui.venues.policy import venues_policy
from gonghui.venues.standards import checklist


def _messages(error: ValidationError) -> str:
    return "；".join(error.messages)


@login_required
def venue_list(request):
    """服务阵地 in scope, by kind and name, exportable."""
    access.require_cadre(request.user)
    listing = list_rows(request, VENUES)
    context = {**listing.context(), "filter_form": VENUES.filter_form(request.GET), "nav": "venues"}
    return render_list(request, "venues/list.html", "venues/_rows.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def venue_new(request):
    """登记阵地."""
    access.require_cadre(request.user)
    form = VenueForm(request.POST or None, orgs=org_selectors.writable_orgs(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            venue = services.venue_create(actor=request.user, org=form.cleaned_data["org"], **form.service_data())
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, "已登记。")
            return redirect("venues:detail", pk=venue.pk)
    context = {"form": form, "nav": "venues", "title": "登记服务阵地"}
    return render(request, "venues/form.html", context, status=400 if form.errors else 200)


def _initial(venue) -> dict:
    fields = ("kind", "name", "address", "lat", "lng", "phone", "all_day", "opens_at", "closes_at", "keeper_name",
              "area_m2", "books", "digital_platform", "library_grade", "checked", "is_active", "version")  # fmt: skip
    initial = {f: getattr(venue, f) for f in fields}
    initial["open_days"] = list(venue.open_days)
    initial["facilities"] = [1 << f for f in range(20) if venue.facilities & (1 << f)]
    initial["keeper_username"] = venue.keeper.username if venue.keeper else ""
    return initial


@login_required
@require_http_methods(["GET", "POST"])
def venue_edit(request, pk: int):
    venue = selectors.venue_for_read(request.user, pk)
    form = VenueEditForm(request.POST or None, initial=_initial(venue), orgs=None)
    conflict = False
    if request.method == "POST" and form.is_valid():
        data = form.service_data()
        try:
            services.venue_update(actor=request.user, venue=venue, **data)
        except ValidationError as error:
            form.add_service_error(error)
        except ConflictError as error:  # another cadre saved first: 409, the form keeps what this one typed
            form.add_error(None, error.message)
            conflict = True
        else:
            messages.success(request, "已保存。")
            return redirect("venues:detail", pk=venue.pk)
    context = {"form": form, "venue": venue, "nav": "venues", "title": f"修改：{venue.name}"}
    return render(request, "venues/form.html", context, status=409 if conflict else 400 if form.errors else 200)


def checkin_url(request, venue) -> str:
    return request.build_absolute_uri(reverse("venues:checkin", args=[services.qr_token(venue)]))


@login_required
def venue_detail(request, pk: int):
    """The venue: its standard as a checklist with the result, recognitions, the check-in QR code, footfall."""
    venue = selectors.venue_for_read(request.user, pk)
    context = {
        "v": venue, "checklist": checklist(venue), "recognitions": selectors.recognitions_of(venue),
        "footfall": selectors.footfall_of(venue), "open_now": selectors.is_open(venue),
        "hours": hours_text(all_day=venue.all_day, opens_at=venue.opens_at, closes_at=venue.closes_at,
                            open_days=venue.open_days),
        "qr": qr_svg(checkin_url(request, venue), title=f"{venue.name}签到二维码", scale=5),
        "can_write": access.can_write(request.user, venue.org),
        "recognition_form": RecognitionForm(initial={"year": timezone.localdate().year}), "nav": "venues",
        "photos": selectors.photos_of(venue), "photos_max": venues_policy().photos_max,
        "photo_max_mb": venues_policy().photo_max_mb,
    }  # fmt: skip
    return render(request, "venues/detail.html", context)


@login_required
@require_POST
def recognise(request, pk: int):
    venue = selectors.venue_for_read(request.user, pk)
    form = RecognitionForm(request.POST)
    if not form.is_valid():
        messages.error(request, form_errors(form))
        return redirect("venues:detail", pk=pk)
    try:
        services.recognition_add(actor=request.user, venue=venue, **form.cleaned_data)
    except ValidationError as error:
        messages.error(request, _messages(error))
    else:
        messages.success(request, "已登记荣誉。")
    return redirect("venues:detail", pk=pk)


@login_required
@require_POST
def qr_renew(request, pk: int):
    venue = selectors.venue_for_read(request.user, pk)
    services.qr_renew(actor=request.user, venue=venue)
    messages.success(request, "已重新生成二维码，请打印张贴新二维码；旧二维码已失效。")
    return redirect("venues:detail", pk=pk)


@login_required
def report(request):
    """阵地统计 of the user's scope or one union's subtree (``?org=``), with the plan targets."""
    access.require_cadre(request.user)
    org = Org.objects.get_for_read(request.user, int_param(request.GET["org"])) if request.GET.get("org") else None
    context = {"report": selectors.report(request.user, org), "org": org, "nav": "venues"}
    return render(request, "venues/report.html", context)


def _with_geolocation(response):
    """This page asks for the phone's position: the site's Permissions-Policy, with geolocation for itself."""
    policy = getattr(settings, "GONGHUI_PERMISSIONS_POLICY", PERMISSIONS_POLICY)
    response["Permissions-Policy"] = policy.replace("geolocation=()", "geolocation=(self)")
    return response


def _typed_place(request) -> tuple[dict | None, object, list, str]:
    """A typed address or place (``q``, when no coordinates came): the query with its position filled in, the
    place, the divisions to choose among when its name fits several, or the reason in Chinese."""
    typed = request.GET.get("q", "").strip()
    if not typed or request.GET.get("lat"):
        return None, None, [], ""
    try:
        place = places.place_of(typed)
    except places.Ambiguous as error:
        return None, None, error.choices, error.messages[0]
    except ValidationError as error:
        return None, None, [], error.messages[0]
    data = request.GET.copy()
    data["lat"], data["lng"], data["gps"] = str(place.lat), str(place.lng), ""
    return data, place, [], ""


def nearby(request):
    """附近的驿站 (phone first, no sign-in needed): from the phone's position, typed coordinates or a typed
    address or place (its district's centre, docs/decisions/0037), the nearest venues with distance, walking
    direction and open now, as a list and as points on a plain background."""
    typed, place, choices, place_error = _typed_place(request)
    form = NearbyForm(typed or (request.GET if "lat" in request.GET else None))
    found, centre = None, None
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        lat, lng = geo.wgs84_to_gcj02(data["lat"], data["lng"]) if data["gps"] else (data["lat"], data["lng"])
        found = selectors.nearest(lat=lat, lng=lng, kind=data["kind"], facilities=sum(set(data["facilities"])),
                                  open_now=data["open_now"])  # fmt: skip
        centre = {"lat": lat, "lng": lng}
    points = [
        {"name": n.venue.name, "lat": n.venue.lat, "lng": n.venue.lng, "open": n.open_now,
         "distance": n.distance_text, "direction": n.direction}
        for n in found or ()
    ]  # fmt: skip
    kept = request.user.is_authenticated and selectors.kept_by(request.user).exists()
    context = {"form": form, "found": found, "map": {"centre": centre, "points": points}, "kept": kept,
               "max_km": venues_policy().search_max_m // 1000, "nav": "me", "q": request.GET.get("q", "").strip(),
               "place": place, "choices": choices, "place_error": place_error}  # fmt: skip
    status = 400 if form.errors or place_error else 200
    return _with_geolocation(render(request, "venues/nearby.html", context, status=status))


@login_required
@require_http_methods(["GET", "POST"])
def checkin(request, token: str):
    """扫码签到: the QR code on the venue's wall opens this; the worker confirms and is counted once today."""
    try:
        venue = services.venue_of_token(token)
    except ValidationError as error:
        return render(request, "venues/checkin.html", {"error": _messages(error), "nav": "me"}, status=404)
    done = None
    if request.method == "POST":
        checkin_row, created = services.checkin_record(actor=request.user, token=token)
        done = {"created": created, "at": checkin_row.at}
    context = {"venue": venue, "done": done, "open_now": selectors.is_open(venue), "nav": "me"}
    return render(request, "venues/checkin.html", context)


@login_required
def keeper(request):
    """驿站管理员的手机页: today's visits at each venue the signed-in user keeps."""
    context = {"days": selectors.keeper_today(request.user), "today": timezone.localdate(), "nav": "me"}
    return render(request, "venues/keeper.html", context)


@login_required
@require_POST
def photo_upload(request, pk: int):
    """上传照片 from the venue's page (JPEG or PNG, checked by content, stored encrypted)."""
    venue = selectors.venue_for_read(request.user, pk)
    upload = request.FILES.get("photo")
    if upload is None:
        messages.error(request, "请选择要上传的照片。")
        return redirect("venues:detail", pk=pk)
    try:
        services.photo_add(actor=request.user, venue=venue, file=upload, caption=request.POST.get("caption", ""))
    except ValidationError as error:
        messages.error(request, _messages(error))
    else:
        messages.success(request, "照片已上传。")
    return redirect("venues:detail", pk=pk)


@login_required
@require_POST
def photo_delete(request, pk: int):
    photo = selectors.photo_for_view(request.user, pk)
    venue = selectors.venue_for_read(request.user, photo.venue_id)
    services.photo_delete(actor=request.user, photo=photo)
    messages.success(request, "照片已删除。")
    return redirect("venues:detail", pk=venue.pk)


def photo(request, pk: int):
    """A venue's photo, decrypted as it is sent (core.files)."""
    row = selectors.photo_for_view(request.user, pk)
    response = FileResponse(
        files.open_private(row.file_path), content_type=f"image/{'png' if row.kind == 'png' else 'jpeg'}"
    )
    response["Cache-Control"] = "private, max-age=3600"
    return response


def station(request, pk: int):
    """The worker's station page (no sign-in needed): where, when open, facilities, photos."""
    venue = selectors.public_venue(pk)
    context = {"v": venue, "open_now": selectors.is_open(venue), "photos": selectors.photos_of(venue),
               "hours": hours_text(all_day=venue.all_day, opens_at=venue.opens_at, closes_at=venue.closes_at,
                                   open_days=venue.open_days), "nav": "me"}  # fmt: skip
    return render(request, "venues/station.html", context)
