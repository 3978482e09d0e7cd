"""The list kit through the pages: paging instead of a cut, the pager, HTMX partials, query counts; and the one
list export: masked by default, unmasked only with the permission (audited), out of scope reads as not found,
progress polled, formula payloads written as text."""

import io
from urllib.parse import quote

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from gonghui.core import crypto, exports
from gonghui.core.lists import page_number
from gonghui.core.models import AuditEvent, ExportJob
from gonghui.core.tasks import export_task
from gonghui.joining.services import join_code_create
from gonghui.members.services import member_create
from gonghui.testing.cast import LI_NA_ID, ZHANG_WEI_ID, valid_id

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def codes(cast):
    """25 join codes of the company (one page is 20)."""
    for i in range(25):
        join_code_create(actor=cast.users.grassroots_admin, org=cast.orgs.company, label=f"服务站{i:02d}")
    return cast


def _export(client, **data):
    response = client.post(reverse("exports:list"), data)
    return response


def _ran(job: ExportJob) -> ExportJob:
    export_task.call(job.pk)
    job.refresh_from_db()
    return job


def _sheet(client, job: ExportJob) -> list[list]:
    response = client.get(reverse("exports:download", args=[job.pk]))
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    return [list(row) for row in book.active.iter_rows(values_only=True)]


# ----- paging --------------------------------------------------------------------------------------------------


def test_a_long_list_is_paged_not_cut(client, codes):
    client.force_login(codes.users.grassroots_admin)
    first = client.get(reverse("joining:codes"))
    body = first.content.decode()
    assert len(first.context["rows"]) == 20 and first.context["has_next"] and first.context["total"] == 25
    assert 'class="pagination' in body and 'href="?page=2"' in body and "<html" in body
    second = client.get(reverse("joining:codes"), {"page": 2})
    assert len(second.context["rows"]) == 5 and not second.context["has_next"]
    labels = {c.label for c in first.context["rows"]} | {c.label for c in second.context["rows"]}
    assert len(labels) == 25


def test_a_short_list_has_no_pager(client, cast):
    client.force_login(cast.users.grassroots_admin)
    body = client.get(reverse("joining:codes")).content.decode()
    assert 'class="pagination' not in body


def test_htmx_gets_only_the_list(client, codes):
    client.force_login(codes.users.grassroots_admin)
    partial = client.get(reverse("joining:codes"), {"page": 2}, **HTMX).content.decode()
    assert partial.lstrip().startswith('<div id="gh-list">') and "<html" not in partial and "服务站" in partial
    assert 'hx-target="#gh-list"' in partial  # the pager inside it keeps swapping the list only
    assert "HX-Request" in client.get(reverse("joining:codes"), **HTMX)["Vary"]
    whole = client.get(reverse("joining:codes"), {"page": 2}).content.decode()
    assert "<html" in whole and 'id="gh-list"' in whole


def test_the_filters_stay_in_the_pager_links(client, cast):
    client.force_login(cast.users.national_admin)
    for i in range(22):
        member_create(actor=None, org=cast.orgs.company, name=f"测试{i}", id_number=valid_id(f"33010619910201{i:03d}"))
    response = client.post(reverse("members:list"), {"q": "cs", "page": 1}, follow=True)
    token = response.redirect_chain[0][0].split("?s=")[1]
    body = response.content.decode()
    assert 'class="pagination' in body and f'href="?s={token}&amp;page=2"' in body
    assert response.context["total"] == 22 and not response.context["capped"]


def test_the_count_is_capped_on_big_lists(client, cast, settings):
    settings.GONGHUI_COUNT_LIMIT = 2
    client.force_login(cast.users.national_admin)
    response = client.get(reverse("members:list"))
    assert response.context["capped"] and response.context["total"] == 2
    assert "超过 2 人" in response.content.decode()


@pytest.mark.parametrize("value", ["", "0", "-1", "x", "2.5", None])
def test_a_bad_page_reads_as_the_first(value):
    assert page_number(value) == 1


@pytest.mark.parametrize(
    ("url", "limit"),
    [("joining:codes", 9), ("joining:todo", 8), ("members:transfers", 9), ("members:lapse", 8),
     ("privacy:queue", 9), ("rosters:imports", 10), ("exports:list", 8)],
)  # fmt: skip
def test_the_main_lists_take_a_fixed_number_of_queries(client, codes, django_assert_max_num_queries, url, limit):
    client.force_login(codes.users.grassroots_admin)
    client.get(reverse(url))  # sessions and caches warm
    with django_assert_max_num_queries(limit):
        assert client.get(reverse(url)).status_code == 200


# ----- export --------------------------------------------------------------------------------------------------


