"""The test cast: a small real tree and the people who use it (after healthchecks' alice/bob/charlie).

全总 ─┬─ 浙江省总工会 ── 杭州市总工会 ── 西湖区总工会 ─┬─ 西溪街道工会
      │                                              └─ 杭州示例科技有限公司工会 (members: 张伟, 李娜)
      └─ 江苏省总工会 ── 南京市总工会 ── 玄武区总工会 ── 南京示例物流有限公司工会 (member: 王芳)
"""

import datetime as dt
import os
from pathlib import Path
from types import SimpleNamespace

import pytest

from gonghui.accounts.models import Grant, User
from gonghui.accounts.services import grant_create, user_create
from gonghui.members.services import employer_resolve, member_create
from gonghui.orgs.models import Org, OrgType, Region
from gonghui.orgs.services import org_create

# Every response and log line of every test is scanned for full ID and mobile numbers (SECURITY.md 11).
pytest_plugins = ["gonghui.core.pii_guard"]

PASSWORD = "Gonghui-test-2021"
ZHANG_WEI_ID = "330106199003071236"
LI_NA_ID = "330106199208150026"
WANG_FANG_ID = "320102198511200047"


def valid_id(first17: str) -> str:
    from gonghui.core.identifiers import id_check_character

    return first17 + id_check_character(first17)


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _clear_cache():
    """Rate-limit counters (gonghui.core.ratelimit) live in the cache; each test starts with none."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _two_factor_done_for_test_logins(request, monkeypatch):
    """Sessions made by Client.force_login / Client.login count as having passed the TOTP step, so tests
    about other features need not enrol an authenticator for admins and unmasking roles. The 2FA flow
    itself is tested unpatched: tests that use the ``real_two_factor`` fixture
    (gonghui/accounts/tests/test_two_factor.py, test_browser_totp.py) get the real behaviour.
    Signing in through the login page (client.post to /login/, the browser) is never patched."""
    if "real_two_factor" in request.fixturenames:
        return
    from django.test.client import ClientMixin

    from gonghui.accounts.two_factor import SESSION_VERIFIED

    original = ClientMixin._login

    def _login_verified(self, user, backend=None):
        original(self, user, backend)
        session = self.session
        session[SESSION_VERIFIED] = user.pk
        session.save()

    monkeypatch.setattr(ClientMixin, "_login", _login_verified)


@pytest.fixture
def real_two_factor():
    """Turns off the test-login shortcut above: the two-factor step applies as in production."""


def _org(parent, name, org_type, region_code, **extra):
    return org_create(actor=None, parent=parent, name=name, org_type=org_type,
                      region=Region.objects.get(code=region_code), **extra)  # fmt: skip


def _user(username, *, org=None, role=Grant.Role.ADMIN, can_unmask=False, **extra):
    user = user_create(actor=None, username=username, password=PASSWORD, check_password=False, **extra)
    if org is not None:
        grant_create(actor=None, user=user, org=org, role=role, can_unmask=can_unmask)
    return user


@pytest.fixture
def cast(db):
    national = _org(None, "中华全国总工会", OrgType.NATIONAL, "11")
    zhejiang = _org(national, "浙江省总工会", OrgType.PROVINCE, "33")
    hangzhou = _org(zhejiang, "杭州市总工会", OrgType.CITY, "3301")
    xihu = _org(hangzhou, "杭州市西湖区总工会", OrgType.COUNTY, "330106")
    xixi = _org(xihu, "西溪街道工会", OrgType.TOWNSHIP, "330106004")
    tech = employer_resolve(name="杭州示例科技有限公司", uscc="91330106MA2A0000X3")
    company = _org(xihu, "杭州示例科技有限公司工会", OrgType.GRASSROOTS, "330106",
                   employer=tech, term_years=3, term_started_on=dt.date(2023, 5, 1))  # fmt: skip
    jiangsu = _org(national, "江苏省总工会", OrgType.PROVINCE, "32")
    nanjing = _org(jiangsu, "南京市总工会", OrgType.CITY, "3201")
    xuanwu = _org(nanjing, "南京市玄武区总工会", OrgType.COUNTY, "320102")
    logistics = _org(xuanwu, "南京示例物流有限公司工会", OrgType.GRASSROOTS, "320102")

    zhang = member_create(actor=None, org=company, name="张伟", id_number=ZHANG_WEI_ID, phone="13812345678",
                          employer=tech, employment_form="standard", joined_on=dt.date(2020, 3, 1))  # fmt: skip
    li = member_create(actor=None, org=company, name="李娜", id_number=LI_NA_ID, phone="13900001111",
                       employment_form="food_delivery", is_migrant=True)  # fmt: skip
    wang = member_create(actor=None, org=logistics, name="王芳", id_number=WANG_FANG_ID, phone="13700002222",
                         employment_form="courier")  # fmt: skip

    users = SimpleNamespace(
        national_admin=_user("national", org=national, can_unmask=True, display_name="全总管理员"),
        province_admin=_user("zhejiang", org=zhejiang, display_name="浙江省总管理员"),
        sibling_admin=_user("jiangsu", org=jiangsu, display_name="江苏省总管理员"),
        grassroots_admin=_user("company", org=company, can_unmask=True, display_name="企业工会主席"),
        readonly=_user("viewer", org=zhejiang, role=Grant.Role.READONLY, display_name="只读用户"),
        worker=_user("zhangwei", person=zhang.person, display_name="张伟"),
        security_admin=_user("secadmin", platform_role=User.PlatformRole.SECURITY),
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


# ----- browser tests and live servers ------------------------------------------------------------------------

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]  # fmt: skip


def is_csp_violation(text: str) -> bool:
    return "Content Security Policy" in text or "Content-Security-Policy" in text


@pytest.fixture
def browser():
    """Debian's Chromium through Playwright (its own browser download cannot work here)."""
    if not CHROMIUM.exists():
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing; the browser tests must run in CI")
        pytest.skip(f"{CHROMIUM} is not installed")
    from playwright.sync_api import sync_playwright

    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # Playwright's sync API runs an event loop in this thread
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    """A phone-sized page that fails the test on any CSP violation or uncaught script error."""
    page = browser.new_page(viewport={"width": 390, "height": 844})
    problems: list[str] = []
    page.on("console", lambda message: problems.append(message.text) if is_csp_violation(message.text) else None)
    page.on("pageerror", lambda error: problems.append(f"script error: {error}"))
    yield page
    page.close()
    assert not problems, f"the browser reported: {problems}"


@pytest.fixture
def regions(transactional_db):
    """Live-server tests need committed data; an earlier transactional test's flush may have emptied the
    regions that the data migration loaded, so load any that are missing."""
    from gonghui.orgs.models import Region
    from gonghui.orgs.regions import load_regions

    load_regions(Region)
