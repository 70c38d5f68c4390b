"""Calendars: an ICS file per booking, and a private, revocable feed per resident that a phone's
calendar subscribes to (bookings and activity sign-ups from the last 30 days on)."""
from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from ..core.ics import Entry, calendar
from ..db import utcnow
from ..people.models import User
from ..scope import Principal
from .models import Booking, BookingStatus, CalendarFeed

FEED_PAST_DAYS = 30


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def booking_entry(b: Booking) -> Entry:
    service = b.slot.service
    lines = [f"签到码 Check-in code: {b.code}"]
    if service.description:
        lines.append(service.description)
    return Entry(uid=f"booking-{b.id}@steward", starts_at=b.slot.starts_at, ends_at=b.slot.ends_at,
                 summary=service.title, location=service.place, description="\n".join(lines),
                 cancelled=b.status == BookingStatus.CANCELLED,
                 sequence=1 if b.status == BookingStatus.CANCELLED else 0)


def booking_ics(b: Booking) -> bytes:
    return calendar([booking_entry(b)], name=b.slot.service.title)


def feed_of(session: Session, *, user: Principal) -> CalendarFeed | None:
    return session.scalar(select(CalendarFeed).where(CalendarFeed.user_id == user.id))


def create_feed(session: Session, *, user: Principal) -> tuple[CalendarFeed, str]:
    """A new secret address; any earlier one stops working (that is how a leaked address is revoked)."""
    session.execute(delete(CalendarFeed).where(CalendarFeed.user_id == user.id))
    token = secrets.token_urlsafe(24)
    feed = CalendarFeed(user_id=user.id, token_digest=_digest(token))
    session.add(feed)
    session.flush()
    return feed, token


def revoke_feed(session: Session, *, user: Principal) -> None:
    session.execute(delete(CalendarFeed).where(CalendarFeed.user_id == user.id))


def feed_calendar(session: Session, *, token: str) -> bytes | None:
    """The feed behind ``token``, or None (unknown or revoked). Bookings of the last 30 days and to come,
    cancelled ones marked so (a subscribed calendar then removes them)."""
    feed = session.scalar(select(CalendarFeed).where(CalendarFeed.token_digest == _digest(token)))
    if feed is None:
        return None
    user = session.get(User, feed.user_id)
    if user is None or not user.is_active:
        return None
    since = utcnow() - timedelta(days=FEED_PAST_DAYS)
    entries = [booking_entry(b) for b in session.scalars(
        select(Booking).where(Booking.user_id == user.id, Booking.starts_at >= since,
                              Booking.status != BookingStatus.WAITING).order_by(Booking.starts_at).limit(500))]
    from ..activities.service import calendar_entries  # activities build on services, not the other way

    entries += calendar_entries(session, user_id=user.id, since=since)
    if feed.last_used_at is None or feed.last_used_at < utcnow() - timedelta(hours=1):
        session.execute(update(CalendarFeed).where(CalendarFeed.id == feed.id).values(last_used_at=utcnow()))
    return calendar(entries, name="红管家 · 我的预约")
