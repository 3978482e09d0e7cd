"""Writes of the venues area (docs/architecture.md rule 1): register and edit a venue, record a recognition,
renew its QR code, check in by scanning it, and delete old check-ins (retention). Each checks its actor and
audits itself."""

import datetime as dt
import io
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.core import signing
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from gonghui.core import files
from gonghui.core.audit import atomic_audited, audit_record
from gonghui.core.batches import in_batches
from gonghui.core.errors import ConflictError, field_error
from gonghui.orgs import access
from gonghui.orgs.models import Org
from gonghui.venues import geo
from gonghui.venues.models import CheckIn, Facility, Footfall, Kind, LibraryGrade, Recognition, Venue, VenuePhoto
from gonghui.venues.policy import venues_policy
from gonghui.venues.standards import MANUAL_ITEMS

QR_SALT = "gonghui.venues.checkin"
FIELDS = ("kind", "name", "address", "lat", "lng", "phone", "all_day", "opens_at", "closes_at", "open_days",
          "facilities", "keeper", "keeper_name", "area_m2", "books", "digital_platform", "library_grade", "checked",
          "is_active")  # fmt: skip


def _position(lat, lng, wgs84: bool) -> tuple[float | None, float | None]:
    if lat is None and lng is None:
        return None, None
    if lat is None or lng is None:
        raise field_error("lat", "请同时填写纬度和经度。")
    lat, lng = float(lat), float(lng)
    if not (-90 <= lat <= 90):
        raise field_error("lat", "纬度应在 -90 到 90 之间。")
    if not (-180 <= lng <= 180):
        raise field_error("lng", "经度应在 -180 到 180 之间。")
    if geo.out_of_china(lat, lng):
        raise field_error("lat", "位置不在我国境内，请检查经纬度是否填反。")
    return geo.wgs84_to_gcj02(lat, lng) if wgs84 else (lat, lng)


def _number(value, field: str, label: str):
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        raise field_error(field, f"{label}应为数字。") from None
    if number < 0 or not number.is_finite():
        raise field_error(field, f"{label}不能为负数。")
    return number


def _clean(data: dict) -> dict:
    """The venue's columns from the entered values, or a ValidationError in Chinese."""
    if data["kind"] not in Kind.values:
        raise field_error("kind", "请选择阵地类型。")
    for field, label in (("name", "名称"), ("address", "地址")):
        data[field] = (data.get(field) or "").strip()
        if not data[field]:
            raise field_error(field, f"请填写{label}。")
    data["lat"], data["lng"] = _position(data.get("lat"), data.get("lng"), data.pop("wgs84", False))
    days = "".join(sorted(set(data.get("open_days", "1234567") or "")))
    if not days or not set(days) <= set("1234567"):
        raise field_error("open_days", "请选择开放日。")
    data["open_days"] = days
    if not data.get("all_day") and (data.get("opens_at") is None or data.get("closes_at") is None):
        raise field_error("opens_at", "请填写开放和关闭时间，或选择 24 小时开放。")
    if not data.get("all_day") and data["opens_at"] == data["closes_at"]:
        raise field_error("closes_at", "关闭时间不能与开放时间相同；全天开放请选择 24 小时开放。")
    if data.get("all_day"):
        data["opens_at"] = data["closes_at"] = None
    facilities = data.get("facilities") or []
    if any(f not in Facility.values for f in facilities):
        raise field_error("facilities", "设施选项无效。")
    data["facilities"] = sum(set(facilities))
    area = _number(data.get("area_m2"), "area_m2", "面积")
    data["area_m2"] = area.quantize(Decimal("0.1")) if area is not None else None
    books = _number(data.get("books"), "books", "藏书册数")
    if books is not None and books != books.to_integral_value():
        raise field_error("books", "藏书册数应为整数。")
    data["books"] = int(books) if books is not None else None
    grade = data.get("library_grade") or ""
    if grade not in LibraryGrade.values or (grade and data["kind"] != Kind.LIBRARY):
        raise field_error("library_grade", "只有职工书屋有级别。")
    data["library_grade"] = grade
    allowed = MANUAL_ITEMS[data["kind"]]
    checked = data.get("checked") or []
    if any(code not in allowed for code in checked):
        raise field_error("checked", "核验项不属于这类阵地的标准。")
    data["checked"] = sorted(set(checked))
    data["phone"] = (data.get("phone") or "").strip()
    data["keeper_name"] = (data.get("keeper_name") or "").strip()
    return data


