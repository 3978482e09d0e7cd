"""Every page and API endpoint of the case kernel × every member of the cast (see gonghui/testing/matrix.py).

The case is the test kind's (support.REVIEW), at 杭州示例科技有限公司工会, already submitted: the step to take is
the review, which the level above the grassroots union takes — so the grassroots admin may read, publish, upload
and answer, but gets 403 on the review; the province (and 全总) reviews; Jiangsu does not see the case (404)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from gonghui.cases import services
from gonghui.cases.models import Case, CaseAttachment, Objection, PublicNotice
from gonghui.cases.tests.support import PDF, submitted
from gonghui.testing.api import ApiClient
from gonghui.testing.matrix import USERS, Page, api_tests, codes, expect
from gonghui.testing.matrix import Case as ApiCase

PUBLIC = dict.fromkeys(USERS, 200)


def case(cast) -> Case:
    if not hasattr(cast, "case"):
        cast.case = submitted(cast)
    return cast.case


def notice(cast) -> PublicNotice:
    if not hasattr(cast, "notice"):
        cast.notice = services.notice_publish(actor=cast.users.grassroots_admin, case=case(cast), **_notice_form(cast))
    return cast.notice


def objection(cast) -> Objection:
    if not hasattr(cast, "objection"):
        cast.objection = services.objection_submit(actor=None, notice=notice(cast), text="有异议", name="李四",
                                                   phone="13955556666")  # fmt: skip
    return cast.objection


def _case(cast):
    return [case(cast).pk]


def _review(cast):
    return {"to": "reviewed", "version": case(cast).version, "note": ""}


def _notice_form(cast):
    case(cast)  # made before a refused write's snapshot
    return {"audience": "public", "person_name": "张伟", "unit": "杭州示例科技有限公司", "decision": "拟给予帮扶"}


WRITE = expect(302, 302, 404, 302, 403)

PAGES: list = [
    Page("cases:todo", expect(200, 200, 200, 200, 200)),
    Page("cases:detail", expect(200, 200, 404, 200, 200), args=_case),
    Page("cases:act", expect(302, 302, 404, 403, 403), method="post", args=_case, data=_review),
    Page("cases:notice_publish", WRITE, method="post", args=_case, data=_notice_form),
    Page("cases:attachment_upload", WRITE, method="post", args=_case,
         data=lambda c: {"document": "other", "file": SimpleUploadedFile("说明.pdf", PDF)}),
    Page("cases:attachment", expect(200, 200, 404, 200, 200), args=lambda c: [case(c).attachments.first().pk]),
    Page("cases:objection_answer", WRITE, method="post", args=lambda c: [objection(c).pk],
         data=lambda c: {"answer": "经核实符合条件"}),
    Page("cases:notice", PUBLIC, args=lambda c: [notice(c).token]),
]  # fmt: skip

API_CASES: list = [
    ApiCase("cases todo", "list", "GET", "/cases/todo", codes(200, 200, 200, 200, 200, 403, 403, 401)),
    ApiCase("case detail", "detail", "GET", "/cases/{case_id}", codes(200, 200, 404, 200, 200, 403, 403, 401),
            path=lambda c: f"/cases/{case(c).pk}"),
    ApiCase("case transition", "update", "POST", "/cases/{case_id}/transition",
            codes(200, 200, 404, 403, 403, 403, 403, 401), path=lambda c: f"/cases/{case(c).pk}/transition",
            body=lambda c, u: _review(c)),
    ApiCase("case notice", "create", "POST", "/cases/{case_id}/notices",
            codes(201, 201, 404, 201, 403, 403, 403, 401), path=lambda c: f"/cases/{case(c).pk}/notices",
            body=lambda c, u: _notice_form(c)),
    ApiCase("objection answer", "update", "POST", "/cases/objections/{objection_id}/answer",
            codes(200, 200, 404, 200, 403, 403, 403, 401),
            path=lambda c: f"/cases/objections/{objection(c).pk}/answer",
            body=lambda c, u: {"answer": "已核实"} if objection(c) else None),
    ApiCase("public notice", "detail", "GET", "/cases/notices/{token}", codes(*[200] * 8),
            path=lambda c: f"/cases/notices/{notice(c).token}"),
    ApiCase("public objection", "create", "POST", "/cases/notices/{token}/objections", codes(*[201] * 8),
            path=lambda c: f"/cases/notices/{notice(c).token}/objections",
            body=lambda c, u: {"text": "有异议", "name": "王五", "phone": "13911112222"}),
]  # fmt: skip


def snapshot():
    """What a refused write must leave unchanged."""
    return (
        list(Case.objects.order_by("pk").values_list("pk", "status", "version")),
        PublicNotice.objects.count(),
        list(Objection.objects.order_by("pk").values_list("pk", "answered_at")),
        CaseAttachment.objects.count(),
    )


@pytest.fixture
def api(cast):
    client = ApiClient()
    client.remember_secret("13955556666", "13911112222")
    yield client
    client.assert_no_personal_data()


test_api_permissions = api_tests(API_CASES, snapshot)


def probe_targets(cast) -> dict:
    """浙江's case for the scope probe (gonghui/core/tests/test_scope_probe.py); objections and notice tokens: an
    id and a token that exist nowhere (the public notice operations are exempt by name there)."""
    return {"case_id": submitted(cast).pk, "objection_id": 1, "token": "x" * 32}
