"""Cases: report, follow, handle and rate; categories; statistics."""
from __future__ import annotations

from flask_jwt_extended import current_user
from flask_restx import Namespace

from .. import media
from ..core.export import csv_response
from ..core.http import (
    Resource,
    body,
    check_if_match,
    client_scope,
    errors,
    file_response,
    if_match,
    query,
    response,
    roles,
    writes,
)
from ..db import db
from ..extensions import api
from ..scope import get_for
from . import service
from .models import Category
from .schemas import (
    AcceptIn,
    AlertQuery,
    AssignIn,
    CaseIn,
    CaseOut,
    CasePatch,
    CaseQuery,
    CaseStatsOut,
    CategoryFields,
    CategoryIn,
    CategoryList,
    CategoryOut,
    CategoryQuery,
    CommentIn,
    DispatchIn,
    DuplicateIn,
    DuplicateList,
    DuplicateQuery,
    EventList,
    EventOut,
    ExportQuery,
    MediationIn,
    MediationList,
    MediationOut,
    NoteIn,
    PartPatch,
    PhotoQuery,
    PhotosIn,
    RateIn,
    ReasonIn,
    StatsQuery,
)

STAFF = ("admin", "town_staff", "staff")
HANDS_ON = (*STAFF, "volunteer")
ns = Namespace("cases", description="红网格事项: reports handled now (马上办), mediated (协商办) or jointly (联合办)")
cat_ns = Namespace("case-categories", description="What kinds of problem can be reported, with their SLAs")


@cat_ns.route("")
class CategoryCollection(Resource):
    @query(CategoryQuery)
    @response(CategoryList)
    def get(self, args):
        """Categories usable in your community: the town's defaults and your community's own."""
        return {"items": service.list_categories(db.session, user=current_user, **args)}

    @roles(*STAFF)
    @body(CategoryIn)
    @response(CategoryOut, 201)
    def post(self, data):
        """Add a category: town staff for the whole town, community staff for their community."""
        return service.create_category(db.session, user=current_user, data=data)


@cat_ns.route("/<int:category_id>")
class CategoryItem(Resource):
    @roles(*STAFF)
    @errors(404)
    @if_match
    @body(CategoryFields)
    @response(CategoryOut, etag=True)
    def patch(self, category_id, data):
        """Change a category (SLA hours, default mode, questions, active)."""
        category = get_for(db.session, current_user, Category, category_id, "update")
        check_if_match(category)
        return service.update_category(db.session, user=current_user, category=category, data=data)


@ns.route("")
class CaseCollection(Resource):
    @client_scope("cases:read")
    @query(CaseQuery)
    @response(CaseOut, paginated=True)
    def get(self, args):
        """Cases you can see, newest first: the staff board, a volunteer's grid, a unit's parts, my reports."""
        return service.list_cases(db.session, user=current_user, **args)

    @errors(409)
    @body(CaseIn, files="photos", max_files=6)
    @response(CaseOut, 201, etag=True)
    def post(self, data, photos):
        """Report a problem (resident), log one found on a grid walk (volunteer) or take one by phone (staff).

        Send JSON, or multipart/form-data with the JSON in a part `data` and up to 6 photos under `photos`.
        A report with any invalid part (a bad photo, a renamed program, an unknown category) is refused
        whole, and nothing of it is stored."""
        case = service.create_case(db.session, user=current_user, data=data, photos=photos)
        return case, {"Location": api.url_for(CaseItem, case_id=case.id)}


@ns.route("/duplicates")
class CaseDuplicates(Resource):
    @query(DuplicateQuery)
    @response(DuplicateList)
    def get(self, args):
        """Open reports of the same problem nearby (same stairwell or within 100 m, last 14 days), to follow."""
        return {"items": service.possible_duplicates(db.session, user=current_user, **args)}


