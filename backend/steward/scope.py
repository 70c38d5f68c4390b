"""Who may see and do what — the mechanism. The rules themselves live beside their domain.

A role says *what* a principal may do, their area says *where*. Each domain declares, in its own
``access.py``, a **read rule** per model (an SQL condition: which rows the principal sees) and
**action rules** (may the principal do ``action`` to this row it sees?). Every query of a scoped
model starts from :func:`scoped`; an item outside the principal's read scope is simply not found
(404, so its existence does not leak); an item in sight that the principal may not change is a 403.

This module sits *below* the domains: it imports none of them.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Protocol, runtime_checkable

from sqlalchemy import ColumnElement, Select, select, true
from sqlalchemy.orm import Session

from .core.errors import forbidden, not_found

SYSTEM = "system"
PUBLIC = "public"
# Roles with management rights over their area's subtree (names as in people.models.Role).
MANAGER_ROLES = frozenset({"admin", "town_staff", "staff"})
TOWN_ROLES = frozenset({"admin", "town_staff"})


@runtime_checkable
class Principal(Protocol):
    """Whoever acts: a signed-in user, a partner's API client, or a background job."""

    id: int | None
    role: str
    area_path: str

    @property
    def unit_id(self) -> int | None: ...

    @property
    def household_id(self) -> int | None: ...

    @property
    def stairwell_id(self) -> int | None: ...


@dataclass(frozen=True)
class SystemPrincipal:
    """A background job or command acting for the platform itself: sees and may do everything.

    ``reason`` names the job in the audit log.
    """

    reason: str
    id: None = None
    role: str = SYSTEM
    area_path: str = "/"
    unit_id: None = None
    household_id: None = None
    stairwell_id: None = None


@dataclass(frozen=True)
class PublicPrincipal:
    """Anyone, without signing in, reading what is public in ``area_path`` (e.g. Open311 without a key).

    Rules that do not name the ``public`` role give it nothing of people or their households; the
    cases rule gives it the public hazard alerts of the area."""

    area_path: str
    id: None = None
    role: str = PUBLIC
    unit_id: None = None
    household_id: None = None
    stairwell_id: None = None


@dataclass(frozen=True)
class PrincipalKey:
    """What read rules may depend on, frozen: a cache key for statements built from a principal
    (a rule reads nothing else of the principal), and itself a Principal to build them with."""

    id: int | None
    role: str
    area_path: str
    unit_id: int | None
    household_id: int | None
    stairwell_id: int | None


def principal_key(p: Principal) -> PrincipalKey:
    return PrincipalKey(p.id, p.role, p.area_path, p.unit_id, p.household_id, p.stairwell_id)


ReadRule = Callable[[Principal], ColumnElement[bool]]
ActionRule = Callable[[Principal, object], bool]
_READ: dict[type, ReadRule] = {}
_ACTIONS: dict[tuple[type, str], ActionRule] = {}


def rule(model: type):
    """Register the read rule of ``model``: ``@rule(Case) def _(p) -> SQL condition``."""

    def register(fn: ReadRule) -> ReadRule:
        _READ[model] = fn
        return fn

    return register


def action(model: type, *names: str):
    """Register who may do ``names`` to a row of ``model`` they can see: ``fn(p, obj) -> bool``."""

    def register(fn: ActionRule) -> ActionRule:
        for name in names:
            _ACTIONS[(model, name)] = fn
        return fn

    return register


def registered_models() -> set[type]:
    return set(_READ)


def registered_actions(model: type) -> set[str]:
    return {name for (m, name) in _ACTIONS if m is model}


# ---------------------------------------------------------------- helpers for rules
def under(column, prefix: str) -> ColumnElement[bool]:
    """``column`` lies in the subtree whose path is ``prefix``."""
    return column.startswith(prefix, autoescape=True)


def community_path(p: Principal) -> str:
    """The path of the community the principal belongs to (their own path for town-level roles)."""
    parts = p.area_path.strip("/").split("/")
    return "/" + "/".join(parts[:2]) + "/" if len(parts) >= 2 else p.area_path


def manages(p: Principal, area_path: str) -> bool:
    """May ``p`` manage things located at ``area_path``: staff roles within their own subtree."""
    if p.role == SYSTEM:
        return True
    return p.role in MANAGER_ROLES and area_path.startswith(p.area_path)


# ---------------------------------------------------------------- queries
def visible(p: Principal, model: type) -> ColumnElement[bool]:
    """The SQL condition selecting the rows of ``model`` that ``p`` may see."""
    try:
        read = _READ[model]
    except KeyError:
        raise LookupError(f"no scope rule for {model.__name__}") from None
    return true() if p.role == SYSTEM else read(p)


def scoped(p: Principal, model: type, *options) -> Select:
    """``SELECT model WHERE <visible to p>``, the start of every query of a scoped model."""
    return select(model).where(visible(p, model)).options(*options)


def can(p: Principal, name: str, obj) -> bool:
    """May ``p`` do ``name`` to ``obj`` (a row they can already see)?"""
    if name == "read" or p.role == SYSTEM:
        return True
    try:
        check = _ACTIONS[(type(obj), name)]
    except KeyError:
        raise LookupError(f"no action rule {name!r} for {type(obj).__name__}") from None
    return check(p, obj)


def require(p: Principal, name: str, obj) -> None:
    if not can(p, name, obj):
        raise forbidden()


def find_for(session: Session, p: Principal, model: type, ident, *options):
    """The row with primary key ``ident`` if ``p`` may see it, else ``None``."""
    return session.scalar(scoped(p, model, *options).where(model.id == ident))


def get_for(session: Session, p: Principal, model: type, ident, action: str = "read", *options):
    """The row ``ident`` for ``action``: 404 when ``p`` cannot see it, 403 when they may not do it."""
    obj = find_for(session, p, model, ident, *options)
    if obj is None:
        raise not_found()
    require(p, action, obj)
    return obj
