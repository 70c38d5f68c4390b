"""Sign in and out, rotate tokens, register, recover a password, and read or change yourself."""
from __future__ import annotations

from types import SimpleNamespace

from flask import current_app, request
from flask_jwt_extended import current_user, get_jwt, jwt_required
from flask_restx import Namespace
from marshmallow import Schema, ValidationError, fields, validate
from sqlalchemy import bindparam, select

from ..areas.api import public_ns
from ..areas.models import Area, AreaKind
from ..core.http import Dumped, Resource, body, errors, json_body, no_idempotency, public, refresh_token, response
from ..core.ratelimit import public_read
from ..core.schemas import Password, Phone, StrictSchema, Text
from ..db import db, rows_connection
from ..extensions import api
from ..people import service as people
from ..people.schemas import ClaimBrief, MeOut, PersonName
from ..verification.senders import is_demo
from . import messages, service  # noqa: F401  (messages: the Chinese strings of this domain)
from .tokens import password_change_allowed

ns = Namespace("auth", description="Sign-in, tokens, registration and password recovery")
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


def Code(description: str = "The six-digit code from the SMS.", **kw) -> fields.String:
    return Text(validate=validate.Regexp(r"^\d{6}$"), load_only=True,
                metadata={"example": "123456", "description": description, "pattern": r"^\d{6}$"}, **kw)


def _accepted(value: bool) -> None:
    if value is not True:
        raise ValidationError("You must accept the privacy policy to register.")


class PasswordChangeIn(StrictSchema):
    current_password = fields.String(required=True, load_only=True, validate=validate.Length(min=1, max=128))
    new_password = Password(required=True)


class LogoutIn(StrictSchema):
    refresh_token = fields.String(metadata={"description": "Optional; the session is revoked either way."})


class RegisterIn(StrictSchema):
    phone = Phone(required=True)
    code = Code(required=True)
    password = Password(required=True)
    name = PersonName(required=True)
    household_id = fields.Integer(required=True, metadata={"description": "From the public address pickers."})
    accept_privacy = fields.Boolean(required=True, validate=_accepted,
                                    metadata={"description": "Must be true: the privacy policy of "
                                                             "GET /public/config is accepted."})


class PasswordResetIn(StrictSchema):
    phone = Phone(required=True)
    code = Code(required=True)
    new_password = Password(required=True)


class PhoneChangeIn(StrictSchema):
    new_phone = Phone(required=True)
    code = Code("The code sent to the new phone (purpose change_phone).", required=True)
    password = fields.String(required=True, load_only=True, validate=validate.Length(min=1, max=128),
                             metadata={"description": "Your current password.", "format": "password"})


class ClaimIn(StrictSchema):
    household_id = fields.Integer(required=True)


class PublicConfigOut(Schema):
    demo_sms = fields.Boolean(metadata={"description": "True when codes are not really sent (demo): read them "
                                                       "from GET /demo/sms-codes."})
    privacy_policy_version = fields.String(metadata={"example": "2026-11"})


# /me's area and community as plain rows, in one prebuilt statement: through the ORM (Session.get) they
# were a quarter of the request. tests/backend/test_fast_paths.py holds /me equal to MeOut's dump of the
# ORM objects, so a field added to AreaOut cannot go missing here.
_AREAS = select(*service.AREA_COLUMNS).where(Area.id.in_(bindparam("ids", expanding=True)))


def _areas(ids: set[int], known: SimpleNamespace | None = None) -> dict[int, SimpleNamespace]:
    """The areas ``ids`` as AreaOut and CommunityBrief read them (``full_name`` as Area.full_name);
    ``known`` is one already read (the signed-in user's, with the session)."""
    areas = {known.id: SimpleNamespace(**vars(known))} if known is not None else {}
    if ids - set(areas):
        areas.update((row.id, SimpleNamespace(**row._mapping))
                     for row in rows_connection(db.session).execute(_AREAS, {"ids": list(ids - set(areas))}))
    for area in areas.values():
        community = areas.get(Area.community_id(area)) if area.kind not in (AreaKind.TOWN, AreaKind.COMMUNITY) else None
        area.full_name = f"{community.name} {area.name}" if community is not None else area.name
    return areas


def _with_claim(user):
    """What ``MeOut`` shows of ``user`` (a SignedIn or a User): the row, the area, the community the
    area lies in, the unit, and the latest household claim."""
    community_id = Area.community_id(SimpleNamespace(path=user.area_path))
    areas = _areas({user.area_id} | ({community_id} if community_id else set()), getattr(user, "area_row", None))
    return SimpleNamespace(
        id=user.id, phone=user.phone, name=user.name, role=user.role,
        must_change_password=user.must_change_password, area=areas[user.area_id],
        community=areas.get(community_id) if community_id else None,
        resident_id=user.resident_id, household_id=user.household_id, unit=user.unit if user.unit_id else None,
        is_unit_admin=bool(user.is_unit_admin) if user.unit_id else False,
        latest_claim=people.latest_claim(db.session, user))


