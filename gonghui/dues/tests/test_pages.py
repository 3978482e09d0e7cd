"""The dues pages through the Django test client: what people see, bounded queries, Chinese errors."""

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from gonghui.dues.models import DuesPayment, WageBase
from gonghui.dues.tests.support import months_ago, set_base
from gonghui.members.services import member_create
from gonghui.testing.cast import valid_id


def _org_page(client, cast, month):
    return client.get(reverse("dues:org") + f"?org={cast.orgs.company.pk}&month={month:%Y-%m}")


def _queries(client, cast, month) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert _org_page(client, cast, month).status_code == 200
    return len(queries)


def test_org_page_queries_do_not_grow_with_members(client, cast):
    client.force_login(cast.users.grassroots_admin)
    set_base(cast, cast.members.zhang)
    month = months_ago(1)
    _org_page(client, cast, month)  # warm the session and the cached policy rows
    few = _queries(client, cast, month)
    for i in range(15):
        m = member_create(actor=None, org=cast.orgs.company, name=f"会员{i}",
                          id_number=valid_id(f"33010619900101{i:02d}1"), joined_on=dt.date(2021, 1, 1))  # fmt: skip
        set_base(cast, m, str(4000 + i * 100))
    many = _queries(client, cast, month)
    assert many == few
    assert many <= 20


def test_org_page_shows_due_paid_and_arrears(client, cast):
    client.force_login(cast.users.grassroots_admin)
    set_base(cast, cast.members.zhang)
    response = _org_page(client, cast, months_ago(1))
    text = response.content.decode()
    assert "张伟" in text and "40.00" in text and "欠缴 3 个月，120.00 元" in text
    assert "未核定缴费基数" in text  # 李娜 has no base: shown, not silently zero
    assert "8000" not in text  # the wage base itself is never shown


def test_batch_payment_from_the_org_page(client, cast):
    client.force_login(cast.users.grassroots_admin)
    set_base(cast, cast.members.zhang)
    data = {"month": f"{months_ago(1):%Y-%m}", "method": "payroll", "paid_on": timezone.localdate().isoformat()}
    url = reverse("dues:batch", args=[cast.orgs.company.pk])
    response = client.post(url, data, follow=True)
    assert "已登记 1 人" in response.content.decode()
    response = client.post(url, data, follow=True)
    assert "已登记 0 人；已缴跳过 1 人" in response.content.decode()
    assert DuesPayment.objects.count() == 1


def test_member_page_errors_are_chinese_and_keep_the_form(client, cast):
    client.force_login(cast.users.grassroots_admin)
    url = reverse("dues:base_set", args=[cast.members.zhang.person_id])
    response = client.post(url, {"base": "八千", "effective_from": "2026-13"})
    assert response.status_code == 400
    text = response.content.decode()
    assert "月份格式应为 YYYY-MM" in text
    response = client.post(url, {"base": "-8000", "effective_from": f"{months_ago(1):%Y-%m}"})
    assert "金额不能为负数" in response.content.decode()
    assert not WageBase.objects.exists()
    set_base(cast, cast.members.zhang)
    pay = reverse("dues:pay", args=[cast.members.zhang.person_id])
    ok = {"month": f"{months_ago(1):%Y-%m}", "method": "cash", "paid_on": timezone.localdate().isoformat()}
    assert client.post(pay, ok).status_code == 302
    response = client.post(pay, ok)
    assert response.status_code == 400 and "不能重复登记" in response.content.decode()


def test_bulk_bases_refuse_all_on_one_bad_entry(client, cast):
    client.force_login(cast.users.grassroots_admin)
    url = reverse("dues:bases", args=[cast.orgs.company.pk])
    zhang, li = cast.members.zhang.person_id, cast.members.li.person_id
    month = f"{timezone.localdate():%Y-%m}"
    response = client.post(url, {"effective_from": month, f"base_{zhang}": "6000", f"base_{li}": "abc"})
    assert response.status_code == 400
    assert "李娜：请输入金额" in response.content.decode()
    assert 'value="6000"' in response.content.decode()  # what was typed is kept
    assert not WageBase.objects.exists()
    response = client.post(url, {"effective_from": month, f"base_{zhang}": "6000", f"base_{li}": "5000"})
    assert response.status_code == 302 and WageBase.objects.count() == 2


def test_worker_sees_only_their_own_statement(client, cast):
    set_base(cast, cast.members.zhang)
    client.force_login(cast.users.worker)
    response = client.get(reverse("dues:mine") + f"?year={months_ago(1).year}")
    text = response.content.decode()
    assert response.status_code == 200 and "张伟" in text and "年度会费明细" in text and "打印" in text
    assert client.get(reverse("dues:member", args=[cast.members.li.person_id])).status_code == 403
    assert f'href="{reverse("dues:mine")}"' in client.get(reverse("portal:me")).content.decode()  # the 会费 tile


def test_province_admin_sets_the_rate_on_the_policy_page(client, cast):
    client.force_login(cast.users.province_admin)
    response = client.post(reverse("dues:policy"), {"province": cast.orgs.zhejiang.pk, "rate_percent": "9",
                                                    "effective_from": "2026-01"})  # fmt: skip
    assert response.status_code == 400 and "不超过 5.00%" in response.content.decode()
    response = client.post(reverse("dues:policy"), {"province": cast.orgs.zhejiang.pk, "rate_percent": "0.4",
                                                    "effective_from": "2026-01"}, follow=True)  # fmt: skip
    assert "0.4%" in response.content.decode()


def test_the_dues_page_and_the_tree_give_the_same_member_count_and_say_what_each_counts(client, cast):
    member_create(actor=None, org=cast.orgs.company, name="新会员", id_number=valid_id("33010619900101991"))
    client.force_login(cast.users.province_admin)
    tree = client.get(reverse("orgs:detail", args=[cast.orgs.xihu.pk]))
    in_tree = next(node.subtree_members for node in tree.context["children"] if node.pk == cast.orgs.company.pk)
    dues = client.get(reverse("dues:org") + f"?org={cast.orgs.company.pk}&month={months_ago(1):%Y-%m}")
    assert dues.context["members_now"] == in_tree == 3
    text = dues.content.decode()
    assert f"当前在册会员 {in_tree} 人（含下级，与“组织架构”中的人数相同）" in text
    assert "该月计费会员" in text and "含当月退会的，当月转会的计入转入的工会，不含之后入会的" in text
