"""Search over articles' titles and text (docs/decisions/0034-news-search-images-talks.md): jieba in search mode
(every word and the dictionary words inside it: 劳动合同 → 劳动, 合同, 劳动合同) with the union dictionary the
opinion monitor uses, stored on the article by the services when it is written (``Article.title_tokens``,
``Article.search_tokens``: " w1 w2 ... ", lower case, each word once).
A query matches ``contains(" word ")`` on those columns: plain LIKE, identical on SQLite and PostgreSQL. A row
matches when it holds every word of the query as jieba cuts it (precise mode: 劳动保护 is one word, so 签订劳动合同
does not match it), or the whole query as one word (so a word of a title always finds it, whatever jieba makes
of it on its own). Matches are ranked by the search-mode words of the query they hold (two points each), plus
one for each of those in the title (the title breaks ties)."""

from functools import cache

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When

MAX_WORDS = 12
MAX_QUERY = 60


@cache
def _tokenizer():
    import logging

    import jieba

    from gonghui.governance.opinion import DATA

    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()
    userdict = DATA / "userdict.txt"
    if userdict.exists():
        tokenizer.load_userdict(str(userdict))
    return tokenizer


def words(text: str) -> list[str]:
    """The search words of a text, in order of first appearance, each once: lower case, no blank or
    punctuation-only token."""
    seen: dict[str, None] = {}
    for token in _tokenizer().cut_for_search(text or ""):
        token = token.strip().lower()
        if token and any(ch.isalnum() for ch in token):
            seen.setdefault(token, None)
    return list(seen)


def stored(text: str) -> str:
    """The column value for ``text``: its words between spaces (a word is then matched whole)."""
    found = words(text)
    return f" {' '.join(found)} " if found else ""


def _normal(q: str) -> str:
    return " ".join((q or "").split())[:MAX_QUERY].lower()


def _whole(q: str) -> str:
    """The query as one word ("" when it has a space or no letter or digit)."""
    return q if q and " " not in q and any(ch.isalnum() for ch in q) else ""


def query_words(q: str) -> list[str]:
    """The words a match is ranked by (at most ``MAX_WORDS``): jieba's search mode, and the whole query."""
    q = _normal(q)
    found = words(q)
    if _whole(q) and q not in found:
        found.insert(0, q)
    return found[:MAX_WORDS]


def required_words(q: str) -> list[str]:
    """The words a row must all hold (at most ``MAX_WORDS``): jieba's precise mode."""
    seen: dict[str, None] = {}
    for token in _tokenizer().lcut(_normal(q)):
        token = token.strip()
        if token and any(ch.isalnum() for ch in token):
            seen.setdefault(token, None)
    return list(seen)[:MAX_WORDS]


def index_fields(title: str, plain_body: str) -> dict[str, str]:
    """The two stored columns of an article (set by the services on every write of title or body)."""
    return {"title_tokens": stored(title), "search_tokens": stored(f"{title} {plain_body}")}


def matching(rows: QuerySet, q: str) -> QuerySet:
    """``rows`` that match ``q``, annotated with ``rank`` (2 per word held, +1 if in the title); unchanged
    (and ``rank`` 0) for an empty query. The caller orders by ``-rank`` first."""
    found, required, whole = query_words(q), required_words(q), _whole(_normal(q))
    if not found:
        return rows.annotate(rank=Value(0, output_field=IntegerField()))
    hit = Q(pk__in=[])
    if required:
        hit = Q(*[Q(search_tokens__contains=f" {word} ") for word in required])
    if whole:
        hit |= Q(search_tokens__contains=f" {whole} ")
    rank = Value(0, output_field=IntegerField())
    for word in found:
        needle = f" {word} "
        rank = rank + Case(When(title_tokens__contains=needle, then=Value(1)), default=Value(0),
                           output_field=IntegerField())  # fmt: skip
        rank = rank + Case(When(search_tokens__contains=needle, then=Value(2)), default=Value(0),
                           output_field=IntegerField())  # fmt: skip
    return rows.filter(hit).annotate(rank=rank)
