"""Every page and API endpoint of this app × every member of the cast (see gonghui.testing.matrix).

The application in the cases is 赵强's, routed to 杭州示例科技有限公司工会 (his employer's union): the
grassroots admin handles it, the province sees it in its subtree, Jiangsu does not. Join codes belong to
西溪街道工会, outside the grassroots admin's scope. The worker's pages are public until they apply."""

import pytest

from gonghui.core import sms
from gonghui.joining import services
from gonghui.joining.models import JoinApplication, JoinCode, PhoneVerification
from gonghui.joining.tests.conftest import NEW_ID, NEW_PHONE, PASSWORD, last_code, submit, verified
from gonghui.members.models import Membership
from gonghui.testing.api import ApiClient
from gonghui.testing.matrix import USERS, Case, Page, api_tests, codes, expect

PUBLIC = dict.fromkeys(USERS, 200)
SIGNED_IN = PUBLIC | {"anonymous": 302}


def application(cast) -> JoinApplication:
    if not hasattr(cast, "application"):
        cast.application = submit(employer=cast.orgs.company.employer, employment_form="standard")
    return cast.application


def join_code(cast) -> JoinCode:
    if not hasattr(cast, "join_code"):
        cast.join_code = services.join_code_create(actor=cast.users.national_admin, org=cast.orgs.xixi,
                                                  label="快递员流动入会服务站")  # fmt: skip
    return cast.join_code


def _application(cast):
    return [application(cast).pk]


def _code(cast):
    return [join_code(cast).pk]


PAGES: list = [
    Page("joining:apply", PUBLIC),
    Page("joining:code", PUBLIC, args=lambda c: [join_code(c).token]),
    Page("joining:verify", PUBLIC),
    Page("joining:resend", PUBLIC, method="post"),  # without a code sent in the session: the first step again
    Page("joining:notice", PUBLIC),
    Page("joining:form", PUBLIC),
    Page("joining:regions", PUBLIC, query="?code=330106"),
    Page("joining:mine", SIGNED_IN),
    # Only the applicant withdraws or applies again; nobody in the cast has applied.
    Page("joining:withdraw", dict.fromkeys(USERS, 404) | {"anonymous": 302}, method="post", args=_application),
    Page("joining:again", dict.fromkeys(USERS, 403) | {"anonymous": 302}),
    Page("joining:todo", expect(200, 200, 200, 200, 200)),
    Page("joining:detail", expect(200, 200, 404, 200, 200), args=_application),
    Page("joining:accept", expect(302, 302, 404, 302, 403), method="post", args=_application,
         data=lambda c: {"version": 1}),
    Page("joining:reject", expect(302, 302, 404, 302, 403), method="post", args=_application,
         data=lambda c: {"version": 1, "reason": "不在本单位工作"}),
    Page("joining:applicant_phone", expect(200, 200, 404, 200, 403), method="post", args=_application),
    Page("joining:reassign_targets", expect(200, 200, 404, 200, 200), args=_application, query="?org_q=xx"),
    Page("joining:reassign", expect(302, 302, 404, 404, 403), method="post", args=_application,
         data=lambda c: {"version": 1, "org": c.orgs.xixi.pk}),
    Page("joining:codes", expect(200, 200, 200, 200, 200)),
    Page("joining:codes", expect(302, 302, 404, 404, 403), method="post",
         data=lambda c: {"org": c.orgs.xixi.pk, "label": "服务站"}),
    Page("joining:poster", expect(200, 200, 404, 404, 200), args=_code),
    Page("joining:code_deactivate", expect(302, 302, 404, 404, 403), method="post", args=_code),
    # Account recovery by text message: open to anyone, the same answer whether the phone has an account or not
    # (a number that is not a mobile number is refused); without a code sent in this session the second steps
    # show the first.
    Page("joining:reset", PUBLIC),
    Page("joining:reset", dict.fromkeys(USERS, 400), method="post", data=lambda c: {"phone": "12345"}),
    Page("joining:reset_verify", PUBLIC),
    Page("joining:reset_verify", PUBLIC, method="post", data=lambda c: {"code": "123456"}),
    Page("joining:sms_login", PUBLIC),
    Page("joining:sms_login", dict.fromkeys(USERS, 400), method="post", data=lambda c: {"phone": "12345"}),
    Page("joining:sms_login_verify", PUBLIC),
    Page("joining:sms_login_verify", PUBLIC, method="post", data=lambda c: {"code": "123456"}),
]  # fmt: skip


