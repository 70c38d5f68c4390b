"""Residents, household claims and users: queries and rules."""
from __future__ import annotations

import functools
from types import SimpleNamespace

from sqlalchemy import bindparam, exists, func, or_, select
from sqlalchemy.orm import Session, aliased, joinedload

from ..alliances.models import Unit
from ..areas.models import Area, AreaKind, Household, Stairwell
from ..audit.service import record
from ..auth.passwords import hash_password
from ..core.errors import invalid
from ..core.pagination import Page, page_of, page_statement, paginate
from ..core.transitions import transition
from ..db import rows_connection, utcnow
from ..scope import PrincipalKey, find_for, get_for, manages, principal_key, require, scoped, visible
from . import pii
from .access import RANK, REVEAL_ROLES
from .models import HouseholdClaim, Resident, ResidentTag, Role, User

RESIDENT_LOAD = (
    joinedload(Resident.household).joinedload(Household.stairwell).joinedload(Stairwell.grid),
    joinedload(Resident.household).joinedload(Household.stairwell).joinedload(Stairwell.community),
)


# ------------------------------------------------------------------ residents
# The list reads plain columns and writes ResidentOut's JSON shape itself: a page of 20 through the
# four-entity joined load above and marshmallow cost ~2.5 ms of CPU, as rows and dicts a fraction of it.
# tests/backend/test_residents.py holds every list item equal to ResidentOut's dump of the same resident
# (masking included), so the two cannot drift apart.
_GRID, _COMMUNITY = aliased(Area, name="grid"), aliased(Area, name="community")
_LIST = (
    select(Resident.id, Resident.name, Resident.gender, Resident.birth_date, Resident.phone, Resident.id_card_hint,
           Resident.version, Resident.created_at, Resident.updated_at, Resident.household_id,
           Household.room, Household.stairwell_id, Stairwell.building, Stairwell.unit,
           _GRID.id.label("grid_id"), _GRID.name.label("grid_name"), _GRID.code.label("grid_code"),
           _COMMUNITY.id.label("community_id"), _COMMUNITY.name.label("community_name"),
           _COMMUNITY.code.label("community_code"),
           select(func.aggregate_strings(ResidentTag.tag, ",")).where(ResidentTag.resident_id == Resident.id)
           .scalar_subquery().label("tags"))
    .join_from(Resident, Household, Resident.household_id == Household.id)
    .join(Stairwell, Household.stairwell_id == Stairwell.id)
    .join(_GRID, Stairwell.grid_id == _GRID.id)
    .join(_COMMUNITY, Stairwell.community_id == _COMMUNITY.id)
)


def _resident_out(row, stairwells: dict) -> dict:
    """ResidentOut's dump of the resident in ``row`` (a row of ``_LIST``)."""
    where = stairwells.get(row.stairwell_id)
    if where is None:
        community = {"id": row.community_id, "name": row.community_name, "code": row.community_code}
        stairwell = SimpleNamespace(community=SimpleNamespace(name=row.community_name),
                                    label=Stairwell.label.fget(row))
        where = stairwells[row.stairwell_id] = (
            stairwell, {"id": row.grid_id, "name": row.grid_name, "code": row.grid_code}, community)
    stairwell, grid, community = where
    birth_date, created_at, updated_at = row.birth_date, row.created_at, row.updated_at
    return {
        "id": row.id, "name": row.name, "gender": row.gender,
        "birth_date": birth_date.isoformat() if birth_date is not None else None,
        "phone": pii.mask_phone(row.phone), "id_card": row.id_card_hint,
        "tags": sorted(row.tags.split(",")) if row.tags else [],
        "household": {"id": row.household_id, "room": row.room,
                      "address": Household.address.fget(SimpleNamespace(stairwell=stairwell, room=row.room))},
        "grid": grid, "community": community, "version": row.version,
        "created_at": created_at.isoformat() if created_at is not None else None,
        "updated_at": updated_at.isoformat() if updated_at is not None else None,
    }


