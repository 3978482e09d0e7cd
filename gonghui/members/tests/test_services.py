"""Member services: joining, one active membership, ending and re-joining, corrections, unmasking."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from gonghui.core.errors import ConflictError
from gonghui.members.models import Membership, Person
from gonghui.members.services import member_create, member_unmask, member_update, membership_end
from gonghui.orgs.selectors import subtree_member_count
from gonghui.testing.cast import LI_NA_ID, ZHANG_WEI_ID, refreshed, valid_id

NEW_ID = valid_id("33010620010915004")  # a woman born 2001-09-15


def _join(cast, org=None, *, actor=None, id_number=NEW_ID, name="赵敏", **extra):
    return member_create(actor=actor or cast.users.grassroots_admin, org=org or cast.orgs.company, name=name,
                         id_number=id_number, **extra)  # fmt: skip


def _counts():
    return Person.objects.count(), Membership.objects.count()


def test_member_create_derives_birth_date_and_gender_from_the_id(cast):
    person = _join(cast).person
    assert person.birth_date == dt.date(2001, 9, 15)
    assert person.gender == "F"
    zhang = cast.members.zhang.person
    assert (zhang.birth_date, zhang.gender) == (dt.date(1990, 3, 7), "M")


def test_member_create_stores_id_and_phone_encrypted_indexed_and_masked(cast):
    person = _join(cast, phone="+86 139 1111 2222").person
    person.refresh_from_db()
    assert person.id_number_masked == NEW_ID[:4] + "*" * 10 + NEW_ID[-4:]
    assert person.phone_masked == "139****2222"
    assert NEW_ID not in person.id_number_enc and "13911112222" not in person.phone_enc
    assert person.name_pinyin == "zhaomin" and person.name_initials == "zm"


def test_member_create_accepts_legacy_15_digit_id_and_stores_the_18_digit_form(cast):
    person = _join(cast, id_number="110105491231002").person
    assert member_unmask(actor=cast.users.grassroots_admin, person=person)["id_number"] == "11010519491231002X"


@pytest.mark.parametrize("bad_id", ["330106199003071235", "33010619990230123X", "12345"])
def test_invalid_id_saves_nothing(cast, bad_id):
    before, count = _counts(), refreshed(cast.orgs.company).member_count
    with pytest.raises(ValidationError):
        _join(cast, id_number=bad_id)
    assert _counts() == before
    assert refreshed(cast.orgs.company).member_count == count


def test_invalid_phone_after_valid_id_saves_nothing(cast):
    before = _counts()
    with pytest.raises(ValidationError):
        _join(cast, phone="12812345678")
    assert _counts() == before


def test_org_that_holds_no_members_refuses_them(cast):
    with pytest.raises(ValidationError) as err:
        _join(cast, org=cast.orgs.zhejiang, actor=cast.users.national_admin)
    assert "不直接发展会员" in str(err.value)


def test_second_active_membership_names_the_org_when_the_actor_can_see_it(cast):
    before = _counts()
    with pytest.raises(ValidationError) as err:
        _join(cast, org=cast.orgs.xixi, actor=cast.users.province_admin, id_number=ZHANG_WEI_ID, name="张伟")
    assert "杭州示例科技有限公司工会" in str(err.value)
    assert _counts() == before


def test_second_active_membership_says_other_union_when_the_actor_cannot_see_it(cast):
    before = _counts()
    with pytest.raises(ValidationError) as err:
        _join(cast, org=cast.orgs.logistics, actor=cast.users.sibling_admin, id_number=ZHANG_WEI_ID, name="张伟")
    message = str(err.value)
    assert "其他工会" in message
    assert "杭州" not in message
    assert _counts() == before


def test_second_active_membership_is_refused_for_a_system_actor(cast):
    """Imports and tasks call services with ``actor=None``; the refusal must still be a clean error."""
    with pytest.raises(ValidationError):
        member_create(actor=None, org=cast.orgs.logistics, name="张伟", id_number=ZHANG_WEI_ID)


def test_database_refuses_a_second_active_membership(cast):
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(person=cast.members.zhang.person, org=cast.orgs.logistics,
                                  card_number="X-1", joined_on=dt.date(2024, 1, 1))  # fmt: skip


def test_rejoining_after_membership_end_keeps_history(cast):
    actor = cast.users.national_admin
    old = membership_end(actor=actor, membership=cast.members.zhang, status=Membership.Status.WITHDRAWN,
                         reason="本人申请退会", ended_on=dt.date(2024, 6, 30))  # fmt: skip
    new = member_create(actor=actor, org=cast.orgs.xixi, name="张伟", id_number=ZHANG_WEI_ID,
                        joined_on=dt.date(2024, 7, 1))  # fmt: skip
    assert new.person_id == old.person_id
    history = Membership.objects.filter(person=new.person).order_by("joined_on")
    assert [(m.org_id, m.status) for m in history] == [
        (cast.orgs.company.pk, Membership.Status.WITHDRAWN),
        (cast.orgs.xixi.pk, Membership.Status.ACTIVE),
    ]
    assert Person.objects.filter(id_number_bidx=new.person.id_number_bidx).count() == 1


def test_member_counts_roll_up_after_create_and_end(cast):
    orgs = cast.orgs
    assert [subtree_member_count(o) for o in (orgs.national, orgs.zhejiang, orgs.jiangsu, orgs.company)] == [3, 2, 1, 2]
    joined = _join(cast)
    assert refreshed(orgs.company).member_count == 3
    assert [subtree_member_count(o) for o in (orgs.national, orgs.zhejiang, orgs.xihu)] == [4, 3, 3]
    membership_end(actor=cast.users.grassroots_admin, membership=joined, status=Membership.Status.LAPSED,
                   reason="连续六个月未交会费")  # fmt: skip
    membership_end(actor=cast.users.national_admin, membership=cast.members.wang,
                   status=Membership.Status.DECEASED, reason="身故")  # fmt: skip
    assert refreshed(orgs.company).member_count == 2
    assert refreshed(orgs.logistics).member_count == 0
    assert [subtree_member_count(o) for o in (orgs.national, orgs.zhejiang, orgs.jiangsu)] == [2, 2, 0]


def test_ending_an_ended_membership_is_refused_and_counts_stay(cast):
    actor = cast.users.grassroots_admin
    membership_end(actor=actor, membership=cast.members.li, status=Membership.Status.WITHDRAWN, reason="退会")
    with pytest.raises(ValidationError):
        membership_end(actor=actor, membership=cast.members.li, status=Membership.Status.WITHDRAWN, reason="退会")
    assert refreshed(cast.orgs.company).member_count == 1


def test_ending_the_same_membership_twice_from_two_stale_copies_counts_once(cast):
    """A double-submitted form: both requests loaded the membership while it was active."""
    first, second = (Membership.objects.get(pk=cast.members.li.pk) for _ in range(2))
    membership_end(actor=None, membership=first, status=Membership.Status.WITHDRAWN, reason="退会")
    with pytest.raises(ValidationError):
        membership_end(actor=None, membership=second, status=Membership.Status.LAPSED, reason="除名")
    assert refreshed(cast.orgs.company).member_count == 1
    assert Membership.objects.get(pk=cast.members.li.pk).status == Membership.Status.WITHDRAWN


def test_membership_end_needs_a_reason_and_an_ending_status(cast):
    actor = cast.users.grassroots_admin
    with pytest.raises(ValidationError):
        membership_end(actor=actor, membership=cast.members.li, status=Membership.Status.WITHDRAWN, reason=" ")
    with pytest.raises(ValidationError):
        membership_end(actor=actor, membership=cast.members.li, status=Membership.Status.TRANSFERRED, reason="x")
    assert refreshed(cast.orgs.company).member_count == 2


def test_explicit_card_number_already_used_is_refused(cast):
    with pytest.raises(ValidationError) as err:
        _join(cast, card_number=cast.members.zhang.card_number)
    assert "已被使用" in str(err.value)


def test_member_update_with_stale_version_raises_conflict_and_overwrites_nothing(cast):
    person = Person.objects.get(pk=cast.members.li.person_id)
    member_update(actor=cast.users.grassroots_admin, person=person, version=1, job_title="骑手站长")
    stale = Person.objects.get(pk=person.pk)
    with pytest.raises(ConflictError):
        member_update(actor=cast.users.grassroots_admin, person=stale, version=1, job_title="覆盖", name="李四")
    person.refresh_from_db()
    assert (person.name, person.job_title, person.version) == ("李娜", "骑手站长", 2)


def test_member_update_refuses_an_id_held_by_someone_else(cast):
    person = cast.members.li.person
    with pytest.raises(ValidationError):
        member_update(actor=cast.users.grassroots_admin, person=person, version=person.version, id_number=ZHANG_WEI_ID)
    person.refresh_from_db()
    assert person.id_number_masked == LI_NA_ID[:4] + "*" * 10 + LI_NA_ID[-4:]


def test_unmask_returns_plaintext_to_a_holder_of_the_permission(cast):
    values = member_unmask(actor=cast.users.grassroots_admin, person=cast.members.zhang.person)
    assert values == {"id_number": ZHANG_WEI_ID, "phone": "13812345678"}


def test_unmask_is_refused_without_the_permission(cast):
    with pytest.raises(PermissionDenied):
        member_unmask(actor=cast.users.province_admin, person=cast.members.zhang.person)
