"""Masking rules for personal data shown to people (docs/security.md §11)."""

import re


def mask_id_number(value: str) -> str:
    """First 4 and last 4 characters stay; 18-digit 110101199003077777 -> 1101**********7777."""
    if not value:
        return ""
    if len(value) <= 8:
        return "*" * len(value)
    return value[:4] + "*" * (len(value) - 8) + value[-4:]


def mask_name(value: str) -> str:
    """The surname stays: 张伟 -> 张*, 欧阳娜娜 -> 欧***."""
    return value[:1] + "*" * (len(value) - 1) if value else ""


def mask_phone(value: str) -> str:
    """First 3 and last 4 digits stay: 13812345678 -> 138****5678."""
    if not value:
        return ""
    if len(value) <= 7:
        return "*" * len(value)
    return value[:3] + "*" * (len(value) - 7) + value[-4:]


# 18-digit IDs (last may be X) and 15-digit legacy IDs, and mainland mobile numbers, inside free text.
_ID_IN_TEXT = re.compile(r"(?<![0-9A-Za-z])(\d{17}[\dXx]|\d{15})(?![0-9A-Za-z])")
_PHONE_IN_TEXT = re.compile(r"(?<!\d)(?:\+?86|0086)?(1[3-9]\d{9})(?!\d)")


def mask_text(text: str) -> str:
    """Mask every ID number and mobile number that appears in free text (log lines, messages)."""
    text = _ID_IN_TEXT.sub(lambda m: mask_id_number(m.group(1)), text)
    return _PHONE_IN_TEXT.sub(lambda m: mask_phone(m.group(1)), text)


def has_id_or_phone(text: str) -> bool:
    """Free text that carries a full ID number or mobile number (refused where only names may appear)."""
    return bool(_ID_IN_TEXT.search(text) or _PHONE_IN_TEXT.search(text))