@functools.lru_cache(maxsize=1024)
def _list_statement(p: PrincipalKey, q: str | None, tags: tuple[str, ...], area_path: str | None,
                    household_id: int | None, limit: int, cursor: str | None = None):
    """The page's statement, kept per principal and filters (not per cursor: see list_residents).

    Reusing the statement object spares SQLAlchemy walking a new one for its cache key on every
    request (~0.2 ms for this query); the compiled SQL is shared either way."""
    stmt = _LIST.where(visible(p, Resident))
    if q:
        stmt = stmt.where(_name_or_phone(p, q, Resident.name, Resident.phone))
    for value in tags:
        stmt = stmt.where(exists().where(ResidentTag.resident_id == Resident.id, ResidentTag.tag == value))
    if area_path is not None:
        stmt = stmt.where(Resident.area_path.startswith(area_path))
    if household_id is not None:
        stmt = stmt.where(Resident.household_id == household_id)
    return page_statement(stmt, keys=_LIST_KEYS, cursor=cursor, limit=limit)


_LIST_KEYS = (Resident.id,)


def list_residents(session: Session, *, user: User, q: str | None = None, tag: list[str] | None = None,
                   area_id: int | None = None, household_id: int | None = None,
                   cursor: str | None, limit: int) -> Page:
    area_path = get_for(session, user, Area, area_id).path if area_id is not None else None
    args = (principal_key(user), q, tuple(tag or ()), area_path, household_id, limit)
    # First pages come again and again; a cursor or a search is seldom asked twice: built afresh.
    stmt = _list_statement.__wrapped__(*args, cursor) if cursor or q else _list_statement(*args)
    page = page_of(rows_connection(session).execute(stmt).all(), keys=_LIST_KEYS, limit=limit)
    stairwells: dict = {}
    return Page([_resident_out(row, stairwells) for row in page.items], page.next_cursor, dumped=True)


def _name_or_phone(user, q: str, name_col, phone_col):
    """Search by name; by phone only for roles that may see full phones, and only by the whole
    number or its last four digits (which the mask shows anyway). A substring search would let a
    caller recover masked digits one at a time."""
    by_name = name_col.contains(q, autoescape=True)
    if user.role not in REVEAL_ROLES["phone"] or not q.isdigit():
        return by_name
    if len(q) == 11:
        return or_(by_name, phone_col == q)
    if len(q) == 4:
        return or_(by_name, phone_col.endswith(q, autoescape=True))
    return by_name


def get_resident(session: Session, *, user: User, resident_id: int, action: str = "read") -> Resident:
    return get_for(session, user, Resident, resident_id, action, *RESIDENT_LOAD)


def _set_id_card(session: Session, resident: Resident, value: str | None) -> None:
    if value is None:
        resident.id_card_cipher = resident.id_card_digest = resident.id_card_hint = None
        return
    d = pii.digest(value)
    clash = session.scalar(select(Resident.id).where(Resident.id_card_digest == d))
    if clash is not None and clash != resident.id:
        raise invalid({"id_card": ["This ID card number is already registered to another resident."]})
    resident.id_card_cipher = pii.encrypt(value)
    resident.id_card_digest = d
    resident.id_card_hint = pii.mask_id_card(value)


def _household_for_write(session: Session, user: User, household_id: int) -> Household:
    household = find_for(session, user, Household, household_id)
    if household is None:
        raise invalid({"household_id": ["No such household."]})
    require(user, "add_member", household)
    return household


def create_resident(session: Session, *, user: User, data: dict) -> Resident:
    household = _household_for_write(session, user, data["household_id"])
    resident = Resident(household_id=household.id, area_path=household.area_path, name=data["name"],
                        gender=data.get("gender"), birth_date=data.get("birth_date"), phone=data.get("phone"))
    if data.get("tags") and manages(user, household.area_path):  # the committee's judgement
        resident.tags = data["tags"]
    _set_id_card(session, resident, data.get("id_card"))
    session.add(resident)
    session.flush()
    record(session, actor=user, action="resident.create", resource_type="resident", resource_id=resident.id,
           area_path=resident.area_path)
    return get_resident(session, user=user, resident_id=resident.id)


def update_resident(session: Session, *, user: User, resident: Resident, data: dict) -> Resident:
    """Change a resident the caller may ``update`` (checked by :func:`get_resident`)."""
    changed = sorted(data)
    if "household_id" in data and data["household_id"] != resident.household_id:
        require(user, "move", resident)
        target = _household_for_write(session, user, data["household_id"])
        resident.household_id, resident.area_path = target.id, target.area_path
        resident.household = target
    if "tags" in data:
        require(user, "tag", resident)
        resident.tags = data["tags"]
    if "id_card" in data:
        _set_id_card(session, resident, data["id_card"])
    for key in ("name", "gender", "birth_date", "phone"):
        if key in data:
            setattr(resident, key, data[key])
    resident.updated_at = utcnow()  # also bumps the version when only tags changed
    session.flush()
    record(session, actor=user, action="resident.update", resource_type="resident", resource_id=resident.id,
           area_path=resident.area_path, detail={"fields": changed})
    return resident


