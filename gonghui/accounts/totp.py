"""Time-based one-time passwords (RFC 6238) through pyotp, with the two rules Gonghui adds.

HMAC-SHA1, 30-second steps, 6 digits: what every authenticator app (Google Authenticator, Microsoft
Authenticator, FreeOTP, 腾讯身份验证器) expects. pyotp computes and compares the codes; this module adds
the drift window (the current step and one either side) and the replay guard: a step at or below the
last one used is refused, so a code cannot be used twice. The secret is stored SM4-encrypted by
``two_factor``; here it is the base32 text an authenticator app reads.
"""

import time
from urllib.parse import quote, urlencode

import pyotp

STEP_SECONDS = 30
DIGITS = 6
ISSUER = "工会 Gonghui"
SECRET_LENGTH = 32  # base32 characters: 160 bits, the HMAC-SHA1 block RFC 4226 recommends


def generate_secret() -> str:
    """A new random secret, base32 without padding (what authenticator apps accept)."""
    return pyotp.random_base32(SECRET_LENGTH)


def _authenticator(secret_b32: str) -> pyotp.TOTP:
    return pyotp.TOTP(secret_b32, digits=DIGITS, interval=STEP_SECONDS)


def step_at(unix_time: float) -> int:
    """The RFC 6238 time step T = floor(unix time / 30)."""
    return int(unix_time // STEP_SECONDS)


def code_for(secret_b32: str, unix_time: float | None = None) -> str:
    """The 6-digit code an authenticator shows now (or at ``unix_time``)."""
    return _authenticator(secret_b32).at(time.time() if unix_time is None else unix_time)


def match_step(secret_b32: str, code: str, *, last_step: int, unix_time: float | None = None, window: int = 1):
    """The time step ``code`` belongs to, if it is within ±``window`` steps of now and later than
    ``last_step``; otherwise None. pyotp compares each candidate in constant time."""
    code = code.strip().replace(" ", "")
    if len(code) != DIGITS or not code.isdigit():
        return None
    moment = time.time() if unix_time is None else unix_time
    try:
        step = _authenticator(secret_b32).verify_and_get_timecode(code, for_time=moment, valid_window=window)
    except pyotp.OTPVerificationError:
        return None
    return step if step > last_step else None


def provisioning_uri(secret_b32: str, account: str, *, issuer: str = ISSUER) -> str:
    """The otpauth:// URI that authenticator apps read from the QR code (Key Uri Format). Algorithm,
    digits and period are written out although they are the defaults (pyotp's builder leaves them out):
    some apps do not assume them."""
    label = quote(f"{issuer}:{account}", safe=":@")
    query = urlencode(
        {"secret": secret_b32, "issuer": issuer, "algorithm": "SHA1", "digits": DIGITS, "period": STEP_SECONDS},
        quote_via=quote,
    )
    return f"otpauth://totp/{label}?{query}"
