"""Every refusal a user sees is in the audit log (docs/decisions/0010): the pages and API calls that refused
without an audit event now go through the audited refusal."""

import pytest
from django.urls import reverse

from gonghui.core.models import AuditEvent
from gonghui.testing.api import ApiClient


def _refused(user) -> int:
    return AuditEvent.objects.filter(actor=user, action="access.denied", result="denied").count()


# (cast user, method, page, message shown)
PAGES = [
    ("readonly", "get", "members:create", "您的角色没有登记会员的权限。"),
    ("grassroots_admin", "post", "dues:policy", "只有省级总工会（或全总）管理员可以设置会费比例。"),
    ("national_admin", "get", "dues:mine", "此页面供会员本人查看自己的会费；您的账号没有关联会员档案。"),
    ("national_admin", "get", "portal:me", "此页面供职工本人使用；您的账号没有关联会员档案或入会申请。"),
    ("national_admin", "get", "privacy:mine", "此页面供会员本人管理自己的个人信息；您的账号没有关联会员档案。"),
    ("worker", "get", "joining:again", "没有可以重新申请的入会申请：只有被退回或已撤回的申请人可以重新申请。"),
]


@pytest.mark.parametrize(("who", "method", "page", "message"), PAGES)
def test_a_refused_page_is_audited(cast, client, who, method, page, message):
    user = getattr(cast.users, who)
    client.force_login(user)
    response = getattr(client, method)(reverse(page))
    assert response.status_code == 403
    assert message in response.content.decode()
    assert AuditEvent.objects.get(actor=user, action="access.denied").detail["reason"] == message


@pytest.mark.parametrize("path", ["/api/v1/me/card", "/api/v1/dues/mine/statement"])
def test_a_refused_api_call_is_audited(cast, path):
    api, user = ApiClient(), cast.users.national_admin
    response = api.get(path, user)
    assert response.status_code == 403
    assert _refused(user) == 1
