"""Write audit events. Called by services inside the request's transaction."""
from __future__ import annotations

from flask import g, has_request_context, request
from sqlalchemy.orm import Session

from ..core.idempotency import replayed
from ..people.models import User
from .models import AuditEvent


def record(session: Session, *, actor: User | None, action: str, resource_type: str | None = None,
           resource_id=None, area_path: str | None = None, detail: dict | None = None) -> AuditEvent:
    event = AuditEvent(
        actor_id=actor.id if actor else None,
        actor_role=actor.role if actor else None,
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


@replayed.connect
def _audit_replay(_app, *, session: Session, actor: User | None, method: str, path: str, status: int) -> None:
    """A replayed Idempotency-Key answer is a read of what the first call did: it is on record too."""
    record(session, actor=actor, action="request.replay", resource_type="request",
           area_path=actor.area_path if actor else None, detail={"method": method, "path": path, "status": status})
