"""Sign-in, token rotation, sign-out and self-registration."""
from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import timedelta
from types import SimpleNamespace

from flask import current_app
from flask_jwt_extended import create_access_token, create_refresh_token, decode_token
from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from ..areas.models import Area, AreaKind, Household, Stairwell
from ..audit.service import record
from ..core.errors import Problem, invalid
from ..db import utcnow
from ..people.models import HouseholdClaim, Resident, Role, User
from .models import AuthSession
from .passwords import hash_password, verify_dummy, verify_password


def _limiter():
    return current_app.extensions["steward.limiter"]


def _check_login_limits(phone: str, ip: str | None) -> None:
    cfg = current_app.config
    window = cfg["LOGIN_LIMIT_WINDOW_SECONDS"]
    wait = max(_limiter().blocked_for(f"login:phone:{phone}", cfg["LOGIN_LIMIT_PER_PHONE"], window),
               _limiter().blocked_for(f"login:ip:{ip}", cfg["LOGIN_LIMIT_PER_IP"], window))
    if wait:
        raise Problem(429, "Too many login attempts. Try again in {seconds} seconds.", type="rate-limited",
                      headers={"Retry-After": str(wait)}, seconds=wait)


def login(session: Session, *, phone: str, password: str, ip: str | None, user_agent: str | None) -> dict:
    """Check the credentials and open a new session; failures count towards the rate limit."""
    _check_login_limits(phone, ip)
    window = current_app.config["LOGIN_LIMIT_WINDOW_SECONDS"]
    _limiter().hit(f"login:ip:{ip}", window)
    user = session.scalar(select(User).where(User.phone == phone))
    if user is None:
        verify_dummy(password)
    if user is None or not verify_password(user.password_hash, password):
        _limiter().hit(f"login:phone:{phone}", window)
        record(session, actor=user, action="auth.login_failed", resource_type="user",
               resource_id=user.id if user else None, area_path=user.area_path if user else None,
               detail={"phone": phone[:3] + "****" + phone[-4:] if len(phone) >= 8 else "***"})
        # keep_writes: the failed attempt stays on record although the request fails
        raise Problem(401, "Phone number or password is incorrect.", type="invalid-credentials",
                      keep_writes=True)
    if not user.is_active:
        raise Problem(403, "This account is disabled.", type="account-disabled")
    _limiter().reset(f"login:phone:{phone}")
    user.last_login_at = utcnow()
    auth = AuthSession(id=str(uuid.uuid4()), user_id=user.id, refresh_jti="", ip=ip,
                       user_agent=(user_agent or "")[:200],
                       expires_at=utcnow() + current_app.config["JWT_REFRESH_TOKEN_EXPIRES"])
    session.add(auth)
    record(session, actor=user, action="auth.login", resource_type="user", resource_id=user.id,
           area_path=user.area_path)
    return {**issue_tokens(user, auth), "user": user}


def issue_tokens(user: User, auth: AuthSession) -> dict:
    claims = {"sid": auth.id, "role": user.role, "area_id": user.area_id}
    access = create_access_token(identity=str(user.id), additional_claims=claims)
    refresh = create_refresh_token(identity=str(user.id), additional_claims={"sid": auth.id})
    auth.refresh_jti = decode_token(refresh)["jti"]
    return {
        "access_token": access,
        "refresh_token": refresh,
        "token_type": "Bearer",
        "expires_in": int(current_app.config["JWT_ACCESS_TOKEN_EXPIRES"].total_seconds()),
    }


def refresh(session: Session, *, claims: dict, user: User) -> dict:
    """Rotate the refresh token. A refresh token used twice revokes its whole session."""
    auth = session.get(AuthSession, claims["sid"])
    if auth is None or auth.revoked_at is not None:
        raise Problem(401, "The token has been revoked.", type="unauthorized")
    grace = current_app.config["REFRESH_REUSE_GRACE_SECONDS"]
    if (claims["jti"] == auth.previous_jti and auth.refreshed_at is not None
            and auth.refreshed_at > utcnow() - timedelta(seconds=grace)):
        # Another tab or request rotated this session a moment ago: refuse, but do not revoke.
        raise Problem(401, "This refresh token was just replaced; use the newer one.", type="refresh-superseded")
    if auth.refresh_jti != claims["jti"]:
        revoke(session, auth, reason="refresh_reuse")
        record(session, actor=user, action="auth.refresh_reuse", resource_type="session", resource_id=auth.id,
               area_path=user.area_path)
        # keep_writes: the revocation stands although the request fails; the leak must stay contained.
        raise Problem(401, "The refresh token was already used; this session has been signed out for safety.",
                      type="refresh-reuse", keep_writes=True)
    auth.refreshed_at = utcnow()
    auth.previous_jti = auth.refresh_jti
    return {**issue_tokens(user, auth), "user": user}


def revoke(session: Session, auth: AuthSession, *, reason: str) -> None:
    if auth.revoked_at is None:
        auth.revoked_at = utcnow()
        auth.revoked_reason = reason


