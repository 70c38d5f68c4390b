"""Area tree, stairwells and households: queries and rules."""
from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session, joinedload

from ..audit.service import record
from ..core.errors import invalid
from ..core.pagination import Page, paginate
from ..people.models import Resident, ResidentTag, Tag, User
from ..scope import find_for, get_for, require, scoped
from .models import PARENT_KIND, Area, AreaKind, Household, Stairwell

STAIRWELL_LOAD = (joinedload(Stairwell.grid), joinedload(Stairwell.community))
HOUSEHOLD_LOAD = (joinedload(Household.stairwell).joinedload(Stairwell.grid),
                  joinedload(Household.stairwell).joinedload(Stairwell.community))


def list_areas(session: Session, *, user: User, parent_id: int | None = None, kind: str | None = None,
               q: str | None = None, cursor: str | None, limit: int) -> Page[Area]:
    stmt = scoped(user, Area)
    if parent_id is not None:
        stmt = stmt.where(Area.parent_id == parent_id)
    if kind:
        stmt = stmt.where(Area.kind == kind)
    if q:
        stmt = stmt.where(Area.name.contains(q, autoescape=True) | Area.code.contains(q, autoescape=True))
    return paginate(session, stmt, keys=[Area.depth, Area.id], cursor=cursor, limit=limit)


def get_area(session: Session, *, user: User, area_id: int) -> Area:
    return get_for(session, user, Area, area_id)


def _code_free(session: Session, code: str, exclude_id: int | None = None) -> None:
    stmt = select(Area.id).where(Area.code == code)
    if exclude_id:
        stmt = stmt.where(Area.id != exclude_id)
    if session.scalar(stmt) is not None:
        raise invalid({"code": ["This code is already used."]})


def create_area(session: Session, *, user: User, parent_id: int, kind: str, name: str, code: str) -> Area:
    """Add a section under a community or a grid under a section."""
    parent = find_for(session, user, Area, parent_id)
    if parent is None:
        raise invalid({"parent_id": ["No such area."]})
    require(user, "add_child", parent)
    if PARENT_KIND[AreaKind(kind)] != parent.kind:
        raise invalid({"parent_id": [f"A {kind} must belong to a {PARENT_KIND[AreaKind(kind)].value}."]})
    _code_free(session, code)
    area = Area(parent_id=parent.id, kind=kind, name=name, code=code, path=parent.path + "new/",
                depth=parent.depth + 1)
    session.add(area)
    session.flush()
    area.path = f"{parent.path}{area.id}/"
    record(session, actor=user, action="area.create", resource_type="area", resource_id=area.id,
           area_path=area.path, detail={"name": name, "code": code, "kind": kind})
    return area


def update_area(session: Session, *, user: User, area_id: int, data: dict) -> Area:
    area = get_for(session, user, Area, area_id, "update")
    if "code" in data:
        _code_free(session, data["code"], exclude_id=area.id)
    for key, value in data.items():
        setattr(area, key, value)
    record(session, actor=user, action="area.update", resource_type="area", resource_id=area.id,
           area_path=area.path, detail=data)
    return area


def area_stats(session: Session, *, user: User, area_id: int) -> dict:
    """Counts of what lies under an area, as far as the caller may see."""
    area = get_for(session, user, Area, area_id)
    prefix = area.path

    def count(model, *where) -> int:
        stmt = select(func.count()).select_from(scoped(user, model).where(*where).subquery())
        return session.scalar(stmt) or 0

    kinds = dict(session.execute(
        select(Area.kind, func.count()).where(Area.path.startswith(prefix), Area.id != area.id)
        .group_by(Area.kind)).all())
    tag_counts = dict(session.execute(
        select(ResidentTag.tag, func.count()).join(Resident)
        .where(scoped(user, Resident).whereclause, Resident.area_path.startswith(prefix))
        .group_by(ResidentTag.tag)).all())
    return {
        "area": area,
        "sections": kinds.get(AreaKind.SECTION, 0),
        "grids": kinds.get(AreaKind.GRID, 0),
        "stairwells": count(Stairwell, Stairwell.area_path.startswith(prefix)),
        "households": count(Household, Household.area_path.startswith(prefix)),
        "residents": count(Resident, Resident.area_path.startswith(prefix)),
        "tags": {t.value: tag_counts.get(t.value, 0) for t in Tag},
    }


def list_stairwells(session: Session, *, user: User, grid_id: int | None = None, building: str | None = None,
                    cursor: str | None, limit: int) -> Page[Stairwell]:
    stmt = scoped(user, Stairwell, *STAIRWELL_LOAD)
    if grid_id is not None:
        stmt = stmt.where(Stairwell.grid_id == grid_id)
    if building:
        stmt = stmt.where(Stairwell.building == building)
    return paginate(session, stmt, keys=[Stairwell.id], cursor=cursor, limit=limit)


def create_stairwell(session: Session, *, user: User, grid_id: int, building: str, unit: str) -> Stairwell:
    grid = find_for(session, user, Area, grid_id)
    if grid is None or grid.kind != AreaKind.GRID:
        raise invalid({"grid_id": ["No such area."]})
    require(user, "add_child", grid)
    stairwell = Stairwell(grid_id=grid.id, community_id=grid.community_id(), building=building, unit=unit,
                          area_path=grid.path)
    session.add(stairwell)
    session.flush()
    record(session, actor=user, action="stairwell.create", resource_type="stairwell", resource_id=stairwell.id,
           area_path=stairwell.area_path)
    return stairwell


def list_households(session: Session, *, user: User, stairwell_id: int | None = None, area_id: int | None = None,
                    cursor: str | None, limit: int) -> Page[Household]:
    stmt = scoped(user, Household, *HOUSEHOLD_LOAD)
    if stairwell_id is not None:
        stmt = stmt.where(Household.stairwell_id == stairwell_id)
    if area_id is not None:
        area = get_for(session, user, Area, area_id)
        stmt = stmt.where(Household.area_path.startswith(area.path))
    return paginate(session, stmt, keys=[Household.id], cursor=cursor, limit=limit)


def get_household(session: Session, *, user: User, household_id: int, with_residents: bool = False) -> Household:
    household = get_for(session, user, Household, household_id, "read", *HOUSEHOLD_LOAD)
    if with_residents:
        household.residents = list(session.scalars(
            scoped(user, Resident).where(Resident.household_id == household.id).order_by(Resident.id)))
    return household


def create_household(session: Session, *, user: User, stairwell_id: int, room: str) -> Household:
    stairwell = find_for(session, user, Stairwell, stairwell_id)
    if stairwell is None:
        raise invalid({"stairwell_id": ["No such stairwell."]})
    require(user, "add_household", stairwell)
    household = Household(stairwell_id=stairwell.id, room=room, area_path=stairwell.area_path)
    session.add(household)
    session.flush()
    record(session, actor=user, action="household.create", resource_type="household", resource_id=household.id,
           area_path=household.area_path)
    return household


def public_communities(session: Session) -> list[Area]:
    return list(session.scalars(select(Area).where(Area.kind == AreaKind.COMMUNITY).order_by(Area.path)))
