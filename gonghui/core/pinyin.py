"""Pinyin keys for name search: 张伟 -> ("zhangwei", "zw")."""

import re
from functools import lru_cache

from pypinyin import Style, lazy_pinyin

# Surnames whose reading differs from the character's commonest reading.
SURNAME_READINGS = {
    "单": "shan", "曾": "zeng", "解": "xie", "仇": "qiu", "区": "ou", "朴": "piao", "查": "zha",
    "盖": "ge", "乐": "yue", "缪": "miao", "覃": "qin", "尉": "yu", "长": "chang", "秘": "bi",
    "种": "chong", "任": "ren", "华": "hua", "翟": "zhai", "员": "yun", "宁": "ning", "沈": "shen",
    "黑": "he", "繁": "po", "句": "gou", "葛": "ge", "薄": "bo", "应": "ying", "折": "she",
}  # fmt: skip


@lru_cache(maxsize=65536)
def name_keys(name: str) -> tuple[str, str]:
    """Full pinyin without tones or spaces, and the initials, both lower case."""
    name = name.strip()
    if not name:
        return "", ""
    syllables = lazy_pinyin(name, style=Style.NORMAL, errors=lambda chars: list(chars.lower()))
    if name[0] in SURNAME_READINGS:
        syllables[0] = SURNAME_READINGS[name[0]]
    syllables = [re.sub(r"[^a-z0-9]", "", s.replace("ü", "v")) for s in syllables]
    syllables = [s for s in syllables if s]
    return "".join(syllables), "".join(s[0] for s in syllables)
