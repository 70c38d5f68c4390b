"""Write notifications (any domain, inside its unit of work) and read one's own."""
from __future__ import annotations

from typing import Iterable

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from ..core.i18n import t
from ..core.pagination import Page, paginate
from ..db import utcnow
from ..scope import Principal, get_for, scoped
from .live import publish_after_commit
from .models import Notification

# kind → (title, body): English message ids, translated for the reader (core/i18n.py).
TEXTS: dict[str, tuple[str, str]] = {}


def kind(name: str, title: str, body: str) -> str:
    """Declare a notification kind and its text (called by the domains at import)."""
    TEXTS[name] = (title, body)
    return name


def notify(session: Session, *, user_ids: Iterable[int | None], kind: str, params: dict | None = None,
           subject_type: str | None = None, subject_id: int | None = None,
           skip: int | None = None) -> None:
    """One notification per user (``None`` and ``skip`` — usually the actor — left out)."""
    assert kind in TEXTS, kind
    ids = sorted({u for u in user_ids if u is not None and u != skip})
    for uid in ids:
        session.add(Notification(user_id=uid, kind=kind, params=params or {}, subject_type=subject_type,
                                 subject_id=subject_id))
    if ids:  # the open apps hear of it once it is committed (server-sent events, live.py)
        publish_after_commit(ids, {"kind": kind, "subject_type": subject_type, "subject_id": subject_id})


def render(n: Notification) -> dict:
    title, body = TEXTS.get(n.kind, (n.kind, ""))
    params = {k: t(v) if isinstance(v, str) else v for k, v in (n.params or {}).items()}
    return {"title": t(title, **params), "body": t(body, **params) if body else ""}


def list_mine(session: Session, *, user: Principal, unread: bool | None = None, cursor: str | None,
              limit: int) -> Page[Notification]:
    stmt = scoped(user, Notification)
    if unread:
        stmt = stmt.where(Notification.read_at.is_(None))
    return paginate(session, stmt, keys=[Notification.id], cursor=cursor, limit=limit, descending=True)


def mark_read(session: Session, *, user: Principal, notification_id: int) -> Notification:
    n = get_for(session, user, Notification, notification_id, "mark_read")
    if n.read_at is None:
        n.read_at = utcnow()
    return n


def mark_all_read(session: Session, *, user: Principal) -> int:
    result = session.execute(update(Notification).where(Notification.user_id == user.id,
                                                        Notification.read_at.is_(None)).values(read_at=utcnow()))
    return result.rowcount


def unread_state(session: Session, *, user: Principal) -> tuple[int, int]:
    """(unread count, newest notification id): together they change whenever the badge should."""
    count, newest = session.execute(select(
        func.count(Notification.id).filter(Notification.read_at.is_(None)), func.max(Notification.id))
        .where(Notification.user_id == user.id)).one()
    return count or 0, newest or 0
