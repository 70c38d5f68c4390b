"""My notifications (the inbox screen arrives with the steward issue; cases write here already)."""
from __future__ import annotations

from flask_jwt_extended import current_user
from flask_restx import Namespace
from marshmallow import Schema, fields

from ..core.http import Resource, errors, query, response
from ..core.pagination import PageArgs
from ..core.schemas import StrictSchema
from ..db import db
from ..extensions import api
from . import service

ns = Namespace("notifications", description="Messages for the signed-in user: case steps, reminders, decisions")


class NotificationOut(Schema):
    id = fields.Integer()
    kind = fields.String(metadata={"example": "case.assigned"})
    title = fields.Function(lambda n: service.render(n)["title"], metadata={"type": "string"})
    body = fields.Function(lambda n: service.render(n)["body"], metadata={"type": "string"})
    subject_type = fields.String(allow_none=True, metadata={"example": "case"})
    subject_id = fields.Integer(allow_none=True)
    created_at = fields.DateTime()
    read_at = fields.DateTime(allow_none=True)


class NotificationQuery(PageArgs, StrictSchema):
    unread = fields.Boolean(metadata={"description": "Only the unread ones."})


class ReadAllOut(Schema):
    marked = fields.Integer()


@ns.route("")
class NotificationList(Resource):
    @query(NotificationQuery)
    @response(NotificationOut, paginated=True)
    def get(self, args):
        """My notifications, newest first."""
        return service.list_mine(db.session, user=current_user, **args)


@ns.route("/<int:notification_id>/read")
class NotificationRead(Resource):
    @errors(404)
    @response(NotificationOut)
    def post(self, notification_id):
        """Mark one notification read."""
        return service.mark_read(db.session, user=current_user, notification_id=notification_id)


@ns.route("/read-all")
class NotificationReadAll(Resource):
    @response(ReadAllOut)
    def post(self):
        """Mark all my notifications read."""
        return {"marked": service.mark_all_read(db.session, user=current_user)}


api.add_namespace(ns, "/notifications")
