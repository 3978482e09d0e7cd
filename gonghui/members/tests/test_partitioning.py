"""The member tables partitioned by province (decision 0052): the ``province`` column kept right by every path that
writes members, the conversion (PostgreSQL) keeping every row and every query's result, partition pruning for a
one-province grant, and the system checks of GONGHUI_PARTITION_BY_PROVINCE.

The whole suite also runs on the converted schema: GONGHUI_PARTITION_BY_PROVINCE=1 with a PostgreSQL
DATABASE_URL converts the test database once migrated (gonghui.testing.fixtures)."""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError, connection, transaction

from gonghui.members import partitioning
from gonghui.members.models import Membership, Person
from gonghui.members.selectors import member_search, members_visible_to
from gonghui.members.services import employer_close, member_create, transfer_accept, transfer_release, transfer_start
from gonghui.orgs.models import Org, OrgType
from gonghui.orgs.provinces import province_of, province_of_path
from gonghui.orgs.services import org_move
from gonghui.rosters.tests.support import HEADER, _files_in_tmp, commit, person_id, upload, xlsx  # noqa: F401
from gonghui.testing.cast import ZHANG_WEI_ID, add_org, refreshed, valid_id

postgresql_only = pytest.mark.skipif("connection.vendor != 'postgresql'", reason="按省分区只适用于 PostgreSQL")


def assert_provinces_consistent():
    """Every membership carries its union's province, every person their home membership's."""
    for membership in Membership.objects.select_related("org"):
        assert membership.province == province_of_path(membership.org.path), membership
    for person in Person.objects.all():
        memberships = person.memberships.order_by("-joined_on", "-id")
        home = memberships.filter(status=Membership.Status.ACTIVE).first() or memberships.first()
        assert person.province == (home.province if home else 0), person


def test_provinces_come_from_the_province_federation_on_the_path(cast):
    orgs = cast.orgs
    assert [province_of(o) for o in (orgs.national, orgs.zhejiang, orgs.company, orgs.logistics)] == [0, 33, 33, 32]
    railway = add_org(orgs.national, "中国铁路工会", OrgType.INDUSTRY, "11")
    depot = add_org(railway, "杭州机务段工会", OrgType.GRASSROOTS, "330106")
    assert province_of(depot) == 0  # a national industry union's grassroots: national-level, whatever its region
    joined = member_create(actor=None, org=depot, name="赵强", id_number=valid_id("33010619800101123"))
    assert (joined.province, refreshed_person(joined).province) == (0, 0)
    assert (cast.members.zhang.province, cast.members.wang.province) == (33, 32)
    assert_provinces_consistent()


def refreshed_person(membership: Membership) -> Person:
    return Person.objects.get(pk=membership.person_id)


def test_a_transfer_to_another_province_takes_the_person_along(cast):
    users = cast.users
    transfer = transfer_start(actor=users.grassroots_admin, membership=cast.members.zhang,
                              to_org=cast.orgs.logistics, reason="工作调动")  # fmt: skip
    transfer = transfer_accept(actor=users.sibling_admin, transfer=transfer_release(actor=users.grassroots_admin,
                                                                                     transfer=transfer))  # fmt: skip
    assert transfer.new_membership.province == 32
    assert Membership.objects.get(pk=cast.members.zhang.pk).province == 33  # the history stays where it was
    assert refreshed_person(transfer.new_membership).province == 32
    assert_provinces_consistent()


def test_moving_an_org_to_another_province_moves_its_members(cast):
    orgs = cast.orgs
    org_move(actor=cast.users.national_admin, org=orgs.hangzhou, new_parent=orgs.jiangsu)
    assert set(Membership.objects.values_list("province", flat=True)) == {32}
    assert set(Person.objects.values_list("province", flat=True)) == {32}
    assert_provinces_consistent()
    org_move(actor=None, org=refreshed(orgs.hangzhou), new_parent=orgs.zhejiang)
    assert Person.objects.get(pk=cast.members.zhang.person_id).province == 33
    assert_provinces_consistent()


def test_employer_close_keeps_the_province(cast):
    employer_close(actor=cast.users.national_admin, org=cast.orgs.logistics)
    assert Membership.objects.get(pk=cast.members.wang.pk).province == 32
    assert_provinces_consistent()


def test_a_roster_import_writes_the_province(cast):
    job = upload(cast, xlsx({"花名册": [HEADER, ["周杰", person_id(1), "13812340001"],
                                        ["吴敏", person_id(2), "13812340002"]]}),
                 org=cast.orgs.logistics, user=cast.users.national_admin)  # fmt: skip
    commit(cast, job, user=cast.users.national_admin)
    imported = Membership.objects.filter(org=cast.orgs.logistics).exclude(pk=cast.members.wang.pk)
    assert imported.count() == 2
    assert {(m.province, m.person.province) for m in imported.select_related("person")} == {(32, 32)}
    assert_provinces_consistent()


def test_demo_data_writes_the_province(db):
    call_command("demo_data", members=300, seed=7, provinces="33,32", stdout=StringIO())
    assert set(Membership.objects.values_list("province", flat=True)) <= {0, 32, 33}
    assert Membership.objects.filter(province=33).exists() and Membership.objects.filter(province=32).exists()
    assert_provinces_consistent()


# ----- the conversion (PostgreSQL) ------------------------------------------------------------------------------


