"""The permission matrix of /api/v1: every endpoint × every kind of caller, with the status each must get.

Out of scope reads as 404, a read-only role gets 403 on writes, callers without a grant get 403 on cadre
endpoints, and no token gets 401. A refused write changes nothing."""

import datetime as dt

import pytest

from gonghui.api import api as ninja_api
from gonghui.members.models import Employer, LapseWarning, Membership, Person, TransferRequest
from gonghui.orgs.models import Org
from gonghui.testing.api import ApiClient
from gonghui.testing.cast import valid_id
from gonghui.testing.matrix import Case, api_tests, app_matrices, codes

NEW_ID = valid_id("33010619950101123")


ORG_CREATE = {"name": "杭州新材料有限公司工会", "org_type": "grassroots", "region_code": "330106"}
MEMBER_CREATE = {"name": "赵强", "id_number": NEW_ID, "phone": "13655556666"}


def _transfer(cast, *, released=False) -> TransferRequest:
    """One open transfer per test, 张伟 (Zhejiang) → 南京示例物流 (Jiangsu); made by the body builder, which
    runs before the snapshot, and reused by the path builder."""
    from gonghui.members.services import transfer_release, transfer_start

    if not hasattr(cast, "transfer"):
        cast.transfer = transfer_start(actor=cast.users.grassroots_admin, membership=cast.members.zhang,
                                       to_org=cast.orgs.logistics, reason="工作调动")  # fmt: skip
        if released:
            cast.transfer = transfer_release(actor=cast.users.grassroots_admin, transfer=cast.transfer)
    return cast.transfer


def transfer_step(action: str, *, released: bool, body: dict | None = None):
    def make_body(cast, who):
        _transfer(cast, released=released)
        return body

    return {"path": lambda cast: f"/members/transfers/{_transfer(cast).pk}/{action}", "body": make_body}


def _warning(cast, *, counselled=False):
    """One open lapse warning for 张伟 (杭州示例科技), counselled if asked; made before the snapshot."""
    from gonghui.members.services import lapse_counsel, lapse_warnings_raise

    if not hasattr(cast, "warning"):
        Membership.objects.filter(pk=cast.members.zhang.pk).update(last_active_on=dt.date(2020, 1, 1))
        lapse_warnings_raise(today=dt.date.today())
        cast.warning = LapseWarning.objects.get(membership=cast.members.zhang)
        if counselled:
            cast.warning = lapse_counsel(actor=cast.users.grassroots_admin, warning=cast.warning, note="已谈话")
    return cast.warning


def lapse_step(action: str, *, counselled: bool = False, body: dict | None = None):
    def make_body(cast, who):
        _warning(cast, counselled=counselled)
        return body

    return {"path": lambda cast: f"/members/lapse-warnings/{_warning(cast).pk}/{action}", "body": make_body}


