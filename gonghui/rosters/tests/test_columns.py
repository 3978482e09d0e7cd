"""Rosters as unions really keep them: the column-mapping step of the dry run, retired members, files without
data or without a header, IDs that Excel mangled, and the blank template (issue 9)."""

import io
import string
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook

from gonghui.core.identifiers import id_check_character
from gonghui.core.models import AuditEvent
from gonghui.members.models import Membership
from gonghui.rosters import services, tasks
from gonghui.rosters.columns import COLUMNS, columns_described, heading_key, row_parse
from gonghui.rosters.models import ColumnMapping, ImportJob
from gonghui.rosters.tests.support import HEADER, commit, csv_bytes, person_id, upload, xlsx
from gonghui.testing.cast import ZHANG_WEI_ID

first17 = st.tuples(st.sampled_from(["330106", "110101", "440305", "510104"]),
                    st.dates(date(1930, 1, 1), date(2005, 12, 31)), st.integers(0, 999)).map(
    lambda t: f"{t[0]}{t[1]:%Y%m%d}{t[2]:03d}")  # fmt: skip
valid_ids = first17.map(lambda f: f + id_check_character(f))
DECORATIONS = st.sampled_from(["{}", " {} ", "{}*", "*{}", "{}（必填）", "{}(必填)", "{}：", "{}（填写全称）",
                               "{}\u3000", "\u200b{}"])  # fmt: skip


# ----- the ID numbers Excel mangled --------------------------------------------------------------------------


@given(valid_ids)
def test_an_id_stored_as_a_number_is_reported_as_mangled_by_excel(id_number):
    with pytest.raises(ValidationError, match="已被 Excel 改坏") as caught:
        row_parse({"name": "甲", "id_number": float(id_number[:17] + "0")})  # what calamine reads: a double
    assert "校验位" not in str(caught.value)


@given(valid_ids)
def test_scientific_notation_and_zeroed_last_digits_are_reported_as_mangled(id_number):
    shown = f"{float(id_number[:17] + '0'):.5E}"  # 3.30106E+17, as Excel shows it
    for typed in (shown, shown.lower(), id_number[:15] + "000"):
        if typed.isdigit() and typed[-1] == id_check_character(typed[:17]):  # still valid: a real ID ending in 000
            continue
        with pytest.raises(ValidationError, match="已被 Excel 改坏"):
            row_parse({"name": "甲", "id_number": typed})


@given(valid_ids)
def test_a_valid_id_is_never_reported_as_mangled_and_a_wrong_check_digit_stays_one(id_number):
    assert row_parse({"name": "甲", "id_number": id_number}).id_number == id_number
    wrong = id_number[:17] + ("1" if id_number[17] != "1" else "2")
    if not wrong.endswith("000"):
        with pytest.raises(ValidationError, match="校验位错误"):
            row_parse({"name": "甲", "id_number": wrong})


# ----- header matching ---------------------------------------------------------------------------------------


@given(st.sampled_from([(key, name) for key, names in COLUMNS.items() for name in names]), DECORATIONS)
def test_every_real_world_name_matches_its_column_whatever_the_decoration(pair, decoration):
    key, name = pair
    assert heading_key(decoration.format(name)) == key


@given(st.text(alphabet=string.ascii_letters + "甲乙丙丁的地得", min_size=1, max_size=8))
def test_a_union_mapping_wins_over_names_and_an_unknown_heading_is_listed_not_dropped(heading):
    assert heading_key(heading, {heading: "job_title"}) == "job_title"
    assert heading_key(heading, {heading: ""}) is None
    [described] = columns_described([heading])
    assert described["heading"] == heading and described["how"] in ("auto", "unmatched", "ignored")


def test_columns_are_described_with_what_they_matched_and_how():
    header = ["序号", "姓名", "身份证号", "手机", "联系电话", "员工编号", "备注", None]
    described = {c["heading"]: (c["key"], c["how"]) for c in columns_described(header, {"员工编号": ""})}
    assert described == {"序号": ("", "ignored"), "姓名": ("name", "auto"), "身份证号": ("id_number", "auto"),
                         "手机": ("phone", "auto"), "联系电话": ("phone", "repeated"), "员工编号": ("", "remembered"),
                         "备注": ("", "unmatched")}  # fmt: skip


# ----- the mapping step --------------------------------------------------------------------------------------


