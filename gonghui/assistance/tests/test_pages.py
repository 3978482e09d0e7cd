"""The hardship pages: a cadre files a household and sees the means test with its rule; personal data is
masked until unmasked (audited); the worker's self-check and own status; the list and its export."""

import datetime as dt

import pytest
from django.urls import reverse

from gonghui.assistance import services
from gonghui.assistance.selectors import files_visible_to
from gonghui.assistance.tests.conftest import allowances, household, make_file
from gonghui.assistance.tests.test_permissions import _new
from gonghui.assistance.tests.test_services import test_duplicate_household_across_provinces
from gonghui.core import crypto
from gonghui.core.models import AuditEvent
from gonghui.privacy.services import personal_data_of
from gonghui.testing import pii_guard


def test_cadre_files_a_household_through_the_form(cast, client):
    allowances()
    client.force_login(cast.users.grassroots_admin)
    response = client.post(reverse("assistance:new"), _new(cast))
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    # 12 × 900 ÷ 12 ÷ 2 = 450.00 < 1000.
    assert "450.00 元" in page and "深度困难" in page and "低于当地低保标准 1000.00 元" in page
    assert "待上级审核" in page and "困难职工建档：待上级审核" in page and "因病" in page


def test_the_form_refuses_without_consent_and_keeps_nothing(cast, client):
    allowances()
    client.force_login(cast.users.grassroots_admin)
    response = client.post(reverse("assistance:new"), _new(cast) | {"consent": ""})
    assert response.status_code == 400 and "单独同意" in response.content.decode()


def test_household_is_masked_until_unmasked_and_that_is_audited(cast, client):
    file = make_file(cast)
    client.force_login(cast.users.grassroots_admin)
    page = client.get(reverse("assistance:detail", args=[file.pk])).content.decode()
    assert "尿毒症" not in page and "6222 **** 0123" in page
    full = client.post(reverse("assistance:unmask", args=[file.pk])).content.decode()
    assert "尿毒症，透析" in full and "6222021234567890123" in full
    assert AuditEvent.objects.filter(action="assistance.file_unmask", actor=cast.users.grassroots_admin).exists()


def test_duplicate_shown_without_the_other_unions_data(cast, client):
    test_duplicate_household_across_provinces(cast)
    jiangsu = cast.users.sibling_admin
    client.force_login(jiangsu)
    page = client.get(reverse("assistance:detail", args=[files_visible_to(jiangsu).get().pk])).content.decode()
    assert "在其他工会有困难档案" in page and "张伟" not in page and "西湖" not in page


def test_worker_self_check_on_the_phone(cast, client):
    allowances()
    client.force_login(cast.users.worker)
    assert 'value="330106"' in client.get(reverse("assistance:self_check")).content.decode()  # their union's county
    likely = client.post(reverse("assistance:self_check"), {"household_size": 3, "monthly_income": "2400",
                         "region_code": "330106", "main_cause": "illness"}).content.decode()  # fmt: skip
    # 2400 ÷ 3 = 800.00 < 1000.
    assert "可能符合“深度困难”" in likely and "医院诊断证明" in likely and "800.00 元低于当地低保标准" in likely
    unlikely = client.post(reverse("assistance:self_check"), {"household_size": 1, "monthly_income": "5000",
                           "region_code": "330106", "main_cause": "other", "is_migrant": "on",
                           "city_years": "0.5"}).content.decode()  # fmt: skip
    assert "暂不符合" in unlikely


def test_worker_sees_their_own_file(cast, client):
    make_file(cast)
    client.force_login(cast.users.worker)
    page = client.get(reverse("assistance:mine")).content.decode()
    assert "待上级审核" in page and "深度困难" in page


def test_list_and_export(cast, client):
    make_file(cast)
    client.force_login(cast.users.province_admin)
    page = client.get(reverse("assistance:list") + "?category=deep").content.decode()
    assert "张伟" in page and "导出" in page
    assert "张伟" not in client.get(reverse("assistance:list") + "?category=relative").content.decode()


def test_household_in_the_members_copy(cast):
    file = make_file(cast)
    with pii_guard.paused():
        copy = personal_data_of(cast.members.zhang.person)["困难帮扶档案"]
    assert copy[0]["困难类别"] == "深度困难" and copy[0]["帮扶账户"] == "6222021234567890123"
    assert {m["姓名"] for m in copy[0]["家庭成员"]} == {"张伟", "刘梅", "张小明"}
    assert copy[0]["家庭成员"][1]["健康状况"] == crypto.decrypt(file.household.get(name="刘梅").health_enc)


def test_report_by_category_region_and_paid(cast, client):
    from gonghui.assistance.tests.test_permissions import approved_file

    file = approved_file(cast)
    services.aid_pay(actor=cast.users.grassroots_admin, file=file, kind="winter", period="2026", amount="800",
                     fund_source="送温暖专项资金", paid_on=dt.date(2026, 1, 20), received_by="张伟")  # fmt: skip
    client.force_login(cast.users.province_admin)
    page = client.get(reverse("assistance:report")).content.decode()
    assert [w for w in ("深度困难", "西湖区", "已建档", "送温暖", "800.00") if w not in page] == []
    # By union, one level down at a time: 浙江 → 杭州市 → … → the company's union.
    assert f'href="?org={cast.orgs.hangzhou.pk}">杭州市总工会' in page
    below = client.get(reverse("assistance:report") + f"?org={cast.orgs.xihu.pk}").content.decode()
    assert f'href="?org={cast.orgs.company.pk}">杭州示例科技有限公司工会' in below
    client.force_login(cast.users.sibling_admin)
    assert "深度困难" not in client.get(reverse("assistance:report")).content.decode()


