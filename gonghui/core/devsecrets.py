"""Random keys for development machines, kept under var/ and never committed.

Production sets every key in the environment (settings refuse to start without them)."""

import json
import os
import secrets
import tempfile
from pathlib import Path


def load_or_create(path: Path) -> dict[str, str]:
    """The machine's keys; a key added to the project since the file was made is generated into it."""
    stored = json.loads(path.read_text()) if path.exists() else {}
    fresh = {
        "SECRET_KEY": lambda: secrets.token_urlsafe(50),
        "GONGHUI_DATA_KEYS": lambda: f"dev1:{secrets.token_hex(16)}",
        "GONGHUI_INDEX_KEY": lambda: secrets.token_hex(32),
        "GONGHUI_AUDIT_KEYS": lambda: f"audit1:{secrets.token_hex(32)}",
    }
    if set(fresh) <= set(stored):
        return stored
    values = {**stored, **{name: stored.get(name) or make() for name, make in fresh.items()}}
    path.parent.mkdir(parents=True, exist_ok=True)
    # Written whole under another name, then put in place at once: several processes starting together (the web
    # server and its task workers) never read a half-written file, and only the first one's keys are kept.
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=".dev-secrets-")
    try:
        with os.fdopen(fd, "w") as out:
            out.write(json.dumps(values))
        os.chmod(temporary, 0o600)
        if stored:
            os.replace(temporary, path)
        else:
            try:
                os.link(temporary, path)  # fails if another process made the file meanwhile: use theirs
            except FileExistsError:
                return load_or_create(path)
    finally:
        Path(temporary).unlink(missing_ok=True)
    return values
