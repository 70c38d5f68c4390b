"""Sign-in, token rotation, sign-out, registration and every way a password or phone changes."""
from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import timedelta
from types import SimpleNamespace

from flask import current_app
from flask_jwt_extended import create_access_token, create_refresh_token, decode_token
from sqlalchemy import bindparam, select, update
from sqlalchemy.orm import Session

from ..areas.models import Area, Household
from ..audit.service import record
from ..core.errors import Forbidden, Problem, invalid
from ..core.ratelimit import enforce, limiter, too_many
from ..db import PreparedSelect, utcnow
from ..people import service as people
from ..people.models import Resident, Role, User
from ..people.pii import mask_phone
from ..scope import require
from ..verification.models import Purpose
from ..verification.service import consume_code
from .models import AuthSession
from .passwords import hash_password, verify_dummy, verify_password

BAD_CREDENTIALS = "Phone number or password is incorrect."
LOGIN_WAIT = "Too many login attempts. Try again in {seconds} seconds."


# ------------------------------------------------------------------ sign-in limits
def _login_gate(phone: str, ip: str | None) -> None:
    """Refuse (429) before any password is checked when this phone or address has failed too often.

    Failures count per phone *and address*, so a stranger typing someone's number locks out only
    himself. Across all addresses a phone is never locked, only slowed down to one attempt per
    LOGIN_PHONE_BACKOFF_SECONDS; and a password reset by SMS code always gets the owner back in.
    """
    cfg, lim = current_app.config, limiter()
    window = cfg["LOGIN_LIMIT_WINDOW_SECONDS"]
    wait = max(lim.blocked_for(f"login:fail:{phone}|{ip}", cfg["LOGIN_LIMIT_PER_PHONE"], window),
               lim.blocked_for(f"login:ip:{ip}", cfg["LOGIN_LIMIT_PER_IP"], window))
    if not wait and lim.blocked_for(f"login:fail:{phone}", cfg["LOGIN_PHONE_BACKOFF_AFTER"], window):
        backoff = cfg["LOGIN_PHONE_BACKOFF_SECONDS"]
        wait = lim.blocked_for(f"login:slot:{phone}", 1, backoff)
        if not wait:
            lim.hit(f"login:slot:{phone}", backoff)
    if wait:
        raise too_many(wait, LOGIN_WAIT)
    lim.hit(f"login:ip:{ip}", window)


def _login_failed(phone: str, ip: str | None) -> None:
    window = current_app.config["LOGIN_LIMIT_WINDOW_SECONDS"]
    limiter().hit(f"login:fail:{phone}|{ip}", window)
    limiter().hit(f"login:fail:{phone}", window)


def _forget_failures(phone: str, ip: str | None) -> None:
    limiter().reset(f"login:fail:{phone}|{ip}")
    limiter().reset(f"login:fail:{phone}")
    limiter().reset(f"login:slot:{phone}")


def _check_current_password(user: User, password: str, field: str) -> None:
    """Re-authentication inside a session (change password or phone): wrong guesses are limited too."""
    cfg = current_app.config
    key = (f"reauth:user:{user.id}", cfg["LOGIN_LIMIT_PER_PHONE"], cfg["LOGIN_LIMIT_WINDOW_SECONDS"])
    enforce(key, hit=False)
    if not verify_password(user.password_hash, password):
        enforce(key)
        raise invalid({field: ["The current password is incorrect."]})


