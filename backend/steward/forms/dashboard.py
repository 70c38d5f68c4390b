"""Registration forms on the dashboard: open forms and answers (30 days); weekly answers."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from ..dashboard.registry import Window, metric, section
from ..db import utcnow
from ..scope import under
from .models import Form, FormStatus, FormSubmission


@section("forms", "信息登记", order=40)
def forms(session, win: Window) -> dict:
    now = utcnow()
    open_forms = session.scalar(select(func.count()).select_from(Form).where(
        under(Form.area_path, win.area_path), Form.status == FormStatus.PUBLISHED,
        (Form.deadline.is_(None)) | (Form.deadline > now)))
    answers = session.scalar(select(func.count()).select_from(FormSubmission).where(
        under(FormSubmission.area_path, win.area_path), FormSubmission.created_at >= now - timedelta(days=30)))
    return {"metrics": [metric("open_forms", "进行中的登记", open_forms), metric("submissions", "近30天登记", answers)],
            "trend": {"登记": win.weekly(session, FormSubmission.created_at, FormSubmission.area_path)}}
