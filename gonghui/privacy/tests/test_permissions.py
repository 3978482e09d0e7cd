"""Every privacy page × every member of the cast: who gets the page, who gets 403, who reads 404."""

from contextlib import nullcontext

import pytest
from django.urls import reverse

from gonghui.privacy.tests.support import add_privacy_data, own_copy_allowed

USERS = ["national_admin", "province_admin", "sibling_admin", "grassroots_admin", "readonly", "worker",
         "security_admin", "anonymous"]  # fmt: skip


def cadre(n, p, s, g, r):
    """Statuses for national, province, sibling-province, grassroots, read-only; no-grant users get 403."""
    return dict(zip(USERS[:5], (n, p, s, g, r), strict=True)) | {"worker": 403, "security_admin": 403,
                                                                   "anonymous": 302}  # fmt: skip


def own(status):
    """Worker-only pages: the worker gets ``status``, every account without a person record 403."""
    return dict.fromkeys(USERS[:5] + ["security_admin"], 403) | {"worker": status, "anonymous": 302}


PAGES = [
    ("mine", "get", lambda c: reverse("privacy:mine"), None, own(200)),
    ("consent_withdraw", "post", lambda c: reverse("privacy:consent_withdraw", args=[c.privacy.consent.pk]), None,
     own(302)),
    ("request_create", "post", lambda c: reverse("privacy:request_create"), lambda c: {"kind": "delete"}, own(302)),
    ("export_download", "get", lambda c: reverse("privacy:export_download", args=[c.privacy.export_request.pk]),
     None, own(200)),
    ("queue", "get", lambda c: reverse("privacy:queue"), None, cadre(200, 200, 200, 200, 200)),
    ("request_detail", "get", lambda c: reverse("privacy:request_detail", args=[c.privacy.open_request.pk]), None,
     cadre(200, 200, 404, 200, 200)),
    ("request_start", "post", lambda c: reverse("privacy:request_start", args=[c.privacy.open_request.pk]), None,
     cadre(302, 302, 404, 302, 403)),
    ("request_complete", "post", lambda c: reverse("privacy:request_complete", args=[c.privacy.open_request.pk]),
     lambda c: {"note": "已告知"}, cadre(302, 302, 404, 302, 403)),
    ("request_refuse", "post", lambda c: reverse("privacy:request_refuse", args=[c.privacy.open_request.pk]),
     lambda c: {"reason": "重复申请"}, cadre(302, 302, 404, 302, 403)),
]  # fmt: skip


@pytest.mark.parametrize("user", USERS)
@pytest.mark.parametrize(("page", "method", "url", "data", "expected"), PAGES, ids=[p[0] for p in PAGES])
def test_page_permissions(client, cast, page, method, url, data, expected, user):
    add_privacy_data(cast)
    if user != "anonymous":
        client.force_login(getattr(cast.users, user))
    with own_copy_allowed() if page == "export_download" else nullcontext():
        response = getattr(client, method)(url(cast), data(cast) if data else {})
    assert response.status_code == expected[user], response.content.decode()[:500]
    if response.status_code == 302 and user == "anonymous":
        assert response["Location"].startswith(reverse("login"))


def test_every_routed_page_is_in_the_matrix():
    from gonghui.privacy.urls import urlpatterns

    assert {p.name for p in urlpatterns} == {page[0] for page in PAGES}