# ------------------------------------------------------------------ sessions and tokens
def login(session: Session, *, phone: str, password: str, ip: str | None, user_agent: str | None) -> dict:
    """Check the credentials and open a new session.

    An unknown phone, a wrong password and a disabled account get the very same answer, after the
    very same work (one argon2 verification), so none of them can be told apart from outside.
    """
    _login_gate(phone, ip)
    user = session.scalar(select(User).where(User.phone == phone))
    if user is None:
        verify_dummy(password)
        good = False
    else:
        good = verify_password(user.password_hash, password)
    if not good or not user.is_active:
        _login_failed(phone, ip)
        record(session, actor=user, action="auth.login_failed", resource_type="user",
               resource_id=user.id if user else None, area_path=user.area_path if user else None,
               detail={"phone": mask_phone(phone) if len(phone) >= 8 else "***",
                       **({"reason": "disabled"} if good else {})})
        # keep_writes: the failed attempt stays on record although the request fails
        raise Problem(401, BAD_CREDENTIALS, type="invalid-credentials", keep_writes=True)
    limiter().reset(f"login:fail:{phone}|{ip}")
    user.last_login_at = utcnow()
    auth = AuthSession(id=str(uuid.uuid4()), user_id=user.id, ip=ip, user_agent=(user_agent or "")[:200],
                       expires_at=utcnow() + current_app.config["JWT_REFRESH_TOKEN_EXPIRES"])
    tokens, auth.refresh_jti = _mint(user, auth.id)
    session.add(auth)
    record(session, actor=user, action="auth.login", resource_type="user", resource_id=user.id,
           area_path=user.area_path)
    return {**tokens, "user": user}


def _mint(user: User, sid: str) -> tuple[dict, str]:
    """A new access + refresh pair for session ``sid``, and the refresh token's jti."""
    claims = {"sid": sid, "role": user.role, "area_id": user.area_id}
    access = create_access_token(identity=str(user.id), additional_claims=claims)
    refresh = create_refresh_token(identity=str(user.id), additional_claims={"sid": sid})
    tokens = {
        "access_token": access,
        "refresh_token": refresh,
        "token_type": "Bearer",
        "expires_in": int(current_app.config["JWT_ACCESS_TOKEN_EXPIRES"].total_seconds()),
    }
    return tokens, decode_token(refresh)["jti"]


def refresh(session: Session, *, claims: dict, user: User) -> dict:
    """Rotate the refresh token. A refresh token used twice revokes its whole session.

    The rotation is one guarded UPDATE (``… WHERE refresh_jti = :presented``): of several requests
    presenting the same token at once exactly one wins, on PostgreSQL as on SQLite; the others then
    read the row as it is now and are told the token was just replaced.
    """
    sid, presented = claims["sid"], claims["jti"]
    tokens, new_jti = _mint(user, sid)
    now = utcnow()
    won = session.execute(
        update(AuthSession)
        .where(AuthSession.id == sid, AuthSession.refresh_jti == presented, AuthSession.revoked_at.is_(None))
        .values(refresh_jti=new_jti, previous_jti=presented, refreshed_at=now)
        .execution_options(synchronize_session=False)).rowcount
    if won == 1:
        return {**tokens, "user": user}
    auth = session.scalar(select(AuthSession).where(AuthSession.id == sid)
                          .execution_options(populate_existing=True))
    if auth is None or auth.revoked_at is not None:
        raise Problem(401, "The token has been revoked.", type="unauthorized")
    grace = timedelta(seconds=current_app.config["REFRESH_REUSE_GRACE_SECONDS"])
    if presented == auth.previous_jti and auth.refreshed_at is not None and auth.refreshed_at > now - grace:
        # Another tab or request rotated this session a moment ago: refuse, but do not revoke.
        raise Problem(401, "This refresh token was just replaced; use the newer one.", type="refresh-superseded")
    revoke(session, auth, reason="refresh_reuse")
    record(session, actor=user, action="auth.refresh_reuse", resource_type="session", resource_id=auth.id,
           area_path=user.area_path)
    # keep_writes: the revocation stands although the request fails; the leak must stay contained.
    raise Problem(401, "The refresh token was already used; this session has been signed out for safety.",
                  type="refresh-reuse", keep_writes=True)


def revoke(session: Session, auth: AuthSession, *, reason: str) -> None:
    if auth.revoked_at is None:
        auth.revoked_at = utcnow()
        auth.revoked_reason = reason


def revoke_all(session: Session, *, user_id: int, reason: str, keep_sid: str | None = None) -> int:
    """End every live session of a user (but ``keep_sid``); returns how many ended."""
    stmt = select(AuthSession).where(AuthSession.user_id == user_id, AuthSession.revoked_at.is_(None))
    if keep_sid:
        stmt = stmt.where(AuthSession.id != keep_sid)
    sessions = list(session.scalars(stmt))
    for auth in sessions:
        revoke(session, auth, reason=reason)
    return len(sessions)


