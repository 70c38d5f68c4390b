"""The principal of a call made with an API key: the unit's partner role, within the unit's area."""
from __future__ import annotations

from dataclasses import dataclass

from ..core.errors import Forbidden

SCOPES = ("cases:read", "cases:write", "services:read", "services:write", "bookings:read")  # OAuth2-style names
DEFAULT_SCOPES = ("cases:read", "cases:write")  # a new client's, unless it asks for others


@dataclass(frozen=True)
class ClientPrincipal:
    """An API client acting for its unit. It satisfies :class:`steward.scope.Principal` with the
    ``partner`` role, the unit's area and ``unit_id``, so every read and action rule treats it as a
    partner user of that unit; ``api_client_id`` additionally lets it read back the cases it created.
    ``id`` is ``None``: it is not a user (timeline events and audit rows name the client instead)."""

    api_client_id: int
    client_id: str
    name: str
    unit_id: int
    area_path: str
    scopes: frozenset[str]
    id: None = None
    role: str = "partner"
    household_id: None = None
    stairwell_id: None = None

    def has_scope(self, scope: str) -> bool:
        return scope in self.scopes

    def require_scope(self, scope: str) -> None:
        if scope not in self.scopes:
            raise Forbidden("This API client lacks the scope {scope}.", type="insufficient-scope", scope=scope)