def _sent(cast, caller):
    return {"phone": NEW_PHONE}


def _to_verify(cast, caller):
    verification = services.phone_code_send(phone=NEW_PHONE)
    return {"verification": verification.token, "code": last_code()}


def _to_apply(cast, caller):
    return {"verification": verified().token, "name": "赵强", "id_number": NEW_ID, "password": PASSWORD, "agree": True,
            "employment_form": "courier", "region_code": "330106004"}  # fmt: skip


def _version(cast, caller):
    return {"version": application(cast).version}


API_CASES: list = [
    Case("join code", "create", "POST", "/join/phone/code", codes(*[201] * 8), body=_sent),
    Case("join verify", "update", "POST", "/join/phone/verify", codes(*[200] * 8), body=_to_verify),
    Case("join apply", "create", "POST", "/join/applications", codes(*[201] * 8), body=_to_apply),
    Case("join mine", "list", "GET", "/join/applications/mine", codes(200, 200, 200, 200, 200, 200, 200, 401)),
    Case("join withdraw", "update", "POST", "/join/applications/{application_id}/withdraw",
         codes(*[404] * 7, 401), path=lambda c: f"/join/applications/{application(c).pk}/withdraw",
         body=lambda c, u: {} if application(c) else None),
    Case("join again", "create", "POST", "/join/applications/again", codes(*[403] * 7, 401),
         body=lambda c, u: {"employment_form": "courier", "region_code": "330106004"}),
    Case("join todo", "list", "GET", "/join/todo", codes(200, 200, 200, 200, 200, 403, 403, 401)),
    Case("join todo detail", "detail", "GET", "/join/todo/{application_id}",
         codes(200, 200, 404, 200, 200, 403, 403, 401), path=lambda c: f"/join/todo/{application(c).pk}"),
    Case("join accept", "update", "POST", "/join/todo/{application_id}/accept",
         codes(200, 200, 404, 200, 403, 403, 403, 401), path=lambda c: f"/join/todo/{application(c).pk}/accept",
         body=_version),
    Case("join reject", "update", "POST", "/join/todo/{application_id}/reject",
         codes(200, 200, 404, 200, 403, 403, 403, 401), path=lambda c: f"/join/todo/{application(c).pk}/reject",
         body=lambda c, u: _version(c, u) | {"reason": "不在本单位工作"}),
    Case("join reassign", "update", "POST", "/join/todo/{application_id}/reassign",
         codes(200, 200, 404, 404, 403, 403, 403, 401), path=lambda c: f"/join/todo/{application(c).pk}/reassign",
         body=lambda c, u: _version(c, u) | {"org_id": c.orgs.xixi.pk}),
    Case("join codes", "list", "GET", "/join/codes", codes(200, 200, 200, 200, 200, 403, 403, 401)),
    Case("join code create", "create", "POST", "/join/codes", codes(201, 201, 404, 404, 403, 403, 403, 401),
         body=lambda c, u: {"org_id": c.orgs.xixi.pk, "label": "流动入会服务站"}),
    Case("join code deactivate", "update", "POST", "/join/codes/{code_id}/deactivate",
         codes(200, 200, 404, 404, 403, 403, 403, 401), path=lambda c: f"/join/codes/{join_code(c).pk}/deactivate",
         body=lambda c, u: {} if join_code(c) else None),  # made before the snapshot
]  # fmt: skip


def snapshot():
    """What a refused write must leave unchanged."""
    return (
        list(PhoneVerification.objects.order_by("pk").values_list("pk", "verified_at", "used_at")),
        list(JoinApplication.objects.order_by("pk").values_list("pk", "status", "org_id", "version")),
        list(JoinCode.objects.order_by("pk").values_list("pk", "is_active")),
        Membership.objects.count(),
    )


@pytest.fixture
def api(cast):
    client = ApiClient()
    client.remember_secret(NEW_ID, NEW_PHONE)
    yield client
    client.assert_no_personal_data()
    sms.outbox.clear()


test_api_permissions = api_tests(API_CASES, snapshot)


UNMASKED = {r"^/join/todo/\d+/phone/$": "办理入会的工会查看并拨打申请人的手机号码：仅在办理中，逐次审计"}


def probe_targets(cast) -> dict:
    """浙江's application and join code for the scope probe (gonghui/core/tests/test_scope_probe.py)."""
    code = services.join_code_create(actor=cast.users.grassroots_admin, org=cast.orgs.company, label="服务站")
    return {"application_id": submit().pk, "code_id": code.pk}
