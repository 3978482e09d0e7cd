"""Roster import: the messy spreadsheets unions really keep, the dry run's outcomes, the error file, commit,
idempotent re-import and an interrupted import resumed."""

import datetime as dt
import io
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from gonghui.core import crypto, files
from gonghui.core.identifiers import parse_id_number
from gonghui.core.models import AuditEvent
from gonghui.core.sealed import id_number_index
from gonghui.members.models import Membership, Person
from gonghui.rosters import importer, services, tasks
from gonghui.rosters.tests.support import HEADER, commit, csv_bytes, person_id, upload, xlsx
from gonghui.testing.cast import LI_NA_ID, WANG_FANG_ID, ZHANG_WEI_ID, refreshed

X_ID = "33010619900102003X"  # a valid ID whose check character is X
OLD_ID = "330106850101123"  # 15 digits, from before 1999
JULY_16 = dt.date(2021, 7, 16)
FULL_WIDTH_ID = person_id(1).translate({ord(d): ord(d) + 0xFEE0 for d in "0123456789"})  # ３３０１…


def person(id_number: str) -> Person:
    return Person.objects.get(id_number_bidx=id_number_index(parse_id_number(id_number).number))


def row(name, id_number, phone="", joined="", **extra):
    cells = dict.fromkeys(HEADER, "") | {"姓名": name, "身份证号": id_number, "手机号": phone, "入会日期": joined}
    return [extra.get(h, cells[h]) for h in HEADER]


def test_messy_roster_reads_every_row(cast):
    main = [
        ["杭州示例科技有限公司工会"], ["会员花名册（2024年）", None, None], [],
        ["序号", "姓 名", "公民身份号码", "联系电话", "文化程度", "用工形式", "是否农民工", "入会时间"],
        [1, " 赵\u3000六 ", FULL_WIDTH_ID, "138 1111 2222", "本科", "全日制",
         "否", "2021-07-16"],
        [2, "钱\u200b七", X_ID.lower(), "+86 13811113333", "大专", "外卖骑手", "是", "2021.7.16"],
        [None, None, None, None, None, None, None, None],
        [3, "孙八", OLD_ID, "", "", "", "", "2021年7月16日"],
        [4, "李九", person_id(4), "", "", "", "", 44393],
        [5, "周十", person_id(5), "", "", "", "", dt.datetime(2021, 7, 16)],
    ]  # fmt: skip
    second = [["第二工作表"], ["证件号码", "姓名", "手机号码"], [person_id(6), "吴一", ""]]
    notes = [["填表说明：身份证号须为 18 位"]]
    job = upload(cast, xlsx({"一车间": main, "二车间": second, "说明": notes}))
    assert job.status == "checked", job.error
    assert job.counts["create"] == 6 and job.counts["invalid"] == 0, job.preview["rows"]["invalid"]
    assert job.preview["skipped"] == ["说明"]
    assert [s["name"] for s in job.preview["sheets"]] == ["一车间", "二车间"]
    commit(cast, job)
    zhao = person(person_id(1))
    assert (zhao.name, zhao.phone_masked, zhao.education, zhao.employment_form) == (
        "赵六",
        "138****2222",
        "bachelor",
        "standard",
    )
    qian = person(X_ID)
    assert qian.name == "钱七" and qian.is_migrant and qian.employment_form == "food_delivery"
    sun = person(OLD_ID)
    assert sun.birth_date == dt.date(1985, 1, 1)
    names = ["赵六", "钱七", "孙八", "李九", "周十"]
    joined = set(Membership.objects.filter(person__name__in=names).values_list("joined_on", flat=True))
    assert joined == {JULY_16}
    assert person(person_id(6)).name == "吴一"
    assert refreshed(cast.orgs.company).member_count == 2 + 6
    assert [refreshed(o).subtree_member_count for o in (cast.orgs.national, cast.orgs.xihu)] == [3 + 6, 2 + 6]


