"""Who reads the audit log: admins everything, staff their own area's entries."""
from __future__ import annotations

from sqlalchemy import ColumnElement, false, true

from ..scope import MANAGER_ROLES, Principal, rule, under
from .models import AuditEvent


@rule(AuditEvent)
def _audit(p: Principal) -> ColumnElement[bool]:
    if p.role == "admin":
        return true()
    if p.role in MANAGER_ROLES:
        return under(AuditEvent.area_path, p.area_path)
    return false()
