"""My notifications (the inbox screen arrives with the steward issue; cases write here already)."""
from __future__ import annotations

from flask import Response, request
from flask_jwt_extended import current_user, get_jwt
from flask_restx import Namespace
from marshmallow import Schema, fields, validate

from ..auth.service import session_is_live
from ..core.errors import Problem
from ..core.http import Resource, dumps, errors, file_response, no_idempotency, public, query, response, writes
from ..core.pagination import PageArgs
from ..core.schemas import StrictSchema
from ..db import db
from ..extensions import api
from . import service, stream

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


class UnreadOut(Schema):
    unread = fields.Integer()
    latest_id = fields.Integer(metadata={"description": "The newest notification's id (0: none)."})


class TicketOut(Schema):
    ticket = fields.String(metadata={"description": "Pass as ?ticket= to the stream; never log it."})
    expires_in = fields.Integer(metadata={"example": 60})


class StreamQuery(StrictSchema):
    ticket = fields.String(required=True, validate=validate.Length(min=10, max=400))


@ns.route("/unread-count")
class NotificationUnread(Resource):
    @response(UnreadOut, description="The count; 304 with no body when If-None-Match holds the current ETag.")
    def get(self):
        """My unread count, cheap to poll: send back the ETag as If-None-Match and get 304 while nothing changed."""
        unread, latest = service.unread_state(db.session, user=current_user)
        etag = f'"n{current_user.id}-{unread}-{latest}"'
        headers = {"ETag": etag, "Cache-Control": "private, no-cache"}
        if etag in [t.strip() for t in request.headers.get("If-None-Match", "").split(",")]:
            return Response(status=304, headers=headers)
        return Response(dumps({"unread": unread, "latest_id": latest}), mimetype="application/json", headers=headers)


@ns.route("/stream-tickets")
class StreamTickets(Resource):
    @writes(False)
    @no_idempotency
    @response(TicketOut, 201)
    def post(self):
        """A short-lived ticket (60 s) that opens my live stream (EventSource cannot send the bearer token)."""
        return stream.issue_ticket(user_id=current_user.id, sid=get_jwt()["sid"])


@ns.route("/stream")
class NotificationStream(Resource):
    @public
    @errors(401, 429, 503)
    @query(StreamQuery)
    @file_response("text/event-stream", description="Server-sent events: `notification` events ({kind, "
                   "subject_type, subject_id}) as they are committed, a comment line every 15 s.")
    def get(self, args):
        """My notifications, live (server-sent events), opened with a stream ticket."""
        user_id, sid = stream.read_ticket(args["ticket"])
        if session_is_live(db.session, sid, user_id) is None:
            raise Problem(401, "The stream ticket is invalid or has expired. Ask for a new one.", type="invalid-ticket")
        return stream.open_stream(user_id)


api.add_namespace(ns, "/notifications")
