"""Notices on the dashboard: what reached the area in the last 30 days and how many households read it —
on average, and the notices that reached the fewest (so the volunteers know where to knock)."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import and_, exists, func, literal, or_, select

from ..areas.models import Household
from ..dashboard.registry import Window, metric, section
from ..db import utcnow
from ..people.models import Resident, ResidentTag
from ..scope import under
from .models import Notice, NoticeHouseholdRead, Status

DAYS = 30


@section("notices", "通知公告", order=40)
def notices(session, win: Window) -> dict:
    since = utcnow() - timedelta(days=DAYS)
    reaching = and_(Notice.status == Status.PUBLISHED, Notice.published_at >= since,
                    or_(under(Notice.area_path, win.area_path), literal(win.area_path).startswith(Notice.area_path)))
    in_audience = and_(Household.area_path.startswith(Notice.area_path), under(Household.area_path, win.area_path),
                       or_(Notice.tag.is_(None), exists(select(ResidentTag.resident_id).join(Resident).where(
                           Resident.household_id == Household.id, ResidentTag.tag == Notice.tag))))
    audience = dict(session.execute(select(Notice.id, func.count(Household.id)).select_from(Notice)
                                    .join(Household, in_audience).where(reaching).group_by(Notice.id)).all())
    read = dict(session.execute(
        select(Notice.id, func.count(NoticeHouseholdRead.household_id)).select_from(Notice)
        .join(NoticeHouseholdRead, NoticeHouseholdRead.notice_id == Notice.id)
        .join(Household, and_(Household.id == NoticeHouseholdRead.household_id, in_audience))
        .where(reaching).group_by(Notice.id)).all())
    titles = dict(session.execute(select(Notice.id, Notice.title).where(reaching)).all())
    rates = {nid: read.get(nid, 0) / total for nid, total in audience.items() if total}
    average = round(sum(rates.values()) / len(rates), 4) if rates else 0.0
    lowest = sorted(rates.items(), key=lambda kv: (kv[1], kv[0]))[:10]
    return {
        "metrics": [metric("published", f"近{DAYS}天发布", len(titles)),
                    metric("read_rate", "平均阅读率", average, "ratio"),
                    metric("reached", "已读户次", sum(read.values()))],
        "breakdown": {"lowest_read_rate": [{"label": titles[nid], "value": round(100 * r, 1)} for nid, r in lowest]},
        "trend": {"发布通知": win.weekly(session, Notice.published_at, Notice.area_path,
                                       Notice.status == Status.PUBLISHED)},
    }