def _results(cast) -> dict:
    """What each user sees: the members, an ID search, the counts."""
    users = [cast.users.national_admin, cast.users.province_admin, cast.users.sibling_admin,
             cast.users.grassroots_admin]  # fmt: skip
    return {
        user.username: (
            sorted(members_visible_to(user).values_list("pk", "person_id", "province")),
            list(member_search(user, q=ZHANG_WEI_ID).values_list("pk", flat=True)),
            list(member_search(user, q="wangf").values_list("pk", flat=True)),
            Person.objects.in_scope(user).count(),
        )
        for user in users
    }


@postgresql_only
def test_conversion_keeps_every_row_and_every_result(cast, settings):
    before_rows = {t: partitioning.state(t).rows for t in partitioning.tables()}
    before = _results(cast)
    call_command("partition_by_province", stdout=StringIO())
    for table in partitioning.tables():
        state = partitioning.state(table)
        assert state.partitioned and state.partitions == 32  # 31 provinces and the default
        assert state.rows == state.locator_rows == before_rows[table]
    assert dict(partitioning.partition_rows("members_membership"))["members_membership_p33"] == 2
    assert partitioning.check() == []
    settings.GONGHUI_PARTITION_BY_PROVINCE = True
    for user in (cast.users.national_admin, cast.users.province_admin):
        user.__dict__.pop("_gonghui_grants", None)
    assert _results(cast) == before
    out = StringIO()
    call_command("partition_by_province", stdout=out)  # again: nothing to do
    assert "均已按省分区" in out.getvalue()


@postgresql_only
def test_after_the_conversion_writes_still_keep_the_rules(cast):
    call_command("partition_by_province", stdout=StringIO())
    with transaction.atomic(), pytest.raises(IntegrityError):  # a card number is unique across the provinces
        Membership.objects.create(person=cast.members.wang.person, org=cast.orgs.company,
                                  card_number=cast.members.zhang.card_number, joined_on=dt.date(2024, 1, 1),
                                  status=Membership.Status.TRANSFERRED)  # fmt: skip
    with transaction.atomic(), pytest.raises(IntegrityError):  # one active membership per person, nationally
        Membership.objects.create(person=cast.members.wang.person, org=cast.orgs.company, card_number="1",
                                  joined_on=dt.date(2024, 1, 1))  # fmt: skip
    with transaction.atomic(), pytest.raises(IntegrityError):  # the foreign key now checks the locator
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # as at the commit
        Membership.objects.create(person_id=10**12, org=cast.orgs.company, card_number="2",
                                  joined_on=dt.date(2024, 1, 1))  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    # A new member, then a move across provinces: the rows change partition and the locator follows.
    joined = member_create(actor=None, org=cast.orgs.company, name="钱进", id_number=valid_id("33010619910101123"))
    org_move(actor=None, org=cast.orgs.hangzhou, new_parent=cast.orgs.jiangsu)
    assert Membership.objects.get(pk=joined.pk).province == 32
    assert partitioning.check() == []
    assert_provinces_consistent()


@postgresql_only
def test_a_province_grant_reads_one_partition(cast, settings):
    call_command("partition_by_province", stdout=StringIO())
    settings.GONGHUI_PARTITION_BY_PROVINCE = True
    province_plan = members_visible_to(cast.users.province_admin).explain()
    assert "members_membership_p33" in province_plan
    assert "members_membership_p32" not in province_plan and "members_membership_default" not in province_plan
    national_plan = members_visible_to(cast.users.national_admin).explain()
    assert "members_membership_p33" in national_plan and "members_membership_p32" in national_plan
    # An exact ID search reads the person's locator row, then one partition, whoever searches.
    search_plan = member_search(cast.users.national_admin, q=ZHANG_WEI_ID).explain()
    assert "members_membership_p33" in search_plan and "members_membership_p32" not in search_plan
    assert [m.pk for m in member_search(cast.users.national_admin, q=ZHANG_WEI_ID)] == [cast.members.zhang.pk]
    # The same read without the setting scans every partition: the filter is what prunes.
    settings.GONGHUI_PARTITION_BY_PROVINCE = False
    cast.users.province_admin.__dict__.pop("_gonghui_grants", None)
    assert "members_membership_p32" in members_visible_to(cast.users.province_admin).explain()


@postgresql_only
def test_check_option_reports_an_unconverted_database(db):
    if partitioning.all_partitioned():
        pytest.skip("the suite runs on the converted schema")
    with pytest.raises(CommandError, match="尚未按省分区"):
        call_command("partition_by_province", check=True, stdout=StringIO())


def test_the_setting_needs_postgresql_and_the_converted_tables(db, settings):
    settings.GONGHUI_PARTITION_BY_PROVINCE = False
    assert partitioning.partitioned_when_set(None) == []
    settings.GONGHUI_PARTITION_BY_PROVINCE = True
    errors = partitioning.partitioned_when_set(None)
    if connection.vendor == "sqlite":
        assert [e.id for e in errors] == ["gonghui.E052"]
        with pytest.raises(CommandError, match="只适用于 PostgreSQL"):
            call_command("partition_by_province", stdout=StringIO())
        return
    if not partitioning.all_partitioned():
        assert [e.id for e in errors] == ["gonghui.E053"] and "partition_by_province" in errors[0].hint
        call_command("partition_by_province", stdout=StringIO())
    assert partitioning.partitioned_when_set(None) == []


def test_org_cache_forgets_a_moved_federation(cast):
    """The province of a depth-1 org is cached; a province federation moved under another root is re-read."""
    orgs = cast.orgs
    assert province_of(orgs.company) == 33
    Org.objects.filter(pk=orgs.zhejiang.pk).update(region_id="32")  # behind the services' back: still cached
    assert province_of(orgs.company) == 33
    from gonghui.orgs import provinces

    provinces.forget()
    assert province_of(orgs.company) == 32
