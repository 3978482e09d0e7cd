"""Uploaded rosters are judged by their content, not their name (gonghui.core.uploads)."""

import io
import zipfile

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from gonghui.core import uploads
from gonghui.core.uploads import CheckedUpload, check_upload

# issue 10's security suite: the upload attack files (macro parts, zip bombs, XXE, disguised types)
pytestmark = pytest.mark.security

ROSTER_ROWS = [("姓名", "身份证号码", "手机号码"), ("张伟", "3301**********1236", "138****5678")]


def upload(content: bytes, name: str = "名册.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def xlsx_bytes(rows=ROSTER_ROWS) -> bytes:
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def rezip(source: bytes, *, add: dict[str, bytes] | None = None, drop=(), replace=None) -> bytes:
    """The same workbook with entries added, dropped or rewritten."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(source)) as old, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            if info.filename in drop:
                continue
            data = old.read(info)
            if replace:
                data = replace(info.filename, data)
            new.writestr(info.filename, data)
        for name, data in (add or {}).items():
            new.writestr(name, data)
    return out.getvalue()


def refusal(content: bytes, name: str = "名册.xlsx", **kwargs) -> tuple[str, str]:
    with pytest.raises(ValidationError) as caught:
        check_upload(upload(content, name), **kwargs)
    (message,) = caught.value.messages
    return caught.value.code, message


def test_a_real_xlsx_is_accepted_whatever_its_name():
    content = xlsx_bytes()
    assert check_upload(upload(content)) == CheckedUpload("xlsx")
    assert check_upload(upload(content, "roster.csv")).kind == "xlsx"


def test_the_file_is_rewound_for_the_reader():
    file = upload(xlsx_bytes())
    check_upload(file)
    assert file.read(4) == b"PK\x03\x04"


def test_a_macro_workbook_is_refused():
    def macro_content_type(name, data):
        if name == "[Content_Types].xml":
            return data.replace(
                b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
                b"application/vnd.ms-excel.sheet.macroEnabled.main+xml",
            )
        return data

    with_vba = rezip(xlsx_bytes(), add={"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0" + b"\x00" * 512})
    assert refusal(with_vba, "名册.xlsx") == ("macro", uploads.MESSAGES["macro"])
    assert refusal(rezip(xlsx_bytes(), replace=macro_content_type))[0] == "macro"
    assert refusal(rezip(xlsx_bytes(), add={"xl/macrosheets/sheet1.xml": b"<xm/>"}))[0] == "macro"


def declare(entry: bytes):
    """A rewrite that adds one Default or Override entry to [Content_Types].xml."""

    def rewrite(name, data):
        return data.replace(b"</Types>", entry + b"</Types>") if name == "[Content_Types].xml" else data

    return rewrite


CODE_CONTENT_TYPES = [
    "application/vnd.ms-office.vbaProject",
    "application/vnd.ms-office.vbaProjectSignature",
    "application/vnd.ms-excel.sheet.macroEnabled.main+xml",
    "application/vnd.ms-excel.macrosheet+xml",
    "application/vnd.ms-excel.intlmacrosheet+xml",
    "application/vnd.ms-office.activeX+xml",
    "application/vnd.ms-office.activeX",
]


@pytest.mark.parametrize("content_type", CODE_CONTENT_TYPES)
def test_a_code_part_under_an_innocent_name_is_refused_by_its_override(content_type):
    override = f'<Override PartName="/xl/media/image1.png" ContentType="{content_type}"/>'.encode()
    crafted = rezip(xlsx_bytes(), add={"xl/media/image1.png": b"\xd0\xcf\x11\xe0" + b"\x00" * 512},
                    replace=declare(override))  # fmt: skip
    assert refusal(crafted) == ("macro", "不接受含宏的工作簿（.xlsm 等），请另存为不含宏的 .xlsx 后上传。")


def test_a_code_part_is_refused_by_the_default_of_its_extension_and_names_compare_without_case():
    default = b'<Default Extension="DAT" ContentType="application/vnd.ms-office.vbaProject"/>'
    by_extension = rezip(xlsx_bytes(), add={"xl/printerSettings/settings1.dat": b"\x00" * 64}, replace=declare(default))
    assert refusal(by_extension)[0] == "macro"
    by_override = rezip(xlsx_bytes(), add={"xl/Theme/Extra.xml": b"<xm/>"},
                        replace=declare(b'<Override PartName="/XL/theme/extra.XML" '
                                        b'ContentType="application/vnd.ms-excel.macrosheet+xml"/>'))  # fmt: skip
    assert refusal(by_override)[0] == "macro"


def test_an_ordinary_declared_part_is_accepted():
    image = rezip(xlsx_bytes(), add={"xl/media/image1.png": b"\x89PNG" + b"\x00" * 64},
                  replace=declare(b'<Default Extension="png" ContentType="image/png"/>'))  # fmt: skip
    assert check_upload(upload(image)).kind == "xlsx"


def test_content_types_with_a_dtd_or_broken_xml_are_refused():
    laughs = b'<?xml version="1.0"?><!DOCTYPE t [<!ENTITY a "aaaaaaaaaa">]><Types>&a;</Types>'
    assert refusal(rezip(xlsx_bytes(), replace=lambda n, d: laughs if n == "[Content_Types].xml" else d))[0] == (
        "not_workbook"
    )
    broken = rezip(xlsx_bytes(), replace=lambda n, d: b"<Types" if n == "[Content_Types].xml" else d)
    assert refusal(broken)[0] == "not_workbook"


def test_a_zip_that_is_not_a_workbook_is_refused():
    assert refusal(rezip(xlsx_bytes(), drop=("xl/workbook.xml",)))[0] == "not_workbook"
    plain = io.BytesIO()
    with zipfile.ZipFile(plain, "w") as archive:
        archive.writestr("readme.txt", "你好")
    code, message = refusal(plain.getvalue())
    assert code == "not_workbook" and "xlsx" in message


def test_a_broken_zip_is_refused():
    content = xlsx_bytes()
    assert refusal(content[: len(content) // 2])[0] == "corrupt_zip"


def test_a_zip_bomb_is_refused_by_ratio():
    bomb = rezip(xlsx_bytes(), add={"xl/worksheets/sheet2.xml": b"0" * (50 * 1024 * 1024)})
    assert len(bomb) < 1024 * 1024  # 50 MB of zeros deflate to about 50 KB
    code, message = refusal(bomb)
    assert code == "zip_bomb" and "压缩比" in message


def test_a_zip_bomb_is_refused_by_total_size(monkeypatch):
    monkeypatch.setattr(uploads, "MAX_UNZIPPED_MB", 1)
    monkeypatch.setattr(uploads, "MAX_RATIO", 10_000)
    varied = bytes(range(256)) * 8 * 1024  # 2 MB that compresses poorly enough to pass the ratio
    assert refusal(rezip(xlsx_bytes(), add={"xl/media/blob.bin": varied}))[0] == "zip_bomb"


def test_a_zip_that_lies_about_its_sizes_is_refused():
    """A bomb whose central directory claims 1 KB is still refused: the entries are unpacked and checked."""
    bomb = bytearray(rezip(xlsx_bytes(), add={"xl/worksheets/sheet2.xml": b"0" * (8 * 1024 * 1024)}))
    name = b"xl/worksheets/sheet2.xml"
    at = bomb.find(b"PK\x01\x02")
    while bomb[at + 46 : at + 46 + len(name)] != name:
        at = bomb.find(b"PK\x01\x02", at + 4)
    bomb[at + 24 : at + 28] = (1024).to_bytes(4, "little")  # the entry's uncompressed size
    assert refusal(bytes(bomb))[0] in {"zip_bomb", "corrupt_zip"}


def test_an_encrypted_zip_entry_is_refused():
    content = bytearray(xlsx_bytes())
    at = content.find(b"PK\x01\x02")
    content[at + 8] |= 0x1  # the "encrypted" flag of the first central directory entry
    assert refusal(bytes(content))[0] == "encrypted"


def test_an_xls_is_recognised_by_its_signature():
    content = uploads.OLE2_SIGNATURE + b"\x00" * 1024
    assert check_upload(upload(content, "名册.dat")) == CheckedUpload("xls")


def test_an_xls_with_a_vba_project_is_refused():
    content = uploads.OLE2_SIGNATURE + b"\x00" * (uploads.CHUNK - 10) + "_VBA_PROJECT".encode("utf-16-le")
    assert refusal(content, "名册.xls")[0] == "macro"


@pytest.mark.parametrize(
    "head",
    [b"MZ\x90\x00\x03\x00", b"\x7fELF\x02\x01\x01", b"#!/bin/sh\nrm -rf /\n", b"\xcf\xfa\xed\xfe\x07\x00"],
    ids=["windows", "linux", "script", "macos"],
)
@pytest.mark.parametrize("name", ["名册.xlsx", "名册.csv", "名册.xls"])
def test_executables_are_refused_whatever_their_name(head, name):
    code, message = refusal(head + b"\x00" * 64, name)
    assert code == "executable" and "可执行文件" in message


@pytest.mark.parametrize(
    ("content", "encoding"),
    [
        ("姓名,手机号码\n张伟,138****5678\n".encode(), "utf-8"),
        ("姓名,手机号码\n张伟,138****5678\n".encode("utf-8-sig"), "utf-8-sig"),
        ("姓名,手机号码\n张伟,138****5678\n".encode("gb18030"), "gb18030"),
    ],
    ids=["utf-8", "utf-8-bom", "gb18030"],
)
def test_csv_text_in_utf8_or_gb18030_is_accepted(content, encoding):
    assert check_upload(upload(content, "名册.csv")) == CheckedUpload("csv", encoding)


def test_csv_with_a_multibyte_character_across_chunks_is_utf8():
    content = b"a" * (uploads.CHUNK - 1) + "张伟\n".encode()
    assert check_upload(upload(content, "名册.csv")).encoding == "utf-8"


def test_binary_named_csv_is_refused():
    assert refusal(b"name,phone\n\x00\x01\x02", "名册.csv")[0] == "binary_text"
    assert refusal(b"name\x1b[31m,phone\n", "名册.csv")[0] == "binary_text"
    code, message = refusal(b"\xff\xfe\xff\xfe\x80\x80", "名册.csv")
    assert code == "encoding" and "GB18030" in message


@pytest.mark.parametrize("name", ["名册.xlsx", "名册.XLS", "名册.et"])
def test_junk_named_like_a_workbook_is_refused_in_a_workbooks_words_not_a_csvs(name):
    for junk in (b"name,phone\n\x00\x01\x02", b"\xff\xfe\xff\xfe\x80\x80"):
        code, message = refusal(junk, name)
        assert code == "named_workbook" and "不是有效的 Excel 工作簿" in message and "CSV" not in message
    assert check_upload(upload("姓名,身份证号\n".encode(), name)).kind == "csv"  # a CSV exported as .xls


def test_empty_and_oversized_files_are_refused(settings):
    assert refusal(b"", "名册.csv") == ("empty", "上传的文件是空的。")
    settings.GONGHUI_UPLOAD_MAX_MB = 1
    code, message = refusal(b"a,b\n" * (300 * 1024), "名册.csv")
    assert code == "too_large" and message == "文件过大：最大允许 1 MB。"
    assert check_upload(upload(b"a,b\n" * 1024, "名册.csv")).kind == "csv"


def test_the_size_limit_comes_from_settings():
    from django.conf import settings

    assert settings.GONGHUI_UPLOAD_MAX_MB == 50


def test_the_kinds_allowed_can_be_narrowed():
    code, message = refusal("姓名\n张伟\n".encode(), "名册.csv", allowed=("xlsx", "xls"))
    assert code == "not_allowed" and message == "此处只接受以下文件：Excel（.xlsx）、Excel 97-2003（.xls）。"


def test_a_plain_file_object_works_too():
    assert check_upload(io.BytesIO(xlsx_bytes())).kind == "xlsx"


# ----- supporting documents of a case (check_document) ------------------------------------------------------

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 32
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"


@pytest.mark.parametrize(("content", "kind"), [(PNG, "png"), (JPEG, "jpg"), (PDF, "pdf"), (xlsx_bytes(), "xlsx")])
def test_documents_are_accepted_by_content_whatever_their_name(content, kind):
    assert uploads.check_document(upload(content, "扫描件.txt")).kind == kind


@pytest.mark.parametrize(
    ("content", "code"),
    [
        (b"", "empty"),
        (b"MZ\x90\x00 windows", "executable"),
        (b"#!/bin/sh\nrm -rf /", "executable"),
        ("姓名,身份证号码\n张伟,1\n".encode(), "not_document"),
        (b"%PDF-1.4 << /OpenAction << /S /JavaScript /JS (app.alert(1)) >> >>", "active_pdf"),
        (b"%PDF-1.4 << /Type /EmbeddedFile >>", "active_pdf"),
    ],
)
def test_documents_that_are_not_scans_photos_or_workbooks_are_refused(content, code):
    with pytest.raises(ValidationError) as error:
        uploads.check_document(upload(content, "证明.pdf"))
    assert error.value.code == code


def test_a_macro_workbook_is_refused_as_a_document():
    macro = rezip(xlsx_bytes(), add={"xl/vbaProject.bin": b"\x00" * 64})
    with pytest.raises(ValidationError) as error:
        uploads.check_document(upload(macro, "材料.xlsx"))
    assert error.value.code == "macro"
