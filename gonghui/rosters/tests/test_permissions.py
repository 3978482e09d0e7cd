"""Every page and API endpoint of this app × every member of the cast (see gonghui.testing.matrix)."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from gonghui.core.models import ExportJob
from gonghui.core.tasks import export_task
from gonghui.rosters import services
from gonghui.rosters.models import ImportJob
from gonghui.rosters.tests.support import HEADER, person_id, upload, xlsx
from gonghui.testing.api import ApiClient
from gonghui.testing.matrix import Case, Page, api_tests, codes, expect

ROSTER = xlsx({"花名册": [HEADER, ["赵六", person_id(7), "", "", "", "", "", "", "", "", ""], ["坏行", "123"]]})


def _job(cast) -> int:
    """The import the cases act on, made once per test (a write case makes it before the snapshot is taken)."""
    if not hasattr(cast, "roster_job"):
        cast.roster_job = upload(cast, ROSTER).pk
    return cast.roster_job


def _export(cast) -> int:
    job = services.export_start(actor=cast.users.national_admin, org=cast.orgs.company)
    export_task.call(job.pk)
    return job.pk


def _roster_form(cast):
    return {"org": cast.orgs.company.pk, "file": SimpleUploadedFile("roster.xlsx", ROSTER)}


def _job_args(cast):
    return [_job(cast)]


READ = expect(200, 200, 200, 200, 200)
JOB_READ = expect(200, 200, 404, 200, 200)
JOB_WRITE = expect(302, 302, 404, 302, 403)
PAGES: list = [
    Page("rosters:imports", READ),
    Page("rosters:upload", expect(200, 200, 200, 200, 403)),
    Page("rosters:upload", JOB_WRITE, method="post", data=_roster_form),
    Page("rosters:template", READ),
    Page("rosters:import", JOB_READ, args=_job_args),
    Page("rosters:import_progress", JOB_READ, args=_job_args),
    Page("rosters:commit", JOB_WRITE, method="post", args=_job_args),
    Page("rosters:resume", JOB_WRITE, method="post", args=_job_args),
    Page("rosters:remap", JOB_WRITE, method="post", args=_job_args,
         data=lambda c: {"heading": ["岗位"], "key": ["job_title"]}),
    # The error rows are full values: the uploader (the grassroots admin) or someone who may unmask there.
    Page("rosters:errors", expect(200, 403, 404, 200, 403), args=_job_args),
    Page("rosters:exports", READ),
    Page("rosters:exports", expect(302, 302, 404, 302, 302), method="post", data=lambda c: {"org": c.orgs.company.pk}),
    Page("rosters:export_download", expect(200, 404, 404, 404, 404), args=lambda c: [_export(c)]),
]  # fmt: skip

API_CASES: list = [
    Case("import-upload", "create", "POST", "/rosters/imports", codes(202, 202, 404, 202, 403, 403, 403, 401),
         body=lambda cast, caller: {"org_id": cast.orgs.company.pk, "file": ROSTER}),
    Case("import", "detail", "GET", "/rosters/imports/{job_id}", codes(200, 200, 404, 200, 200, 403, 403, 401),
         path=lambda cast: f"/rosters/imports/{_job(cast)}"),
    Case("import-commit", "update", "POST", "/rosters/imports/{job_id}/commit",
         codes(202, 202, 404, 202, 403, 403, 403, 401), path=lambda cast: f"/rosters/imports/{_job(cast)}/commit",
         body=lambda cast, caller: _job(cast) and None),
    Case("import-columns", "update", "POST", "/rosters/imports/{job_id}/columns",
         codes(202, 202, 404, 202, 403, 403, 403, 401), path=lambda cast: f"/rosters/imports/{_job(cast)}/columns",
         body=lambda cast, caller: _job(cast) and {"columns": [{"heading": "姓名", "key": "name"}]}),
    Case("import-errors", "detail", "GET", "/rosters/imports/{job_id}/errors",
         codes(200, 403, 404, 200, 403, 403, 403, 401), path=lambda cast: f"/rosters/imports/{_job(cast)}/errors"),
    Case("export", "create", "POST", "/rosters/exports", codes(202, 202, 404, 202, 202, 403, 403, 401),
         body=lambda cast, caller: {"org_id": cast.orgs.company.pk}),
    Case("export", "detail", "GET", "/rosters/exports/{job_id}", codes(200, 404, 404, 404, 404, 403, 403, 401),
         path=lambda cast: f"/rosters/exports/{_export(cast)}"),
    Case("export-download", "detail", "GET", "/rosters/exports/{job_id}/download",
         codes(200, 404, 404, 404, 404, 403, 403, 401), path=lambda cast: f"/rosters/exports/{_export(cast)}/download"),
]  # fmt: skip


def snapshot():
    """What a refused write must leave unchanged."""
    return (
        tuple(ImportJob.objects.order_by("pk").values_list("pk", "status")),
        ExportJob.objects.count(),
    )


class RosterApiClient(ApiClient):
    """Sends a body holding a file as multipart/form-data, as a real client uploads a roster."""

    def call(self, method, path, user=None, body=None, *, token=None):
        raw = token or (self.token(user) if user is not None else None)
        headers = {"HTTP_AUTHORIZATION": f"Bearer {raw}"} if raw else {}
        if isinstance(body, dict) and "file" in body:
            data = {**body, "file": SimpleUploadedFile("roster.xlsx", body["file"])}
            response = self.client.post(path, data, **headers)
        elif method == "GET":
            response = self.client.get(path, **headers)
        else:
            response = self.client.generic(method, path, json.dumps(body) if body is not None else "",
                                           content_type="application/json", **headers)  # fmt: skip
        content = b"".join(response.streaming_content) if response.streaming else response.content
        if response["Content-Type"].startswith("application/json"):  # files are zipped xlsx, not text
            self.seen.append((method, path, response.status_code, content.decode()))
        return response


@pytest.fixture
def api(cast):
    client = RosterApiClient()
    yield client
    client.assert_no_personal_data()


test_api_permissions = api_tests(API_CASES, snapshot)


# Responses that may carry full values (gonghui.testing.pii_guard): roster files for the cadre who asked, audited.
UNMASKED = {
    r"^(/api/v1)?/rosters/exports/\d+/download/?$": "花名册导出文件：仅申请人本人下载；完整信息须有导出权限",
    r"^(/api/v1)?/rosters/imports/\d+/errors/?$": "本人上传的花名册中的错误行，交还本人修改",
}


def probe_targets(cast) -> dict:
    """浙江's roster import and export for the scope probe (gonghui/core/tests/test_scope_probe.py): both paths
    name their job ``job_id``."""
    export = services.export_start(actor=cast.users.province_admin, org=cast.orgs.company)
    export_task.call(export.pk)
    return {
        "job_id": upload(cast, xlsx({"花名册": [HEADER, ["赵六", person_id(7)]]})).pk,
        "/exports/{job_id}": export.pk,
    }
