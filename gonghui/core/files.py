"""Files with personal data at rest (docs/security.md §25): uploaded rosters, exports, roster error files and case
attachments live under ``GONGHUI_VAR_DIR`` as files of mode 0600 in folders of mode 0700 — readable by the
service account only, whatever the umask. Every such file is made here."""

import os
from pathlib import Path

from django.conf import settings


def private_file(relative: Path | str) -> Path:
    """A new, empty file ``VAR_DIR/relative`` of mode 0600 (it must not exist yet), each folder under VAR_DIR on
    the way 0700; its absolute path, to be written with ``open(path, "wb")`` (which keeps the mode)."""
    folder = root = Path(settings.VAR_DIR)
    root.mkdir(parents=True, exist_ok=True)
    for part in Path(relative).parent.parts:
        folder = folder / part
        folder.mkdir(mode=0o700, exist_ok=True)
        folder.chmod(0o700)  # also a folder made before, or under a lax umask
    path = root / relative
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    return path
