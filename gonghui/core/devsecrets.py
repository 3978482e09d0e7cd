"""Random keys for development machines, kept under var/ and never committed.

Production sets every key in the environment (settings refuse to start without them)."""

import json
import secrets
from pathlib import Path


def load_or_create(path: Path) -> dict[str, str]:
    if path.exists():
        return json.loads(path.read_text())
    values = {
        "SECRET_KEY": secrets.token_urlsafe(50),
        "GONGHUI_DATA_KEYS": f"dev1:{secrets.token_hex(16)}",
        "GONGHUI_INDEX_KEY": secrets.token_hex(32),
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(values))
    path.chmod(0o600)
    return values