def test_list_queries_do_not_grow_with_the_files(cast, client, django_assert_max_num_queries):
    make_file(cast)
    client.force_login(cast.users.province_admin)
    client.get(reverse("assistance:list"))
    with django_assert_max_num_queries(12) as one:
        client.get(reverse("assistance:list"))
    make_file(cast, person=cast.members.li.person, members=household("330106199208150026"))
    with django_assert_max_num_queries(len(one.captured_queries)):
        client.get(reverse("assistance:list"))


def test_edit_form_shows_the_saved_file_saves_and_refuses_a_stale_version(cast, client):
    from gonghui.assistance.tests.test_permissions import _edit, hardship_file

    file = hardship_file(cast)
    client.force_login(cast.users.grassroots_admin)
    url = reverse("assistance:edit", args=[file.pk])
    with pii_guard.paused():
        form = client.get(url).content.decode()
    # The saved values, decrypted, and the opening of the form audited as an unmasking.
    assert "尿毒症，透析" in form and "6222021234567890123" in form and 'name="version" value="1"' in form
    assert AuditEvent.objects.filter(action="assistance.file_unmask", detail={"for": "edit"}).exists()
    stale = _edit(cast)
    response = client.post(url, stale | {"m-0-monthly_income": "1300"})
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    # 12 × 1300 ÷ 12 ÷ 2 = 650.00: recomputed, and the child left out.
    assert "已保存" in page and "650.00 元" in page and "张小明" not in page
    again = client.post(url, stale | {"m-0-monthly_income": "1700"})
    body = again.content.decode()
    assert again.status_code == 409 and "已被他人修改并保存" in body and 'value="1700' in body
    file.refresh_from_db()
    assert file.version == 2


def test_edit_with_a_bad_id_number_keeps_what_was_entered(cast, client):
    from gonghui.assistance.tests.test_permissions import _edit, hardship_file

    file = hardship_file(cast)
    client.force_login(cast.users.grassroots_admin)
    form = _edit(cast) | {"m-TOTAL_FORMS": 3, "m-2-relation": "parent", "m-2-name": "张父", "m-2-id_number": "123"}
    response = client.post(reverse("assistance:edit", args=[file.pk]), form)
    assert response.status_code == 400 and "张父" in response.content.decode()
    assert file.household.count() == 3 and not file.household.filter(name="张父").exists()


def test_worker_applies_on_the_phone_and_follows_the_status(cast, client):
    from gonghui.assistance.tests.test_permissions import _apply

    allowances()
    client.force_login(cast.users.worker)
    page = client.get(reverse("assistance:apply")).content.decode()
    assert "杭州示例科技有限公司工会" in page and 'value="330106"' in page and "单独同意" in page
    refused = client.post(reverse("assistance:apply"), _apply(cast) | {"consent": ""})
    assert refused.status_code == 400 and "单独同意" in refused.content.decode()
    response = client.post(reverse("assistance:apply"), _apply(cast))
    assert response.status_code == 302 and response["Location"] == reverse("assistance:mine")
    mine = client.get(response["Location"]).content.decode()
    # 12 × 900 ÷ 12 ÷ 2 = 450.00: 深度困难; the checklist of what to bring.
    assert "已提交申请" in mine and "待上级审核" in mine and "深度困难" in mine and "家庭成员收入证明" in mine
    assert "您已有困难职工档案" in client.get(reverse("assistance:apply")).content.decode()
    # The union sees it as a submitted file with the household.
    client.force_login(cast.users.grassroots_admin)
    listing = client.get(reverse("assistance:list") + "?status=submitted").content.decode()
    assert "张伟" in listing and "职工本人申请" in listing and "待上级审核" in listing