@ns.route("/alerts")
class CaseAlerts(Resource):
    @query(AlertQuery)
    @response(CaseOut, paginated=True)
    def get(self, args):
        """Public hazard alerts of your community (e.g. an open manhole): open, or resolved this week."""
        return service.alerts(db.session, user=current_user, **args)


@ns.route("/stats")
class CaseStats(Resource):
    @roles(*HANDS_ON)
    @query(StatsQuery)
    @response(CaseStatsOut)
    def get(self, args):
        """Counts by state, mode, level, category and grid; median time to resolve; SLA compliance; ratings."""
        return service.stats(db.session, user=current_user, area_id=args.get("area_id"),
                             since=args.get("since"), until=args.get("until"))


@ns.route("/export.csv")
class CaseExport(Resource):
    @roles(*STAFF)
    @writes()  # the export is written to the audit log
    @query(ExportQuery)
    @file_response("text/csv", description="UTF-8 with a byte-order mark (opens in Excel/WPS); no personal data.")
    def get(self, args):
        """The board's cases as a CSV file (same filters as the board), for the committee's reports."""
        return csv_response(service.export_rows(db.session, user=current_user, filters=args), "cases.csv",
                            audit={"action": "case.export", "filters": args})


@ns.route("/<int:case_id>")
class CaseItem(Resource):
    @client_scope("cases:read")
    @errors(404)
    @response(CaseOut, etag=True)
    def get(self, case_id):
        """One case, with the steps you may take now."""
        return service.get_case(db.session, user=current_user, case_id=case_id)

    @roles(*STAFF)
    @errors(404, 409)
    @if_match
    @body(CasePatch)
    @response(CaseOut, etag=True)
    def patch(self, case_id, data):
        """Re-categorise, re-route (mode), rewrite, re-locate or change who may see a case."""
        case = service.get_case(db.session, user=current_user, case_id=case_id, action="edit")
        check_if_match(case)
        return service.update_case(db.session, user=current_user, case=case, data=data)


@ns.route("/<int:case_id>/events")
class CaseEvents(Resource):
    @client_scope("cases:read")
    @errors(404)
    @response(EventList)
    def get(self, case_id):
        """The case's timeline: every step, comment, assignment, re-categorisation and escalation."""
        case = service.get_case(db.session, user=current_user, case_id=case_id)
        return {"items": service.timeline(db.session, user=current_user, case=case)}


@ns.route("/<int:case_id>/comments")
class CaseComments(Resource):
    @client_scope("cases:write")
    @errors(404)
    @body(CommentIn)
    @response(EventOut, 201)
    def post(self, case_id, data):
        """Add a comment to the timeline (staff may keep it internal)."""
        case = service.get_case(db.session, user=current_user, case_id=case_id)
        return service.comment(db.session, user=current_user, case=case, **data)


@ns.route("/<int:case_id>/follow")
class CaseFollow(Resource):
    @roles("resident")
    @errors(404)
    @response(CaseOut)
    def post(self, case_id):
        """Follow an open report of the same problem instead of reporting it again."""
        return service.follow(db.session, user=current_user, case_id=case_id)


@ns.route("/<int:case_id>/photos")
class CasePhotos(Resource):
    @errors(404)
    @body(PhotosIn, files="photos", max_files=6)
    @response(CaseOut, 201)
    def post(self, case_id, data, photos):
        """Add photos: of the progress or the fix (handlers), or more of the problem (the reporter).

        multipart/form-data: `data` = {"stage": "fix", "note": "…"} and 1–6 files under `photos`."""
        case = service.get_case(db.session, user=current_user, case_id=case_id)
        return service.add_photos(db.session, user=current_user, case=case, photos=photos, **data)


@ns.route("/<int:case_id>/photos/<int:photo_id>")
class CasePhotoFile(Resource):
    @client_scope("cases:read")
    @errors(404)
    @query(PhotoQuery)
    @file_response("image/jpeg", "image/webp", description="The photo, re-encoded without EXIF/GPS; private cache.")
    def get(self, case_id, photo_id, args):
        """A photo of a case you may see (the same 404 as the case otherwise); `size=thumb` for the thumbnail."""
        photo = service.photo_of(db.session, user=current_user, case_id=case_id, photo_id=photo_id)
        return media.send_photo(photo.thumb_key if args["size"] == "thumb" else photo.key,
                                content_type=photo.content_type)


