"""Sections of the dashboard, contributed by the domains.

A domain that has figures for the dashboard adds a ``dashboard.py`` beside its models with::

    from ..dashboard.registry import Window, metric, section

    @section("cases", "事项", order=10)
    def cases(session, window: Window) -> dict:
        return {"metrics": [metric("open", "办理中", 12)],
                "breakdown": {"by_status": [{"label": "submitted", "value": 3}]},   # optional
                "trend": {"新增事项": window.weekly(session, Case.created_at, Case.area_path)}}  # optional

It is collected like the domains' other parts (``domains.load("dashboard")``). A section must issue a
fixed number of statements, whatever the number of grids or rows (a test counts them).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from typing import Callable
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..scope import Principal, under

TOWN_TZ = ZoneInfo("Asia/Shanghai")


@dataclass(frozen=True)
class Window:
    """Who asks, about which area, over which weeks (Monday to Sunday, in the town's time)."""

    user: Principal
    area_id: int | None
    area_path: str
    weeks: list[date] = field(default_factory=list)  # the Mondays, oldest first

    @property
    def since(self) -> datetime:
        return datetime.combine(self.weeks[0], datetime.min.time(), TOWN_TZ).astimezone(timezone.utc)

    @property
    def until(self) -> datetime:
        return datetime.combine(self.weeks[-1] + timedelta(days=7), datetime.min.time(), TOWN_TZ) \
            .astimezone(timezone.utc)

    def weekly(self, session: Session, column, path_column, *where) -> list[int]:
        """How many rows per week by ``column`` (one grouped statement, by day, folded into weeks)."""
        day = func.date(column)
        counts = [0] * len(self.weeks)
        rows = session.execute(select(day, func.count()).where(
            under(path_column, self.area_path), column >= self.since, column < self.until, *where)
            .group_by(day)).all()
        for d, n in rows:
            d = d if isinstance(d, date) else date.fromisoformat(str(d)[:10])
            i = (d - self.weeks[0]).days // 7
            if 0 <= i < len(counts):
                counts[i] += n
        return counts


Section = Callable[[Session, Window], dict]


@dataclass(frozen=True)
class Registered:
    key: str
    title: str
    order: int
    fn: Section


SECTIONS: dict[str, Registered] = {}


def section(key: str, title: str, *, order: int = 50):
    """Register ``fn(session, window) -> {"metrics": [...], "breakdown"?: {...}, "trend"?: {...}}``."""

    def register(fn: Section) -> Section:
        SECTIONS[key] = Registered(key, title, order, fn)
        return fn

    return register


def metric(key: str, label: str, value, unit: str | None = None) -> dict:
    return {"key": key, "label": label, "value": value, "unit": unit}


def sections() -> list[Registered]:
    from .. import domains

    domains.load("dashboard")
    return sorted(SECTIONS.values(), key=lambda s: (s.order, s.key))