def logout(session: Session, *, sid: str, user: User) -> None:
    auth = session.get(AuthSession, sid)
    if auth is not None:
        revoke(session, auth, reason="logout")
        record(session, actor=user, action="auth.logout", resource_type="session", resource_id=sid,
               area_path=user.area_path)


# The one statement behind every authenticated request: the session's state and the user's row (role and
# area re-read on every request), with what the access rules read (household, stairwell). Plain columns
# on the connection: no ORM objects to build. Built once, so SQLAlchemy reuses its cache key and
# compiled form.
_SIGNED_IN = (
    select(AuthSession.revoked_at, AuthSession.expires_at,
           User.id, User.role, User.area_id, User.area_path, User.unit_id, User.resident_id, User.phone, User.name,
           User.is_active, User.must_change_password, User.is_unit_admin, Resident.household_id, Household.stairwell_id,
           *(c.label(f"area__{c.key}") for c in Area.__table__.c if c.key != "created_at"))
    .join_from(AuthSession, User, AuthSession.user_id == User.id)
    .join(Area, Area.id == User.area_id)
    .outerjoin(Resident, Resident.id == User.resident_id)
    .outerjoin(Household, Household.id == Resident.household_id)
    .where(AuthSession.id == bindparam("sid"))
)


_SIGNED_IN_PREPARED = PreparedSelect(_SIGNED_IN)
AREA_COLUMNS = [c for c in Area.__table__.c if c.key != "created_at"]


@dataclass(frozen=True)
class SignedIn:
    """The signed-in user (``current_user``), a :class:`~steward.scope.Principal`, read with the session
    check in one statement. ``area`` is the ORM Area (loaded on first use).

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
    must_change_password: bool
    # The area's columns as read with the session (what /me shows of it); ``area`` is the ORM Area.
    area_row: SimpleNamespace = field(compare=False, repr=False)
    is_unit_admin: bool = False  # a partner account managing its unit's API clients and webhooks

    @property
    def area(self) -> Area:
        from ..db import db

        return db.session.get(Area, self.area_id)

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
    row = _SIGNED_IN_PREPARED.first(session.connection(), {"sid": sid})
    if row is None or row.revoked_at is not None or row.expires_at < utcnow() or not row.is_active \
            or row.id != user_id:
        return None
    return SignedIn(id=row.id, role=row.role, area_id=row.area_id, area_path=row.area_path, unit_id=row.unit_id,
                    resident_id=row.resident_id, household_id=row.household_id, stairwell_id=row.stairwell_id,
                    phone=row.phone, name=row.name, is_active=row.is_active,
                    must_change_password=row.must_change_password, is_unit_admin=row.is_unit_admin,
                    area_row=SimpleNamespace(**{c.key: getattr(row, f"area__{c.key}") for c in AREA_COLUMNS}))


# ------------------------------------------------------------------ registration and recovery
def _attempt_limit(kind: str, phone: str, ip: str | None) -> None:
    cfg = current_app.config
    window = cfg["REGISTER_LIMIT_WINDOW_SECONDS"]
    enforce((f"{kind}:phone:{phone}", cfg["REGISTER_LIMIT_PER_PHONE"], window),
            (f"{kind}:ip:{ip}", cfg["REGISTER_LIMIT_PER_IP"], window))


def _phone_taken(session: Session, phone: str) -> bool:
    return session.scalar(select(User.id).where(User.phone == phone)) is not None


def register(session: Session, *, phone: str, code: str, password: str, name: str, household_id: int,
             accept_privacy: bool, ip: str | None) -> User:
    """Create a resident account with a pending claim on a household, once the phone is proven.

    The cheap checks (limits, household, code, duplicate phone) run before the costly password hash.
    """
    _attempt_limit("register", phone, ip)
    household = session.get(Household, household_id)
    if household is None:
        raise invalid({"household_id": ["No such household."]})
    consume_code(session, phone=phone, purpose=Purpose.REGISTER, code=code)
    if _phone_taken(session, phone):  # told only to whoever proved they hold the phone
        raise invalid({"phone": ["This phone number is already registered. Sign in, or reset your password."]})
    community = session.get(Area, household.stairwell.community_id)
    user = User(phone=phone, name=name, password_hash=hash_password(password), role=Role.RESIDENT,
                area_id=community.id, area_path=community.path,
                privacy_version=current_app.config["PRIVACY_POLICY_VERSION"], privacy_accepted_at=utcnow())
    session.add(user)
    session.flush()
    people.open_claim(session, user=user, household=household)
    record(session, actor=user, action="auth.register", resource_type="user", resource_id=user.id,
           area_path=community.path, detail={"privacy_version": user.privacy_version})
    return user


def reset_password(session: Session, *, phone: str, code: str, new_password: str, ip: str | None) -> None:
    """Forgotten password: a code sent to the phone proves the owner. Every session of the account ends.

    An unknown phone fails exactly like a wrong code (no code was ever sent to it).
    """
    _attempt_limit("reset", phone, ip)
    consume_code(session, phone=phone, purpose=Purpose.RESET_PASSWORD, code=code)
    user = session.scalar(select(User).where(User.phone == phone))
    if user is None:
        raise invalid({"code": ["The code is wrong or has expired. Request a new one."]})
    user.password_hash = hash_password(new_password)
    user.must_change_password = False
    ended = revoke_all(session, user_id=user.id, reason="password_reset")
    _forget_failures(phone, ip)
    record(session, actor=user, action="auth.password_reset", resource_type="user", resource_id=user.id,
           area_path=user.area_path, detail={"by": "sms_code", "sessions_ended": ended})


def change_password(session: Session, *, user: User, sid: str, current: str, new: str) -> None:
    """Change one's own password; every other session of the account is signed out."""
    account = session.get(User, user.id)  # the row itself: `user` may be the request's SignedIn
    _check_current_password(account, current, "current_password")
    account.password_hash = hash_password(new)
    account.must_change_password = False
    revoke_all(session, user_id=user.id, reason="password_changed", keep_sid=sid)
    record(session, actor=user, action="auth.password_changed", resource_type="user", resource_id=user.id,
           area_path=user.area_path)


