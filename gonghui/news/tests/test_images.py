"""Images in articles: a cadre inserts a JPEG or PNG into a draft through the edit page (checked by content,
re-encoded without metadata, stored encrypted, put into the text); the image is served to exactly who may read
the article (anyone for a public one); the sanitiser keeps an <img> only with our own image URL."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from gonghui.core import files
from gonghui.news import sanitize
from gonghui.news.models import Article, ArticleImage, Audience
from gonghui.news.tests.conftest import draft, publish

pytestmark = pytest.mark.django_db


def picture(kind: str = "PNG", size=(40, 30), exif: bool = False) -> bytes:
    image = Image.new("RGB", size, (200, 30, 30))
    out = io.BytesIO()
    extra = {}
    if exif:
        tags = Image.Exif()
        tags[0x010F] = "PhoneMaker"  # Make
        tags[0x8825] = {2: (30.0, 15.0, 0.0)}  # GPS latitude
        extra["exif"] = tags.tobytes()
    image.save(out, kind, **extra)
    return out.getvalue()


@pytest.fixture(autouse=True)
def own_files_folder(settings, tmp_path):
    """Each test stores its files in a folder of its own: what it finds there is what it wrote (other test files
    running at the same time write theirs elsewhere)."""
    settings.VAR_DIR = tmp_path


def stored_files() -> set:
    return set(files.path_of("news").rglob("*")) if files.path_of("news").exists() else set()


def upload(client, article, data: bytes, name: str = "photo.png", alt: str = ""):
    article.refresh_from_db()
    file = SimpleUploadedFile(name, data)
    return client.post(reverse("news:image_add", args=[article.pk]),
                       {"image": file, "version": article.version, "alt": alt}, follow=True)  # fmt: skip


def test_a_cadre_inserts_an_image_stored_encrypted_without_its_location(client, cast):
    article = draft(cast, audience=Audience.PUBLIC)
    client.force_login(cast.users.grassroots_admin)
    edit = client.get(reverse("news:edit", args=[article.pk])).content.decode()
    assert "插入图片" in edit and "data-image-form" in edit
    page = upload(client, article, picture("JPEG", exif=True), "现场.jpg", alt="活动现场").content.decode()
    assert "图片已插入正文末尾" in page
    image = ArticleImage.objects.get()
    article.refresh_from_db()
    assert f'<img src="/news/images/{image.pk}/" alt="活动现场">' in article.body
    assert (image.file_kind, image.width, image.height) == ("jpg", 40, 30)
    raw = files.path_of(image.file_path).read_bytes()
    assert raw.startswith(files.MAGIC) and b"JFIF" not in raw and b"PhoneMaker" not in raw
    with files.open_private(image.file_path) as stored:
        decoded = Image.open(io.BytesIO(stored.read()))
        assert decoded.format == "JPEG" and not decoded.getexif()  # the phone's make and location are gone
    upload(client, article, picture("PNG"))
    article.refresh_from_db()
    assert sanitize.image_ids(article.body) == list(ArticleImage.objects.order_by("pk").values_list("pk", flat=True))


@pytest.mark.security
@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF", "a.png", "只能插入 JPG 或 PNG 图片"),
        (b"<script>alert(1)</script>", "a.png", "不支持的文件类型"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 200, "a.png", "图片文件已损坏或无法识别"),
        (b"MZ\x90\x00" + b"\x00" * 60, "a.jpg", "不接受可执行文件"),
        (b"", "a.png", "上传的文件是空的"),
    ],
)
def test_what_is_not_an_image_is_refused_in_chinese_and_nothing_is_kept(client, cast, data, name, message):
    article = draft(cast)
    body, before = article.body, stored_files()
    client.force_login(cast.users.grassroots_admin)
    page = upload(client, article, data, name).content.decode()
    assert message in page
    article.refresh_from_db()
    assert not ArticleImage.objects.exists() and article.body == body and stored_files() == before


def test_size_cap_and_only_drafts(client, cast, settings):
    settings.GONGHUI_NEWS_IMAGE_MAX_MB = 1
    article = draft(cast)
    client.force_login(cast.users.grassroots_admin)
    noise = Image.frombytes("RGB", (700, 700), bytes(range(256)) * (700 * 700 * 3 // 256) + b"\x00" * 132)
    big = io.BytesIO()
    noise.save(big, "PNG", compress_level=0)
    assert big.tell() > 1024 * 1024
    assert "图片不能超过 1 MB" in upload(client, article, big.getvalue()).content.decode()
    published = publish(cast, draft(cast, title="已发布的资讯"))
    assert "只有草稿可以插入图片" in upload(client, published, picture()).content.decode()
    assert not ArticleImage.objects.exists()
    client.force_login(cast.users.worker)  # a member cannot write
    assert upload(client, article, picture()).status_code in (403, 404)


def test_an_image_is_served_to_whoever_may_read_its_article(client, cast):
    client.force_login(cast.users.grassroots_admin)
    public = draft(cast, title="工会驿站开放", audience=Audience.PUBLIC)
    members = draft(cast, title="会员专享通知")
    upload(client, public, picture())
    upload(client, members, picture("JPEG"))
    public_image, member_image = ArticleImage.objects.order_by("pk")
    see = lambda image: client.get(reverse("news:image", args=[image.pk]))  # noqa: E731
    drafted = see(member_image)  # the author previews the draft
    assert drafted.status_code == 200 and drafted["Content-Type"] == "image/jpeg"
    client.force_login(cast.users.worker)
    assert see(public_image).status_code == 404 and see(member_image).status_code == 404  # drafts: not yet
    publish(cast, Article.objects.get(pk=public.pk))
    publish(cast, Article.objects.get(pk=members.pk))
    served = see(member_image)
    assert served.status_code == 200 and b"".join(served.streaming_content)[:3] == b"\xff\xd8\xff"
    client.force_login(cast.users.sibling_admin)  # another company's union: neither scope nor feed
    assert see(member_image).status_code == 404
    client.logout()
    anonymous = see(public_image)
    assert anonymous.status_code == 200 and anonymous["Content-Type"] == "image/png"
    assert see(member_image).status_code == 404
    assert client.get(reverse("news:image", args=[999999])).status_code == 404
    page = client.get(reverse("news:public_detail", args=[public.pk])).content.decode()
    assert f'src="/news/images/{public_image.pk}/"' in page


IMAGE_XSS = [
    '<img src="/news/images/1/" onerror="alert(1)">',
    '<img src="/news/images/1/" onload=alert(1) style="x:expression(alert(1))">',
    '<img src="javascript:alert(1)">',
    '<img src="JaVaScRiPt:alert(1)">',
    '<img src="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+">',
    '<img src="data:text/html,<script>alert(1)</script>">',
    '<img src="https://evil.example/news/images/1/">',
    '<img src="//evil.example/news/images/1/">',
    '<img src="/news/images/1/?next=javascript:alert(1)">',
    '<img src="/news/images/1/../../../admin/">',
    '<img src="x" onerror="alert(1)">',
    '<img srcset="https://evil.example/a.png 1x" src="/news/images/1/">',
    "<img src=`javascript:alert(1)`>",
    '<picture><source srcset="https://evil.example/a.png"><img src="/news/images/1/"></picture>',
]


@pytest.mark.security
@pytest.mark.parametrize("payload", IMAGE_XSS)
def test_images_are_sanitised_to_our_own_url(payload):
    import re

    out = sanitize.clean("<p>前言</p>" + payload).lower()
    for bad in ("onerror", "onload", "javascript:", "data:", "evil", "srcset", "style", "<source", "expression"):
        assert bad not in out
    for tag in re.findall(r"<img[^>]*>", out):
        assert re.fullmatch(r'<img src="/news/images/[0-9]+/"( alt="[^"<>]*")?>', tag), tag
