"""Who sees and changes the area tree, stairwells and households."""
from __future__ import annotations

from sqlalchemy import ColumnElement, false

from ..scope import TOWN_ROLES, Principal, action, community_path, manages, rule, under
from .models import Area, Household, Stairwell

# Roles that see the people data of their whole area (a volunteer's area is their grid).
PEOPLE_ROLES = frozenset({"admin", "town_staff", "staff", "volunteer"})


@rule(Area)
def _areas(p: Principal) -> ColumnElement[bool]:
    # The structure of one's own community is public to its people; town roles see their subtree.
    if p.role in TOWN_ROLES:
        return under(Area.path, p.area_path)
    return under(Area.path, community_path(p))


@rule(Stairwell)
def _stairwells(p: Principal) -> ColumnElement[bool]:
    if p.role in PEOPLE_ROLES:
        return under(Stairwell.area_path, p.area_path)
    if p.role == "resident" and p.stairwell_id is not None:
        return Stairwell.id == p.stairwell_id
    return false()


@rule(Household)
def _households(p: Principal) -> ColumnElement[bool]:
    if p.role in PEOPLE_ROLES:
        return under(Household.area_path, p.area_path)
    if p.role == "resident" and p.household_id is not None:
        return Household.id == p.household_id
    return false()


@action(Area, "update", "add_child")
def _manage_area(p: Principal, area: Area) -> bool:
    return manages(p, area.path)


@action(Stairwell, "add_household")
def _manage_stairwell(p: Principal, stairwell: Stairwell) -> bool:
    return manages(p, stairwell.area_path)


@action(Household, "add_member", "edit_members")
def _household_members(p: Principal, household: Household) -> bool:
    """Staff manage every household of their area; residents and volunteers their own household's members."""
    if p.role in ("resident", "volunteer") and p.household_id == household.id:
        return True
    return manages(p, household.area_path)
