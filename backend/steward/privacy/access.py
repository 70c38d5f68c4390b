"""Who sees and decides deletion requests: the staff of the area where the resident lives, and the
resident their own."""
from __future__ import annotations

from sqlalchemy import ColumnElement, false

from ..scope import MANAGER_ROLES, Principal, action, manages, rule, under
from .models import DeletionRequest


@rule(DeletionRequest)
def _requests(p: Principal) -> ColumnElement[bool]:
    if p.role in MANAGER_ROLES:
        return under(DeletionRequest.area_path, p.area_path)
    if p.id is not None:
        return DeletionRequest.user_id == p.id
    return false()


@action(DeletionRequest, "decide")
def _decide(p: Principal, request: DeletionRequest) -> bool:
    return manages(p, request.area_path) and request.user_id != p.id
