"""Turning weekly rules and exceptions (in the town's time) into slot rows, ahead of time.

Slots are materialised, not computed on every read: the seat counter a booking takes lives on the slot
row (the conditional UPDATE needs a row to guard), and "what is free in the next 14 days" is then one
indexed range read of a service's slots — no query per slot, no per-request rule arithmetic. The job
``services.generate_slots`` extends every published service's horizon nightly; any change of rules or
exceptions regenerates that service's future slots in the same transaction.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from sqlalchemy import delete, exists, select, update
from sqlalchemy.orm import Session

from ..db import utcnow
from .models import Booking, ScheduleException, Service, Slot

ZONE = ZoneInfo("Asia/Shanghai")


def local_day(at: datetime) -> date:
    return at.astimezone(ZONE).date()


def at_local(day: date, minute: int) -> datetime:
    """The instant (UTC) ``minute`` minutes after midnight of ``day`` in the town (1440 is the next midnight).

    Wall-clock arithmetic is exact here: Shanghai has kept UTC+8 without daylight saving since 1991."""
    return (datetime.combine(day, time(), ZONE) + timedelta(minutes=minute)).astimezone(timezone.utc)


def local_text(at: datetime) -> str:
    return at.astimezone(ZONE).strftime("%m-%d %H:%M")


@dataclass(frozen=True)
class Wanted:
    starts_at: datetime
    ends_at: datetime
    day: date
    capacity: int
    source: str


def _cut(day: date, start: int, end: int, length: int, capacity: int, source: str) -> list[Wanted]:
    return [Wanted(at_local(day, m), at_local(day, m + length), day, capacity, source)
            for m in range(start, end - length + 1, length)]


def wanted_slots(service: Service, exceptions: list[ScheduleException], first: date, last: date) -> dict:
    """The slots the rules and exceptions call for on ``first``…``last`` (town dates), by start instant."""
    by_day: dict[date, list[ScheduleException]] = {}
    for e in exceptions:
        by_day.setdefault(e.day, []).append(e)
    out: dict[datetime, Wanted] = {}
    day = first
    while day <= last:
        todays = by_day.get(day, [])
        closures = [(e.start_minute or 0, e.end_minute or 1440) for e in todays if e.kind == "closed"]
        candidates = []
        for rule in service.rules:
            if rule.weekday == day.weekday():
                candidates += _cut(day, rule.start_minute, rule.end_minute, service.slot_minutes,
                                   rule.capacity or service.capacity, "rule")
        for e in todays:
            if e.kind == "extra":
                candidates += _cut(day, e.start_minute, e.end_minute, service.slot_minutes,
                                   e.capacity or service.capacity, "extra")
        for w in candidates:
            start = int((w.starts_at - at_local(day, 0)).total_seconds() // 60)
            end = start + service.slot_minutes
            # a closure takes away the rules' slots; an extra session that day is meant to happen
            if w.source == "extra" or not any(start < c_end and c_start < end for c_start, c_end in closures):
                out.setdefault(w.starts_at, w)
        day += timedelta(days=1)
    return out


def horizon(service: Service, now: datetime) -> tuple[date, date]:
    today = local_day(now)
    return today, today + timedelta(days=service.book_ahead_days)


def generate(session: Session, service: Service, *, now: datetime | None = None) -> dict:
    """Bring the service's future slots in line with its rules and exceptions, up to its horizon.

    Missing slots are added; slots no longer wanted are removed if nobody ever booked them (those with
    bookings stay, for staff to close — closing tells the residents); capacities follow the rules
    unless more seats are taken than the new capacity allows. A few statements per service."""
    now = now or utcnow()
    if service.kind != "slots" or service.status != "published":
        return {"added": 0, "removed": 0}
    first, last = horizon(service, now)
    exceptions = list(session.scalars(select(ScheduleException).where(
        ScheduleException.service_id == service.id, ScheduleException.day.between(first, last))))
    wanted = {at: w for at, w in wanted_slots(service, exceptions, first, last).items() if at > now}
    existing = {s.starts_at: s for s in session.scalars(select(Slot).where(
        Slot.service_id == service.id, Slot.starts_at > now,
        Slot.starts_at < at_local(last + timedelta(days=1), 0)))}
    added = [Slot(service_id=service.id, day=w.day, starts_at=w.starts_at, ends_at=w.ends_at, capacity=w.capacity,
                  booked=0, waiting=0, status="open", source=w.source)
             for at, w in wanted.items() if at not in existing]
    session.add_all(added)
    unwanted = [s.id for at, s in existing.items() if at not in wanted and s.booked == 0 and s.waiting == 0]
    removed = 0
    if unwanted:
        removed = session.execute(delete(Slot).where(
            Slot.id.in_(unwanted), ~exists(select(Booking.id).where(Booking.slot_id == Slot.id)))
            .execution_options(synchronize_session=False)).rowcount
    for at, slot in existing.items():
        w = wanted.get(at)
        if w is not None and slot.capacity != w.capacity:
            session.execute(update(Slot).where(Slot.id == slot.id, Slot.booked <= w.capacity)
                            .values(capacity=w.capacity).execution_options(synchronize_session=False))
    session.flush()
    return {"added": len(added), "removed": removed}
