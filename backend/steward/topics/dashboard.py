"""Topic participation on the dashboard: topics by stage, distinct supporters and comments; weekly topics and
supports."""
from __future__ import annotations

from sqlalchemy import func, select

from ..dashboard.registry import Window, metric, section
from ..scope import under
from .models import Topic, TopicComment, TopicSupport

ANSWERED = ("adopted", "declined", "done")


@section("topics", "自治议题", order=45)
def topics(session, win: Window) -> dict:
    where = under(Topic.area_path, win.area_path)
    by_status = dict(session.execute(select(Topic.status, func.count()).where(where).group_by(Topic.status)).all())
    supporters = session.scalar(select(func.count(func.distinct(TopicSupport.user_id)))
                                .join(Topic, Topic.id == TopicSupport.topic_id).where(where)) or 0
    comments = session.scalar(select(func.count()).select_from(TopicComment).where(
        under(TopicComment.area_path, win.area_path), TopicComment.status == "visible")) or 0
    return {
        "metrics": [metric("topics", "议题与金点子", sum(by_status.values())),
                    metric("collecting", "征集支持中", by_status.get("proposed", 0)),
                    metric("discussing", "讨论中", by_status.get("discussing", 0)),
                    metric("answered", "已答复", sum(by_status.get(s, 0) for s in ANSWERED)),
                    metric("supporters", "参与支持的居民", supporters),
                    metric("comments", "居民留言", comments)],
        "breakdown": {"by_status": [{"label": s, "value": n} for s, n in sorted(by_status.items())]},
        "trend": {"新议题": win.weekly(session, Topic.created_at, Topic.area_path),
                  "支持": win.weekly(session, TopicSupport.created_at, Topic.area_path, TopicSupport.topic_id == Topic.id)},
    }
