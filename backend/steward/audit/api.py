"""Read the audit log (it cannot be written through the API)."""
from __future__ import annotations

from flask_jwt_extended import current_user
from flask_restx import Namespace

from ..core.http import Resource, query, response, roles
from ..db import db
from ..extensions import api
from ..people.models import STAFF_ROLES
from . import service
from .schemas import AuditOut, AuditQuery

ns = Namespace("audit-events", description="Who read or changed what, when, from where")


@ns.route("")
class AuditList(Resource):
    @roles(*STAFF_ROLES)
    @query(AuditQuery)
    @response(AuditOut, paginated=True)
    def get(self, args):
        """Audit events within your area, newest first; `ip` only for town staff and admins."""
        return service.list_events(db.session, user=current_user, **args)


api.add_namespace(ns, "/audit-events")
