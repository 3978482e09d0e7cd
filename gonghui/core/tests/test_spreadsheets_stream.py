"""The streaming .xlsx reader (big rosters): the same cells as python-calamine, row by row, in little memory."""

import datetime as dt

import pytest
from openpyxl import Workbook
from python_calamine import CalamineWorkbook

from gonghui.core import spreadsheets
from gonghui.core.spreadsheets import cell_text, read_sheets, stream_xlsx


def _calamine(path) -> dict[str, list[list]]:
    workbook = CalamineWorkbook.from_path(str(path))
    return {name: list(workbook.get_sheet_by_index(i).iter_rows()) for i, name in enumerate(workbook.sheet_names)}


def _texts(rows: list[list]) -> list[list[str]]:
    """Rows as text, trailing empty cells and trailing empty rows dropped (readers pad differently)."""
    out = [[cell_text(c) for c in row] for row in rows]
    out = [row[: max((i + 1 for i, c in enumerate(row) if c), default=0)] for row in out]
    while out and not out[-1]:
        out.pop()
    return out


def _sheets(path) -> dict[str, list[list]]:
    return {sheet.name: list(sheet.rows) for sheet in stream_xlsx(path)}


@pytest.fixture
def shared_strings_book(tmp_path):
    """A normal openpyxl workbook: strings in the shared table, a date cell, sparse cells, two sheets."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "花名册"
    sheet.append(["会员花名册 <第一批> & 附表"])
    sheet.append(["姓名", "身份证号", "手机号", "入会日期", "人数"])
    sheet.append(["张伟", "110101199003077777", 13812345678, dt.date(2021, 7, 16), 3])
    sheet["A5"], sheet["D5"] = "李娜", dt.datetime(2020, 1, 2, 9, 30)  # row 4 empty, B5..C5 empty
    sheet["C7"] = 1.5
    other = workbook.create_sheet("第二页")
    other["B2"] = "王芳"
    path = tmp_path / "shared.xlsx"
    workbook.save(path)
    return path


def test_shared_strings_dates_and_sparse_cells_read_at_their_columns(shared_strings_book):
    sheets = _sheets(shared_strings_book)
    assert list(sheets) == ["花名册", "第二页"]
    rows = sheets["花名册"]
    assert rows[0] == ["会员花名册 <第一批> & 附表"]
    assert rows[2][:3] == ["张伟", "110101199003077777", 13812345678]
    assert rows[2][3] == dt.datetime(2021, 7, 16) and rows[2][4] == 3
    assert rows[3] == []
    assert rows[4] == ["李娜", None, None, dt.datetime(2020, 1, 2, 9, 30)]
    assert rows[6] == [None, None, 1.5]
    assert sheets["第二页"] == [[], [None, "王芳"]]


def test_cells_equal_calamine_on_a_shared_strings_book(shared_strings_book):
    ours, theirs = _sheets(shared_strings_book), _calamine(shared_strings_book)
    assert list(ours) == list(theirs)
    assert _texts(ours["花名册"]) == _texts(theirs["花名册"])
    # calamine starts a sheet at its first used column; we keep every cell under its own column letter
    assert _texts(theirs["第二页"]) == [[], ["王芳"]]
    assert _texts(ours["第二页"]) == [[], ["", "王芳"]]


def test_inline_strings_of_a_write_only_book_equal_calamine(tmp_path):
    path = tmp_path / "inline.xlsx"
    spreadsheets.write_xlsx(path, [("名单", ["姓名", "备注"], [["张 伟", "a<b & c>d"], ["", "＂全角＂"], [None, 7]])])
    ours, theirs = _sheets(path), _calamine(path)
    assert _texts(ours["名单"]) == _texts(theirs["名单"])
    assert ours["名单"][1] == ["张 伟", "a<b & c>d"]


@pytest.mark.parametrize("tail", [1, 40, 1 << 16])
def test_rows_cut_across_chunks_read_the_same(tmp_path, monkeypatch, tail):
    """Read a few bytes at a time, a row's end looked for in a tail shorter than a row, or longer: the same
    rows as read whole."""
    path = tmp_path / "long.xlsx"
    rows = [[f"职工{n}", f"33010619900101{n:04d}", n, "备注 & <说明>" * (n % 3)] for n in range(300)]
    spreadsheets.write_xlsx(path, [("名单", ["姓名", "身份证号", "序号", "备注"], rows)])
    whole = _sheets(path)
    monkeypatch.setattr(spreadsheets, "CHUNK_BYTES", 97)
    monkeypatch.setattr(spreadsheets, "CHUNK_TAIL", tail)
    assert _sheets(path) == whole and len(whole["名单"]) == 301


def test_serial_dates_without_a_date_format_stay_numbers(tmp_path):
    workbook = Workbook()
    workbook.active.append(["入会日期", 44393])
    path = tmp_path / "serial.xlsx"
    workbook.save(path)
    row = _sheets(path)["Sheet"][0]
    assert row == ["入会日期", 44393]
    assert spreadsheets.parse_date(row[1]) == dt.date(2021, 7, 16)


def test_big_xlsx_goes_through_the_streaming_reader(shared_strings_book, monkeypatch):
    monkeypatch.setattr(spreadsheets, "STREAM_XLSX_BYTES", 0)
    streamed = {s.name: list(s.rows) for s in read_sheets(shared_strings_book, "xlsx")}
    assert streamed == _sheets(shared_strings_book)
    monkeypatch.setattr(spreadsheets, "STREAM_XLSX_BYTES", 10**9)
    assert {s.name: list(s.rows) for s in read_sheets(shared_strings_book, "xlsx")} == _calamine(shared_strings_book)


def test_rich_text_phonetic_guides_formulas_and_attribute_order(tmp_path):
    import zipfile

    path = tmp_path / "rich.xlsx"
    spreadsheets.write_xlsx(path, [("S", ["x"], [])])
    with zipfile.ZipFile(path) as src:
        members = {n: src.read(n) for n in src.namelist()}
    sheet = next(n for n in members if n.startswith("xl/worksheets/"))
    members[sheet] = (
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        b'<row r="1"><c r="B1" t="inlineStr"><is><r><t>\xe5\xbc\xa0</t></r><r><t xml:space="preserve"> \xe4\xbc\x9f</t>'
        b'</r><rPh sb="0" eb="1"><t>zhang</t></rPh></is></c><c r="C1" t="b"><v>1</v></c>'
        b'<c t="str" r="E1"><f>A1&amp;B1</f><v>x&amp;y</v></c><c r="F1" s="0"/></row>'
        b'<row r="3"/></sheetData></worksheet>'
    )
    with zipfile.ZipFile(path, "w") as out:
        for name, data in members.items():
            out.writestr(name, data)
    # a formula's cached value, attributes in another order, an empty styled cell
    assert _sheets(path)["S"] == [[None, "张 伟", True, None, "x&y", None], [], []]


def test_a_sheet_can_be_read_after_the_workbook_generator_is_gone(shared_strings_book):
    sheet = next(stream_xlsx(shared_strings_book))  # the generator is dropped at once
    assert next(sheet.rows) == ["会员花名册 <第一批> & 附表"]
