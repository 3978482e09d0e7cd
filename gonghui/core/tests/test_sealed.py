"""Sealed ID numbers and phones (core.sealed): the indexes stay byte-identical to those already stored,
and what is sealed decrypts to the normalised value with the masked copy and the holder's birth date and
gender that the identifiers module reads from it."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from gonghui.core import crypto, sealed
from gonghui.core.identifiers import parse_id_number, parse_phone
from gonghui.core.tests.test_identifiers import valid_ids
from gonghui.core.tests.test_masking import phones

INDEX_KEY = "0f1e2d3c4b5a69788796a5b4c3d2e1f0" * 2
# Computed with the code that wrote the existing indexes (members.services.id_index / phone_index and the
# joining SMS code digest, before core.sealed), under INDEX_KEY. A change here makes stored data unfindable.
KNOWN_ID_INDEXES = {
    "330106199003071236": "a994c8e73786b60bbd02470fa9ea35bbbf02d1a52257449fa6af885aeac9e6d8",
    "11010519491231002X": "e3124de231214eb39c5904e621c95237bef7030319c9715c8e9eb172729e140f",
    "440524188001010014": "7809d5448d5e5029f9c7d55b8f7c241eaaf287fb9e5fbd52ce42bc7d90d52a6b",
}
KNOWN_PHONE_INDEXES = {
    "13812345678": "1f5e8bd6b99948561176cb63cd3c0bf07bde76a22b576cbfbbe726d98df490f1",
    "19912345678": "645265ee45c77b3212b590f58f40d2e9e6ce461a1dbd8b2f400fa354f9e2b0b0",
}
KNOWN_CODE_DIGEST = ("a1b2c3d4e5f60718", "123456", "1d01752f5941cf76cdf84a2c62ecf53b7ef9598521c9489fb4b1061ed11897da")

FULL_WIDTH = {ord(c): ord(c) + 0xFEE0 for c in "0123456789X"}


def as_typed(number: str, form: str) -> str:
    """An ID or phone the way people type it: full-width, spaced, lower-case."""
    return {"plain": number, "full-width": number.translate(FULL_WIDTH), "spaced": f" {number[:6]} {number[6:]} ",
            "lower": number.lower()}[form]  # fmt: skip


typed_forms = st.sampled_from(["plain", "full-width", "spaced", "lower"])


def test_indexes_are_those_already_stored(settings):
    settings.GONGHUI_INDEX_KEY = INDEX_KEY
    for number, index in KNOWN_ID_INDEXES.items():
        assert sealed.id_number_index(number) == index
        assert sealed.seal_id_number(number).index == index
    for number, index in KNOWN_PHONE_INDEXES.items():
        assert sealed.phone_index(number) == index
        assert sealed.seal_phone(number).index == index
    salt, code, digest = KNOWN_CODE_DIGEST
    assert sealed.sms_code_digest(salt, code) == digest


def test_an_example_sealed_id_and_phone():
    identity = sealed.seal_id_number("330106199003071236")
    assert identity.masked == "3301**********1236"
    assert (identity.birth_date, identity.gender) == (dt.date(1990, 3, 7), "M")
    assert sealed.seal_phone("+86 138 1234 5678").masked == "138****5678"


def test_what_cannot_be_parsed_is_refused_in_chinese():
    with pytest.raises(ValidationError, match="校验位错误"):
        sealed.seal_id_number("330106199003071235")
    with pytest.raises(ValidationError, match="应以 13-19 开头"):
        sealed.seal_phone("12812345678")


@given(valid_ids(), typed_forms)
def test_a_sealed_id_number_decrypts_to_the_normalised_input(number, form):
    identity = sealed.seal_id_number(as_typed(number, form))
    parsed = parse_id_number(number)
    assert crypto.decrypt(identity.ciphertext) == parsed.number == number
    assert number not in identity.ciphertext
    assert (identity.birth_date, identity.gender) == (parsed.birth_date, parsed.gender)
    assert identity.masked == number[:4] + "*" * 10 + number[-4:]


@given(valid_ids())
def test_the_id_index_is_stable_and_separate_from_other_purposes(number):
    first, again = sealed.seal_id_number(number), sealed.seal_id_number(parse_id_number(number))
    assert first.index == again.index == sealed.id_number_index(number)
    assert first.ciphertext != again.ciphertext  # a fresh nonce each time
    assert len({first.index, sealed.phone_index(number), sealed.sms_code_digest("", number)}) == 3


@given(phones, typed_forms)
def test_a_sealed_phone_decrypts_to_the_normalised_input(number, form):
    phone = sealed.seal_phone(as_typed(number, form))
    assert crypto.decrypt(phone.ciphertext) == parse_phone(number) == number
    assert phone.masked == number[:3] + "****" + number[-4:]
    assert phone.index == sealed.phone_index(number) == sealed.phone_columns(number)[1]
    assert phone.index != sealed.id_number_index(number)


@given(valid_ids(), phones)
def test_the_bulk_path_seals_as_the_parsing_path_does(number, phone):
    identity = sealed.seal_id_number(number)
    ciphertext, index, masked = sealed.id_number_columns(number, index=identity.index)
    assert (crypto.decrypt(ciphertext), index, masked) == (number, identity.index, identity.masked)
    assert sealed.id_number_columns(number)[1:] == (identity.index, identity.masked)
    sealed_phone = sealed.seal_phone(phone)
    ciphertext, index, masked = sealed.phone_columns(phone)
    assert (crypto.decrypt(ciphertext), index, masked) == (phone, sealed_phone.index, sealed_phone.masked)
    assert sealed.phone_columns("") == ("", "", "")


class Row:
    """Any model row with the sealed columns (a person, a join application, a phone verification)."""


def test_sealed_values_move_between_rows_as_they_are():
    identity, phone = sealed.seal_id_number("11010519491231002X"), sealed.seal_phone("13812345678")
    row = Row()
    sealed.store_in(row, identity, phone)
    assert vars(row) == identity.columns() | phone.columns()
    assert sealed.SealedIdNumber.stored_in(row) == identity and sealed.SealedPhone.stored_in(row) == phone
    sealed.store_in(row, sealed.NO_PHONE)
    assert (row.phone_enc, row.phone_bidx, row.phone_masked) == ("", "", "")