def test_dry_run_sorts_every_row_and_writes_nothing(cast):
    rows = [HEADER,
            row("张伟", ZHANG_WEI_ID, **{"岗位": "工程师"}),  # changed
            row("李娜", LI_NA_ID),  # blank cells keep the registry's values
            row("王芳", WANG_FANG_ID),  # an active member of a union the uploader cannot see
            row("新人", person_id(1)),
            row("新人重复", person_id(1)),
            row("坏号", "330106199001010014"),
            row("", person_id(2))]  # fmt: skip
    before = (Person.objects.count(), Membership.objects.count())
    job = upload(cast, xlsx({"花名册": rows}))
    assert job.counts == {"create": 1, "update": 1, "unchanged": 1, "other_union": 1, "duplicate": 1, "invalid": 2}
    preview = job.preview["rows"]
    assert preview["update"][0]["detail"] == "岗位"
    assert preview["other_union"][0]["detail"] == "已是“其他工会”的会员，如需转入请办理会员关系接转。"
    assert "与本表第 5 行" in preview["duplicate"][0]["detail"]
    assert {r["detail"] for r in preview["invalid"]} == {"身份证号码校验位错误：最后一位应为 8，而不是 4，请核对号码。",
                                                         "姓名为空。"}  # fmt: skip
    assert preview["create"][0]["id_masked"] == "3301**********0018"
    assert (Person.objects.count(), Membership.objects.count()) == before

    commit(cast, job)
    wang = Membership.objects.get(person__name="王芳", status="active")
    assert wang.org == cast.orgs.logistics  # a transfer candidate is listed, never moved
    zhang = Person.objects.get(pk=cast.members.zhang.person_id)
    assert zhang.job_title == "工程师" and zhang.version == 2 and zhang.phone_masked == "138****5678"
    assert Person.objects.get(pk=cast.members.li.person_id).version == 1


@pytest.mark.security
def test_the_error_file_writes_the_owasp_formula_payloads_as_text(cast):
    from openpyxl.utils.escape import unescape

    from gonghui.core.tests.test_spreadsheets_write import PAYLOADS

    rows = [HEADER] + [[payload, "123", payload] for payload in PAYLOADS]  # invalid rows: they go to the file
    job = upload(cast, csv_bytes(rows, "utf-8"), name="花名册.csv")
    sheet = load_workbook(io.BytesIO(services.import_errors_file(actor=cast.users.grassroots_admin, job=job))).active
    cells = [row[:3] for row in sheet.iter_rows(min_row=2)]
    assert len(cells) == len(PAYLOADS) and all(c.data_type == "s" for row in cells for c in row if c.value)
    assert sorted(unescape(row[0].value) for row in cells) == sorted(p.strip() for p in PAYLOADS)


def test_other_union_is_named_when_the_uploader_can_see_it(cast):
    job = upload(cast, xlsx({"花名册": [HEADER, row("王芳", WANG_FANG_ID)]}), user=cast.users.national_admin)
    assert job.preview["rows"]["other_union"][0]["detail"].startswith("已是“南京示例物流有限公司工会”的会员")


def test_error_file_round_trip(cast):
    rows = [["标题行"], HEADER, row("好人", person_id(1), joined="2021-07-16"),
            row("错号", "330106199001010024", phone="13811112222")]  # fmt: skip
    job = upload(cast, xlsx({"花名册": rows}))
    content = services.import_errors_file(actor=cast.users.grassroots_admin, job=job)
    sheet = load_workbook(io.BytesIO(content)).active
    values = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert values[0] == [*HEADER, "错误原因"]
    assert values[1][:3] == ["错号", "330106199001010024", "13811112222"]
    assert values[1][-1].startswith("身份证号码校验位错误")
    assert len(values) == 2
    assert AuditEvent.objects.filter(action="roster.import.errors_download", object_id=str(job.pk)).exists()

    sheet.cell(row=2, column=2).value = person_id(2)  # the user fixes the number and uploads the file again
    fixed = io.BytesIO()
    sheet.parent.save(fixed)
    again = upload(cast, fixed.getvalue())
    assert again.counts["create"] == 1 and again.counts["invalid"] == 0


def test_same_file_twice_changes_nothing(cast):
    rows = [HEADER] + [row(f"职工{n}", person_id(n), phone=f"1381111{n:04d}", joined="2020-01-02",
                           **{"工作单位": "杭州示例科技有限公司", "学历": "本科"}) for n in range(1, 8)]  # fmt: skip
    content = xlsx({"花名册": rows})
    commit(cast, upload(cast, content))
    before = (list(Person.objects.order_by("pk").values()), list(Membership.objects.order_by("pk").values()),
              refreshed(cast.orgs.company).member_count)  # fmt: skip
    again = upload(cast, content)
    assert again.counts["unchanged"] == 7 and again.counts["create"] == 0
    again = commit(cast, again)
    assert again.committed["unchanged"] == 7
    after = (list(Person.objects.order_by("pk").values()), list(Membership.objects.order_by("pk").values()),
             refreshed(cast.orgs.company).member_count)  # fmt: skip
    assert after == before


