"""Spreadsheet reading and writing the way people really keep their sheets.

Reading: ``read_sheets`` yields every sheet of an .xlsx/.xls (python-calamine; an .xlsx over
``STREAM_XLSX_BYTES`` through ``stream_xlsx``, which holds one chunk of a sheet at a time) or a CSV (UTF-8 with or
without BOM, or GB18030, as ``core.uploads.check_upload`` found it) with its rows as lists of raw cell values,
lazily. ``find_header`` picks the header row among the first rows by a caller's score (title rows above
the header are common). ``cell_text`` and ``compact_text`` normalise what people type — full-width
characters (NFKC), stray and ideographic spaces, zero-width characters — and ``parse_date`` reads dates as
2021-07-16, 2021/7/16, 2021.7.16, 2021年7月16日, 20210716, Excel serial numbers or date cells.

Writing: ``write_xlsx`` streams rows into a workbook (openpyxl write-only mode: memory stays bounded), every text
cell as text, never as a formula (``safe_cells``).
"""

import codecs
import csv
import datetime as dt
import html
import io
import re
import unicodedata
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import BinaryIO

from django.core.exceptions import ValidationError
from python_calamine import CalamineWorkbook

ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"))
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
    if type(value) is str:
        # Letters and digits only (ID numbers, phones, codes, most names) already in NFKC: no space, zero-width
        # character (format characters are not alphanumeric) or compatibility form to remove.
        if value.isalnum() and (value.isascii() or unicodedata.is_normalized("NFKC", value)):
            return value
    elif type(value) is int:  # digits and perhaps a minus sign: nothing to normalise
        return str(value)
    elif isinstance(value, float) and value.is_integer():
        return str(int(value))
    return _cell_text_general(value)


