"""Residents, household claims and users."""
from __future__ import annotations

from flask_jwt_extended import current_user
from flask_restx import Namespace

from ..auth import service as auth_service
from ..core.http import (
    Resource,
    body,
    check_if_match,
    errors,
    if_match,
    no_idempotency,
    query,
    response,
    roles,
    sensitive,
)
from ..db import db
from ..extensions import api
from . import messages, service  # noqa: F401  (messages: the Chinese strings of this domain)
from .models import STAFF_ROLES
from .schemas import (
    ClaimOut,
    ClaimQuery,
    ClaimReviewIn,
    PasswordSetIn,
    ResidentIn,
    ResidentOut,
    ResidentPage,
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
    @errors(404)
    @query(ResidentQuery)
    @response(ResidentPage)
    def get(self, args):
        """Search residents by name or phone, filter by tag, area or building; `total` counts every page."""
        return service.list_residents(db.session, user=current_user._get_current_object(), **args)

    @roles(*STAFF_ROLES, "resident", "volunteer")
    @body(ResidentIn)
    @response(ResidentOut, 201, etag=True)
    def post(self, data):
        """Add a resident to a household (residents and volunteers: to their own)."""
        resident = service.create_resident(db.session, user=current_user, data=data)
        return resident, {"Location": api.url_for(ResidentItem, resident_id=resident.id)}


@residents.route("/<int:resident_id>")
class ResidentItem(Resource):
    @errors(404)
    @response(ResidentOut, etag=True)
    def get(self, resident_id):
        """One resident; the ETag header is needed to update it."""
        return service.get_resident(db.session, user=current_user, resident_id=resident_id)

    @roles(*STAFF_ROLES, "resident", "volunteer")
    @errors(404)
    @if_match
    @body(ResidentPatch)
    @response(ResidentOut, etag=True)
    def patch(self, resident_id, data):
        """Change a resident; send the ETag you read as If-Match."""
        resident = service.get_resident(db.session, user=current_user, resident_id=resident_id, action="update")
        check_if_match(resident)
        return service.update_resident(db.session, user=current_user, resident=resident, data=data)

    @roles(*STAFF_ROLES)
    @errors(404)
    @if_match
    @response(None, 204)
    def delete(self, resident_id):
        """Remove a resident (moved away, deceased); the audit log keeps the record."""
        resident = service.get_resident(db.session, user=current_user, resident_id=resident_id, action="delete")
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
        """Read a resident's full phone or ID-card number, saying why; the read and the reason are audited."""
        resident = service.get_resident(db.session, user=current_user, resident_id=resident_id)
        return service.reveal(db.session, user=current_user, resident=resident, **data)


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
        """Change an account's name, role, area or whether it is active (passwords: see password-reset)."""
        return service.update_user(db.session, user=current_user, user_id=user_id, data=data)


@users.route("/<int:user_id>/password-reset")
class UserPasswordReset(Resource):
    @roles(*STAFF_ROLES)
    @no_idempotency
    @errors(404)
    @body(PasswordSetIn)
    @response(None, 204)
    def post(self, user_id, data):
        """Set someone's password (they forgot it and came to the office): all their sessions end, the reset
        is audited, and they must choose a new password at their next sign-in. Not for your own account."""
        auth_service.reset_by_staff(db.session, actor=current_user, user_id=user_id,
                                    new_password=data["new_password"])


api.add_namespace(residents, "/residents")
api.add_namespace(claims, "/household-claims")
api.add_namespace(users, "/users")
