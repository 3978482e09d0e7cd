"""Files with personal data at rest (docs/security.md §25): uploaded rosters, exports and case attachments live
under ``GONGHUI_VAR_DIR`` as files of mode 0600 in folders of mode 0700 — readable by the service account only,
whatever the umask — encrypted with the data keys (core.crypto's key ring). Every such file is written by
``create`` and read by ``open_private``; nothing else opens them.

The format (docs/decisions/0015-files-encrypted-at-rest.md) is streamed SM4-GCM in 64 KiB chunks, so that
neither side ever holds a whole file::

    header  = b"GHF1" | len(key id) (1 byte) | key id | file id (16 random bytes)
    chunk i = nonce (12 random bytes) | SM4-GCM(plaintext, 64 KiB or less) | tag (16 bytes)

Each chunk is authenticated with the header, its index and whether it is the last one (additional data), so
a chunk moved, dropped, repeated, taken from another file or cut short fails, and so does a file cut at a
chunk boundary or extended. Every chunk but the last holds exactly ``CHUNK`` bytes of plaintext; the last
holds the rest (none only in an empty file), so the reader knows the plaintext size from the file size and
can seek: a .xlsx is read from its zip directory at the end without any plaintext copy on disk.

Key rotation (privacy/rotation.py) re-encrypts every file a ``PrivateFileField`` column names (``reencrypt``)."""

import io
import os
import struct
import uuid
from pathlib import Path

from cryptography.hazmat.primitives.ciphers import Cipher, modes
from django.conf import settings
from django.db import models

from gonghui.core import crypto

MAGIC = b"GHF1"
CHUNK = 64 * 1024
FILE_ID_BYTES = 16
NONCE, TAG = crypto.NONCE_BYTES, crypto.TAG_BYTES
SEALED_CHUNK = NONCE + CHUNK + TAG  # a full chunk on disk
OVERHEAD = NONCE + TAG


class PrivateFileField(models.CharField):
    """A column holding the path (relative to ``GONGHUI_VAR_DIR``) of a file made by ``create``. As with
    ``crypto.EncryptedTextField``, the type is the declaration: key rotation re-encrypts the files of every
    such column of every model, so no list can miss one. Migrations see a plain CharField (the type changes
    nothing in the database)."""

    def deconstruct(self):
        name, _, args, kwargs = super().deconstruct()
        return name, "django.db.models.CharField", args, kwargs


def file_fields() -> list[tuple[str, tuple[str, ...]]]:
    """Every column naming a stored file (``PrivateFileField``), as (app_label.Model, field names): what key
    rotation re-encrypts and ``manage.py stored_files`` lists and checks."""
    from django.apps import apps

    found = []
    for model in apps.get_models():
        fields = tuple(f.name for f in model._meta.concrete_fields if isinstance(f, PrivateFileField))
        if fields and not model._meta.proxy:
            found.append((model._meta.label, fields))
    return sorted(found)


def path_of(relative: Path | str) -> Path:
    return Path(settings.VAR_DIR) / relative


def exists(relative: str) -> bool:
    return bool(relative) and path_of(relative).exists()


def remove(relative: str) -> None:
    """Deletes a stored file (expiry, a failed write); nothing if there is none."""
    if relative:
        path_of(relative).unlink(missing_ok=True)


def private_file(relative: Path | str) -> Path:
    """A new, empty file ``VAR_DIR/relative`` of mode 0600 (it must not exist yet), each folder under VAR_DIR on
    the way 0700; its absolute path."""
    folder = root = Path(settings.VAR_DIR)
    root.mkdir(parents=True, exist_ok=True)
    for part in Path(relative).parent.parts:
        folder = folder / part
        folder.mkdir(mode=0o700, exist_ok=True)
        folder.chmod(0o700)  # also a folder made before, or under a lax umask
    path = root / relative
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    return path


def new_relative(folder: Path | str, suffix: str) -> str:
    """A fresh name for a stored file: ``folder/<random>.suffix``."""
    return str(Path(folder) / f"{uuid.uuid4().hex}.{suffix}")


