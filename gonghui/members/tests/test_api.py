"""/api/v1/members: listing, searching in a POST body, detail, joining, corrections and unmasking."""

import pytest

from gonghui.core.models import AuditEvent
from gonghui.members.models import Employer, Membership, Person
from gonghui.members.services import member_create
from gonghui.testing.api import ApiClient, url
from gonghui.testing.cast import LI_NA_ID, WANG_FANG_ID, ZHANG_WEI_ID, refreshed, valid_id

NEW_ID = valid_id("33010619950101123")  # a man born 1995-01-01
NEW_PHONE = "13655556666"


@pytest.fixture
def api(cast):
    client = ApiClient()
    client.remember_secret(NEW_ID, NEW_PHONE)
    yield client
    client.assert_no_personal_data()


def names(body):
    return sorted(item["name"] for item in body["items"])


def state():
    """Everything a refused write must leave as it was."""
    return (
        Person.objects.count(), Membership.objects.count(), Employer.objects.count(),
        list(Person.objects.order_by("pk").values_list("name", "phone_masked", "version", "employer_id")),
        list(Membership.objects.order_by("pk").values_list("org_id", "status")),
    )  # fmt: skip


# ----- list --------------------------------------------------------------------------------------------------


def test_list_is_scoped_and_masked(api, cast):
    body = api.get(url("/members"), cast.users.province_admin).json()
    assert names(body) == ["张伟", "李娜"] and body["count"] == 2 and body["count_capped"] is False
    zhang = next(i for i in body["items"] if i["name"] == "张伟")
    assert zhang["id_number_masked"] == "3301**********1236" and zhang["phone_masked"] == "138****5678"
    assert zhang["org"] == {"id": cast.orgs.company.pk, "name": "杭州示例科技有限公司工会"}
    assert zhang["card_number"] == cast.members.zhang.card_number
    assert names(api.get(url("/members"), cast.users.sibling_admin).json()) == ["王芳"]
    assert names(api.get(url("/members"), cast.users.national_admin).json()) == ["张伟", "李娜", "王芳"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("employment_form=food_delivery", ["李娜"]),
        ("is_migrant=true", ["李娜"]),
        ("is_migrant=false", ["张伟", "王芳"]),
        ("gender=F", ["李娜", "王芳"]),
        ("gender=M&employment_form=standard", ["张伟"]),
        ("org_id={logistics}", ["王芳"]),
        ("org_id={zhejiang}", ["张伟", "李娜"]),
    ],
)
def test_list_filters(api, cast, query, expected):
    query = query.format(logistics=cast.orgs.logistics.pk, zhejiang=cast.orgs.zhejiang.pk)
    r = api.get(url(f"/members?{query}"), cast.users.national_admin)
    assert r.status_code == 200 and names(r.json()) == expected


def test_list_paginates(api, cast):
    first = api.get(url("/members?limit=2"), cast.users.national_admin).json()
    rest = api.get(url("/members?limit=2&offset=2"), cast.users.national_admin).json()
    assert len(first["items"]) == 2 and len(rest["items"]) == 1 and first["count"] == rest["count"] == 3
    assert {i["person_id"] for i in first["items"]}.isdisjoint({i["person_id"] for i in rest["items"]})
    assert first["has_more"] is True and rest["has_more"] is False and rest["count_capped"] is False


@pytest.mark.parametrize("path", ["/members/transfers", "/members/lapse-warnings"])
def test_every_list_pages_the_same_way(api, cast, path):
    r = api.get(url(f"{path}?limit=1"), cast.users.national_admin)
    assert r.status_code == 200 and set(r.json()) == {"count", "count_capped", "has_more", "items"}
    refused = api.get(url(f"{path}?limit=201"), cast.users.national_admin)
    assert refused.status_code == 400 and list(refused.json()["errors"]) == ["limit"]


def test_list_filter_errors_and_scope(api, cast):
    assert api.get(url(f"/members?org_id={cast.orgs.logistics.pk}"), cast.users.province_admin).status_code == 404
    r = api.get(url("/members?employment_form=astronaut"), cast.users.province_admin)
    assert r.status_code == 400 and "无效的选项" in r.json()["errors"]["employment_form"][0]
    r = api.get(url("/members?is_migrant=perhaps"), cast.users.province_admin)
    assert r.status_code == 400 and r.json()["errors"] == {"is_migrant": ["应为 true 或 false。"]}


def test_personal_search_terms_refused_in_query_string(api, cast):
    r = api.get(url("/members?q=zw"), cast.users.province_admin)
    assert r.status_code == 400 and "POST /api/v1/members/search" in r.json()["errors"]["q"][0]


