"""Member search: by name, pinyin, initials, ID number, phone and card number, within scope only."""

import datetime as dt
import re

import pytest
from django.db import connection, transaction
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gonghui.core.pagination import Count, capped_count
from gonghui.members.access import people_visible_q, sees_person
from gonghui.members.models import Membership, Person
from gonghui.members.selectors import member_search, members_visible_to, memberships_of, search_count
from gonghui.members.services import member_create, membership_end
from gonghui.orgs.access import WRITE_ROLES
from gonghui.testing.cast import LI_NA_ID, WANG_FANG_ID, ZHANG_WEI_ID, valid_id


def names(user, **filters):
    return sorted(m.person.name for m in member_search(user, **filters))


@pytest.mark.parametrize(
    "q, expected",
    [
        ("张", ["张伟"]),
        ("张伟", ["张伟"]),
        ("zhangwei", ["张伟"]),
        ("zhang", ["张伟"]),
        ("ZhangWei", ["张伟"]),
        ("zw", ["张伟"]),
        ("l", ["李娜"]),
        ("", ["张伟", "李娜"]),
        ("陈", []),
    ],
)
def test_member_search_by_name_prefix_pinyin_and_initials(cast, q, expected):
    assert names(cast.users.province_admin, q=q) == sorted(expected)


def test_initials_that_start_with_a_vowel_find_their_member(cast):
    """安伟's initials "aw" and 欧阳明's "oym" hold vowels; no one's pinyin starts so, so they are read as initials."""
    from gonghui.members.services import member_create

    member_create(actor=None, org=cast.orgs.company, name="安伟", id_number=valid_id("33010619850101003"))
    member_create(actor=None, org=cast.orgs.company, name="欧阳明", id_number=valid_id("33010619850101004"))
    found = {"aw": ["安伟"], "oym": ["欧阳明"], "an": ["安伟"], "ouyang": ["欧阳明"], "a": ["安伟"]}
    for q, expected in found.items():
        assert names(cast.users.province_admin, q=q) == expected, q
    assert search_count(member_search(cast.users.province_admin, q="oym"), "oym") == Count(1)


@pytest.mark.parametrize("q", [ZHANG_WEI_ID, " 3301 0619 9003 0712 36 ", "13812345678", "+86 138 1234 5678"])
def test_member_search_by_full_id_or_phone(cast, q):
    assert names(cast.users.province_admin, q=q) == ["张伟"]


def test_member_search_by_lowercase_x_id(cast):
    from gonghui.members.services import member_create

    member_create(actor=None, org=cast.orgs.company, name="刘洋", id_number="11010519491231002X")
    assert names(cast.users.grassroots_admin, q="11010519491231002x") == ["刘洋"]


def test_member_search_by_card_number(cast):
    card = cast.members.li.card_number
    assert names(cast.users.province_admin, q=card) == ["李娜"]


def test_partial_id_or_phone_finds_nothing(cast):
    assert names(cast.users.national_admin, q=ZHANG_WEI_ID[:10]) == []
    assert names(cast.users.national_admin, q="1381234") == []


def test_member_search_never_leaves_the_scope(cast):
    sibling = cast.users.sibling_admin
    for q in ("张伟", "zw", ZHANG_WEI_ID, "13812345678", cast.members.zhang.card_number):
        assert names(sibling, q=q) == []
    assert names(sibling, q=WANG_FANG_ID) == ["王芳"]
    assert names(cast.users.province_admin, q=WANG_FANG_ID) == []


def test_member_search_finds_nothing_for_users_without_grants(cast):
    assert names(cast.users.worker, q=ZHANG_WEI_ID) == []
    assert names(cast.users.security_admin, q="") == []


def test_member_search_filters(cast):
    admin = cast.users.national_admin
    assert names(admin, org=cast.orgs.jiangsu) == ["王芳"]
    assert names(admin, gender="F") == ["李娜", "王芳"]
    assert names(admin, employment_form="courier") == ["王芳"]
    assert names(admin, is_migrant=True) == ["李娜"]
    assert names(admin, q="l", is_migrant=False) == []


def test_ended_memberships_leave_the_member_list(cast):
    membership_end(actor=None, membership=cast.members.li, status=Membership.Status.WITHDRAWN, reason="退会")
    assert names(cast.users.province_admin, q=LI_NA_ID) == []
    assert sorted(m.person.name for m in members_visible_to(cast.users.national_admin)) == ["张伟", "王芳"]
    assert [m.status for m in memberships_of(cast.members.li.person)] == [Membership.Status.WITHDRAWN]


def test_capped_count_says_more_than_above_the_limit(cast):
    members = members_visible_to(cast.users.national_admin)
    assert capped_count(members, limit=5) == Count(3)
    assert capped_count(members, limit=2) == Count(2, more=True)


def test_the_capped_count_of_a_name_search_walks_the_name_index(cast):
    found = member_search(cast.users.national_admin, q="zhang")
    with CaptureQueriesContext(connection) as queries:
        assert capped_count(found, limit=5) == Count(1)
    sql = queries.captured_queries[0]["sql"]
    assert "ORDER BY" in sql and "name_pinyin" in sql.split("ORDER BY")[1] and "LIMIT 6" in sql


def counted(user, q):
    return search_count(member_search(user, q=q), q)


