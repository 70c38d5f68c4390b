"""iCalendar (RFC 5545) files with the ``icalendar`` library: one booking, or a resident's feed.

Times are written in UTC (``…Z``), which every calendar reads without a VTIMEZONE block; the calendar
names the town's zone (X-WR-TIMEZONE) so phones show local times. Each event has a stable UID, so a
subscribed feed updates an event instead of duplicating it, and a cancelled one says STATUS:CANCELLED.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import Response
from icalendar import Alarm, Calendar, Event

from ..db import utcnow

PRODID = "-//Steward 红管家//Bookings//ZH"


@dataclass(frozen=True)
class Entry:
    uid: str
    starts_at: datetime
    ends_at: datetime
    summary: str
    location: str | None = None
    description: str | None = None
    cancelled: bool = False
    sequence: int = 0


def calendar(entries: list[Entry], *, name: str) -> bytes:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", "Asia/Shanghai")
    stamp = utcnow()
    for e in entries:
        event = Event()
        event.add("uid", e.uid)
        event.add("dtstamp", stamp)
        event.add("dtstart", e.starts_at)
        event.add("dtend", e.ends_at)
        event.add("summary", e.summary)
        if e.location:
            event.add("location", e.location)
        if e.description:
            event.add("description", e.description)
        event.add("status", "CANCELLED" if e.cancelled else "CONFIRMED")
        event.add("sequence", e.sequence)
        if not e.cancelled:
            alarm = Alarm()
            alarm.add("action", "DISPLAY")
            alarm.add("description", e.summary)
            alarm.add("trigger", timedelta(hours=-1))
            event.add_component(alarm)
        cal.add_component(event)
    return cal.to_ical()


def ics_response(body: bytes, filename: str) -> Response:
    return Response(body, mimetype="text/calendar", headers={
        "Content-Disposition": f'attachment; filename="{filename}"', "Cache-Control": "private, no-store"})