def test_interrupted_import_resumes_without_losing_or_repeating_a_row(cast, settings, monkeypatch):
    settings.GONGHUI_ROSTERS = {"batch_size": 2}
    rows = [HEADER] + [row(f"职工{n}", person_id(n)) for n in range(1, 6)] + [row("职工1again", person_id(1))]
    job = upload(cast, xlsx({"花名册": rows}))
    assert job.counts["create"] == 5 and job.counts["duplicate"] == 1
    real_write, calls = importer.write_batch, []

    def crash_on_second_batch(job, outcomes):
        calls.append(len(outcomes))
        if len(calls) == 2:
            raise OSError("worker killed")
        return real_write(job, outcomes)

    monkeypatch.setattr(importer, "write_batch", crash_on_second_batch)
    services.import_commit(actor=cast.users.grassroots_admin, job=job)
    with pytest.raises(OSError):
        tasks.import_commit_task.call(job.pk)
    job.refresh_from_db()
    assert (job.status, job.cursor) == ("failed", 2)
    assert "已导入的 2 行已保存" in job.error
    assert Membership.objects.filter(org=cast.orgs.company).count() == 2 + 2  # the second batch left nothing

    monkeypatch.setattr(importer, "write_batch", real_write)
    job = commit(cast, job)  # 继续导入
    assert job.status == "committed" and job.cursor == 6
    assert job.committed == {"create": 5, "update": 0, "unchanged": 0, "other_union": 0, "duplicate": 1,
                             "invalid": 0}  # fmt: skip
    assert Person.objects.filter(name__startswith="职工").count() == 5
    assert person(person_id(1)).name == "职工1"  # the duplicate after the resume point is still a duplicate
    assert refreshed(cast.orgs.company).member_count == 2 + 5
    batches = AuditEvent.objects.filter(action="roster.import.batch", object_id=str(job.pk)).count()
    assert batches == 3


def test_running_the_commit_again_after_it_finished_writes_nothing(cast):
    job = commit(cast, upload(cast, xlsx({"花名册": [HEADER, row("赵六", person_id(1))]})))
    tasks.import_commit_task.call(job.pk)
    assert Person.objects.filter(name="赵六").count() == 1
    assert refreshed(cast.orgs.company).member_count == 3


@pytest.mark.parametrize("encoding", ["utf-8-sig", "gb18030"])
def test_csv_in_utf8_with_bom_and_gb18030(cast, encoding):
    rows = [
        ["职工花名册"],
        ["姓名", "身份证号码", "手机", "入会日期"],
        ["赵六", person_id(1), "13811112222", "2021/7/16"],
    ]
    job = upload(cast, csv_bytes(rows, encoding), name="roster.csv")
    assert (job.kind, job.counts["create"]) == ("csv", 1), job.preview
    commit(cast, job)
    assert person(person_id(1)).phone_masked == "138****2222"


def test_xls_workbook(cast):
    content = (Path(__file__).parent / "data" / "roster.xls").read_bytes()
    job = upload(cast, content, name="roster.xls")
    assert (job.kind, job.counts["create"]) == ("xls", 1), job.preview
    commit(cast, job)
    assert person("330106199001010018").name == "钱七"


def test_new_member_card_numbers_follow_the_member_services_format(cast):
    commit(cast, upload(cast, xlsx({"花名册": [HEADER, row("赵六", person_id(1), joined="2021-07-16"),
                                                row("钱七", person_id(2), **{"会员证号": "C-001"})]})))  # fmt: skip
    cards = dict(
        Membership.objects.filter(person__name__in=["赵六", "钱七"]).values_list("person__name", "card_number")
    )
    assert cards["钱七"] == "C-001"
    assert len(cards["赵六"]) == 17 and cards["赵六"][6:10] == "2021"


def test_a_card_number_already_used_makes_the_row_invalid(cast):
    used = cast.members.wang.card_number
    job = upload(cast, xlsx({"花名册": [HEADER, row("赵六", person_id(1), **{"会员证号": used})]}))
    assert job.counts["invalid"] == 1
    assert "已被使用" in job.preview["rows"]["invalid"][0]["detail"]


def test_only_member_holding_unions_take_imports(cast):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="不直接发展会员"):
        upload(cast, xlsx({"花名册": [HEADER]}), org=cast.orgs.xihu, user=cast.users.national_admin)


def test_a_file_that_is_not_a_roster_is_refused_with_a_reason(cast):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="不接受可执行文件"):
        upload(cast, b"MZ\x90\x00binary", name="roster.xlsx")


def test_the_blank_template_explains_every_column_and_imports_once_filled(client, cast):
    from django.urls import reverse
    from openpyxl import load_workbook as open_workbook

    from gonghui.rosters.columns import COLUMNS

    client.force_login(cast.users.grassroots_admin)
    response = client.get(reverse("rosters:template"))
    assert response.status_code == 200 and "filename*=utf-8''" in response["Content-Disposition"]
    workbook = open_workbook(io.BytesIO(response.content))
    roster, notes = workbook["花名册"], workbook["填写说明"]
    headings = [cell.value for cell in roster[1]]
    assert headings == [names[0] for names in COLUMNS.values()]
    explained = {row[0]: row for row in notes.iter_rows(min_row=2, values_only=True)}
    assert set(explained) == set(headings) and "公民身份号码" in explained["身份证号"][2]
    roster.append(["赵敏", person_id(7)])
    filled = io.BytesIO()
    workbook.save(filled)
    assert upload(cast, filled.getvalue()).counts["create"] == 1