def logout(session: Session, *, sid: str, user: User) -> None:
    auth = session.get(AuthSession, sid)
    if auth is not None:
        revoke(session, auth, reason="logout")
        record(session, actor=user, action="auth.logout", resource_type="session", resource_id=sid,
               area_path=user.area_path)


# The one statement behind every authenticated request: the session's state and the user's row (role and
# area re-read on every request), with what the access rules read (household, stairwell) and what /me
# shows of the area. Plain columns on the connection: no ORM objects to build. Built once, so SQLAlchemy
# reuses its cache key and compiled form.
_SIGNED_IN = (
    select(AuthSession.revoked_at, AuthSession.expires_at,
           User.id, User.role, User.area_id, User.area_path, User.unit_id, User.resident_id, User.phone, User.name,
           User.is_active, Resident.household_id, Household.stairwell_id,
           Area.parent_id.label("area_parent_id"), Area.kind.label("area_kind"), Area.name.label("area_name"),
           Area.code.label("area_code"), Area.path.label("area_path_"), Area.depth.label("area_depth"))
    .join_from(AuthSession, User, AuthSession.user_id == User.id)
    .join(Area, Area.id == User.area_id)
    .outerjoin(Resident, Resident.id == User.resident_id)
    .outerjoin(Household, Household.id == Resident.household_id)
    .where(AuthSession.id == bindparam("sid"))
)


@dataclass(frozen=True)
class SignedIn:
    """The signed-in user (``current_user``), a :class:`~steward.scope.Principal`, read with the session
    check in one statement. ``area`` is a plain copy of the user's area (AreaOut's fields).

    Any other attribute of a User (``unit``, ``resident``, ``last_login_at`` …) is read from the ORM
    ``User``, loaded on first use (:attr:`user`). Assigning is refused (frozen): change ``.user``."""

    id: int
    role: str
    area_id: int
    area_path: str
    unit_id: int | None
    resident_id: int | None
    household_id: int | None
    stairwell_id: int | None
    phone: str
    name: str
    is_active: bool
    area: SimpleNamespace = field(compare=False)

    @property
    def user(self) -> User:
        from ..db import db

        return db.session.get(User, self.id)  # the identity map after the first time

    def __getattr__(self, name: str):
        if name.startswith("__"):
            raise AttributeError(name)
        return getattr(self.user, name)


def session_is_live(session: Session, sid: str | None, user_id: int) -> SignedIn | None:
    """The user behind a token if its session is live and the account active, else None."""
    if not sid:
        return None
    row = session.connection().execute(_SIGNED_IN, {"sid": sid}).first()
    if row is None or row.revoked_at is not None or row.expires_at < utcnow() or not row.is_active \
            or row.id != user_id:
        return None
    area = SimpleNamespace(id=row.area_id, parent_id=row.area_parent_id, kind=row.area_kind, name=row.area_name,
                           code=row.area_code, path=row.area_path_, depth=row.area_depth)
    return SignedIn(id=row.id, role=row.role, area_id=row.area_id, area_path=row.area_path, unit_id=row.unit_id,
                    resident_id=row.resident_id, household_id=row.household_id, stairwell_id=row.stairwell_id,
                    phone=row.phone, name=row.name, is_active=row.is_active, area=area)


def register(session: Session, *, phone: str, password: str, name: str, community_id: int,
             building: str, unit: str, room: str) -> User:
    """Create a resident account with a pending claim on a household of the community."""
    if session.scalar(select(User.id).where(User.phone == phone)) is not None:
        raise invalid({"phone": ["This phone number is already registered."]})
    community = session.get(Area, community_id)
    if community is None or community.kind != AreaKind.COMMUNITY:
        raise invalid({"community_id": ["No such community."]})
    household = session.scalar(
        select(Household).join(Stairwell).where(
            Stairwell.community_id == community_id, Stairwell.building == building.strip(),
            Stairwell.unit == unit.strip(), Household.room == room.strip()))
    if household is None:
        raise invalid({"room": ["No such household in this community. Check building, unit and room."]})
    user = User(phone=phone, name=name, password_hash=hash_password(password), role=Role.RESIDENT,
                area_id=community.id, area_path=community.path)
    session.add(user)
    session.flush()
    claim = HouseholdClaim(user_id=user.id, household_id=household.id, area_path=household.area_path)
    session.add(claim)
    record(session, actor=user, action="auth.register", resource_type="user", resource_id=user.id,
           area_path=community.path)
    return user


def change_password(session: Session, *, user: User, sid: str, current: str, new: str) -> None:
    """Change one's own password; every other session of the account is signed out."""
    account = session.get(User, user.id)  # the row itself: `user` may be the request's SignedIn
    if not verify_password(account.password_hash, current):
        raise invalid({"current_password": ["The current password is incorrect."]})
    account.password_hash = hash_password(new)
    others = session.scalars(select(AuthSession).where(AuthSession.user_id == user.id, AuthSession.id != sid,
                                                       AuthSession.revoked_at.is_(None)))
    for auth in others:
        revoke(session, auth, reason="password_changed")
    record(session, actor=user, action="auth.password_changed", resource_type="user", resource_id=user.id,
           area_path=user.area_path)