@ns.route("/<int:case_id>/parts/<int:part_id>")
class CasePartItem(Resource):
    @client_scope("cases:write")
    @roles(*STAFF, "partner")
    @errors(404, 409)
    @body(PartPatch)
    @response(CaseOut)
    def patch(self, case_id, part_id, data):
        """A unit reports on its part; the case resolves when every part is done."""
        case = service.get_case(db.session, user=current_user, case_id=case_id)
        return service.update_part(db.session, user=current_user, case=case, part_id=part_id, **data)


@ns.route("/<int:case_id>/mediations")
class CaseMediations(Resource):
    @errors(404)
    @response(MediationList)
    def get(self, case_id):
        """The mediation sessions of a 协商办 case."""
        case = service.get_case(db.session, user=current_user, case_id=case_id)
        return {"items": service.mediations(db.session, case=case)}

    @roles(*STAFF, "partner")
    @errors(404, 409)
    @body(MediationIn)
    @response(MediationOut, 201)
    def post(self, case_id, data):
        """Record a mediation session: parties, date, outcome, agreement."""
        case = service.get_case(db.session, user=current_user, case_id=case_id)
        return service.record_mediation(db.session, user=current_user, case=case, data=data)


def _step(name: str, schema, run, who: tuple[str, ...], doc: str) -> None:
    """One workflow step as ``POST /cases/{id}/<name>`` answering the case (409 lists the allowed steps)."""

    def post(self, case_id, data):
        case = service.get_case(db.session, user=current_user, case_id=case_id)
        return run(db.session, user=current_user, case=case, **data)

    class_name = "Case" + "".join(part.title() for part in name.split("_"))
    post.__doc__, post.__qualname__, post.__name__ = doc, f"{class_name}.post", "post"
    post = response(CaseOut)(body(schema)(errors(404, 409)(post)))
    if who:
        post = roles(*who)(post)
    ns.route(f"/<int:case_id>/{name.replace('_', '-')}")(type(class_name, (Resource,), {"post": post}))


EVERYONE: tuple[str, ...] = ()  # the rule in access.py decides (e.g. only the reporter confirms)
_step("accept", AcceptIn, service.accept, STAFF, "Accept a report (optionally re-routing it).")
_step("reject", ReasonIn, service.reject, STAFF, "Decline a report, saying why.")
_step("assign", AssignIn, service.assign, STAFF, "Give the case to a volunteer (马上办).")
_step("dispatch", DispatchIn, service.dispatch, STAFF, "Pass the case to one or more units (联合办 / 协商办).")
_step("start", NoteIn, service.start, HANDS_ON, "Start handling the case.")
_step("resolve", NoteIn, service.resolve, HANDS_ON, "Mark the problem fixed (every unit's part must be done).")
_step("close", NoteIn, service.close, STAFF, "Close a resolved case.")
_step("confirm", NoteIn, service.confirm, EVERYONE, "The reporter confirms the fix.")
_step("reopen", ReasonIn, service.reopen, EVERYONE, "The reporter reopens a resolved case within 7 days.")
_step("mark_duplicate", DuplicateIn, service.mark_duplicate, STAFF, "Merge into an earlier report of the same problem.")
_step("rate", RateIn, service.rate, EVERYONE, "The reporter rates the handling, 1–5, with a comment.")
_step("escalate", ReasonIn, service.escalate_case, STAFF,
      "Raise the case one level (grid → section → community → town), saying why.")
_step("deescalate", ReasonIn, service.deescalate_case, STAFF, "Hand the case back one level, saying why.")

api.add_namespace(ns, "/cases")
api.add_namespace(cat_ns, "/case-categories")
