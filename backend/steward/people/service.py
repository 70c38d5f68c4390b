"""Residents, household claims and users: queries and rules."""
from __future__ import annotations

import functools
from dataclasses import dataclass
from types import SimpleNamespace

from sqlalchemy import bindparam, exists, func, or_, select
from sqlalchemy.orm import Session, aliased, joinedload

from ..alliances.models import Unit
from ..areas.models import Area, AreaKind, Household, Stairwell
from ..audit.service import record
from ..auth.passwords import hash_password
from ..core.errors import Conflict, forbidden, invalid
from ..core.http import Dumped
from ..core.pagination import Page, page_of, page_statement, paginate
from ..core.transitions import transition
from ..db import PreparedSelect, rows_connection, utcnow
from ..scope import MANAGER_ROLES, PrincipalKey, find_for, get_for, manages, principal_key, require, scoped, visible
from . import pii
from .access import RANK, REVEAL_ROLES, SELF_SERVICE
from .models import STAFF_ROLES, HouseholdClaim, Resident, ResidentTag, Role, User

RESIDENT_LOAD = (
    joinedload(Resident.household).joinedload(Household.stairwell).joinedload(Stairwell.grid),
    joinedload(Resident.household).joinedload(Household.stairwell).joinedload(Stairwell.community),
)


# ------------------------------------------------------------------ residents
# The list reads plain columns and writes ResidentOut's JSON shape itself: a page of 20 through the
# four-entity joined load above and marshmallow cost ~2.5 ms of CPU, as rows and dicts a fraction of it.
# tests/backend/test_fast_paths.py holds every list item equal to ResidentOut's dump of the same resident
# (masking included), so the two cannot drift apart.
_GRID, _COMMUNITY = aliased(Area, name="grid"), aliased(Area, name="community")
_LIST = (
    select(Resident.id, Resident.name, Resident.gender, Resident.birth_date, Resident.phone, Resident.id_card_hint,
           Resident.id_card_conflict, Resident.version, Resident.created_at, Resident.updated_at,
           Resident.household_id, Household.room, Household.stairwell_id, Stairwell.building, Stairwell.unit,
           _GRID.id.label("grid_id"), _GRID.name.label("grid_name"), _GRID.code.label("grid_code"),
           _GRID.kind.label("grid_kind"),
           _COMMUNITY.id.label("community_id"), _COMMUNITY.name.label("community_name"),
           _COMMUNITY.code.label("community_code"),
           select(func.aggregate_strings(ResidentTag.tag, ",")).where(ResidentTag.resident_id == Resident.id)
           .scalar_subquery().label("tags"))
    .join_from(Resident, Household, Resident.household_id == Household.id)
    .join(Stairwell, Household.stairwell_id == Stairwell.id)
    .join(_GRID, Stairwell.grid_id == _GRID.id)
    .join(_COMMUNITY, Stairwell.community_id == _COMMUNITY.id)
)
_LIST_KEYS = (Resident.id,)


def _resident_out(row, stairwells: dict, staff: bool) -> dict:
    """ResidentOut's dump of the resident in ``row`` (a row of ``_LIST``, unpacked in its column order:
    a Row's attributes cost a lookup each)."""
    (id_, name, gender, birth_date, phone, id_card_hint, id_card_conflict, version, created_at, updated_at,
     household_id, room, stairwell_id, building, unit, grid_id, grid_name, grid_code, grid_kind,
     community_id, community_name, community_code, tags) = row[:23]
    where = stairwells.get(stairwell_id)
    if where is None:
        stairwell = SimpleNamespace(community=SimpleNamespace(name=community_name), building=building, unit=unit)
        stairwell.label = Stairwell.label.fget(stairwell)
        grid_full = grid_name if grid_kind in (AreaKind.TOWN, AreaKind.COMMUNITY) \
            else f"{community_name} {grid_name}"  # as Area.full_name
        where = stairwells[stairwell_id] = (
            stairwell, {"id": grid_id, "name": grid_name, "full_name": grid_full, "code": grid_code},
            {"id": community_id, "name": community_name, "full_name": community_name, "code": community_code})
    stairwell, grid, community = where
    return {
        "id": id_, "name": name, "gender": gender,
        "birth_date": birth_date.isoformat() if birth_date is not None else None,
        "phone": pii.mask_phone(phone), "id_card": id_card_hint,
        "id_card_conflict": staff and bool(id_card_conflict),
        "tags": sorted(tags.split(",")) if tags else [],
        "household": {"id": household_id, "room": room,
                      "address": Household.compose_address(community_name, stairwell.label, room)},
        "grid": grid, "community": community, "version": version,
        "created_at": created_at.isoformat() if created_at is not None else None,
        "updated_at": updated_at.isoformat() if updated_at is not None else None,
    }


