"""Every page and API endpoint of this app × every member of the cast (see gonghui.testing.matrix)."""

import pytest
from django.utils import timezone

from gonghui.dues.models import DuesPayment, DuesRate, WageBase
from gonghui.dues.selectors import current_month
from gonghui.dues.tests.support import months_ago, set_base
from gonghui.testing.api import ApiClient
from gonghui.testing.matrix import Case, Page, api_tests, codes, expect


def _last_month() -> str:
    return f"{months_ago(1):%Y-%m}"


def _based(cast):
    """张伟 has a wage base from three months back (made once per test, before the snapshot)."""
    if not hasattr(cast, "base"):
        cast.base = set_base(cast, cast.members.zhang)
    return cast.base


def _payment(cast):
    """One recorded payment of 张伟 for last month."""
    from gonghui.dues.services import dues_pay

    if not hasattr(cast, "payment"):
        _based(cast)
        cast.payment = dues_pay(actor=cast.users.national_admin, person=cast.members.zhang.person,
                                month=months_ago(1), method="cash", paid_on=timezone.localdate())  # fmt: skip
    return cast.payment


def _zhang(c):
    return c.members.zhang.person_id


def pay_data(c):
    _based(c)
    return {"month": _last_month(), "method": "cash", "paid_on": timezone.localdate().isoformat()}


def batch_data(c):
    _based(c)
    return {"month": _last_month(), "method": "payroll", "paid_on": timezone.localdate().isoformat()}


def rate_data(c):
    return {"province": c.orgs.zhejiang.pk, "rate_percent": "0.4", "effective_from": f"{current_month():%Y-%m}"}


PAGES = [
    Page("dues:org", expect(200, 200, 404, 200, 200), query=lambda c: f"?org={c.orgs.company.pk}"),
    Page("dues:org", expect(200, 200, 200, 200, 200), variant="default"),
    Page("dues:batch", expect(302, 302, 404, 302, 403), method="post", args=lambda c: [c.orgs.company.pk],
         data=batch_data),
    Page("dues:bases", expect(200, 200, 404, 200, 403), args=lambda c: [c.orgs.company.pk]),
    Page("dues:bases", expect(302, 302, 404, 302, 403), method="post", args=lambda c: [c.orgs.company.pk],
         data=lambda c: {"effective_from": f"{current_month():%Y-%m}", f"base_{_zhang(c)}": "6000"}),
    Page("dues:member", expect(200, 200, 404, 200, 200), args=lambda c: [_zhang(c)]),
    Page("dues:base_set", expect(302, 302, 404, 302, 403), method="post", args=lambda c: [_zhang(c)],
         data=lambda c: {"base": "8000", "effective_from": f"{current_month():%Y-%m}"}),
    Page("dues:pay", expect(302, 302, 404, 302, 403), method="post", args=lambda c: [_zhang(c)], data=pay_data),
    Page("dues:reverse", expect(302, 302, 404, 302, 403), method="post", args=lambda c: [_payment(c).pk],
         data=lambda c: {"reason": "录错"}),
    Page("dues:policy", expect(200, 200, 200, 200, 200)),
    # Only provincial (or national) admins set a rate; another province's admin is not offered Zhejiang.
    Page("dues:policy", expect(302, 302, 400, 403, 403), method="post", data=rate_data),
    Page("dues:mine", expect(403, 403, 403, 403, 403, worker=200)),
]  # fmt: skip


def _member_path(suffix):
    return lambda c: f"/dues/members/{_zhang(c)}/{suffix}"


API_CASES = [
    Case("policy", "detail", "GET", "/dues/policy", codes(200, 200, 404, 200, 200, 403, 403, 401),
         path=lambda c: f"/dues/policy?org_id={c.orgs.company.pk}"),
    Case("rate", "create", "POST", "/dues/policy/rates", codes(201, 201, 404, 404, 403, 403, 403, 401),
         body=lambda c, who: {"org_id": c.orgs.zhejiang.pk, "rate_percent": "0.4",
                              "effective_from": f"{current_month():%Y-%m}"}),
    Case("wage base", "update", "POST", "/dues/members/{person_id}/wage-base",
         codes(200, 200, 404, 200, 403, 403, 403, 401), path=_member_path("wage-base"),
         body=lambda c, who: {"base": "8000", "effective_from": f"{current_month():%Y-%m}"}),
    Case("wage bases", "update", "POST", "/dues/orgs/{org_id}/wage-bases",
         codes(200, 200, 404, 200, 403, 403, 403, 401), path=lambda c: f"/dues/orgs/{c.orgs.company.pk}/wage-bases",
         body=lambda c, who: {"effective_from": f"{current_month():%Y-%m}",
                              "items": [{"person_id": _zhang(c), "base": "6000"}]}),
    Case("payments", "list", "GET", "/dues/members/{person_id}/payments",
         codes(200, 200, 404, 200, 200, 403, 403, 401), path=_member_path("payments")),
    Case("payment", "create", "POST", "/dues/members/{person_id}/payments",
         codes(201, 201, 404, 201, 403, 403, 403, 401), path=_member_path("payments"),
         body=lambda c, who: _based(c) and {"month": _last_month(), "method": "cash"}),
    Case("reverse", "update", "POST", "/dues/payments/{payment_id}/reverse",
         codes(200, 200, 404, 200, 403, 403, 403, 401), path=lambda c: f"/dues/payments/{_payment(c).pk}/reverse",
         body=lambda c, who: _payment(c) and {"reason": "录错"}),
    Case("batch", "create", "POST", "/dues/orgs/{org_id}/payments", codes(200, 200, 404, 200, 403, 403, 403, 401),
         path=lambda c: f"/dues/orgs/{c.orgs.company.pk}/payments",
         body=lambda c, who: _based(c) and {"month": _last_month()}),
    Case("member arrears", "detail", "GET", "/dues/members/{person_id}/arrears",
         codes(200, 200, 404, 200, 200, 403, 403, 401), path=_member_path("arrears")),
    Case("org arrears", "detail", "GET", "/dues/orgs/{org_id}/arrears", codes(200, 200, 404, 200, 200, 403, 403, 401),
         path=lambda c: f"/dues/orgs/{c.orgs.company.pk}/arrears?month={_last_month()}"),
    Case("statement", "detail", "GET", "/dues/members/{person_id}/statement",
         codes(200, 200, 404, 200, 200, 403, 403, 401), path=_member_path("statement?year=2026")),
    Case("my statement", "detail", "GET", "/dues/mine/statement", codes(403, 403, 403, 403, 403, 200, 403, 401)),
]  # fmt: skip


def snapshot():
    """What a refused write must leave unchanged."""
    return (
        list(WageBase.objects.order_by("pk").values_list("person_id", "effective_from", "base_enc")),
        list(DuesPayment.objects.order_by("pk").values_list("pk", "is_reversed")),
        list(DuesRate.objects.order_by("pk").values_list("province_code", "rate")),
    )


@pytest.fixture
def api(cast):
    client = ApiClient()
    yield client
    client.assert_no_personal_data()


test_api_permissions = api_tests(API_CASES, snapshot)


def probe_targets(cast) -> dict:
    """For the scope probe (gonghui/core/tests/test_scope_probe.py): a payment id only."""
    return {"payment_id": 1}
