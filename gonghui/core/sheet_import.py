"""A checked spreadsheet import, all rows or none: a sheet with a fixed header (.xlsx or .csv, checked by
``core.uploads``, read by ``core.spreadsheets``) is read and every row checked by the app's ``check_row``; the
same upload is then

- 预检 (``mode="check"``): every row checked, nothing written, the wrong rows listed with their line numbers;
- 下载错误文件 (``"errors"``): the wrong rows with an 错误原因 column (``core.spreadsheets.write_xlsx``, so a
  cell starting with = + - @ stays text), to fix and upload again — the form is stateless, no upload is stored;
- 导入 (``"import"``): the app's ``commit`` writes all the checked rows in one transaction, or, when any row is
  wrong, nothing (a half-imported sheet is worse than a refused one).

Used by the news question bank (题目导入), the learning completions (学习记录导入) and the opinion items
(舆论条目导入). The roster import (gonghui.rosters) is the bigger machine for messy member rosters (column mapping,
resumable background commit)."""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.http import HttpResponse

from gonghui.core.errors import field_error
from gonghui.core.spreadsheets import cell_text, is_blank, read_sheets, write_xlsx
from gonghui.core.uploads import check_upload

ERROR_COLUMN = "错误原因"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MODES = [("check", "预检（不导入）"), ("import", "导入"), ("errors", "下载错误文件")]


@dataclass(frozen=True)
class SheetSpec:
    """An import's sheet: its ``header`` (the first row), the columns that must be there (``required``),
    ``check_row(values) -> item`` (values: header name -> cell text; raises ValidationError with the reasons in
    Chinese), the most rows one file may hold, and the words for its rows."""

    header: tuple[str, ...]
    required: tuple[str, ...]
    check_row: Callable[[dict[str, str]], Any]
    max_rows: int
    noun: str = "行"  # the unit of a row count: "一次最多导入 2000 道题"
    what: str = "数据"  # what the rows are: "文件中没有题目", "未导入任何题目"


@dataclass
class SheetCheck:
    """A checked sheet: ``rows`` every data row as read (for the error file), ``errors`` row index -> message,
    ``items`` what ``check_row`` returned for the good rows."""

    rows: list[list[str]] = field(default_factory=list)
    errors: dict[int, str] = field(default_factory=dict)
    items: list = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return bool(self.rows) and not self.errors

    def error_rows(self) -> list[list[str]]:
        """The rows for the error file: the wrong ones only, each with its reason."""
        return [[*row, self.errors[i]] for i, row in enumerate(self.rows) if i in self.errors]

    def listed_errors(self, limit: int = 50) -> list[tuple[int, str]]:
        """(line number in the file, message) of the first wrong rows (the header is line 1)."""
        return [(i + 2, m) for i, m in sorted(self.errors.items())[:limit]]


def check_sheet(upload, spec: SheetSpec) -> SheetCheck:
    """Read and check an uploaded sheet (.xlsx or .csv, the first sheet, columns named as ``spec.header``)."""
    checked = check_upload(upload, allowed=("xlsx", "csv"))
    return read_checked(upload, checked.kind, checked.encoding, spec)


def read_checked(file, kind: str, encoding: str | None, spec: SheetSpec) -> SheetCheck:
    """Read and check a sheet already checked as an upload (a stored file a long job reads again)."""
    # The generator is held while its rows are read: a CSV sheet reads through a wrapper the generator closes
    # when it is dropped.
    sheets = read_sheets(file, kind, encoding)
    try:
        sheet = next(sheets, None)
        if sheet is None:
            raise field_error("file", "文件中没有工作表。")
        return _checked_rows(iter(sheet.rows), spec)
    finally:
        sheets.close()


def _checked_rows(rows, spec: SheetSpec) -> SheetCheck:
    header = [cell_text(c) for c in next(rows, [])]
    if any(name not in header for name in spec.required):
        raise field_error("file", "第一行须为表头：" + "、".join(spec.header) + "（可下载模板）。")
    at = {name: header.index(name) for name in spec.header if name in header}
    result = SheetCheck()
    for raw in rows:
        if is_blank(raw):
            continue
        cells = [cell_text(c) for c in raw]
        row = [cells[at[n]] if n in at and at[n] < len(cells) else "" for n in spec.header]
        index = len(result.rows)
        if index >= spec.max_rows:
            raise field_error("file", f"一次最多导入 {spec.max_rows} {spec.noun}，请分批导入。")
        result.rows.append(row)
        try:
            result.items.append(spec.check_row(dict(zip(spec.header, row, strict=True))))
        except ValidationError as error:
            result.errors[index] = "；".join(error.messages)
    if not result.rows:
        raise field_error("file", f"文件中没有{spec.what}。")
    return result


def checked_for_import(upload, spec: SheetSpec) -> SheetCheck:
    """The sheet checked for the app's commit, refused when any row is wrong: then nothing is written."""
    check = check_sheet(upload, spec)
    if check.errors:
        raise field_error(
            "file", f"有 {len(check.errors)} 行有误，未导入任何{spec.what}；请下载错误文件修改后重新导入。"
        )
    return check


def xlsx_response(name: str, sheet: str, header: Sequence[str], rows: list[list]) -> HttpResponse:
    """A workbook of one sheet as a download (a template, an error file)."""
    buffer = io.BytesIO()
    write_xlsx(buffer, [(sheet, list(header), rows)])
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{name}"
    return response


class ModeField(forms.ChoiceField):
    """The import form's 操作: 预检, 导入 or 下载错误文件."""

    def __init__(self, **kwargs):
        super().__init__(label="操作", choices=MODES, initial="check", **kwargs)


@dataclass
class Outcome:
    """What one submission of the import form came to: ``count`` rows imported, or a ``download`` (the error
    file), or a ``check`` to show (a dry run, or an error file asked for when no row is wrong: ``note``)."""

    count: int | None = None
    download: HttpResponse | None = None
    check: SheetCheck | None = None
    note: str = ""


def run(mode: str, upload, spec: SheetSpec, *, commit: Callable[[], int], error_file: str) -> Outcome:
    """One submission of an import form (raises ValidationError as the check and the commit do)."""
    if mode == "import":
        return Outcome(count=commit())
    check = check_sheet(upload, spec)
    if mode == "errors":
        if not check.errors:
            return Outcome(check=check, note="没有有误的行，可以直接导入。")
        return Outcome(download=xlsx_response(error_file, "错误", [*spec.header, ERROR_COLUMN], check.error_rows()))
    return Outcome(check=check)