def delete_resident(session: Session, *, user: User, resident: Resident) -> None:
    """Remove a resident the caller may ``delete`` (checked by :func:`get_resident`)."""
    record(session, actor=user, action="resident.delete", resource_type="resident", resource_id=resident.id,
           area_path=resident.area_path, detail={"name": resident.name})
    session.execute(User.__table__.update().where(User.resident_id == resident.id).values(resident_id=None))
    session.delete(resident)


def reveal(session: Session, *, user: User, resident: Resident, fields: list[str]) -> dict:
    """Full phone / ID-card number for roles that need them; every reveal is audited."""
    for name in fields:
        require(user, f"reveal_{name}", resident)
    out: dict = {}
    if "phone" in fields:
        out["phone"] = resident.phone
    if "id_card" in fields:
        out["id_card"] = pii.decrypt(resident.id_card_cipher) if resident.id_card_cipher else None
    record(session, actor=user, action="resident.reveal", resource_type="resident", resource_id=resident.id,
           area_path=resident.area_path, detail={"fields": sorted(fields)})
    return out


# ------------------------------------------------------------------ household claims
def _claim_load():
    return (joinedload(HouseholdClaim.user),
            joinedload(HouseholdClaim.household).joinedload(Household.stairwell).joinedload(Stairwell.community),
            joinedload(HouseholdClaim.household).joinedload(Household.stairwell).joinedload(Stairwell.grid))


# /me shows the latest claim's id, status, note and address (ClaimBrief): read just those, in one
# prebuilt statement, rather than the claim with its user, household, stairwell, grid and community.
_LATEST_CLAIM = (
    select(HouseholdClaim.id, HouseholdClaim.status, HouseholdClaim.note, Household.room,
           Stairwell.building, Stairwell.unit, Area.name.label("community_name"))
    .join_from(HouseholdClaim, Household, HouseholdClaim.household_id == Household.id)
    .join(Stairwell, Household.stairwell_id == Stairwell.id)
    .join(Area, Stairwell.community_id == Area.id)
    .where(HouseholdClaim.user_id == bindparam("user_id"))
    .order_by(HouseholdClaim.id.desc()).limit(1)
)


def latest_claim(session: Session, user: User) -> SimpleNamespace | None:
    """The user's latest household claim as ClaimBrief reads it (``household.address`` included)."""
    row = rows_connection(session).execute(_LATEST_CLAIM, {"user_id": user.id}).first()
    if row is None:
        return None
    stairwell = SimpleNamespace(community=SimpleNamespace(name=row.community_name), label=Stairwell.label.fget(row))
    household = SimpleNamespace(room=row.room, stairwell=stairwell)
    household.address = Household.address.fget(household)
    return SimpleNamespace(id=row.id, status=row.status, note=row.note, household=household)


def list_claims(session: Session, *, user: User, status: str | None = None, cursor: str | None,
                limit: int) -> Page[HouseholdClaim]:
    stmt = scoped(user, HouseholdClaim, *_claim_load())
    if status:
        stmt = stmt.where(HouseholdClaim.status == status)
    return paginate(session, stmt, keys=[HouseholdClaim.id], cursor=cursor, limit=limit)


CLAIM_STEPS = {"pending": ["approve", "reject"], "approved": [], "rejected": []}


