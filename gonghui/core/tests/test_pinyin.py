"""Pinyin keys for name search."""

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
