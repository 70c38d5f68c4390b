"""The coverage dashboard for staff and town staff."""
from __future__ import annotations

from flask_jwt_extended import current_user
from flask_restx import Namespace

from ..core.export import csv_response
from ..core.http import Resource, errors, file_response, query, response, roles, writes
from ..db import db
from ..extensions import api
from . import service
from .schemas import DashboardOut, DashboardQuery

STAFF = ("admin", "town_staff", "staff")
ns = Namespace("dashboard", description="Coverage, cases, bookings, care and forms at a glance (staff)")


@ns.route("")
class Dashboard(Resource):
    @roles(*STAFF)
    @errors(404)
    @query(DashboardQuery)
    @response(DashboardOut)
    def get(self, args):
        """Your community (town staff: the town, or `area_id`): coverage per grid, sections, weekly trend."""
        return service.dashboard(db.session, user=current_user, **args)


@ns.route("/export.csv")
class DashboardExport(Resource):
    @roles(*STAFF)
    @errors(404)
    @writes()  # the export is written to the audit log
    @query(DashboardQuery)
    @file_response("text/csv")
    def get(self, args):
        """The dashboard as a CSV (no personal data; audited)."""
        data = service.dashboard(db.session, user=current_user, **args)
        return csv_response(service.export_rows(data), "dashboard.csv",
                            audit={"action": "dashboard.export", "area_id": data["area"]["id"]})


api.add_namespace(ns, "/dashboard")
