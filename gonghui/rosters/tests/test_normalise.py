"""Property tests of the spreadsheet normalisers and the date reader (core.spreadsheets), and of the fast paths
of the row reader (decision 0053): each gives exactly the result, or the error, of the general path."""

import datetime as dt
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from gonghui.core.identifiers import (
    _id_check_character_general,
    _normalise_general,
    id_check_character,
    normalise,
)
from gonghui.core.spreadsheets import EXCEL_EPOCH, _cell_text_general, cell_text, compact_text, parse_date
from gonghui.rosters import columns
from gonghui.rosters.columns import PerCell, heading_key, row_parse

dates = st.dates(min_value=dt.date(1925, 5, 1), max_value=dt.date(2100, 12, 31))
FULL_WIDTH = {ord(c): ord(c) + 0xFEE0 for c in "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"}
JUNK = st.text(alphabet=" \u3000\u200b\t\ufeff", max_size=3)


@given(dates)
def test_every_usual_way_of_writing_a_date_reads_back(day):
    forms = [f"{day:%Y-%m-%d}", f"{day.year}.{day.month}.{day.day}", f"{day.year}年{day.month}月{day.day}日",
             f"{day.year}/{day.month}/{day.day}", f"{day:%Y%m%d}", (day - EXCEL_EPOCH).days,
             float((day - EXCEL_EPOCH).days), dt.datetime.combine(day, dt.time(8, 30)), day,
             f"{day:%Y-%m-%d}".translate(FULL_WIDTH), f" {day:%Y-%m-%d} 00:00:00"]  # fmt: skip
    for form in forms:
        assert parse_date(form) == day, form


@given(st.text(alphabet="年月日-./abc", max_size=12))
def test_anything_else_is_refused_in_chinese(text):
    with pytest.raises(ValidationError) as caught:
        parse_date(text)
    assert "日期" in caught.value.messages[0]


@pytest.mark.parametrize("text", ["2021-02-30", "2021.13.1", "abc", "0"])
def test_impossible_dates_are_refused(text):
    with pytest.raises(ValidationError):
        parse_date(text)


@given(st.text(alphabet="0123456789X", min_size=1, max_size=18), JUNK, JUNK)
def test_compact_text_undoes_full_width_and_stray_spaces(value, before, after):
    messy = before + value.translate(FULL_WIDTH) + after
    assert compact_text(messy) == value


@given(st.text())
def test_cell_text_is_idempotent(text):
    assert cell_text(cell_text(text)) == cell_text(text)


@given(st.integers(min_value=-(10**15), max_value=10**15))
def test_whole_numbers_lose_their_point_zero(n):
    assert cell_text(float(n)) == str(n)


@pytest.mark.parametrize(("heading", "key"), [("公民身份号码", "id_number"), ("证件号码 ", "id_number"),
                                              ("姓　名", "name"), ("联系电话*", "phone"), ("手机号码（必填）", "phone"),
                                              ("入会时间(年月日)", "joined_on"), ("序号", None)])  # fmt: skip
def test_headings_and_their_synonyms(heading, key):
    assert heading_key(heading) == key


# ----- the fast paths (decision 0053) ------------------------------------------------------------------------

# Text as cells hold it: clean ASCII and CJK, full-width forms, compatibility ideographs, other scripts' digits,
# superscripts, spaces of every kind, zero-width and format characters, dashes; and anything at all.
CELL_TEXT = st.one_of(
    st.text(alphabet="0123456789Xx张伟王芳汉族本科是否在职退休 -\u3000\u200b\ufeff\u00ad\t\n", max_size=20),
    st.text(alphabet="09Xx张 ０９Ｘ①²٣豈\uf900ﬁ+()年月日./", max_size=20),
    st.text(),
)  # fmt: skip
CELLS = st.one_of(
    CELL_TEXT,
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**19), max_value=10**19),
    st.floats(allow_nan=True, allow_infinity=True),
    st.dates(),
    st.datetimes(),
)


@given(CELLS)
def test_cell_text_fast_paths_give_what_the_general_path_gives(cell):
    assert cell_text(cell) == _cell_text_general(cell)


