"""Residents, household claims and users."""
from __future__ import annotations

from flask_jwt_extended import current_user
from flask_restx import Namespace

from ..core.http import Resource, body, check_if_match, errors, if_match, query, response, roles, sensitive
from ..db import db
from ..extensions import api
from . import service
from .models import STAFF_ROLES
from .schemas import (
    ClaimOut,
    ClaimQuery,
    ClaimReviewIn,
    ResidentIn,
    ResidentOut,
    ResidentPatch,
    ResidentQuery,
    RevealIn,
    RevealOut,
    UserIn,
    UserOut,
    UserPatch,
    UserQuery,
)

residents = Namespace("residents", description="People living in households (personal data masked)")
claims = Namespace("household-claims", description="Self-registered residents' claims to a household")
users = Namespace("users", description="Accounts, roles and their areas")


@residents.route("")
class ResidentList(Resource):
    @query(ResidentQuery)
    @response(ResidentOut, paginated=True)
    def get(self, args):
        """Search residents by name or phone, filter by tag or area."""
        return service.list_residents(db.session, user=current_user, **args)

    @roles(*STAFF_ROLES, "resident")
    @body(ResidentIn)
    @response(ResidentOut, 201, etag=True)
    def post(self, data):
        """Add a resident to a household (residents may add to their own)."""
        resident = service.create_resident(db.session, user=current_user, data=data)
        return resident, {"Location": api.url_for(ResidentItem, resident_id=resident.id)}


@residents.route("/<int:resident_id>")
class ResidentItem(Resource):
    @errors(404)
    @response(ResidentOut, etag=True)
    def get(self, resident_id):
        """One resident; the ETag header is needed to update it."""
        return service.get_resident(db.session, user=current_user, resident_id=resident_id)

    @roles(*STAFF_ROLES, "resident")
    @errors(404)
    @if_match
    @body(ResidentPatch)
    @response(ResidentOut, etag=True)
    def patch(self, resident_id, data):
        """Change a resident; send the ETag you read as If-Match."""
        resident = service.get_resident(db.session, user=current_user, resident_id=resident_id)
        check_if_match(resident)
        return service.update_resident(db.session, user=current_user, resident=resident, data=data)

    @roles(*STAFF_ROLES)
    @errors(404)
    @if_match
    @response(None, 204)
    def delete(self, resident_id):
        """Remove a resident (moved away, deceased); the audit log keeps the record."""
        resident = service.get_resident(db.session, user=current_user, resident_id=resident_id)
        check_if_match(resident)
        service.delete_resident(db.session, user=current_user, resident=resident)


@residents.route("/<int:resident_id>/reveal")
class ResidentReveal(Resource):
    @roles(*STAFF_ROLES, "volunteer")
    @sensitive
    @errors(404)
    @body(RevealIn)
    @response(RevealOut)
    def post(self, resident_id, data):
        """Read a resident's full phone or ID-card number; the read is written to the audit log."""
        resident = service.get_resident(db.session, user=current_user, resident_id=resident_id)
        return service.reveal(db.session, user=current_user, resident=resident, fields=data["fields_"])


@claims.route("")
class ClaimList(Resource):
    @roles(*STAFF_ROLES)
    @query(ClaimQuery)
    @response(ClaimOut, paginated=True)
    def get(self, args):
        """Household claims waiting for (or past) verification."""
        return service.list_claims(db.session, user=current_user, **args)


@claims.route("/<int:claim_id>/review")
class ClaimReview(Resource):
    @roles(*STAFF_ROLES)
    @errors(404, 409)
    @body(ClaimReviewIn)
    @response(ClaimOut)
    def post(self, claim_id, data):
        """Approve or reject a household claim."""
        return service.review_claim(db.session, user=current_user, claim_id=claim_id, **data)


@users.route("")
class UserList(Resource):
    @roles(*STAFF_ROLES)
    @query(UserQuery)
    @response(UserOut, paginated=True)
    def get(self, args):
        """Accounts within your area."""
        return service.list_users(db.session, user=current_user, **args)

    @roles(*STAFF_ROLES)
    @body(UserIn)
    @response(UserOut, 201)
    def post(self, data):
        """Create an account with a role below yours, in your area."""
        return service.create_user(db.session, user=current_user, data=data)


@users.route("/<int:user_id>")
class UserItem(Resource):
    @roles(*STAFF_ROLES)
    @errors(404)
    @body(UserPatch)
    @response(UserOut)
    def patch(self, user_id, data):
        """Change an account's name, role, area, password or whether it is active."""
        return service.update_user(db.session, user=current_user, user_id=user_id, data=data)


api.add_namespace(residents, "/residents")
api.add_namespace(claims, "/household-claims")
api.add_namespace(users, "/users")
