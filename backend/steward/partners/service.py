"""API clients: created, listed and revoked by staff; authenticated on every call that carries a key."""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from ..alliances.models import Unit
from ..audit.service import record
from ..core.errors import Forbidden, invalid
from ..core.pagination import Page, paginate
from ..db import utcnow
from ..scope import Principal, find_for, get_for, manages, scoped
from . import keys
from .access import unit_member
from .models import ApiClient
from .principal import ClientPrincipal

MISSING_KEY = "Missing api_key: this call needs the key of an API client."
BAD_KEY = "Invalid api_key."
REVOKED_KEY = "This api_key has been revoked."
EXPIRED_KEY = "This api_key has expired."
TOUCH_EVERY = timedelta(minutes=1)  # last_used_at is a hint, not a log: the audit log has every call
MAX_OVERLAP = timedelta(days=7)  # how long a rotated-out secret may keep working, at most


def create_client(session: Session, *, user: Principal, data: dict) -> tuple[ApiClient, str]:
    """A new client for a unit the staff member manages; returns it with its key (shown once)."""
    unit = find_for(session, user, Unit, data["unit_id"])
    if unit is None or not unit.is_active or not (manages(user, unit.area_path) or unit_member(user, unit.id)):
        raise invalid({"unit_id": ["Pick an active unit you manage."]})
    expires_at = data.get("expires_at")
    if expires_at is not None and expires_at <= utcnow():
        raise invalid({"expires_at": ["The expiry must lie in the future."]})
    client_id, secret = keys.new_client_id(), keys.new_secret()
    client = ApiClient(client_id=client_id, secret_hash=keys.hash_secret(client_id, secret), name=data["name"],
                       unit_id=unit.id, area_path=unit.area_path, scopes=sorted(set(data["scopes"])),
                       created_by_id=user.id, expires_at=expires_at)
    session.add(client)
    session.flush()
    record(session, actor=user, action="api_client.create", resource_type="api_client", resource_id=client.id,
           area_path=client.area_path, detail={"client_id": client_id, "unit_id": unit.id, "scopes": client.scopes})
    return client, keys.join(client_id, secret)


def list_clients(session: Session, *, user: Principal, unit_id: int | None = None, include_revoked: bool = False,
                 cursor: str | None, limit: int) -> Page[ApiClient]:
    stmt = scoped(user, ApiClient)
    if unit_id is not None:
        stmt = stmt.where(ApiClient.unit_id == unit_id)
    if not include_revoked:
        stmt = stmt.where(ApiClient.revoked_at.is_(None))
    return paginate(session, stmt, keys=[ApiClient.id], cursor=cursor, limit=limit, descending=True)


def get_client(session: Session, *, user: Principal, client_id: int, action: str = "read") -> ApiClient:
    return get_for(session, user, ApiClient, client_id, action)


def revoke_client(session: Session, *, user: Principal, client_id: int) -> ApiClient:
    """Revoke at once: the next call with its key is refused. Revoking twice changes nothing."""
    client = get_client(session, user=user, client_id=client_id, action="revoke")
    if client.revoked_at is None:
        client.revoked_at, client.revoked_by_id = utcnow(), user.id
        record(session, actor=user, action="api_client.revoke", resource_type="api_client", resource_id=client.id,
               area_path=client.area_path, detail={"client_id": client.client_id})
    return client


def rotate_client(session: Session, *, user: Principal, client_id: int, overlap_hours: int) -> tuple[ApiClient, str]:
    """A new secret for the client (shown once). The previous one keeps working for ``overlap_hours``
    (0: refused at once), so the partner can deploy the new one without downtime; tokens issued with it
    stop working when the overlap ends. A rotation during an overlap ends the older overlap at once."""
    client = get_client(session, user=user, client_id=client_id, action="revoke")
    if not client.is_active:
        raise invalid({"client": ["A revoked or expired client cannot be rotated."]})
    now = utcnow()
    secret = keys.new_secret()
    client.previous_secret_hash = client.secret_hash if overlap_hours else None
    client.previous_secret_expires_at = now + timedelta(hours=overlap_hours) if overlap_hours else None
    client.secret_hash = keys.hash_secret(client.client_id, secret)
    client.secret_version = (client.secret_version or 1) + 1
    record(session, actor=user, action="api_client.rotate", resource_type="api_client", resource_id=client.id,
           area_path=client.area_path, detail={"client_id": client.client_id, "overlap_hours": overlap_hours,
                                               "secret_version": client.secret_version})
    return client, keys.join(client.client_id, secret)


def secret_generation(client: ApiClient | None, client_id: str, secret: str, now: datetime) -> int | None:
    """Which generation of the client's secret ``secret`` is: the current one, or the previous one
    within its overlap window; ``None`` when neither (constant work whether or not the client exists)."""
    current = keys.matches(client.secret_hash if client else None, client_id, secret)
    previous = keys.matches(client.previous_secret_hash if client else None, client_id, secret)
    if client is None:
        return None
    if current:
        return client.secret_version
    if previous and client.previous_secret_expires_at is not None and client.previous_secret_expires_at > now:
        return client.secret_version - 1
    return None


# ------------------------------------------------------------------ authentication
def principal_of(client: ApiClient) -> ClientPrincipal:
    return ClientPrincipal(api_client_id=client.id, client_id=client.client_id, name=client.name,
                           unit_id=client.unit_id, area_path=client.area_path, scopes=frozenset(client.scopes or ()))


def authenticate(session: Session, api_key: str | None, *, now: datetime | None = None) -> ClientPrincipal:
    """The client whose key this is, checked against the database on every call (a revoked key fails at
    once). Refusals are :class:`Forbidden` (Open311 answers 403 for a missing or invalid key)."""
    if not api_key:
        raise Forbidden(MISSING_KEY, type="api-key")
    parts = keys.split(api_key)
    if parts is None:
        keys.matches(None, "x" * 8, "x" * 43)  # the same work as a real check
        raise Forbidden(BAD_KEY, type="api-key")
    client_id, secret = parts
    client = session.scalar(select(ApiClient).where(ApiClient.client_id == client_id))
    now = now or utcnow()
    if secret_generation(client, client_id, secret, now) is None:
        raise Forbidden(BAD_KEY, type="api-key")
    if client.revoked_at is not None or (client.expires_at is not None and client.expires_at <= now):
        refused = Forbidden(REVOKED_KEY if client.revoked_at else EXPIRED_KEY,
                            type="api-key-revoked" if client.revoked_at else "api-key-expired")
        refused.api_client = principal_of(client)  # whose key it was, for the audit log
        raise refused
    if client.unit is None or not client.unit.is_active:
        raise Forbidden(BAD_KEY, type="api-key")
    return principal_of(client)


def touch(session: Session, principal: ClientPrincipal, *, now: datetime | None = None) -> None:
    """Note when the client was last used (at most once a minute, to spare the row)."""
    now = now or utcnow()
    session.execute(update(ApiClient).where(
        ApiClient.id == principal.api_client_id,
        (ApiClient.last_used_at.is_(None)) | (ApiClient.last_used_at < now - TOUCH_EVERY))
        .values(last_used_at=now).execution_options(synchronize_session=False))
