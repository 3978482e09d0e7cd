"""Sealed personal values: an ID number or a mobile number as it is stored — SM4 ciphertext, HMAC-SM3 blind
index and masked copy (and, for an ID number, the birth date and gender it states).

The one place that seals such a value and the one place that spells the blind-index purposes: every index
of the same kind of value is computed here, so a lookup always finds what a write stored. The purposes
must never change (existing indexes would no longer be found).

Sealed values are carried as they are from one row to another (a join application's to the member record):
what was sealed once is never decrypted to be sealed again.
"""

import datetime as dt
from dataclasses import dataclass

from gonghui.core import crypto
from gonghui.core.identifiers import IdNumber, parse_id_number, parse_phone
from gonghui.core.masking import mask_id_number, mask_phone

ID_NUMBER_PURPOSE = "person.id_number"
PHONE_PURPOSE = "person.phone"
SMS_CODE_PURPOSE = "joining.sms_code"


@dataclass(frozen=True, slots=True)
class SealedIdNumber:
    """A 身份证号码 as stored: columns ``id_number_enc``, ``id_number_bidx``, ``id_number_masked``,
    ``birth_date`` and ``gender`` of a person or a join application."""

    ciphertext: str
    index: str
    masked: str
    birth_date: dt.date
    gender: str

    @classmethod
    def stored_in(cls, row) -> "SealedIdNumber":
        return cls(row.id_number_enc, row.id_number_bidx, row.id_number_masked, row.birth_date, row.gender)

    def columns(self) -> dict[str, object]:
        return {"id_number_enc": self.ciphertext, "id_number_bidx": self.index, "id_number_masked": self.masked,
                "birth_date": self.birth_date, "gender": self.gender}  # fmt: skip


@dataclass(frozen=True, slots=True)
class SealedPhone:
    """A mobile number as stored: columns ``phone_enc``, ``phone_bidx`` and ``phone_masked``
    (all three empty for no phone: ``NO_PHONE``)."""

    ciphertext: str
    index: str
    masked: str

    @classmethod
    def stored_in(cls, row) -> "SealedPhone":
        return cls(row.phone_enc, row.phone_bidx, row.phone_masked)

    def columns(self) -> dict[str, str]:
        return {"phone_enc": self.ciphertext, "phone_bidx": self.index, "phone_masked": self.masked}


NO_PHONE = SealedPhone("", "", "")


def store_in(row, *values: SealedIdNumber | SealedPhone) -> None:
    """Set the columns of sealed values on a model instance (a person being written)."""
    for value in values:
        for name, column in value.columns().items():
            setattr(row, name, column)


def id_number_index(number: str) -> str:
    """The blind index of a normalised 18-character ID number (``parse_id_number(...).number``)."""
    return crypto.blind_index(number, purpose=ID_NUMBER_PURPOSE)


def phone_index(number: str) -> str:
    """The blind index of a normalised 11-digit mobile number (``parse_phone(...)``)."""
    return crypto.blind_index(number, purpose=PHONE_PURPOSE)


def sms_code_digest(salt: str, code: str) -> str:
    """What is kept of a one-time SMS code: its keyed digest with a per-code salt."""
    return crypto.blind_index(salt + code, purpose=SMS_CODE_PURPOSE)


def seal_id_number(value: IdNumber | str) -> SealedIdNumber:
    """Seal an ID number as typed (parsed first: ``ValidationError`` in Chinese) or already parsed."""
    identity = value if isinstance(value, IdNumber) else parse_id_number(value)
    return SealedIdNumber(*id_number_columns(identity.number), identity.birth_date, identity.gender)


def seal_phone(value: str) -> SealedPhone:
    """Seal a mobile number as typed (parsed first: ``ValidationError`` in Chinese)."""
    return SealedPhone(*phone_columns(parse_phone(value)))


# Fast paths for bulk writers (the roster import, the demo), which seal millions of values: plain tuples in the
# order of the person table's columns (making an object per value costs a few per cent of the import), and no
# second parse of what ``parse_id_number`` / ``parse_phone`` already gave them.


def id_number_columns(number: str, *, index: str = "") -> tuple[str, str, str]:
    """Ciphertext, blind index and masked copy of a parsed ID number; ``index`` when the caller already has it
    from ``id_number_index`` (the roster import hashes while reading and encrypts while writing)."""
    return crypto.encrypt(number), index or id_number_index(number), mask_id_number(number)


def phone_columns(number: str) -> tuple[str, str, str]:
    """Ciphertext, blind index and masked copy of a parsed mobile number (three empty strings for none)."""
    if not number:
        return "", "", ""
    return crypto.encrypt(number), phone_index(number), mask_phone(number)
