"""Cases on the dashboard: counts by status and mode, overdue, resolution, ratings; weekly new/resolved."""
from __future__ import annotations

from ..dashboard.registry import Window, metric, section
from . import service
from .models import OPEN_STATUSES, Case


@section("cases", "事项", order=10)
def cases(session, win: Window) -> dict:
    s = service.stats(session, user=win.user, area_id=win.area_id)
    open_ = sum(n for status, n in s["by_status"].items() if status in OPEN_STATUSES)
    return {
        "metrics": [metric("total", "事项总数", s["total"]), metric("open", "办理中", open_),
                    metric("overdue", "已超期", s["overdue"]), metric("resolved", "已办结", s["resolved"]),
                    metric("sla_compliance", "按期办结率", s["sla_compliance"], "ratio"),
                    metric("median_hours_to_resolve", "办结用时中位数", s["median_hours_to_resolve"], "hours"),
                    metric("average_rating", "平均评分", s["average_rating"])],
        "breakdown": {"by_status": [{"label": k, "value": v} for k, v in sorted(s["by_status"].items())],
                      "by_mode": [{"label": k, "value": v} for k, v in sorted(s["by_mode"].items())]},
        "trend": {"新增事项": win.weekly(session, Case.created_at, Case.area_path),
                  "办结事项": win.weekly(session, Case.resolved_at, Case.area_path)},
    }