@pytest.mark.parametrize("read_ahead", [True, False])
def test_commit_reading_ahead_in_a_second_process_or_not_gives_the_same_registry(cast, settings, read_ahead):
    settings.GONGHUI_ROSTERS = {"batch_size": 2, "read_ahead": read_ahead}
    rows = [HEADER, row("甲一", person_id(1)), row("乙二", "110101199003071234"), row("丙三", person_id(3)),
            row("甲一再", person_id(1)), row("丁四", person_id(4))]  # fmt: skip
    job = commit(cast, upload(cast, xlsx({"花名册": rows})))
    assert job.status == "committed" and job.cursor == 5
    assert job.committed == {"create": 3, "update": 0, "unchanged": 0, "other_union": 0, "duplicate": 1,
                             "invalid": 1}  # fmt: skip
    assert sorted(Person.objects.filter(name__in=["甲一", "丙三", "丁四"]).values_list("name", flat=True)) == [
        "丁四", "丙三", "甲一"]  # fmt: skip


def test_a_file_that_can_no_longer_be_read_fails_the_commit_and_writes_nothing(cast, settings):
    settings.GONGHUI_ROSTERS = {"read_ahead": True}
    job = upload(cast, xlsx({"花名册": [HEADER, row("赵六", person_id(1))]}))
    files.remove(job.file_path)
    with files.create(job.file_path) as out:  # a stored file, properly encrypted, that is no workbook
        out.write(b"PK\x03\x04 not a workbook any more")
    services.import_commit(actor=cast.users.grassroots_admin, job=job)
    with pytest.raises(importer.RosterReadError):
        tasks.import_commit_task.call(job.pk)
    job.refresh_from_db()
    assert job.status == "failed" and job.cursor == 0
    assert job.error.startswith("导入中断") and "Error" not in job.error  # no internal exception names
    assert not Person.objects.filter(name="赵六").exists()


def test_a_card_number_drawn_again_never_repeats_one_kept_in_the_same_batch(cast, monkeypatch):
    """Round 1 draws A, B, B (B clashes: both redrawn); round 2 draws A, C — A is already kept: drawn again."""
    draws = iter(["33010620219000001", "33010620219000002", "33010620219000002", "33010620219000001",
                  "33010620219000003", "33010620219000004"])  # fmt: skip
    monkeypatch.setattr(importer, "new_card_number", lambda org, year: next(draws))
    rows = [HEADER] + [row(f"抽号{n}", person_id(n)) for n in range(1, 4)]
    job = commit(cast, upload(cast, xlsx({"花名册": rows})))
    assert job.status == "committed" and job.committed["create"] == 3
    cards = set(Membership.objects.filter(person__name__startswith="抽号").values_list("card_number", flat=True))
    assert cards == {"33010620219000001", "33010620219000003", "33010620219000004"}


@pytest.mark.parametrize("read_ahead", [True, False])
def test_backslashes_and_a_literal_null_mark_are_stored_as_written(cast, settings, read_ahead):
    """COPY text escapes: a backslash, and ``\\N`` (COPY's NULL) typed into a cell, come back unchanged."""
    settings.GONGHUI_ROSTERS = {"read_ahead": read_ahead}
    rows = [HEADER, row("王\\五", person_id(1), phone="13811112222", **{"岗位": "\\N"}),
            row("赵\\t六", person_id(2), **{"岗位": "C:\\班组\\", "工作单位": "杭州示例科技有限公司"})]  # fmt: skip
    commit(cast, upload(cast, xlsx({"花名册": rows})))
    wang, zhao = person(person_id(1)), person(person_id(2))
    assert (wang.name, wang.job_title, wang.phone_masked) == ("王\\五", "\\N", "138****2222")
    assert (zhao.name, zhao.job_title, zhao.employer.name) == ("赵\\t六", "C:\\班组\\", "杭州示例科技有限公司")
    assert crypto.decrypt(wang.id_number_enc) == person_id(1) and crypto.decrypt(wang.phone_enc) == "13811112222"


@pytest.mark.parametrize("threshold, analyzed", [(3, True), (4, False)])
def test_a_large_commit_refreshes_the_planner_statistics(cast, settings, threshold, analyzed):
    settings.GONGHUI_ROSTERS = {"analyze_after_rows": threshold}
    job = upload(cast, xlsx({"花名册": [HEADER, row("甲一", person_id(1)), row("乙二", person_id(2)),
                                        row("丙三", person_id(3))]}))  # fmt: skip
    with CaptureQueriesContext(connection) as queries:
        commit(cast, job)
    assert any(q["sql"].startswith("ANALYZE") and "members_person" in q["sql"] for q in queries) == analyzed
