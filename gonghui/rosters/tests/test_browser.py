"""The mapping step of a roster's dry run, in a browser on a phone and a desktop: an unmatched column is listed,
the cadre assigns it, and the dry run runs again with it."""

import pytest

from gonghui.rosters import tasks
from gonghui.rosters.models import ImportJob
from gonghui.rosters.tests.support import person_id, upload, xlsx
from gonghui.testing.browser import sign_in

SHOTS = "/tmp/shots"  # noqa: S108 — screenshots for people to look at, not data


@pytest.mark.browser
def test_a_cadre_maps_an_unmatched_column_on_a_phone(page, browser, live_server, transactional_db, cast):
    rows = [["序号", "姓名", "公民身份号码", "联系电话", "职工岗位名称", "人员状态", "备注"],
            [1, "赵六", person_id(1), "13511112222", "骑手", "在职", ""],
            [2, "钱七", person_id(2, 1950), "", "门卫", "退休", "返聘"]]  # fmt: skip
    job = upload(cast, xlsx({"花名册": rows}))
    sign_in(page, live_server, cast.users.province_admin, cast.password)
    page.goto(f"{live_server.url}/rosters/imports/{job.pk}/")
    page.wait_for_selector("text=有 2 列没有识别出对应项目")
    assert page.evaluate("document.scrollingElement.scrollWidth") <= page.viewport_size["width"]
    page.screenshot(path=f"{SHOTS}/rosters-mapping-phone.png", full_page=True)
    desk = browser.new_page(viewport={"width": 1366, "height": 768})
    sign_in(desk, live_server, cast.users.province_admin, cast.password)
    desk.goto(f"{live_server.url}/rosters/imports/{job.pk}/")
    desk.screenshot(path=f"{SHOTS}/rosters-mapping-desktop.png", full_page=True)
    desk.close()

    page.select_option("select[aria-label='“职工岗位名称”列对应到']", "job_title")
    page.select_option("select[aria-label='“备注”列对应到']", "")
    page.click("button:has-text('保存列对应并重新预检')")
    page.wait_for_selector("text=列对应已保存")
    tasks.import_check_task.call(job.pk)  # the dry run the page started (the test runs no task worker)
    page.reload()
    page.wait_for_selector("text=每一列都已对应")
    assert ImportJob.objects.get(pk=job.pk).mapping == {"职工岗位名称": "job_title", "备注": ""}
