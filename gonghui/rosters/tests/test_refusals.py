"""Every refusal of the roster pages is audited (docs/decisions/0010)."""

from django.urls import reverse

from gonghui.core.models import AuditEvent
from gonghui.rosters.tests.support import HEADER, upload, xlsx


def _refusals(user) -> list[str]:
    return [e.detail["reason"] for e in AuditEvent.objects.filter(actor=user, action="access.denied")]


def test_a_read_only_user_is_refused_the_upload_page_with_an_audit_event(cast, client):
    client.force_login(cast.users.readonly)
    assert client.get(reverse("rosters:upload")).status_code == 403
    assert _refusals(cast.users.readonly) == ["您的角色没有导入会员的权限。"]


def test_the_error_file_refused_to_a_writer_who_may_not_unmask_is_audited(cast, client):
    job = upload(cast, xlsx({"花名册": [HEADER, ["坏行", "123"]]}))
    client.force_login(cast.users.province_admin)
    assert client.get(reverse("rosters:errors", args=[job.pk])).status_code == 403
    [reason] = _refusals(cast.users.province_admin)
    assert reason.startswith("错误行含完整的身份证号码和手机号码")
    assert AuditEvent.objects.get(actor=cast.users.province_admin, action="access.denied").org == cast.orgs.company
