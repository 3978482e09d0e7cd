"""Spreadsheet reading and writing the way people really keep their sheets.

Reading: ``read_sheets`` yields every sheet of an .xlsx/.xls (python-calamine) or a CSV (UTF-8 with or
without BOM, or GB18030, as ``core.uploads.check_upload`` found it) with its rows as lists of raw cell values,
lazily. ``find_header`` picks the header row among the first rows by a caller's score (title rows above
the header are common). ``cell_text`` and ``compact_text`` normalise what people type — full-width
characters (NFKC), stray and ideographic spaces, zero-width characters — and ``parse_date`` reads dates as
2021-07-16, 2021/7/16, 2021.7.16, 2021年7月16日, 20210716, Excel serial numbers or date cells.

Writing: ``write_xlsx`` streams rows into a workbook (openpyxl write-only mode: memory stays bounded).
"""

import csv
import datetime as dt
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from django.core.exceptions import ValidationError
from python_calamine import CalamineWorkbook

ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"))
SPACES = re.compile(r"\s+")
# Excel's day 0 is 1899-12-30 in the 1900 date system (its phantom 1900-02-29 makes serials from March 1900
# on count from here); serials below 61 are never membership dates.
EXCEL_EPOCH = dt.date(1899, 12, 30)
EXCEL_SERIALS = range(61, 2_958_466)  # 1900-03-01 .. 9999-12-31
DATE_TEXT = re.compile(r"(\d{4})\s*[-./年]\s*(\d{1,2})\s*[-./月]\s*(\d{1,2})\s*日?(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?")
DATE_DIGITS = re.compile(r"(\d{4})(\d{2})(\d{2})")


def cell_text(value) -> str:
    """A cell as clean text: NFKC (full-width to half-width), no zero-width characters, inner runs of spaces
    (including the ideographic space U+3000) as one space, trimmed. Whole numbers lose their ".0"."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    elif isinstance(value, dt.datetime):
        value = value.date() if value.time() == dt.time() else value
    text = unicodedata.normalize("NFKC", str(value)).translate(ZERO_WIDTH)
    return SPACES.sub(" ", text).strip()


def compact_text(value) -> str:
    """``cell_text`` without any spaces (names, ID numbers, codes: 张 伟 -> 张伟)."""
    return cell_text(value).replace(" ", "")


def parse_date(value) -> dt.date:
    """A date cell, an Excel serial number or a date written in any of the usual ways."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if int(value) in EXCEL_SERIALS:
            return EXCEL_EPOCH + dt.timedelta(days=int(value))
        raise ValidationError(f"无法识别的日期：{cell_text(value)}。", code="date")
    text = cell_text(value)
    match = DATE_TEXT.fullmatch(text) or DATE_DIGITS.fullmatch(text)
    if match is None and text.isdigit() and int(text) in EXCEL_SERIALS:
        return EXCEL_EPOCH + dt.timedelta(days=int(text))
    if match is None:
        raise ValidationError(f"无法识别的日期：{text}，请写成 2021-07-16 或 2021年7月16日。", code="date")
    try:
        return dt.date(*(int(part) for part in match.groups()))
    except ValueError:
        raise ValidationError(f"日期 {text} 不存在。", code="date") from None


@dataclass
class Sheet:
    """One sheet: its name and its rows (lists of raw cell values), read lazily."""

    name: str
    rows: Iterator[list]


def read_sheets(path: Path, kind: str, encoding: str | None = None) -> Iterator[Sheet]:
    """The sheets of a checked upload (``kind`` and ``encoding`` from ``core.uploads.check_upload``)."""
    if kind == "csv":
        with open(path, encoding=encoding or "utf-8-sig", newline="") as handle:
            yield Sheet("CSV", iter(csv.reader(handle)))
        return
    workbook = CalamineWorkbook.from_path(str(path))
    try:
        for index, name in enumerate(workbook.sheet_names):
            yield Sheet(name, workbook.get_sheet_by_index(index).iter_rows())
    finally:
        workbook.close()


def find_header(rows: Iterator[list], score: Callable[[list], int], *, scan: int) -> tuple[list, int, list[list]]:
    """Among the first ``scan`` rows, the best-scoring one (the first of equals) as the header.

    Returns (header, its 0-based index, the rows read after it), so that the caller continues with those
    and then the rest of ``rows``; an empty header when no row scores above zero."""
    head = [row for _, row in zip(range(scan), rows, strict=False)]
    best, best_score = -1, 0
    for index, row in enumerate(head):
        points = score(row)
        if points > best_score:
            best, best_score = index, points
    if best < 0:
        return [], -1, []
    return head[best], best, head[best + 1 :]


def is_blank(row: list) -> bool:
    return all(cell_text(cell) == "" for cell in row)


def write_xlsx(path: Path | BinaryIO, sheets: Iterable[tuple[str, list[str], Iterable[list]]]) -> int:
    """Write (title, header, rows) sheets to ``path`` (or a binary file), streaming; returns the number of data rows."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    count = 0
    for title, header, rows in sheets:
        sheet = workbook.create_sheet(title=title[:31])
        sheet.append(header)
        for row in rows:
            sheet.append(row)
            count += 1
    workbook.save(path)
    return count