_COUNT = select(func.count()).select_from(Resident)


def _filtered(base, p: PrincipalKey, q: str | None, tags: tuple[str, ...], area_path: str | None,
              household_id: int | None, building: str | None, id_card_conflict: bool | None):
    """``base`` (the page's columns, or a count) limited to what ``p`` sees and to the filters."""
    stmt = base.where(visible(p, Resident))
    if q:
        stmt = stmt.where(_name_or_phone(p, q, Resident.name, Resident.phone))
    for value in tags:
        stmt = stmt.where(exists().where(ResidentTag.resident_id == Resident.id, ResidentTag.tag == value))
    if area_path is not None:
        stmt = stmt.where(Resident.area_path.startswith(area_path))
    if household_id is not None:
        stmt = stmt.where(Resident.household_id == household_id)
    if building is not None:
        stmt = stmt.where(Resident.household_id.in_(
            select(Household.id).join(Stairwell).where(Stairwell.building == building)))
    if id_card_conflict is not None:
        stmt = stmt.where(Resident.id_card_conflict.is_(id_card_conflict))
    return stmt


def _page(filters: tuple, limit: int, cursor: str | None):
    """The page's statement with ``total``, the count over every page, as a column (an uncorrelated
    subquery: the database computes it once). The count reads residents alone (every resident has its
    household, stairwell, grid and community), not the page's joins and tags."""
    total = _filtered(_COUNT, *filters).scalar_subquery().label("total")
    return page_statement(_filtered(_LIST, *filters).add_columns(total), keys=_LIST_KEYS, cursor=cursor, limit=limit)


@functools.lru_cache(maxsize=1024)
def _first_page(filters: tuple, limit: int):
    """The first page's statement, kept per principal and filters: reusing the statement object spares
    SQLAlchemy walking a new one for its cache key on every request (~0.2 ms here); the compiled SQL is
    shared either way."""
    return _page(filters, limit, None)


def list_residents(session: Session, *, user: User, q: str | None = None, tag: list[str] | None = None,
                   area_id: int | None = None, household_id: int | None = None, building: str | None = None,
                   id_card_conflict: bool | None = None, cursor: str | None, limit: int) -> dict:
    """A page of the residents matching the filters, with ``total``, the count over every page."""
    if id_card_conflict is not None and user.role not in MANAGER_ROLES:
        raise forbidden()
    area_path = get_for(session, user, Area, area_id).path if area_id is not None else None
    filters = (principal_key(user), q, tuple(tag or ()), area_path, household_id, building, id_card_conflict)
    # a later page, or a search, is seldom asked twice: its statement is built afresh
    stmt = _page(filters, limit, cursor) if cursor or q else _first_page(filters, limit)
    conn = rows_connection(session)
    rows = conn.execute(stmt).all()
    if rows:
        total = rows[0].total
    else:  # nothing on this page: the count alone (past the last page there may still be residents)
        total = conn.execute(_filtered(_COUNT, *filters)).scalar_one() if cursor else 0
    page = page_of(rows, keys=_LIST_KEYS, limit=limit)
    stairwells: dict = {}
    staff = user.role in STAFF_ROLES
    return Dumped(items=[_resident_out(row, stairwells, staff) for row in page.items],
                  next_cursor=page.next_cursor, total=total)


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


