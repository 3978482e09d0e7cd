"""Member pages: the POSTed search and its filters, registration, correction and unmasking."""

import datetime as dt

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from gonghui.core.models import AuditEvent
from gonghui.members.models import Employer, Membership, Person
from gonghui.members.services import member_create
from gonghui.testing.cast import LI_NA_ID, ZHANG_WEI_ID, valid_id

NEW_ID = valid_id("33010619950101002")


def names(response) -> list[str]:
    return [m.person.name for m in response.context["rows"]]


@pytest.fixture
def province(client, cast):
    client.force_login(cast.users.province_admin)
    return client


@pytest.fixture
def national(client, cast):
    client.force_login(cast.users.national_admin)
    return client


def search(client, **data):
    """The search as the browser makes it: POSTed, then the redirect to its results followed."""
    return client.post(reverse("members:list"), data, follow=True)


@pytest.mark.parametrize(
    ("q", "expected"),
    [("zw", ["张伟"]), ("zhangwei", ["张伟"]), ("张", ["张伟"]), (ZHANG_WEI_ID, ["张伟"]),
     ("138 1234 5678", ["张伟"]), ("13900001111", ["李娜"]), ("ln", ["李娜"])],
)  # fmt: skip
def test_search_finds_by_name_pinyin_initials_id_and_phone(province, q, expected):
    assert names(search(province, q=q)) == expected


def test_search_by_card_number(province, cast):
    assert names(search(province, q=cast.members.li.card_number)) == ["李娜"]


def test_search_stays_in_scope(province, cast):
    assert names(search(province, q=cast.members.wang.card_number)) == []
    assert names(search(province, q="wf")) == []


def test_get_lists_the_first_page_unfiltered_and_puts_nothing_personal_in_urls(province):
    response = province.get(reverse("members:list"))
    assert set(names(response)) == {"李娜", "张伟"}
    body = response.content.decode()
    assert 'method="post"' in body and "csrfmiddlewaretoken" in body
    assert "3301**********1236" in body and ZHANG_WEI_ID not in body and "13812345678" not in body
    assert "138****5678" in body


@pytest.mark.parametrize(
    ("filters", "expected"),
    [({"employment_form": "food_delivery"}, ["李娜"]), ({"gender": "F"}, ["李娜"]), ({"gender": "M"}, ["张伟"]),
     ({"migrant": "1"}, ["李娜"]), ({"migrant": "0"}, ["张伟"])],
)  # fmt: skip
def test_filters(province, filters, expected):
    assert names(search(province, **filters)) == expected


def test_org_filter_covers_the_subtree(national, cast):
    assert names(search(national, org=cast.orgs.jiangsu.pk)) == ["王芳"]
    assert set(names(national.get(reverse("members:list") + f"?org={cast.orgs.xihu.pk}"))) == {"李娜", "张伟"}


def test_org_filter_outside_scope_reads_as_missing(province, cast):
    assert search(province, org=cast.orgs.logistics.pk).status_code == 404


def test_pager_links_carry_the_saved_search_not_the_query(province, cast):
    for i in range(25):
        member_create(actor=None, org=cast.orgs.company, name=f"张{'一二三四五六七八九十'[i % 10]}{i}",
                      id_number=valid_id(f"33010619900101{i + 100:03d}"))  # fmt: skip
    first = search(province, q="z")
    ((url, status),) = first.redirect_chain
    token = url.split("?s=")[1]
    assert status == 303 and url == f"{reverse('members:list')}?s={token}"
    second = province.get(url + "&page=2")
    assert len(first.context["rows"]) == 20 and first.context["has_next"]
    assert len(second.context["rows"]) == 6 and not second.context["has_next"]
    assert not set(names(first)) & set(names(second))
    assert f'href="?s={token}&amp;page=2"' in first.content.decode()
    assert second.context["form"]["q"].value() == "z"  # the page shows the search it is the result of


def test_count_says_more_than_when_capped(province, settings):
    settings.GONGHUI_COUNT_LIMIT = 1
    assert "超过 1 人" in search(province).content.decode()


def test_member_list_query_count(province, cast, django_assert_max_num_queries):
    for i in range(30):
        member_create(actor=None, org=cast.orgs.company, name=f"测试{i}",
                      id_number=valid_id(f"33010619910201{i + 100:03d}"))  # fmt: skip
    query = {"q": "cs", "org": cast.orgs.xihu.pk, "employment_form": "standard"}
    results = province.post(reverse("members:list"), query)
    # +1: the unread-messages badge in the navigation; +1: a name search's bounded count asks whether the prefix
    # has more persons than its walk
    with django_assert_max_num_queries(9):
        response = province.get(results.url)
    assert response.status_code == 200 and len(response.context["rows"]) == 20


