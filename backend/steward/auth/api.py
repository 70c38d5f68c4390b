"""Sign in and out, rotate tokens, register, and read yourself."""
from __future__ import annotations

from types import SimpleNamespace

from flask import request
from flask_jwt_extended import current_user, get_jwt, jwt_required
from flask_restx import Namespace
from marshmallow import Schema, fields, validate

from ..areas.models import Area
from ..core.http import Resource, body, errors, json_body, no_idempotency, public, refresh_token, response
from ..core.schemas import Password, Phone, StrictSchema, Text
from ..db import db
from ..extensions import api
from ..people.schemas import MeOut
from ..people.service import latest_claim
from . import service

ns = Namespace("auth", description="Sign-in, tokens and registration")
me_ns = Namespace("me", description="The signed-in user")


class LoginIn(StrictSchema):
    phone = Text(required=True, validate=validate.Length(min=1, max=20), metadata={"example": "13800000005"})
    password = fields.String(required=True, load_only=True, validate=validate.Length(min=1, max=128),
                             metadata={"example": "Steward@2026", "format": "password"})


class TokensOut(Schema):
    access_token = fields.String()
    refresh_token = fields.String()
    token_type = fields.String(metadata={"example": "Bearer"})
    expires_in = fields.Integer(metadata={"description": "Seconds until the access token expires.",
                                          "example": 900})
    user = fields.Nested(MeOut)


class PasswordChangeIn(StrictSchema):
    current_password = fields.String(required=True, load_only=True, validate=validate.Length(min=1, max=128))
    new_password = Password(required=True)


class LogoutIn(StrictSchema):
    refresh_token = fields.String(metadata={"description": "Optional; the session is revoked either way."})


class RegisterIn(StrictSchema):
    phone = Phone(required=True)
    password = Password(required=True)
    name = Text(required=True, validate=validate.Length(min=1, max=50))
    community_id = fields.Integer(required=True)
    building = Text(required=True, validate=validate.Length(min=1, max=20), metadata={"example": "12"})
    unit = Text(required=True, validate=validate.Length(min=1, max=20), metadata={"example": "2"})
    room = Text(required=True, validate=validate.Length(min=1, max=20), metadata={"example": "301"})


def _with_claim(user):
    """What ``MeOut`` shows of ``user`` (a SignedIn or a User): the row, the area, the community the
    area lies in, the unit, and the latest household claim."""
    community_id = Area.community_id(user.area)
    area = user.area
    if community_id is None:
        community = None
    elif community_id == area.id:
        community = area
    else:
        community = db.session.get(Area, community_id)
    return SimpleNamespace(
        id=user.id, phone=user.phone, name=user.name, role=user.role, area=area, community=community,
        resident_id=user.resident_id, household_id=user.household_id, unit=user.unit if user.unit_id else None,
        latest_claim=latest_claim(db.session, user))


@ns.route("/login")
class Login(Resource):
    @public
    @no_idempotency
    @errors(401, 403, 429)
    @body(LoginIn)
    @response(TokensOut)
    def post(self, data):
        """Sign in with phone and password; returns an access and a refresh token."""
        out = service.login(db.session, phone=data["phone"], password=data["password"],
                            ip=request.remote_addr, user_agent=request.user_agent.string)
        _with_claim(out["user"])
        return out


@ns.route("/refresh")
class Refresh(Resource):
    @refresh_token
    @no_idempotency
    @errors(401)
    @response(TokensOut)
    @jwt_required(refresh=True)
    def post(self):
        """Exchange a refresh token (as Bearer) for a new pair; the old refresh token stops working."""
        out = service.refresh(db.session, claims=get_jwt(), user=current_user)
        _with_claim(out["user"])
        return out


@ns.route("/logout")
class Logout(Resource):
    @no_idempotency
    @errors(401)
    @response(None, 204)
    def post(self):
        """Sign out: this session's access and refresh tokens stop working at once."""
        if request.get_data():
            LogoutIn().load(json_body())
        service.logout(db.session, sid=get_jwt()["sid"], user=current_user)


@ns.route("/register")
class Register(Resource):
    @public
    @errors(409, 429)
    @body(RegisterIn)
    @response(MeOut, 201)
    def post(self, data):
        """Create a resident account; the household claim waits for the committee to verify it."""
        user = service.register(db.session, **data)
        return _with_claim(user)


@me_ns.route("")
class Me(Resource):
    @errors(401)
    @response(MeOut)
    def get(self):
        """Who am I: role, area, household, and the state of my household claim."""
        return _with_claim(current_user)


@me_ns.route("/password")
class MyPassword(Resource):
    @no_idempotency
    @errors(401)
    @body(PasswordChangeIn)
    @response(None, 204)
    def post(self, data):
        """Change my password; my other devices are signed out."""
        service.change_password(db.session, user=current_user, sid=get_jwt()["sid"],
                                current=data["current_password"], new=data["new_password"])


api.add_namespace(ns, "/auth")
api.add_namespace(me_ns, "/me")
