"""Alliance member units: party branch, property company, volunteer teams, partner units; their members."""
from __future__ import annotations

from flask_jwt_extended import current_user
from flask_restx import Namespace

from ..core.http import Resource, body, errors, query, response, roles
from ..db import db
from ..extensions import api
from ..people.models import STAFF_ROLES
from . import messages, service  # noqa: F401  (messages: the Chinese strings of this domain)
from .schemas import MemberIn, MemberList, MemberOut, MemberPatch, UnitIn, UnitOut, UnitPatch, UnitQuery

ns = Namespace("units", description="红联盟 member units serving a community or the whole town")


@ns.route("")
class UnitList(Resource):
    @query(UnitQuery)
    @response(UnitOut, paginated=True)
    def get(self, args):
        """The alliance units serving your community (and the town-wide ones); a partner: its own unit.

        `category_id` keeps the units taking that case category (the dispatch screen's suggestions)."""
        return service.list_units(db.session, user=current_user, **args)

    @roles(*STAFF_ROLES)
    @body(UnitIn)
    @response(UnitOut, 201)
    def post(self, data):
        """Add a member unit to a community's alliance (or a town-wide one)."""
        return service.create_unit(db.session, user=current_user, data=data)


@ns.route("/<int:unit_id>")
class UnitItem(Resource):
    @errors(404)
    @response(UnitOut)
    def get(self, unit_id):
        """One member unit."""
        return service.get_unit(db.session, user=current_user, unit_id=unit_id)

    @roles(*STAFF_ROLES)
    @errors(404)
    @body(UnitPatch)
    @response(UnitOut)
    def patch(self, unit_id, data):
        """Change a member unit's details, categories and service kinds, or deactivate it.

        An inactive unit is not dispatched to, and its API clients stop working."""
        return service.update_unit(db.session, user=current_user, unit_id=unit_id, data=data)


@ns.route("/<int:unit_id>/members")
class UnitMembers(Resource):
    @roles(*STAFF_ROLES, "partner")
    @errors(403, 404)
    @response(MemberList)
    def get(self, unit_id):
        """The unit's partner accounts (staff of its area, and the unit's own members)."""
        return service.list_members(db.session, user=current_user, unit_id=unit_id)

    @roles(*STAFF_ROLES)
    @errors(403, 404, 409)
    @body(MemberIn)
    @response(MemberOut, 201)
    def post(self, unit_id, data):
        """Attach a partner account by its phone, or create one with a first password.

        Staff of the unit's area. A phone without an account needs `name` and `password` (changed at the first
        sign-in); an account of another unit answers 409."""
        return service.add_member(db.session, user=current_user, unit_id=unit_id, data=data)


@ns.route("/<int:unit_id>/members/<int:user_id>")
class UnitMember(Resource):
    @roles(*STAFF_ROLES)
    @errors(403, 404)
    @body(MemberPatch)
    @response(MemberOut)
    def patch(self, unit_id, user_id, data):
        """Make a member the unit's admin (manages its API clients and webhooks), or not."""
        return service.update_member(db.session, user=current_user, unit_id=unit_id, member_id=user_id, data=data)

    @roles(*STAFF_ROLES)
    @errors(403, 404)
    @response(None, 204)
    def delete(self, unit_id, user_id):
        """Detach the account from the unit (the account stays)."""
        service.remove_member(db.session, user=current_user, unit_id=unit_id, member_id=user_id)


api.add_namespace(ns, "/units")
