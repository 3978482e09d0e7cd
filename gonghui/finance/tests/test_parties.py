"""往来工会 on manual entries: a line on 131/132/211/212 names the union on the other side, in the right
direction, so the consolidated report eliminates it; the union picker on the manual entry, collection and
asset forms."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from gonghui.finance import reports, services
from gonghui.finance.models import Line
from gonghui.finance.services import LineIn

DAY = dt.date(2026, 3, 5)


def test_inter_level_lines_name_the_other_union(cast):
    company, xihu = cast.orgs.company, cast.orgs.xihu
    with pytest.raises(ValidationError, match="请选择往来工会"):
        services.entry_post(actor=None, org=company, date=DAY, memo="应付上级经费",
                            lines=[LineIn("50101", debit_fen=100), LineIn("211", credit_fen=100)])  # fmt: skip
    with pytest.raises(ValidationError, match="应是杭州示例科技有限公司工会的上级工会"):
        services.entry_post(actor=None, org=company, date=DAY, memo="应付上级经费",
                            lines=[LineIn("50101", debit_fen=100),
                                   LineIn("211", credit_fen=100, party=cast.orgs.logistics)])  # fmt: skip
    with pytest.raises(ValidationError, match="应是杭州市西湖区总工会的下级工会"):
        services.entry_post(actor=None, org=xihu, date=DAY, memo="应收下级经费",
                            lines=[LineIn("132", debit_fen=100, party=cast.orgs.hangzhou),
                                   LineIn("402", credit_fen=100)])  # fmt: skip
    with pytest.raises(ValidationError, match="不需要往来工会"):
        services.entry_post(actor=None, org=company, date=DAY, memo="购书",
                            lines=[LineIn("50101", debit_fen=100, party=xihu),
                                   LineIn("102", credit_fen=100)])  # fmt: skip
    services.entry_post(actor=None, org=company, date=DAY, memo="补记应缴上级经费",
                        lines=[LineIn("50101", debit_fen=100), LineIn("211", credit_fen=100, party=xihu)])  # fmt: skip
    services.entry_post(actor=None, org=xihu, date=DAY, memo="补记应收下级经费",
                        lines=[LineIn("132", debit_fen=100, party=company), LineIn("402", credit_fen=100)])  # fmt: skip
    sheet = {text: values for text, values, _ in reports.balance_sheet(xihu, dt.date(2026, 3, 1), subtree=True).rows}
    alone = {text: values for text, values, _ in reports.balance_sheet(xihu, dt.date(2026, 3, 1)).rows}
    assert alone["资产合计"][1] == 100 and sheet["资产合计"][1] == 0  # the pair inside the subtree is eliminated


def test_manual_entry_form_has_the_picker_and_the_party(client, cast):
    client.force_login(cast.users.grassroots_admin)
    company = cast.orgs.company
    page = client.get(f"{reverse('finance:entry_new')}?org={company.pk}").content.decode()
    assert "gh-org-picker" in page and "往来工会" in page and cast.orgs.xihu.name in page
    for name in ("finance:collection_new", "finance:asset_new"):
        assert "gh-org-picker" in client.get(f"{reverse(name)}?org={company.pk}").content.decode()
    form = {"org": company.pk, "date": "2026-03-05", "memo": "补记应缴上级经费", "l-TOTAL_FORMS": 2,
            "l-INITIAL_FORMS": 0, "l-0-code": "50101", "l-0-debit": "1", "l-1-code": "211",
            "l-1-credit": "1"}  # fmt: skip
    response = client.post(reverse("finance:entry_new"), form)
    assert response.status_code == 400 and "请选择往来工会" in response.content.decode()
    response = client.post(reverse("finance:entry_new"), form | {"l-1-party": cast.orgs.xihu.pk})
    assert response.status_code == 302
    assert Line.objects.get(code="211").party == cast.orgs.xihu
    response = client.post(reverse("finance:entry_new"), form | {"l-1-party": cast.orgs.logistics.pk})
    assert response.status_code == 400  # not among the unions offered


def test_api_entry_names_the_party(cast):
    from gonghui.testing.api import ApiClient

    api = ApiClient()
    lines = [{"code": "50101", "debit_fen": 100}, {"code": "211", "credit_fen": 100}]
    body = {"org_id": cast.orgs.company.pk, "date": "2026-03-05", "memo": "补记应缴上级经费", "lines": lines}
    refused = api.post("/api/v1/finance/entries", cast.users.grassroots_admin, body)
    assert refused.status_code == 400 and "请选择往来工会" in refused.json()["detail"]
    lines[1]["party_id"] = 10**9
    assert "往来工会不存在" in api.post("/api/v1/finance/entries", cast.users.grassroots_admin, body).json()["detail"]
    lines[1]["party_id"] = cast.orgs.xihu.pk
    assert api.post("/api/v1/finance/entries", cast.users.grassroots_admin, body).status_code == 201
    assert Line.objects.get(code="211").party == cast.orgs.xihu
