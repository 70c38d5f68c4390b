"""Personal information: validation, masking, and protection at rest.

ID-card numbers are stored encrypted (AES-GCM) with a keyed digest for uniqueness and a masked
hint for display; phones are stored as entered (they are searched and dialled) and masked on output.
"""
from __future__ import annotations

import hashlib
import hmac
import os
import re
from datetime import date

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from flask import current_app

PHONE_RX = re.compile(r"^1[3-9]\d{9}$")
ID_RX = re.compile(r"^\d{17}[\dX]$")
ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK = "10X98765432"


def id_card_error(value: str) -> str | None:
    """The reason a GB 11643 citizen ID number is invalid, or None when it is valid."""
    if not ID_RX.match(value):
        return "Enter a valid 18-character ID card number."
    try:
        date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        return "The birth date in the ID card number is not a real date."
    total = sum(int(d) * w for d, w in zip(value[:17], ID_WEIGHTS, strict=True))
    if ID_CHECK[total % 11] != value[17]:
        return "The ID card number's check digit is wrong."
    return None


def id_card_check_digit(first17: str) -> str:
    return ID_CHECK[sum(int(d) * w for d, w in zip(first17, ID_WEIGHTS, strict=True)) % 11]


def mask_phone(phone: str | None) -> str | None:
    if not phone:
        return phone
    return phone[:3] + "****" + phone[-4:] if len(phone) >= 8 else "*" * len(phone)


def mask_id_card(value: str | None) -> str | None:
    if not value:
        return value
    return value[:3] + "*" * (len(value) - 7) + value[-4:]


class Keyring:
    """Keys for personal data at rest, derived from one master key (``DATA_KEY``) with HKDF.

    Encryption and the blind index (the keyed digest that finds duplicates without decrypting) get
    separate keys, so a leak of one does not give away the other. A ciphertext starts with the id of
    the master key it was made under (``k1:…``): after a rotation (new ``DATA_KEY`` and
    ``DATA_KEY_ID``, the old one listed in ``DATA_KEYS_RETIRED``), old rows still decrypt, and
    ``python -m steward rekey`` re-encrypts them and recomputes the digests under the new key.
    Ciphertexts without an id predate the derivation and used the master key itself.
    """

    def __init__(self, key_id: str, master_hex: str, retired: dict[str, str] | None = None) -> None:
        self.key_id = key_id
        self._masters = {key_id: bytes.fromhex(master_hex),
                         **{k: bytes.fromhex(v) for k, v in (retired or {}).items()}}
        self._index_key = self._derive(key_id, b"steward/id-card/blind-index/v1")

    @classmethod
    def from_config(cls, config) -> "Keyring":
        retired = dict(item.split("=", 1) for item in config.get("DATA_KEYS_RETIRED", "").split(",") if "=" in item)
        return cls(config.get("DATA_KEY_ID", "k1"), config["DATA_KEY"], retired)

    def _derive(self, key_id: str, info: bytes) -> bytes:
        return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=info).derive(self._masters[key_id])

    def derive(self, info: bytes, key_id: str | None = None) -> bytes:
        """A key of its own for another purpose (``info``), under the current master key or ``key_id``."""
        return self._derive(key_id or self.key_id, info)

    def _cipher_key(self, key_id: str) -> bytes:
        return self._derive(key_id, b"steward/id-card/encryption/v1")

    def encrypt(self, value: str) -> str:
        nonce = os.urandom(12)
        sealed = AESGCM(self._cipher_key(self.key_id)).encrypt(nonce, value.encode(), b"id_card")
        return f"{self.key_id}:{(nonce + sealed).hex()}"

    def decrypt(self, blob: str) -> str:
        key_id, sep, body = blob.partition(":")
        if not sep:  # made before keys were derived: the master key itself, no id
            key, raw = self._masters[self.key_id], bytes.fromhex(blob)
        else:
            if key_id not in self._masters:
                raise LookupError(f"data key {key_id!r} is not configured (DATA_KEYS_RETIRED)")
            key, raw = self._cipher_key(key_id), bytes.fromhex(body)
        return AESGCM(key).decrypt(raw[:12], raw[12:], b"id_card").decode()

    def is_current(self, blob: str) -> bool:
        return blob.startswith(self.key_id + ":")

    def digest(self, value: str) -> str:
        return hmac.new(self._index_key, value.encode(), hashlib.sha256).hexdigest()


def keyring() -> Keyring:
    ext = current_app.extensions
    if "steward.keyring" not in ext:
        ext["steward.keyring"] = Keyring.from_config(current_app.config)
    return ext["steward.keyring"]


def encrypt(value: str) -> str:
    return keyring().encrypt(value)


def decrypt(blob: str) -> str:
    return keyring().decrypt(blob)


def digest(value: str) -> str:
    return keyring().digest(value)


def rekey(connection, ring: Keyring) -> int:
    """Re-encrypt every ID-card number not under the current key and recompute every digest.
    Used by the migration that introduced derived keys and by ``python -m steward rekey``."""
    from sqlalchemy import text

    rows = connection.execute(text("SELECT id, id_card_cipher FROM residents WHERE id_card_cipher IS NOT NULL")).all()
    changed = 0
    for rid, blob in rows:
        value = ring.decrypt(blob)
        new_blob = blob if ring.is_current(blob) else ring.encrypt(value)
        connection.execute(text("UPDATE residents SET id_card_cipher = :c, id_card_digest = :d WHERE id = :i"),
                           {"c": new_blob, "d": ring.digest(value), "i": rid})
        changed += new_blob != blob
    return changed


def legacy_reseal(connection, ring: Keyring) -> None:
    """The way back (migration downgrade): the master key itself, no id, the same key for digests."""
    from sqlalchemy import text

    master = ring._masters[ring.key_id]
    rows = connection.execute(text("SELECT id, id_card_cipher FROM residents WHERE id_card_cipher IS NOT NULL")).all()
    for rid, blob in rows:
        value = ring.decrypt(blob)
        nonce = os.urandom(12)
        sealed = (nonce + AESGCM(master).encrypt(nonce, value.encode(), b"id_card")).hex()
        connection.execute(text("UPDATE residents SET id_card_cipher = :c, id_card_digest = :d WHERE id = :i"), {
            "c": sealed, "d": hmac.new(master, value.encode(), hashlib.sha256).hexdigest(), "i": rid})
