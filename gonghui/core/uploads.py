"""Checks on an uploaded spreadsheet by its content, never by its name (docs/security.md §15).

``check_upload(file)`` accepts an Excel workbook (.xlsx: a zip with [Content_Types].xml and xl/workbook.xml,
no macros; .xls: an OLE2 compound file) or a CSV text (UTF-8, with or without BOM, or GB18030) no larger than
``settings.GONGHUI_UPLOAD_MAX_MB``. Anything else — executables, macro workbooks, zip bombs, binary junk named
.csv — is refused with a ``ValidationError`` whose message tells the user, in Chinese, what to do."""

import codecs
import posixpath
import zipfile
from dataclasses import dataclass

from defusedxml import DefusedXmlException, ElementTree
from django.conf import settings
from django.core.exceptions import ValidationError

CHUNK = 1024 * 1024
OLE2_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_SIGNATURES = (b"PK\x03\x04", b"PK\x05\x06")
EXECUTABLE_SIGNATURES = (
    b"MZ",  # Windows PE / DOS
    b"\x7fELF",  # Linux
    b"#!",  # scripts
    b"\xfe\xed\xfa\xce",  # Mach-O 32
    b"\xfe\xed\xfa\xcf",  # Mach-O 64
    b"\xce\xfa\xed\xfe",
    b"\xcf\xfa\xed\xfe",
    b"\xca\xfe\xba\xbe",  # Mach-O universal / Java class
)
# The VBA storage of an .xls with macros, as its directory entry spells it (UTF-16LE).
OLE2_VBA_NAMES = ("_VBA_PROJECT".encode("utf-16-le"), "Macros".encode("utf-16-le"))

# Content types of the parts that carry code: VBA projects and their signatures, VBA data, macro-enabled
# workbooks (main part), Excel 4 macro sheets (international ones too) and ActiveX controls. A part is judged by
# the type [Content_Types].xml gives it (its Override, else the Default of its extension), whatever its name.
MACRO_CONTENT_TYPE_MARKS = ("vbaproject", "vbadata", "macroenabled", "macrosheet", "activex")
CONTENT_TYPES_NS = "{http://schemas.openxmlformats.org/package/2006/content-types}"

# Zip-bomb limits: the whole unpacked workbook, the entry count, and the ratio of any sizeable entry.
MAX_UNZIPPED_MB = 1024
MAX_ZIP_ENTRIES = 10_000
MAX_RATIO = 200
RATIO_CHECKED_ABOVE = 1024 * 1024  # small entries (styles, rels) compress very well and are harmless

# Control characters that a text file may hold besides tab, line feed, carriage return and form feed.
TEXT_CONTROLS = {chr(c) for c in range(32) if chr(c) not in "\t\n\r\f"} | {"\x7f"}

MESSAGES = {
    "empty": "上传的文件是空的。",
    "too_large": "文件过大：最大允许 {limit} MB。",
    "executable": "不接受可执行文件或脚本，请上传 Excel（.xlsx、.xls）或 CSV 文件。",
    "unsupported": "不支持的文件类型，请上传 Excel（.xlsx、.xls）或 CSV 文件。",
    "not_allowed": "此处只接受以下文件：{kinds}。",
    "corrupt_zip": "文件已损坏，不是有效的 Excel（.xlsx）文件。",
    "not_workbook": "不是有效的 Excel（.xlsx）工作簿，请用 Excel 或 WPS 另存为 .xlsx 后上传。",
    "macro": "不接受含宏的工作簿（.xlsm 等），请另存为不含宏的 .xlsx 后上传。",
    "encrypted": "不接受加密的文件，请取消密码保护后上传。",
    "zip_bomb": "文件解压后过大或压缩比异常，已拒绝。",
    "binary_text": "CSV 文件中含有不可见的控制字符，不是有效的文本文件。",
    "encoding": "无法识别 CSV 文件的编码，请另存为 UTF-8 或 GBK/GB18030 编码后上传。",
    "named_workbook": "文件名是 Excel 工作簿（{suffix}），但内容不是有效的 Excel 工作簿，可能已损坏或被改了扩展名。"
    "请用 Excel 或 WPS 打开后另存为 .xlsx 再上传。",
    "not_document": "不支持的文件类型，请上传 PDF、JPEG、PNG 图片或 Excel（.xlsx、.xls）文件。",
    "active_pdf": "不接受含脚本或自动操作的 PDF 文件，请另存（打印）为普通 PDF 后上传。",
}
KIND_LABELS = {"xlsx": "Excel（.xlsx）", "xls": "Excel 97-2003（.xls）", "csv": "CSV"}
# Supporting documents of a case: scans and photos besides workbooks.
DOCUMENT_SIGNATURES = {b"%PDF-": "pdf", b"\x89PNG\r\n\x1a\n": "png", b"\xff\xd8\xff": "jpg"}
PDF_ACTIVE_CONTENT = (b"/JavaScript", b"/JS", b"/Launch", b"/EmbeddedFile", b"/RichMedia")


