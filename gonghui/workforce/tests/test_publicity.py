"""先进典型宣传: a model worker publicised as an advanced example, entered and removed on the model worker's page
by the union that keeps them (and those above), with Chinese errors; the overview figure 先进典型宣传（全国） counts the
model workers publicised nationally in the plan period (2021-2025), each once, for the user's scope, a subtree
and per union (adding up), and the filtered model-worker list behind it."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gonghui.core import registry
from gonghui.core.models import AuditEvent
from gonghui.governance.selectors import figure_url
from gonghui.members.models import Person
from gonghui.privacy.services import personal_data_of
from gonghui.workforce import services
from gonghui.workforce.models import Publicity
from gonghui.workforce.tests.conftest import make_model_worker


def _add(worker, *, actor=None, level="national", campaign="大国工匠年度人物", on=dt.date(2024, 3, 1), link=""):
    return services.publicity_add(actor=actor, model_worker=worker, level=level, campaign=campaign, published_on=on,
                                  link=link)  # fmt: skip


def _error(call) -> str:
    with pytest.raises(ValidationError) as caught:
        call()
    return "；".join(caught.value.messages)


def _workers(cast) -> tuple:
    """张伟 kept by 浙江省总工会, 李娜 by 杭州市总工会 (below it), 王芳 by 江苏省总工会."""
    zhang = make_model_worker(cast)
    li = services.model_worker_add(actor=None, org=cast.orgs.hangzhou, person=cast.members.li.person,
                                   employer_name="杭州示例科技有限公司")  # fmt: skip
    wang = services.model_worker_add(actor=None, org=cast.orgs.jiangsu, person=cast.members.wang.person,
                                     employer_name="南京示例物流有限公司")  # fmt: skip
    return zhang, li, wang


# ----- the service ------------------------------------------------------------------------------------------------


def test_the_service_refuses_bad_entries_in_chinese(cast):
    worker = make_model_worker(cast)
    admin = cast.users.province_admin
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    assert "不能晚于今天" in _error(lambda: _add(worker, actor=admin, on=tomorrow))
    assert "请填写宣传日期" in _error(lambda: _add(worker, actor=admin, on=None))
    assert "请选择宣传层级" in _error(lambda: _add(worker, actor=admin, level="world"))
    assert "请填写宣传活动或媒体" in _error(lambda: _add(worker, actor=admin, campaign="  "))
    assert "不能超过 100 个字" in _error(lambda: _add(worker, actor=admin, campaign="宣" * 101))
    for link in ("ftp://example.com/a", "javascript:alert(1)", "www.acftu.org", "https://"):
        assert "http:// 或 https://" in _error(lambda link=link: _add(worker, actor=admin, link=link))
    assert "不能超过 300 个字符" in _error(lambda: _add(worker, actor=admin, link="https://a.cn/" + "x" * 300))
    assert not Publicity.objects.exists()

    first = _add(worker, actor=admin, link=" https://www.acftu.org/gjgj/2024 ")
    assert (first.year, first.link, first.created_by) == (2024, "https://www.acftu.org/gjgj/2024", admin)
    # the same campaign in the same year again (another day): refused; another year or another campaign: fine
    again = _error(lambda: _add(worker, actor=admin, on=dt.date(2024, 11, 5)))
    assert again == "张伟在 2024 年的“大国工匠年度人物”宣传已经登记。"
    _add(worker, actor=admin, on=dt.date(2025, 3, 1))
    _add(worker, actor=admin, campaign="最美职工", level="provincial", on=dt.date(2024, 5, 1))
    assert Publicity.objects.filter(model_worker=worker).count() == 3
    assert AuditEvent.objects.filter(action="workforce.publicity_add").count() == 3


def test_only_writers_of_the_keeping_union_enter_or_remove(cast):
    worker = make_model_worker(cast)
    with pytest.raises(PermissionDenied):
        _add(worker, actor=cast.users.readonly)
    with pytest.raises(Http404):
        _add(worker, actor=cast.users.sibling_admin)
    with pytest.raises(Http404):  # the company union is below the keeping union: it does not reach up
        _add(worker, actor=cast.users.grassroots_admin)
    row = _add(worker, actor=cast.users.national_admin)  # the unions above reach down
    with pytest.raises(Http404):
        services.publicity_remove(actor=cast.users.sibling_admin, publicity=row)
    services.publicity_remove(actor=cast.users.province_admin, publicity=row)
    assert not Publicity.objects.exists()
    event = AuditEvent.objects.get(action="workforce.publicity_remove")
    assert event.detail["campaign"] == "大国工匠年度人物" and event.detail["year"] == 2024


# ----- the pages --------------------------------------------------------------------------------------------------


def test_a_cadre_adds_sees_and_removes_publicity_on_the_model_workers_page(client, cast):
    worker = make_model_worker(cast)
    page = reverse("workforce:model_worker", args=[worker.pk])
    add = reverse("workforce:publicity_add", args=[worker.pk])
    client.force_login(cast.users.province_admin)
    body = client.get(page).content.decode()
    assert "先进典型宣传" in body and add in body

    entry = {"level": "national", "campaign": "大国工匠年度人物", "published_on": "2024-03-01",
             "link": "https://www.acftu.org/gjgj"}  # fmt: skip
    response = client.post(add, entry, follow=True)
    body = response.content.decode()
    assert response.redirect_chain[-1][0] == page + "#publicity"
    assert "已登记先进典型宣传" in body and "大国工匠年度人物" in body and 'href="https://www.acftu.org/gjgj"' in body
    row = Publicity.objects.get()
    assert (row.level, row.published_on, row.year) == ("national", dt.date(2024, 3, 1), 2024)

    # refusals are flashed in Chinese and change nothing
    future = (timezone.localdate() + dt.timedelta(days=3)).isoformat()
    body = client.post(add, entry | {"published_on": future, "campaign": "劳模宣讲"}, follow=True).content.decode()
    assert "宣传日期不能晚于今天" in body
    body = client.post(add, entry | {"published_on": "2024-09-09"}, follow=True).content.decode()
    assert "张伟在 2024 年的“大国工匠年度人物”宣传已经登记" in body
    body = client.post(add, entry | {"campaign": "劳模宣讲", "link": "ftp://a.cn/x"}, follow=True).content.decode()
    assert "链接应为以 http:// 或 https:// 开头的网址" in body
    body = client.post(add, entry | {"published_on": "不是日期"}, follow=True).content.decode()
    assert "有效的日期" in body
    assert Publicity.objects.count() == 1

    remove = reverse("workforce:publicity_remove", args=[worker.pk, row.pk])
    assert remove in client.get(page).content.decode()
    body = client.post(remove, follow=True).content.decode()
    assert "已删除该条宣传记录" in body and 'href="https://www.acftu.org/gjgj"' not in body
    assert not Publicity.objects.exists()


def test_the_read_only_role_and_other_provinces(client, cast):
    worker = make_model_worker(cast)
    row = _add(worker)
    page = reverse("workforce:model_worker", args=[worker.pk])
    add = reverse("workforce:publicity_add", args=[worker.pk])
    remove = reverse("workforce:publicity_remove", args=[worker.pk, row.pk])
    entry = {"level": "national", "campaign": "最美职工", "published_on": "2025-05-01"}
    client.force_login(cast.users.readonly)
    body = client.get(page).content.decode()
    assert "大国工匠年度人物" in body and add not in body and remove not in body  # sees it, no forms
    assert client.post(add, entry).status_code == 403 and client.post(remove).status_code == 403
    client.force_login(cast.users.sibling_admin)
    assert client.get(page).status_code == 404
    assert client.post(add, entry).status_code == 404 and client.post(remove).status_code == 404
    listed = client.get(reverse("workforce:model_workers"), {"publicised": "on"}).content.decode()
    assert "没有符合条件的劳模" in listed
    # a publicity row of another model worker cannot be removed through this one's address
    wang = services.model_worker_add(actor=None, org=cast.orgs.jiangsu, person=cast.members.wang.person,
                                     employer_name="南京示例物流有限公司")  # fmt: skip
    other = _add(wang, campaign="最美职工")
    client.force_login(cast.users.national_admin)
    assert client.post(reverse("workforce:publicity_remove", args=[worker.pk, other.pk])).status_code == 404
    assert Publicity.objects.count() == 2


# ----- the figure -------------------------------------------------------------------------------------------------


def _figure():
    return next(f for f in registry.overview_figures() if f.key == "workforce_publicised")


def test_the_figure_counts_each_model_worker_publicised_nationally_in_the_plan_period_once(client, cast):
    zhang, li, wang = _workers(cast)
    _add(zhang, campaign="大国工匠年度人物", on=dt.date(2022, 1, 10))
    _add(zhang, campaign="最美职工", on=dt.date(2024, 4, 28))  # twice: still one person
    _add(li, campaign="劳模宣讲", level="provincial", on=dt.date(2023, 6, 1))  # provincial: not counted
    _add(li, campaign="大国工匠年度人物", on=dt.date(2020, 12, 31))  # before the plan period: not counted
    _add(wang, campaign="最美职工", on=dt.date(2025, 12, 31))
    figure = _figure()
    assert (figure.label, figure.unit) == ("先进典型宣传（全国）", "人")
    assert figure.value(cast.users.province_admin) == 1 and figure.value(cast.users.sibling_admin) == 1
    assert figure.value(cast.users.national_admin) == 2 and figure.value(cast.users.grassroots_admin) == 0
    assert figure.value_under(cast.orgs.zhejiang) == 1 and figure.value_under(cast.orgs.national) == 2
    assert figure.value_under(cast.orgs.hangzhou) == 0
    assert figure.values_by_org() == {cast.orgs.zhejiang.pk: 1, cast.orgs.jiangsu.pk: 1}
    _add(li, campaign="最美职工", on=dt.date(2021, 1, 1))  # 李娜, kept by 杭州市总工会, now counts
    assert figure.values_by_org()[cast.orgs.hangzhou.pk] == 1
    assert figure.value_under(cast.orgs.zhejiang) == 2 == figure.value(cast.users.province_admin)

    # the list behind the figure: the model workers it counts, in the user's scope
    client.force_login(cast.users.province_admin)
    behind = figure_url(figure, cast.orgs.zhejiang)
    assert behind == reverse("workforce:model_workers") + "?publicised=on"
    listed = client.get(behind).content.decode()
    for worker, shown in ((zhang, True), (li, True), (wang, False)):
        assert (reverse("workforce:model_worker", args=[worker.pk]) in listed) is shown
    everyone = client.get(reverse("workforce:model_workers")).content.decode()
    assert reverse("workforce:model_worker", args=[wang.pk]) not in everyone  # Jiangsu's: never in Zhejiang's list
    Publicity.objects.filter(model_worker=li).delete()
    listed = client.get(behind).content.decode()
    assert reverse("workforce:model_worker", args=[li.pk]) not in listed


def test_the_data_copy_shows_the_persons_publicity(cast):
    worker = make_model_worker(cast)
    _add(worker, link="https://www.acftu.org/gjgj")
    copy = personal_data_of(Person.objects.get(pk=cast.members.zhang.person.pk))
    assert copy["技能竞赛与劳模荣誉"]["劳模"]["先进典型宣传"] == [
        {
            "日期": "2024-03-01",
            "层级": "全国",
            "宣传活动或媒体": "大国工匠年度人物",
            "链接": "https://www.acftu.org/gjgj",
        }
    ]


class Rollback(Exception):
    pass


entry = st.tuples(st.integers(0, 2), st.sampled_from(["national", "provincial", "city"]), st.integers(2019, 2026))


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(entries=st.lists(entry, max_size=8))
def test_the_figure_is_the_distinct_nationally_publicised_workers_and_its_shares_add_up(cast, entries):
    today = timezone.localdate()
    try:
        with transaction.atomic():
            workers = _workers(cast)
            for n, (who, level, year) in enumerate(entries):
                _add(workers[who], campaign=f"宣传{n}", level=level, on=min(dt.date(year, 6, 1), today))
            counted = {workers[who].pk for who, level, year in entries
                       if level == "national" and 2021 <= min(dt.date(year, 6, 1), today).year <= 2025}  # fmt: skip
            figure = _figure()
            assert figure.value(cast.users.national_admin) == len(counted) == figure.value_under(cast.orgs.national)
            shares = figure.values_by_org()
            assert sum(shares.values()) == len(counted)
            for org in (cast.orgs.zhejiang, cast.orgs.hangzhou, cast.orgs.jiangsu):
                under = sum(v for pk, v in shares.items() if pk in set(
                    type(org).objects.filter(path__startswith=org.path).values_list("pk", flat=True)))  # fmt: skip
                assert under == figure.value_under(org)
            assert figure.value(cast.users.province_admin) == figure.value_under(cast.orgs.zhejiang)
            raise Rollback
    except Rollback:
        pass