def test_the_mapping_step_lists_an_unmatched_column_and_the_union_remembers_the_choice(cast, client):
    rows = [["姓名", "身份证号", "职工岗位名称", "备注"], ["赵六", person_id(1), "骑手", "无"]]
    job = upload(cast, xlsx({"花名册": rows}))
    client.force_login(cast.users.grassroots_admin)
    page = client.get(reverse("rosters:import", args=[job.pk])).content.decode()
    assert "有 2 列没有识别出对应项目" in page and "“职工岗位名称”" in page and "按列名识别" in page

    response = client.post(reverse("rosters:remap", args=[job.pk]),
                           {"heading": ["姓名", "身份证号", "职工岗位名称", "备注"],
                            "key": ["name", "id_number", "job_title", ""]})  # fmt: skip
    assert response.status_code == 302
    tasks.import_check_task.call(job.pk)
    job.refresh_from_db()
    assert job.status == "checked" and job.mapping == {"职工岗位名称": "job_title", "备注": ""}
    assert dict(ColumnMapping.objects.filter(org=cast.orgs.company).values_list("heading", "key")) == job.mapping
    page = client.get(reverse("rosters:import", args=[job.pk])).content.decode()
    assert "每一列都已对应" in page and "按本工会的设置" in page
    assert AuditEvent.objects.filter(action="roster.import.remap", object_id=str(job.pk)).exists()
    commit(cast, job)
    assert Membership.objects.get(person__name="赵六").person.job_title == "骑手"

    again = upload(cast, xlsx({"花名册": [["姓名", "身份证号", "职工岗位名称"], ["钱七", person_id(2), "站长"]]}))
    assert again.mapping == {"职工岗位名称": "job_title", "备注": ""}  # remembered for the next upload
    assert [c["how"] for c in again.preview["sheets"][0]["columns"]] == ["auto", "auto", "remembered"]


def test_a_mapping_cannot_change_once_the_commit_started_nor_name_a_column_not_in_the_file(cast):
    job = upload(cast, xlsx({"花名册": [["姓名", "身份证号", "工号"], ["赵六", person_id(1), "A1"]]}))
    with pytest.raises(ValidationError, match="文件中没有“工种编号”这一列"):
        services.import_remap(actor=cast.users.grassroots_admin, job=job, assignments={"工种编号": "job_title"})
    with pytest.raises(ValidationError, match="对应项目无效"):
        services.import_remap(actor=cast.users.grassroots_admin, job=job, assignments={"工号": "salary"})
    commit(cast, job)
    with pytest.raises(ValidationError, match="不能再修改列对应"):
        services.import_remap(actor=cast.users.grassroots_admin, job=job, assignments={"工号": ""})
    assert not ColumnMapping.objects.exists()


# ----- retired members ---------------------------------------------------------------------------------------


def test_retired_members_import_as_retired_keeping_their_join_date(cast):
    import datetime as dt

    rows = [["姓名", "身份证号", "入会日期", "人员状态"],
            ["退一", person_id(1, 1950), "1985-03-01", "退休"], ["退二", person_id(2, 1948), "1979.10.1", "离退休"],
            ["在三", person_id(3), "2015-01-01", "在职"], ["张伟", ZHANG_WEI_ID, "", "已退休"],
            ["怪四", person_id(4), "", "病休"]]  # fmt: skip
    job = upload(cast, xlsx({"花名册": rows}))
    assert job.counts["create"] == 3 and job.counts["update"] == 1 and job.counts["invalid"] == 1
    assert job.preview["rows"]["update"][0]["detail"] == "会员状态（退休）"
    assert "会员状态“病休”无法识别" in job.preview["rows"]["invalid"][0]["detail"]
    commit(cast, job)
    retired = Membership.objects.get(person__name="退一")
    assert retired.is_retired and retired.status == "active" and retired.joined_on == dt.date(1985, 3, 1)
    assert Membership.objects.get(person__name="退二").joined_on == dt.date(1979, 10, 1)
    assert not Membership.objects.get(person__name="在三").is_retired
    zhang = Membership.objects.get(person__name="张伟", status="active")
    assert zhang.is_retired and zhang.joined_on == dt.date(2020, 3, 1)  # through membership_retire, audited
    assert AuditEvent.objects.filter(action="membership.retire", object_id=str(zhang.pk)).exists()


# ----- files that cannot be imported -------------------------------------------------------------------------


