"""Send and check one-time SMS codes.

The answer to "send me a code" is the same whether or not the phone has an account; what differs is
only whether a message really leaves (a password reset for an unknown phone sends nothing, but stores
a code nobody knows, so checking it fails exactly as a wrong code does).
"""
from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import timedelta

from flask import current_app
from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from ..core.errors import Invalid, not_found
from ..core.ratelimit import enforce, too_many
from ..db import utcnow
from ..people.models import User
from . import senders
from .models import Purpose, SmsCode

WRONG_CODE = "The code is wrong or has expired. Request a new one."


def _hash(phone: str, purpose: str, code: str) -> str:
    key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(key, f"{phone}|{purpose}|{code}".encode(), hashlib.sha256).hexdigest()


def request_code(session: Session, *, phone: str, purpose: str, ip: str | None,
                 user: User | None = None) -> dict:
    """Send a fresh code to ``phone`` unless it asked too recently or too often (429 + Retry-After)."""
    cfg = current_app.config
    now = utcnow()
    window = timedelta(seconds=cfg["SMS_LIMIT_WINDOW_SECONDS"])
    enforce((f"sms:ip:{ip}", cfg["SMS_LIMIT_PER_IP"], cfg["SMS_LIMIT_WINDOW_SECONDS"]), hit=False)
    # The per-phone limits live in the database, so they hold across workers and restarts.
    recent = list(session.scalars(select(SmsCode.created_at).where(
        SmsCode.phone == phone, SmsCode.created_at > now - window).order_by(SmsCode.created_at.desc())))
    resend = timedelta(seconds=cfg["SMS_RESEND_SECONDS"])
    if recent and recent[0] > now - resend:
        raise too_many(_seconds(recent[0] + resend - now), "Wait {seconds} seconds before asking for another code.")
    if len(recent) >= cfg["SMS_LIMIT_PER_PHONE"]:
        raise too_many(_seconds(recent[cfg["SMS_LIMIT_PER_PHONE"] - 1] + window - now))
    enforce((f"sms:ip:{ip}", cfg["SMS_LIMIT_PER_IP"], cfg["SMS_LIMIT_WINDOW_SECONDS"]))

    # A new code ends the previous ones; rows older than a day are of no further use.
    session.execute(update(SmsCode).where(SmsCode.phone == phone, SmsCode.purpose == purpose,
                                          SmsCode.consumed_at.is_(None), SmsCode.expires_at > now)
                    .values(expires_at=now).execution_options(synchronize_session=False))
    session.execute(delete(SmsCode).where(SmsCode.phone == phone, SmsCode.created_at < now - timedelta(days=1))
                    .execution_options(synchronize_session=False))
    code = f"{secrets.randbelow(10**6):06d}"
    ttl = cfg["SMS_CODE_TTL_SECONDS"]
    session.add(SmsCode(phone=phone, purpose=purpose, code_hash=_hash(phone, purpose, code), ip=ip,
                        user_id=user.id if user else None, created_at=now,
                        expires_at=now + timedelta(seconds=ttl)))
    session.flush()
    known = session.scalar(select(User.id).where(User.phone == phone)) is not None
    if purpose != Purpose.RESET_PASSWORD or known:
        senders.sender().send(phone=phone, purpose=purpose, code=code)
    return {"expires_in": ttl, "resend_after": cfg["SMS_RESEND_SECONDS"]}


def _seconds(delta: timedelta) -> int:
    return max(1, int(delta.total_seconds() + 0.999))


def consume_code(session: Session, *, phone: str, purpose: str, code: str, user: User | None = None,
                 field: str = "code") -> None:
    """Accept ``code`` once, or fail with 422 on ``field``.

    Each check first claims one of the code's guesses with a guarded UPDATE, so parallel guesses
    cannot exceed SMS_MAX_ATTEMPTS; a wrong guess stays counted although the request fails.
    """
    now = utcnow()
    wrong = Invalid(errors={field: [WRONG_CODE]}, keep_writes=True)  # a wrong guess stays counted
    row = session.scalar(select(SmsCode).where(SmsCode.phone == phone, SmsCode.purpose == purpose,
                                               SmsCode.consumed_at.is_(None), SmsCode.expires_at > now)
                         .order_by(SmsCode.id.desc()).limit(1))
    if row is None or (purpose == Purpose.CHANGE_PHONE and (user is None or row.user_id != user.id)):
        raise wrong
    claimed = session.execute(
        update(SmsCode).where(SmsCode.id == row.id, SmsCode.attempts < current_app.config["SMS_MAX_ATTEMPTS"],
                              SmsCode.consumed_at.is_(None))
        .values(attempts=SmsCode.attempts + 1).execution_options(synchronize_session=False)).rowcount
    if claimed != 1 or not hmac.compare_digest(row.code_hash, _hash(phone, purpose, code)):
        raise wrong
    used = session.execute(update(SmsCode).where(SmsCode.id == row.id, SmsCode.consumed_at.is_(None))
                           .values(consumed_at=now).execution_options(synchronize_session=False)).rowcount
    if used != 1:
        raise wrong


def demo_codes(*, phone: str) -> list[dict]:
    """The codes the demo sender delivered to ``phone`` within the validity period (demo only: 404 otherwise)."""
    sender = senders.sender()
    if not isinstance(sender, senders.LogSender):
        raise not_found()
    since = utcnow() - timedelta(seconds=current_app.config["SMS_CODE_TTL_SECONDS"])
    return sender.recent(phone, since)
