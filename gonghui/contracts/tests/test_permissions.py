"""Every page and API operation of collective contracts × every member of the cast (see gonghui.testing.matrix).

The contract is the company union's (浙江): Jiangsu does not see it (404), the read-only role reads it but gets
403 on every step, workers and the platform's security admin have no cadre grant (403)."""

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from gonghui.contracts import services
from gonghui.contracts.models import Contract, ContractStep
from gonghui.contracts.tests.conftest import FIELDS, make_contract
from gonghui.testing.api import ApiClient
from gonghui.testing.matrix import Case, Page, api_tests, codes, expect

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
WRITE = expect(302, 302, 404, 302, 403)
READ = expect(200, 200, 404, 200, 200)


def adopted(cast) -> Contract:
    if not hasattr(cast, "contract"):
        cast.contract = make_contract(cast, until="adopted")
    return cast.contract


def with_text(cast) -> Contract:
    contract = adopted(cast)
    if not contract.text_file:
        services.text_attach(actor=None, contract=contract, file=io.BytesIO(PDF), file_name="合同文本.pdf")
        contract.refresh_from_db()
    return contract


def _new_form(cast):
    return {"org": cast.orgs.company.pk, "employers_covered": 1, **FIELDS}


def _sign(cast):
    adopted(cast)
    return {"signed_on": f"{timezone.localdate() - dt.timedelta(days=1):%Y-%m-%d}"}


PAGES: list = [
    Page("contracts:list", expect(200, 200, 200, 200, 200)),
    Page("contracts:new", expect(200, 200, 200, 200, 200)),
    Page("contracts:new", expect(302, 302, 400, 302, 400), method="post", data=_new_form),
    Page("contracts:coverage", expect(200, 200, 200, 200, 200)),
    Page("contracts:detail", READ, args=lambda c: [adopted(c).pk]),
    Page("contracts:step", WRITE, method="post", args=lambda c: [adopted(c).pk, "sign"], data=_sign),
    Page(
        "contracts:text",
        WRITE,
        method="post",
        args=lambda c: [adopted(c).pk],
        data=lambda c: {"file": SimpleUploadedFile("合同文本.pdf", PDF)},
    ),
    Page("contracts:text_download", READ, args=lambda c: [with_text(c).pk]),
]


def _create_body(cast, caller):
    return {"org_id": cast.orgs.company.pk, **FIELDS}


API_CASES: list = [
    Case("contracts", "list", "GET", "/contracts", codes(200, 200, 200, 200, 200, 403, 403, 401)),
    Case("coverage", "detail", "GET", "/contracts/coverage", codes(200, 200, 200, 200, 200, 403, 403, 401)),
    Case(
        "contract",
        "detail",
        "GET",
        "/contracts/{contract_id}",
        codes(200, 200, 404, 200, 200, 403, 403, 401),
        path=lambda c: f"/contracts/{adopted(c).pk}",
    ),
    Case("create", "create", "POST", "/contracts", codes(201, 201, 404, 201, 403, 403, 403, 401), body=_create_body),
]


def snapshot():
    return (
        list(Contract.objects.order_by("pk").values_list("pk", "status", "version", "text_file")),
        list(ContractStep.objects.order_by("pk").values_list("pk", "to_status")),
    )


@pytest.fixture
def api(cast):
    client = ApiClient()
    yield client
    client.assert_no_personal_data()


test_api_permissions = api_tests(API_CASES, snapshot)


def probe_targets(cast) -> dict:
    """浙江's contract for the scope probe (gonghui/core/tests/test_scope_probe.py)."""
    return {"contract_id": make_contract(cast).pk}