def test_documents_upload_on_the_file_page_and_downloads_are_audited(cast, client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from gonghui.cases.tests.support import PDF

    file = make_file(cast)
    client.force_login(cast.users.grassroots_admin)
    url = reverse("assistance:attach", args=[file.pk])
    bad = client.post(url, {"document": "income", "file": SimpleUploadedFile("x.pdf", b"MZ\x90\x00")}, follow=True)
    assert "PDF" in bad.content.decode() and not file.case.attachments.exists()
    client.post(url, {"document": "income", "file": SimpleUploadedFile("收入证明.pdf", PDF)})
    attachment = file.case.attachments.get()
    page = client.get(reverse("assistance:detail", args=[file.pk])).content.decode()
    assert "收入证明.pdf" in page and "✓</span> 家庭成员收入证明" in page
    download = client.get(reverse("cases:attachment", args=[attachment.pk]))
    assert b"".join(download.streaming_content) == PDF
    assert AuditEvent.objects.filter(action="case.attachment_download", actor=cast.users.grassroots_admin).exists()
    client.force_login(cast.users.sibling_admin)
    assert client.get(reverse("cases:attachment", args=[attachment.pk])).status_code == 404


def test_allowance_page_lists_inheritance_and_adds_a_year(cast, client):
    allowances()
    client.force_login(cast.users.province_admin)
    page = client.get(reverse("assistance:allowances") + "?year=2026").content.decode()
    assert "浙江省" in page and "1000.00" in page and "沿用浙江省" in page  # 杭州市 inherits
    response = client.post(reverse("assistance:allowances"), {"region_code": "3301", "year": 2027, "monthly": "1100"})
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "1100.00" in page and "本地区设置" in page and "浙江省总管理员" in page
    event = AuditEvent.objects.get(action="assistance.allowance_set")
    assert event.detail == {"region": "3301", "year": 2027, "monthly": "1100.00", "before": None}
    bad = client.post(reverse("assistance:allowances"), {"region_code": "3301", "year": 2027, "monthly": "-1"})
    assert bad.status_code == 400


def test_report_exports_xlsx_for_a_subtree(cast, client):
    import io

    from openpyxl import load_workbook

    from gonghui.assistance.tests.test_permissions import approved_file

    file = approved_file(cast)
    services.aid_pay(actor=cast.users.grassroots_admin, file=file, kind="winter", period="2026", amount="800",
                     fund_source="送温暖专项资金", paid_on=dt.date(2026, 1, 20), received_by="张伟")  # fmt: skip
    client.force_login(cast.users.province_admin)
    response = client.get(reverse("assistance:report_export") + f"?org={cast.orgs.xihu.pk}")
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["按年度和困难类别", "按年度、地区和状态", "帮扶资金发放", "按工会"]
    assert list(book["按工会"].values)[1] == ("杭州示例科技有限公司工会", 1, 1)
    assert list(book["按年度和困难类别"].values)[1] == (2026, "深度困难", 1)
    assert list(book["按年度、地区和状态"].values)[1] == (2026, "西湖区", "已建档", 1)
    assert list(book["帮扶资金发放"].values)[1] == (2026, "送温暖", 1, 800)
    assert AuditEvent.objects.filter(action="assistance.report_export", org=cast.orgs.xihu).exists()
    client.force_login(cast.users.sibling_admin)
    empty = load_workbook(io.BytesIO(client.get(reverse("assistance:report_export")).content))
    assert [len(list(sheet.values)) for sheet in empty] == [1, 1, 1, 1]


def test_the_file_page_offers_only_the_steps_the_reader_may_take(cast, client):
    file = make_file(cast)  # 待上级审核: the upper union reviews, the grassroots union may not
    client.force_login(cast.users.grassroots_admin)
    page = client.get(reverse("assistance:detail", args=[file.pk])).content.decode()
    assert "审核通过并公示" not in page and "不予建档" not in page
    client.force_login(cast.users.province_admin)
    page = client.get(reverse("assistance:detail", args=[file.pk])).content.decode()
    assert "审核通过并公示" in page and "不予建档" in page


def test_aid_is_booked_in_the_unions_ledger_and_shown_against_its_budget(cast, client):
    from django.core.exceptions import ValidationError
    from django.utils import timezone

    from gonghui.assistance.models import AidPayment
    from gonghui.assistance.tests.test_permissions import approved_file
    from gonghui.finance.services import budget_set, period_close

    file, cadre, today = approved_file(cast), cast.users.grassroots_admin, timezone.localdate()
    budget_set(actor=cadre, org=cast.orgs.company, year=today.year, code="50404", amount_fen=100_000)
    payment = services.aid_pay(actor=cadre, file=file, kind="medical", period=str(today.year), amount="900",
                               fund_source="帮扶专项资金", paid_on=today, received_by="张伟")  # fmt: skip
    lines = sorted((x.code, x.debit_fen, x.credit_fen) for x in payment.entry.lines.all())
    assert lines == [("102", 0, 90_000), ("50404", 90_000, 0)] and payment.entry.source == "aid"
    assert "张伟" not in payment.entry.memo and f"困难职工档案 {file.pk}" in payment.entry.memo
    client.force_login(cadre)
    page = client.get(reverse("assistance:report") + f"?org={cast.orgs.company.pk}").content.decode()
    budget = page[page.index('id="aid-budget"') :]
    assert "50404 困难职工帮扶支出" in budget and "1,000.00" in budget and "900.00" in budget and "90.0%" in budget
    # A closed month takes no aid: refused, and neither the payment nor an entry is written.
    last_month = today.replace(day=1) - dt.timedelta(days=1)
    period_close(actor=cadre, org=cast.orgs.company, month=last_month)
    with pytest.raises(ValidationError, match="已结账"):
        services.aid_pay(actor=cadre, file=file, kind="living", period=str(today.year), amount="500",
                         fund_source="帮扶专项资金", paid_on=last_month, received_by="张伟")  # fmt: skip
    assert AidPayment.objects.filter(file=file).count() == 1