def review_claim(session: Session, *, user: User, claim_id: int, decision: str,
                 note: str | None = None) -> HouseholdClaim:
    """Approve (link the account to a resident of the household, creating one if needed) or reject.

    The pending → decided step is a guarded UPDATE, so two reviewers deciding at once produce one
    decision and one 409, never two residents."""
    claim = get_for(session, user, HouseholdClaim, claim_id, "review", *_claim_load())
    status = "approved" if decision == "approve" else "rejected"
    transition(session, claim, to=status, allowed_from=["pending"], allowed_now=CLAIM_STEPS,
               reviewed_by_id=user.id, reviewed_at=utcnow(), note=note)
    if claim.status == "approved":
        claimant = claim.user
        resident = session.scalar(select(Resident).where(Resident.household_id == claim.household_id,
                                                         Resident.phone == claimant.phone))
        if resident is None:
            resident = Resident(household_id=claim.household_id, area_path=claim.household.area_path,
                                name=claimant.name, phone=claimant.phone)
            session.add(resident)
            session.flush()
        claimant.resident_id = resident.id
    record(session, actor=user, action=f"claim.{claim.status}", resource_type="household_claim",
           resource_id=claim.id, area_path=claim.area_path)
    return claim


# ------------------------------------------------------------------ users
ROLE_AREA_KINDS = {
    Role.ADMIN: {AreaKind.TOWN}, Role.TOWN_STAFF: {AreaKind.TOWN}, Role.STAFF: {AreaKind.COMMUNITY},
    Role.PARTNER: {AreaKind.COMMUNITY}, Role.RESIDENT: {AreaKind.COMMUNITY},
    Role.VOLUNTEER: {AreaKind.COMMUNITY, AreaKind.SECTION, AreaKind.GRID},
}


def list_users(session: Session, *, user: User, role: str | None = None, q: str | None = None,
               cursor: str | None, limit: int) -> Page[User]:
    stmt = scoped(user, User)
    if role:
        stmt = stmt.where(User.role == role)
    if q:
        stmt = stmt.where(_name_or_phone(user, q, User.name, User.phone))
    return paginate(session, stmt, keys=[User.id], cursor=cursor, limit=limit)


def _check_assignment(session: Session, actor: User, role: str, area_id: int) -> Area:
    area = session.get(Area, area_id)
    if area is None:
        raise invalid({"area_id": ["No such area."]})
    outranks = RANK[Role(role)] >= RANK[Role(actor.role)] and actor.role != Role.ADMIN
    if outranks or not manages(actor, area.path):
        raise invalid({"role": ["You cannot assign a role above your own or an area outside your scope."]})
    if area.kind not in ROLE_AREA_KINDS[Role(role)]:
        kind = sorted(ROLE_AREA_KINDS[Role(role)])[0]
        raise invalid({"area_id": [f"This role needs an area of kind {kind}."]})
    return area


def _visible_unit(session: Session, actor: User, unit_id: int | None) -> int | None:
    if unit_id is not None and session.scalar(scoped(actor, Unit).where(Unit.id == unit_id)) is None:
        raise invalid({"unit_id": ["No such unit."]})
    return unit_id


def create_user(session: Session, *, user: User, data: dict) -> User:
    if session.scalar(select(User.id).where(User.phone == data["phone"])) is not None:
        raise invalid({"phone": ["This phone number is already registered."]})
    area = _check_assignment(session, user, data["role"], data["area_id"])
    resident_id = data.get("resident_id")
    if resident_id is not None and session.scalar(scoped(user, Resident).where(Resident.id == resident_id)) is None:
        raise invalid({"resident_id": ["No such resident."]})
    new = User(phone=data["phone"], name=data["name"], role=data["role"], area_id=area.id, area_path=area.path,
               password_hash=hash_password(data["password"]), resident_id=resident_id,
               unit_id=_visible_unit(session, user, data.get("unit_id")))
    session.add(new)
    session.flush()
    record(session, actor=user, action="user.create", resource_type="user", resource_id=new.id,
           area_path=new.area_path, detail={"role": new.role})
    return new


def update_user(session: Session, *, user: User, user_id: int, data: dict) -> User:
    target = get_for(session, user, User, user_id, "update")
    if "role" in data or "area_id" in data:
        area = _check_assignment(session, user, data.get("role", target.role), data.get("area_id", target.area_id))
        target.role, target.area_id, target.area_path = data.get("role", target.role), area.id, area.path
    if "unit_id" in data:
        target.unit_id = _visible_unit(session, user, data["unit_id"])
    if "password" in data:
        target.password_hash = hash_password(data["password"])
    for key in ("name", "is_active"):
        if key in data:
            setattr(target, key, data[key])
    record(session, actor=user, action="user.update", resource_type="user", resource_id=target.id,
           area_path=target.area_path, detail={"fields": sorted(k for k in data if k != "password")})
    return target
