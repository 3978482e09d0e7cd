"""The one pagination of the API's lists: ninja's limit/offset pagination, with a count that stops early.

``@paginate(Pagination)`` on a list operation adds ``limit`` (1-200, default 50) and ``offset`` to its
query; an operation whose filters travel in a POST body inherits ``Pagination.Input`` in its body schema
and calls ``Pagination().paginate_queryset`` itself. Every list answers
``{"count", "count_capped", "has_more", "items"}``: ``count`` stops at GONGHUI_COUNT_LIMIT (then
``count_capped`` is true), so a big subtree is never counted row by row."""

from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from ninja import Field, Schema
from ninja.pagination import LimitOffsetPagination

MAX_LIMIT = 200


def capped_count(queryset: QuerySet | list, limit: int | None = None) -> tuple[int, bool]:
    """Count up to ``limit`` rows; (limit, True) means "more than". Keeps big subtrees cheap: the count keeps
    the list's ordering, so it walks the index the page walks and stops after ``limit`` + 1 rows."""
    limit = limit or settings.GONGHUI_COUNT_LIMIT
    n = len(queryset) if isinstance(queryset, list) else queryset[: limit + 1].count()
    return min(n, limit), n > limit


class Pagination(LimitOffsetPagination):
    """ninja's limit/offset pagination with the capped count and ``has_more``."""

    class Input(Schema):
        limit: int = Field(50, ge=1, le=MAX_LIMIT, description="每页条数，1-200")
        offset: int = Field(0, ge=0, le=100000, description="跳过的条数")

    class Output(Schema):
        count: int = Field(description="符合条件的条数（超过上限时为上限）")
        count_capped: bool = Field(description="为真表示实际条数多于 count")
        has_more: bool = Field(description="之后是否还有更多")
        items: list[Any] = Field(description="本页各项")

    def __init__(self, *, count_limit: int | None = None, **kwargs: Any) -> None:
        super().__init__(max_limit=MAX_LIMIT, **kwargs)
        self.count_limit = count_limit  # a lower cap than GONGHUI_COUNT_LIMIT (e.g. a search by name prefix)

    def paginate_queryset(self, queryset: QuerySet | list, pagination: Input, request=None, **params: Any) -> dict:
        count, capped = capped_count(queryset, self.count_limit)
        end = pagination.offset + pagination.limit
        return {"count": count, "count_capped": capped, "has_more": capped or end < count,
                "items": list(queryset[pagination.offset : end])}  # fmt: skip
