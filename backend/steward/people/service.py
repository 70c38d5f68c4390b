"""Residents, household claims and users: queries and rules."""
from __future__ import annotations

from sqlalchemy import exists, or_, select
from sqlalchemy.orm import Session, joinedload

from ..alliances.models import Unit
from ..areas.models import Area, AreaKind, Household, Stairwell
from ..audit.service import record
from ..auth.passwords import hash_password
from ..core.errors import Problem, forbidden, invalid
from ..core.pagination import Page, paginate
from ..db import utcnow
from ..scope import get_visible, in_scope, scoped
from . import pii
from .models import HouseholdClaim, Resident, ResidentTag, Role, User

RESIDENT_LOAD = (
    joinedload(Resident.household).joinedload(Household.stairwell).joinedload(Stairwell.grid),
    joinedload(Resident.household).joinedload(Household.stairwell).joinedload(Stairwell.community),
)
REVEAL_ROLES = {
    "phone": {Role.ADMIN, Role.TOWN_STAFF, Role.STAFF, Role.VOLUNTEER},
    "id_card": {Role.ADMIN, Role.TOWN_STAFF, Role.STAFF},
}


# ------------------------------------------------------------------ residents
def list_residents(session: Session, *, user: User, q: str | None = None, tag: list[str] | None = None,
                   area_id: int | None = None, household_id: int | None = None,
                   cursor: str | None, limit: int) -> Page[Resident]:
    stmt = scoped(user, Resident, *RESIDENT_LOAD)
    if q:
        stmt = stmt.where(or_(Resident.name.contains(q, autoescape=True), Resident.phone.contains(q, autoescape=True)))
    for value in tag or []:
        stmt = stmt.where(exists().where(ResidentTag.resident_id == Resident.id, ResidentTag.tag == value))
    if area_id is not None:
        area = get_visible(session, user, Area, area_id)
        stmt = stmt.where(Resident.area_path.startswith(area.path))
    if household_id is not None:
        stmt = stmt.where(Resident.household_id == household_id)
    return paginate(session, stmt, keys=[Resident.id], cursor=cursor, limit=limit)


def get_resident(session: Session, *, user: User, resident_id: int) -> Resident:
    return get_visible(session, user, Resident, resident_id, *RESIDENT_LOAD)


def _may_write_household(user: User, household: Household) -> bool:
    if user.role == Role.RESIDENT:
        return user.resident is not None and user.resident.household_id == household.id
    return in_scope(user, household.area_path)


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
    household = session.scalar(scoped(user, Household).where(Household.id == household_id))
    if household is None:
        raise invalid({"household_id": ["No such household."]})
    if not _may_write_household(user, household):
        raise forbidden()
    return household


def create_resident(session: Session, *, user: User, data: dict) -> Resident:
    household = _household_for_write(session, user, data["household_id"])
    resident = Resident(household_id=household.id, area_path=household.area_path, name=data["name"],
                        gender=data.get("gender"), birth_date=data.get("birth_date"), phone=data.get("phone"))
    if user.role != Role.RESIDENT:  # tags are the committee's judgement, not self-declared
        resident.tags = data.get("tags", [])
    _set_id_card(session, resident, data.get("id_card"))
    session.add(resident)
    session.flush()
    record(session, actor=user, action="resident.create", resource_type="resident", resource_id=resident.id,
           area_path=resident.area_path)
    return get_resident(session, user=user, resident_id=resident.id)


def update_resident(session: Session, *, user: User, resident: Resident, data: dict) -> Resident:
    if not _may_write_household(user, resident.household):
        raise forbidden()
    changed = sorted(data)
    if "household_id" in data and data["household_id"] != resident.household_id:
        if user.role == Role.RESIDENT:
            raise forbidden()
        target = _household_for_write(session, user, data["household_id"])
        resident.household_id, resident.area_path = target.id, target.area_path
        resident.household = target
    if "tags" in data:
        if user.role == Role.RESIDENT:
            raise forbidden()
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
    if user.role == Role.RESIDENT or not _may_write_household(user, resident.household):
        raise forbidden()
    record(session, actor=user, action="resident.delete", resource_type="resident", resource_id=resident.id,
           area_path=resident.area_path, detail={"name": resident.name})
    session.execute(User.__table__.update().where(User.resident_id == resident.id).values(resident_id=None))
    session.delete(resident)


def reveal(session: Session, *, user: User, resident: Resident, fields: list[str]) -> dict:
    """Full phone / ID-card number for roles that need them; every reveal is audited."""
    for name in fields:
        if user.role not in REVEAL_ROLES[name]:
            raise forbidden()
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


def latest_claim(session: Session, user: User) -> HouseholdClaim | None:
    return session.scalar(select(HouseholdClaim).options(*_claim_load()).where(HouseholdClaim.user_id == user.id)
                          .order_by(HouseholdClaim.id.desc()).limit(1))


def list_claims(session: Session, *, user: User, status: str | None = None, cursor: str | None,
                limit: int) -> Page[HouseholdClaim]:
    stmt = scoped(user, HouseholdClaim, *_claim_load())
    if status:
        stmt = stmt.where(HouseholdClaim.status == status)
    return paginate(session, stmt, keys=[HouseholdClaim.id], cursor=cursor, limit=limit)


def review_claim(session: Session, *, user: User, claim_id: int, decision: str,
                 note: str | None = None) -> HouseholdClaim:
    """Approve (link the account to a resident of the household, creating one if needed) or reject."""
    claim = get_visible(session, user, HouseholdClaim, claim_id, *_claim_load())
    if not in_scope(user, claim.area_path):
        raise forbidden()
    if claim.status != "pending":
        raise Problem(409, "This claim was already reviewed.", type="claim-reviewed")
    claim.status = "approved" if decision == "approve" else "rejected"
    claim.reviewed_by_id, claim.reviewed_at, claim.note = user.id, utcnow(), note
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
RANK = {Role.RESIDENT: 0, Role.VOLUNTEER: 0, Role.PARTNER: 0, Role.STAFF: 1, Role.TOWN_STAFF: 2, Role.ADMIN: 3}
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
        stmt = stmt.where(or_(User.name.contains(q, autoescape=True), User.phone.contains(q, autoescape=True)))
    return paginate(session, stmt, keys=[User.id], cursor=cursor, limit=limit)


def _check_assignment(session: Session, actor: User, role: str, area_id: int) -> Area:
    area = session.get(Area, area_id)
    if area is None:
        raise invalid({"area_id": ["No such area."]})
    outranks = RANK[Role(role)] >= RANK[Role(actor.role)] and actor.role != Role.ADMIN
    if outranks or not in_scope(actor, area.path):
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
    target = get_visible(session, user, User, user_id)
    if target.id != user.id and RANK[Role(target.role)] >= RANK[Role(user.role)] and user.role != Role.ADMIN:
        raise forbidden()
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
