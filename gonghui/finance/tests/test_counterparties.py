"""往来单位余额 through the page and the export: the union's receivables and payables per other union or unit at a
month's end, from the monthly balances; another province's cadre is refused the page and the export."""

import datetime as dt
import io

from django.urls import reverse
from openpyxl import load_workbook

from gonghui.core.models import AuditEvent, ExportJob
from gonghui.core.tasks import export_task
from gonghui.finance import services
from gonghui.finance.services import LineIn
from gonghui.finance.tests.conftest import collected


def books(cast):
    """杭州示例科技: its 2% funds collected in April (the split leaves 211 owed to 西湖区, direct route), a
    deposit paid to a supplier (135) in March and half of it back in April, a loan from 西湖区 on 215."""
    o = cast.orgs
    collected(cast)
    post = services.entry_post
    post(
        actor=None,
        org=o.company,
        date=dt.date(2026, 3, 5),
        memo="场地押金",
        lines=[LineIn("135", debit_fen=300_000, counterparty="杭州某体育馆"), LineIn("102", credit_fen=300_000)],
    )
    post(
        actor=None,
        org=o.company,
        date=dt.date(2026, 4, 5),
        memo="押金退回一半",
        lines=[LineIn("102", debit_fen=150_000), LineIn("135", credit_fen=150_000, counterparty="杭州某体育馆")],
    )
    post(
        actor=None,
        org=o.company,
        date=dt.date(2026, 4, 6),
        memo="向西湖区借款",
        lines=[LineIn("102", debit_fen=80_000), LineIn("215", credit_fen=80_000, party=o.xihu)],
    )


def test_the_page_lists_balances_per_other_side_and_month(client, cast):
    books(cast)
    client.force_login(cast.users.grassroots_admin)
    url = reverse("finance:counterparties")

    def listed(**query):  # the list alone, as the filters fetch it
        return client.get(url, query, headers={"HX-Request": "true"}).content.decode()

    page = listed()  # the user's own union by default
    assert "杭州某体育馆" in page and "借 ¥1,500.00" in page and "135 其他应收款" in page
    assert "杭州市西湖区总工会" in page and "贷 ¥800.00" in page and "215 其他应付款" in page
    assert "211 应付上级经费" in page  # the split's share owed upwards, named by the collection
    march = listed(until="2026-03-20")
    assert "借 ¥3,000.00" in march and "贷 ¥800.00" not in march and "211 应付上级经费" not in march
    only = listed(code="215")
    assert "杭州市西湖区总工会" in only and "杭州某体育馆" not in only
    assert 'href="/finance/counterparties/?org=' in client.get(reverse("finance:home")).content.decode()


def test_the_export_has_the_same_rows(client, cast):
    books(cast)
    client.force_login(cast.users.province_admin)
    response = client.post(reverse("exports:list"), {"list": "finance.counterparties", "org": cast.orgs.company.pk,
                                                      "code": "135"})  # fmt: skip
    assert response.status_code in {200, 302}
    job = ExportJob.objects.get()
    export_task.call(job.pk)
    response = client.get(reverse("exports:download", args=[job.pk]))
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = [list(r) for r in book.active.iter_rows(values_only=True)]
    assert rows[0][:3] == ["科目编号", "科目名称", "往来方"]
    assert rows[1:] == [["135", "其他应收款", "杭州某体育馆", "单位", 3000, 1500, "借", 1500]]
    assert AuditEvent.objects.filter(action="finance.counterparties.export").exists()


def test_another_provinces_cadre_is_refused_page_and_export(client, cast):
    books(cast)
    client.force_login(cast.users.sibling_admin)
    company = cast.orgs.company.pk
    assert client.get(reverse("finance:counterparties"), {"org": company}).status_code == 404
    response = client.post(reverse("exports:list"), {"list": "finance.counterparties", "org": company})
    assert response.status_code == 404 and not ExportJob.objects.exists()
    own = client.get(reverse("finance:counterparties")).content.decode()  # their own union: nothing of Zhejiang's
    assert "杭州某体育馆" not in own and "没有未结清的往来款项" in own
