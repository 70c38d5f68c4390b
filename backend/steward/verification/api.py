"""Ask for a one-time SMS code; read the demo sender's codes."""
from __future__ import annotations

from flask import request
from flask_jwt_extended import current_user, verify_jwt_in_request
from flask_restx import Namespace

from ..core.http import Resource, body, errors, no_idempotency, public, query, response
from ..core.ratelimit import public_read
from ..db import db
from ..extensions import api
from . import messages, service  # noqa: F401  (messages: the Chinese strings of this domain)
from .models import Purpose
from .schemas import CodeRequestIn, CodeSentOut, DemoCodeList, DemoCodeQuery

codes = Namespace("sms-codes", description="One-time SMS codes proving a phone is yours")
demo = Namespace("demo", description="Demo helpers (only with the embedded log sender)")


@codes.route("")
class SmsCodes(Resource):
    @public
    @no_idempotency
    @errors(401, 403, 429)
    @body(CodeRequestIn)
    @response(CodeSentOut, 202)
    def post(self, data):
        """Send a one-time code to a phone: the same answer whether or not the phone has an account.

        `change_phone` needs a Bearer token (the code goes to the new number). Limited per phone
        (one code per minute, a few per hour) and per client address: 429 with `Retry-After`.
        """
        user = None
        if data["purpose"] == Purpose.CHANGE_PHONE:
            verify_jwt_in_request()
            user = current_user
        return service.request_code(db.session, phone=data["phone"], purpose=data["purpose"],
                                    ip=request.remote_addr, user=user)


@demo.route("/sms-codes")
class DemoSmsCodes(Resource):
    @public
    @errors(404, 429)
    @query(DemoCodeQuery)
    @response(DemoCodeList)
    def get(self, args):
        """The codes sent to a phone in the last five minutes — only with the demo (log) sender, else 404."""
        public_read(request.remote_addr)
        return {"items": service.demo_codes(phone=args["phone"])}


api.add_namespace(codes, "/auth/sms-codes")
api.add_namespace(demo, "/demo")
