"""Roster export: masked by default, unmasked only with the permission, audited, for the one who asked."""

import io

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from gonghui.core import exports, files
from gonghui.core.models import AuditEvent, ExportJob
from gonghui.core.tasks import export_task
from gonghui.rosters import services
from gonghui.testing.cast import LI_NA_ID, WANG_FANG_ID, ZHANG_WEI_ID


def exported(cast, user, org, *, unmasked=False) -> list[list]:
    job = services.export_start(actor=user, org=org, unmasked=unmasked)
    export_task.call(job.pk)
    job.refresh_from_db()
    with files.open_private(exports.export_download(actor=user, job=job)) as stored:
        return [list(r) for r in load_workbook(stored).active.iter_rows(values_only=True)]


def test_export_of_a_subtree_is_masked_by_default(cast):
    rows = exported(cast, cast.users.province_admin, cast.orgs.zhejiang)
    assert rows[0][:4] == ["所在工会", "姓名", "身份证号", "手机号"]
    assert sorted(r[1] for r in rows[1:]) == ["张伟", "李娜"]  # the subtree only: not 王芳 in Jiangsu
    assert {r[2] for r in rows[1:]} == {"3301**********1236", "3301**********0026"}
    assert ZHANG_WEI_ID not in str(rows) and "13812345678" not in str(rows)
    assert AuditEvent.objects.filter(action="roster.export.download", actor=cast.users.province_admin).exists()


def test_unmasked_export_needs_the_permission_and_is_audited(cast):
    rows = exported(cast, cast.users.national_admin, cast.orgs.national, unmasked=True)
    assert {r[2] for r in rows[1:]} == {ZHANG_WEI_ID, LI_NA_ID, WANG_FANG_ID}
    event = AuditEvent.objects.get(action="roster.export", actor=cast.users.national_admin)
    assert event.detail == {"unmasked": True}
    with pytest.raises(PermissionDenied):
        services.export_start(actor=cast.users.province_admin, org=cast.orgs.zhejiang, unmasked=True)
    assert AuditEvent.objects.filter(action="roster.export", result="denied").exists()


def test_only_the_requester_downloads_and_old_files_expire(cast):
    job = services.export_start(actor=cast.users.national_admin, org=cast.orgs.company)
    export_task.call(job.pk)
    job.refresh_from_db()
    with pytest.raises(Http404):
        exports.export_download(actor=cast.users.grassroots_admin, job=job)
    assert services.roster_files_expire(now=timezone.now() + timezone.timedelta(days=8))["exports"] == 1
    job.refresh_from_db()
    assert job.status == "expired" and job.file_path == ""


def test_export_page_starts_an_export_and_lists_it(client, cast):
    client.force_login(cast.users.grassroots_admin)
    response = client.post(reverse("rosters:exports"), {"org": cast.orgs.company.pk})
    assert response.status_code == 302
    page = client.get(reverse("rosters:exports"))
    assert "杭州示例科技有限公司工会" in page.content.decode() and "生成中" in page.content.decode()


def test_unmasked_download_over_the_page(client, cast):
    client.force_login(cast.users.grassroots_admin)
    client.post(reverse("rosters:exports"), {"org": cast.orgs.company.pk, "unmasked": "on"})
    job = cast.users.grassroots_admin.__class__.objects.get(pk=cast.users.grassroots_admin.pk)
    job = ExportJob.objects.get(requested_by=job)
    assert job.unmasked
    export_task.call(job.pk)
    response = client.get(reverse("rosters:export_download", args=[job.pk]))
    content = b"".join(response.streaming_content)
    rows = list(load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True))
    assert rows[1][2] in {ZHANG_WEI_ID, LI_NA_ID}
    assert response["Cache-Control"] == "no-store"


def test_expired_uploads_take_their_kept_invalid_rows_with_them(cast):
    from gonghui.rosters.models import ImportIssue
    from gonghui.rosters.tests.support import HEADER, upload, xlsx

    job = upload(cast, xlsx({"花名册": [HEADER, ["坏号", "330106199001010014"]]}))
    assert ImportIssue.objects.filter(job=job).exists()
    done = services.roster_files_expire(now=timezone.now() + timezone.timedelta(days=8))
    assert done["uploads"] == 1 and done["issues"] >= 1 and not ImportIssue.objects.filter(job=job).exists()


def test_a_failed_export_says_so_instead_of_running_forever(cast, monkeypatch):
    job = services.export_start(actor=cast.users.grassroots_admin, org=cast.orgs.company)

    def broken(*args, **kwargs):
        raise OSError("磁盘已满")

    monkeypatch.setattr(exports, "write_xlsx", broken)
    with pytest.raises(OSError):
        exports.export_run(job=job)
    assert ExportJob.objects.get(pk=job.pk).status == ExportJob.Status.FAILED