@atomic_audited
def venue_create(*, actor, org: Org, **data) -> Venue:
    """登记阵地 for ``org`` (a write role on it)."""
    access.require_write(actor, org)
    data = _clean({"is_active": True, **data})
    venue = Venue.objects.create(org=org, **{k: v for k, v in data.items() if k in FIELDS})
    audit_record(actor=actor, action="venues.venue_create", obj=venue, org=org, detail={"kind": venue.kind})
    return venue


@atomic_audited
def venue_update(*, actor, venue: Venue, version: int, **data) -> Venue:
    """修改阵地: every field at once, checked against the version the editor read."""
    access.require_write(actor, venue.org)
    data = _clean(data)
    changed = Venue.objects.filter(pk=venue.pk, version=version).update(
        version=F("version") + 1, **{k: v for k, v in data.items() if k in FIELDS}
    )
    if not changed:
        raise ConflictError()
    venue.refresh_from_db()
    audit_record(actor=actor, action="venues.venue_update", obj=venue, org=venue.org)
    return venue


@atomic_audited
def recognition_add(*, actor, venue: Venue, title: str, year: int, conferred_by: str) -> Recognition:
    """登记荣誉: a title in a year, once."""
    access.require_write(actor, venue.org)
    if title not in Recognition.Title.values:
        raise field_error("title", "请选择荣誉。")
    this_year = timezone.localdate().year
    if not (1949 <= year <= this_year):
        raise field_error("year", f"年度应在 1949 到 {this_year} 之间。")
    if not conferred_by.strip():
        raise field_error("conferred_by", "请填写授予单位。")
    try:
        with transaction.atomic():
            recognition = Recognition.objects.create(venue=venue, title=title, year=year,
                                                     conferred_by=conferred_by.strip())  # fmt: skip
    except IntegrityError:
        raise field_error("title", "这项荣誉在该年度已经登记。") from None
    audit_record(actor=actor, action="venues.recognition_add", obj=venue, org=venue.org,
                 detail={"title": title, "year": year})  # fmt: skip
    return recognition


def qr_token(venue: Venue) -> str:
    """The signed token in the venue's QR code (its id and QR version); a renewed code voids the old ones."""
    return signing.Signer(salt=QR_SALT).sign(f"{venue.pk}.{venue.qr_version}")


@atomic_audited
def qr_renew(*, actor, venue: Venue) -> Venue:
    """重新生成二维码: the printed codes stop working (a code copied or misused)."""
    access.require_write(actor, venue.org)
    Venue.objects.filter(pk=venue.pk).update(qr_version=F("qr_version") + 1)
    venue.refresh_from_db(fields=["qr_version"])
    audit_record(actor=actor, action="venues.qr_renew", obj=venue, org=venue.org)
    return venue


def venue_of_token(token: str) -> Venue:
    """The active venue a QR token names, or a ValidationError (forged, renewed or closed)."""
    try:
        pk, qr_version = signing.Signer(salt=QR_SALT).unsign(token).split(".")
    except (signing.BadSignature, ValueError):
        raise field_error("token", "二维码无效，请扫描驿站张贴的二维码。") from None
    venue = Venue.objects.filter(pk=int(pk), is_active=True).select_related("org").first()
    if venue is None or venue.qr_version != int(qr_version):
        raise field_error("token", "二维码已失效，请扫描驿站现场张贴的新二维码。")
    return venue


@transaction.atomic
def checkin_record(*, actor, token: str, at: dt.datetime | None = None) -> tuple[CheckIn, bool]:
    """扫码签到: the signed-in person at the venue today; once a day (a second scan returns the first, False).
    The venue's footfall for the day grows by one with each new check-in, in the same transaction."""
    if actor is None or not actor.is_authenticated:
        raise field_error("token", "请先登录再签到。")
    venue = venue_of_token(token)
    at = at or timezone.now()
    day = timezone.localdate(at)
    try:
        with transaction.atomic():
            checkin = CheckIn.objects.create(venue=venue, user=actor, day=day, at=at)
    except IntegrityError:
        return CheckIn.objects.get(venue=venue, user=actor, day=day), False
    Footfall.objects.get_or_create(venue=venue, day=day)
    Footfall.objects.filter(venue=venue, day=day).update(visits=F("visits") + 1)
    audit_record(actor=actor, action="venues.checkin", obj=venue, org=venue.org)
    return checkin, True


