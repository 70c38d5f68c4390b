"""Read the audit log (it cannot be written through the API)."""
from __future__ import annotations

from flask_jwt_extended import current_user
from flask_restx import Namespace

from ..core.http import Resource, query, response, roles
from ..core.pagination import paginate
from ..db import db
from ..extensions import api
from ..people.models import STAFF_ROLES
from ..scope import scoped
from .models import AuditEvent
from .schemas import AuditOut, AuditQuery

ns = Namespace("audit-events", description="Who read or changed what, when, from where")


@ns.route("")
class AuditList(Resource):
    @roles(*STAFF_ROLES)
    @query(AuditQuery)
    @response(AuditOut, paginated=True)
    def get(self, args):
        """Audit events within your area, newest first."""
        stmt = scoped(current_user, AuditEvent)
        for key in ("action", "resource_type", "resource_id", "actor_id"):
            if args.get(key) is not None:
                stmt = stmt.where(getattr(AuditEvent, key) == args[key])
        return paginate(db.session, stmt, keys=[AuditEvent.id], cursor=args["cursor"], limit=args["limit"],
                        descending=True)


api.add_namespace(ns, "/audit-events")