# ----- search ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "q",
    ["zw", "ZW", "zhangwei", "张", "张伟", ZHANG_WEI_ID, ZHANG_WEI_ID.lower(), "3301 0619 9003 0712 36",
     "13812345678", "138-1234-5678", "+8613812345678", "card"],
)  # fmt: skip
def test_search_by_name_pinyin_initials_id_phone_card(api, cast, q):
    q = cast.members.zhang.card_number if q == "card" else q
    r = api.post(url("/members/search"), cast.users.province_admin, {"q": q})
    assert r.status_code == 200, r.content
    assert names(r.json()) == ["张伟"]


def test_search_combines_filters_and_scope(api, cast):
    body = {"q": "l", "employment_form": "food_delivery"}
    assert names(api.post(url("/members/search"), cast.users.province_admin, body).json()) == ["李娜"]
    assert names(api.post(url("/members/search"), cast.users.province_admin, {"q": "wf"}).json()) == []
    assert names(api.post(url("/members/search"), cast.users.sibling_admin, {"q": "zw"}).json()) == []
    assert names(api.post(url("/members/search"), cast.users.sibling_admin, {"q": WANG_FANG_ID}).json()) == ["王芳"]
    assert names(api.post(url("/members/search"), cast.users.sibling_admin, {"q": LI_NA_ID}).json()) == []


def test_search_validation(api, cast):
    r = api.post(url("/members/search"), cast.users.province_admin, {"q": "x" * 51})
    assert r.status_code == 400 and r.json()["errors"] == {"q": ["最多 50 个字符。"]}
    r = api.post(url("/members/search"), cast.users.province_admin, {"q": "zw", "surname": "张"})
    assert r.status_code == 400 and r.json()["errors"] == {"surname": ["不支持此字段。"]}


# ----- detail ------------------------------------------------------------------------------------------------


def test_detail_masked_with_history(api, cast):
    person = cast.members.zhang.person
    r = api.get(url(f"/members/{person.pk}"), cast.users.grassroots_admin)
    assert r.status_code == 200
    body = r.json()
    assert body["name"] == "张伟" and body["gender_label"] == "男" and body["ethnicity"] == "汉族"
    assert body["id_number_masked"] == "3301**********1236" and body["phone_masked"] == "138****5678"
    assert body["employer_uscc"] == "91330106MA2A0000X3" and body["version"] == 1
    assert [(m["org"]["name"], m["status"], m["joined_on"]) for m in body["memberships"]] == [
        ("杭州示例科技有限公司工会", "active", "2020-03-01")
    ]
    assert body["can_unmask"] is True
    assert api.get(url(f"/members/{person.pk}"), cast.users.province_admin).json()["can_unmask"] is False


def test_detail_reads_the_history_once(api, cast, django_assert_num_queries):
    """The token, the caller's grants, and the membership history with the person and employer on it: the
    scope, the memberships shown, the home union and ``can_unmask`` are all decided on that one read."""
    path = url(f"/members/{cast.members.zhang.person.pk}")
    assert api.get(path, cast.users.province_admin).status_code == 200  # the token's first use is recorded
    with django_assert_num_queries(3):
        assert api.get(path, cast.users.province_admin).json()["memberships"][0]["status"] == "active"


def test_detail_out_of_scope_is_404(api, cast):
    assert api.get(url(f"/members/{cast.members.zhang.person.pk}"), cast.users.sibling_admin).status_code == 404
    assert api.get(url("/members/999999"), cast.users.national_admin).status_code == 404
    # A key beyond the id column's range (found by the schema fuzzer) is not there either, rather than a 500.
    assert api.get(url("/members/279102358416390488064"), cast.users.national_admin).status_code == 404


# ----- create ------------------------------------------------------------------------------------------------


def new_member(cast, **extra):
    return {
        "org_id": cast.orgs.company.pk, "name": "赵强", "id_number": NEW_ID, "phone": NEW_PHONE,
        "ethnicity": "回族", "education": "bachelor", "employment_form": "dispatched", "is_migrant": True,
        "employer_name": "杭州劳务派遣有限公司", "job_title": "装配工", "joined_on": "2024-03-15", **extra,
    }  # fmt: skip


