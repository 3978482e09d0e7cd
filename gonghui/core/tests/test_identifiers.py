"""身份证号码, 统一社会信用代码 and mobile numbers: known examples and properties (docs/domain.md §4).

The check characters here are computed by an implementation written from the standards in this file,
not by the code under test, so a shared mistake cannot hide."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from hypothesis import assume, given
from hypothesis import strategies as st

from gonghui.core.identifiers import parse_id_number, parse_phone, parse_uscc

TODAY = dt.date(2025, 6, 1)

# --- the standards, written out independently -------------------------------------------------------

GB11643_WEIGHTS = [2 ** (17 - i) % 11 for i in range(17)]  # 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def id_check(first17: str) -> str:
    return "10X98765432"[sum(int(d) * w for d, w in zip(first17, GB11643_WEIGHTS, strict=True)) % 11]


def org_code_check(first8: str) -> str:
    value = 11 - sum(int(c, 36) * w for c, w in zip(first8, (3, 7, 9, 10, 5, 8, 4, 2), strict=True)) % 11
    return {10: "X", 11: "0"}.get(value, str(value))


def uscc_check(first17: str) -> str:
    weights = [3**i % 31 for i in range(17)]
    return USCC_ALPHABET[
        (31 - sum(USCC_ALPHABET.index(c) * w for c, w in zip(first17, weights, strict=True)) % 31) % 31
    ]


def test_independent_weights_match_the_standard():
    assert GB11643_WEIGHTS == [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    assert [3**i % 31 for i in range(17)] == [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]


# --- 身份证号码: examples ---------------------------------------------------------------------------------


def test_standard_example_id_parses_with_birth_date_and_gender():
    parsed = parse_id_number("11010519491231002X", today=TODAY)
    assert parsed.number == "11010519491231002X"
    assert parsed.birth_date == dt.date(1949, 12, 31)
    assert parsed.gender == "F"  # sequence 002: even
    assert parsed.area_code == "110105"
    assert not parsed.upgraded_from_15


def test_odd_sequence_means_male():
    assert parse_id_number("330106199003071236", today=TODAY).gender == "M"


def test_lowercase_x_is_accepted_and_upper_cased():
    assert parse_id_number("11010519491231002x", today=TODAY).number == "11010519491231002X"


def test_full_width_digits_and_spaces_are_normalised():
    assert parse_id_number("３３０１０６ １９９００３０７ １２３６", today=TODAY).number == "330106199003071236"


def test_legacy_15_digit_id_upgrades_to_18():
    parsed = parse_id_number("110105491231002", today=TODAY)
    assert parsed.number == "11010519491231002X"
    assert parsed.upgraded_from_15
    assert parsed.birth_date == dt.date(1949, 12, 31)


@pytest.mark.parametrize("area, region", [("810000", "香港"), ("820000", "澳门"), ("830000", "台湾")])
def test_residence_permits_of_hong_kong_macau_taiwan_parse(area, region):
    first17 = area + "19880808" + "123"
    parsed = parse_id_number(first17 + id_check(first17), today=TODAY)
    assert parsed.is_residence_permit
    assert parsed.birth_date == dt.date(1988, 8, 8)


def test_mainland_id_is_not_a_residence_permit():
    assert not parse_id_number("330106199003071236", today=TODAY).is_residence_permit


@pytest.mark.parametrize("birth", ["19990230", "19990229", "19991301", "19990000", "20230431"])
def test_impossible_birth_date_is_rejected(birth):
    first17 = "330106" + birth + "123"
    with pytest.raises(ValidationError) as err:
        parse_id_number(first17 + id_check(first17), today=TODAY)
    assert err.value.code == "id_date"
    assert "出生日期" in err.value.messages[0]


def test_leap_day_birth_is_accepted():
    first17 = "330106" + "20000229" + "123"
    assert parse_id_number(first17 + id_check(first17), today=TODAY).birth_date == dt.date(2000, 2, 29)


def test_future_birth_date_is_rejected():
    first17 = "330106" + "20250602" + "123"
    with pytest.raises(ValidationError) as err:
        parse_id_number(first17 + id_check(first17), today=TODAY)
    assert err.value.code == "id_date"


def test_birth_today_is_accepted():
    first17 = "330106" + TODAY.strftime("%Y%m%d") + "123"
    assert parse_id_number(first17 + id_check(first17), today=TODAY).birth_date == TODAY


@pytest.mark.parametrize("raw, length", [("33010619900307123", 17), ("3301061990030712366", 19), ("1234", 4)])
def test_wrong_length_is_rejected_and_says_how_many_digits(raw, length):
    with pytest.raises(ValidationError) as err:
        parse_id_number(raw, today=TODAY)
    assert err.value.code == "id_length"
    assert f"{length} 位" in err.value.messages[0]


def test_empty_id_asks_for_one():
    with pytest.raises(ValidationError) as err:
        parse_id_number("  ", today=TODAY)
    assert err.value.code == "id_required"


def test_letters_inside_the_id_are_rejected():
    with pytest.raises(ValidationError) as err:
        parse_id_number("3301061990A3071236", today=TODAY)
    assert err.value.code == "id_chars"


def test_unknown_province_prefix_is_rejected():
    first17 = "990106" + "19900307" + "123"
    with pytest.raises(ValidationError) as err:
        parse_id_number(first17 + id_check(first17), today=TODAY)
    assert err.value.code == "id_area"


def test_wrong_check_character_names_the_expected_one():
    with pytest.raises(ValidationError) as err:
        parse_id_number("330106199003071235", today=TODAY)
    assert err.value.code == "id_check"
    assert "应为 6" in err.value.messages[0]


def test_wrong_check_character_can_name_x():
    with pytest.raises(ValidationError) as err:
        parse_id_number("110105194912310021", today=TODAY)
    assert "应为 X" in err.value.messages[0]


# --- 身份证号码: properties ------------------------------------------------------------------------------


def digits(n: int):
    return st.text(alphabet="0123456789", min_size=n, max_size=n)


PROVINCES = ["11", "12", "13", "31", "32", "33", "44", "50", "51", "65", "71", "81", "82", "83"]


@st.composite
def first17s(draw, *, first_year=1900, last=TODAY):
    area = draw(st.sampled_from(PROVINCES)) + draw(digits(4))
    born = draw(st.dates(min_value=dt.date(first_year, 1, 1), max_value=last))
    sequence = draw(digits(3))
    return area + born.strftime("%Y%m%d") + sequence


@st.composite
def valid_ids(draw):
    first17 = draw(first17s())
    return first17 + id_check(first17)


@given(valid_ids())
def test_any_valid_id_parses_and_round_trips(number):
    parsed = parse_id_number(number, today=TODAY)
    assert parsed.number == number
    assert parsed.birth_date.strftime("%Y%m%d") == number[6:14]
    assert parsed.gender == ("M" if int(number[16]) % 2 else "F")
    assert parse_id_number(number.lower(), today=TODAY) == parsed


@given(valid_ids(), st.integers(min_value=0, max_value=17), st.sampled_from("0123456789X"))
def test_changing_one_character_of_a_valid_id_is_always_rejected(number, position, replacement):
    assume(number[position] != replacement)
    assume(position == 17 or replacement != "X")
    changed = number[:position] + replacement + number[position + 1 :]
    with pytest.raises(ValidationError):
        parse_id_number(changed, today=TODAY)


@given(first17s(first_year=1900, last=dt.date(1999, 12, 31)))
def test_15_digit_upgrade_yields_valid_18_digit_id_with_same_birth_and_gender(first17):
    legacy = first17[:6] + first17[8:17]  # drop "19" and the check character
    parsed = parse_id_number(legacy, today=TODAY)
    assert len(parsed.number) == 18
    assert parsed.number == first17 + id_check(first17)
    assert parsed.birth_date.strftime("%y%m%d") == legacy[6:12]
    assert parsed.gender == ("M" if int(legacy[14]) % 2 else "F")
    assert parse_id_number(parsed.number, today=TODAY).birth_date == parsed.birth_date


# --- 统一社会信用代码 ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "code",
    [
        "914403001922038216",  # a Shenzhen telecoms maker
        "9144030071526726XG",  # org code check X
        "91110108551385082Q",
        "91350100M000100Y43",
        "91330106MA2A0000X3",  # the test cast's employer
    ],
)
def test_real_looking_uscc_parse(code):
    assert parse_uscc(code) == code


def test_uscc_is_normalised_from_lowercase_and_full_width():
    assert parse_uscc(" ９１４４０３００７１５２６７２６xg ") == "9144030071526726XG"


def test_uscc_wrong_check_character_names_the_expected_one():
    with pytest.raises(ValidationError) as err:
        parse_uscc("914403001922038217")
    assert err.value.code == "uscc_check"
    assert "应为 6" in err.value.messages[0]


@pytest.mark.parametrize("letter", list("IOZSV"))
def test_uscc_with_forbidden_letter_is_rejected(letter):
    code = "91110108551385082Q"[:17] + letter
    with pytest.raises(ValidationError) as err:
        parse_uscc(code)
    assert err.value.code == "uscc_chars"
    assert letter in err.value.messages[0]


def test_uscc_with_bad_organisation_code_check_is_rejected():
    first16 = "9144030019220382"
    bad_org_check = "0" if org_code_check(first16[8:]) != "0" else "1"
    first17 = first16 + bad_org_check
    with pytest.raises(ValidationError) as err:
        parse_uscc(first17 + uscc_check(first17))
    assert err.value.code == "uscc_org_check"
    assert f"应为 {org_code_check(first16[8:])}" in err.value.messages[0]


@pytest.mark.parametrize("raw, code", [("9144030019220382", "uscc_length"), ("", "uscc_required")])
def test_uscc_of_wrong_length_or_empty_is_rejected(raw, code):
    with pytest.raises(ValidationError) as err:
        parse_uscc(raw)
    assert err.value.code == code


@st.composite
def valid_usccs(draw):
    authority = draw(st.sampled_from("123456789ANY"))
    kind = draw(st.sampled_from("123459"))
    area = draw(st.sampled_from(PROVINCES)) + draw(digits(4))
    org8 = "".join(draw(st.lists(st.sampled_from(USCC_ALPHABET), min_size=8, max_size=8)))
    first17 = authority + kind + area + org8 + org_code_check(org8)
    return first17 + uscc_check(first17)


@given(valid_usccs())
def test_any_generated_valid_uscc_parses(code):
    assert parse_uscc(code) == code


@given(valid_usccs(), st.integers(min_value=0, max_value=17), st.sampled_from(USCC_ALPHABET + "IOZSV"))
def test_any_single_character_change_of_a_valid_uscc_is_rejected(code, position, replacement):
    assume(code[position] != replacement)
    changed = code[:position] + replacement + code[position + 1 :]
    with pytest.raises(ValidationError):
        parse_uscc(changed)


# --- mobile numbers ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw", ["13812345678", "+86 138 1234 5678", "+8613812345678", "0086-138-1234-5678", "１３８１２３４５６７８"]
)
def test_phone_input_forms_normalise_to_11_digits(raw):
    assert parse_phone(raw) == "13812345678"


@pytest.mark.parametrize("prefix", ["13", "14", "15", "16", "17", "18", "19"])
def test_every_mobile_prefix_13_to_19_is_accepted(prefix):
    assert parse_phone(prefix + "012345678") == prefix + "012345678"


@pytest.mark.parametrize(
    "raw, code",
    [
        ("12812345678", "phone_prefix"),
        ("10012345678", "phone_prefix"),
        ("23812345678", "phone_prefix"),
        ("1381234567", "phone_length"),
        ("138123456789", "phone_length"),
        ("+86 138 1234 567", "phone_length"),
        ("138-1234-567a", "phone_chars"),
        ("", "phone_required"),
    ],
)
def test_bad_phone_is_rejected_with_reason(raw, code):
    with pytest.raises(ValidationError) as err:
        parse_phone(raw)
    assert err.value.code == code