@pytest.mark.parametrize(("content", "name", "message"), [
    (xlsx({"花名册": [HEADER]}), "花名册.xlsx", "该 Excel 工作簿（.xlsx）只有表头，没有会员数据行"),
    (xlsx({"一": [["会员花名册"], ["序号", "备注"]], "二": [["说明"]]}), "花名册.xlsx",
     "该 Excel 工作簿（.xlsx）的每个工作表中都没有找到表头"),
    (csv_bytes([["序号", "工号"], ["1", "A"]], "utf-8"), "花名册.csv", "该 CSV 文件中没有找到表头"),
    (csv_bytes([HEADER], "utf-8"), "花名册.csv", "该 CSV 文件只有表头"),
])  # fmt: skip
def test_a_file_without_data_rows_or_without_a_header_is_refused_naming_its_type(cast, client, content, name,
                                                                              message):  # fmt: skip
    job = upload(cast, content, name=name)
    assert job.status == "failed" and job.error.startswith(message)
    assert ("CSV" in job.error) == name.endswith(".csv") and "Error" not in job.error
    with pytest.raises(ValidationError, match="不能确认导入"):
        services.import_commit(actor=cast.users.grassroots_admin, job=job)
    client.force_login(cast.users.grassroots_admin)
    page = client.get(reverse("rosters:import", args=[job.pk])).content.decode()
    assert message in page and "确认导入" not in page and ("工作表“CSV”" not in page)


def test_a_corrupt_workbook_is_refused_without_an_exception_name(cast, monkeypatch):
    from gonghui.rosters import importer

    def broken(*args, **kwargs):
        raise KeyError("xl/worksheets/sheet1.xml")

    monkeypatch.setattr(importer, "read_sheets", broken)
    with pytest.raises(KeyError):
        upload(cast, xlsx({"花名册": [HEADER]}))
    job = ImportJob.objects.get()
    assert job.status == "failed" and job.error.startswith("该 Excel 工作簿（.xlsx）无法读取")
    assert "KeyError" not in job.error


def test_the_progress_is_the_share_of_rows_checked(cast):
    seen = []
    job = upload(cast, xlsx({"花名册": [HEADER] + [[f"甲{i}", person_id(i)] for i in range(1, 6)]}))
    job.status, job.rows_checked, job.counts, job.preview = ImportJob.Status.CHECKING, 0, {}, {}
    job.save()

    def watch(done):
        seen.append(ImportJob.objects.get(pk=job.pk).percent)

    with override_settings(GONGHUI_ROSTERS={"batch_size": 2}):  # the dry run again, watched after each batch
        services.import_check(job=job, progress=watch)
    assert seen == [40, 80, 100]
    assert ImportJob(status=ImportJob.Status.CHECKING, rows_total=0).percent == 0  # nothing counted yet


# ----- the template ------------------------------------------------------------------------------------------


def test_the_template_formats_id_and_phone_as_text_and_its_instructions_sheet_is_skipped_quietly(client, cast):
    client.force_login(cast.users.grassroots_admin)
    workbook = load_workbook(io.BytesIO(client.get(reverse("rosters:template")).content))
    roster = workbook["花名册"]
    headings = [cell.value for cell in roster[1]]
    for heading in ("身份证号", "手机号"):
        letter = roster.cell(row=1, column=headings.index(heading) + 1).column_letter
        assert roster.column_dimensions[letter].number_format == "@", heading
    roster.append(["赵敏", person_id(7), "13511112222"])
    filled = io.BytesIO()
    workbook.save(filled)
    job = upload(cast, filled.getvalue())
    assert job.status == "checked" and job.counts["create"] == 1
    assert job.preview["skipped"] == [] and [s["name"] for s in job.preview["sheets"]] == ["花名册"]


def test_the_api_shows_the_columns_and_sets_the_mapping(cast):
    from gonghui.testing.api import ApiClient

    job = upload(cast, xlsx({"花名册": [["姓名", "身份证号", "工种名称"], ["赵六", person_id(1), "骑手"]]}))
    api = ApiClient()
    body = api.get(f"/api/v1/rosters/imports/{job.pk}", cast.users.grassroots_admin).json()
    assert body["columns"][2] == {"heading": "工种名称", "key": "", "how": "unmatched"}
    response = api.post(f"/api/v1/rosters/imports/{job.pk}/columns", cast.users.grassroots_admin,
                        {"columns": [{"heading": "工种名称", "key": "job_title"}]})  # fmt: skip
    assert response.status_code == 202 and response.json()["status"] == "checking"
    tasks.import_check_task.call(job.pk)
    body = api.get(f"/api/v1/rosters/imports/{job.pk}", cast.users.grassroots_admin).json()
    assert body["columns"][2] == {"heading": "工种名称", "key": "job_title", "how": "remembered"}
    response = api.post(f"/api/v1/rosters/imports/{job.pk}/columns", cast.users.grassroots_admin,
                        {"columns": [{"heading": "工资", "key": "job_title"}]})  # fmt: skip
    assert response.status_code == 400 and "文件中没有“工资”这一列" in response.json()["detail"]
    api.assert_no_personal_data()
