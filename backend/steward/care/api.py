"""Care pairs (结对关爱): pair, visit, hours."""
from __future__ import annotations

from flask_jwt_extended import current_user
from flask_restx import Namespace

from ..core.http import Resource, body, errors, query, response, roles
from ..db import db
from ..extensions import api
from . import service
from .schemas import (
    EndIn,
    HoursOut,
    HoursQuery,
    MyCareList,
    PairIn,
    PairOut,
    PairQuery,
    VisitIn,
    VisitOut,
    VisitQuery,
)

STAFF = ("admin", "town_staff", "staff")
ns = Namespace("care", description="结对关爱: volunteers paired with elderly people living alone and needy families")


@ns.route("/pairs")
class PairList(Resource):
    @query(PairQuery)
    @response(PairOut, paginated=True)
    def get(self, args):
        """Care pairs you can see: staff their area's (filter overdue for the flagged ones), a volunteer their own."""
        return service.list_pairs(db.session, user=current_user, **args)

    @roles(*STAFF)
    @errors(409)
    @body(PairIn)
    @response(PairOut, 201)
    def post(self, data):
        """Pair a volunteer or a volunteer team with a household of 独居老人 or 困难家庭."""
        return service.create_pair(db.session, user=current_user, **data)


@ns.route("/pairs/<int:pair_id>")
class PairItem(Resource):
    @errors(404)
    @response(PairOut)
    def get(self, pair_id):
        """One care pair."""
        return service.get_pair(db.session, user=current_user, pair_id=pair_id)


@ns.route("/pairs/<int:pair_id>/end")
class PairEnd(Resource):
    @roles(*STAFF)
    @errors(404, 409)
    @body(EndIn)
    @response(PairOut)
    def post(self, pair_id, data):
        """End a pair (moved away, another volunteer takes over…), saying why."""
        pair = service.get_pair(db.session, user=current_user, pair_id=pair_id, action="end")
        return service.end_pair(db.session, user=current_user, pair=pair, **data)


@ns.route("/pairs/<int:pair_id>/visits")
class PairVisits(Resource):
    @errors(404)
    @query(VisitQuery)
    @response(VisitOut, paginated=True)
    def get(self, pair_id, args):
        """The visits of a pair, latest first."""
        pair = service.get_pair(db.session, user=current_user, pair_id=pair_id)
        return service.list_visits(db.session, user=current_user, pair=pair, **args)

    @roles(*STAFF, "volunteer", "partner")
    @errors(404)
    @body(VisitIn)
    @response(VisitOut, 201)
    def post(self, pair_id, data):
        """Log a visit: kind, minutes, an optional note (the volunteer's three taps)."""
        pair = service.get_pair(db.session, user=current_user, pair_id=pair_id, action="log_visit")
        return service.log_visit(db.session, user=current_user, pair=pair, **data)


@ns.route("/hours")
class Hours(Resource):
    @roles(*STAFF, "volunteer", "partner")
    @query(HoursQuery)
    @response(HoursOut)
    def get(self, args):
        """Volunteer hours: care visits per volunteer and per team, plus the activities each volunteer served
        (a volunteer sees their own, a partner its unit's)."""
        return service.hours(db.session, user=current_user, **args)


@ns.route("/my-household")
class MyHousehold(Resource):
    @response(MyCareList)
    def get(self):
        """Who looks after my household, and when they last came."""
        return {"items": service.my_household(db.session, user=current_user)}


api.add_namespace(ns, "/care")
