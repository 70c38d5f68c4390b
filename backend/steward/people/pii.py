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

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
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


def _key() -> bytes:
    return bytes.fromhex(current_app.config["DATA_KEY"])


def encrypt(value: str) -> str:
    nonce = os.urandom(12)
    return (nonce + AESGCM(_key()).encrypt(nonce, value.encode(), b"id_card")).hex()


def decrypt(blob: str) -> str:
    raw = bytes.fromhex(blob)
    return AESGCM(_key()).decrypt(raw[:12], raw[12:], b"id_card").decode()


def digest(value: str) -> str:
    return hmac.new(_key(), value.encode(), hashlib.sha256).hexdigest()
