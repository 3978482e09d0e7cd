"""Rich text of articles, sanitised once when it is saved (nh3, an allow-list): the tags of an article's
text, links with http(s)/mailto only, no attribute but a link's href and title and an image's src and alt, no
script, style, form or frame. An image stays only when its src is one of our own article images
(``/news/images/<id>/``, gonghui/news/images.py) — never another site's, a data: or javascript: URL — and an
image left without a src is removed. Plain text (no tag) becomes paragraphs. What is stored is safe to render
as is."""

import html
import re

import nh3

TAGS = {"p", "br", "strong", "b", "em", "i", "u", "s", "h2", "h3", "h4", "ul", "ol", "li", "blockquote", "a",
        "table", "thead", "tbody", "tr", "th", "td", "hr", "img"}  # fmt: skip
ATTRIBUTES = {"a": {"href", "title"}, "td": {"colspan", "rowspan"}, "th": {"colspan", "rowspan"}, "img": {"src", "alt"}}
SCHEMES = {"http", "https", "mailto"}
IMAGE_SRC = re.compile(r"/news/images/([1-9][0-9]{0,17})/")
_TAG = re.compile(r"<[a-zA-Z/!]")
_IMG_WITHOUT_SRC = re.compile(r"<img(?![^>]*\ssrc=)[^>]*>")


def _attribute(tag: str, name: str, value: str) -> str | None:
    if tag == "img" and name == "src":
        return value if IMAGE_SRC.fullmatch(value) else None
    return value


def clean(text: str) -> str:
    text = (text or "").strip()
    if not _TAG.search(text):
        paragraphs = [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]
        return "".join(f"<p>{html.escape(p).replace(chr(10), '<br>')}</p>" for p in paragraphs)
    out = nh3.clean(text, tags=TAGS, attributes=ATTRIBUTES, url_schemes=SCHEMES, attribute_filter=_attribute,
                    link_rel="noopener noreferrer nofollow", strip_comments=True)  # fmt: skip
    return _IMG_WITHOUT_SRC.sub("", out).strip()


def image_ids(body: str) -> list[int]:
    """The article images a stored body shows, in order."""
    return [int(m) for m in re.findall(r'<img[^>]*\ssrc="/news/images/([0-9]+)/"', body or "")]


def plain(body: str) -> str:
    """The text of a stored body, without tags (summaries, search)."""
    return html.unescape(re.sub(r"\s+", " ", nh3.clean(body, tags=set()))).strip()
