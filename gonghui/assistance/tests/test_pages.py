"""The hardship pages: a cadre files a household and sees the means test with its rule; personal data is
masked until unmasked (audited); the worker's self-check and own status; the list and its export."""

import datetime as dt

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
