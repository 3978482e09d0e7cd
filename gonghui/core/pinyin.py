"""Pinyin keys for name search: 张伟 -> ("zhangwei", "zw").

A bulk import computes keys for millions of names, so a name whose characters pypinyin reads one by one (no
two neighbours form one of its phrases: nearly every name) is put together from per-character readings,
each computed once; any other name goes through ``lazy_pinyin`` whole. Both give the same keys."""

import re
from functools import lru_cache

from pypinyin import Style, lazy_pinyin
from pypinyin.constants import PHRASES_DICT, PINYIN_DICT

# Surnames whose reading differs from the character's commonest reading.
SURNAME_READINGS = {
    "单": "shan", "曾": "zeng", "解": "xie", "仇": "qiu", "区": "ou", "朴": "piao", "查": "zha",
    "盖": "ge", "乐": "yue", "缪": "miao", "覃": "qin", "尉": "yu", "长": "chang", "秘": "bi",
    "种": "chong", "任": "ren", "华": "hua", "翟": "zhai", "员": "yun", "宁": "ning", "沈": "shen",
    "黑": "he", "繁": "po", "句": "gou", "葛": "ge", "薄": "bo", "应": "ying", "折": "she",
}  # fmt: skip
HAN = re.compile(r"[\u4e00-\u9fff]+")


def _syllables(text: str) -> list[str]:
    return lazy_pinyin(text, style=Style.NORMAL, errors=lambda chars: list(chars.lower()))


def _clean(syllable: str) -> str:
    return re.sub(r"[^a-z0-9]", "", syllable.replace("ü", "v"))


@lru_cache(maxsize=16384)
def _char_syllable(char: str) -> str:
    return _clean(_syllables(char)[0])


def _read_alone(name: str) -> bool:
    """Whether pypinyin reads every character of ``name`` on its own: all are Han characters it knows and no
    run of two or more is one of its phrases."""
    if not HAN.fullmatch(name) or any(ord(c) not in PINYIN_DICT for c in name):
        return False
    return not any(name[i:j] in PHRASES_DICT for i in range(len(name) - 1) for j in range(i + 2, len(name) + 1))


@lru_cache(maxsize=65536)
def name_keys(name: str) -> tuple[str, str]:
    """Full pinyin without tones or spaces, and the initials, both lower case."""
    name = name.strip()
    if not name:
        return "", ""
    alone = _read_alone(name)
    syllables = [_char_syllable(c) for c in name] if alone else [_clean(s) for s in _syllables(name)]
    if name[0] in SURNAME_READINGS:
        syllables[0] = SURNAME_READINGS[name[0]]
    syllables = [s for s in syllables if s]
    return "".join(syllables), "".join(s[0] for s in syllables)
