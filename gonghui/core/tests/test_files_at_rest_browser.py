"""A stored export downloaded in a real browser (docs/security.md §25): the file on disk is encrypted, the
browser receives the plain workbook, byte for byte what was written.

GONGHUI_SCREENSHOTS=<folder> keeps a screenshot of the export's page."""

import os

import pytest
from openpyxl import load_workbook

from gonghui.core import files
from gonghui.core.tasks import export_task
from gonghui.rosters import services as roster_services
from gonghui.testing.browser import sign_in

pytestmark = pytest.mark.security


@pytest.mark.browser
@pytest.mark.parametrize(("width", "height"), [(390, 844), (1366, 768)])
def test_an_encrypted_export_downloads_as_the_plain_workbook(page, live_server, transactional_db, cast, settings,
                                                               tmp_path, width, height):  # fmt: skip
    settings.VAR_DIR = tmp_path / "var"
    page.set_viewport_size({"width": width, "height": height})
    user = cast.users.province_admin  # signs in without a second factor (no unmask permission): a masked export
    job = roster_services.export_start(actor=user, org=cast.orgs.company)
    export_task.call(job.pk)
    job.refresh_from_db()
    stored = files.path_of(job.file_path).read_bytes()
    assert stored.startswith(files.MAGIC) and b"3301" not in stored and b"xl/worksheets" not in stored
    sign_in(page, live_server, user, cast.password)
    page.goto(f"{live_server.url}/exports/{job.pk}/")
    if folder := os.environ.get("GONGHUI_SCREENSHOTS"):
        page.screenshot(path=os.path.join(folder, f"export-encrypted-{width}.png"), full_page=True)
    with page.expect_download() as download:
        page.click("a:has-text('下载')")
    saved = tmp_path / "download.xlsx"
    download.value.save_as(saved)
    with files.open_private(job.file_path) as plain:
        assert saved.read_bytes() == plain.read()
    rows = list(load_workbook(saved).active.iter_rows(values_only=True))
    assert {row[2] for row in rows[1:]} == {"3301**********1236", "3301**********0026"}
