"""The test cast: a small real tree and the people who use it (after healthchecks' alice/bob/charlie).

全总 ─┬─ 浙江省总工会 ── 杭州市总工会 ── 西湖区总工会 ─┬─ 西溪街道工会
      │                                              └─ 杭州示例科技有限公司工会 (members: 张伟, 李娜)
      └─ 江苏省总工会 ── 南京市总工会 ── 玄武区总工会 ── 南京示例物流有限公司工会 (member: 王芳)
"""

import datetime as dt
import json
from dataclasses import dataclass
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management.color import no_style
from django.db import connection, transaction
from django.utils import timezone

from gonghui.accounts.models import Grant, User
from gonghui.accounts.services import grant_create, user_create
from gonghui.core.audit import audit_seal
from gonghui.members.models import Membership
from gonghui.members.services import employer_resolve, member_create
from gonghui.orgs.models import Org, OrgType, Region
from gonghui.orgs.services import org_create

PASSWORD = "Gonghui-test-2021"
ZHANG_WEI_ID = "330106199003071236"
LI_NA_ID = "330106199208150026"
WANG_FANG_ID = "320102198511200047"


def valid_id(first17: str) -> str:
    from gonghui.core.identifiers import id_check_character

    return first17 + id_check_character(first17)


def add_org(parent, name, org_type, region_code, **extra):
    return org_create(actor=None, parent=parent, name=name, org_type=org_type,
                      region=Region.objects.get(code=region_code), **extra)  # fmt: skip


def add_user(username, *, org=None, role=Grant.Role.ADMIN, can_unmask=False, **extra):
    user = user_create(actor=None, username=username, password=PASSWORD, check_password=False, **extra)
    if org is not None:
        grant_create(actor=None, user=user, org=org, role=role, can_unmask=can_unmask)
    return user


def build_cast() -> SimpleNamespace:
    """The cast, made through the services as an administrator would."""
    national = add_org(None, "中华全国总工会", OrgType.NATIONAL, "11")
    zhejiang = add_org(national, "浙江省总工会", OrgType.PROVINCE, "33")
    hangzhou = add_org(zhejiang, "杭州市总工会", OrgType.CITY, "3301")
    xihu = add_org(hangzhou, "杭州市西湖区总工会", OrgType.COUNTY, "330106")
    xixi = add_org(xihu, "西溪街道工会", OrgType.TOWNSHIP, "330106004")
    tech = employer_resolve(name="杭州示例科技有限公司", uscc="91330106MA2A0000X3")
    company = add_org(xihu, "杭州示例科技有限公司工会", OrgType.GRASSROOTS, "330106",
                      employer=tech, term_years=3, term_started_on=dt.date(2023, 5, 1))  # fmt: skip
    jiangsu = add_org(national, "江苏省总工会", OrgType.PROVINCE, "32")
    nanjing = add_org(jiangsu, "南京市总工会", OrgType.CITY, "3201")
    xuanwu = add_org(nanjing, "南京市玄武区总工会", OrgType.COUNTY, "320102")
    logistics = add_org(xuanwu, "南京示例物流有限公司工会", OrgType.GRASSROOTS, "320102")

    zhang = member_create(actor=None, org=company, name="张伟", id_number=ZHANG_WEI_ID, phone="13812345678",
                          employer=tech, employment_form="standard", joined_on=dt.date(2020, 3, 1))  # fmt: skip
    li = member_create(actor=None, org=company, name="李娜", id_number=LI_NA_ID, phone="13900001111",
                       employment_form="food_delivery", is_migrant=True)  # fmt: skip
    wang = member_create(actor=None, org=logistics, name="王芳", id_number=WANG_FANG_ID, phone="13700002222",
                         employment_form="courier")  # fmt: skip

    users = SimpleNamespace(
        national_admin=add_user("national", org=national, can_unmask=True, display_name="全总管理员"),
        province_admin=add_user("zhejiang", org=zhejiang, display_name="浙江省总管理员"),
        sibling_admin=add_user("jiangsu", org=jiangsu, display_name="江苏省总管理员"),
        grassroots_admin=add_user("company", org=company, can_unmask=True, display_name="企业工会主席"),
        readonly=add_user("viewer", org=zhejiang, role=Grant.Role.READONLY, display_name="只读用户"),
        worker=add_user("zhangwei", person=zhang.person, display_name="张伟"),
        security_admin=add_user("secadmin", platform_role=User.PlatformRole.SECURITY),
    )
    return SimpleNamespace(
        orgs=SimpleNamespace(
            national=national,
            zhejiang=zhejiang,
            hangzhou=hangzhou,
            xihu=xihu,
            xixi=xixi,
            company=company,
            jiangsu=jiangsu,
            nanjing=nanjing,
            xuanwu=xuanwu,
            logistics=logistics,
        ),  # fmt: skip
        members=SimpleNamespace(zhang=zhang, li=li, wang=wang),
        users=users,
        password=PASSWORD,
    )


