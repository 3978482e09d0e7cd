"""A list page and its export in a real browser: the pager swaps only the list (HTMX) and pushes the URL; 导出
opens the export's page, whose progress bar polls until the file is ready. On a phone and on a laptop screen.

GONGHUI_SCREENSHOTS=<folder> keeps a screenshot of each step."""

import os

import pytest

from gonghui.core.models import ExportJob
from gonghui.core.tasks import export_task
from gonghui.joining.services import join_code_create
from gonghui.testing.browser import sign_in


def _shot(page, name: str) -> None:
    folder = os.environ.get("GONGHUI_SCREENSHOTS")
    if folder:
        page.screenshot(path=os.path.join(folder, f"{name}.png"), full_page=True)


@pytest.mark.browser
@pytest.mark.parametrize(("width", "height"), [(390, 844), (1366, 768)])
def test_pager_and_export_progress(page, live_server, transactional_db, cast, width, height):
    page.set_viewport_size({"width": width, "height": height})
    for i in range(25):
        join_code_create(actor=cast.users.grassroots_admin, org=cast.orgs.company, label=f"快递员流动入会服务站{i:02d}")
    sign_in(page, live_server, cast.users.province_admin, cast.password)  # no 2FA: may not unmask

    page.goto(f"{live_server.url}/join/codes/")
    pager = page.locator(".pagination")
    assert pager.locator(".page-item.active").inner_text() == "1"
    assert page.locator("#gh-list li.list-group-item").count() == 20
    _shot(page, f"list-page1-{width}")
    heading = page.locator("h1").element_handle()
    pager.locator("a.page-link", has_text="2").click()
    page.wait_for_url(f"{live_server.url}/join/codes/?page=2")
    page.locator(".pagination .page-item.active", has_text="2").wait_for()
    assert page.locator("#gh-list li.list-group-item").count() == 5
    assert heading.is_visible()  # the same page: only the list was swapped
    _shot(page, f"list-page2-{width}")

    page.click("button:has-text('导出')")
    page.wait_for_url(f"{live_server.url}/exports/*/")
    job = ExportJob.objects.get(requested_by=cast.users.province_admin)
    ExportJob.objects.filter(pk=job.pk).update(rows_total=25, rows=10)
    page.locator("progress[value='40']").wait_for(timeout=5000)  # the next poll shows the progress
    _shot(page, f"export-progress-{width}")
    export_task.call(job.pk)
    page.locator("a:has-text('下载')").wait_for(timeout=5000)  # the poll after it reloads the page
    assert "已生成，共 25 行" in page.content()
    _shot(page, f"export-ready-{width}")
