"""Personal data at rest: SM4-GCM encryption with a key id, and HMAC-SM3 blind indexes.

Ciphertext is stored as text ``keyid$base64(nonce | ciphertext | tag)`` so that a key can be rotated:
the first key in GONGHUI_DATA_KEYS encrypts, every listed key decrypts.
"""

import base64
import os
from functools import lru_cache

from cryptography.hazmat.primitives import hashes, hmac
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from django.conf import settings
from django.db import models

NONCE_BYTES = 12
TAG_BYTES = 16


class EncryptedTextField(models.TextField):
    """A column that holds ``encrypt()`` output. The type is the declaration: key rotation and its tests find
    every encrypted column of every model by looking for this field, so no list can miss one."""

    description = "SM4-GCM ciphertext (keyid$base64)"


class DecryptionError(Exception):
    """Stored ciphertext cannot be read with the configured keys."""


@lru_cache(maxsize=8)
def _parse_keys(spec: str) -> tuple[str, dict[str, bytes]]:
    keys: dict[str, bytes] = {}
    current = ""
    for item in spec.split(","):
        key_id, _, hexkey = item.strip().partition(":")
        key = bytes.fromhex(hexkey)
        if len(key) != 16 or not key_id or "$" in key_id:
            raise ValueError("GONGHUI_DATA_KEYS entries must be 'id:32 hex digits'")
        keys[key_id] = key
        current = current or key_id
    return current, keys


def _keys() -> tuple[str, dict[str, bytes]]:
    return _parse_keys(settings.GONGHUI_DATA_KEYS)


@lru_cache(maxsize=8)
def _sm4(key: bytes) -> algorithms.SM4:
    """The keyed SM4 algorithm object, made once per key (a bulk import encrypts millions of values)."""
    return algorithms.SM4(key)


@lru_cache(maxsize=8)
def _index_mac(hexkey: str) -> hmac.HMAC:
    """HMAC-SM3 keyed once; each blind index works on a copy."""
    return hmac.HMAC(bytes.fromhex(hexkey), hashes.SM3())


def encrypt(plaintext: str) -> str:
    key_id, keys = _keys()
    nonce = os.urandom(NONCE_BYTES)
    encryptor = Cipher(_sm4(keys[key_id]), modes.GCM(nonce)).encryptor()
    body = encryptor.update(plaintext.encode()) + encryptor.finalize()
    return f"{key_id}${base64.b64encode(nonce + body + encryptor.tag).decode()}"


def decrypt(token: str) -> str:
    key_id, _, payload = token.partition("$")
    key = _keys()[1].get(key_id)
    if key is None:
        raise DecryptionError(f"unknown key id {key_id!r}")
    raw = base64.b64decode(payload)
    nonce, body, tag = raw[:NONCE_BYTES], raw[NONCE_BYTES:-TAG_BYTES], raw[-TAG_BYTES:]
    decryptor = Cipher(_sm4(key), modes.GCM(nonce, tag)).decryptor()
    try:
        return (decryptor.update(body) + decryptor.finalize()).decode()
    except Exception as exc:  # InvalidTag: tampered or wrong key
        raise DecryptionError("ciphertext failed authentication") from exc


def blind_index(value: str, *, purpose: str) -> str:
    """HMAC-SM3 of a normalised value; ``purpose`` keeps indexes of different fields unrelated."""
    mac = _index_mac(settings.GONGHUI_INDEX_KEY).copy()
    mac.update(purpose.encode() + b"\x00" + value.encode())
    return mac.finalize().hex()


def sm3_hex(data: bytes) -> str:
    digest = hashes.Hash(hashes.SM3())
    digest.update(data)
    return digest.finalize().hex()
