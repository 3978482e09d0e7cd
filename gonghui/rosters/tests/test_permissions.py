"""Every page and API endpoint of this app × every member of the cast (see gonghui/orgs/tests/matrix.py)."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from gonghui.core.models import ExportJob
from gonghui.core.tasks import export_task
from gonghui.orgs.tests.api_support import ApiClient
from gonghui.orgs.tests.matrix import Case, api_tests, codes, expect, page_tests
from gonghui.rosters import services
from gonghui.rosters.models import ImportJob
from gonghui.rosters.tests.support import HEADER, person_id, upload, xlsx

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


def _page(name, *args):
    return lambda cast: reverse(f"rosters:{name}", args=[f(cast) for f in args])


READ = expect(200, 200, 200, 200, 200)
JOB_READ = expect(200, 200, 404, 200, 200)
JOB_WRITE = expect(302, 302, 404, 302, 403)
# (name, method, url builder, data builder, expected statuses from matrix.expect)
PAGES: list = [
    ("imports", "get", _page("imports"), None, READ),
    ("upload", "get", _page("upload"), None, expect(200, 200, 200, 200, 403)),
    ("upload-post", "post", _page("upload"), _roster_form, JOB_WRITE),
    ("template", "get", _page("template"), None, READ),
    ("import", "get", _page("import", _job), None, JOB_READ),
    ("import_progress", "get", _page("import_progress", _job), None, JOB_READ),
    ("commit", "post", _page("commit", _job), None, JOB_WRITE),
    # The error rows are full values: the uploader (the grassroots admin) or someone who may unmask there.
    ("errors", "get", _page("errors", _job), None, expect(200, 403, 404, 200, 403)),
    ("exports", "get", _page("exports"), None, READ),
    ("exports-post", "post", _page("exports"), lambda cast: {"org": cast.orgs.company.pk},
     expect(302, 302, 404, 302, 302)),
    ("export_download", "get", _page("export_download", _export), None, expect(200, 404, 404, 404, 404)),
]  # fmt: skip
PAGE_ROUTES: set[str] = {"imports", "upload", "template", "import", "import_progress", "commit", "errors", "exports",
                         "export_download"}  # fmt: skip

API_CASES: list = [
    Case("import-upload", "create", "POST", "/rosters/imports", codes(202, 202, 404, 202, 403, 403, 403, 401),
         body=lambda cast, caller: {"org_id": cast.orgs.company.pk, "file": ROSTER}),
    Case("import", "detail", "GET", "/rosters/imports/{job_id}", codes(200, 200, 404, 200, 200, 403, 403, 401),
         path=lambda cast: f"/rosters/imports/{_job(cast)}"),
    Case("import-commit", "update", "POST", "/rosters/imports/{job_id}/commit",
         codes(202, 202, 404, 202, 403, 403, 403, 401), path=lambda cast: f"/rosters/imports/{_job(cast)}/commit",
         body=lambda cast, caller: _job(cast) and None),
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


test_page_permissions = page_tests(PAGES)


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