def change_phone(session: Session, *, user: User, sid: str, new_phone: str, code: str, password: str) -> User:
    """Move the account to a new phone, proven by a code sent to it; other devices are signed out."""
    user = session.get(User, user.id)  # the row itself: `user` may be the request's SignedIn
    _check_current_password(user, password, "password")
    if new_phone == user.phone:
        raise invalid({"new_phone": ["This is already your phone number."]})
    consume_code(session, phone=new_phone, purpose=Purpose.CHANGE_PHONE, code=code, user=user)
    if _phone_taken(session, new_phone):
        raise invalid({"new_phone": ["This phone number is already registered."]})
    old = user.phone
    user.phone = new_phone
    if user.resident is not None and user.resident.phone == old:
        user.resident.phone = new_phone
    revoke_all(session, user_id=user.id, reason="phone_changed", keep_sid=sid)
    record(session, actor=user, action="auth.phone_changed", resource_type="user", resource_id=user.id,
           area_path=user.area_path, detail={"from": mask_phone(old), "to": mask_phone(new_phone)})
    return user


def reset_by_staff(session: Session, *, actor: User, user_id: int, new_password: str) -> None:
    """Staff set someone's password: all their sessions end and they must choose a new one at sign-in.

    One's own password changes only through POST /me/password, with the current password.
    """
    target = people.get_user(session, user=actor, user_id=user_id)
    if target.id == actor.id:
        raise Forbidden("Change your own password with your current password (POST /me/password).",
                        type="own-password")
    require(actor, "reset_password", target)
    target.password_hash = hash_password(new_password)
    target.must_change_password = True
    ended = revoke_all(session, user_id=target.id, reason="password_reset")
    record(session, actor=actor, action="user.password_reset", resource_type="user", resource_id=target.id,
           area_path=target.area_path, detail={"sessions_ended": ended})

