"""Privacy rights: my data, a JSON copy, consent withdrawal, deletion requests and their confirmation."""
from __future__ import annotations

from flask import Response
from flask_jwt_extended import current_user
from flask_restx import Namespace

from ..core.http import Resource, body, dumps, errors, query, response, roles, sensitive, writes
from ..db import db
from ..extensions import api
from . import messages, service  # noqa: F401  (messages: the Chinese strings of this domain)
from .schemas import DeletionIn, DeletionOut, DeletionQuery, MyDataOut, MyRequestOut, RejectIn, WithdrawIn

STAFF = ("admin", "town_staff", "staff")
me = Namespace("my-data", description="我的数据: what the platform holds about you, a copy, consent, deletion")
staff = Namespace("deletion-requests", description="Residents' deletion requests, confirmed by staff")


@me.route("/data")
class MyData(Resource):
    @writes()  # the view is written to the audit log
    @response(MyDataOut)
    def get(self):
        """What the platform holds about me and my household (ID-card numbers masked)."""
        return service.my_data(db.session, user=current_user)


@me.route("/data/export")
class MyDataExport(Resource):
    @writes()
    @sensitive
    @response(MyDataOut, description="The same as GET /me/data with full values, as an attachment.")
    def get(self):
        """A copy of my data as a JSON file (full values; audited)."""
        data = MyDataOut().dump(service.my_data(db.session, user=current_user, full=True))
        return Response(dumps(data), mimetype="application/json", headers={
            "Content-Disposition": f'attachment; filename="steward-my-data-{current_user.id}.json"',
            "Cache-Control": "no-store"})


@me.route("/deletion-request")
class MyDeletionRequest(Resource):
    @response(MyRequestOut)
    def get(self):
        """My latest deletion request, if any."""
        return {"request": service.latest_request(db.session, user=current_user)}

    @roles("resident", "volunteer")
    @errors(409)
    @body(DeletionIn)
    @response(DeletionOut, 201)
    def post(self, data):
        """Ask the committee to erase my personal information."""
        return service.request_deletion(db.session, user=current_user, **data)


@me.route("/deletion-request/cancel")
class MyDeletionCancel(Resource):
    @roles("resident", "volunteer")
    @errors(409)
    @response(DeletionOut)
    def post(self):
        """Take back my open deletion request."""
        return service.cancel_request(db.session, user=current_user)


@me.route("/consent/withdraw")
class ConsentWithdraw(Resource):
    @roles("resident", "volunteer")
    @errors(409)
    @body(WithdrawIn)
    @response(DeletionOut, 201)
    def post(self, data):
        """Withdraw my consent: my account closes now and the committee erases my data."""
        data.pop("confirm")
        return service.withdraw_consent(db.session, user=current_user, **data)


@staff.route("")
class RequestList(Resource):
    @roles(*STAFF)
    @query(DeletionQuery)
    @response(DeletionOut, paginated=True)
    def get(self, args):
        """Deletion requests of residents of my area, newest first."""
        return service.list_requests(db.session, user=current_user, **args)


@staff.route("/<int:request_id>/confirm")
class RequestConfirm(Resource):
    @roles(*STAFF)
    @errors(404, 409)
    @response(DeletionOut)
    def post(self, request_id):
        """Confirm: the resident's personal information is erased (cases and audit keep their rows)."""
        req = service.get_request(db.session, user=current_user, request_id=request_id, action="decide")
        return service.confirm(db.session, user=current_user, req=req)


@staff.route("/<int:request_id>/reject")
class RequestReject(Resource):
    @roles(*STAFF)
    @errors(404, 409)
    @body(RejectIn)
    @response(DeletionOut)
    def post(self, request_id, data):
        """Refuse, saying why; the resident is told."""
        req = service.get_request(db.session, user=current_user, request_id=request_id, action="decide")
        return service.reject(db.session, user=current_user, req=req, **data)


api.add_namespace(me, "/me")
api.add_namespace(staff, "/deletion-requests")