def _aad(header: bytes, index: int, final: bool) -> bytes:
    return header + struct.pack(">QB", index, final)


class EncryptingWriter(io.RawIOBase):
    """A write-only, unseekable binary file that encrypts what is written to it (``create``). Closing it writes
    the last chunk; leaving its ``with`` block by an exception deletes the file instead (nothing half-written
    stays). ``tell`` counts plaintext bytes (zipfile writes to it as to a pipe)."""

    def __init__(self, path: Path, key_id: str | None = None):
        super().__init__()
        current, keys = crypto._keys()
        key_id = key_id or current
        self.path, self.key_id, self._algorithm = path, key_id, crypto._sm4(keys[key_id])
        encoded = key_id.encode()
        self._header = MAGIC + bytes([len(encoded)]) + encoded + os.urandom(FILE_ID_BYTES)
        self._file = open(path, "wb")  # noqa: SIM115 — closed by close()
        self._file.write(self._header)
        self._buffer = bytearray()
        self._index = self._written = 0

    def writable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._written

    def write(self, data) -> int:
        self._buffer += data
        self._written += len(data)
        done = 0
        while len(self._buffer) - done > CHUNK:  # the last chunk is only known at close
            self._seal(bytes(self._buffer[done : done + CHUNK]), final=False)
            done += CHUNK
        del self._buffer[:done]
        return len(data)

    def _seal(self, plaintext: bytes, *, final: bool) -> None:
        nonce = os.urandom(NONCE)
        encryptor = Cipher(self._algorithm, modes.GCM(nonce)).encryptor()
        encryptor.authenticate_additional_data(_aad(self._header, self._index, final))
        self._file.write(nonce + encryptor.update(plaintext) + encryptor.finalize() + encryptor.tag)
        self._index += 1

    def close(self) -> None:
        if not self.closed:
            try:
                self._seal(bytes(self._buffer), final=True)
                self._file.flush()
                os.fsync(self._file.fileno())
            finally:
                self._file.close()
                super().close()

    def discard(self) -> None:
        """Stops writing and deletes the file."""
        self._file.close()
        super().close()
        self.path.unlink(missing_ok=True)

    def __exit__(self, kind, value, traceback):
        if kind is not None:
            self.discard()
        else:
            self.close()


def create(relative: Path | str) -> EncryptingWriter:
    """A new private file (0600 in 0700 folders, it must not exist yet) to write plaintext to, encrypted under
    the current data key: ``with files.create(relative) as out: out.write(...)``."""
    return EncryptingWriter(private_file(relative))


def _read_header(file) -> tuple[bytes, str]:
    start = file.read(len(MAGIC) + 1)
    if len(start) < len(MAGIC) + 1 or start[: len(MAGIC)] != MAGIC:
        raise crypto.DecryptionError("not an encrypted file")
    rest = file.read(start[-1] + FILE_ID_BYTES)
    if len(rest) != start[-1] + FILE_ID_BYTES:
        raise crypto.DecryptionError("truncated header")
    return start + rest, rest[: start[-1]].decode("ascii", "replace")


def key_id_of(path: Path) -> str:
    """The id of the key a stored file is encrypted under (raises DecryptionError for any other file)."""
    with open(path, "rb") as file:
        return _read_header(file)[1]