@given(CELL_TEXT)
def test_normalise_fast_path_gives_what_the_general_path_gives(text):
    assert normalise(text) == _normalise_general(text)


def _outcome(function, *args):
    try:
        return "ok", function(*args)
    except (ValidationError, ValueError, KeyError, TypeError) as error:
        return "error", type(error), str(error)


@given(
    st.one_of(st.text(alphabet="0123456789", min_size=15, max_size=19), st.text(alphabet="0123456789٣०X²", max_size=18))
)
def test_the_check_digit_table_gives_what_the_weighted_sum_gives(first17):
    assert _outcome(id_check_character, first17) == _outcome(_id_check_character_general, first17)


ROW = st.fixed_dictionaries(dict.fromkeys(columns.COLUMNS, CELLS))
ROW_VALUES = st.fixed_dictionaries({
    "name": st.sampled_from(["张伟", " 王 芳 ", "\ufeff李娜", "", "Ａｌｉ"]),
    "id_number": st.sampled_from(["11010519491231002X", "11010519491231002x", " 110105 19491231 002X ",
                                  110105491231002, "110105491231002", 1.10105e17, "1.10105E+17", "110105194912310000",
                                  "11010519491231002Ｘ", "", None]),
    "phone": st.sampled_from(["13800138000", 13800138000, 13800138000.0, "+86 138-0013-8000", "1380013800", "", None]),
    "ethnicity": st.sampled_from(["汉族", "汉", "火星族", "", None, 1, True, 1.0]),
    "education": st.sampled_from(["本科", "大学本科", "博士后", "", None]),
    "employment_form": st.sampled_from(["全日制", "骑手", "散工", "", None]),
    "is_migrant": st.sampled_from(["是", "n", "YES", 1, 0, 1.0, True, "也许", "", None]),
    "employer_name": st.sampled_from(["杭州示例科技有限公司", " 杭州　示例 ", "单" * 201, "", None]),
    "employer_uscc": st.sampled_from(["91330106MA2H1234X0", "91330106ma2h1234x0", "123", "", None]),
    "job_title": st.sampled_from(["操作工", "岗" * 51, "", None]),
    "joined_on": st.sampled_from(["2010-07-16", "2010年7月16日", 40375, 40375.0, dt.datetime(2010, 7, 16),
                                  dt.date(2010, 7, 16), "1920-01-01", "2999-01-01", "20100716", "明天", "", None]),
    "card_number": st.sampled_from(["3301062010000001", "卡" * 33, "", None]),
    "status": st.sampled_from(["在职", "退休", "是", "否", "请假", "", None]),
})  # fmt: skip


def _row_outcome(cells):
    try:
        return "ok", row_parse(cells)
    except ValidationError as error:
        return "error", error.code, error.messages


@given(st.lists(st.one_of(ROW, ROW_VALUES), min_size=1, max_size=6))
def test_remembered_cells_give_what_reading_them_again_gives(rows):
    """Each row read with the per-cell memory (twice: filled, then used) and without it (every cell read
    afresh): the same RosterRow, or the same first error with the same code and message."""
    remembered = [_row_outcome(cells) for cells in rows + rows]
    with mock.patch.object(PerCell, "__call__", lambda self, cell: self.function(cell)):
        afresh = [_row_outcome(cells) for cells in rows]
    assert remembered == afresh + afresh


def test_the_per_cell_memory_is_bounded_and_refusals_are_raised_afresh():
    memo = PerCell(
        lambda cell: len(cell) if isinstance(cell, list) else int(cell) if cell.isdigit() else columns._retired(cell),
        limit=3,
    )
    for n in range(10):
        assert memo(str(n)) == n
        assert len(memo.results) <= 3
    refusals = []
    for _ in range(2):
        with pytest.raises(ValidationError) as caught:
            memo("请假")
        refusals.append(caught.value)
    assert refusals[0] is not refusals[1] and refusals[0].messages == refusals[1].messages
    assert memo([1, 2]) == 2 and len(memo.results) <= 3  # a list cannot be a key: read, not remembered
