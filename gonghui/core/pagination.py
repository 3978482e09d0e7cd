"""The one pagination of the API's lists: ninja's limit/offset pagination, with a count that stops early.

``@paginate(Pagination)`` on a list operation adds ``limit`` (1-200, default 50) and ``offset`` to its
query; an operation whose filters travel in a POST body inherits ``Pagination.Input`` in its body schema
and calls ``Pagination().paginate_queryset`` itself. Every list answers
``{"count", "count_capped", "has_more", "items"}``: ``count`` stops at GONGHUI_COUNT_LIMIT (then
``count_capped`` is true), so a big subtree is never counted row by row."""

from collections.abc import Callable
from typing import Any, NamedTuple

from django.conf import settings
from django.db.models import QuerySet
from ninja import Field, Schema
from ninja.pagination import LimitOffsetPagination

MAX_LIMIT = 200


class Count(NamedTuple):
    """How many rows a list has, as far as it is worth counting: ``n`` exactly; with ``more``, at least ``n``
    and maybe more. ``known`` is false when a bounded count stopped without knowing the total (a list page then
    shows only its pager; the API still answers ``n`` as the lower bound)."""

    n: int
    more: bool = False
    known: bool = True


def capped_count(queryset: QuerySet | list, limit: int | None = None) -> Count:
    """Count up to ``limit`` rows; ``more`` means "more than". Keeps big subtrees cheap: the count keeps the
    list's ordering, so it walks the index the page walks and stops after ``limit`` + 1 rows."""
    limit = limit or settings.GONGHUI_COUNT_LIMIT
    n = len(queryset) if isinstance(queryset, list) else queryset[: limit + 1].count()
    return Count(min(n, limit), n > limit)


class Pagination(LimitOffsetPagination):
    """ninja's limit/offset pagination with the capped count and ``has_more``."""

    class Input(Schema):
        limit: int = Field(50, ge=1, le=MAX_LIMIT, description="每页条数，1-200")
        offset: int = Field(0, ge=0, le=100000, description="跳过的条数")

    class Output(Schema):
        count: int = Field(description="符合条件的条数（超过上限时为上限）")
        count_capped: bool = Field(description="为真表示 count 只是下限：实际条数不少于 count，可能更多")
        has_more: bool = Field(description="之后是否还有更多")
        items: list[Any] = Field(description="本页各项")

    def __init__(self, *, counter: Callable[[QuerySet], Count] = capped_count, **kwargs: Any) -> None:
        super().__init__(max_limit=MAX_LIMIT, **kwargs)
        self.counter = counter  # a cheaper count than the capped one (e.g. a search by name prefix)

    def paginate_queryset(self, queryset: QuerySet | list, pagination: Input, request=None, **params: Any) -> dict:
        count, more, _ = self.counter(queryset)
        end = pagination.offset + pagination.limit
        items = list(queryset[pagination.offset : end + 1])  # one more than the page: is there a next one?
        return {"count": count, "count_capped": more, "has_more": len(items) > pagination.limit,
                "items": items[: pagination.limit]}  # fmt: skip