def test_create_member(api, cast):
    r = api.post(url("/members"), cast.users.grassroots_admin, new_member(cast))
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["id_number_masked"] == NEW_ID[:4] + "*" * 10 + NEW_ID[-4:] and body["phone_masked"] == "136****6666"
    assert (
        body["gender"] == "M" and body["education_label"] == "本科" and body["employer_name"] == "杭州劳务派遣有限公司"
    )
    assert body["memberships"][0]["joined_on"] == "2024-03-15"
    assert body["memberships"][0]["org"]["id"] == cast.orgs.company.pk
    person = Person.objects.get(pk=body["person_id"])
    assert person.name_initials == "zq" and person.is_migrant
    assert refreshed(cast.orgs.company).member_count == 3
    assert AuditEvent.objects.filter(action="member.create", object_id=str(person.pk)).exists()
    found = api.post(url("/members/search"), cast.users.grassroots_admin, {"q": NEW_PHONE}).json()
    assert names(found) == ["赵强"]


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"id_number": NEW_ID[:17] + ("0" if NEW_ID[17] != "0" else "1")}, "id_number", "校验位错误"),
        ({"id_number": "12345"}, "id_number", "应为 18 位（或旧式 15 位），您输入的是 5 位"),
        ({"id_number": ""}, "id_number", "请填写身份证号码"),
        ({"phone": "1381234567"}, "phone", "手机号码应为 11 位，您输入的是 10 位"),
        ({"phone": "12812345678"}, "phone", "手机号码应以 13-19 开头"),
        ({"name": ""}, "name", "至少需要 1 个字符"),
        ({"ethnicity": "火星族"}, "ethnicity", "不是有效的选项"),
        ({"education": "kindergarten"}, "education", "无效的选项"),
        ({"employer_uscc": "91330106MA2A0000X4"}, "employer_uscc", "校验位错误"),
        ({"joined_on": "昨天"}, "joined_on", "应为日期"),
        ({"card_number": "X" * 33}, "card_number", "最多 32 个字符"),
        ({"org_id": None}, "org_id", "应为整数"),
    ],
)
def test_create_validation_is_chinese_names_the_field_and_saves_nothing(api, cast, change, field, message):
    before = state()
    r = api.post(url("/members"), cast.users.grassroots_admin, new_member(cast, **change))
    assert r.status_code == 400, r.content
    errors = r.json()["errors"]
    assert list(errors) == [field] and message in errors[field][0]
    assert message in r.json()["detail"]
    assert state() == before


def test_create_missing_fields(api, cast):
    r = api.post(url("/members"), cast.users.grassroots_admin, {})
    assert r.status_code == 400
    assert r.json()["errors"] == {k: ["此项为必填项。"] for k in ("org_id", "name", "id_number")}


def test_card_number_taken(api, cast):
    before = state()
    body = new_member(cast, card_number=cast.members.li.card_number)
    r = api.post(url("/members"), cast.users.grassroots_admin, body)
    assert r.status_code == 400
    assert r.json()["errors"] == {"card_number": [f"会员证号 {cast.members.li.card_number} 已被使用。"]}
    assert state() == before


def test_second_active_membership_hides_an_unseen_union(api, cast):
    before = state()
    body = new_member(cast, id_number=WANG_FANG_ID, name="王芳芳", employer_name="全新单位有限公司")
    r = api.post(url("/members"), cast.users.grassroots_admin, body)
    assert r.status_code == 400
    message = r.json()["errors"]["id_number"][0]
    assert message.startswith("此人已是其他工会的会员") and "南京" not in r.content.decode()
    assert state() == before  # no new employer, 王芳's record untouched


def test_second_active_membership_names_a_visible_union(api, cast):
    before = state()
    body = new_member(cast, id_number=WANG_FANG_ID, name="王芳")
    r = api.post(url("/members"), cast.users.national_admin, body)
    assert r.status_code == 400
    assert r.json()["errors"]["id_number"][0].startswith("此人已是“南京示例物流有限公司工会”的会员")
    assert state() == before


def test_create_into_org_holding_no_members(api, cast):
    r = api.post(url("/members"), cast.users.province_admin, new_member(cast, org_id=cast.orgs.hangzhou.pk))
    assert r.status_code == 400 and "不直接发展会员" in r.json()["errors"]["org"][0]


# ----- update ------------------------------------------------------------------------------------------------


def test_update_member(api, cast):
    person = cast.members.zhang.person
    path = url(f"/members/{person.pk}")
    r = api.patch(path, cast.users.grassroots_admin, {"version": 1, "phone": NEW_PHONE, "job_title": "工程师"})
    assert r.status_code == 200, r.content
    assert r.json()["phone_masked"] == "136****6666" and r.json()["job_title"] == "工程师" and r.json()["version"] == 2
    assert refreshed(person).version == 2
    assert names(api.post(url("/members/search"), cast.users.grassroots_admin, {"q": NEW_PHONE}).json()) == ["张伟"]
    r = api.patch(path, cast.users.grassroots_admin, {"version": 2, "name": "张维", "employer_name": "新单位"})
    assert r.json()["name"] == "张维" and r.json()["employer_name"] == "新单位" and r.json()["employer_uscc"] == ""
    assert names(api.post(url("/members/search"), cast.users.grassroots_admin, {"q": "zhangwei"}).json()) == ["张维"]
    assert AuditEvent.objects.filter(action="member.update", object_id=str(person.pk)).count() == 2