@dataclass(frozen=True)
class CheckedUpload:
    kind: str  # "xlsx", "xls" or "csv"
    encoding: str | None = None  # for CSV: "utf-8-sig", "utf-8" or "gb18030"


def refuse(code: str, **params) -> ValidationError:
    return ValidationError(MESSAGES[code].format(**params), code=code)


def check_upload(file, *, allowed: tuple[str, ...] = ("xlsx", "xls", "csv")) -> CheckedUpload:
    """Validate an uploaded file (a Django ``UploadedFile`` or any seekable binary file) by its content."""
    limit_mb = settings.GONGHUI_UPLOAD_MAX_MB
    size = _size(file)
    if size == 0:
        raise refuse("empty")
    if size > limit_mb * 1024 * 1024:
        raise refuse("too_large", limit=limit_mb)
    file.seek(0)
    head = file.read(8)
    file.seek(0)
    if head.startswith(EXECUTABLE_SIGNATURES):
        raise refuse("executable")
    if head.startswith(ZIP_SIGNATURES):
        result = CheckedUpload("xlsx")
        _check_xlsx(file)
    elif head.startswith(OLE2_SIGNATURE):
        result = CheckedUpload("xls")
        _check_xls(file)
    else:
        result = CheckedUpload("csv", _check_text_named(file))
    file.seek(0)
    if result.kind not in allowed:
        raise refuse("not_allowed", kinds="、".join(KIND_LABELS[k] for k in allowed))
    return result


def _size(file) -> int:
    size = getattr(file, "size", None)
    if size is None:
        file.seek(0, 2)
        size = file.tell()
    return size


def _check_xlsx(file) -> None:
    try:
        archive = zipfile.ZipFile(file)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError) as exc:
        raise refuse("corrupt_zip") from exc
    with archive:
        entries = archive.infolist()
        if len(entries) > MAX_ZIP_ENTRIES:
            raise refuse("zip_bomb")
        names = {info.filename for info in entries}
        lowered = {name.lower() for name in names}
        if any(name.endswith("vbaproject.bin") or name.startswith("xl/macrosheets/") for name in lowered):
            raise refuse("macro")
        if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
            raise refuse("not_workbook")
        if any(info.flag_bits & 0x1 for info in entries):
            raise refuse("encrypted")
        max_total = MAX_UNZIPPED_MB * 1024 * 1024
        if sum(info.file_size for info in entries) > max_total:
            raise refuse("zip_bomb")
        # The sizes in the directory can lie, so every entry is unpacked, counting the real bytes, which
        # also checks each entry's CRC.
        total = 0
        try:
            for info in entries:
                unpacked = 0
                with archive.open(info) as member:
                    while chunk := member.read(CHUNK):
                        unpacked += len(chunk)
                        if unpacked > RATIO_CHECKED_ABOVE and unpacked > MAX_RATIO * max(info.compress_size, 1):
                            raise refuse("zip_bomb")
                        if total + unpacked > max_total:
                            raise refuse("zip_bomb")
                total += unpacked
            content_types = archive.read("[Content_Types].xml")
        except (zipfile.BadZipFile, NotImplementedError, OSError, EOFError) as exc:
            raise refuse("corrupt_zip") from exc
    if any(_is_macro_type(kind) for kind in _part_content_types(content_types, names)):
        raise refuse("macro")


