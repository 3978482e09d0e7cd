"""Every page and API operation of rights × every member of the cast (see gonghui.testing.matrix).

The request is 张伟's against his employer, handled by his company union: Jiangsu does not see it, the read-only
role sees but does not act; only 张伟 reads it on his own pages. The legal case is the company union's."""

import pytest

from gonghui.cases.models import Case as KernelCase
from gonghui.rights.models import LegalCase, RightsRequest
from gonghui.rights.tests.conftest import TECH_USCC, make_group, make_legal, make_request
from gonghui.testing.api import ApiClient
from gonghui.testing.matrix import USERS, Case, Page, api_tests, codes, expect

SIGNED_IN = dict.fromkeys(USERS, 200) | {"anonymous": 302}
OWN = dict.fromkeys(USERS, 404) | {"worker": 200, "anonymous": 302}
OWN_POST = OWN | {"worker": 302}
FILE_GET = dict.fromkeys(USERS, 302) | {"worker": 200, "security_admin": 200}
FILE_POST = dict.fromkeys(USERS, 302) | {"security_admin": 403}


def request(cast):
    if not hasattr(cast, "rights_request"):
        cast.rights_request = make_request(cast)
    return cast.rights_request


def group(cast):
    if not hasattr(cast, "rights_group"):
        cast.rights_group = make_group(cast)
    return cast.rights_group


def legal(cast):
    if not hasattr(cast, "legal"):
        cast.legal = make_legal(cast)
    return cast.legal


def _form(cast):
    return {"category": "hours", "description": "每天加班到晚上十点，没有加班费。",
            "employer_name": "杭州示例科技有限公司", "employer_uscc": TECH_USCC}  # fmt: skip


def _hotline(cast):
    return _form(cast) | {"caller_name": "赵六", "caller_phone": "13600001234"}


def _legal_form(cast):
    return {"kind": "mediation", "handler": cast.users.grassroots_admin.pk, "parties": "申请人：张伟",
            "claims": "支付加班费", "amount_claimed": "5000", "employer_name": "杭州示例科技有限公司"}  # fmt: skip


def _version(obj):
    return lambda cast: {"action": "accept", "version": obj(cast).version}


PAGES: list = [
    Page("rights:list", expect(200, 200, 200, 200, 200)),
    Page("rights:hotline", expect(200, 200, 200, 200, 200)),
    Page("rights:hotline", expect(302, 302, 302, 302, 403), method="post", data=_hotline),
    Page("rights:detail", expect(200, 200, 404, 200, 200), args=lambda c: [request(c).pk]),
    Page("rights:act", expect(302, 302, 404, 302, 403), method="post", args=lambda c: [request(c).pk],
         data=_version(request)),
    Page("rights:clusters", expect(200, 200, 200, 200, 200)),
    Page("rights:group", expect(200, 200, 404, 200, 200), args=lambda c: [group(c).pk]),
    Page("rights:group", expect(302, 302, 404, 302, 403), method="post", args=lambda c: [group(c).pk],
         data=lambda c: {"representatives": list(group(c).requests.values_list("pk", flat=True))}),
    Page("rights:signals", expect(200, 200, 200, 200, 200)),
    Page("rights:mine", SIGNED_IN),
    Page("rights:file", FILE_GET),
    Page("rights:file", FILE_POST, method="post", data=_form),
    Page("rights:mine_detail", OWN, args=lambda c: [request(c).pk]),
    Page("rights:mine_act", OWN_POST, method="post", args=lambda c: [request(c).pk],
         data=lambda c: {"action": "follow_up", "text": "补充", "version": request(c).version}),
    Page("rights:legal_list", expect(200, 200, 200, 200, 200)),
    Page("rights:legal_new", expect(200, 200, 404, 200, 200), query=lambda c: f"?request={request(c).pk}"),
    Page("rights:legal_new", expect(302, 302, 404, 302, 403), method="post", data=_legal_form,
         query=lambda c: f"?request={request(c).pk}"),
    Page("rights:legal_detail", expect(200, 200, 404, 200, 200, worker=404) | {"security_admin": 404},
         args=lambda c: [legal(c).pk]),
    Page("rights:legal_act", expect(302, 302, 404, 302, 403, worker=404) | {"security_admin": 404}, method="post",
         args=lambda c: [legal(c).pk],
         data=lambda c: {"action": "milestone", "kind": "mediation_applied_on", "on": "2026-09-01"}),
]  # fmt: skip

API_CASES: list = [
    Case("file a request", "create", "POST", "/rights/requests", codes(403, 403, 403, 403, 403, 201, 403, 401),
         body=lambda c, u: {"category": "wages", "description": "拖欠工资两个月。", "employer_uscc": TECH_USCC}),
    Case("own requests", "list", "GET", "/rights/requests/mine", codes(200, 200, 200, 200, 200, 200, 200, 401)),
    Case("own request", "detail", "GET", "/rights/requests/mine/{request_id}",
         codes(404, 404, 404, 404, 404, 200, 404, 401), path=lambda c: f"/rights/requests/mine/{request(c).pk}"),
    Case("requests", "list", "GET", "/rights/requests", codes(200, 200, 200, 200, 200, 403, 403, 401)),
    Case("request", "detail", "GET", "/rights/requests/{request_id}", codes(200, 200, 404, 200, 200, 403, 403, 401),
         path=lambda c: f"/rights/requests/{request(c).pk}"),
]  # fmt: skip


def snapshot():
    return (
        list(RightsRequest.objects.order_by("pk").values_list("pk", "status", "version")),
        list(LegalCase.objects.order_by("pk").values_list("pk", "version")),
        KernelCase.objects.count(),
    )


@pytest.fixture
def api(cast):
    client = ApiClient()
    yield client
    client.assert_no_personal_data()


test_api_permissions = api_tests(API_CASES, snapshot)


def probe_targets(cast) -> dict:
    """张伟's request in 浙江 for the scope probe (gonghui/core/tests/test_scope_probe.py)."""
    return {"request_id": make_request(cast).pk}