@dataclass
class SavedCast:
    """The rows the first cast of a test session wrote, to write again for the next test in a few statements
    instead of through the services (about a second each time): same rows, same keys, fresh objects."""

    fingerprint: tuple
    tables: dict[str, tuple[list[str], list[tuple]]]  # table -> (columns, rows)
    models: list
    pks: dict[str, dict[str, int]]  # "orgs", "members", "users" -> name -> primary key

    @staticmethod
    def current_fingerprint() -> tuple:
        """What the cast's rows depend on besides the code: the keys, the hasher, the day."""
        names = (
            "GONGHUI_DATA_KEYS",
            "GONGHUI_INDEX_KEY",
            "GONGHUI_AUDIT_KEYS",
            "SECRET_KEY",
            "PASSWORD_HASHERS",
            "TIME_ZONE",
        )
        return (timezone.localdate(), *(repr(getattr(settings, name, None)) for name in names))

    @classmethod
    def save(cls, build) -> tuple["SavedCast", SimpleNamespace]:
        models = [m for m in apps.get_models(include_auto_created=True)
                  if m._meta.managed and not m._meta.proxy and m._meta.label_lower not in NOT_CAST_DATA]  # fmt: skip
        before = {m: set(m._base_manager.values_list("pk", flat=True)) for m in models}
        cast = build()
        # Sealed now, so that every test gets the cast's audit events as a sealed chain with its head: a later
        # test's own events then seal after them (a sweep never seals rows older than the head).
        audit_seal()
        tables = {}
        with connection.cursor() as cursor:
            for model in models:
                table, pk = model._meta.db_table, model._meta.pk.column
                cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608 (a table name)
                columns = [c[0] for c in cursor.description]
                at = columns.index(pk)
                rows = [tuple(map(_storable, row)) for row in cursor.fetchall() if row[at] not in before[model]]
                if rows:
                    tables[table] = (columns, rows)
        pks = {group: {name: obj.pk for name, obj in vars(getattr(cast, group)).items()}
               for group in ("orgs", "members", "users")}  # fmt: skip
        written = [m for m in models if m._meta.db_table in tables]
        return cls(cls.current_fingerprint(), tables, written, pks), cast

    def restore(self) -> SimpleNamespace:
        quote = connection.ops.quote_name
        with transaction.atomic(), connection.cursor() as cursor:  # foreign keys are checked at the end
            for table, (columns, rows) in self.tables.items():
                names, marks = ", ".join(map(quote, columns)), ", ".join(["%s"] * len(columns))
                cursor.executemany(f"INSERT INTO {quote(table)} ({names}) VALUES ({marks})", rows)  # noqa: S608
            for statement in connection.ops.sequence_reset_sql(no_style(), self.models):
                cursor.execute(statement)
        found = {"orgs": Org.objects.in_bulk(self.pks["orgs"].values()),
                 "members": Membership.objects.in_bulk(self.pks["members"].values()),
                 "users": User.objects.in_bulk(self.pks["users"].values())}  # fmt: skip
        groups = {group: SimpleNamespace(**{name: found[group][pk] for name, pk in named.items()})
                  for group, named in self.pks.items()}  # fmt: skip
        return SimpleNamespace(**groups, password=PASSWORD)


# Tables the cast does not write: reference data, Django's own bookkeeping.
NOT_CAST_DATA = {"orgs.region", "contenttypes.contenttype", "auth.permission", "sessions.session"}
_saved: list[SavedCast] = []  # the session's saved cast, while its fingerprint holds


def _storable(value):
    """A value as read by the cursor, ready to be written back (PostgreSQL returns JSON as dicts)."""
    return json.dumps(value) if isinstance(value, dict | list) else value


@pytest.fixture
def cast(db):
    """The cast in the test's database: built through the services once a session, then written again."""
    if _saved and _saved[0].fingerprint == SavedCast.current_fingerprint():
        result = _saved[0].restore()
    else:
        saved, result = SavedCast.save(build_cast)
        _saved[:] = [saved]
    from gonghui.accounts.policy import current_policy

    current_policy()  # the security policy row exists and is cached, as on a running site
    return result


def add_platform_admins(cast):
    """The other two of the three platform admins (三员分立): a system and an audit admin join the cast's
    security admin."""
    if not hasattr(cast.users, "system_admin"):
        cast.users.system_admin = add_user("sysadmin", platform_role=User.PlatformRole.SYSTEM)
        cast.users.audit_admin = add_user("auditadmin", platform_role=User.PlatformRole.AUDIT)
    return cast


def refreshed(org: Org) -> Org:
    org.refresh_from_db()
    return org
