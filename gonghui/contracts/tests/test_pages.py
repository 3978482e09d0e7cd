"""The cadre's pages through the Django test client and the API through gonghui.testing.api: recording a
contract step by step, errors shown in Chinese with nothing saved, the list with its filters and export, the
coverage page, and the API's list, detail, create and coverage."""

import datetime as dt
import io
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from gonghui.contracts.models import Contract, Status
from gonghui.contracts.tests.conftest import FIELDS, make_contract
from gonghui.core.models import AuditEvent, ExportJob
from gonghui.core.tasks import export_task
from gonghui.testing.api import ApiClient


def day(n: int) -> str:
    return f"{timezone.localdate() + dt.timedelta(days=n):%Y-%m-%d}"


@pytest.fixture
def api(cast):
    client = ApiClient()
    yield client
    client.assert_no_personal_data()


def test_a_cadre_records_a_contract_through_its_steps(client, cast):
    client.force_login(cast.users.grassroots_admin)
    form = {"org": cast.orgs.company.pk, "employers_covered": 1, **FIELDS, "kind": "wage"}
    body = client.post(reverse("contracts:new"), form).content.decode()
    assert "须写明约定的工资增长幅度" in body and Contract.objects.count() == 0
    response = client.post(reverse("contracts:new"), form | {"wage_increase_pct": "5.5", "minimum_wage": "2490"})
    contract = Contract.objects.get()
    assert response.status_code == 302 and contract.wage_increase_pct == Decimal("5.5")
    step = lambda name, data: client.post(reverse("contracts:step", args=[contract.pk, name]), data)  # noqa: E731
    vote = {
        "adopted_by": "congress",
        "adopted_on": day(-30),
        "voters_total": 90,
        "voters_present": 59,
        "votes_for": 59,
        "votes_against": 0,
        "votes_abstain": 0,
    }
    refused = step("adopt", vote)
    assert refused.status_code == 400 and "不足应到 90 人的三分之二" in refused.content.decode()
    assert step("sign", {"signed_on": day(-1)}).status_code == 400  # not adopted yet
    assert step("adopt", vote | {"voters_present": 70, "votes_for": 60}).status_code == 302
    assert step("sign", {"signed_on": day(-28)}).status_code == 302
    assert step("file", {"filed_on": day(-27), "filed_with": "杭州市西湖区人力资源和社会保障局"}).status_code == 302
    contract.refresh_from_db()
    assert contract.status == Status.EFFECTIVE
    page = client.get(reverse("contracts:detail", args=[contract.pk])).content.decode()
    assert "生效" in page and "审查异议期至" in page and "终止合同" in page and "5.50%" in page
    assert step("bogus", {}).status_code == 404


def test_the_list_filters_and_counts_queries(client, cast, django_assert_max_num_queries):
    make_contract(cast, until="signed", signed_on=timezone.localdate() - dt.timedelta(days=30))
    for _ in range(3):
        make_contract(cast, kind="safety")
    client.force_login(cast.users.province_admin)
    with django_assert_max_num_queries(12):
        body = client.get(reverse("contracts:list")).content.decode()
    assert len(re.findall(r'href="/contracts/\d+/"', body)) == 4
    overdue = client.get(reverse("contracts:list"), {"status": "filing_overdue"}).content.decode()
    assert (
        len(re.findall(r'href="/contracts/\d+/"', overdue)) == 1
        and 'class="badge text-bg-warning">逾期未报送' in overdue
    )
    client.force_login(cast.users.sibling_admin)
    assert "没有符合条件的集体合同" in client.get(reverse("contracts:list")).content.decode()


def test_the_list_exports(client, cast):
    make_contract(cast, until="signed", signed_on=timezone.localdate() - dt.timedelta(days=30))
    make_contract(cast, kind="safety")
    client.force_login(cast.users.province_admin)
    client.post(reverse("exports:list"), {"list": "contracts.contracts", "status": "filing_overdue"})
    job = ExportJob.objects.get()
    export_task.call(job.pk)
    response = client.get(reverse("exports:download", args=[job.pk]))
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = [list(r) for r in book.active.iter_rows(values_only=True)]
    assert rows[0][:2] == ["合同名称", "种类"] and len(rows) == 2 and rows[1][8] == "已签订待报送"
    assert AuditEvent.objects.filter(action="contracts.contracts.export").exists()


def test_the_coverage_page_drills_down(client, cast):
    make_contract(cast, until="filed", signed_on=timezone.localdate() - dt.timedelta(days=60), workers_covered=321)
    client.force_login(cast.users.national_admin)
    top = client.get(reverse("contracts:coverage")).content.decode()
    assert "中华全国总工会" in top and "浙江省总工会" in top and 'data-figure="workers">321<' in top
    down = client.get(reverse("contracts:coverage"), {"org": cast.orgs.jiangsu.pk}).content.decode()
    assert 'data-figure="workers">0<' in down
    client.force_login(cast.users.sibling_admin)
    assert client.get(reverse("contracts:coverage"), {"org": cast.orgs.zhejiang.pk}).status_code == 404
    assert client.get(reverse("contracts:coverage"), {"org": "x"}).status_code == 404


def test_the_api_creates_and_reads_in_scope(api, cast):
    body = {"org_id": cast.orgs.company.pk, **FIELDS, "term_years": 5}
    refused = api.post("/api/v1/contracts", cast.users.grassroots_admin, body)
    assert refused.status_code == 400 and "1 至 3 年" in refused.json()["detail"]
    created = api.post("/api/v1/contracts", cast.users.grassroots_admin, body | {"term_years": 2})
    assert created.status_code == 201 and created.json()["status"] == "drafted"
    pk = created.json()["id"]
    assert api.get(f"/api/v1/contracts/{pk}", cast.users.province_admin).json()["union_rep"] == "陈建国（工会主席）"
    assert api.get(f"/api/v1/contracts/{pk}", cast.users.sibling_admin).status_code == 404
    listed = api.get("/api/v1/contracts?kind=comprehensive", cast.users.national_admin).json()
    assert [row["id"] for row in listed["items"]] == [pk]
    renewal = api.post("/api/v1/contracts", cast.users.grassroots_admin, body | {"term_years": 3, "renews_id": pk})
    assert renewal.status_code == 400 and "生效中或期满未续订" in renewal.json()["detail"]
    make_contract(cast, until="filed", signed_on=timezone.localdate() - dt.timedelta(days=60), workers_covered=77)
    cov = api.get(f"/api/v1/contracts/coverage?org_id={cast.orgs.hangzhou.pk}", cast.users.province_admin).json()
    assert cov["org_name"] == "杭州市总工会" and cov["total"]["workers"] == 77 and len(cov["kinds"]) == 4