class DecryptingReader(io.RawIOBase):
    """A read-only, seekable binary file over a stored one: each chunk is decrypted and authenticated when
    read (one chunk in memory at a time). ``DecryptionError`` when the file was changed, cut short or extended,
    or its key is not configured."""

    def __init__(self, path: Path):
        super().__init__()
        self._file = open(path, "rb")  # noqa: SIM115 — closed by close()
        try:
            self._header, self.key_id = _read_header(self._file)
            key = crypto._keys()[1].get(self.key_id)
            if key is None:
                raise crypto.DecryptionError(f"unknown key id {self.key_id!r}")
            self._algorithm = crypto._sm4(key)
            body = os.fstat(self._file.fileno()).st_size - len(self._header)
            self._chunks = max(1, -(-body // SEALED_CHUNK))
            last = body - (self._chunks - 1) * SEALED_CHUNK - OVERHEAD
            if last < 0 or (last == 0 and self._chunks > 1):
                raise crypto.DecryptionError("file cut short")
        except BaseException:
            self._file.close()
            raise
        self.size = (self._chunks - 1) * CHUNK + last
        self._position = 0
        self._cached: tuple[int, bytes] = (-1, b"")

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._position

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self._position, io.SEEK_END: self.size}[whence]
        if base + offset < 0:
            raise ValueError("negative seek position")
        self._position = base + offset
        return self._position

    def _chunk(self, index: int) -> bytes:
        if self._cached[0] != index:
            self._file.seek(len(self._header) + index * SEALED_CHUNK)
            sealed = self._file.read(SEALED_CHUNK)
            nonce, body, tag = sealed[:NONCE], sealed[NONCE:-TAG], sealed[-TAG:]
            decryptor = Cipher(self._algorithm, modes.GCM(nonce, tag)).decryptor()
            decryptor.authenticate_additional_data(_aad(self._header, index, index == self._chunks - 1))
            try:
                self._cached = (index, decryptor.update(body) + decryptor.finalize())
            except Exception as exc:  # InvalidTag: changed, moved, cut or the wrong key
                raise crypto.DecryptionError(f"chunk {index} failed authentication") from exc
        return self._cached[1]

    def readinto(self, buffer) -> int:
        if self._position >= self.size:
            return 0
        index, offset = divmod(self._position, CHUNK)
        piece = self._chunk(index)[offset : offset + len(buffer)]
        buffer[: len(piece)] = piece
        self._position += len(piece)
        return len(piece)

    def read(self, size: int = -1) -> bytes:
        """Exactly ``size`` bytes (or all that is left): zipfile and the CSV reader expect full reads."""
        wanted = self.size - self._position if size is None or size < 0 else min(size, self.size - self._position)
        parts = []
        while wanted > 0:
            index, offset = divmod(self._position, CHUNK)
            piece = self._chunk(index)[offset : offset + wanted]
            parts.append(piece)
            self._position += len(piece)
            wanted -= len(piece)
        return b"".join(parts)

    def readall(self) -> bytes:
        return self.read()

    def close(self) -> None:
        if not self.closed:
            self._file.close()
            super().close()


def open_private(relative: str) -> DecryptingReader:
    """A stored file, to read its plaintext (FileNotFoundError if it is gone)."""
    return DecryptingReader(path_of(relative))


def problem(relative: str) -> str:
    """What is wrong with a stored file, in Chinese ("" if nothing): missing, or failing to decrypt and
    authenticate to its end (changed, cut short, another file, or a key not configured). Reads it through, one
    chunk at a time."""
    try:
        with open_private(relative) as reader:
            while reader.read(CHUNK):
                pass
    except FileNotFoundError:
        return "文件缺失"
    except crypto.DecryptionError:
        return "无法解密（文件已损坏、被截断或替换，或其密钥未配置）"
    return ""


def reencrypt(relative: str, key_id: str) -> bool:
    """Re-encrypts a stored file under ``key_id`` (key rotation), streamed, replacing it atomically; False when
    it is already under that key or gone. A file deleted meanwhile (expiry) is not brought back."""
    path = path_of(relative)
    try:
        source = DecryptingReader(path)
    except FileNotFoundError:
        return False
    with source:
        if source.key_id == key_id:
            return False
        fresh = private_file(Path(relative).with_name(f".{Path(relative).name}.{uuid.uuid4().hex}.rotating"))
        with EncryptingWriter(fresh, key_id) as out:
            while chunk := source.read(CHUNK):
                out.write(chunk)
        if os.fstat(source._file.fileno()).st_nlink == 0:  # deleted while we read it: leave it deleted
            fresh.unlink()
            return False
        os.replace(fresh, path)
    return True
