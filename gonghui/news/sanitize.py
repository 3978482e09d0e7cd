"""Rich text of articles, sanitised once when it is saved (nh3, an allow-list): the tags of an article's
text, links with http(s)/mailto only, no attribute but a link's href and title, no script, style, form,
image or frame (images are left out for now, docs/decisions/0029-news-and-notices.md). Plain text (no tag)
becomes paragraphs. What is stored is safe to render as is."""

import html
import re

import nh3

TAGS = {"p", "br", "strong", "b", "em", "i", "u", "s", "h2", "h3", "h4", "ul", "ol", "li", "blockquote", "a",
        "table", "thead", "tbody", "tr", "th", "td", "hr"}  # fmt: skip
ATTRIBUTES = {"a": {"href", "title"}, "td": {"colspan", "rowspan"}, "th": {"colspan", "rowspan"}}
SCHEMES = {"http", "https", "mailto"}
_TAG = re.compile(r"<[a-zA-Z/!]")


def clean(text: str) -> str:
    text = (text or "").strip()
    if not _TAG.search(text):
        paragraphs = [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]
        return "".join(f"<p>{html.escape(p).replace(chr(10), '<br>')}</p>" for p in paragraphs)
    return nh3.clean(text, tags=TAGS, attributes=ATTRIBUTES, url_schemes=SCHEMES,
                     link_rel="noopener noreferrer nofollow", strip_comments=True).strip()  # fmt: skip


def plain(body: str) -> str:
    """The text of a stored body, without tags (summaries, search)."""
    return html.unescape(re.sub(r"\s+", " ", nh3.clean(body, tags=set()))).strip()
