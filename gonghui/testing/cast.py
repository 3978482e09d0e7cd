"""The test cast: a small real tree and the people who use it (after healthchecks' alice/bob/charlie).

全总 ─┬─ 浙江省总工会 ── 杭州市总工会 ── 西湖区总工会 ─┬─ 西溪街道工会
      │                                              └─ 杭州示例科技有限公司工会 (members: 张伟, 李娜)
      └─ 江苏省总工会 ── 南京市总工会 ── 玄武区总工会 ── 南京示例物流有限公司工会 (member: 王芳)
"""

import datetime as dt
from types import SimpleNamespace

import pytest

from gonghui.accounts.models import Grant, User
from gonghui.accounts.services import grant_create, user_create
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


@pytest.fixture
def cast(db):
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
    from gonghui.accounts.policy import current_policy

    current_policy()  # the security policy row exists and is cached, as on a running site
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


def refreshed(org: Org) -> Org:
    org.refresh_from_db()
    return org
