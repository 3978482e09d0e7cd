"""Files with personal data at rest (docs/security.md §25, issue 10 item 5): uploaded rosters, exports and case
attachments are 0600 in 0700 folders, whatever the umask (core.files.private_file)."""

import os
import stat
from pathlib import Path

import pytest

from gonghui.core.tasks import export_task
from gonghui.rosters import services as roster_services
from gonghui.rosters.tests.support import HEADER, person_id, upload, xlsx

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
