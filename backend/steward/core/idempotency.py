"""``Idempotency-Key`` on POST: a phone that retries on a bad network creates nothing twice.

The first request with a key stores its response in the same transaction as its writes; a repeat
with the same key and the same request replays it (header ``Idempotent-Replayed: true``); the same
key with a different request is refused. Keys are per caller, expire after ``IDEMPOTENCY_TTL_HOURS``
and are capped at ``IDEMPOTENCY_MAX_KEYS`` live keys per caller (429 beyond).

A replay is checked like a first call. It runs the method — authentication, the role decorator,
input validation, the scoped look-ups — up to the method's first database write, where it stops
(:func:`checkpoint`; the session's ``before_flush`` calls it). An access problem raised on the way
(401, 403, 404) is the answer; otherwise everything the method did is rolled back and the stored
response is replayed, and the replay itself is audited (signal :data:`replayed`). A method with an
effect outside the database calls :func:`checkpoint` itself before that effect.

Responses of ``@sensitive`` methods (full ID numbers, exports) are stored encrypted (AES-GCM with a
key derived from ``DATA_KEY``), never in clear.
"""
from __future__ import annotations

import hashlib
import hmac
import os
import re
from datetime import timedelta

from blinker import Namespace
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from flask import Response, current_app, g, request
from flask_jwt_extended import current_user
from marshmallow import ValidationError
from sqlalchemy import Integer, String, Text, UniqueConstraint, delete, event, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, Session, mapped_column
from werkzeug.exceptions import HTTPException

from ..db import Base, UTCDateTime, db, utcnow
from .errors import Problem

KEY_RX = re.compile(r"^[\x21-\x7e]{1,200}$")
REPLAYED_HEADERS = ("Location", "ETag", "Content-Type")
ACCESS_STATUSES = (401, 403, 404)  # what a replay answers instead of the stored response
ENCRYPTED = "aesgcm:"

#: Sent after a stored response was replayed, with ``session``, ``actor`` (None on public routes),
#: ``method``, ``path`` and ``status``; the audit log listens.
replayed = Namespace().signal("idempotency-replayed")