CASES = [
    # Callers who must use two factors and have not enrolled an authenticator are told to enrol first (403).
    Case("token", "create", "POST", "/auth/token", codes(403, 200, 200, 403, 200, 200, 403, 401),
         body=lambda cast, who: {"username": getattr(cast.users, who).username if who != "anonymous" else "nobody",
                                 "password": cast.password}),
    Case("openapi", "detail", "GET", "/openapi.json", codes(*[200] * 8)),
    Case("docs", "detail", "GET", "/docs", codes(*[200] * 8)),
    Case("regions", "list", "GET", "/orgs/regions", codes(200, 200, 200, 200, 200, 200, 200, 401),
         path=lambda cast: "/orgs/regions?parent=3301"),
    Case("orgs roots", "list", "GET", "/orgs", codes(200, 200, 200, 200, 200, 403, 403, 401)),
    Case("orgs children", "list", "GET", "/orgs", codes(200, 200, 404, 404, 200, 403, 403, 401),
         path=lambda cast: f"/orgs?parent={cast.orgs.xihu.pk}"),
    Case("orgs search", "list", "GET", "/orgs", codes(200, 200, 200, 200, 200, 403, 403, 401),
         path=lambda cast: "/orgs?q=%E5%B7%A5%E4%BC%9A"),
    Case("org", "detail", "GET", "/orgs/{org_id}", codes(200, 200, 404, 200, 200, 403, 403, 401),
         path=lambda cast: f"/orgs/{cast.orgs.company.pk}"),
    Case("org", "create", "POST", "/orgs", codes(201, 201, 404, 404, 403, 403, 403, 401),
         body=lambda cast, who: {**ORG_CREATE, "parent_id": cast.orgs.xihu.pk}),
    Case("org branch", "create", "POST", "/orgs", codes(201, 201, 404, 201, 403, 403, 403, 401),
         body=lambda cast, who: {"name": "研发部分工会", "org_type": "branch", "region_code": "330106",
                                 "parent_id": cast.orgs.company.pk}),
    Case("org", "update", "PATCH", "/orgs/{org_id}", codes(200, 200, 404, 200, 403, 403, 403, 401),
         path=lambda cast: f"/orgs/{cast.orgs.company.pk}", body=lambda cast, who: {"version": 1, "name": "新名称"}),
    Case("org move", "update", "PATCH", "/orgs/{org_id}", codes(200, 200, 404, 404, 403, 403, 403, 401),
         path=lambda cast: f"/orgs/{cast.orgs.company.pk}",
         body=lambda cast, who: {"version": 1, "parent_id": cast.orgs.xixi.pk}),
    Case("members", "list", "GET", "/members", codes(200, 200, 404, 200, 200, 403, 403, 401),
         path=lambda cast: f"/members?org_id={cast.orgs.company.pk}"),
    Case("members search", "list", "POST", "/members/search", codes(200, 200, 200, 200, 200, 403, 403, 401),
         body=lambda cast, who: {"q": "zw"}),
    Case("member", "detail", "GET", "/members/{person_id}", codes(200, 200, 404, 200, 200, 403, 403, 401),
         path=lambda cast: f"/members/{cast.members.zhang.person.pk}"),
    Case("member", "create", "POST", "/members", codes(201, 201, 404, 201, 403, 403, 403, 401),
         body=lambda cast, who: {**MEMBER_CREATE, "org_id": cast.orgs.company.pk}),
    Case("member", "update", "PATCH", "/members/{person_id}", codes(200, 200, 404, 200, 403, 403, 403, 401),
         path=lambda cast: f"/members/{cast.members.zhang.person.pk}",
         body=lambda cast, who: {"version": 1, "job_title": "工程师"}),
    Case("member unmask", "detail", "POST", "/members/{person_id}/unmask",
         codes(200, 403, 404, 200, 403, 403, 403, 401),
         path=lambda cast: f"/members/{cast.members.zhang.person.pk}/unmask"),
    Case("transfers", "list", "GET", "/members/transfers", codes(200, 200, 200, 200, 200, 403, 403, 401),
         body=lambda cast, who: _transfer(cast) and None),
    # The member themself (worker 张伟) may ask for a transfer; a sibling province reads 404.
    Case("transfer start", "create", "POST", "/members/{person_id}/transfers",
         codes(201, 201, 404, 201, 403, 201, 403, 401),
         path=lambda cast: f"/members/{cast.members.zhang.person_id}/transfers",
         body=lambda cast, who: {"to_org_id": cast.orgs.logistics.pk, "reason": "工作调动"}),
    # Only the sending side releases, only the receiving side accepts or rejects a released transfer.
    Case("transfer release", "update", "POST", "/members/transfers/{transfer_id}/release",
         codes(200, 200, 403, 200, 403, 403, 403, 401), **transfer_step("release", released=False)),
    Case("transfer accept", "update", "POST", "/members/transfers/{transfer_id}/accept",
         codes(200, 403, 200, 403, 403, 403, 403, 401), **transfer_step("accept", released=True)),
    Case("transfer reject", "update", "POST", "/members/transfers/{transfer_id}/reject",
         codes(200, 403, 200, 403, 403, 403, 403, 401),
         **transfer_step("reject", released=True, body={"reason": "岗位未落实"})),
    Case("employer closure", "update", "POST", "/orgs/{org_id}/employer-closure",
         codes(200, 200, 404, 404, 403, 403, 403, 401),
         path=lambda cast: f"/orgs/{cast.orgs.company.pk}/employer-closure"),
    Case("me", "detail", "GET", "/me", codes(200, 200, 200, 200, 200, 200, 200, 401)),
    Case("my card", "detail", "GET", "/me/card", codes(403, 403, 403, 403, 403, 200, 403, 401)),
    # The member (the worker is 张伟) or the sending union withdraws; the receiving side may not.
    Case("transfer cancel", "update", "POST", "/members/transfers/{transfer_id}/cancel",
         codes(200, 200, 403, 200, 403, 200, 403, 401),
         **transfer_step("cancel", released=True, body={"reason": "员工留任"})),
    Case("card revoke", "update", "POST", "/members/{person_id}/card/revoke",
         codes(200, 200, 404, 200, 403, 200, 403, 401),
         path=lambda cast: f"/members/{cast.members.zhang.person_id}/card/revoke",
         body=lambda cast, who: {"reason": "遗失"}),
    Case("card verify", "detail", "GET", "/members/cards/verify", codes(*[200] * 8),
         path=lambda cast: "/members/cards/verify?code=abc:def"),
    Case("lapse warnings", "list", "GET", "/members/lapse-warnings", codes(200, 200, 200, 200, 200, 403, 403, 401)),
    Case("lapse counsel", "update", "POST", "/members/lapse-warnings/{warning_id}/counsel",
         codes(200, 200, 404, 200, 403, 403, 403, 401), **lapse_step("counsel", body={"note": "电话联系"})),
    Case("lapse", "update", "POST", "/members/lapse-warnings/{warning_id}/lapse",
         codes(200, 200, 404, 200, 403, 403, 403, 401), **lapse_step("lapse", counselled=True)),
]  # fmt: skip


def snapshot():
    return (
        list(Org.objects.order_by("pk").values_list("name", "path", "version")),
        list(Person.objects.order_by("pk").values_list("name", "job_title", "version")),
        list(Membership.objects.order_by("pk").values_list("status", "card_key")), Employer.objects.count(),
        list(LapseWarning.objects.order_by("pk").values_list("status", flat=True)),
        list(TransferRequest.objects.order_by("pk").values_list("status", flat=True)),
    )  # fmt: skip


@pytest.fixture
def api(cast):
    client = ApiClient()
    client.remember_secret(NEW_ID, MEMBER_CREATE["phone"])
    yield client
    client.assert_no_personal_data()


test_permission_matrix = api_tests(CASES, snapshot)


def test_matrix_covers_every_endpoint():
    schema = ninja_api.get_openapi_schema()
    routes = {(method.upper(), path.removeprefix("/api/v1")) for path, ops in schema["paths"].items() for method in ops}
    cases = CASES + [case for _, module in app_matrices() for case in getattr(module, "API_CASES", [])]
    covered = {(c.method, c.route) for c in cases}
    assert routes - covered == set(), "endpoints missing from the permission matrix"
    assert covered - routes <= {("GET", "/openapi.json"), ("GET", "/docs")}
    actions = {route: {c.action for c in cases if (c.method, c.route) == route} for route in routes}
    assert all(actions.values())
