"""Who sees and revokes API clients: staff within their own area (community staff: the clients of their
community's units; town staff: every client in the town), and the unit's own partner accounts (its unit
admins also create, rotate and revoke them). A client is a credential, so a community's staff do not see the
clients of town-wide units, and nobody else sees any (404); API clients see none."""
from __future__ import annotations

from sqlalchemy import ColumnElement, false

from ..alliances.access import is_member, is_unit_admin
from ..scope import MANAGER_ROLES, Principal, action, manages, rule, under
from .models import ApiClient


@rule(ApiClient)
def _clients(p: Principal) -> ColumnElement[bool]:
    if p.role in MANAGER_ROLES:
        return under(ApiClient.area_path, p.area_path)
    if p.unit_id is not None and is_member(p, p.unit_id):
        return ApiClient.unit_id == p.unit_id
    return false()


@action(ApiClient, "revoke")
def _revoke(p: Principal, client: ApiClient) -> bool:
    return manages(p, client.area_path) or is_unit_admin(p, client.unit_id)
