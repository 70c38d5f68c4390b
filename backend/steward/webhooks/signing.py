"""Signing secrets and the ``Steward-Signature`` header (Stripe's scheme).

    Steward-Signature: t=1764230400,v1=5257a869e7ecebeda32affa62cdca3fa51cad7e77a0e56ff536d0ce8e108d8bd

``v1`` is the hex HMAC-SHA256, keyed with the whole secret (``whsec_…`` as UTF-8), of ``"<t>.<body>"``:
the timestamp, a dot and the exact bytes of the body. A receiver recomputes it, compares in constant
time, and refuses a ``t`` more than :data:`TOLERANCE` seconds from its own clock, so a captured delivery
cannot be replayed later.

Secrets are stored encrypted (AES-GCM under a key derived from ``DATA_KEY``): unlike an API client's
secret, which we only check, this one we must use to sign.
"""
from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import time

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from ..people.pii import keyring

HEADER = "Steward-Signature"
TOLERANCE = 300  # seconds a receiver should accept between t and its clock (5 minutes, as Stripe)
_INFO = b"steward/webhook-secret/v1"


def new_secret() -> str:
    return "whsec_" + secrets.token_urlsafe(32)


def seal(secret: str) -> str:
    ring = keyring()
    nonce = os.urandom(12)
    sealed = AESGCM(ring.derive(_INFO)).encrypt(nonce, secret.encode(), b"webhook-secret")
    return f"{ring.key_id}:{(nonce + sealed).hex()}"


def unseal(blob: str) -> str:
    key_id, _, body = blob.partition(":")
    raw = bytes.fromhex(body)
    return AESGCM(keyring().derive(_INFO, key_id)).decrypt(raw[:12], raw[12:], b"webhook-secret").decode()


def sign(secret: str, body: bytes, timestamp: int | None = None) -> str:
    """The header value for ``body`` sent at ``timestamp`` (now by default)."""
    t = int(time.time()) if timestamp is None else timestamp
    mac = hmac.new(secret.encode(), f"{t}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={t},v1={mac}"


def verify(secret: str, header: str, body: bytes, *, tolerance: int = TOLERANCE, now: float | None = None) -> bool:
    """What a receiver does (our tests and docs/partners.md use the same steps)."""
    parts = [p.partition("=") for p in header.split(",")]
    stamps = [v for k, _, v in parts if k.strip() == "t"]
    macs = [v.strip() for k, _, v in parts if k.strip() == "v1"]
    if len(stamps) != 1 or not stamps[0].strip().isdigit() or not macs:
        return False
    t = int(stamps[0])
    if abs((time.time() if now is None else now) - t) > tolerance:
        return False
    expected = hmac.new(secret.encode(), f"{t}.".encode() + body, hashlib.sha256).hexdigest()
    return any(hmac.compare_digest(expected, m) for m in macs)
