"""manage.py roster_import: the page's checks, dry run, error file and resume, from the command line."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from gonghui.members.models import Membership, Person
from gonghui.rosters import importer
from gonghui.rosters.models import ImportJob
from gonghui.rosters.tests.support import HEADER, person_id, xlsx
from gonghui.rosters.tests.test_import import row


def run(*args, **options) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("roster_import", *args, stdout=out, stderr=err, **options)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def roster(tmp_path):
    rows = [HEADER, *(row(f"职工{n}", person_id(n)) for n in range(1, 6)), row("坏号", "110101199003071234")]
    path = tmp_path / "花名册.xlsx"
    path.write_bytes(xlsx({"花名册": rows}))
    return path


def test_the_dry_run_writes_nothing_but_the_error_file(cast, roster):
    out, err = run(str(roster), org=cast.orgs.company.pk, user="company")
    assert "共 6 行" in out and "新增：5" in out and "无效：1" in out and "加 --commit 导入" in out
    assert "预检" in err and "6 行" in err
    assert not Person.objects.filter(name__startswith="职工").exists()
    errors = load_workbook(roster.with_name("花名册-错误行.xlsx")).active
    assert [c.value for c in errors[2]][:2] == ["坏号", "110101199003071234"] and errors[1][-1].value == "错误原因"
    assert ImportJob.objects.get().status == "checked"


def test_commit_imports_with_a_progress_bar(cast, roster, settings):
    settings.GONGHUI_ROSTERS = {"batch_size": 2}
    out, err = run(str(roster), org=cast.orgs.company.pk, user="company", commit=True)
    assert "导入完成：新增 5 名会员" in out
    assert "[##############################] 6/6 行" in err
    assert Membership.objects.filter(org=cast.orgs.company, person__name__startswith="职工").count() == 5


def test_an_interrupted_import_resumes(cast, roster, settings, monkeypatch):
    settings.GONGHUI_ROSTERS = {"batch_size": 2}
    real_write, calls = importer.write_batch, []

    def crash_on_second_batch(job, outcomes):
        calls.append(len(outcomes))
        if len(calls) == 2:
            raise OSError("worker killed")
        return real_write(job, outcomes)

    monkeypatch.setattr(importer, "write_batch", crash_on_second_batch)
    with pytest.raises(CommandError, match="已导入 2 行；用 --resume"):
        run(str(roster), org=cast.orgs.company.pk, user="company", commit=True)
    monkeypatch.setattr(importer, "write_batch", real_write)
    out, _ = run(user="company", resume=ImportJob.objects.get().pk)
    assert "导入完成：新增 5 名会员" in out
    assert Person.objects.filter(name__startswith="职工").count() == 5


@pytest.mark.parametrize(
    "options, message",
    [({"user": "jiangsu"}, "不存在或不在您的权限范围内"), ({"user": "nobody"}, "不存在或已停用"),
     ({"user": "company", "org": 999999}, "工会 999999 不存在")],
)  # fmt: skip
def test_refusals_are_in_chinese_and_write_nothing(cast, roster, options, message):
    with pytest.raises(CommandError, match=message):
        run(str(roster), **{"org": cast.orgs.company.pk, **options})
    assert not ImportJob.objects.exists()


def test_a_file_that_is_not_a_roster_is_refused(cast, tmp_path):
    path = tmp_path / "x.xlsx"
    path.write_bytes(b"MZ\x90\x00 not a spreadsheet")
    with pytest.raises(CommandError):
        run(str(path), org=cast.orgs.company.pk, user="company")
    assert not ImportJob.objects.exists()