def _set_id_card(session: Session, user: User, resident: Resident, value: str | None) -> int | None:
    """Store an ID-card number (encrypted, with a keyed digest that keeps numbers unique).

    Staff are told when the number is already another resident's. A resident or volunteer adding
    to their own household is not — that would let anyone test whether a number is registered
    anywhere in the town. Their entry is kept without the digest, flagged ``id_card_conflict`` and
    written to the audit log for the committee, who know who moved where; the answer and the work
    done are the same as for a number seen for the first time. Returns the other resident's id when
    the entry was flagged.
    """
    resident.id_card_conflict = False
    if value is None:
        resident.id_card_cipher = resident.id_card_digest = resident.id_card_hint = None
        return None
    d = pii.digest(value)
    clash = session.scalar(select(Resident.id).where(Resident.id_card_digest == d, Resident.id != resident.id))
    resident.id_card_cipher = pii.encrypt(value)
    resident.id_card_hint = pii.mask_id_card(value)
    resident.id_card_digest = d
    if clash is None:
        return None
    if manages(user, resident.area_path):
        raise invalid({"id_card": ["This ID card number is already registered to another resident."]})
    resident.id_card_digest = None
    resident.id_card_conflict = True
    return clash


def _record_conflict(session: Session, user: User, resident: Resident, clash: int | None) -> None:
    if clash is not None:
        record(session, actor=user, action="resident.id_card_conflict", resource_type="resident",
               resource_id=resident.id, area_path=resident.area_path, detail={"other_resident_id": clash})


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
    clash = _set_id_card(session, user, resident, data.get("id_card"))
    session.add(resident)
    session.flush()
    record(session, actor=user, action="resident.create", resource_type="resident", resource_id=resident.id,
           area_path=resident.area_path)
    _record_conflict(session, user, resident, clash)
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
    clash = _set_id_card(session, user, resident, data["id_card"]) if "id_card" in data else None
    for key in ("name", "gender", "birth_date", "phone"):
        if key in data:
            setattr(resident, key, data[key])
    resident.updated_at = utcnow()  # also bumps the version when only tags changed
    session.flush()
    record(session, actor=user, action="resident.update", resource_type="resident", resource_id=resident.id,
           area_path=resident.area_path, detail={"fields": changed})
    _record_conflict(session, user, resident, clash)
    return resident


def delete_resident(session: Session, *, user: User, resident: Resident) -> None:
    """Remove a resident the caller may ``delete`` (checked by :func:`get_resident`)."""
    record(session, actor=user, action="resident.delete", resource_type="resident", resource_id=resident.id,
           area_path=resident.area_path, detail={"name": resident.name})
    session.execute(User.__table__.update().where(User.resident_id == resident.id).values(resident_id=None))
    session.delete(resident)


def reveal(session: Session, *, user: User, resident: Resident, field: str, reason: str) -> dict:
    """The full phone or ID-card number for roles that need it; every reveal is audited with its reason."""
    require(user, f"reveal_{field}", resident)
    if field == "phone":
        value = resident.phone
    else:
        value = pii.decrypt(resident.id_card_cipher) if resident.id_card_cipher else None
    record(session, actor=user, action="resident.reveal", resource_type="resident", resource_id=resident.id,
           area_path=resident.area_path, detail={"field": field, "reason": reason})
    return {"field": field, "value": value}


# ------------------------------------------------------------------ household claims
def _claim_load():
    return (joinedload(HouseholdClaim.user),
            joinedload(HouseholdClaim.household).joinedload(Household.stairwell).joinedload(Stairwell.community),
            joinedload(HouseholdClaim.household).joinedload(Household.stairwell).joinedload(Stairwell.grid))


@dataclass
class Occupant:
    id: int
    name: str
    phone: str | None
    has_account: bool


def _attach_occupants(session: Session, user: User, claims) -> None:
    """Who is already registered in each claimed household (two queries for any number of claims)."""
    household_ids = {c.household_id for c in claims}
    if not household_ids:
        return
    residents = list(session.scalars(scoped(user, Resident).where(Resident.household_id.in_(household_ids))
                                     .order_by(Resident.id)))
    linked = set(session.scalars(select(User.resident_id).where(User.resident_id.in_([r.id for r in residents]))))
    by_household: dict[int, list[Occupant]] = {}
    for r in residents:
        by_household.setdefault(r.household_id, []).append(Occupant(r.id, r.name, r.phone, r.id in linked))
    for claim in claims:
        claim.occupants = by_household.get(claim.household_id, [])


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


