"""Venue photos: uploaded by a cadre with a write role, checked by content (JPEG or PNG that decodes), at most
N per venue and M MB each, re-encoded without the phone's metadata (where the photo was taken), stored
encrypted at rest; shown on the venue's page and the worker's station page; deleted with their file."""

import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404
from django.urls import reverse
from PIL import Image

from gonghui.core import files
from gonghui.core.models import AuditEvent
from gonghui.venues import services
from gonghui.venues.models import VenuePhoto
from gonghui.venues.tests.conftest import make_station

pytestmark = pytest.mark.django_db


def jpeg(size=(2400, 1200), *, gps=True) -> bytes:
    image = Image.new("RGB", size, (30, 120, 200))
    exif = Image.Exif()
    if gps:
        exif[0x8825] = {1: "N", 2: (30.0, 15.0, 32.4), 3: "E", 4: (120.0, 7.0, 48.0)}  # GPSInfo: 西湖区
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGBA", (300, 200), (200, 30, 30, 255)).save(out, "PNG")
    return out.getvalue()


def upload(content: bytes, name="photo.jpg"):
    return SimpleUploadedFile(name, content, content_type="image/jpeg")


@pytest.fixture
def station(cast, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    settings.GONGHUI_VENUES = {"photos_max": 2, "photo_max_mb": 1}
    return make_station(cast)


def test_a_photo_is_re_encoded_without_its_location_and_stored_encrypted(cast, station, tmp_path):
    photo = services.photo_add(actor=cast.users.grassroots_admin, venue=station, file=upload(jpeg()), caption="外观")
    assert (photo.kind, photo.width, photo.height, photo.caption) == ("jpg", 1600, 800, "外观")
    on_disk = (tmp_path / photo.file_path).read_bytes()
    assert on_disk.startswith(b"GHF1") and b"\xff\xd8\xff" not in on_disk[:64]
    with files.open_private(photo.file_path) as stored:
        image = Image.open(io.BytesIO(stored.read()))
        assert image.format == "JPEG" and 0x8825 not in image.getexif()  # no GPS left
    assert AuditEvent.objects.filter(action="venues.photo_add").count() == 1


@pytest.mark.parametrize(("content", "message"), [
    (b"", "上传的文件是空的"),
    (b"\xff\xd8\xff" + b"\0" * (1024 * 1024 + 1), "照片过大：最大 1 MB"),
    (b"%PDF-1.4 a scan", "只接受 JPEG 或 PNG 格式的照片"),
    (b"MZ\x90\x00 an executable", "只接受 JPEG 或 PNG 格式的照片"),
    (b"GIF89a", "只接受 JPEG 或 PNG 格式的照片"),
    (b"\xff\xd8\xff\xe0 not really a jpeg", "照片已损坏或不是有效的图片"),
    (b"\x89PNG\r\n\x1a\n" + b"junk" * 10, "照片已损坏或不是有效的图片"),
])  # fmt: skip
def test_refusals_say_why_and_store_nothing(cast, station, tmp_path, content, message):
    with pytest.raises(ValidationError, match=message):
        services.photo_add(actor=cast.users.grassroots_admin, venue=station, file=upload(content))
    assert not VenuePhoto.objects.exists() and not list(tmp_path.rglob("*.jpg")) and not list(tmp_path.rglob("*.png"))


def test_at_most_n_per_venue_and_only_with_a_write_role(cast, station, tmp_path, django_capture_on_commit_callbacks):
    with pytest.raises(PermissionDenied):
        services.photo_add(actor=cast.users.readonly, venue=station, file=upload(png()))
    with pytest.raises(Http404):
        services.photo_add(actor=cast.users.sibling_admin, venue=station, file=upload(png()))
    first = services.photo_add(actor=cast.users.grassroots_admin, venue=station, file=upload(png(), "a.png"))
    services.photo_add(actor=cast.users.grassroots_admin, venue=station, file=upload(jpeg(gps=False)))
    with pytest.raises(ValidationError, match="每个阵地最多 2 张照片"):
        services.photo_add(actor=cast.users.grassroots_admin, venue=station, file=upload(png()))
    assert first.kind == "png" and len(list(tmp_path.rglob("venues/*/*"))) == 2
    with django_capture_on_commit_callbacks(execute=True):
        services.photo_delete(actor=cast.users.grassroots_admin, photo=first)
    assert not (tmp_path / first.file_path).exists() and VenuePhoto.objects.count() == 1


def test_pages_upload_show_and_delete(cast, client, station):
    client.force_login(cast.users.grassroots_admin)
    form = {"photo": upload(jpeg()), "caption": "门口"}
    response = client.post(reverse("venues:photo_upload", args=[station.pk]), form, follow=True)
    photo = VenuePhoto.objects.get()
    assert (
        "照片已上传" in response.content.decode()
        and reverse("venues:photo", args=[photo.pk]) in response.content.decode()
    )
    bad = client.post(reverse("venues:photo_upload", args=[station.pk]), {"photo": upload(b"%PDF-1")}, follow=True)
    assert "只接受 JPEG 或 PNG 格式的照片" in bad.content.decode() and VenuePhoto.objects.count() == 1
    client.logout()
    page = client.get(reverse("venues:station", args=[station.pk])).content.decode()  # the worker's page, public
    assert "西溪路环卫工会驿站" in page and reverse("venues:photo", args=[photo.pk]) in page and "删除" not in page
    image = client.get(reverse("venues:photo", args=[photo.pk]))
    assert image["Content-Type"] == "image/jpeg" and b"".join(image.streaming_content).startswith(b"\xff\xd8\xff")
    client.force_login(cast.users.grassroots_admin)
    client.post(reverse("venues:photo_delete", args=[photo.pk]))
    assert not VenuePhoto.objects.exists()
