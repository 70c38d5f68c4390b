"""Alliance member units: party branch, property company, volunteer teams, partner units."""
from __future__ import annotations

from flask_jwt_extended import current_user
from flask_restx import Namespace

from ..core.http import Resource, body, errors, query, response, roles
from ..db import db
from ..extensions import api
from ..people.models import STAFF_ROLES
from . import service
from .schemas import UnitIn, UnitOut, UnitPatch, UnitQuery

ns = Namespace("units", description="红联盟 member units serving a community or the whole town")


@ns.route("")
class UnitList(Resource):
    @query(UnitQuery)
    @response(UnitOut, paginated=True)
    def get(self, args):
        """The alliance units serving your community (and the town-wide ones)."""
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
        """Change a member unit's details, or deactivate it."""
        return service.update_unit(db.session, user=current_user, unit_id=unit_id, data=data)


api.add_namespace(ns, "/units")
