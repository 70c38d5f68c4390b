"""Alliance member units."""
from __future__ import annotations

from sqlalchemy.orm import Session

from ..areas.models import Area, AreaKind
from ..audit.service import record
from ..core.errors import forbidden, invalid
from ..core.pagination import Page, paginate
from ..people.models import User
from ..scope import get_for, manages, scoped
from .models import Unit


def list_units(session: Session, *, user: User, kind: str | None = None, q: str | None = None,
               cursor: str | None, limit: int) -> Page[Unit]:
    stmt = scoped(user, Unit)
    if kind:
        stmt = stmt.where(Unit.kind == kind)
    if q:
        stmt = stmt.where(Unit.name.contains(q, autoescape=True))
    return paginate(session, stmt, keys=[Unit.id], cursor=cursor, limit=limit)


def get_unit(session: Session, *, user: User, unit_id: int) -> Unit:
    return get_for(session, user, Unit, unit_id)


def create_unit(session: Session, *, user: User, data: dict) -> Unit:
    area = session.get(Area, data["area_id"])
    if area is None or area.kind not in (AreaKind.TOWN, AreaKind.COMMUNITY):
        raise invalid({"area_id": ["No such area."]})
    if not manages(user, area.path):
        raise forbidden()
    unit = Unit(area_path=area.path, **data)
    session.add(unit)
    session.flush()
    record(session, actor=user, action="unit.create", resource_type="unit", resource_id=unit.id,
           area_path=unit.area_path, detail={"name": unit.name, "kind": unit.kind})
    return unit


def update_unit(session: Session, *, user: User, unit_id: int, data: dict) -> Unit:
    unit = get_for(session, user, Unit, unit_id, "update")
    for key, value in data.items():
        setattr(unit, key, value)
    record(session, actor=user, action="unit.update", resource_type="unit", resource_id=unit.id,
           area_path=unit.area_path, detail={"fields": sorted(data)})
    return unit
