"""Who may see what — the one place that builds the scope filter of every query.

A role says *what* a user may do, their area says *where*. Every collection and item query goes
through :func:`visible`; an item outside the caller's scope is simply not found (404), so its
existence does not leak.
"""
from __future__ import annotations

from typing import Callable

from sqlalchemy import ColumnElement, Select, false, literal, or_, select, true
from sqlalchemy.orm import Session

from .alliances.models import Unit
from .areas.models import Area, Household, Stairwell
from .audit.models import AuditEvent
from .core.errors import not_found
from .people.models import HouseholdClaim, Resident, Role, User

_RULES: dict[type, Callable[[User], ColumnElement[bool]]] = {}


def rule(model: type):
    def register(fn):
        _RULES[model] = fn
        return fn

    return register


def community_path(user: User) -> str:
    """The path of the community the user belongs to (their own path for town-level users)."""
    parts = user.area_path.strip("/").split("/")
    return "/" + "/".join(parts[:2]) + "/" if len(parts) >= 2 else user.area_path


def _under(column, prefix: str) -> ColumnElement[bool]:
    return column.startswith(prefix, autoescape=True)


def _people_data(model, own: Callable[[User], ColumnElement[bool]]):
    """Staff, town staff and admins see their subtree; volunteers their grid; residents only their own."""

    def build(user: User) -> ColumnElement[bool]:
        if user.role in (Role.ADMIN, Role.TOWN_STAFF, Role.STAFF, Role.VOLUNTEER):
            return _under(model.area_path, user.area_path)
        if user.role == Role.RESIDENT:
            return own(user)
        return false()

    return build


@rule(Area)
def _areas(user: User) -> ColumnElement[bool]:
    # The structure of one's own community is public to its people; town roles see their subtree.
    if user.role in (Role.ADMIN, Role.TOWN_STAFF):
        return _under(Area.path, user.area_path)
    return _under(Area.path, community_path(user))


@rule(Unit)
def _units(user: User) -> ColumnElement[bool]:
    # Units are public within their community; town-wide units serve every community.
    if user.role in (Role.ADMIN, Role.TOWN_STAFF):
        return _under(Unit.area_path, user.area_path)
    home = community_path(user)
    return or_(_under(Unit.area_path, home), literal(home).startswith(Unit.area_path))


def _own_household_id(user: User) -> int | None:
    return user.resident.household_id if user.resident else None


_RULES[Resident] = _people_data(
    Resident, lambda u: Resident.household_id == _own_household_id(u) if _own_household_id(u) else false())
_RULES[Household] = _people_data(
    Household, lambda u: Household.id == _own_household_id(u) if _own_household_id(u) else false())
_RULES[Stairwell] = _people_data(
    Stairwell, lambda u: Stairwell.id == u.resident.household.stairwell_id if u.resident else false())
_RULES[HouseholdClaim] = _people_data(HouseholdClaim, lambda u: HouseholdClaim.user_id == u.id)


@rule(User)
def _users(user: User) -> ColumnElement[bool]:
    if user.role in (Role.ADMIN, Role.TOWN_STAFF, Role.STAFF):
        return _under(User.area_path, user.area_path)
    return User.id == user.id


@rule(AuditEvent)
def _audit(user: User) -> ColumnElement[bool]:
    if user.role == Role.ADMIN:
        return true()
    if user.role in (Role.TOWN_STAFF, Role.STAFF):
        return _under(AuditEvent.area_path, user.area_path)
    return false()


def visible(user: User, model: type) -> ColumnElement[bool]:
    """The SQL condition selecting the rows of ``model`` that ``user`` may see."""
    try:
        return _RULES[model](user)
    except KeyError:
        raise LookupError(f"no scope rule for {model.__name__}") from None


def scoped(user: User, model: type, *options) -> Select:
    """``SELECT model WHERE <visible to user>``, the start of every query of a scoped model."""
    return select(model).where(visible(user, model)).options(*options)


def get_visible(session: Session, user: User, model: type, ident, *options):
    """The row with primary key ``ident`` if ``user`` may see it, else a 404 problem."""
    obj = session.scalar(scoped(user, model, *options).where(model.id == ident))
    if obj is None:
        raise not_found()
    return obj


def in_scope(user: User, area_path: str) -> bool:
    """May ``user`` manage things located at ``area_path`` (for writes)?"""
    if user.role in (Role.ADMIN, Role.TOWN_STAFF, Role.STAFF):
        return area_path.startswith(user.area_path)
    return False