_LATEST_CLAIM_PREPARED = PreparedSelect(_LATEST_CLAIM)


def latest_claim(session: Session, user: User) -> SimpleNamespace | None:
    """The user's latest household claim as ClaimBrief reads it (``household.address`` included)."""
    row = _LATEST_CLAIM_PREPARED.first(rows_connection(session), {"user_id": user.id})
    if row is None:
        return None
    household = SimpleNamespace(room=row.room, address=Household.compose_address(
        row.community_name, Stairwell.label.fget(row), row.room))
    return SimpleNamespace(id=row.id, status=row.status, note=row.note, household=household)


def list_claims(session: Session, *, user: User, status: str | None = None, cursor: str | None,
                limit: int) -> Page[HouseholdClaim]:
    stmt = scoped(user, HouseholdClaim, *_claim_load())
    if status:
        stmt = stmt.where(HouseholdClaim.status == status)
    page = paginate(session, stmt, keys=[HouseholdClaim.id], cursor=cursor, limit=limit)
    _attach_occupants(session, user, page.items)
    return page


def open_claim(session: Session, *, user: User, household: Household) -> HouseholdClaim:
    """A pending claim of ``user`` to live in ``household``, for the committee to verify."""
    claim = HouseholdClaim(user_id=user.id, household_id=household.id, area_path=household.area_path)
    session.add(claim)
    session.flush()
    return session.scalar(select(HouseholdClaim).options(*_claim_load()).where(HouseholdClaim.id == claim.id))


def claim_household(session: Session, *, user: User, household_id: int) -> HouseholdClaim:
    """A new claim by a signed-in resident without a household (e.g. after a rejection)."""
    if user.role not in SELF_SERVICE:
        raise forbidden()
    if user.resident_id is not None:
        raise Conflict("Your account already belongs to a household.", type="claim-linked")
    pending = session.scalar(select(HouseholdClaim.id).where(HouseholdClaim.user_id == user.id,
                                                             HouseholdClaim.status == "pending"))
    if pending is not None:
        raise Conflict("Your claim is still waiting for the committee.", type="claim-pending")
    household = session.get(Household, household_id)
    if household is None:
        raise invalid({"household_id": ["No such household."]})
    claim = open_claim(session, user=user, household=household)
    record(session, actor=user, action="claim.create", resource_type="household_claim", resource_id=claim.id,
           area_path=claim.area_path)
    return claim


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
        community = claim.household.stairwell.community
        if claimant.role == Role.RESIDENT and claimant.area_id != community.id:  # moved to another community
            claimant.area_id, claimant.area_path = community.id, community.path
    record(session, actor=user, action=f"claim.{claim.status}", resource_type="household_claim",
           resource_id=claim.id, area_path=claim.area_path)
    session.flush()
    _attach_occupants(session, user, [claim])
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
               unit_id=_visible_unit(session, user, data.get("unit_id")),
               must_change_password=True)  # staff chose it: the owner picks their own at first sign-in
    session.add(new)
    session.flush()
    record(session, actor=user, action="user.create", resource_type="user", resource_id=new.id,
           area_path=new.area_path, detail={"role": new.role})
    return new


def get_user(session: Session, *, user: User, user_id: int, action: str = "read") -> User:
    """An account ``user`` may see (else 404) and do ``action`` to (else 403)."""
    return get_for(session, user, User, user_id, action)


def update_user(session: Session, *, user: User, user_id: int, data: dict) -> User:
    target = get_user(session, user=user, user_id=user_id, action="update")
    if "role" in data or "area_id" in data:
        area = _check_assignment(session, user, data.get("role", target.role), data.get("area_id", target.area_id))
        target.role, target.area_id, target.area_path = data.get("role", target.role), area.id, area.path
    if "unit_id" in data:
        target.unit_id = _visible_unit(session, user, data["unit_id"])
    for key in ("name", "is_active"):
        if key in data:
            setattr(target, key, data[key])
    record(session, actor=user, action="user.update", resource_type="user", resource_id=target.id,
           area_path=target.area_path, detail={"fields": sorted(data)})
    return target
