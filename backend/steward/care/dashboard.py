"""Care on the dashboard: active pairs, households overdue a visit, visits and volunteer hours (30 days)."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import case, func, select

from ..dashboard.registry import Window, metric, section
from ..db import utcnow
from ..scope import under
from . import service
from .models import CarePair, CareVisit

DAYS = 30


@section("care", "结对关爱", order=30)
def care(session, win: Window) -> dict:
    now = utcnow()
    hours = service.hours(session, user=win.user, area_id=win.area_id, since=now - timedelta(days=DAYS))
    pairs, overdue = session.execute(select(
        func.count(), func.coalesce(func.sum(case((service._is_overdue(now), 1), else_=0)), 0))
        .where(CarePair.active.is_(True), under(CarePair.area_path, win.area_path))).one()
    return {
        "metrics": [metric("pairs", "结对户数", pairs), metric("overdue", f"超{service.OVERDUE_DAYS}天未探访", overdue),
                    metric("visits", f"近{DAYS}天探访", hours["visits"]),
                    metric("hours", f"近{DAYS}天志愿时长", hours["hours"], "hours")],
        "breakdown": {"volunteers": [{"label": v["name"], "value": v["hours"]} for v in hours["volunteers"][:10]]},
        "trend": {"探访": win.weekly(session, CareVisit.visited_at, CareVisit.area_path)},
    }