def test_member_page_is_masked_and_offers_unmask_only_with_the_permission(client, cast):
    url = reverse("members:detail", args=[cast.members.zhang.person_id])
    client.force_login(cast.users.province_admin)
    body = client.get(url).content.decode()
    assert "3301**********1236" in body and ZHANG_WEI_ID not in body
    assert "查看完整信息" not in body
    client.force_login(cast.users.grassroots_admin)
    assert "查看完整信息" in client.get(url).content.decode()


def test_unmask_shows_full_values_and_is_audited(client, cast):
    client.force_login(cast.users.grassroots_admin)
    response = client.post(reverse("members:unmask", args=[cast.members.zhang.person_id]))
    body = response.content.decode()
    assert response.status_code == 200 and ZHANG_WEI_ID in body and "13812345678" in body
    assert response["Cache-Control"] == "no-store"
    event = AuditEvent.objects.get(action="member.unmask")
    assert (event.actor, event.result) == (cast.users.grassroots_admin, "success")


def test_unmask_refused_without_permission_and_audited(province, cast):
    response = province.post(reverse("members:unmask", args=[cast.members.zhang.person_id]))
    assert response.status_code == 403 and ZHANG_WEI_ID not in response.content.decode()
    assert AuditEvent.objects.get(action="member.unmask").result == "denied"


def test_unmask_needs_post(client, cast):
    client.force_login(cast.users.national_admin)
    assert client.get(reverse("members:unmask", args=[cast.members.zhang.person_id])).status_code == 405


def create_data(cast, **extra):
    return {"org": cast.orgs.company.pk, "name": "赵敏", "id_number": NEW_ID, "phone": "13600003333",
            "ethnicity": "汉族", "employment_form": "courier", "employer_name": "新单位"} | extra  # fmt: skip


def test_register_member(province, cast):
    response = province.post(reverse("members:create"), create_data(cast, is_migrant="on"))
    person = Person.objects.get(name="赵敏")
    assert response.status_code == 302 and response["Location"] == reverse("members:detail", args=[person.pk])
    membership = person.memberships.get()
    assert (membership.org, person.employment_form, person.is_migrant) == (cast.orgs.company, "courier", True)
    assert person.employer.name == "新单位" and person.phone_masked == "136****3333"


def test_register_with_bad_check_character_saves_nothing(province, cast):
    bad = NEW_ID[:17] + ("0" if NEW_ID[17] != "0" else "1")
    people, employers = Person.objects.count(), Employer.objects.count()
    response = province.post(reverse("members:create"), create_data(cast, id_number=bad))
    assert response.status_code == 400
    assert f"校验位错误：最后一位应为 {NEW_ID[17]}" in str(response.context["form"].errors["id_number"])
    assert (Person.objects.count(), Employer.objects.count()) == (people, employers)


def test_second_active_membership_refused_naming_the_visible_org(province, cast):
    response = province.post(reverse("members:create"), create_data(cast, org=cast.orgs.xixi.pk,
                                                                    id_number=ZHANG_WEI_ID))  # fmt: skip
    errors = str(response.context["form"].errors["id_number"])
    assert response.status_code == 400 and "杭州示例科技有限公司工会" in errors
    assert Employer.objects.filter(name="新单位").count() == 0
    assert Membership.objects.filter(person__name="张伟").count() == 1


def test_second_active_membership_refused_without_naming_an_invisible_org(client, cast):
    client.force_login(cast.users.sibling_admin)
    response = client.post(reverse("members:create"), create_data(cast, org=cast.orgs.logistics.pk,
                                                                   id_number=LI_NA_ID))  # fmt: skip
    errors = str(response.context["form"].errors["id_number"])
    assert response.status_code == 400 and "其他工会" in errors and "杭州" not in errors


def test_register_form_offers_only_writable_member_holding_orgs(province, cast):
    options = province.get(reverse("members:create")).context["org_options"]
    assert {o.name for o in options} == {"西溪街道工会", "杭州示例科技有限公司工会"}


def edit_data(cast, **extra):
    return {"name": "张伟", "ethnicity": "汉族", "employment_form": "standard", "version": 1} | extra