def _part_content_types(content_types: bytes, names: set[str]) -> list[str]:
    """The content type of every part in the package, and every type declared by an Override; part names are
    compared without case, as the Open Packaging Conventions say."""
    try:
        root = ElementTree.fromstring(content_types)  # defusedxml: no entities, no DTD fetching
    except (ElementTree.ParseError, DefusedXmlException) as exc:
        raise refuse("not_workbook") from exc
    defaults = {
        item.get("Extension", "").lower(): item.get("ContentType", "")
        for item in root.iter(f"{CONTENT_TYPES_NS}Default")
    }
    overrides = {
        item.get("PartName", "").lstrip("/").lower(): item.get("ContentType", "")
        for item in root.iter(f"{CONTENT_TYPES_NS}Override")
    }
    parts = [name.lower() for name in names if not name.endswith("/")]
    declared = [overrides.get(part, defaults.get(posixpath.splitext(part)[1].lstrip("."), "")) for part in parts]
    return declared + list(overrides.values())


def _is_macro_type(content_type: str) -> bool:
    kind = content_type.split(";")[0].strip().lower()
    return any(mark in kind for mark in MACRO_CONTENT_TYPE_MARKS)


def _check_xls(file) -> None:
    """An .xls is an OLE2 compound file; one carrying a VBA project is refused like an .xlsm."""
    overlap = max(len(name) for name in OLE2_VBA_NAMES)
    tail = b""
    while chunk := file.read(CHUNK):
        window = tail + chunk
        if any(name in window for name in OLE2_VBA_NAMES):
            raise refuse("macro")
        tail = window[-overlap:]


WORKBOOK_SUFFIXES = (".xlsx", ".xls", ".xlsm", ".et")


def _check_text_named(file) -> str:
    """``_check_text``; when it is refused, a file named like a workbook is told so in a workbook's words (some
    systems export a CSV named .xls, and that is accepted as the CSV it is)."""
    try:
        return _check_text(file)
    except ValidationError:
        suffix = next((s for s in WORKBOOK_SUFFIXES if str(getattr(file, "name", "")).lower().endswith(s)), None)
        if suffix is None:
            raise
        raise refuse("named_workbook", suffix=suffix) from None


def _check_text(file) -> str:
    """Return the encoding of a CSV text: UTF-8 (a BOM is allowed) or else GB18030; no control characters."""
    file.seek(0)
    first = file.read(3)
    file.seek(0)
    candidates = ["utf-8-sig"] if first == codecs.BOM_UTF8 else ["utf-8", "gb18030"]
    for encoding in candidates:
        file.seek(0)
        decoder = codecs.getincrementaldecoder(encoding)()
        try:
            while chunk := file.read(CHUNK):
                if b"\x00" in chunk:
                    raise refuse("binary_text")
                text = decoder.decode(chunk)
                if not TEXT_CONTROLS.isdisjoint(text):
                    raise refuse("binary_text")
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            continue
        return encoding
    raise refuse("encoding")


def check_document(file) -> CheckedUpload:
    """A supporting document by its content: a PDF without scripts or embedded files, a PNG or JPEG image, or an
    Excel workbook as ``check_upload`` accepts it; size limits as for every upload."""
    file.seek(0)
    head = file.read(8)
    file.seek(0)
    if head.startswith((*ZIP_SIGNATURES, OLE2_SIGNATURE)):
        return check_upload(file, allowed=("xlsx", "xls"))
    _refuse_size(file)
    if head.startswith(EXECUTABLE_SIGNATURES):
        raise refuse("executable")
    kind = next((k for signature, k in DOCUMENT_SIGNATURES.items() if head.startswith(signature)), None)
    if kind is None:
        raise refuse("not_document")
    if kind == "pdf":
        _check_pdf(file)
    file.seek(0)
    return CheckedUpload(kind)


def _refuse_size(file) -> None:
    size = _size(file)
    if size == 0:
        raise refuse("empty")
    if size > settings.GONGHUI_UPLOAD_MAX_MB * 1024 * 1024:
        raise refuse("too_large", limit=settings.GONGHUI_UPLOAD_MAX_MB)


def _check_pdf(file) -> None:
    overlap = max(len(name) for name in PDF_ACTIVE_CONTENT)
    tail = b""
    while chunk := file.read(CHUNK):
        window = tail + chunk
        if any(name in window for name in PDF_ACTIVE_CONTENT):
            raise refuse("active_pdf")
        tail = window[-overlap:]
