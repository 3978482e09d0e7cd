"""The API's one pagination: limit/offset pages, the capped count and has_more."""

from gonghui.core.pagination import Pagination


def page(rows, limit, offset=0):
    return Pagination().paginate_queryset(rows, Pagination.Input(limit=limit, offset=offset))


def test_pages_carry_the_count_and_whether_more_follow():
    rows = list(range(5))
    assert page(rows, 2) == {"count": 5, "count_capped": False, "has_more": True, "items": [0, 1]}
    assert page(rows, 2, 4) == {"count": 5, "count_capped": False, "has_more": False, "items": [4]}
    assert page(rows, 2, 9)["items"] == []


def test_the_count_stops_at_the_limit(settings):
    settings.GONGHUI_COUNT_LIMIT = 3
    first = page(list(range(5)), 10)
    assert (first["count"], first["count_capped"], first["has_more"]) == (3, True, False)  # all five are here
    assert first["items"] == [0, 1, 2, 3, 4]
