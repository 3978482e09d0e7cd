"""manage.py demo_data: determinism, the services' invariants, the demo accounts, and the refusal."""

import datetime as dt
import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.db.models import Count, Q, Subquery
from django.test import Client
from django.test.utils import CaptureQueriesContext

from gonghui.accounts.models import Grant, User
from gonghui.core import crypto, registry
from gonghui.core.identifiers import parse_id_number, parse_phone, parse_uscc
from gonghui.core.masking import mask_id_number, mask_phone
from gonghui.core.models import AuditEvent
from gonghui.core.pinyin import name_keys
from gonghui.core.registry import DemoRun
from gonghui.core.sealed import id_number_index, phone_index
from gonghui.joining.models import JoinApplication
from gonghui.members.demo import DEMO_PASSWORD
from gonghui.members.models import Employer, Membership, Person
from gonghui.members.services import member_create
from gonghui.orgs.counts import subtree_totals_recount
from gonghui.orgs.models import ALLOWED_CHILDREN, MEMBER_HOLDING_TYPES, Org, OrgType, Region, path_segment
from gonghui.orgs.selectors import subtree_member_count
from gonghui.orgs.services import org_create
from gonghui.rosters.models import ImportJob
from gonghui.testing.fixtures import loaded_once

SMALL = {"members": 300, "seed": 7, "provinces": "33,32"}
CARD = re.compile(r"\d{17}")
CJK_NAME = re.compile(r"[\u4e00-\u9fff]{2,4}")


def run_demo(**options) -> str:
    out = StringIO()
    call_command("demo_data", stdout=out, **{**SMALL, **options})
    return out.getvalue()


def other_demos_people():
    """People the other demos (loaded by the same command) made members — online joining, and a roster import
    (after the registry's demo, its memberships given card numbers by the services); the rest is the registry's."""
    online = JoinApplication.objects.filter(membership__isnull=False).values("membership__person")
    first_import = ImportJob.objects.order_by("created_at").values("created_at")[:1]
    imported = Membership.objects.filter(created_at__gte=Subquery(first_import)).values("person")
    return Person.objects.filter(Q(pk__in=online) | Q(pk__in=imported)).values("pk")


def snapshot() -> list[tuple]:
    rows = (
        Membership.objects.exclude(person__in=other_demos_people())
        .select_related("person", "org", "person__employer")
        .order_by("pk")
    )
    return [
        (m.person.name, crypto.decrypt(m.person.id_number_enc), crypto.decrypt(m.person.phone_enc), m.card_number,
         m.joined_on, m.org.name, m.org.path, m.person.employer.name if m.person.employer else "",
         m.person.employment_form, m.person.education, m.person.is_migrant)
        for m in rows
    ]  # fmt: skip


@pytest.fixture(scope="module")
def loaded(django_db_setup, django_db_blocker):
    """The small demo, loaded once for the tests that only read it (or roll their own writes back)."""
    yield from loaded_once(django_db_blocker, run_demo)


@pytest.fixture
def demo(loaded, db):
    return loaded


def loaded_then_rolled_back(**options) -> tuple[list, list, list]:
    """Load, read everything back, and roll the load back (the audit log cannot be emptied by --reset)."""
    org_fields = ("pk", "name", "org_type", "path", "uscc", "member_count", "employer_id", "region_id")
    with transaction.atomic():
        run_demo(**options)
        result = (
            snapshot(),
            list(Org.objects.order_by("pk").values_list(*org_fields)),
            list(Employer.objects.order_by("pk").values_list("pk", "name", "uscc")),
        )
        transaction.set_rollback(True)
    return result


def registry_demo_then_rolled_back(**options) -> list[tuple]:
    options = {**SMALL, **options}
    run = DemoRun(members=options["members"], seed=options["seed"], provinces=set(options["provinces"].split(",")),
                  batch_size=20000, keep_existing=False, log=None)  # fmt: skip
    with transaction.atomic():
        dict(registry.demo_loaders())["members"](run)
        result = snapshot()
        transaction.set_rollback(True)
    return result


