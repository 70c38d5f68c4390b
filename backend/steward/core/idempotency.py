"""``Idempotency-Key`` on POST: a phone that retries on a bad network creates nothing twice.

The first request with a key stores its response in the same transaction as its writes; a repeat
with the same key and the same request replays it (header ``Idempotent-Replayed: true``); the same
key with a different request is refused. Keys are per caller and expire after a day.
"""
from __future__ import annotations

import hashlib
import re
from datetime import timedelta

from flask import Response, current_app, request
from flask_jwt_extended import get_jwt_identity
from sqlalchemy import Integer, String, Text, UniqueConstraint, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, mapped_column

from ..db import Base, UTCDateTime, db, utcnow
from .errors import Problem

KEY_RX = re.compile(r"^[\x21-\x7e]{1,200}$")
REPLAYED_HEADERS = ("Location", "ETag", "Content-Type")


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


def _principal() -> str:
    identity = get_jwt_identity() if request.headers.get("Authorization") else None
    return f"user:{identity}" if identity else f"ip:{request.remote_addr}"


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


def run_idempotent(call) -> Response:
    key = request.headers["Idempotency-Key"]
    if not KEY_RX.match(key):
        raise Problem(400, "Idempotency-Key must be 1 to 200 printable characters.", type="idempotency-key")
    session = db.session
    principal, fingerprint = _principal(), _fingerprint()
    existing = session.scalar(select(IdempotencyRecord).where(
        IdempotencyRecord.principal == principal, IdempotencyRecord.key == key))
    ttl = timedelta(hours=current_app.config["IDEMPOTENCY_TTL_HOURS"])
    if existing is not None and existing.created_at < utcnow() - ttl:
        session.delete(existing)
        session.flush()
        existing = None
    if existing is not None:
        if existing.fingerprint != fingerprint:
            raise Problem(422, "This Idempotency-Key was used with a different request.", type="idempotency-mismatch")
        if existing.status_code is None:
            raise Problem(409, "A request with this Idempotency-Key is still being processed.", type="idempotency-busy")
        resp = Response(existing.body, status=existing.status_code)
        for line in (existing.headers or "").splitlines():
            name, _, value = line.partition(": ")
            resp.headers[name] = value
        resp.headers["Idempotent-Replayed"] = "true"
        return resp

    record = IdempotencyRecord(principal=principal, key=key, fingerprint=fingerprint)
    session.add(record)
    try:
        with session.begin_nested():
            session.flush()
    except IntegrityError:
        raise Problem(409, "A request with this Idempotency-Key is still being processed.", type="idempotency-busy") from None
    resp = current_app.make_response(call())
    record.status_code = resp.status_code
    record.body = resp.get_data(as_text=True)
    record.headers = "\n".join(f"{h}: {resp.headers[h]}" for h in REPLAYED_HEADERS if h in resp.headers)
    return resp
