"""Prefix search as an index range: exactly the strings that start with the prefix."""

from hypothesis import given
from hypothesis import strategies as st

from gonghui.members.selectors import _prefix, member_search

keys = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789张章伟卫", max_size=8)


@given(prefix=keys.filter(bool), value=keys)
def test_range_holds_exactly_the_values_with_the_prefix(prefix, value):
    condition, _ = _prefix("name_pinyin", prefix)
    bounds = dict(condition.children)
    inside = bounds["person__name_pinyin__gte"] <= value < bounds["person__name_pinyin__lt"]
    assert inside == value.startswith(prefix)


def test_letters_with_a_vowel_are_full_pinyin_and_without_are_initials(cast):
    admin = cast.users.province_admin
    assert [m.person.name for m in member_search(admin, q="li")] == ["李娜"]
    assert [m.person.name for m in member_search(admin, q="ln")] == ["李娜"]
    assert [m.person.name for m in member_search(admin, q="LiN")] == ["李娜"]
    assert not member_search(admin, q="lz").exists()


def test_name_search_lists_alphabetically_and_stays_in_scope(cast):
    names = [m.person.name for m in member_search(cast.users.national_admin, q="")]
    assert sorted(names) == sorted(["张伟", "李娜", "王芳"])
    assert [m.person.name for m in member_search(cast.users.sibling_admin, q="张")] == []
    assert [m.person.name for m in member_search(cast.users.sibling_admin, q="王")] == ["王芳"]
