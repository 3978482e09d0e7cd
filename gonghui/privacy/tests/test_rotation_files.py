"""Key rotation of stored files (docs/security.md §25, issue 10 item 5): uploads, exports and case attachments
written under the old key are re-encrypted under the new one, resumably, their contents unchanged; then the old
key can be dropped and every file still reads. Without the key a file does not read at all."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from gonghui.cases.services import attachment_add
from gonghui.cases.tests.support import PDF, opened
from gonghui.core import crypto, files
from gonghui.core.tasks import export_task
from gonghui.privacy import rotation
from gonghui.privacy.models import KeyRotationRun
from gonghui.privacy.rotation import files_not_under, rotate_data_key
from gonghui.privacy.tests.support import NEW, OLD
from gonghui.rosters import services as roster_services
from gonghui.rosters.tests.support import HEADER, commit, csv_bytes, person_id, upload

pytestmark = pytest.mark.security


@pytest.fixture
def old_files(db, use_keys, settings, tmp_path, request):
    """An uploaded roster, an export and four case attachments, all written under the old key; then the new key
    is put first."""
    settings.VAR_DIR = tmp_path
    use_keys(OLD)
    cast = request.getfixturevalue("cast")
    job = upload(cast, csv_bytes([HEADER[:3], ["赵六", person_id(7), "13900001111"]], "utf-8"), name="花名册.csv")
    export = roster_services.export_start(actor=cast.users.grassroots_admin, org=cast.orgs.company)
    export_task.call(export.pk)
    export.refresh_from_db()
    case = opened(cast)
    attachments = [
        attachment_add(actor=cast.users.grassroots_admin, case=case, document="other",
                       file=SimpleUploadedFile(f"{i}.pdf", PDF), file_name=f"{i}.pdf")
        for i in range(4)
    ]  # fmt: skip
    stored = [job.file_path, export.file_path, *(a.file_path for a in attachments)]
    plain = {relative: files.open_private(relative).read() for relative in stored}
    use_keys(f"{NEW},{OLD}")
    return cast, job, export, attachments, plain


def _key_ids(plain) -> set[str]:
    return {files.key_id_of(files.path_of(relative)) for relative in plain}


def test_rotation_re_encrypts_every_stored_file_resumably_and_the_old_key_can_go(old_files, use_keys, monkeypatch,
                                                                               client):  # fmt: skip
    cast, job, export, attachments, plain = old_files
    monkeypatch.setattr(rotation, "FILE_BATCH", 2)
    assert files_not_under("new2") == 6 and _key_ids(plain) == {"old1"}
    run = rotate_data_key(batch_size=1000, max_batches=1)
    while not any(key.endswith("文件") and p["last_id"] for key, p in run.progress.items()):  # stop among the files
        run = rotate_data_key(batch_size=1000, max_batches=1)
    assert run.status == KeyRotationRun.Status.RUNNING and 0 < files_not_under("new2") < 6
    run = rotate_data_key(batch_size=1000)
    assert run.status == KeyRotationRun.Status.COMPLETED
    assert files_not_under("new2") == 0 and _key_ids(plain) == {"new2"}
    assert run.progress["cases.CaseAttachment 文件"]["rotated"] == 4
    assert rotate_data_key().values_rotated == 0  # a second run finds nothing to do
    use_keys(NEW)  # the old key dropped: every file still reads, the same bytes
    assert {relative: files.open_private(relative).read() for relative in plain} == plain
    assert [p.name for p in files.path_of("cases").rglob("*") if p.name.endswith(".rotating")] == []
    assert commit(cast, job).status == "committed"  # the roster is read from its re-encrypted file
    client.force_login(cast.users.grassroots_admin)
    response = client.get(reverse("cases:attachment", args=[attachments[0].pk]))
    assert b"".join(response.streaming_content) == PDF


def test_without_its_key_a_file_does_not_read(old_files, use_keys):
    _, _, export, _, _ = old_files
    use_keys(NEW)  # the old key dropped before rotating
    assert files_not_under("new2") == 6
    with pytest.raises(crypto.DecryptionError):
        files.open_private(export.file_path)
    use_keys(f"old1:{'33' * 16}")  # the right id with the wrong key
    with files.open_private(export.file_path) as reader, pytest.raises(crypto.DecryptionError):
        reader.read()


def test_a_file_deleted_while_it_is_re_encrypted_stays_deleted(old_files, monkeypatch):
    _, _, export, _, _ = old_files
    target = files.path_of(export.file_path)

    class ExpiredMeanwhile(files.EncryptingWriter):
        def close(self):
            target.unlink(missing_ok=True)  # the daily expiry deletes it while rotation copies it
            super().close()

    monkeypatch.setattr(files, "EncryptingWriter", ExpiredMeanwhile)
    assert files.reencrypt(export.file_path, "new2") is False
    assert list(target.parent.iterdir()) == []
    assert files.reencrypt(export.file_path, "new2") is False  # gone: nothing to do
