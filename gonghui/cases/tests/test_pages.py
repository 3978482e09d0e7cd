"""The case pages and API through the HTTP client: the to-do list, a case's page, its steps, 公示 and objections."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from gonghui.cases import services
from gonghui.cases.models import Case, PublicNotice
from gonghui.cases.tests.support import PDF, opened, submitted
from gonghui.testing.api import ApiClient


def _notice(cast, case, audience="public"):
    return services.notice_publish(actor=cast.users.grassroots_admin, case=case, audience=audience, person_name="张伟",
                                   unit="杭州示例科技有限公司", decision="拟给予困难帮扶")  # fmt: skip


def _object(notice):
    return services.objection_submit(actor=None, notice=notice, text="其家庭收入不符合条件", name="李四",
                                     phone="13955556666")  # fmt: skip


def test_the_todo_page_is_scoped_flags_overdue_and_pages(cast, client):
    late = opened(cast, subject="逾期的帮扶申请")
    Case.objects.filter(pk=late.pk).update(deadline=dt.date(2024, 1, 2))
    for n in range(21):
        opened(cast, subject=f"帮扶申请 {n}")
    client.force_login(cast.users.grassroots_admin)
    page = client.get(reverse("cases:todo")).content.decode()
    assert "逾期的帮扶申请" in page and "已超期" in page and "共 22 件" in page and "1 / 2" in page
    assert page.index("逾期的帮扶申请") < page.index("帮扶申请 0")
    assert "帮扶申请 20" in client.get(reverse("cases:todo") + "?page=2").content.decode()
    client.force_login(cast.users.sibling_admin)
    assert "没有待办事项" in client.get(reverse("cases:todo")).content.decode()


def test_the_todo_page_needs_the_same_queries_for_more_rows(cast, client, django_assert_num_queries):
    opened(cast)
    client.force_login(cast.users.province_admin)
    url = reverse("cases:todo")
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for n in range(5):
        opened(cast, subject=f"帮扶 {n}")
    with django_assert_num_queries(len(one)):
        client.get(url)


def test_the_case_page_shows_steps_clocks_and_the_checklist(cast, client):
    case = submitted(cast)
    client.force_login(cast.users.grassroots_admin)
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "草稿 → 待审核" in page and "审核期限" in page and "还剩 15 天" in page and "✅ 申请表" in page


def test_an_illegal_move_a_missing_reason_and_a_stale_form_are_explained(cast, client):
    case = submitted(cast)
    client.force_login(cast.users.province_admin)
    url = reverse("cases:act", args=[case.pk])
    page = client.post(url, {"to": "approved", "version": case.version}, follow=True).content.decode()
    assert "不能从“待审核”转为“已批准”" in page
    page = client.post(url, {"to": "returned", "version": case.version}, follow=True).content.decode()
    assert "须填写理由" in page
    page = client.post(url, {"to": "reviewed", "version": 1}, follow=True).content.decode()
    assert "已被他人办理" in page
    assert Case.objects.get(pk=case.pk).status == "submitted"
    client.post(url, {"to": "returned", "version": case.version, "note": "材料不全"})
    assert Case.objects.get(pk=case.pk).status == "returned"


def test_the_public_notice_page_shows_name_unit_and_decision_and_takes_objections(cast, client):
    notice = _notice(cast, submitted(cast))
    url = reverse("cases:notice", args=[notice.token])
    page = client.get(url).content.decode()
    assert "张伟" in page and "杭州示例科技有限公司" in page and "拟给予困难帮扶" in page
    response = client.post(url, {"text": "其家庭收入不符合条件", "name": "李四", "phone": "13955556666"}, follow=True)
    page = response.content.decode()
    assert "您的异议已提交" in page and "李四" not in page and "6666" not in page
    assert notice.objections.count() == 1
    bad = client.post(url, {"text": "异议", "name": "李四", "phone": "12345"})
    assert bad.status_code == 400 and "手机号码" in bad.content.decode()


def test_a_members_notice_asks_for_sign_in_and_hides_from_outsiders(cast, client):
    notice = _notice(cast, submitted(cast), audience=PublicNotice.Audience.SUBTREE)
    url = reverse("cases:notice", args=[notice.token])
    assert client.get(url)["Location"].startswith(reverse("accounts:login"))
    client.force_login(cast.users.worker)  # 张伟, a member of the company union
    assert client.get(url).status_code == 200
    client.force_login(cast.users.sibling_admin)
    assert client.get(url).status_code == 404


def test_the_objectors_identity_shows_to_reviewers_only(cast, client):
    case = submitted(cast)
    _object(_notice(cast, case))
    client.force_login(cast.users.readonly)
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "其家庭收入不符合条件" in page and "李四" not in page and "仅审核人员可见" in page
    client.force_login(cast.users.grassroots_admin)
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "李四（139****6666）" in page


def test_a_notice_blocks_the_next_step_on_the_page(cast, client):
    case = submitted(cast)
    client.force_login(cast.users.grassroots_admin)
    client.post(reverse("cases:notice_publish", args=[case.pk]), {"audience": "public", "person_name": "张伟",
                "unit": "杭州示例科技有限公司", "decision": "拟给予困难帮扶"})  # fmt: skip
    notice = case.notices.get()
    assert notice.closes_on > timezone.localdate()
    client.force_login(cast.users.province_admin)
    page = client.post(reverse("cases:act", args=[case.pk]), {"to": "reviewed", "version": case.version},
                       follow=True).content.decode()  # fmt: skip
    assert "公示期满后才能继续办理" in page


def test_attachments_upload_checked_and_download(cast, client):
    case = opened(cast)
    client.force_login(cast.users.grassroots_admin)
    url = reverse("cases:attachment_upload", args=[case.pk])
    page = client.post(url, {"document": "income", "file": SimpleUploadedFile("x.pdf", b"MZ\x90\x00")},
                       follow=True).content.decode()  # fmt: skip
    assert "不接受可执行文件" in page and not case.attachments.exists()
    client.post(url, {"document": "income", "file": SimpleUploadedFile("收入证明.pdf", PDF)})
    attachment = case.attachments.get()
    response = client.get(reverse("cases:attachment", args=[attachment.pk]))
    assert b"".join(response.streaming_content) == PDF
    client.force_login(cast.users.sibling_admin)
    assert client.get(reverse("cases:attachment", args=[attachment.pk])).status_code == 404


# ----- the API --------------------------------------------------------------------------------------------------


@pytest.fixture
def api(cast):
    client = ApiClient()
    client.remember_secret("13955556666")
    yield client
    client.assert_no_personal_data()


def test_api_version_conflict_is_409_and_rules_are_400(api, cast):
    case = submitted(cast)
    url = f"/api/v1/cases/{case.pk}/transition"
    stale = api.post(url, cast.users.province_admin, {"to": "reviewed", "version": 1})
    assert stale.status_code == 409 and "已被他人办理" in stale.json()["detail"]
    illegal = api.post(url, cast.users.province_admin, {"to": "approved", "version": case.version})
    assert illegal.status_code == 400 and "不能从" in illegal.json()["detail"]
    reason = api.post(url, cast.users.province_admin, {"to": "returned", "version": case.version})
    assert reason.status_code == 400 and "须填写理由" in reason.json()["detail"]
    done = api.post(url, cast.users.province_admin, {"to": "reviewed", "version": case.version})
    assert done.status_code == 200 and done.json()["status_label"] == "待审批"
    assert [s["to_status"] for s in done.json()["steps"]] == ["draft", "submitted", "reviewed"]


def test_api_todo_is_paginated_and_scoped(api, cast):
    for n in range(3):
        opened(cast, subject=f"帮扶 {n}")
    body = api.get("/api/v1/cases/todo?limit=2", cast.users.grassroots_admin).json()
    assert body["count"] == 3 and len(body["items"]) == 2 and body["items"][0]["kind_label"] == "困难帮扶（测试）"
    assert api.get("/api/v1/cases/todo", cast.users.sibling_admin).json()["count"] == 0


def test_api_objector_hidden_from_non_reviewers_and_the_public(api, cast):
    case = submitted(cast)
    notice = _notice(cast, case)
    public = api.post(f"/api/v1/cases/notices/{notice.token}/objections", None,
                      {"text": "异议", "name": "李四", "phone": "13955556666"})  # fmt: skip
    assert public.status_code == 201
    seen = api.get(f"/api/v1/cases/notices/{notice.token}").json()
    assert set(seen) == {"audience", "person_name", "unit", "decision", "opens_on", "closes_on", "token"}
    reader = api.get(f"/api/v1/cases/{case.pk}", cast.users.readonly).json()
    assert reader["notices"][0]["objections"][0]["objector"] is None
    reviewer = api.get(f"/api/v1/cases/{case.pk}", cast.users.grassroots_admin).json()
    assert reviewer["notices"][0]["objections"][0]["objector"] == "李四（139****6666）"


def test_api_subtree_notice_is_not_public(api, cast):
    notice = _notice(cast, submitted(cast), audience=PublicNotice.Audience.SUBTREE)
    assert api.get(f"/api/v1/cases/notices/{notice.token}").status_code == 404
