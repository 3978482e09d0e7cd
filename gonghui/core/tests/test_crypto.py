"""SM4-GCM encryption with key ids, and HMAC-SM3 blind indexes (docs/security.md §10)."""

import base64

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gonghui.core import crypto

OLD_KEY = "old1:" + "11" * 16
NEW_KEY = "new2:" + "22" * 16


@pytest.fixture
def keys(settings):
    """Point the key settings at known keys; the parsed keys are cached by spec, so clear the cache."""

    def use(spec: str) -> None:
        settings.GONGHUI_DATA_KEYS = spec
        crypto._parse_keys.cache_clear()

    yield use
    crypto._parse_keys.cache_clear()


@given(st.text())
def test_round_trip_of_any_text(plaintext):
    assert crypto.decrypt(crypto.encrypt(plaintext)) == plaintext


def test_ciphertext_names_the_key_and_hides_the_value():
    token = crypto.encrypt("330106199003071236")
    key_id, _, payload = token.partition("$")
    assert key_id and payload
    assert "330106199003071236" not in token


def test_same_value_encrypts_differently_each_time():
    assert crypto.encrypt("13812345678") != crypto.encrypt("13812345678")


def test_tampered_ciphertext_raises_decryption_error():
    key_id, _, payload = crypto.encrypt("13812345678").partition("$")
    raw = bytearray(base64.b64decode(payload))
    raw[crypto.NONCE_BYTES] ^= 0x01
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt(f"{key_id}${base64.b64encode(bytes(raw)).decode()}")


def test_tampered_tag_raises_decryption_error():
    key_id, _, payload = crypto.encrypt("13812345678").partition("$")
    raw = bytearray(base64.b64decode(payload))
    raw[-1] ^= 0x80
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt(f"{key_id}${base64.b64encode(bytes(raw)).decode()}")


def test_unknown_key_id_raises_decryption_error():
    _, _, payload = crypto.encrypt("x").partition("$")
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt(f"nokey${payload}")


def test_value_encrypted_under_older_key_decrypts_after_rotation(keys):
    keys(OLD_KEY)
    token = crypto.encrypt("330106199003071236")
    assert token.startswith("old1$")
    keys(f"{NEW_KEY},{OLD_KEY}")
    assert crypto.decrypt(token) == "330106199003071236"
    assert crypto.encrypt("330106199003071236").startswith("new2$")


def test_value_under_a_removed_key_cannot_be_read(keys):
    keys(OLD_KEY)
    token = crypto.encrypt("13812345678")
    keys(NEW_KEY)
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt(token)


def test_wrong_key_with_the_same_id_fails_authentication(keys):
    keys(OLD_KEY)
    token = crypto.encrypt("13812345678")
    keys("old1:" + "33" * 16)
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt(token)


@pytest.mark.parametrize("spec", ["k1:abcd", ":" + "11" * 16, "k$1:" + "11" * 16])
def test_malformed_key_spec_is_refused(keys, spec):
    with pytest.raises(ValueError):
        keys(spec)
        crypto.encrypt("x")


def test_blind_index_is_stable():
    assert crypto.blind_index("13812345678", purpose="person.phone") == crypto.blind_index(
        "13812345678", purpose="person.phone"
    )


def test_blind_index_separates_purposes():
    assert crypto.blind_index("13812345678", purpose="person.phone") != crypto.blind_index(
        "13812345678", purpose="person.id_number"
    )


def test_blind_index_separates_values_and_is_not_the_value():
    index = crypto.blind_index("13812345678", purpose="person.phone")
    assert index != crypto.blind_index("13812345679", purpose="person.phone")
    assert "13812345678" not in index
    assert len(index) == 64


def test_blind_index_depends_on_the_index_key(settings):
    before = crypto.blind_index("13812345678", purpose="person.phone")
    settings.GONGHUI_INDEX_KEY = "ab" * 32
    assert crypto.blind_index("13812345678", purpose="person.phone") != before


def test_sm3_of_abc_matches_the_standard_vector():
    # GB/T 32905-2016, example 1
    assert crypto.sm3_hex(b"abc") == "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"


@given(st.text(max_size=40))
def test_ciphertext_built_without_the_cached_key_objects_still_decrypts(plaintext):
    """The format is unchanged by caching the keyed SM4 object: a token made from scratch (a fresh SM4 object,
    as before the cache) decrypts, and ours has the same layout: keyid$base64(nonce | body | tag)."""
    import os

    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

    key_id, keys = crypto._keys()
    nonce = os.urandom(crypto.NONCE_BYTES)
    encryptor = Cipher(algorithms.SM4(keys[key_id]), modes.GCM(nonce)).encryptor()
    body = encryptor.update(plaintext.encode()) + encryptor.finalize()
    token = f"{key_id}${base64.b64encode(nonce + body + encryptor.tag).decode()}"
    assert crypto.decrypt(token) == plaintext
    ours = crypto.encrypt(plaintext)
    assert ours.partition("$")[0] == key_id
    assert len(base64.b64decode(ours.partition("$")[2])) == len(nonce + body) + crypto.TAG_BYTES


@given(st.text(max_size=40))
def test_blind_index_from_the_keyed_copy_equals_a_fresh_hmac(value):
    from cryptography.hazmat.primitives import hashes, hmac
    from django.conf import settings

    mac = hmac.HMAC(bytes.fromhex(settings.GONGHUI_INDEX_KEY), hashes.SM3())
    mac.update(b"person.phone\x00" + value.encode())
    assert crypto.blind_index(value, purpose="person.phone") == mac.finalize().hex()
