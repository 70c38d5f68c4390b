"""Who sees and changes the alliance's member units, and who manages their partner accounts."""
from __future__ import annotations

from sqlalchemy import ColumnElement, false, literal, or_

from ..scope import TOWN_ROLES, Principal, action, community_path, manages, rule, under
from .models import Unit

PARTNER = "partner"


@rule(Unit)
def _units(p: Principal) -> ColumnElement[bool]:
    # Units are public within their community; town-wide units serve every community.
    # A partner account (or a partner's API client) sees only its own unit.
    if p.role == PARTNER:
        return Unit.id == p.unit_id if p.unit_id is not None else false()
    if p.role in TOWN_ROLES:
        return under(Unit.area_path, p.area_path)
    home = community_path(p)
    return or_(under(Unit.area_path, home), literal(home).startswith(Unit.area_path))


@action(Unit, "update", "manage_members")
def _manage_unit(p: Principal, unit: Unit) -> bool:
    return manages(p, unit.area_path)


@action(Unit, "read_members")
def _read_members(p: Principal, unit: Unit) -> bool:
    return manages(p, unit.area_path) or is_member(p, unit.id)


def is_member(p: Principal, unit_id: int) -> bool:
    """A person's partner account of the unit (not an API client: those have no id)."""
    return p.role == PARTNER and p.id is not None and p.unit_id == unit_id


def is_unit_admin(p: Principal, unit_id: int) -> bool:
    """A partner account of the unit that staff made its admin (manages its API clients and webhooks)."""
    return is_member(p, unit_id) and bool(getattr(p, "is_unit_admin", False))


def sees_contact(p: Principal | None, unit: Unit) -> bool:
    """Staff and the unit's own members see its contact phone in full; everyone else masked."""
    from ..people.models import STAFF_ROLES

    return p is not None and (p.role in STAFF_ROLES or is_member(p, unit.id))
