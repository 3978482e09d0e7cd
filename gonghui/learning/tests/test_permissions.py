"""Every page and API operation of learning × every member of the cast (see gonghui.testing.matrix).

The course is 浙江's (it reaches the company union below it): Jiangsu does not see it; the company's chairman
sees it (it reaches his members) and records his members' completions; the read-only role sees but does not
write. 张伟 (the cast's worker) has a completion of it, reads his certificate, and checks in a reading; the
cadres are not members, so their check-ins are refused."""

import pytest

from gonghui.learning.models import CheckIn, Completion, Course
from gonghui.learning.tests.conftest import a_completion, a_course, sheet
from gonghui.testing.api import ApiClient
from gonghui.testing.cast import LI_NA_ID
from gonghui.testing.matrix import USERS, Case, Page, api_tests, codes, expect

SIGNED_IN = dict.fromkeys(USERS, 200) | {"anonymous": 302}
EVERYONE = dict.fromkeys(USERS, 200)
MEMBER_POST = dict.fromkeys(USERS, 400) | {"worker": 302, "anonymous": 302}
CADRES = expect(200, 200, 200, 200, 200)
COURSE = expect(200, 200, 404, 200, 200)
WRITE = expect(302, 302, 404, 302, 403)


def course(cast):
    if not hasattr(cast, "course"):
        cast.course = a_course(cast)
    return cast.course


def completion(cast):
    if not hasattr(cast, "completion"):
        cast.completion = a_completion(cast, course(cast))
    return cast.completion


def _course_form(cast):
    return {"org": cast.orgs.company.pk, "title": "班组长管理能力提升培训", "provider": "企业职工学校",
            "category": "skill", "mode": "offline", "hours": "12", "credits": "3", "starts_on": "2026-03-01",
            "ends_on": "2026-03-03"}  # fmt: skip


def _completion_form(cast):
    return {"id_number": LI_NA_ID, "name": "李娜", "completed_on": course(cast).ends_on.isoformat(), "score": "90"}


def _import_form(cast):
    day = course(cast).ends_on.isoformat()
    return {"mode": "import", "file": sheet([["李娜", LI_NA_ID, day, "95", ""]])}


UNMASKED = {
    r"^/learning/courses/\d+/completions/import/$": "本人上传的结业记录表格中的错误行（下载错误文件），交还本人修改",
}

PAGES: list = [
    Page("learning:courses", CADRES),
    Page("learning:course_new", CADRES),
    Page("learning:course_new", expect(302, 302, 400, 302, 400), method="post", data=_course_form),
    Page("learning:course", COURSE, args=lambda c: [course(c).pk]),
    Page("learning:completion_new", COURSE, args=lambda c: [course(c).pk]),
    Page("learning:completion_new", WRITE, method="post", args=lambda c: [course(c).pk], data=_completion_form),
    Page("learning:completion_import", COURSE, args=lambda c: [course(c).pk]),
    Page("learning:completion_import", WRITE, method="post", args=lambda c: [course(c).pk], data=_import_form),
    Page("learning:import_template", CADRES),
    Page("learning:checkins", CADRES),
    Page("learning:report", CADRES),
    Page("learning:report", expect(200, 200, 404, 200, 200), query=lambda c: f"?org={c.orgs.company.pk}",
         variant="org"),
    Page("learning:me", SIGNED_IN),
    Page("learning:checkin", MEMBER_POST, method="post", data=lambda c: {"title": "平凡的世界", "minutes": "60"}),
    Page("learning:certificate_pdf", expect(200, 200, 404, 200, 200, worker=200), args=lambda c: [completion(c).pk]),
    Page("learning:verify", EVERYONE, args=lambda c: ["forged-code"]),
]  # fmt: skip


API_CASES: list = [
    Case("me", "detail", "GET", "/learning/me", codes(404, 404, 404, 404, 404, 200, 404, 401)),
    Case("checkin", "create", "POST", "/learning/me/checkins", codes(400, 400, 400, 400, 400, 200, 400, 401),
         body=lambda c, u: {"title": "大国工匠", "minutes": 45}),
    Case("courses", "list", "GET", "/learning/courses", codes(200, 200, 200, 200, 200, 403, 403, 401),
         path=lambda c: course(c) and "/learning/courses"),
    Case("report", "list", "GET", "/learning/report", codes(200, 200, 200, 200, 200, 403, 403, 401),
         path=lambda c: completion(c) and "/learning/report"),
    Case("report", "detail", "GET", "/learning/report", codes(200, 200, 404, 200, 200, 403, 403, 401),
         path=lambda c: f"/learning/report?org_id={c.orgs.company.pk}"),
]  # fmt: skip


def snapshot():
    return (
        list(Course.objects.order_by("pk").values_list("pk")),
        list(Completion.objects.order_by("pk").values_list("pk", "credits")),
        list(CheckIn.objects.order_by("pk").values_list("pk", "credits")),
    )


@pytest.fixture
def api(cast):
    client = ApiClient()
    yield client
    client.assert_no_personal_data()


test_api_permissions = api_tests(API_CASES, snapshot)