def test_same_seed_gives_the_same_data_and_another_seed_does_not(db):
    people, orgs, employers = loaded_then_rolled_back()
    assert len(people) == 300 and not Org.objects.exists()
    again = loaded_then_rolled_back()
    assert again == (people, orgs, employers)
    other = registry_demo_then_rolled_back(seed=8)  # the people are the registry's: its loader alone
    assert len(other) == 300
    assert [p[0] for p in other] != [p[0] for p in people]
    assert [p[1] for p in other] != [p[1] for p in people]


def test_municipality_districts_hang_under_the_province(db):
    run_demo(members=40, provinces="11")
    beijing = Org.objects.get(name="北京市总工会")
    assert beijing.org_type == OrgType.PROVINCE
    dongcheng = Org.objects.get(name="北京市东城区总工会")
    assert dongcheng.parent == beijing


def test_the_load_refreshes_the_planner_statistics(db):
    with CaptureQueriesContext(connection) as queries:
        run_demo(members=20)
    assert any(q["sql"] == "ANALYZE" for q in queries)


# From here on the tests read the demo loaded once (``loaded``): a test that needs an empty database goes above.
def test_people_satisfy_the_member_services_invariants(demo):
    persons = list(Person.objects.exclude(pk__in=other_demos_people()))
    assert len(persons) == 300
    today = dt.date.today()
    for person in persons:
        number = crypto.decrypt(person.id_number_enc)
        parsed = parse_id_number(number)
        assert parsed.number == number
        assert (parsed.birth_date, parsed.gender) == (person.birth_date, person.gender)
        assert dt.date(1965, 1, 1) <= person.birth_date <= dt.date(2005, 12, 31) < today
        assert person.id_number_bidx == id_number_index(number)
        assert person.id_number_masked == mask_id_number(number)
        phone = crypto.decrypt(person.phone_enc)
        assert parse_phone(phone) == phone
        assert person.phone_bidx == phone_index(phone)
        assert person.phone_masked == mask_phone(phone)
        assert CJK_NAME.fullmatch(person.name)
        assert (person.name_pinyin, person.name_initials) == name_keys(person.name)
        person.full_clean(exclude=["id_number_enc", "phone_enc"])
    assert len({p.phone_bidx for p in persons}) == len(persons)


def test_memberships_and_rollups_are_consistent(demo):
    joined = other_demos_people().count()
    assert joined > 33  # online applicants accepted, and a roster's 33 new hires
    active = Membership.objects.filter(status=Membership.Status.ACTIVE).exclude(person__in=other_demos_people())
    assert active.count() == 300
    assert active.values("person").distinct().count() == 300
    for m in active.select_related("org", "person"):
        number = crypto.decrypt(m.person.id_number_enc)
        assert number.startswith(m.org.region_id[:6])  # the ID's area is the org's county
        assert Region.objects.filter(code=number[:6], level=Region.Level.COUNTY).exists()
        area = m.org.region_id[:6].ljust(6, "0")
        assert CARD.fullmatch(m.card_number) and m.card_number.startswith(f"{area}{m.joined_on.year}")
        assert m.org.org_type in MEMBER_HOLDING_TYPES
        assert m.joined_on >= m.person.birth_date.replace(year=m.person.birth_date.year + 18, day=1)
    counts = Org.objects.annotate(n=Count("memberships", filter=Q(memberships__status="active")))
    assert [o.name for o in counts if o.n != o.member_count] == []
    national = Org.objects.get(org_type=OrgType.NATIONAL)
    assert subtree_member_count(national) == 300 + joined
    assert subtree_totals_recount() == 0  # the totals written with the tree are those a recount gives


