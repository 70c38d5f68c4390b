"""Areas, stairwells and households."""
from __future__ import annotations

from flask import request
from flask_jwt_extended import current_user
from flask_restx import Namespace

from ..core.http import Resource, body, errors, public, query, response, roles
from ..core.ratelimit import public_read
from ..db import db
from ..extensions import api
from ..people.models import STAFF_ROLES
from ..people.schemas import HouseholdOut
from . import messages, service  # noqa: F401  (messages: the Chinese strings of this domain)
from .schemas import (
    AreaIn,
    AreaOut,
    AreaPatch,
    AreaQuery,
    AreaStatsList,
    AreaStatsOut,
    HouseholdBrief,
    HouseholdIn,
    HouseholdQuery,
    PublicBuildingList,
    PublicCommunityList,
    PublicRoomList,
    StairwellIn,
    StairwellOut,
    StairwellQuery,
)

areas = Namespace("areas", description="The town → community → section → grid tree")
stairwells = Namespace("stairwells", description="楼道: building units within grids")
households = Namespace("households", description="户: flats within stairwells")
public_ns = Namespace("public", description="Data anyone may read without signing in")


@areas.route("")
class AreaList(Resource):
    @query(AreaQuery)
    @response(AreaOut, paginated=True)
    def get(self, args):
        """List the areas you can see, from the top of the tree down (by depth, then creation)."""
        return service.list_areas(db.session, user=current_user, **args)

    @roles(*STAFF_ROLES)
    @body(AreaIn)
    @response(AreaOut, 201)
    def post(self, data):
        """Add a section under a community, or a grid under a section."""
        return service.create_area(db.session, user=current_user, **data)


@areas.route("/<int:area_id>")
class AreaItem(Resource):
    @errors(404)
    @response(AreaOut)
    def get(self, area_id):
        """One area."""
        return service.get_area(db.session, user=current_user, area_id=area_id)

    @roles(*STAFF_ROLES)
    @errors(404)
    @body(AreaPatch)
    @response(AreaOut)
    def patch(self, area_id, data):
        """Rename an area or change its code."""
        return service.update_area(db.session, user=current_user, area_id=area_id, data=data)


@areas.route("/<int:area_id>/stats")
class AreaStats(Resource):
    @roles(*STAFF_ROLES, "volunteer")
    @errors(404)
    @response(AreaStatsOut)
    def get(self, area_id):
        """How many sections, grids, stairwells, households and residents lie under an area."""
        return service.area_stats(db.session, user=current_user, area_id=area_id)


@areas.route("/<int:area_id>/children-stats")
class AreaChildrenStats(Resource):
    @roles(*STAFF_ROLES, "volunteer")
    @errors(404)
    @response(AreaStatsList)
    def get(self, area_id):
        """The figures of `/areas/{id}/stats` for each child area (for the town: per community)."""
        return {"items": service.children_stats(db.session, user=current_user, area_id=area_id)}


@stairwells.route("")
class StairwellList(Resource):
    @query(StairwellQuery)
    @response(StairwellOut, paginated=True)
    def get(self, args):
        """List stairwells, optionally of one grid."""
        return service.list_stairwells(db.session, user=current_user, **args)

    @roles(*STAFF_ROLES)
    @body(StairwellIn)
    @response(StairwellOut, 201)
    def post(self, data):
        """Add a stairwell to a grid."""
        return service.create_stairwell(db.session, user=current_user, **data)


@households.route("")
class HouseholdList(Resource):
    @query(HouseholdQuery)
    @response(HouseholdBrief, paginated=True)
    def get(self, args):
        """List households, optionally of one stairwell or area."""
        return service.list_households(db.session, user=current_user, **args)

    @roles(*STAFF_ROLES)
    @body(HouseholdIn)
    @response(HouseholdBrief, 201)
    def post(self, data):
        """Add a household to a stairwell."""
        return service.create_household(db.session, user=current_user, **data)


@households.route("/<int:household_id>")
class HouseholdItem(Resource):
    @errors(404)
    @response(HouseholdOut)
    def get(self, household_id):
        """One household with its residents (residents may read their own)."""
        return service.get_household(db.session, user=current_user, household_id=household_id,
                                     with_residents=True)


@public_ns.route("/communities")
class PublicCommunities(Resource):
    @public
    @errors(429)
    @response(PublicCommunityList)
    def get(self):
        """The communities of the town with their committee's phone, for the registration form."""
        public_read(request.remote_addr)
        return {"items": service.public_communities(db.session)}


@public_ns.route("/communities/<int:community_id>/buildings")
class PublicBuildings(Resource):
    @public
    @errors(404, 429)
    @response(PublicBuildingList)
    def get(self, community_id):
        """The buildings of a community and their units (stairwells), in natural order: the address picker."""
        public_read(request.remote_addr)
        return {"items": service.public_buildings(db.session, community_id=community_id)}


@public_ns.route("/stairwells/<int:stairwell_id>/rooms")
class PublicRooms(Resource):
    @public
    @errors(404, 429)
    @response(PublicRoomList)
    def get(self, stairwell_id):
        """The rooms of a stairwell with their household ids, in natural order: the address picker."""
        public_read(request.remote_addr)
        return {"items": service.public_rooms(db.session, stairwell_id=stairwell_id)}


api.add_namespace(areas, "/areas")
api.add_namespace(stairwells, "/stairwells")
api.add_namespace(households, "/households")
api.add_namespace(public_ns, "/public")
