"""Pinyin keys for name search."""

from hypothesis import given
from hypothesis import strategies as st

from gonghui.core.pinyin import name_keys


def test_common_name_gives_full_pinyin_and_initials():
    assert name_keys("张伟") == ("zhangwei", "zw")


def test_surname_shan_not_dan():
    assert name_keys("单雄信") == ("shanxiongxin", "sxx")


def test_surname_zeng_not_ceng():
    assert name_keys("曾国藩") == ("zengguofan", "zgf")


def test_u_umlaut_is_written_v():
    assert name_keys("吕布") == ("lvbu", "lb")


def test_mixed_ascii_is_lowercased_and_kept():
    assert name_keys("王A") == ("wanga", "wa")
    full, initials = name_keys("Mary张")
    assert full == "maryzhang"
    assert initials.startswith("m") and initials.endswith("z")


def test_spaces_are_ignored():
    assert name_keys("  李 娜 ") == ("lina", "ln")


def test_empty_name_gives_empty_keys():
    assert name_keys("") == ("", "")


def test_interpunct_in_minority_names_is_dropped_from_the_keys():
    full, initials = name_keys("买买提·艾力")
    assert full.isascii() and full.isalpha()
    assert initials.isascii() and initials.isalpha()


# Common name characters, surnames with special readings, and characters that often form pypinyin phrases
# (长江, 重庆, 银行, 音乐, 中国...), so that both ways of reading a name are exercised.
NAME_CHARS = (
    "张王李赵刘陈杨黄周吴徐孙马朱胡郭何高林罗郑梁谢宋唐伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂"
    "单曾解仇区朴查盖乐缪覃尉长秘种任华翟员宁沈长江重庆银行音中国人民大学子文明天安门一二三吕绿女"
)


def _reference_keys(name: str) -> tuple[str, str]:
    """What name_keys gave before per-character caching: lazy_pinyin over the whole name."""
    import re

    from pypinyin import Style, lazy_pinyin

    from gonghui.core.pinyin import SURNAME_READINGS

    name = name.strip()
    if not name:
        return "", ""
    syllables = lazy_pinyin(name, style=Style.NORMAL, errors=lambda chars: list(chars.lower()))
    if name[0] in SURNAME_READINGS:
        syllables[0] = SURNAME_READINGS[name[0]]
    syllables = [re.sub(r"[^a-z0-9]", "", s.replace("ü", "v")) for s in syllables]
    syllables = [s for s in syllables if s]
    return "".join(syllables), "".join(s[0] for s in syllables)


@given(st.text(alphabet=NAME_CHARS + "·A ", min_size=1, max_size=5))
def test_keys_equal_whole_name_reading_for_any_name(name):
    assert name_keys(name) == _reference_keys(name)


def test_phrases_in_a_name_keep_their_phrase_reading():
    # 重庆 is a phrase (chong qing), not the per-character commonest readings (zhong qing).
    assert name_keys("王重庆") == _reference_keys("王重庆")
    assert name_keys("王重庆")[0] == "wangchongqing"


def test_repeated_name_is_served_from_the_cache():
    name_keys.cache_clear()
    name_keys("张伟")
    name_keys("张伟")
    assert name_keys.cache_info().hits == 1