def test_update_stale_version_is_409(api, cast):
    path = url(f"/members/{cast.members.zhang.person.pk}")
    assert api.patch(path, cast.users.province_admin, {"version": 1, "job_title": "甲"}).status_code == 200
    before = state()
    r = api.patch(path, cast.users.grassroots_admin, {"version": 1, "job_title": "乙", "employer_name": "新公司"})
    assert r.status_code == 409 and r.json()["detail"] == "该记录已被他人修改，请刷新后重新编辑。"
    assert state() == before
    assert refreshed(cast.members.zhang.person).job_title == "甲"


def test_update_validation(api, cast):
    path = url(f"/members/{cast.members.zhang.person.pk}")
    before = state()
    r = api.patch(path, cast.users.grassroots_admin, {"version": 1, "id_number": LI_NA_ID})
    assert r.status_code == 400 and r.json()["errors"] == {"id_number": ["该身份证号码已登记在另一名职工名下。"]}
    r = api.patch(path, cast.users.grassroots_admin, {"version": 1, "phone": "123"})
    assert r.status_code == 400 and list(r.json()["errors"]) == ["phone"]
    r = api.patch(path, cast.users.grassroots_admin, {"version": 1, "name": None})
    assert r.status_code == 400 and r.json()["errors"] == {"name": ["不能为空。"]}
    r = api.patch(path, cast.users.grassroots_admin, {"job_title": "无版本"})
    assert r.status_code == 400 and r.json()["errors"] == {"version": ["此项为必填项。"]}
    assert state() == before


def test_update_permissions(api, cast):
    path = url(f"/members/{cast.members.zhang.person.pk}")
    before = state()
    assert api.patch(path, cast.users.readonly, {"version": 1, "job_title": "x"}).status_code == 403
    assert api.patch(path, cast.users.sibling_admin, {"version": 1, "job_title": "x"}).status_code == 404
    assert api.patch(path, cast.users.worker, {"version": 1, "job_title": "x"}).status_code == 403
    assert state() == before


# ----- unmask ------------------------------------------------------------------------------------------------


def test_unmask_returns_full_values_and_is_audited(api, cast):
    person = cast.members.zhang.person
    r = api.post(url(f"/members/{person.pk}/unmask"), cast.users.grassroots_admin)
    assert r.status_code == 200
    assert r.json() == {"id_number": ZHANG_WEI_ID, "phone": "13812345678"}
    event = AuditEvent.objects.filter(action="member.unmask", object_id=str(person.pk)).latest("id")
    assert event.result == "success" and event.actor == cast.users.grassroots_admin
    assert ZHANG_WEI_ID not in str(event.detail)


def test_unmask_without_permission_is_403_and_audited(api, cast):
    person = cast.members.zhang.person
    for user in (cast.users.province_admin, cast.users.readonly):
        r = api.post(url(f"/members/{person.pk}/unmask"), user)
        assert r.status_code == 403 and r.json()["detail"] == "您没有查看完整个人信息的权限。"
        assert AuditEvent.objects.filter(action="member.unmask", actor=user, result="denied").count() == 1
    assert api.post(url(f"/members/{person.pk}/unmask"), cast.users.sibling_admin).status_code == 404


def test_leak_check_would_catch_a_full_id(api, cast):
    """The no-personal-data check run after every test here is real: it sees a full ID anywhere but unmask."""
    probe = ApiClient()
    probe.seen.append(("GET", "/api/v1/members/1", 200, f'{{"x": "{ZHANG_WEI_ID}"}}'))
    probe.seen.append(("POST", "/api/v1/members/1/unmask", 200, f'{{"x": "{LI_NA_ID}"}}'))
    probe.seen.append(("GET", "/api/v1/members", 200, '{"phone": "13912340000", "card": "33010620241234567"}'))
    assert len(probe.leaks()) == 3  # ZHANG_WEI_ID twice (cast value and pattern) and the unknown phone
    with pytest.raises(AssertionError):
        probe.assert_no_personal_data()


def test_a_name_search_counts_to_a_lower_cap(api, cast, monkeypatch):
    monkeypatch.setattr("gonghui.members.selectors.SEARCH_COUNT_LIMIT", 1)
    member_create(actor=None, org=cast.orgs.company, name="张三", id_number=valid_id("33010619850101001"))
    body = api.post(url("/members/search"), cast.users.province_admin, {"q": "张"}).json()
    assert (body["count"], body["count_capped"], body["has_more"], len(body["items"])) == (1, True, False, 2)


def test_a_name_search_past_the_counting_walk_answers_a_lower_bound(api, cast, monkeypatch):
    monkeypatch.setattr("gonghui.members.selectors.PREFIX_COUNT_WALK", 1)
    member_create(actor=None, org=cast.orgs.logistics, name="张三", id_number=valid_id("32010219850101001"))
    body = api.post(url("/members/search"), cast.users.province_admin, {"q": "张"}).json()
    assert (body["count"], body["count_capped"], body["has_more"], names(body)) == (0, True, False, ["张伟"])
