"""Everyone reads their own notifications, and nobody else's."""
from __future__ import annotations

from sqlalchemy import ColumnElement, false

from ..scope import Principal, action, rule
from .models import Notification


@rule(Notification)
def _own(p: Principal) -> ColumnElement[bool]:
    return Notification.user_id == p.id if p.id is not None else false()


@action(Notification, "mark_read")
def _mark(p: Principal, n: Notification) -> bool:
    return n.user_id == p.id