def test_correct_member_keeps_id_when_left_blank(province, cast):
    person_id = cast.members.zhang.person_id
    response = province.post(reverse("members:edit", args=[person_id]), edit_data(cast, phone="13811112222",
                                                                                 job_title="质检员"))  # fmt: skip
    person = Person.objects.get(pk=person_id)
    assert response.status_code == 302
    assert (person.phone_masked, person.job_title, person.id_number_masked) == ("138****2222", "质检员",
                                                                                "3301**********1236")  # fmt: skip
    assert person.version == 2


def test_edit_form_never_shows_the_full_id(province, cast):
    body = province.get(reverse("members:edit", args=[cast.members.zhang.person_id])).content.decode()
    assert ZHANG_WEI_ID not in body and "3301**********1236" in body


def test_edit_conflict_overwrites_nothing(province, cast):
    person_id = cast.members.zhang.person_id
    url = reverse("members:edit", args=[person_id])
    assert province.post(url, edit_data(cast, job_title="第一次")).status_code == 302
    response = province.post(url, edit_data(cast, job_title="第二次"))  # still version 1
    assert response.status_code == 409 and "已被他人修改" in response.content.decode()
    assert Person.objects.get(pk=person_id).job_title == "第一次"


def test_edit_with_bad_phone_shows_field_error(province, cast):
    response = province.post(reverse("members:edit", args=[cast.members.zhang.person_id]),
                             edit_data(cast, phone="1234"))  # fmt: skip
    assert response.status_code == 400 and "手机号码应为 11 位" in str(response.context["form"].errors["phone"])


def test_a_name_search_counts_to_a_lower_cap(province, cast, monkeypatch):
    monkeypatch.setattr("gonghui.members.selectors.SEARCH_COUNT_LIMIT", 1)
    member_create(actor=None, org=cast.orgs.company, name="张三", id_number=valid_id("33010619850101001"))
    assert "超过 1 人" in search(province, q="张").content.decode()
    assert "共 3 人" in search(province).content.decode()


def test_a_name_search_past_the_counting_walk_shows_its_rows_and_no_total(province, cast, monkeypatch):
    monkeypatch.setattr("gonghui.members.selectors.PREFIX_COUNT_WALK", 1)
    member_create(actor=None, org=cast.orgs.logistics, name="张三", id_number=valid_id("32010219850101001"))
    page = search(province, q="张").content.decode()
    assert "未统计总数" in page and "张伟" in page and "张三" not in page and "共 " not in page


# ----- Post/Redirect/Get: the search is saved server-side and the results page carries only its token ----------


def test_a_search_redirects_to_a_token_and_keeps_the_id_number_out_of_the_url_and_the_page(province):
    response = search(province, q=ZHANG_WEI_ID)
    ((url, status),) = response.redirect_chain
    assert status == 303 and ZHANG_WEI_ID not in url and "q=" not in url
    assert names(response) == ["张伟"]
    body = response.content.decode()
    assert "按“3301**********1236”查找的结果" in body and ZHANG_WEI_ID not in body
    assert names(province.get(url)) == ["张伟"]  # refresh or Back: the same results, by GET


def test_a_saved_search_is_the_users_own(province, cast):
    url = search(province, q="zw").redirect_chain[0][0]
    other = Client()
    other.force_login(cast.users.national_admin)
    response = other.get(url)
    assert "查找条件已过期，请重新查找。" in response.content.decode()
    assert response.context["form"]["q"].value() in (None, "")


def test_a_saved_search_expires(province, monkeypatch):
    url = search(province, q="zw").redirect_chain[0][0]
    later = timezone.now() + dt.timedelta(hours=2, minutes=1)
    monkeypatch.setattr(timezone, "now", lambda: later)
    response = province.get(url)
    assert "查找条件已过期" in response.content.decode() and set(names(response)) == {"李娜", "张伟"}


def test_a_saved_search_is_encrypted_in_the_session(province):
    search(province, q=ZHANG_WEI_ID)
    stored = Session.objects.get(session_key=province.session.session_key).session_data
    assert ZHANG_WEI_ID not in str(province.session.load()) and ZHANG_WEI_ID not in stored


def test_a_refused_search_is_shown_again_without_a_redirect(province):
    response = province.post(reverse("members:list"), {"q": "张" * 41})
    assert response.status_code == 400 and response.context["form"].errors["q"]