def test_export_from_a_list_page_is_masked_by_default_and_audited(client, cast):
    client.force_login(cast.users.grassroots_admin)
    page = client.post(reverse("members:list"), {"org": cast.orgs.company.pk}, follow=True).content.decode()
    assert 'name="list" value="members.members"' in page and "导出" in page
    response = _export(client, list="members.members", org=cast.orgs.company.pk)
    job = ExportJob.objects.get(requested_by=cast.users.grassroots_admin)
    assert response.status_code == 302 and response["Location"] == reverse("exports:detail", args=[job.pk])
    assert not job.unmasked and job.org == cast.orgs.company and job.status == "running"
    rows = _sheet(client, _ran(job))
    assert rows[0][:4] == ["所在工会", "姓名", "身份证号", "手机号"]
    assert {r[2] for r in rows[1:]} == {"3301**********1236", "3301**********0026"}
    assert ZHANG_WEI_ID not in str(rows) and "13812345678" not in str(rows)
    assert AuditEvent.objects.get(action="member.list.export").detail == {"unmasked": False}
    assert AuditEvent.objects.filter(action="member.list.export.download", object_id=str(job.pk)).exists()


def test_the_export_keeps_the_filters_of_the_list(client, cast):
    client.force_login(cast.users.national_admin)
    _export(client, list="members.members", q="ln")
    rows = _sheet(client, _ran(ExportJob.objects.get()))
    assert [r[1] for r in rows[1:]] == ["李娜"]
    stored = ExportJob.objects.get().params_enc  # what was searched for is stored encrypted
    assert '"ln"' not in stored and '"ln"' in crypto.decrypt(stored)


def test_unmasked_export_with_the_permission(client, cast):
    client.force_login(cast.users.grassroots_admin)
    page = client.post(reverse("members:list"), {"org": cast.orgs.company.pk}, follow=True).content.decode()
    assert "导出（含完整信息）" in page
    _export(client, list="members.members", org=cast.orgs.company.pk, unmasked="1")
    job = _ran(ExportJob.objects.get())
    assert job.unmasked
    rows = _sheet(client, job)
    assert {r[2] for r in rows[1:]} == {ZHANG_WEI_ID, LI_NA_ID} and "13812345678" in str(rows)
    assert AuditEvent.objects.get(action="member.list.export").detail == {"unmasked": True}
    download = AuditEvent.objects.get(action="member.list.export.download")
    assert download.detail == {"unmasked": True, "rows": 2}


def test_unmasked_export_without_the_permission_is_refused_and_audited(client, cast):
    client.force_login(cast.users.province_admin)
    page = client.post(reverse("members:list"), {"org": cast.orgs.zhejiang.pk}, follow=True).content.decode()
    assert "导出（含完整信息）" not in page
    response = _export(client, list="members.members", org=cast.orgs.zhejiang.pk, unmasked="1")
    assert response.status_code == 403 and not ExportJob.objects.exists()
    event = AuditEvent.objects.get(action="member.list.export")
    assert event.result == "denied" and event.actor == cast.users.province_admin


@pytest.mark.security
def test_read_only_grant_may_export_masked(client, cast):
    client.force_login(cast.users.readonly)
    response = _export(client, list="members.members", org=cast.orgs.company.pk)
    job = _ran(ExportJob.objects.get(requested_by=cast.users.readonly))
    assert response.status_code == 302 and not job.unmasked and job.status == "ready"
    rows = _sheet(client, job)
    assert len(rows) == 3 and ZHANG_WEI_ID not in str(rows) and "13812345678" not in str(rows)


@pytest.mark.security
def test_read_only_grant_never_exports_unmasked_even_with_can_unmask(client, cast):
    cast.users.readonly.grants.update(can_unmask=True)
    client.force_login(cast.users.readonly)
    page = client.post(reverse("members:list"), {"org": cast.orgs.company.pk}, follow=True).content.decode()
    assert "导出（含完整信息）" not in page
    response = _export(client, list="members.members", org=cast.orgs.company.pk, unmasked="1")
    assert response.status_code == 403 and not ExportJob.objects.exists()
    assert AuditEvent.objects.get(action="member.list.export").result == "denied"


def test_unmasked_needs_an_org_to_hold_the_permission_on(client, cast):
    client.force_login(cast.users.national_admin)  # may unmask, but the list is not narrowed to an org
    assert _export(client, list="members.transfers", unmasked="1").status_code == 403
    assert not ExportJob.objects.exists()


def test_export_out_of_scope_reads_as_not_found(client, cast):
    client.force_login(cast.users.grassroots_admin)
    assert _export(client, list="members.members", org=cast.orgs.logistics.pk).status_code == 404
    assert _export(client, list="no.such.list").status_code == 404
    assert _export(client, list="core.exports").status_code == 404
    assert _export(client, list="console.audit").status_code == 404  # a console list: no cadre exports it
    assert _export(client, list="console.accounts").status_code == 404
    assert not ExportJob.objects.exists()


def test_only_the_requester_sees_an_export(client, cast):
    job = exports.export_start(actor=cast.users.national_admin, spec=exports.cadre_list("members.transfers"),
                               params={})  # fmt: skip
    _ran(job)
    client.force_login(cast.users.grassroots_admin)
    for name in ("detail", "progress", "download"):
        assert client.get(reverse(f"exports:{name}", args=[job.pk])).status_code == 404
    client.force_login(cast.users.worker)
    assert client.get(reverse("exports:detail", args=[job.pk])).status_code == 403