def test_the_tree_follows_the_regions(demo):
    orgs = {o.pk: o for o in Org.objects.all()}
    for org in orgs.values():
        if org.parent_id is None:
            assert (org.org_type, org.path, org.depth) == (OrgType.NATIONAL, path_segment(org.pk), 0)
            continue
        parent = orgs[org.parent_id]
        assert org.path == parent.path + path_segment(org.pk)
        assert org.depth == parent.depth + 1
        assert org.org_type in ALLOWED_CHILDREN[parent.org_type], (parent.name, org.name)
        if org.uscc:
            assert parse_uscc(org.uscc) == org.uscc
    for code in Employer.objects.filter(uscc__isnull=False).values_list("uscc", flat=True):  # online joining: by name
        assert parse_uscc(code) == code
    xihu = Org.objects.get(name="杭州市西湖区总工会")
    assert (xihu.parent.name, xihu.parent.parent.name, xihu.org_type) == ("杭州市总工会", "浙江省总工会", "county")
    assert Org.objects.get(name="西溪街道工会").parent == xihu
    assert Org.objects.filter(name="杭州市快递行业工会联合会", org_type=OrgType.SECTOR_FEDERATION).exists()
    assert Org.objects.filter(name="中国海员建设工会", parent__org_type=OrgType.NATIONAL).exists()
    assert (
        Org.objects.filter(org_type=OrgType.TOWNSHIP).count()
        == Region.objects.filter(level=Region.Level.TOWNSHIP)
        .filter(Q(code__startswith="33") | Q(code__startswith="32"))
        .count()
    )
    assert not Org.objects.filter(name__contains="市辖区").exists()
    assert (xihu.name_pinyin, xihu.name_initials) == ("hangzhoushixihuquzonggonghui", "hzsxhqzgh")  # the pickers' keys
    assert not Org.objects.filter(name_initials="").exists()


def test_new_rows_after_the_load_get_fresh_ids(demo):
    township = Org.objects.get(name="西溪街道工会")
    org = org_create(actor=None, parent=township, name="新建示例有限公司工会", org_type=OrgType.GRASSROOTS,
                     region=township.region)  # fmt: skip
    assert org.pk > Org.objects.exclude(pk=org.pk).order_by("-pk").first().pk
    member_create(actor=None, org=org, name="测试", id_number="330106199003071236")
    assert Org.objects.get(pk=org.pk).member_count == 1


def test_demo_accounts_can_sign_in_with_their_roles(demo):
    expected = {"quanzong": "中华全国总工会", "zhejiang": "浙江省总工会"}
    for username, org_name in expected.items():
        grant = Grant.objects.get(user__username=username)
        assert (grant.org.name, grant.role) == (org_name, Grant.Role.ADMIN)
    assert Grant.objects.get(user__username="quanzong").can_unmask
    grassroots = Grant.objects.get(user__username="jiceng")
    assert grassroots.can_unmask and grassroots.org.org_type == OrgType.GRASSROOTS
    assert grassroots.org.region_id.startswith("3301") and grassroots.org.member_count >= 25
    worker = User.objects.get(username="zhigong")
    assert worker.person.memberships.get(status="active").org == grassroots.org
    assert not worker.grants.exists()
    roles = dict(User.objects.exclude(platform_role="").values_list("username", "platform_role"))
    assert roles == {"sysadmin": "system", "secadmin": "security", "auditadmin": "audit"}
    for username in ("quanzong", "zhejiang", "jiceng", "zhigong", "sysadmin"):
        assert Client().login(username=username, password=DEMO_PASSWORD), username
    assert AuditEvent.objects.filter(action="demo.load").count() == 1
    assert "zhigong" in demo and DEMO_PASSWORD in demo and "演示账号" in demo


def test_refuses_a_database_with_orgs(demo):
    before = snapshot()
    with pytest.raises(CommandError, match="新建数据库"):
        run_demo(seed=99)
    assert snapshot() == before


def test_keep_existing_lists_the_accounts_and_changes_nothing(demo):
    before = snapshot()
    out = run_demo(seed=99, keep_existing=True)
    assert "未重新生成" in out and "quanzong" in out and "zhigong" in out and "auditadmin" in out
    assert snapshot() == before
    assert AuditEvent.objects.filter(action="demo.load").count() == 1
