"""Who sees and changes care pairs and their visits.

Staff see the pairs of their area; a volunteer their own pairs; a volunteer team (a partner unit)
the pairs it was given; the household's own residents who looks after them."""
from __future__ import annotations

from sqlalchemy import ColumnElement, false

from ..scope import MANAGER_ROLES, Principal, action, manages, rule, under
from .models import CarePair, CareVisit


@rule(CarePair)
def _pairs(p: Principal) -> ColumnElement[bool]:
    if p.role in MANAGER_ROLES:
        return under(CarePair.area_path, p.area_path)
    if p.role == "volunteer" and p.id is not None:
        return CarePair.volunteer_id == p.id
    if p.role == "partner" and p.unit_id is not None:
        return CarePair.unit_id == p.unit_id
    if p.role == "resident" and p.household_id is not None:
        return CarePair.household_id == p.household_id
    return false()


@rule(CareVisit)
def _visits(p: Principal) -> ColumnElement[bool]:
    if p.role in MANAGER_ROLES:
        return under(CareVisit.area_path, p.area_path)
    if p.role == "volunteer" and p.id is not None:
        return CareVisit.volunteer_id == p.id
    if p.role == "partner" and p.unit_id is not None:
        return CareVisit.unit_id == p.unit_id
    return false()


@action(CarePair, "end", "edit")
def _manage(p: Principal, pair: CarePair) -> bool:
    return manages(p, pair.area_path)


@action(CarePair, "log_visit")
def _log(p: Principal, pair: CarePair) -> bool:
    if not pair.active:
        return False
    if p.role == "volunteer":
        return pair.volunteer_id == p.id
    if p.role == "partner":
        return pair.unit_id is not None and pair.unit_id == p.unit_id
    return manages(p, pair.area_path)
