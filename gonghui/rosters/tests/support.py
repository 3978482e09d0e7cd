"""Helpers of the roster tests: spreadsheets made in the test, and the import run through its services."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from gonghui.rosters import services, tasks
from gonghui.rosters.models import ImportJob
from gonghui.testing.cast import valid_id

HEADER = ["姓名", "身份证号", "手机号", "民族", "学历", "就业形态", "农民工", "工作单位", "岗位", "入会日期",
          "会员证号"]  # fmt: skip


def person_id(n: int, year: int = 1990) -> str:
    """A valid ID number, distinct for each ``n``."""
    return valid_id(f"330106{year}0101{n:03d}")


def xlsx(sheets: dict[str, list[list]]) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets.items():
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def csv_bytes(rows: list[list], encoding: str) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode(encoding)


def upload(cast, content: bytes, *, name: str = "花名册.xlsx", org=None, user=None) -> ImportJob:
    """Upload and run the dry run, as the worker would."""
    file = SimpleUploadedFile(name, content)
    job = services.import_upload(actor=user or cast.users.grassroots_admin, org=org or cast.orgs.company,
                                 file=file, file_name=name)  # fmt: skip
    tasks.import_check_task.call(job.pk)
    job.refresh_from_db()
    return job


def commit(cast, job: ImportJob, *, user=None) -> ImportJob:
    services.import_commit(actor=user or cast.users.grassroots_admin, job=job)
    tasks.import_commit_task.call(job.pk)
    job.refresh_from_db()
    return job


@pytest.fixture(autouse=True)
def _files_in_tmp(settings, tmp_path):
    settings.VAR_DIR = tmp_path
