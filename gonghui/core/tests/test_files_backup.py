"""The files half of the backup drill (docs/backup.md §5, docs/security.md §20): the stored files the database
names are copied with ``tar --files-from`` fed by ``manage.py stored_files --list``, restored into an empty
folder, and ``stored_files --check`` reads every one through; a file lost or changed is named."""

import io
import shutil
import subprocess

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError

from gonghui.cases.services import attachment_add
from gonghui.cases.tests.support import PDF, opened
from gonghui.core import files

pytestmark = [pytest.mark.django_db, pytest.mark.security]


def _tar(*args: str) -> None:
    tar = shutil.which("tar")
    assert tar, "tar is not installed"
    subprocess.run([tar, *args], check=True, capture_output=True, timeout=60)  # noqa: S603 — fixed executable


def test_the_files_backup_restores_every_stored_file_and_the_check_names_a_lost_or_changed_one(
    cast, settings, tmp_path
):
    live, restored, backup = tmp_path / "live", tmp_path / "restored", tmp_path / "files.tar"
    settings.VAR_DIR = live
    case = opened(cast)
    big = PDF + b"%" + b"x" * (3 * files.CHUNK)  # several chunks
    stored = [
        attachment_add(
            actor=cast.users.grassroots_admin,
            case=case,
            document="other",
            file_name=f"{n}.pdf",
            file=SimpleUploadedFile(f"{n}.pdf", body),
        )  # fmt: skip
        for n, body in enumerate((PDF, big))
    ]
    (live / "dev-secrets.json").write_text("{}")  # the keys share the folder in development: never backed up

    listed = io.StringIO()
    call_command("stored_files", "--list", stdout=listed)
    paths = listed.getvalue().split()
    assert sorted(paths) == sorted(a.file_path for a in stored)
    (tmp_path / "list.txt").write_text(listed.getvalue())
    _tar("--create", "--file", str(backup), "-C", str(live), "--files-from", str(tmp_path / "list.txt"))

    restored.mkdir()
    _tar("--extract", "--file", str(backup), "-C", str(restored))
    assert not (restored / "dev-secrets.json").exists()
    settings.VAR_DIR = restored
    out = io.StringIO()
    call_command("stored_files", "--check", stdout=out)
    assert "存储文件完好：共检查 2 个" in out.getvalue()
    with files.open_private(stored[1].file_path) as reader:
        assert reader.read() == big

    changed = restored / stored[1].file_path
    data = bytearray(changed.read_bytes())
    data[len(data) // 2] ^= 1
    changed.write_bytes(bytes(data))
    (restored / stored[0].file_path).unlink()
    errors = io.StringIO()
    with pytest.raises(CommandError, match="共检查 2 个存储文件，2 个有问题"):
        call_command("stored_files", "--check", stdout=io.StringIO(), stderr=errors)
    assert f"#{stored[0].pk}，file_path）：文件缺失" in errors.getvalue()
    assert f"#{stored[1].pk}，file_path）：无法解密" in errors.getvalue()
