"""Voucher codes: 16 characters drawn by ``secrets`` from 31 that do not read alike (no 0/O, 1/I/L), about 79
bits — not guessable, short enough to read out at a till. Stored encrypted and found by a blind index."""

import secrets

from gonghui.core import crypto

ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
LENGTH = 16
PURPOSE = "benefits.voucher_code"  # never change: stored indexes would no longer be found


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def normalised(text: str) -> str | None:
    """A typed or scanned code as stored ("abcd-efgh jkmn pqrs" -> "ABCDEFGHJKMNPQRS"), or None when it cannot be
    a code (wrong length, a character not in the alphabet)."""
    code = "".join(ch for ch in (text or "").upper() if ch not in " -\t\u3000")
    if len(code) != LENGTH or any(ch not in ALPHABET for ch in code):
        return None
    return code


def grouped(code: str) -> str:
    """For reading out: "ABCD EFGH JKMN PQRS"."""
    return " ".join(code[i : i + 4] for i in range(0, len(code), 4))


def index_of(code: str) -> str:
    return crypto.blind_index(code, purpose=PURPOSE)
