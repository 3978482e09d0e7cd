"""National identifiers: 居民身份证号码 (GB 11643-1999), 统一社会信用代码 (GB 32100-2015), mobile numbers.

Each ``parse_*`` normalises what people type (full-width characters, spaces, lowercase x, "+86") and
either returns the canonical value or raises ``ValidationError`` with a Chinese message that says what
is wrong.
"""

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass

from django.core.exceptions import ValidationError

ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK = "10X98765432"
# Residence permits of Hong Kong, Macau and Taiwan residents (港澳台居民居住证).
PERMIT_AREAS = {"810000": "香港", "820000": "澳门", "830000": "台湾"}
# First two digits of every province-level code in use or used since 1980.
PROVINCE_PREFIXES = {
    "11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37", "41", "42", "43",
    "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64", "65", "71", "81", "82", "83", "91",
}  # fmt: skip

USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
ORG_CODE_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
USCC_AUTHORITIES = set("123456789ANY")

PHONE_RE = re.compile(r"1[3-9]\d{9}")
SEPARATORS = re.compile(r"[\s\-\u3000]")


def normalise(value: str) -> str:
    """Full-width to half-width, spaces and dashes removed, letters upper-cased."""
    if value and value.isascii() and value.isalnum():  # typed clean (most cells): only the case to fold
        return value.upper()
    return _normalise_general(value)


def _normalise_general(value: str) -> str:
    """``normalise`` without its fast path (the property tests compare them)."""
    value = unicodedata.normalize("NFKC", value or "")
    return SEPARATORS.sub("", value).upper()


@dataclass(frozen=True)
class IdNumber:
    """A valid 18-digit 身份证号码 and what it says about its holder."""

    number: str
    birth_date: dt.date
    gender: str  # "M" or "F"
    area_code: str
    upgraded_from_15: bool = False

    @property
    def is_residence_permit(self) -> bool:
        return self.area_code in PERMIT_AREAS


# Each position's weighted value of each ASCII digit, precomputed: the check digit is one sum of table look-ups.
ID_WEIGHTED = tuple({str(d): d * w for d in range(10)} for w in ID_WEIGHTS)


def id_check_character(first17: str) -> str:
    if len(first17) == 17 and first17.isascii() and first17.isdigit():
        return ID_CHECK[sum(map(dict.__getitem__, ID_WEIGHTED, first17)) % 11]
    return _id_check_character_general(first17)


def _id_check_character_general(first17: str) -> str:
    """``id_check_character`` without its table (other Unicode digits, wrong lengths: the same result or error)."""
    return ID_CHECK[sum(int(d) * w for d, w in zip(first17, ID_WEIGHTS, strict=True)) % 11]


def _birth_date(digits: str, *, today: dt.date) -> dt.date:
    try:
        born = dt.date(int(digits[:4]), int(digits[4:6]), int(digits[6:8]))
    except ValueError:
        raise ValidationError(f"身份证号码中的出生日期 {digits} 不是真实存在的日期。", code="id_date") from None
    if born > today or born.year < 1880:
        raise ValidationError(f"身份证号码中的出生日期 {born:%Y-%m-%d} 不合理。", code="id_date")
    return born


def parse_id_number(raw: str, *, today: dt.date | None = None) -> IdNumber:
    value = normalise(raw)
    today = today or dt.date.today()
    if not value:
        raise ValidationError("请填写身份证号码。", code="id_required")
    if len(value) == 15:
        if not value.isdigit():
            raise ValidationError("15 位身份证号码只能由数字组成。", code="id_chars")
        first17 = value[:6] + "19" + value[6:]
        value, upgraded = first17 + id_check_character(first17), True
    elif len(value) == 18:
        upgraded = False
        if not value[:17].isdigit() or value[17] not in "0123456789X":
            raise ValidationError("身份证号码前 17 位须为数字，最后一位为数字或 X。", code="id_chars")
    else:
        raise ValidationError(f"身份证号码应为 18 位（或旧式 15 位），您输入的是 {len(value)} 位。", code="id_length")
    area = value[:6]
    if area[:2] not in PROVINCE_PREFIXES:
        raise ValidationError(f"身份证号码的地区码 {area} 不存在。", code="id_area")
    born = _birth_date(value[6:14], today=today)
    expected = id_check_character(value[:17])
    if value[17] != expected:
        raise ValidationError(
            f"身份证号码校验位错误：最后一位应为 {expected}，而不是 {value[17]}，请核对号码。",
            code="id_check",
        )
    gender = "M" if int(value[16]) % 2 else "F"
    return IdNumber(value, born, gender, area, upgraded)


def uscc_check_character(first17: str) -> str:
    total = sum(USCC_CHARS.index(c) * w for c, w in zip(first17, USCC_WEIGHTS, strict=True))
    return USCC_CHARS[(31 - total % 31) % 31]


def org_code_check_character(first8: str) -> str:
    total = sum(int(c, 36) * w for c, w in zip(first8, ORG_CODE_WEIGHTS, strict=True))
    check = 11 - total % 11
    return {10: "X", 11: "0"}.get(check, str(check))


def parse_uscc(raw: str) -> str:
    """统一社会信用代码: 18 characters, both check characters (GB 11714 and GB 32100) verified."""
    value = normalise(raw)
    if not value:
        raise ValidationError("请填写统一社会信用代码。", code="uscc_required")
    if len(value) != 18:
        raise ValidationError(f"统一社会信用代码应为 18 位，您输入的是 {len(value)} 位。", code="uscc_length")
    bad = sorted({c for c in value if c not in USCC_CHARS})
    if bad:
        raise ValidationError(
            f"统一社会信用代码不能包含字符 {'、'.join(bad)}（不使用 I、O、Z、S、V）。", code="uscc_chars"
        )
    if value[0] not in USCC_AUTHORITIES:
        raise ValidationError(f"统一社会信用代码第 1 位登记管理部门码 {value[0]} 无效。", code="uscc_authority")
    if not value[2:8].isdigit():
        raise ValidationError("统一社会信用代码第 3-8 位应为行政区划码（数字）。", code="uscc_area")
    org_code = value[8:17]
    if not org_code[:8].isalnum() or org_code_check_character(org_code[:8]) != org_code[8]:
        raise ValidationError(
            f"统一社会信用代码中的组织机构代码（第 9-17 位）校验位错误：第 17 位应为"
            f" {org_code_check_character(org_code[:8])}。",
            code="uscc_org_check",
        )
    expected = uscc_check_character(value[:17])
    if value[17] != expected:
        raise ValidationError(
            f"统一社会信用代码校验位错误：最后一位应为 {expected}，而不是 {value[17]}。", code="uscc_check"
        )
    return value


def parse_phone(raw: str) -> str:
    """Mainland mobile number; accepts +86 / 0086 prefixes and spaces, stores 11 digits."""
    value = normalise(raw).replace("(", "").replace(")", "")
    for prefix in ("+86", "0086"):
        if value.startswith(prefix):
            value = value[len(prefix) :]
    if not value:
        raise ValidationError("请填写手机号码。", code="phone_required")
    if not value.isdigit():
        raise ValidationError("手机号码只能包含数字。", code="phone_chars")
    if len(value) != 11:
        raise ValidationError(f"手机号码应为 11 位，您输入的是 {len(value)} 位。", code="phone_length")
    if not PHONE_RE.fullmatch(value):
        raise ValidationError("手机号码应以 13-19 开头。", code="phone_prefix")
    return value