@pytest.fixture
def two_more_zhangs(cast):
    """张三 in Jiangsu sorts before every other 张 (三 < 伟 in code-point order); 张伟伟 in Zhejiang after them."""
    member_create(actor=None, org=cast.orgs.logistics, name="张三", id_number=valid_id("32010219850101001"))
    member_create(actor=None, org=cast.orgs.company, name="张伟伟", id_number=valid_id("33010619850101002"))


def test_a_prefix_search_is_counted_exactly_when_the_walk_covers_the_prefix(cast, two_more_zhangs):
    assert counted(cast.users.province_admin, "张") == Count(2)
    assert counted(cast.users.national_admin, "zhang") == Count(3)
    assert counted(cast.users.sibling_admin, "zs") == Count(1)
    assert counted(cast.users.province_admin, "王") == Count(0)


def test_a_prefix_longer_than_the_walk_is_not_counted_unless_the_walk_passes_the_cap(cast, two_more_zhangs,
                                                                                    monkeypatch):  # fmt: skip
    monkeypatch.setattr("gonghui.members.selectors.PREFIX_COUNT_WALK", 2)
    # The walk sees 张三 (Jiangsu) and 张伟: one in Zhejiang's scope, and 张伟伟 lies beyond it.
    assert counted(cast.users.province_admin, "张") == Count(1, more=True, known=False)
    monkeypatch.setattr("gonghui.members.selectors.SEARCH_COUNT_LIMIT", 1)
    assert counted(cast.users.national_admin, "张") == Count(1, more=True)  # two in the walk: "超过 1 人"
    # A search by ID number is not a prefix: counted as any list.
    assert counted(cast.users.province_admin, ZHANG_WEI_ID) == Count(1)


def test_the_prefix_count_is_bounded_by_the_walk_not_by_the_scope(cast, two_more_zhangs, monkeypatch):
    monkeypatch.setattr("gonghui.members.selectors.PREFIX_COUNT_WALK", 2)
    with CaptureQueriesContext(connection) as queries:
        counted(cast.users.province_admin, "张")
    walk, count = (q["sql"] for q in queries.captured_queries[-2:])
    assert "members_person" in walk and "LIMIT 3" in walk  # the walk, and one more to see the prefix goes on
    (ids,) = re.findall(r'"person_id" IN \(([^)]*)\)', count)
    assert len(ids.split(",")) == 2  # the count reads the memberships of the two persons walked, in any scope
    # ... and bounds the persons by the last one walked (张伟), which lets PostgreSQL start from the name index
    assert """"members_person"."name" < '张伟'""" in count


def test_a_walk_that_stops_inside_a_run_of_one_name_counts_the_people_walked(cast, two_more_zhangs, monkeypatch):
    member_create(actor=None, org=cast.orgs.company, name="张三", id_number=valid_id("33010619850101003"))
    monkeypatch.setattr("gonghui.members.selectors.PREFIX_COUNT_WALK", 2)
    # The walk is the two 张三 (Jiangsu's first, by id); Zhejiang's admin sees the second one only.
    assert counted(cast.users.province_admin, "张") == Count(1, more=True, known=False)
    monkeypatch.setattr("gonghui.members.selectors.PREFIX_COUNT_WALK", 3)
    assert counted(cast.users.province_admin, "张") == Count(2, more=True, known=False)  # and 张伟
    monkeypatch.setattr("gonghui.members.selectors.PREFIX_COUNT_WALK", 1)
    assert counted(cast.users.national_admin, "张三") == Count(1, more=True, known=False)


HISTORY_ORGS = ("company", "xixi", "hangzhou", "logistics", "xuanwu", "national")
ENDED = [s for s in Membership.Status.values if s != Membership.Status.ACTIVE]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    former=st.lists(st.tuples(st.sampled_from(HISTORY_ORGS), st.sampled_from(ENDED)), max_size=3),
    current=st.none() | st.sampled_from(HISTORY_ORGS),
)
def test_one_persons_scope_decided_on_their_history_is_the_filters(cast, former, current):
    """``Person.objects.get_for_read`` decides on the loaded history (sees_person); for any history (former
    unions in or out of a scope, a current one or none) and every cadre, with and without a role, that is
    exactly what the list filter (people_visible_q) decides."""
    sid = transaction.savepoint()
    try:
        person = cast.members.li.person
        Membership.objects.filter(person=person).delete()
        rows = [(name, status) for name, status in former] + ([(current, Membership.Status.ACTIVE)] if current else [])
        for i, (name, status) in enumerate(rows):
            Membership.objects.create(person=person, org=getattr(cast.orgs, name), card_number=f"T-{i}",
                                      joined_on=dt.date(2020 + i, 1, 1), status=status)  # fmt: skip
        history = memberships_of(Person.objects.get(pk=person.pk))
        for user in vars(cast.users).values():
            for roles in (None, WRITE_ROLES):
                listed = Person.objects.filter(people_visible_q(user, roles=roles), pk=person.pk).exists()
                assert sees_person(user, history, roles=roles) == listed, (user.username, roles)
            if Person.objects.in_scope(user).filter(pk=person.pk).exists():
                assert Person.objects.get_for_read(user, person.pk).membership_history == history
            elif user.grants.exists():
                with pytest.raises(Http404):
                    Person.objects.get_for_read(user, person.pk)
    finally:
        transaction.savepoint_rollback(sid)


def test_a_filtered_queryset_cannot_read_one_person_past_its_filter(cast):
    """get_for_read reads the person by key through the history: on a filtered queryset it would skip the filter."""
    with pytest.raises(TypeError):
        Person.objects.filter(name="李娜").get_for_read(cast.users.national_admin, cast.members.zhang.person.pk)
