"""Property tests of the spreadsheet normalisers and the date reader (core.spreadsheets)."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from gonghui.core.spreadsheets import EXCEL_EPOCH, cell_text, compact_text, parse_date
from gonghui.rosters.columns import heading_key

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
