"""Every console page × the three admins, a cadre, a worker and a stranger: each admin reaches only their
own console (三员分立); nobody else does; and the admins cannot open the cadre pages with personal data."""

import pytest
from django.urls import reverse

from gonghui.accounts.models import Grant
from gonghui.core.models import AuditEvent

USERS = ["system_admin", "security_admin", "audit_admin", "national_admin", "worker", "anonymous"]
ADMINS = USERS[:3]


def only(owner: str, status: int = 200) -> dict:
    """The owner gets ``status``; everyone else signed in 403; the anonymous go to the login page."""
    return dict.fromkeys(USERS, 403) | {owner: status, "anonymous": 302}


def account_data(cast):
    return {"username": "new-cadre", "display_name": "新干部", "platform_role": "",
            "password1": "Xihu-Union-2026!", "password2": "Xihu-Union-2026!"}  # fmt: skip


def grant_data(cast):
    return {"username": cast.users.sibling_admin.username, "org": cast.orgs.zhejiang.pk, "role": "readonly"}


def readonly_grant(cast):
    return Grant.objects.get(user=cast.users.readonly).pk


def policy_data(cast):
    return {"password_min_length": 14, "password_expiry_days": 90, "lockout_threshold": 5,
            "lockout_window_minutes": 30, "lockout_minutes": 30, "idle_timeout_minutes": 30,
            "session_lifetime_hours": 12}  # fmt: skip


def _override(cast) -> int:
    import datetime as dt

    from gonghui.core.models import WorkdayOverride

    return WorkdayOverride.objects.get_or_create(day=dt.date(2027, 1, 5), defaults={"is_workday": False})[0].pk


def export_data(cast):
    return {"since": "2020-01-01", "until": "2099-12-31"}


# (page, method, url builder, data builder, expected statuses)
PAGES = [
    ("accounts", "get", lambda c: reverse("console:accounts") + "?q=z&role=none&active=1", None,
     only("system_admin")),
    ("account_create_form", "get", lambda c: reverse("console:account_create"), None, only("system_admin")),
    ("account_create", "post", lambda c: reverse("console:account_create"), account_data, only("system_admin", 302)),
    ("account_disable", "post", lambda c: reverse("console:account_disable", args=[c.users.province_admin.pk]),
     None, only("system_admin", 302)),
    ("account_enable", "post", lambda c: reverse("console:account_enable", args=[c.users.province_admin.pk]),
     None, only("system_admin", 302)),
    ("calendar", "get", lambda c: reverse("console:calendar"), None, only("system_admin")),
    ("calendar_set", "post", lambda c: reverse("console:calendar"),
     lambda c: {"day": "2027-01-04", "is_workday": "0", "note": "地方性假日"}, only("system_admin", 302)),
    ("calendar_delete", "post", lambda c: reverse("console:calendar_delete", args=[_override(c)]), None,
     only("system_admin", 302)),
    ("grants", "get", lambda c: reverse("console:grants") + "?org_q=浙江", None, only("security_admin")),
    ("grant_create", "post", lambda c: reverse("console:grant_create"), grant_data, only("security_admin", 302)),
    ("grant_org_options", "get", lambda c: reverse("console:grant_org_options") + "?q=杭州", None,
     only("security_admin")),
    ("grant_revoke", "post", lambda c: reverse("console:grant_revoke", args=[readonly_grant(c)]), None,
     only("security_admin", 302)),
    ("policy_form", "get", lambda c: reverse("console:policy"), None, only("security_admin")),
    ("policy_update", "post", lambda c: reverse("console:policy"), policy_data, only("security_admin", 302)),
    ("audit", "get", lambda c: reverse("console:audit") + "?action=auth.", None, only("audit_admin")),
    ("audit_analysis", "get", lambda c: reverse("console:audit_analysis"), None, only("audit_admin")),
    ("audit_chain", "get", lambda c: reverse("console:audit_chain"), None, only("audit_admin")),
    ("audit_export_form", "get", lambda c: reverse("console:audit_export"), None, only("audit_admin")),
    ("audit_export", "post", lambda c: reverse("console:audit_export"), export_data, only("audit_admin")),
]  # fmt: skip


@pytest.mark.parametrize("user", USERS)
@pytest.mark.parametrize(("page", "method", "url", "data", "expected"), PAGES, ids=[p[0] for p in PAGES])
def test_console_permissions(client, admins, page, method, url, data, expected, user):
    cast = admins
    if user != "anonymous":
        client.force_login(getattr(cast.users, user))
    target = url(cast)
    response = getattr(client, method)(target, data(cast) if data else {})
    assert response.status_code == expected[user], getattr(response, "content", b"")[:500]
    if response.status_code == 302 and user == "anonymous":
        assert response["Location"].startswith(reverse("login"))
    if response.status_code == 403:
        denied = AuditEvent.objects.filter(action="access.denied", actor=getattr(cast.users, user)).first()
        assert denied is not None and denied.result == "denied"


def test_every_console_page_is_in_the_matrix_and_checks_its_role():
    from gonghui.console.urls import urlpatterns

    routed = {p.name for p in urlpatterns}
    covered = {"accounts", "account_create", "account_disable", "account_enable", "grants", "grant_create",
               "grant_org_options", "grant_revoke", "policy", "audit", "audit_analysis", "audit_chain",
               "audit_export", "calendar", "calendar_delete"}  # fmt: skip
    assert routed == covered
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
    html = client.get(reverse("home"), follow=True).content.decode()
    links = {
        "system_admin": reverse("console:accounts"),
        "security_admin": reverse("console:grants"),
        "audit_admin": reverse("console:audit"),
    }
    for owner, link in links.items():
        assert (f'href="{link}"' in html) == (owner == admin)
