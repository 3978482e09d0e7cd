"""The TOTP arithmetic (pyotp) against the RFC's own test vectors, replay refusal and the otpauth:// URI."""

import base64
import hashlib
from urllib.parse import parse_qs, unquote, urlsplit

import pyotp
import pytest

from gonghui.accounts import totp
from gonghui.core.qr import qr_svg

RFC4226_KEY = b"12345678901234567890"
SEED_B32 = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"  # base32 of the RFC 6238 SHA1 seed
RFC4226_HOTP = ["755224", "287082", "359152", "969429", "338314", "254676", "287922", "162583", "399871", "520489"]

# RFC 6238 appendix B: the seeds per hash, then (time, SHA1, SHA256, SHA512) with 8 digits.
SEEDS = {
    hashlib.sha1: b"12345678901234567890",
    hashlib.sha256: b"12345678901234567890123456789012",
    hashlib.sha512: b"1234567890123456789012345678901234567890123456789012345678901234",
}
RFC6238 = [
    (59, "94287082", "46119246", "90693936"),
    (1111111109, "07081804", "68084774", "25091201"),
    (1111111111, "14050471", "67062674", "99943326"),
    (1234567890, "89005924", "91819424", "93441116"),
    (2000000000, "69279037", "90698825", "38618901"),
    (20000000000, "65353130", "77737706", "47863826"),
]


def b32(key: bytes) -> str:
    return base64.b32encode(key).decode()


@pytest.mark.parametrize(("counter", "expected"), list(enumerate(RFC4226_HOTP)))
def test_hotp_matches_rfc4226(counter, expected):
    assert pyotp.HOTP(b32(RFC4226_KEY)).at(counter) == expected


@pytest.mark.parametrize(("unix_time", "sha1", "sha256", "sha512"), RFC6238)
def test_totp_matches_rfc6238(unix_time, sha1, sha256, sha512):
    for digestmod, expected in ((hashlib.sha1, sha1), (hashlib.sha256, sha256), (hashlib.sha512, sha512)):
        assert pyotp.TOTP(b32(SEEDS[digestmod]), digits=8, digest=digestmod).at(unix_time) == expected


def test_six_digit_code_is_the_last_six_of_the_rfc_value():
    # Authenticator apps show 6 digits: the same truncation modulo 10^6.
    secret = SEED_B32
    assert pyotp.TOTP(secret).byte_secret() == RFC4226_KEY
    assert totp.code_for(secret, 1111111109) == "081804"
    assert totp.code_for(secret, 59) == "287082"


def test_generated_secret_is_160_bits_of_base32():
    secret = totp.generate_secret()
    assert len(secret) == 32 and set(secret) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")
    assert len(pyotp.TOTP(secret).byte_secret()) == 20
    assert totp.generate_secret() != secret


def test_match_step_accepts_one_step_of_drift_either_way_and_no_more():
    secret, now = totp.generate_secret(), 1_700_000_000
    step = now // 30
    for delta in (-1, 0, 1):
        assert totp.match_step(secret, totp.code_for(secret, now + 30 * delta), last_step=0, unix_time=now) == (
            step + delta
        )
    for delta in (-2, 2):
        assert totp.match_step(secret, totp.code_for(secret, now + 30 * delta), last_step=0, unix_time=now) is None


def test_match_step_refuses_a_step_already_used_or_older():
    secret, now = totp.generate_secret(), 1_700_000_000
    step = now // 30
    code = totp.code_for(secret, now)
    assert totp.match_step(secret, code, last_step=step - 1, unix_time=now) == step
    assert totp.match_step(secret, code, last_step=step, unix_time=now) is None
    earlier = totp.code_for(secret, now - 30)
    assert totp.match_step(secret, earlier, last_step=step, unix_time=now) is None


@pytest.mark.parametrize("bad", ["", "12345", "1234567", "abcdef", "12 34 5x"])
def test_match_step_refuses_malformed_codes(bad):
    assert totp.match_step(totp.generate_secret(), bad, last_step=0) is None


def test_code_with_spaces_is_accepted():
    secret, now = totp.generate_secret(), 1_700_000_000
    code = totp.code_for(secret, now)
    assert totp.match_step(secret, f" {code[:3]} {code[3:]} ", last_step=0, unix_time=now) == now // 30


def test_provisioning_uri_follows_the_key_uri_format():
    uri = totp.provisioning_uri("JBSWY3DPEHPK3PXP", "zhang san")
    parts = urlsplit(uri)
    assert (parts.scheme, parts.netloc) == ("otpauth", "totp")
    assert unquote(parts.path) == "/工会 Gonghui:zhang san"
    query = {k: v[0] for k, v in parse_qs(parts.query).items()}
    assert query == {"secret": "JBSWY3DPEHPK3PXP", "issuer": "工会 Gonghui", "algorithm": "SHA1", "digits": "6",
                     "period": "30"}  # fmt: skip


def test_qr_code_is_inline_svg():
    svg = qr_svg(totp.provisioning_uri("JBSWY3DPEHPK3PXP", "national"), title="用身份验证器扫描此二维码")
    assert svg.startswith("<svg") and svg.endswith("</svg>") and "<path" in svg
    assert "http" not in svg and "<script" not in svg