def test_the_progress_bar_polls_until_the_file_is_ready(client, cast):
    client.force_login(cast.users.grassroots_admin)
    _export(client, list="joining.codes")
    job = ExportJob.objects.get()
    running = client.get(reverse("exports:progress", args=[job.pk]))
    assert 'hx-trigger="every 2s"' in running.content.decode() and "HX-Refresh" not in running
    assert "<progress" in client.get(reverse("exports:detail", args=[job.pk])).content.decode()
    _ran(job)
    done = client.get(reverse("exports:progress", args=[job.pk]))
    assert done["HX-Refresh"] == "true" and "hx-trigger" not in done.content.decode()
    assert (
        reverse("exports:download", args=[job.pk])
        in client.get(reverse("exports:detail", args=[job.pk])).content.decode()
    )
    assert job.title in client.get(reverse("exports:list")).content.decode()


def test_progress_is_kept_while_the_file_is_written(cast, monkeypatch):
    for i in range(5):
        join_code_create(actor=cast.users.grassroots_admin, org=cast.orgs.company, label=f"站{i}")
    job = exports.export_start(actor=cast.users.grassroots_admin, spec=exports.cadre_list("joining.codes"), params={})
    seen = []

    def recording(path, sheets):  # what the progress bar reads while each row is written
        for _title, _header, rows in sheets:
            for _row in rows:
                seen.append(ExportJob.objects.values_list("rows", "rows_total").get(pk=job.pk))
        return len(seen)

    monkeypatch.setattr(exports, "PROGRESS_EVERY", 2)
    monkeypatch.setattr(exports, "write_xlsx", recording)
    exports.export_run(job=job)
    assert seen == [(0, 5), (0, 5), (2, 5), (2, 5), (4, 5)]
    assert ExportJob.objects.get(pk=job.pk).percent == 100


@pytest.mark.security
def test_formula_payloads_in_a_list_are_exported_as_text(client, cast):
    payloads = ['=HYPERLINK("http://x","y")', "=cmd|' /C calc'!A0", "+1+1", "-2+3", "@SUM(1+1)", "=1+1"]
    for label in payloads:
        join_code_create(actor=cast.users.grassroots_admin, org=cast.orgs.company, label=label)
    client.force_login(cast.users.grassroots_admin)
    _export(client, list="joining.codes")
    job = _ran(ExportJob.objects.get())
    response = client.get(reverse("exports:download", args=[job.pk]))
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    cells = {row[0].value: row[0] for row in sheet.iter_rows(min_row=2)}
    assert set(cells) == set(payloads)
    assert all(cell.data_type == "s" for cell in cells.values())


def test_exports_of_every_list_expire_with_the_roster_files(cast):
    from django.utils import timezone

    from gonghui.rosters.services import roster_files_expire

    job = _ran(exports.export_start(actor=cast.users.grassroots_admin, spec=exports.cadre_list("joining.codes"),
                                    params={}))  # fmt: skip
    assert job.status == "ready" and job.file_path
    assert roster_files_expire(now=timezone.now() + timezone.timedelta(days=8))["exports"] == 1
    job.refresh_from_db()
    assert job.status == "expired" and job.file_path == ""


def test_the_export_list_polls_while_a_file_is_written_and_stops_when_all_are_ready(client, cast):
    client.force_login(cast.users.grassroots_admin)
    _export(client, list="joining.codes")
    job = ExportJob.objects.get()
    running = client.get(reverse("exports:list")).content.decode()
    assert f'hx-get="{reverse("exports:list")}" hx-trigger="every 3s"' in running
    polled = client.get(reverse("exports:list"), **HTMX)
    assert polled.templates[0].name == "core/_export_rows.html"  # the poll swaps the list only
    _ran(job)
    assert "hx-trigger" not in client.get(reverse("exports:list")).content.decode()


def test_the_file_is_named_after_its_union_its_list_and_its_day(client, cast):
    client.force_login(cast.users.grassroots_admin)
    _export(client, list="members.members", org=cast.orgs.company.pk)
    job = _ran(ExportJob.objects.get())
    day = f"{timezone.localtime(job.created_at):%Y-%m-%d}"
    assert job.file_name == f"{cast.orgs.company.name}-会员名单-{day}.xlsx"
    response = client.get(reverse("exports:download", args=[job.pk]))
    expected = quote(f"{cast.orgs.company.name}-会员名单-{day}.xlsx")
    assert response["Content-Disposition"] == f"attachment; filename*=utf-8''{expected}"


@pytest.mark.parametrize("name", ["A/B工会", 'x:"y"', "a\\b|c*?<>"])
def test_a_file_name_has_nothing_a_file_system_refuses(name, cast):
    job = ExportJob(title="会员花名册", org=cast.orgs.company, created_at=timezone.now())
    cast.orgs.company.name = name
    assert not set(job.file_name) & set('/\\:*?"<>|')
