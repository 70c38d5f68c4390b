"""Bookings on the dashboard: the last 30 days' seats, bookings, check-ins and utilisation; weekly bookings."""
from __future__ import annotations

from datetime import timedelta

from ..dashboard.registry import TOWN_TZ, Window, metric, section
from ..db import utcnow
from . import service
from .models import Booking

DAYS = 30


@section("bookings", "预约服务", order=20)
def bookings(session, win: Window) -> dict:
    today = utcnow().astimezone(TOWN_TZ).date()
    rows = service.daily_report(session, user=win.user, since=today - timedelta(days=DAYS - 1), until=today,
                                area_id=win.area_id)
    capacity = sum(r["capacity"] for r in rows)
    taken = sum(r["booked"] + r["checked_in"] + r["no_show"] for r in rows)
    came, missed = sum(r["checked_in"] for r in rows), sum(r["no_show"] for r in rows)
    by_service: dict[str, int] = {}
    for r in rows:
        by_service[r["service"]] = by_service.get(r["service"], 0) + r["booked"] + r["checked_in"] + r["no_show"]
    return {
        "metrics": [metric("capacity", f"近{DAYS}天名额", capacity), metric("booked", f"近{DAYS}天预约", taken),
                    metric("checked_in", "已签到", came), metric("no_show", "爽约", missed),
                    metric("utilisation", "名额使用率", round(taken / capacity, 3) if capacity else None, "ratio")],
        "breakdown": {"by_service": [{"label": k, "value": v} for k, v in
                                     sorted(by_service.items(), key=lambda kv: -kv[1])[:10]]},
        "trend": {"预约": win.weekly(session, Booking.created_at, Booking.area_path)},
    }
