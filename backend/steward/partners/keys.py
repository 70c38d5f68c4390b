"""API keys: ``<client_id>.<secret>``, the secret stored as HMAC-SHA256 under a server key.

Why HMAC and not argon2 (as for passwords): the secret is 256 random bits, so there is nothing for a
slow hash to protect against — no dictionary, no guessing — while argon2 on *every* API call would
cost tens of milliseconds and 64 MiB each, a denial-of-service lever on a two-core server. The key
(``API_CLIENT_KEY``, derived from ``SECRET_KEY`` with HKDF when unset) means a copy of the database
alone does not even let anyone test a candidate secret. Hashes are compared in constant time, and an
unknown client id costs the same HMAC as a known one.
"""
from __future__ import annotations

import hashlib
import hmac
import re
import secrets

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from flask import current_app

CLIENT_ID_RX = re.compile(r"^[A-Za-z0-9_-]{4,40}$")
SECRET_RX = re.compile(r"^[A-Za-z0-9_-]{16,128}$")
VERSION = "h1"  # a stored hash names its scheme, so a later change can tell old rows apart


def _server_key() -> bytes:
    ext = current_app.extensions
    if "steward.api_client_key" not in ext:
        material = current_app.config.get("API_CLIENT_KEY") or current_app.config["SECRET_KEY"]
        ext["steward.api_client_key"] = HKDF(algorithm=hashes.SHA256(), length=32, salt=None,
                                             info=b"steward/api-client-secret/v1").derive(material.encode())
    return ext["steward.api_client_key"]


def new_client_id() -> str:
    return "stw_" + secrets.token_hex(8)


def new_secret() -> str:
    return secrets.token_urlsafe(32)


def join(client_id: str, secret: str) -> str:
    """The key a client sends (Open311 ``api_key``)."""
    return f"{client_id}.{secret}"


def split(api_key: str) -> tuple[str, str] | None:
    """``(client_id, secret)`` of a well-formed key, else ``None``."""
    client_id, sep, secret = api_key.partition(".")
    if not sep or not CLIENT_ID_RX.match(client_id) or not SECRET_RX.match(secret):
        return None
    return client_id, secret


def hash_secret(client_id: str, secret: str) -> str:
    # The client id is part of the message: a hash copied onto another row does not work there.
    digest = hmac.new(_server_key(), f"{client_id}:{secret}".encode(), hashlib.sha256).hexdigest()
    return f"{VERSION}:{digest}"


def matches(stored: str | None, client_id: str, secret: str) -> bool:
    """Constant-time check of ``secret``; with ``stored=None`` (unknown client) it does the same work."""
    candidate = hash_secret(client_id, secret)
    return hmac.compare_digest(candidate, stored if stored is not None else "h1:" + "0" * 64)