def checkins_delete(*, cutoff: dt.datetime, batch_size: int) -> int:
    """Retention: delete check-ins made before ``cutoff`` (the footfall per day stays)."""

    def work(ids: list[int]) -> int:
        return CheckIn.objects.filter(pk__in=ids).delete()[0]

    return in_batches(CheckIn.objects.filter(at__lt=cutoff), work, batch_size)


# ----- photos (docs/decisions/0037) --------------------------------------------------------------------------------

PHOTO_SIGNATURES = {b"\xff\xd8\xff": "jpg", b"\x89PNG\r\n\x1a\n": "png"}


def _photo_bytes(file, policy) -> tuple[bytes, str, int, int]:
    """The uploaded photo checked by its content (JPEG or PNG, a real image, not too large) and re-encoded
    (turned upright, at most ``photo_max_side`` pixels, without its metadata); refusals in Chinese."""
    from PIL import Image, ImageOps, UnidentifiedImageError

    file.seek(0, 2)
    size = file.tell()
    file.seek(0)
    if size == 0:
        raise field_error("photo", "上传的文件是空的。")
    if size > policy.photo_max_mb * 1024 * 1024:
        raise field_error("photo", f"照片过大：最大 {policy.photo_max_mb} MB。")
    head = file.read(8)
    file.seek(0)
    kind = next((k for signature, k in PHOTO_SIGNATURES.items() if head.startswith(signature)), None)
    if kind is None:
        raise field_error("photo", "只接受 JPEG 或 PNG 格式的照片。")
    try:
        with Image.open(file) as probe:
            probe.verify()  # the whole file decodes as the format it claims
        file.seek(0)
        with Image.open(file) as image:
            if image.width * image.height > 40_000_000:
                raise field_error("photo", "照片像素过多，请缩小后再上传。")
            image = ImageOps.exif_transpose(image)
            image.thumbnail((policy.photo_max_side, policy.photo_max_side))
            out = io.BytesIO()
            if kind == "jpg":
                image.convert("RGB").save(out, "JPEG", quality=85, optimize=True)
            else:
                image.save(out, "PNG", optimize=True)
            return out.getvalue(), kind, image.width, image.height
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError, ValueError):
        raise field_error("photo", "照片已损坏或不是有效的图片，请重新拍照或另存后上传。") from None


@atomic_audited
def photo_add(*, actor, venue: Venue, file, caption: str = "") -> VenuePhoto:
    """上传照片 (a write role on the venue's union): at most ``photos_max`` per venue, decided under the venue's
    row lock; the re-encoded photo is stored encrypted (core.files). The file is written last, and removed
    when anything after it fails, so a refused or failed upload leaves neither a row nor a file."""
    access.require_write(actor, venue.org)
    policy = venues_policy()
    caption = (caption or "").strip()
    if len(caption) > 50:
        raise field_error("caption", "照片说明最多 50 字。")
    Venue.objects.select_for_update().filter(pk=venue.pk).first()  # one upload per venue at a time
    if VenuePhoto.objects.filter(venue=venue).count() >= policy.photos_max:
        raise field_error("photo", f"每个阵地最多 {policy.photos_max} 张照片，请先删除不用的照片。")
    content, kind, width, height = _photo_bytes(file, policy)
    relative = files.new_relative(Path("venues") / str(venue.pk), kind)
    photo = VenuePhoto.objects.create(venue=venue, file_path=relative, kind=kind, width=width, height=height,
                                      size=len(content), caption=caption)  # fmt: skip
    try:
        with files.create(relative) as out:
            out.write(content)
        audit_record(actor=actor, action="venues.photo_add", obj=venue, org=venue.org, detail={"photo": photo.pk})
    except BaseException:
        files.remove(relative)
        raise
    return photo


@atomic_audited
def photo_delete(*, actor, photo: VenuePhoto) -> None:
    """删除照片: the row, and its file once the deletion is committed."""
    venue = photo.venue
    access.require_write(actor, venue.org)
    path = photo.file_path
    VenuePhoto.objects.filter(pk=photo.pk).delete()
    transaction.on_commit(lambda: files.remove(path))
    audit_record(actor=actor, action="venues.photo_delete", obj=venue, org=venue.org, detail={"photo": photo.pk})