def me_out(user) -> Dumped:
    """MeOut's dump of ``user``, written here: ``GET /me`` is the app's most frequent request, and
    marshmallow cost a tenth of it. tests/backend/test_fast_paths.py holds it equal to MeOut's dump."""
    me = _with_claim(user)
    area, community, claim, unit = me.area, me.community, me.latest_claim, me.unit
    return Dumped(
        id=me.id, phone=me.phone, name=me.name, role=me.role, must_change_password=me.must_change_password,
        area={"id": area.id, "parent_id": area.parent_id, "kind": area.kind, "name": area.name, "code": area.code,
              "path": area.path, "depth": area.depth, "full_name": area.full_name,
              "office_phone": area.office_phone},
        community=None if community is None else {
            "id": community.id, "name": community.name, "full_name": community.full_name, "code": community.code,
            "office_phone": community.office_phone},
        resident_id=me.resident_id, household_id=me.household_id,
        claim=None if claim is None else {"id": claim.id, "status": claim.status,
                                          "address": claim.household.address, "note": claim.note},
        unit=None if unit is None else {"id": unit.id, "kind": unit.kind, "name": unit.name},
        is_unit_admin=me.is_unit_admin)


@ns.route("/login")
class Login(Resource):
    @public
    @no_idempotency
    @errors(401, 429)
    @body(LoginIn)
    @response(TokensOut)
    def post(self, data):
        """Sign in with phone and password; returns an access and a refresh token.

        A wrong password, an unknown phone and a disabled account all answer the same 401. Failures are
        limited per phone and address (429 + Retry-After); a phone failing from many addresses is slowed
        down, never locked. Check `user.must_change_password`: when true, only GET /me, POST /me/password,
        refresh and logout work until the password is changed.
        """
        out = service.login(db.session, phone=data["phone"], password=data["password"],
                            ip=request.remote_addr, user_agent=request.user_agent.string)
        out["user"] = _with_claim(out["user"])
        return out


@ns.route("/refresh")
class Refresh(Resource):
    @refresh_token
    @password_change_allowed
    @no_idempotency
    @errors(401)
    @response(TokensOut)
    @jwt_required(refresh=True)
    def post(self):
        """Exchange a refresh token (as Bearer) for a new pair; the old refresh token stops working."""
        out = service.refresh(db.session, claims=get_jwt(), user=current_user)
        out["user"] = _with_claim(out["user"])
        return out


@ns.route("/logout")
class Logout(Resource):
    @password_change_allowed
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
    @no_idempotency
    @errors(429)
    @body(RegisterIn)
    @response(MeOut, 201)
    def post(self, data):
        """Create a resident account with a code sent to the phone; the household claim waits for the committee.

        A wrong or expired code is a 422 on `code`; only then is a phone that already has an account
        a 422 on `phone`. Limited per phone and per address (429 + Retry-After).
        """
        user = service.register(db.session, ip=request.remote_addr, **data)
        return _with_claim(user)


@ns.route("/password-reset")
class PasswordReset(Resource):
    @public
    @no_idempotency
    @errors(429)
    @body(PasswordResetIn)
    @response(None, 204)
    def post(self, data):
        """Forgotten password: set a new one with a code sent to the phone (purpose reset_password).

        Every session of the account ends. A wrong code and an unknown phone get the same 422 on `code`.
        """
        service.reset_password(db.session, phone=data["phone"], code=data["code"],
                               new_password=data["new_password"], ip=request.remote_addr)


@me_ns.route("")
class Me(Resource):
    @password_change_allowed
    @errors(401)
    @response(MeOut)
    def get(self):
        """Who am I: role, area, household, the state of my household claim, must I change my password."""
        return me_out(current_user._get_current_object())


@me_ns.route("/password")
class MyPassword(Resource):
    @password_change_allowed
    @no_idempotency
    @errors(401, 429)
    @body(PasswordChangeIn)
    @response(None, 204)
    def post(self, data):
        """Change my password (the current one is required); my other devices are signed out."""
        service.change_password(db.session, user=current_user, sid=get_jwt()["sid"],
                                current=data["current_password"], new=data["new_password"])


@me_ns.route("/phone")
class MyPhone(Resource):
    @no_idempotency
    @errors(401, 403, 429)
    @body(PhoneChangeIn)
    @response(MeOut)
    def post(self, data):
        """Change my phone number with a code sent to the new one and my password; other devices sign out."""
        user = service.change_phone(db.session, user=current_user, sid=get_jwt()["sid"], **data)
        return _with_claim(user)


@me_ns.route("/household-claims")
class MyClaims(Resource):
    @errors(401, 403, 409)
    @body(ClaimIn)
    @response(ClaimBrief, 201)
    def post(self, data):
        """Claim a household (again, after a rejection); the committee verifies it.

        409 while a claim is pending or when the account already belongs to a household.
        """
        return people.claim_household(db.session, user=current_user, household_id=data["household_id"])


@public_ns.route("/config")
class PublicConfig(Resource):
    @public
    @errors(429)
    @response(PublicConfigOut)
    def get(self):
        """What the sign-up screens need to know: is SMS a demo, which privacy policy is current."""
        public_read(request.remote_addr)
        return {"demo_sms": is_demo(), "privacy_policy_version": current_app.config["PRIVACY_POLICY_VERSION"]}


api.add_namespace(ns, "/auth")
api.add_namespace(me_ns, "/me")
