"""Alliance member units: their details, the case categories they take, their partner accounts."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..areas.models import Area, AreaKind
from ..audit.service import record
from ..core.errors import Conflict, forbidden, invalid, not_found
from ..core.pagination import Page, paginate
from ..people.models import Role, User
from ..scope import get_for, manages, scoped
from .models import Unit, unit_categories


def list_units(session: Session, *, user: User, kind: str | None = None, q: str | None = None,
               category_id: int | None = None, active: bool | None = None,
               cursor: str | None, limit: int) -> Page[Unit]:
    stmt = scoped(user, Unit)
    if kind:
        stmt = stmt.where(Unit.kind == kind)
    if q:
        stmt = stmt.where(Unit.name.contains(q, autoescape=True))
    if category_id is not None:
        stmt = stmt.where(Unit.id.in_(select(unit_categories.c.unit_id)
                                      .where(unit_categories.c.category_id == category_id)))
    if active is not None:
        stmt = stmt.where(Unit.is_active.is_(active))
    return paginate(session, stmt, keys=[Unit.id], cursor=cursor, limit=limit)


def get_unit(session: Session, *, user: User, unit_id: int, action: str = "read") -> Unit:
    return get_for(session, user, Unit, unit_id, action)


def _categories(session: Session, unit: Unit, ids: list[int]) -> list:
    """The case categories in force where the unit serves (the town's defaults, or a community's own)."""
    from ..cases.models import Category

    wanted = set(ids)
    found = list(session.scalars(select(Category).where(Category.id.in_(wanted)))) if wanted else []
    serves = unit.area_path
    usable = [c for c in found if serves.startswith(c.area_path) or c.area_path.startswith(serves)]
    if len(usable) != len(wanted):
        raise invalid({"category_ids": ["Pick case categories used where the unit serves."]})
    return usable


def _apply_lists(session: Session, unit: Unit, data: dict) -> None:
    if "category_ids" in data:
        unit.categories = _categories(session, unit, data.pop("category_ids"))
    if "service_kinds" in data:
        unit.service_kinds = sorted(set(data.pop("service_kinds")))


def create_unit(session: Session, *, user: User, data: dict) -> Unit:
    area = session.get(Area, data["area_id"])
    if area is None or area.kind not in (AreaKind.TOWN, AreaKind.COMMUNITY):
        raise invalid({"area_id": ["No such area."]})
    if not manages(user, area.path):
        raise forbidden()
    lists = {k: data.pop(k) for k in ("category_ids", "service_kinds") if k in data}
    unit = Unit(area_path=area.path, service_kinds=[], **data)
    _apply_lists(session, unit, lists)
    session.add(unit)
    session.flush()
    record(session, actor=user, action="unit.create", resource_type="unit", resource_id=unit.id,
           area_path=unit.area_path, detail={"name": unit.name, "kind": unit.kind})
    return unit


def update_unit(session: Session, *, user: User, unit_id: int, data: dict) -> Unit:
    unit = get_for(session, user, Unit, unit_id, "update")
    fields = sorted(data)
    _apply_lists(session, unit, data)
    for key, value in data.items():
        setattr(unit, key, value)
    record(session, actor=user, action="unit.update", resource_type="unit", resource_id=unit.id,
           area_path=unit.area_path, detail={"fields": fields})
    return unit


# ------------------------------------------------------------------ members (the unit's partner accounts)
def list_members(session: Session, *, user: User, unit_id: int) -> dict:
    unit = get_unit(session, user=user, unit_id=unit_id, action="read_members")
    members = session.scalars(select(User).where(User.unit_id == unit.id, User.role == Role.PARTNER)
                              .order_by(User.is_unit_admin.desc(), User.id))
    return {"items": list(members)}


def add_member(session: Session, *, user: User, unit_id: int, data: dict) -> User:
    """Attach an existing partner account (by phone) or create one with a first password."""
    from ..people import service as people

    unit = get_unit(session, user=user, unit_id=unit_id, action="manage_members")
    if not unit.is_active:
        raise invalid({"unit": ["This unit is inactive."]})
    existing = session.scalar(select(User).where(User.phone == data["phone"]))
    if existing is not None:
        # An account outside the staff member's scope is "no such account", whether or not it exists.
        visible = session.scalar(scoped(user, User).where(User.id == existing.id)) is not None
        if not visible or existing.role != Role.PARTNER:
            raise invalid({"phone": ["No partner account with this phone in your area."]})
        if existing.unit_id not in (None, unit.id):
            raise Conflict("This account belongs to another unit; detach it there first.", type="other-unit")
        member = existing
        member.unit_id = unit.id
        action = "unit.member_attach"
    else:
        if not data.get("name") or not data.get("password"):
            raise invalid({"password": ["No account has this phone: give a name and a first password to create one."]})
        area_id = data.get("area_id") or unit.area_id
        member = people.create_user(session, user=user, data={
            "phone": data["phone"], "name": data["name"], "password": data["password"], "role": Role.PARTNER,
            "area_id": area_id, "unit_id": unit.id})
        action = "unit.member_create"
    if "is_unit_admin" in data:
        member.is_unit_admin = data["is_unit_admin"]
    session.flush()
    record(session, actor=user, action=action, resource_type="unit", resource_id=unit.id,
           area_path=unit.area_path, detail={"user_id": member.id, "is_unit_admin": member.is_unit_admin})
    return member


def _member(session: Session, user: User, unit_id: int, member_id: int) -> tuple[Unit, User]:
    unit = get_unit(session, user=user, unit_id=unit_id, action="manage_members")
    member = session.scalar(select(User).where(User.id == member_id, User.unit_id == unit.id,
                                               User.role == Role.PARTNER))
    if member is None:
        raise not_found()
    return unit, member


def update_member(session: Session, *, user: User, unit_id: int, member_id: int, data: dict) -> User:
    unit, member = _member(session, user, unit_id, member_id)
    member.is_unit_admin = data["is_unit_admin"]
    record(session, actor=user, action="unit.member_update", resource_type="unit", resource_id=unit.id,
           area_path=unit.area_path, detail={"user_id": member.id, "is_unit_admin": member.is_unit_admin})
    return member


def remove_member(session: Session, *, user: User, unit_id: int, member_id: int) -> None:
    """Detach the account from the unit (it stays, without a unit, until staff attach or disable it)."""
    unit, member = _member(session, user, unit_id, member_id)
    member.unit_id, member.is_unit_admin = None, False
    record(session, actor=user, action="unit.member_detach", resource_type="unit", resource_id=unit.id,
           area_path=unit.area_path, detail={"user_id": member.id})