class IdempotencyRecord(Base):
    __tablename__ = "idempotency_records"
    __table_args__ = (UniqueConstraint("principal", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    principal: Mapped[str] = mapped_column(String(80))
    key: Mapped[str] = mapped_column(String(200))
    fingerprint: Mapped[str] = mapped_column(String(64))
    status_code: Mapped[int | None] = mapped_column(Integer)
    body: Mapped[str | None] = mapped_column(Text)
    headers: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[object] = mapped_column(UTCDateTime, default=utcnow, index=True)


class _Replay(Exception):
    """Raised at the first write of a replayed request: its checks have passed."""


def checkpoint() -> None:
    """Stop a replayed request here: everything before this point (its checks) has passed.

    Called automatically before the first database write; call it yourself before any effect
    outside the database (a text message, a call to another service).
    """
    if g.get("idempotency_replaying"):
        raise _Replay


@event.listens_for(Session, "before_flush")
def _before_flush(session: Session, _context, _instances) -> None:
    if (session.new or session.dirty or session.deleted) and g and g.get("idempotency_replaying"):
        checkpoint()


def _principal(public: bool) -> str:
    # A public method does not authenticate, so a token sent to it (however valid) says nothing.
    if public:
        return f"ip:{request.remote_addr}"
    client = getattr(current_user, "api_client_id", None)  # an API client (OAuth2 token) is no user
    return f"client:{client}" if client is not None else f"user:{current_user.id}"


def _fingerprint() -> str:
    h = hashlib.sha256()
    h.update(request.method.encode())
    h.update(request.full_path.encode())
    h.update(b"\0")
    if request.mimetype == "multipart/form-data":  # a retry has a new boundary: hash the parts, not the bytes
        for name, value in sorted(request.form.items(multi=True)):
            h.update(f"{name}={value}\0".encode())
        for name, upload in request.files.items(multi=True):  # in order: the order of photos matters
            h.update(f"{name}:{upload.filename}\0".encode() + hashlib.file_digest(upload.stream, "sha256").digest())
            upload.stream.seek(0)
    else:
        h.update(request.get_data(cache=True))
    return h.hexdigest()


def _ttl() -> timedelta:
    return timedelta(hours=current_app.config["IDEMPOTENCY_TTL_HOURS"])


def purge_expired(session: Session, *, now=None) -> int:
    """Delete every expired record (for the periodic job); returns how many went."""
    cutoff = (now or utcnow()) - _ttl()
    return session.execute(delete(IdempotencyRecord).where(IdempotencyRecord.created_at < cutoff)).rowcount


def run_idempotent(call, *, public: bool = False, sensitive: bool = False) -> Response:
    """Run ``call`` (the whole method, decorators included) under the request's Idempotency-Key."""
    key = request.headers["Idempotency-Key"]
    if not KEY_RX.match(key):
        raise Problem(400, "Idempotency-Key must be 1 to 200 printable characters.", type="idempotency-key")
    session = db.session
    principal, fingerprint = _principal(public), _fingerprint()
    existing = session.scalar(select(IdempotencyRecord).where(
        IdempotencyRecord.principal == principal, IdempotencyRecord.key == key))
    if existing is not None and existing.created_at < utcnow() - _ttl():
        session.delete(existing)
        session.flush()
        existing = None
    if existing is not None:
        return _replay(call, existing, fingerprint=fingerprint, principal=principal, public=public)

    cutoff = utcnow() - _ttl()
    session.execute(delete(IdempotencyRecord).where(IdempotencyRecord.principal == principal,
                                                    IdempotencyRecord.created_at < cutoff))
    live = session.scalar(select(func.count()).select_from(IdempotencyRecord)
                          .where(IdempotencyRecord.principal == principal))
    limit = current_app.config["IDEMPOTENCY_MAX_KEYS"]
    if live >= limit:
        raise Problem(429, "You have used {limit} Idempotency-Keys in the last {hours} hours; retry later "
                      "or send the request without a key.", type="idempotency-keys-exhausted",
                      limit=limit, hours=current_app.config["IDEMPOTENCY_TTL_HOURS"],
                      headers={"Retry-After": "3600"})
    record = IdempotencyRecord(principal=principal, key=key, fingerprint=fingerprint)
    session.add(record)
    try:
        with session.begin_nested():
            session.flush()
    except IntegrityError:
        raise Problem(409, "A request with this Idempotency-Key is still being processed.", type="idempotency-busy") from None
    resp = current_app.make_response(call())
    record.status_code = resp.status_code
    body = resp.get_data(as_text=True)
    record.body = _seal(body, principal, key) if sensitive else body
    record.headers = "\n".join(f"{h}: {resp.headers[h]}" for h in REPLAYED_HEADERS if h in resp.headers)
    return resp


def _replay(call, existing: IdempotencyRecord, *, fingerprint: str, principal: str, public: bool) -> Response:
    session = db.session
    g.idempotency_replaying = True
    try:
        call()
    except _Replay:
        pass
    except Problem as e:
        if e.status in ACCESS_STATUSES:
            raise
    except HTTPException as e:
        if e.code in ACCESS_STATUSES:
            raise
    except ValidationError:
        pass  # a different body; answered below as a mismatch
    finally:
        g.idempotency_replaying = False
    # The method's checks passed: nothing it did before stopping is kept.
    session.rollback()
    if existing.fingerprint != fingerprint:
        raise Problem(422, "This Idempotency-Key was used with a different request.", type="idempotency-mismatch")
    if existing.status_code is None:
        raise Problem(409, "A request with this Idempotency-Key is still being processed.", type="idempotency-busy")
    resp = Response(_open(existing.body, principal, existing.key), status=existing.status_code)
    for line in (existing.headers or "").splitlines():
        name, _, value = line.partition(": ")
        resp.headers[name] = value
    resp.headers["Idempotent-Replayed"] = "true"
    replayed.send(current_app._get_current_object(), session=session, actor=None if public else current_user,
                  method=request.method, path=request.path, status=existing.status_code)
    return resp


def _cipher() -> AESGCM:
    data_key = bytes.fromhex(current_app.config["DATA_KEY"])
    return AESGCM(hmac.new(data_key, b"steward idempotency responses", hashlib.sha256).digest())


def _seal(body: str, principal: str, key: str) -> str:
    nonce = os.urandom(12)
    aad = f"{principal}\0{key}".encode()
    return ENCRYPTED + (nonce + _cipher().encrypt(nonce, body.encode(), aad)).hex()


def _open(body: str | None, principal: str, key: str) -> str | None:
    if not body or not body.startswith(ENCRYPTED):
        return body
    raw = bytes.fromhex(body[len(ENCRYPTED):])
    return _cipher().decrypt(raw[:12], raw[12:], f"{principal}\0{key}".encode()).decode()
