"""Time-based one-time passwords (RFC 6238 over RFC 4226 HOTP), small enough to read in one sitting.

HMAC-SHA1, 30-second steps, 6 digits: what every authenticator app (Google Authenticator, Microsoft
Authenticator, FreeOTP, 腾讯身份验证器) expects. A code is accepted for the current step and one step
either side (clock drift); a step at or below the last one used is refused, so a code cannot be replayed.
"""

import base64
import hashlib
import hmac
import secrets
import time
from urllib.parse import quote, urlencode

STEP_SECONDS = 30
DIGITS = 6
ISSUER = "工会 Gonghui"
SECRET_BYTES = 20  # 160 bits, the HMAC-SHA1 block RFC 4226 recommends


def generate_secret() -> str:
    """A new random secret, base32 without padding (what authenticator apps accept)."""
    return base64.b32encode(secrets.token_bytes(SECRET_BYTES)).decode().rstrip("=")


def secret_bytes(secret_b32: str) -> bytes:
    cleaned = secret_b32.replace(" ", "").upper()
    return base64.b32decode(cleaned + "=" * (-len(cleaned) % 8))


def hotp(key: bytes, counter: int, *, digits: int = DIGITS, digestmod=hashlib.sha1) -> str:
    """RFC 4226: HMAC over the 8-byte big-endian counter, dynamic truncation, last ``digits`` digits."""
    mac = hmac.new(key, counter.to_bytes(8, "big"), digestmod).digest()
    offset = mac[-1] & 0x0F
    value = int.from_bytes(mac[offset : offset + 4], "big") & 0x7FFFFFFF
    return str(value % 10**digits).zfill(digits)


def step_at(unix_time: float, *, step_seconds: int = STEP_SECONDS) -> int:
    return int(unix_time // step_seconds)


def totp(key: bytes, unix_time: float, *, digits: int = DIGITS, digestmod=hashlib.sha1) -> str:
    """RFC 6238: HOTP with the counter T = floor(unix time / 30)."""
    return hotp(key, step_at(unix_time), digits=digits, digestmod=digestmod)


def code_for(secret_b32: str, unix_time: float | None = None) -> str:
    """The 6-digit code an authenticator shows now (or at ``unix_time``)."""
    return totp(secret_bytes(secret_b32), time.time() if unix_time is None else unix_time)


def match_step(secret_b32: str, code: str, *, last_step: int, unix_time: float | None = None, window: int = 1):
    """The time step ``code`` belongs to, if it is within ±``window`` steps of now and later than
    ``last_step``; otherwise None. Every candidate is compared in constant time."""
    code = code.strip().replace(" ", "")
    if len(code) != DIGITS or not code.isdigit():
        return None
    key = secret_bytes(secret_b32)
    now_step = step_at(time.time() if unix_time is None else unix_time)
    found = None
    for step in range(now_step - window, now_step + window + 1):
        if hmac.compare_digest(hotp(key, step), code) and step > last_step and found is None:
            found = step
    return found


def provisioning_uri(secret_b32: str, account: str, *, issuer: str = ISSUER) -> str:
    """The otpauth:// URI that authenticator apps read from the QR code (Key Uri Format)."""
    label = quote(f"{issuer}:{account}", safe=":@")
    query = urlencode(
        {"secret": secret_b32, "issuer": issuer, "algorithm": "SHA1", "digits": DIGITS, "period": STEP_SECONDS},
        quote_via=quote,
    )
    return f"otpauth://totp/{label}?{query}"
