"""Who sees and revokes API clients: staff within their own area (community staff: the clients of their
community's units; town staff: every client in the town), and the partner accounts of the client's own unit
(the unit's people run its system). A client is a credential, so a community's staff do not see the clients
of town-wide units, and nobody else sees any (404). An API client never manages clients."""
from __future__ import annotations

from sqlalchemy import ColumnElement, false

from ..scope import MANAGER_ROLES, Principal, action, manages, rule, under
from .models import ApiClient


def unit_member(p: Principal, unit_id: int) -> bool:
    """A partner account (a person, not an API client) of the unit."""
    return p.role == "partner" and p.id is not None and p.unit_id is not None and p.unit_id == unit_id


@rule(ApiClient)
def _clients(p: Principal) -> ColumnElement[bool]:
    if p.role in MANAGER_ROLES:
        return under(ApiClient.area_path, p.area_path)
    if p.role == "partner" and p.id is not None and p.unit_id is not None:
        return ApiClient.unit_id == p.unit_id
    return false()


@action(ApiClient, "revoke")
def _revoke(p: Principal, client: ApiClient) -> bool:
    return manages(p, client.area_path) or unit_member(p, client.unit_id)
