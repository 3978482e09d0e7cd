"""Masking (docs/security.md §11): ID keeps first 4 and last 4, phone keeps first 3 and last 4."""

import re

from hypothesis import given
from hypothesis import strategies as st

from gonghui.core.masking import mask_id_number, mask_phone, mask_text

DIGITS = "0123456789"
ids = st.builds(
    lambda body, last: body + last, st.text(DIGITS, min_size=17, max_size=17), st.sampled_from(DIGITS + "X")
)
phones = st.builds(
    lambda second, rest: "1" + second + rest, st.sampled_from("3456789"), st.text(DIGITS, min_size=9, max_size=9)
)
ID_OR_PHONE = re.compile(r"\d{17}[\dXx]|1[3-9]\d{9}")


def test_id_mask_example():
    assert mask_id_number("330106199003071236") == "3301**********1236"


def test_phone_mask_example():
    assert mask_phone("13812345678") == "138****5678"


def test_empty_values_mask_to_empty():
    assert mask_id_number("") == ""
    assert mask_phone("") == ""


@given(ids)
def test_id_mask_keeps_first_4_and_last_4_and_hides_the_rest(number):
    masked = mask_id_number(number)
    assert len(masked) == len(number)
    assert masked[:4] == number[:4]
    assert masked[-4:] == number[-4:]
    assert set(masked[4:-4]) == {"*"}


@given(phones)
def test_phone_mask_keeps_first_3_and_last_4_and_hides_the_rest(number):
    masked = mask_phone(number)
    assert masked == number[:3] + "****" + number[-4:]


@given(ids, phones, st.text(alphabet="工会会员张伟电话身份证号，。：是 ", max_size=8))
def test_mask_text_finds_ids_and_phones_inside_chinese_text(number, phone, filler):
    text = f"{filler}身份证{number}{filler}电话{phone}{filler}"
    masked = mask_text(text)
    assert mask_id_number(number) in masked
    assert mask_phone(phone) in masked
    assert not ID_OR_PHONE.search(masked)


def test_mask_text_finds_lowercase_x_and_15_digit_ids():
    assert mask_text("号码11010519491231002x。") == "号码1101**********002x。"
    assert "110105491231002" not in mask_text("旧号码 110105491231002")


def test_mask_text_finds_phone_written_with_country_code():
    assert "13812345678" not in mask_text("联系电话+8613812345678")
    assert "13812345678" not in mask_text("联系电话 0086 13812345678")


def test_mask_text_leaves_other_numbers_alone():
    text = "会员证号 33010620201234567，共 12 人，金额 1380.50 元"
    assert mask_text(text) == text
