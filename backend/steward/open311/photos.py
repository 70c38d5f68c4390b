"""Case photos for Open311 clients: ``media_url`` is a signed link, valid for a day or two.

An Open311 client shows ``media_url`` as it is (an ``<img src>``), so the link cannot need a token or
the caller's key. Whoever was allowed to read the request gets a link signed with a server key
(HMAC-SHA256 of the photo id and the expiry), and the link alone opens that one photo until it expires —
the scope check happens when the link is issued. The expiry is rounded to a day, so the same photo has
the same link all day long (browsers and clients may cache it)."""
from __future__ import annotations

import hashlib
import hmac
import time

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from flask import current_app, request

DAY = 86400


def _key() -> bytes:
    ext = current_app.extensions
    if "steward.open311_media_key" not in ext:
        ext["steward.open311_media_key"] = HKDF(algorithm=hashes.SHA256(), length=32, salt=None,
                                                info=b"steward/open311-media-link/v1").derive(
            current_app.config["SECRET_KEY"].encode())
    return ext["steward.open311_media_key"]


def _signature(photo_id: int, expires: int) -> str:
    return hmac.new(_key(), f"{photo_id}:{expires}".encode(), hashlib.sha256).hexdigest()[:32]


def signed_url(photo_id: int, extension: str, *, now: float | None = None) -> str:
    expires = (int(now if now is not None else time.time()) // DAY + 2) * DAY
    return (f"{request.url_root.rstrip('/')}/open311/v2/media/{photo_id}.{extension}"
            f"?expires={expires}&signature={_signature(photo_id, expires)}")


def valid(photo_id: int, expires: str | None, signature: str | None, *, now: float | None = None) -> bool:
    if not expires or not signature or not expires.isdigit() or len(expires) > 12 or len(signature) != 32:
        return False
    if int(expires) < (now if now is not None else time.time()):
        return False
    return hmac.compare_digest(_signature(photo_id, int(expires)), signature)
