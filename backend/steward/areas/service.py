"""Area tree, stairwells and households: queries and rules."""
from __future__ import annotations

import re

from sqlalchemy import case, func, literal_column, or_, select
from sqlalchemy.orm import Session, joinedload

from ..audit.service import record
from ..core.errors import invalid, not_found
from ..core.pagination import Page, paginate
from ..people.models import Resident, ResidentTag, Tag, User
from ..scope import find_for, get_for, require, scoped, visible
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
    if "office_phone" in data and area.kind != AreaKind.COMMUNITY:
        raise invalid({"office_phone": ["Only a community has an office phone."]})
    for key, value in data.items():
        setattr(area, key, value)
    record(session, actor=user, action="area.update", resource_type="area", resource_id=area.id,
           area_path=area.path, detail=data)
    return area


def area_stats(session: Session, *, user: User, area_id: int) -> dict:
    """Counts of what lies under an area, as far as the caller may see."""
    area = get_for(session, user, Area, area_id)
    return _stats(session, user, [area])[0]


def children_stats(session: Session, *, user: User, area_id: int) -> list[dict]:
    """The figures of :func:`area_stats` for each child area (per community for the town), in one go."""
    area = get_for(session, user, Area, area_id)
    children = list(session.scalars(scoped(user, Area).where(Area.parent_id == area.id).order_by(Area.id)))
    return _stats(session, user, children) if children else []


def _stats(session: Session, user: User, areas: list[Area]) -> list[dict]:
    """Counts under each of ``areas`` (disjoint subtrees) with one grouped query per kind of row."""

    def bucket(column):
        return case(*[(column.startswith(a.path), a.id) for a in areas]).label("bucket")

    def under(column):
        return or_(*[column.startswith(a.path) for a in areas])

    def grouped(column, model, *extra) -> dict:
        stmt = select(bucket(column), *extra, func.count()).select_from(model).where(visible(user, model),
                                                                                     under(column))
        return session.execute(stmt.group_by(literal_column("bucket"), *extra)).all()

    own = [a.id for a in areas]
    kinds = session.execute(select(bucket(Area.path), Area.kind, func.count())
                            .where(under(Area.path), Area.id.not_in(own))
                            .group_by(literal_column("bucket"), Area.kind)).all()
    stairwells = dict(grouped(Stairwell.area_path, Stairwell))
    households = dict(grouped(Household.area_path, Household))
    residents = dict(grouped(Resident.area_path, Resident))
    b = bucket(Resident.area_path)
    tags = session.execute(select(b, ResidentTag.tag, func.count()).join(Resident)
                           .where(visible(user, Resident), under(Resident.area_path))
                           .group_by(literal_column("bucket"), ResidentTag.tag)).all()
    out = []
    for area in areas:
        k = {kind: n for a, kind, n in kinds if a == area.id}
        t = {tag: n for a, tag, n in tags if a == area.id}
        out.append({
            "area": area,
            "sections": k.get(AreaKind.SECTION, 0),
            "grids": k.get(AreaKind.GRID, 0),
            "stairwells": stairwells.get(area.id, 0),
            "households": households.get(area.id, 0),
            "residents": residents.get(area.id, 0),
            "tags": {tag.value: t.get(tag.value, 0) for tag in Tag},
        })
    return out


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


def natural_key(text: str) -> list[tuple[int, int | str]]:
    """Sort "2" before "10" and "3A" after "3": numbers by value, the rest as text."""
    return [(0, int(part)) if part.isdigit() else (1, part) for part in re.findall(r"\d+|\D+", text)]


def public_buildings(session: Session, *, community_id: int) -> list[dict]:
    """The buildings of a community with their units (stairwells), in natural order, for the address picker."""
    community = session.get(Area, community_id)
    if community is None or community.kind != AreaKind.COMMUNITY:
        raise not_found()
    buildings: dict[str, list[Stairwell]] = {}
    for stairwell in session.scalars(select(Stairwell).where(Stairwell.community_id == community.id)):
        buildings.setdefault(stairwell.building, []).append(stairwell)
    return [{"building": building,
             "units": [{"stairwell_id": s.id, "unit": s.unit, "label": s.label}
                       for s in sorted(units, key=lambda s: natural_key(s.unit))]}
            for building, units in sorted(buildings.items(), key=lambda kv: natural_key(kv[0]))]


def public_rooms(session: Session, *, stairwell_id: int) -> list[dict]:
    """The rooms (households) of a stairwell, in natural order, for the address picker."""
    if session.get(Stairwell, stairwell_id) is None:
        raise not_found()
    rows = session.execute(select(Household.id, Household.room).where(Household.stairwell_id == stairwell_id)).all()
    return [{"household_id": i, "room": room} for i, room in sorted(rows, key=lambda r: natural_key(r.room))]
