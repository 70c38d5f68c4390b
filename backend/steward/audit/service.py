"""Write audit events. Called by services inside the request's transaction."""
from __future__ import annotations

from flask import g, has_request_context, request
from sqlalchemy.orm import Session

from ..core.idempotency import replayed
from ..core.pagination import Page, paginate
from ..people.models import User
from ..scope import scoped
from .models import AuditEvent


def record(session: Session, *, actor: User | None, action: str, resource_type: str | None = None,
           resource_id=None, area_path: str | None = None, detail: dict | None = None) -> AuditEvent:
    event = AuditEvent(
        actor_id=actor.id if actor else None,
        actor_role=actor.role if actor else None,
        api_client_id=getattr(actor, "api_client_id", None),
        action=action,
        resource_type=resource_type,
        resource_id=str(resource_id) if resource_id is not None else None,
        area_path=area_path,
        ip=request.remote_addr if has_request_context() else None,
        request_id=g.get("request_id") if has_request_context() else None,
        detail=detail,
    )
    session.add(event)
    return event


IP_READERS = ("town_staff", "admin")  # where someone signed in from is for the town, not the community office


def list_events(session: Session, *, user: User, action: str | None = None, resource_type: str | None = None,
                resource_id: str | None = None, actor_id: int | None = None, api_client_id: int | None = None,
                cursor: str | None, limit: int) -> Page[AuditEvent]:
    """Audit events visible to ``user``, newest first; the client address is left out below town level."""
    stmt = scoped(user, AuditEvent)
    for column, value in ((AuditEvent.action, action), (AuditEvent.resource_type, resource_type),
                          (AuditEvent.resource_id, resource_id), (AuditEvent.actor_id, actor_id),
                          (AuditEvent.api_client_id, api_client_id)):
        if value is not None:
            stmt = stmt.where(column == value)
    page = paginate(session, stmt, keys=[AuditEvent.id], cursor=cursor, limit=limit, descending=True)
    show_ip = user.role in IP_READERS
    return Page([EventView(e, show_ip) for e in page.items], page.next_cursor)


class EventView:
    """An audit event as one reader may see it (read-only; the row itself is never touched)."""

    def __init__(self, event: AuditEvent, show_ip: bool) -> None:
        self._event = event
        self.ip = event.ip if show_ip else None

    def __getattr__(self, name: str):
        return getattr(self._event, name)


@replayed.connect
def _audit_replay(_app, *, session: Session, actor: User | None, method: str, path: str, status: int) -> None:
    """A replayed Idempotency-Key answer is a read of what the first call did: it is on record too."""
    record(session, actor=actor, action="request.replay", resource_type="request",
           area_path=actor.area_path if actor else None, detail={"method": method, "path": path, "status": status})