def _cell_text_general(value) -> str:
    """``cell_text`` without its fast paths (the property tests compare them)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    elif isinstance(value, dt.datetime):
        value = value.date() if value.time() == dt.time() else value
    text = unicodedata.normalize("NFKC", str(value)).translate(ZERO_WIDTH)
    return " ".join(text.split())  # str.split() splits on what the regex \s matches


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


def read_sheets(path: Path | BinaryIO, kind: str, encoding: str | None = None) -> Iterator[Sheet]:
    """The sheets of a checked upload (``kind`` and ``encoding`` from ``core.uploads.check_upload``), from a path
    or a seekable binary file (a stored upload, decrypted as it is read: ``core.files.open_private``)."""
    if kind == "csv":
        binary = path if hasattr(path, "read") else open(path, "rb")  # noqa: SIM115 — closed with the wrapper
        with io.TextIOWrapper(binary, encoding=encoding or "utf-8-sig", newline="") as handle:
            yield Sheet("CSV", iter(csv.reader(handle)))
        return
    size = path.seek(0, io.SEEK_END) if hasattr(path, "read") else Path(path).stat().st_size
    if kind == "xlsx" and size > STREAM_XLSX_BYTES:
        yield from stream_xlsx(path)
        return
    if hasattr(path, "read"):
        path.seek(0)
    workbook = CalamineWorkbook.from_filelike(path) if hasattr(path, "read") else CalamineWorkbook.from_path(str(path))
    try:
        for index, name in enumerate(workbook.sheet_names):
            yield Sheet(name, workbook.get_sheet_by_index(index).iter_rows())
    finally:
        workbook.close()


# ----- streaming .xlsx ----------------------------------------------------------------------------------------
# python-calamine reads a whole sheet into memory (about 1 KB a row of a roster: 1 GB for a million rows), so
# bigger .xlsx files are read here row by row from the zip: the sheet XML is decompressed in chunks and cut
# into rows and cells with regular expressions (only <row>, <c>, <v>, <is>/<t> matter; XML written by Excel,
# WPS, openpyxl and XlsxWriter alike). The shared strings table is held in memory (one str per distinct text).

STREAM_XLSX_BYTES = 8 * 2**20  # compressed size above which an .xlsx is streamed
_NS = r"(?:[\w.-]+:)?"  # an optional namespace prefix (x:row)
# One pass over the sheet XML finds a row's start (its attributes) and each cell: its column letters, style
# and type (attributes in any order), and the text of a plain inline string or of a plain value directly, or
# anything else (formula, rich text) whole.
_TOKEN = re.compile(
    rf"<{_NS}(row)\b([^>]*)>"
    rf"""|<{_NS}c\b(?=[^>]*?\br=["']([A-Z]+))?(?=[^>]*?\bs=["'](\d+))?(?=[^>]*?\bt=["'](\w+))?[^>]*?"""
    rf"(?:/>|>(?:<{_NS}is><{_NS}t>([^<]*)</{_NS}t></{_NS}is>|<{_NS}v>([^<]*)</{_NS}v>|(.*?))</{_NS}c>)",
    re.S,
)
_ATTR = re.compile(r"""([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_VALUE = re.compile(rf"<{_NS}v\b[^>]*>([^<]*)</{_NS}v>")
_TEXT = re.compile(rf"<{_NS}t\b[^>]*?(?:/>|>([^<]*)</{_NS}t>)")
_PHONETIC = re.compile(rf"<{_NS}rPh\b.*?</{_NS}rPh>", re.S)
_ROW_NUMBER = re.compile(r"""\br\s*=\s*["'](\d+)""")
_ROWS_END = re.compile(rf"</{_NS}row>|<{_NS}row\b[^>]*/>")
_SI = re.compile(rf"<{_NS}si\b[^>]*?(?:/>|>(.*?)</{_NS}si>)", re.S)
_SI_END = re.compile(rf"</{_NS}si>|<{_NS}si\b[^>]*/>")
_RELATIONSHIP = re.compile(rf"<{_NS}Relationship\b([^>]*)>")
_SHEET = re.compile(rf"<{_NS}sheet\b([^>]*)>")
_NUMBER_FORMAT = re.compile(rf"<{_NS}numFmt\b([^>]*)>")
_CELL_STYLES = re.compile(rf"<{_NS}cellXfs\b[^>]*>(.*?)</{_NS}cellXfs>", re.S)
_STYLE = re.compile(rf"<{_NS}xf\b([^>]*)>")
# Built-in number formats that are dates (ECMA-376 18.8.30, with the CJK ones Chinese Excel writes).
DATE_FORMATS = {*range(14, 23), *range(27, 37), *range(45, 48), *range(50, 59)}
_FORMAT_LITERALS = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]')


def stream_xlsx(path: Path) -> Iterator[Sheet]:
    """The sheets of an .xlsx, each row a list of raw values at their column positions (row 1 first, empty
    rows as []): str, int or float, bool, datetime for date-formatted numbers, None for empty cells.

    No XML parser is involved: entities other than the predefined and numeric ones are never expanded."""
    with zipfile.ZipFile(path) as archive:
        names = set(archive.namelist())
        shared = _shared_strings(archive) if "xl/sharedStrings.xml" in names else []
        dates = _date_styles(archive.read("xl/styles.xml").decode()) if "xl/styles.xml" in names else set()
        members = _sheet_members(archive)
    for name, member in members:
        yield Sheet(name, _sheet_rows(path, member, shared, dates))


def _sheet_members(archive: zipfile.ZipFile) -> list[tuple[str, str]]:
    targets = {}
    for found in _RELATIONSHIP.finditer(archive.read("xl/_rels/workbook.xml.rels").decode()):
        attrs = _attrs(found.group(1))
        target = attrs.get("Target", "")
        targets[attrs.get("Id")] = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
    sheets = []
    for found in _SHEET.finditer(archive.read("xl/workbook.xml").decode()):
        attrs = _attrs(found.group(1))
        rel = next((v for k, v in attrs.items() if k.endswith(":id")), None)
        sheets.append((_unescape(attrs.get("name", "")), targets[rel]))
    return sheets


def _chunks(archive: zipfile.ZipFile, member: str, end: re.Pattern) -> Iterator[str]:
    """The member's text, decompressed a megabyte at a time, in pieces that end after an ``end`` match."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    buffer = ""
    with archive.open(member) as source:
        while chunk := source.read(CHUNK_BYTES):
            buffer += decoder.decode(chunk)
            last = _last(end, buffer, max(0, len(buffer) - CHUNK_TAIL)) or _last(end, buffer, 0)
            if last is not None:
                yield buffer[: last.end()]
                buffer = buffer[last.end() :]


CHUNK_BYTES = 1 << 20  # compressed bytes read at a time
CHUNK_TAIL = 1 << 16  # the last match is looked for in the buffer's last 64 KB first (rows are far shorter)


def _last(end: re.Pattern, text: str, start: int) -> re.Match | None:
    """The last match of ``end`` in ``text`` that starts at or after ``start``."""
    last = None
    for last in end.finditer(text, start):  # noqa: B007 - the last match is the one wanted
        pass
    return last


def _shared_strings(archive: zipfile.ZipFile) -> list[str]:
    return [_inline_text(si.group(1) or "") for piece in _chunks(archive, "xl/sharedStrings.xml", _SI_END)
            for si in _SI.finditer(piece)]  # fmt: skip


def _inline_text(xml: str) -> str:
    """The text of a string item (<si> or <is>): its <t> runs, phonetic guides (<rPh>) left out."""
    if "rPh" in xml:
        xml = _PHONETIC.sub("", xml)
    return _unescape("".join(_TEXT.findall(xml)))


def _date_styles(styles: str) -> set[int]:
    """Indexes of the cell styles whose number format is a date or time."""
    formats = set(DATE_FORMATS)
    for found in _NUMBER_FORMAT.finditer(styles):
        attrs = _attrs(found.group(1))
        if re.search(r"[ymdhs]", _FORMAT_LITERALS.sub("", _unescape(attrs.get("formatCode", ""))), re.I):
            formats.add(int(attrs.get("numFmtId", -1)))
    cell_styles = _CELL_STYLES.search(styles)
    xfs = _STYLE.finditer(cell_styles.group(1)) if cell_styles else []
    return {i for i, xf in enumerate(xfs) if int(_attrs(xf.group(1)).get("numFmtId", 0)) in formats}


def _sheet_rows(path: Path, member: str, shared: list[str], dates: set[int]) -> Iterator[list]:
    """A sheet's rows; the sheet opens the file itself, so that it can be read after the workbook moved on."""
    with zipfile.ZipFile(path) as archive:
        yield from _rows(archive, member, shared, dates)


def _rows(archive: zipfile.ZipFile, member: str, shared: list[str], dates: set[int]) -> Iterator[list]:
    expected, row = 1, None
    for piece in _chunks(archive, member, _ROWS_END):
        for is_row, attrs, column, style, kind, text, value, inner in _TOKEN.findall(piece):
            if is_row:
                if row is not None:
                    yield row
                found = _ROW_NUMBER.search(attrs)
                number = int(found.group(1)) if found else expected
                yield from ([] for _ in range(number - expected))
                row, expected = [], number + 1
                continue
            if column:
                index = _column_index(column)
                if index > len(row):
                    row.extend([None] * (index - len(row)))
            if kind == "inlineStr":
                row.append(_inline_text(inner) if inner else _unescape(text))
            else:
                if inner:  # a formula before the value, or some other markup
                    found = _VALUE.search(inner)
                    value = found.group(1) if found else ""
                row.append(_value(kind, style, value, shared, dates) if value else None)
    if row is not None:
        yield row


def _attrs(text: str) -> dict[str, str]:
    return {m.group(1): m.group(2) if m.group(2) is not None else m.group(3) for m in _ATTR.finditer(text)}


@lru_cache(maxsize=1024)
def _column_index(letters: str) -> int:
    index = 0
    for letter in letters:
        index = index * 26 + ord(letter) - 64
    return index - 1


def _value(kind: str, style: str, text: str, shared: list[str], dates: set[int]):
    """A cell's value from the text of its <v> (not empty)."""
    if kind == "s":
        return shared[int(text)]
    if kind in ("str", "e"):
        return _unescape(text)
    if kind == "b":
        return text.strip() == "1"
    if kind == "d":
        return dt.datetime.fromisoformat(text)
    number = float(text) if any(c in text for c in ".eE") else int(text)
    if style and int(style) in dates:
        # to the millisecond, as Excel keeps times (the float's last bits are noise)
        return dt.datetime.combine(EXCEL_EPOCH, dt.time()) + dt.timedelta(milliseconds=round(number * 86_400_000))
    return number


_OOXML_ESCAPED = re.compile(r"_x([0-9A-Fa-f]{4})_")


def _unescape(text: str) -> str:
    """XML entities, then OOXML's _xHHHH_ escapes (Excel writes a carriage return as _x000D_)."""
    text = html.unescape(text) if "&" in text else text
    return _OOXML_ESCAPED.sub(lambda m: chr(int(m.group(1), 16)), text) if "_x" in text else text


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


def write_xlsx(path: Path | BinaryIO, sheets: Iterable[tuple[str, list[str], Iterable[list]]], *,
               text_columns: dict[str, list[int]] | None = None) -> int:  # fmt: skip
    """Write (title, header, rows) sheets to ``path`` (or a binary file), streaming; returns the number of data rows.
    Every text cell is written as text (``safe_cells``): nothing anyone typed becomes a formula. ``text_columns``
    (sheet title -> 0-based column indexes) formats whole columns as text, so that what people type into them
    later stays text (Excel turns an 18-digit ID number typed into a General cell into 3.30106E+17)."""
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=True)
    count = 0
    for title, header, rows in sheets:
        sheet = workbook.create_sheet(title=title[:31])
        for index in (text_columns or {}).get(title, []):
            column = sheet.column_dimensions[get_column_letter(index + 1)]
            column.number_format, column.width = "@", 22
        sheet.append(safe_cells(sheet, header))
        for row in rows:
            sheet.append(safe_cells(sheet, row))
            count += 1
    workbook.save(path)
    return count


# A text that a spreadsheet would run as a formula when opened or edited (CWE-1236, OWASP "CSV injection").
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_OOXML_ESCAPE = re.compile(r"_(x[0-9A-Fa-f]{4}_)|\r")


def safe_cells(sheet, row: list) -> list:
    """The row's values, each text that begins like a formula as a text cell with Excel's quote prefix (so that
    editing it keeps it text; openpyxl would write "=..." as a formula). A carriage return is written as
    OOXML's _x000D_ (XML readers turn a raw one into a line feed), a literal "_xHHHH_" escaped in turn."""
    return [_text_cell(sheet, v) if isinstance(v, str) and (v.startswith(FORMULA_START) or "_x" in v or "\r" in v)
            else v for v in row]  # fmt: skip


def _text_cell(sheet, value: str):
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(sheet, value=_OOXML_ESCAPE.sub(_escape_ooxml, value))
    cell.data_type = "s"
    cell.quotePrefix = value.startswith(FORMULA_START)
    return cell


def _escape_ooxml(match: re.Match) -> str:
    return "_x000D_" if match.group(0) == "\r" else f"_x005F_{match.group(1)}"
