"""Questions on the dashboard: waiting for an answer, answered within 30 days and how fast; weekly questions."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from ..dashboard.registry import Window, metric, section
from ..db import utcnow
from ..scope import under
from .models import Question

DAYS = 30


@section("questions", "居民咨询", order=46)
def questions(session, win: Window) -> dict:
    now = utcnow()
    where = under(Question.area_path, win.area_path)
    waiting = session.scalar(select(func.count()).select_from(Question).where(where, Question.status == "open")) or 0
    answered = session.execute(select(Question.created_at, Question.answered_at).where(
        where, Question.answered_at.is_not(None), Question.answered_at >= now - timedelta(days=DAYS))).all()
    hours = [(a - c).total_seconds() / 3600 for c, a in answered]
    return {
        "metrics": [metric("waiting", "待回复", waiting), metric("answered", f"近{DAYS}天已回复", len(hours)),
                    metric("answer_hours", "平均回复用时", round(sum(hours) / len(hours), 1) if hours else None, "hours")],
        "trend": {"咨询": win.weekly(session, Question.created_at, Question.area_path)},
    }
