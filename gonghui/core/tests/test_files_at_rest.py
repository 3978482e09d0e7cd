"""Files with personal data at rest (docs/security.md §25, issue 10 item 5): uploaded rosters, exports and case
attachments are 0600 in 0700 folders, whatever the umask, and encrypted with the data keys in authenticated
chunks (core.files). Key rotation of files: privacy/tests/test_rotation_files.py."""

import hashlib
import io
import os
import stat
import uuid
import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from gonghui.cases.services import attachment_add
from gonghui.cases.tests.support import opened
from gonghui.core import crypto, files, spreadsheets
from gonghui.core.files import CHUNK
from gonghui.core.tasks import export_task
from gonghui.rosters import services as roster_services
from gonghui.rosters.tests.support import HEADER, csv_bytes, person_id, upload, xlsx
from gonghui.testing.cast import ZHANG_WEI_ID

pytestmark = pytest.mark.security


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def lax_umask(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    old = os.umask(0o022)  # the usual default: 0644 files in 0755 folders unless the code says otherwise
    yield tmp_path
    os.umask(old)


def test_uploaded_rosters_and_exports_are_the_service_account_s_alone(cast, lax_umask):
    job = upload(cast, xlsx({"花名册": [HEADER, ["赵六", person_id(7)]]}))
    export = roster_services.export_start(actor=cast.users.grassroots_admin, org=cast.orgs.company, unmasked=True)
    export_task.call(export.pk)
    export.refresh_from_db()
    for relative in (job.file_path, export.file_path):
        path = lax_umask / relative
        assert path.stat().st_size > 0 and _mode(path) == 0o600, relative
        for folder in path.relative_to(lax_umask).parents[:-1]:
            assert _mode(lax_umask / folder) == 0o700, folder


def test_a_private_file_is_never_an_existing_one(lax_umask):
    from gonghui.core.files import private_file

    private_file("exports/a.xlsx")
    with pytest.raises(FileExistsError):
        private_file("exports/a.xlsx")


# ----- encrypted at rest (core.files: chunked SM4-GCM under the data keys) -------------------------------------

DATA = os.urandom(3 * CHUNK + 4321)
SIZES = (0, 1, CHUNK - 1, CHUNK, CHUNK + 1, 2 * CHUNK, len(DATA))


def _stored(relative: str, data: bytes, *, pieces: int = 1) -> Path:
    step = max(1, -(-len(data) // pieces))
    with files.create(relative) as out:
        for start in range(0, len(data), step):
            out.write(data[start : start + step])
    return files.path_of(relative)


def _read(relative: str) -> bytes:
    with files.open_private(relative) as reader:
        return reader.read()


@pytest.mark.parametrize("size", SIZES)
def test_a_stored_file_reads_back_as_written(lax_umask, size):
    path = _stored("t/a.bin", DATA[:size], pieces=3)
    assert _read("t/a.bin") == DATA[:size]
    assert _mode(path) == 0o600 and path.stat().st_size > size  # header, nonces and tags on top
    chunks = max(1, -(-size // CHUNK))
    assert (
        path.stat().st_size
        == len(files.MAGIC) + 1 + len(crypto._keys()[0]) + files.FILE_ID_BYTES + size + chunks * files.OVERHEAD
    )


@hypothesis_settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(size=st.integers(0, len(DATA)), cuts=st.lists(st.integers(0, len(DATA)), max_size=6),
       reads=st.lists(st.tuples(st.integers(0, len(DATA) + 10), st.integers(-1, 2 * CHUNK)), max_size=8))  # fmt: skip
def test_any_writes_and_seeks_read_the_same_bytes(lax_umask, size, cuts, reads):
    """Property: however the plaintext is cut into writes, the reader gives it back, whole or from any offset."""
    data, relative = DATA[:size], f"t/{uuid.uuid4().hex}"
    with files.create(relative) as out:
        bounds = sorted({0, size, *(c for c in cuts if c <= size)})
        for start, end in zip(bounds, bounds[1:], strict=False):
            out.write(data[start:end])
    with files.open_private(relative) as reader:
        assert reader.seek(0, io.SEEK_END) == size == reader.size
        for offset, length in reads:
            reader.seek(offset)
            assert reader.read(length) == (data[offset:] if length < 0 else data[offset : offset + length])
            assert reader.tell() == max(offset, min(size, offset + length if length >= 0 else size))


def _header_len() -> int:
    return len(files.MAGIC) + 1 + len(crypto._keys()[0]) + files.FILE_ID_BYTES


def _split(raw: bytes) -> tuple[bytes, list[bytes]]:
    """The header and the sealed chunks of a stored file."""
    head, body = raw[: _header_len()], raw[_header_len() :]
    return head, [body[i : i + files.SEALED_CHUNK] for i in range(0, len(body), files.SEALED_CHUNK)]


def _flip(at: int):
    return lambda raw: raw[:at] + bytes([raw[at] ^ 1]) + raw[at + 1 :]


def _chunks(change):
    """A change of the list of chunks, the header kept."""

    def apply(raw: bytes) -> bytes:
        head, chunks = _split(raw)
        return head + b"".join(change(chunks))

    return apply


@pytest.mark.parametrize(
    ("name", "change"),
    [
        ("the key id's length", lambda raw: _flip(len(files.MAGIC))(raw)),
        ("the file id", lambda raw: _flip(_header_len() - 1)(raw)),
        ("a nonce", lambda raw: _flip(_header_len() + files.SEALED_CHUNK + 3)(raw)),
        ("a ciphertext byte", lambda raw: _flip(_header_len() + 100)(raw)),
        ("the last tag", lambda raw: _flip(len(raw) - 1)(raw)),
        ("cut at a chunk boundary", _chunks(lambda c: c[:2])),
        ("cut inside a chunk", lambda raw: raw[:-100]),
        ("cut to the header", _chunks(lambda c: [])),
        ("a chunk dropped", _chunks(lambda c: [c[0], *c[2:]])),
        ("two chunks swapped", _chunks(lambda c: [c[1], c[0], *c[2:]])),
        ("a chunk repeated at the end", _chunks(lambda c: [*c, c[0]])),
        ("the last chunk moved first", _chunks(lambda c: [c[-1], *c[:-1]])),
        ("not an encrypted file", lambda raw: b"PK\x03\x04" + raw[4:]),
    ],
)
def test_any_change_to_a_stored_file_is_detected(lax_umask, name, change):
    path = _stored("t/a.bin", DATA)
    path.write_bytes(change(path.read_bytes()))
    with pytest.raises(crypto.DecryptionError):
        _read("t/a.bin")


def test_a_chunk_from_another_file_under_the_same_key_is_detected(lax_umask):
    one, other = _stored("t/one.bin", DATA), _stored("t/other.bin", DATA)
    head, chunks = _split(one.read_bytes())
    chunks[1] = _split(other.read_bytes())[1][1]
    one.write_bytes(head + b"".join(chunks))
    with pytest.raises(crypto.DecryptionError):
        _read("t/one.bin")


def test_a_failed_write_leaves_no_file(lax_umask):
    with pytest.raises(RuntimeError), files.create("t/half.bin") as out:
        out.write(DATA[: CHUNK * 2])
        raise RuntimeError("the export failed")
    assert not files.exists("t/half.bin")


def _person_pdf(id_number: str, phone: str) -> bytes:
    return b"%PDF-1.4\n% " + f"{id_number} {phone}".encode() + b"\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"


def test_no_personal_data_is_on_disk_in_plaintext(cast, lax_umask, client):
    """A roster uploaded as CSV (plain text), its unmasked export and a case attachment holding an ID number:
    the stored bytes hold neither the ID number nor the phone, while what the users read back does."""
    id_number, phone = person_id(7), "13900001111"
    job = upload(cast, csv_bytes([HEADER[:3], ["赵六", id_number, phone]], "utf-8"), name="花名册.csv")
    assert job.status == "checked" and job.counts["create"] == 1  # read back from the encrypted file
    export = roster_services.export_start(actor=cast.users.grassroots_admin, org=cast.orgs.company, unmasked=True)
    export_task.call(export.pk)
    export.refresh_from_db()
    pdf = SimpleUploadedFile("证明.pdf", _person_pdf(id_number, phone))
    attachment = attachment_add(actor=cast.users.grassroots_admin, case=opened(cast), document="other", file=pdf,
                                file_name="证明.pdf")  # fmt: skip
    stored = [p for p in lax_umask.rglob("*") if p.is_file()]
    assert {str(p.relative_to(lax_umask)) for p in stored} >= {job.file_path, export.file_path, attachment.file_path}
    for path in stored:
        raw = path.read_bytes()
        assert raw.startswith(files.MAGIC), path
        for secret in (id_number, phone, ZHANG_WEI_ID):
            assert secret.encode() not in raw and secret.encode("utf-16-le") not in raw, (path, secret)
    assert id_number.encode() in _read(job.file_path) and id_number.encode() in _read(attachment.file_path)
    with zipfile.ZipFile(files.open_private(export.file_path)) as workbook:  # the plaintext is a real workbook
        assert ZHANG_WEI_ID in workbook.read("xl/worksheets/sheet1.xml").decode()


def test_downloads_stream_the_plaintext(cast, lax_umask, client):
    export = roster_services.export_start(actor=cast.users.grassroots_admin, org=cast.orgs.company)
    export_task.call(export.pk)
    export.refresh_from_db()
    client.force_login(cast.users.grassroots_admin)
    response = client.get(reverse("exports:download", args=[export.pk]))
    assert response.status_code == 200 and response.streaming
    body = b"".join(response.streaming_content)
    assert body == _read(export.file_path) and body.startswith(b"PK\x03\x04")
    assert int(response["Content-Length"]) == len(body)
    assert load_workbook(io.BytesIO(body)).active.max_row == 3  # the header, 张伟 and 李娜


@pytest.mark.parametrize("streamed", [True, False])
@pytest.mark.parametrize("kind", ["xlsx", "csv"])
def test_a_stored_roster_reads_as_the_same_rows_as_the_plain_file(lax_umask, monkeypatch, kind, streamed):
    """core.spreadsheets.read_sheets from the decrypting reader (the zip reader of large .xlsx and the CSV reader
    seek in it, python-calamine reads small workbooks through it) gives the rows it gives from a plain path."""
    monkeypatch.setattr(spreadsheets, "STREAM_XLSX_BYTES", 0 if streamed else 10**9)
    notes = [hashlib.sha256(str(i).encode()).hexdigest() * 3 for i in range(1, 999)]  # poorly compressible
    rows = [[*HEADER[:3], "备注"], *(["赵六", person_id(i), f"139{i:08d}", notes[i - 1]] for i in range(1, 999))]
    content = xlsx({"花名册": rows, "说明": [["备注"]]}) if kind == "xlsx" else csv_bytes(rows, "gb18030")
    encoding = None if kind == "xlsx" else "gb18030"
    plain = lax_umask / f"plain.{kind}"
    plain.write_bytes(content)
    with files.create(f"t/roster.{kind}") as out:
        out.write(content)

    def sheets(source):
        return [
            (sheet.name, [list(row) for row in sheet.rows])
            for sheet in spreadsheets.read_sheets(source, kind, encoding)
        ]

    with files.open_private(f"t/roster.{kind}") as stored:
        assert stored.size > CHUNK  # more than one chunk: the readers seek across them
        assert sheets(stored) == sheets(plain)
