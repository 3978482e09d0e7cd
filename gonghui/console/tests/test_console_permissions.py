"""Every console page × the three admins, a cadre, a worker and a stranger: each admin reaches only their
own console (三员分立); nobody else does; and the admins cannot open the cadre pages with personal data."""

import pytest
from django.urls import reverse

from gonghui.accounts.models import Grant
from gonghui.testing.cast import add_platform_admins
from gonghui.testing.matrix import USERS, Page

ADMINS = ("system_admin", "security_admin", "audit_admin")
REFUSALS_AUDITED = True  # every refused console page writes an access.denied event


def only(owner: str, status: int = 200) -> dict:
    """The owner gets ``status``; everyone else signed in 403; the anonymous go to the login page."""
    return dict.fromkeys((*USERS, *ADMINS), 403) | {owner: status, "anonymous": 302}


def account_data(cast):
    return {"username": "new-cadre", "display_name": "新干部", "platform_role": "",
            "password1": "Xihu-Union-2026!", "password2": "Xihu-Union-2026!"}  # fmt: skip


def grant_data(cast):
    return {"username": cast.users.sibling_admin.username, "org": cast.orgs.zhejiang.pk, "role": "readonly"}


def readonly_grant(cast):
    return [Grant.objects.get(user=cast.users.readonly).pk]


def policy_data(cast):
    return {"password_min_length": 14, "password_expiry_days": 90, "lockout_threshold": 5,
            "lockout_window_minutes": 30, "lockout_minutes": 30, "idle_timeout_minutes": 30,
            "session_lifetime_hours": 12}  # fmt: skip


def reset_data(cast):
    return {"username": cast.users.province_admin.username, "confirm": "on"}


def _override(cast):
    import datetime as dt

    from gonghui.core.models import WorkdayOverride

    return [WorkdayOverride.objects.get_or_create(day=dt.date(2027, 1, 5), defaults={"is_workday": False})[0].pk]


def export_data(cast):
    return {"since": "2020-01-01", "until": "2099-12-31"}


def _province_admin(cast):
    return [cast.users.province_admin.pk]


def console(route, expected, **kw):
    """A console Page: the three platform admins join the cast first."""
    return Page(route, expected, setup=add_platform_admins, **kw)


PAGES = [
    console("console:accounts", only("system_admin"), query="?q=z&role=none&active=1"),
    console("console:account_create", only("system_admin")),
    console("console:account_create", only("system_admin", 302), method="post", data=account_data),
    console("console:account_disable", only("system_admin", 302), method="post", args=_province_admin),
    console("console:account_enable", only("system_admin", 302), method="post", args=_province_admin),
    console("console:calendar", only("system_admin")),
    console("console:calendar", only("system_admin", 302), method="post",
            data=lambda c: {"day": "2027-01-04", "is_workday": "0", "note": "地方性假日"}),
    console("console:calendar_delete", only("system_admin", 302), method="post", args=_override),
    console("console:grants", only("security_admin"), query="?org_q=浙江"),
    console("console:grant_create", only("security_admin", 302), method="post", data=grant_data),
    console("console:grant_org_options", only("security_admin"), query="?org_q=杭州"),
    console("console:grant_revoke", only("security_admin", 302), method="post", args=readonly_grant),
    console("console:policy", only("security_admin")),
    console("console:policy", only("security_admin", 302), method="post", data=policy_data),
    console("console:account_reset", only("security_admin")),
    console("console:account_reset", only("security_admin"), method="post", data=reset_data),
    console("console:audit", only("audit_admin"), query="?action=auth."),
    console("console:audit_analysis", only("audit_admin")),
    console("console:audit_chain", only("audit_admin")),
    console("console:audit_export", only("audit_admin")),
    console("console:audit_export", only("audit_admin"), method="post", data=export_data),
]  # fmt: skip


def test_every_console_page_checks_its_role():
    from gonghui.console.urls import urlpatterns

    assert all(getattr(p.callback, "console_role", None) for p in urlpatterns)


CADRE_PAGES = [
    ("org_tree", "get", lambda c: reverse("orgs:tree")),
    ("org_detail", "get", lambda c: reverse("orgs:detail", args=[c.orgs.company.pk])),
    ("member_list", "get", lambda c: reverse("members:list")),
    ("member_detail", "get", lambda c: reverse("members:detail", args=[c.members.zhang.person_id])),
    ("member_unmask", "post", lambda c: reverse("members:unmask", args=[c.members.zhang.person_id])),
    ("portal_me", "get", lambda c: reverse("portal:me")),
]


@pytest.mark.parametrize("admin", ADMINS)
@pytest.mark.parametrize(("page", "method", "url"), CADRE_PAGES, ids=[p[0] for p in CADRE_PAGES])
def test_platform_admins_cannot_read_personal_data(client, admins, admin, page, method, url):
    client.force_login(getattr(admins.users, admin))
    response = getattr(client, method)(url(admins))
    assert response.status_code == 403
    assert "张伟" not in response.content.decode()


@pytest.mark.parametrize("admin", ADMINS)
def test_nav_shows_each_admin_only_their_console(client, admins, admin):
    client.force_login(getattr(admins.users, admin))
    html = client.get(reverse("accounts:home"), follow=True).content.decode()
    links = {
        "system_admin": reverse("console:accounts"),
        "security_admin": reverse("console:grants"),
        "audit_admin": reverse("console:audit"),
    }
    for owner, link in links.items():
        assert (f'href="{link}"' in html) == (owner == admin)
