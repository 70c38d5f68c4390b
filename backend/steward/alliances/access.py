"""Who sees and changes the alliance's member units."""
from __future__ import annotations

from sqlalchemy import ColumnElement, literal, or_

from ..scope import TOWN_ROLES, Principal, action, community_path, manages, rule, under
from .models import Unit


@rule(Unit)
def _units(p: Principal) -> ColumnElement[bool]:
    # Units are public within their community; town-wide units serve every community.
    if p.role in TOWN_ROLES:
        return under(Unit.area_path, p.area_path)
    home = community_path(p)
    return or_(under(Unit.area_path, home), literal(home).startswith(Unit.area_path))


@action(Unit, "update")
def _manage_unit(p: Principal, unit: Unit) -> bool:
    return manages(p, unit.area_path)
