"""Services, slots, bookings, on-request services and calendar feeds."""
from __future__ import annotations

from flask_jwt_extended import current_user
from flask_restx import Namespace

from ..core.errors import not_found
from ..core.export import csv_response
from ..core.http import (
    Resource,
    body,
    check_if_match,
    client_scope,
    errors,
    file_response,
    if_match,
    no_idempotency,
    public,
    query,
    response,
    roles,
    writes,
)
from ..core.ics import ics_response
from ..db import db
from ..extensions import api
from . import calendar, messages, service  # noqa: F401  (messages: the Chinese strings of this domain)
from .schemas import (
    AvailabilityOut,
    AvailabilityQuery,
    BookingIn,
    BookingOut,
    BookingQuery,
    CancelIn,
    CheckInCodeIn,
    DayRosterOut,
    DayRosterQuery,
    DeclineIn,
    ExceptionIn,
    ExceptionList,
    ExceptionOut,
    FeedOut,
    NoBodyIn,
    ReportOut,
    ReportQuery,
    RequestCommentIn,
    RequestEventList,
    RequestEventOut,
    RequestIn,
    RequestNoteIn,
    RequestOut,
    RequestQuery,
    RequestRateIn,
    RosterOut,
    RulesIn,
    RulesOut,
    ScheduleIn,
    ServiceFields,
    ServiceIn,
    ServiceOut,
    ServiceQuery,
    SlotOut,
    SlotPatch,
    SlotReasonIn,
)

STAFF = ("admin", "town_staff", "staff")
MANAGERS = (*STAFF, "partner")  # staff, and the provider unit for the services it provides
DOOR = (*MANAGERS, "volunteer")  # who checks people in
RESIDENTS = ("resident", "volunteer")  # who book for themselves

ns = Namespace("services", description="预约服务: the catalogue, weekly schedules, slots and reports")
slot_ns = Namespace("service-slots", description="One bookable session: roster, closing, capacity")
booking_ns = Namespace("bookings", description="Residents' bookings: book, queue, cancel, check in, calendar")
request_ns = Namespace("service-requests", description="代办: on-request services (代购药品, 上门理发) and their timeline")
feed_ns = Namespace("calendar-feeds", description="A resident's private calendar subscription (ICS)")


# ------------------------------------------------------------------ catalogue
@ns.route("")
class ServiceCollection(Resource):
    @client_scope("services:read")
    @query(ServiceQuery)
    @response(ServiceOut, paginated=True)
    def get(self, args):
        """Services you can see: residents the published ones of their community and the town, with who may book.

        Each item says whether you may book it (`can_book`) and, if not, why (`ineligible_reason`)."""
        return service.list_services(db.session, user=current_user, **args)

    @roles(*STAFF)
    @errors(404)
    @body(ServiceIn)
    @response(ServiceOut, 201, etag=True)
    def post(self, data):
        """Add a service (a draft) to a community's catalogue or the town's, with its policy and weekly schedule."""
        created = service.create_service(db.session, user=current_user, data=data)
        return created, {"Location": api.url_for(ServiceItem, service_id=created.id)}


@ns.route("/reports/daily")
class ServiceReport(Resource):
    @client_scope("bookings:read")
    @roles(*MANAGERS)
    @query(ReportQuery)
    @response(ReportOut)
    def get(self, args):
        """Per service and day: slots, seats, bookings by outcome, utilisation and no-show rate."""
        return {"items": service.daily_report(db.session, user=current_user, **args)}


@ns.route("/reports/daily.csv")
class ServiceReportCsv(Resource):
    @client_scope("bookings:read")
    @roles(*MANAGERS)
    @writes()  # the export is written to the audit log
    @query(ReportQuery)
    @file_response("text/csv", description="UTF-8 with a byte-order mark (opens in Excel/WPS); no personal data.")
    def get(self, args):
        """The daily report as a CSV file."""
        rows = service.daily_report(db.session, user=current_user, **args)
        return csv_response(service.report_rows(rows), "service-report.csv",
                            audit={"action": "service.report_export", "filters": args})


@ns.route("/<int:service_id>")
class ServiceItem(Resource):
    @client_scope("services:read")
    @errors(404)
    @response(ServiceOut, etag=True)
    def get(self, service_id):
        """One service with its policy, weekly schedule and whether you may book it."""
        return service.get_service(db.session, user=current_user, service_id=service_id)

    @client_scope("services:write")
    @roles(*MANAGERS)
    @errors(404, 409)
    @if_match
    @body(ServiceFields)
    @response(ServiceOut, etag=True)
    def patch(self, service_id, data):
        """Change a service's description, eligibility or policy (future slots follow a new capacity)."""
        found = service.get_service(db.session, user=current_user, service_id=service_id, action="update")
        check_if_match(found)
        return service.update_service(db.session, user=current_user, service=found, data=data)


@ns.route("/<int:service_id>/rules")
class ServiceRules(Resource):
    @client_scope("services:read")
    @errors(404)
    @response(RulesOut)
    def get(self, service_id):
        """The weekly schedule: openings per weekday in the town's time (Asia/Shanghai)."""
        return service.get_service(db.session, user=current_user, service_id=service_id)

    @client_scope("services:write")
    @roles(*MANAGERS)
    @errors(404, 409)
    @body(RulesIn)
    @response(RulesOut)
    def put(self, service_id, data):
        """Replace the weekly schedule, e.g. Tuesdays 09:00–11:00; future slots follow (booked ones stay)."""
        found = service.get_service(db.session, user=current_user, service_id=service_id, action="schedule")
        return service.set_rules(db.session, user=current_user, service=found, rules=data["rules"])


@ns.route("/<int:service_id>/exceptions")
class ServiceExceptions(Resource):
    @client_scope("services:read")
    @errors(404)
    @response(ExceptionList)
    def get(self, service_id):
        """Closures and extra sessions from 30 days ago on."""
        found = service.get_service(db.session, user=current_user, service_id=service_id)
        return {"items": service.list_exceptions(db.session, service=found)}

    @client_scope("services:write")
    @roles(*MANAGERS)
    @errors(404, 409)
    @body(ExceptionIn)
    @response(ExceptionOut, 201)
    def post(self, service_id, data):
        """Close a day or some hours (holidays; booked residents are told), or add an extra session."""
        found = service.get_service(db.session, user=current_user, service_id=service_id, action="schedule")
        return service.add_exception(db.session, user=current_user, service=found, data=data)


@ns.route("/<int:service_id>/exceptions/<int:exception_id>")
class ServiceException(Resource):
    @client_scope("services:write")
    @roles(*MANAGERS)
    @errors(404)
    @response(None, 204)
    def delete(self, service_id, exception_id):
        """Remove a closure (its slots open again) or an extra session (its unbooked slots go)."""
        found = service.get_service(db.session, user=current_user, service_id=service_id, action="schedule")
        service.delete_exception(db.session, user=current_user, service=found, exception_id=exception_id)


@ns.route("/<int:service_id>/slots")
class ServiceSlots(Resource):
    @client_scope("services:read")
    @errors(404)
    @query(AvailabilityQuery)
    @response(AvailabilityOut)
    def get(self, service_id, args):
        """Availability: the slots of the next 14 days (or `since`…`until`), seats left, full ones marked, your own
        booking of each."""
        found = service.get_service(db.session, user=current_user, service_id=service_id)
        return service.availability(db.session, user=current_user, service=found, **args)


@ns.route("/<int:service_id>/roster")
class ServiceDayRoster(Resource):
    @client_scope("bookings:read")
    @roles(*DOOR)
    @errors(404)
    @query(DayRosterQuery)
    @response(DayRosterOut)
    def get(self, service_id, args):
        """The day's roster of a service, slot by slot, for check-in at the door."""
        found = service.get_service(db.session, user=current_user, service_id=service_id)
        return {"items": service.day_roster(db.session, user=current_user, service=found, day=args["day"])}


@ns.route("/<int:service_id>/roster.csv")
class ServiceDayRosterCsv(Resource):
    @client_scope("bookings:read")
    @roles(*MANAGERS)
    @writes()
    @errors(404)
    @query(DayRosterQuery)
    @file_response("text/csv", description="The printable roster: time, status, name, code (no phone numbers).")
    def get(self, service_id, args):
        """The day's roster as a CSV file, for printing."""
        found = service.get_service(db.session, user=current_user, service_id=service_id, action="roster")
        entries = service.day_roster(db.session, user=current_user, service=found, day=args["day"])
        return csv_response(service.roster_rows(entries), f"roster-{found.id}-{args['day'].isoformat()}.csv",
                            audit={"action": "service.roster_export", "service_id": found.id, "day": args["day"]})


def _service_step(name: str, doc: str) -> None:
    def post(self, service_id, data):
        found = service.get_service(db.session, user=current_user, service_id=service_id)
        return service.service_step(db.session, user=current_user, service=found, step=name)

    class_name = "Service" + name.title()
    post.__doc__, post.__qualname__, post.__name__ = doc, f"{class_name}.post", "post"
    post = client_scope("services:write")(roles(*MANAGERS)(response(ServiceOut)(body(NoBodyIn)(errors(404, 409)(post)))))
    ns.route(f"/<int:service_id>/{name}")(type(class_name, (Resource,), {"post": post}))


_service_step("publish", "Publish a service: residents see it and its slots are generated.")
_service_step("unpublish", "Take a service back to draft (its future slots close; booked residents are told).")
_service_step("archive", "Archive a service (its future slots close; booked residents are told).")


# ------------------------------------------------------------------ slots
@slot_ns.route("/<int:slot_id>")
class SlotItem(Resource):
    @client_scope("services:read")
    @errors(404)
    @response(SlotOut)
    def get(self, slot_id):
        """One slot with its seats."""
        return service.get_slot(db.session, user=current_user, slot_id=slot_id)

    @client_scope("services:write")
    @roles(*MANAGERS)
    @errors(404, 409)
    @body(SlotPatch)
    @response(SlotOut)
    def patch(self, slot_id, data):
        """Change one slot's capacity (never below the seats taken; more seats go to the queue) or reopen it."""
        slot = service.get_slot(db.session, user=current_user, slot_id=slot_id)
        return service.update_slot(db.session, user=current_user, slot=slot, **data)


@slot_ns.route("/<int:slot_id>/close")
class SlotClose(Resource):
    @client_scope("services:write")
    @roles(*MANAGERS)
    @errors(404, 409)
    @body(SlotReasonIn)
    @response(SlotOut)
    def post(self, slot_id, data):
        """Close a slot: its bookings and queue are cancelled and every resident is told why."""
        slot = service.get_slot(db.session, user=current_user, slot_id=slot_id)
        return service.close_slot(db.session, user=current_user, slot=slot, reason=data["reason"])


@slot_ns.route("/<int:slot_id>/roster")
class SlotRoster(Resource):
    @client_scope("bookings:read")
    @roles(*DOOR)
    @errors(404)
    @response(RosterOut)
    def get(self, slot_id):
        """Who is coming (seats, then the queue in order), with check-in codes and states."""
        slot = service.get_slot(db.session, user=current_user, slot_id=slot_id)
        return {"slot": slot, "bookings": service.roster(db.session, user=current_user, slot=slot)}


# ------------------------------------------------------------------ bookings
@booking_ns.route("")
class BookingCollection(Resource):
    @query(BookingQuery)
    @response(BookingOut, paginated=True)
    def get(self, args):
        """Bookings: a resident's own (history and upcoming); staff and providers those of their services."""
        return service.list_bookings(db.session, user=current_user, **args)

    @roles(*RESIDENTS)
    @errors(403, 409)
    @body(BookingIn)
    @response(BookingOut, 201)
    def post(self, data):
        """Book a seat at a slot, or join its queue (`waitlist: true`) when it is full.

        409 `slot-full` (with `waitlist: true` when the service keeps a queue), `already-booked`,
        `booking-limit`, `slot-closed`; 403 `not-eligible` with the reason; 422 for a slot that has started,
        is too far ahead or does not exist. Send an `Idempotency-Key`: a retried tap then books once."""
        booking = service.book(db.session, user=current_user, **data)
        return booking, {"Location": api.url_for(BookingItem, booking_id=booking.id)}


@booking_ns.route("/check-in")
class BookingCheckInByCode(Resource):
    @roles(*DOOR)
    @errors(404, 409)
    @body(CheckInCodeIn)
    @response(BookingOut)
    def post(self, data):
        """Check a resident in by the code they show (typed, or read from their QR code)."""
        return service.check_in_by_code(db.session, user=current_user, code=data["code"])


@booking_ns.route("/<int:booking_id>")
class BookingItem(Resource):
    @errors(404)
    @response(BookingOut)
    def get(self, booking_id):
        """One booking, with its check-in code, queue position and the steps you may take."""
        return service.get_booking(db.session, user=current_user, booking_id=booking_id)


@booking_ns.route("/<int:booking_id>/cancel")
class BookingCancel(Resource):
    @errors(404, 409)
    @body(CancelIn)
    @response(BookingOut)
    def post(self, booking_id, data):
        """Cancel: the resident before the cut-off (409 `cancel-cutoff` after); staff or the provider any time,
        with a reason the resident is told. A freed seat goes to the queue."""
        booking = service.get_booking(db.session, user=current_user, booking_id=booking_id)
        return service.cancel(db.session, user=current_user, booking=booking, reason=data.get("reason"))


@booking_ns.route("/<int:booking_id>/check-in")
class BookingCheckIn(Resource):
    @roles(*DOOR)
    @errors(404, 409)
    @body(NoBodyIn)
    @response(BookingOut)
    def post(self, booking_id, data):
        """Check a resident in from the roster (from an hour before the start)."""
        booking = service.get_booking(db.session, user=current_user, booking_id=booking_id)
        return service.check_in(db.session, user=current_user, booking=booking)


@booking_ns.route("/<int:booking_id>/no-show")
class BookingNoShow(Resource):
    @roles(*MANAGERS)
    @errors(404, 409)
    @body(NoBodyIn)
    @response(BookingOut)
    def post(self, booking_id, data):
        """Record that the resident did not come (once the slot has started; the nightly job does the rest)."""
        booking = service.get_booking(db.session, user=current_user, booking_id=booking_id)
        return service.mark_no_show(db.session, user=current_user, booking=booking)


@booking_ns.route("/<int:booking_id>/calendar.ics")
class BookingIcs(Resource):
    @errors(404)
    @file_response("text/calendar", description="An iCalendar (RFC 5545) file with the one event.")
    def get(self, booking_id):
        """The booking as a calendar file (添加到日历)."""
        booking = service.get_booking(db.session, user=current_user, booking_id=booking_id)
        return ics_response(calendar.booking_ics(booking), f"booking-{booking.id}.ics")


# ------------------------------------------------------------------ calendar feed
@feed_ns.route("")
class FeedMine(Resource):
    @response(FeedOut)
    def get(self):
        """Whether I have a calendar subscription (its address is shown only when created)."""
        feed = calendar.feed_of(db.session, user=current_user)
        return {"active": feed is not None, "created_at": feed.created_at if feed else None, "url": None}

    @no_idempotency  # hands out a secret
    @response(FeedOut, 201)
    def post(self):
        """Create my private calendar address (replacing, and so revoking, any earlier one)."""
        feed, token = calendar.create_feed(db.session, user=current_user)
        return {"active": True, "created_at": feed.created_at, "url": api.url_for(FeedIcs, token=token)}

    @response(None, 204)
    def delete(self):
        """Revoke my calendar address: a subscribed calendar stops updating."""
        calendar.revoke_feed(db.session, user=current_user)


@feed_ns.route("/<token>.ics")
class FeedIcs(Resource):
    @public
    @writes()  # remembers when the feed was last read
    @errors(404)
    @file_response("text/calendar", description="iCalendar (RFC 5545): the resident's bookings and activities.")
    def get(self, token):
        """A resident's calendar feed, by its secret address (no token: calendar apps cannot sign in)."""
        if len(token) > 64:
            raise not_found()
        body_ = calendar.feed_calendar(db.session, token=token)
        if body_ is None:
            raise not_found()
        return ics_response(body_, "steward.ics")


# ------------------------------------------------------------------ on-request services
@request_ns.route("")
class RequestCollection(Resource):
    @query(RequestQuery)
    @response(RequestOut, paginated=True)
    def get(self, args):
        """Requests: a resident's own; staff and providers those of their services, newest first."""
        return service.list_requests(db.session, user=current_user, **args)

    @roles(*RESIDENTS)
    @errors(403, 409)
    @body(RequestIn)
    @response(RequestOut, 201)
    def post(self, data):
        """Ask for an on-request service (代购药品): what, where (your home by default) and when suits you."""
        req = service.create_request(db.session, user=current_user, data=data)
        return req, {"Location": api.url_for(RequestItem, request_id=req.id)}


@request_ns.route("/<int:request_id>")
class RequestItem(Resource):
    @errors(404)
    @response(RequestOut)
    def get(self, request_id):
        """One request with the steps you may take now."""
        return service.get_request(db.session, user=current_user, request_id=request_id)


@request_ns.route("/<int:request_id>/events")
class RequestEvents(Resource):
    @errors(404)
    @response(RequestEventList)
    def get(self, request_id):
        """The request's timeline."""
        req = service.get_request(db.session, user=current_user, request_id=request_id)
        return {"items": service.request_timeline(db.session, req=req)}


@request_ns.route("/<int:request_id>/comments")
class RequestComments(Resource):
    @errors(404)
    @body(RequestCommentIn)
    @response(RequestEventOut, 201)
    def post(self, request_id, data):
        """Add a message to the timeline (the other side is told)."""
        req = service.get_request(db.session, user=current_user, request_id=request_id)
        return service.comment_request(db.session, user=current_user, req=req, note=data["note"])


@request_ns.route("/<int:request_id>/rate")
class RequestRate(Resource):
    @errors(404, 409)
    @body(RequestRateIn)
    @response(RequestOut)
    def post(self, request_id, data):
        """The resident rates a done request, 1–5."""
        req = service.get_request(db.session, user=current_user, request_id=request_id)
        return service.rate_request(db.session, user=current_user, req=req, **data)


def _request_step(name: str, schema, who: tuple[str, ...], doc: str) -> None:
    def post(self, request_id, data):
        req = service.get_request(db.session, user=current_user, request_id=request_id)
        return service.request_step(db.session, user=current_user, req=req, step=name, **data)

    class_name = "Request" + name.title()
    post.__doc__, post.__qualname__, post.__name__ = doc, f"{class_name}.post", "post"
    post = response(RequestOut)(body(schema)(errors(404, 409)(post)))
    if who:
        post = roles(*who)(post)
    request_ns.route(f"/<int:request_id>/{name}")(type(class_name, (Resource,), {"post": post}))


_request_step("accept", RequestNoteIn, MANAGERS, "Take on a request.")
_request_step("schedule", ScheduleIn, MANAGERS, "Say when it will be done (the resident is told).")
_request_step("complete", RequestNoteIn, MANAGERS, "Mark it done (the resident is asked to rate it).")
_request_step("decline", DeclineIn, MANAGERS, "Decline a request, saying why.")
_request_step("cancel", RequestNoteIn, (), "The resident withdraws the request.")

api.add_namespace(ns, "/services")
api.add_namespace(slot_ns, "/service-slots")
api.add_namespace(booking_ns, "/bookings")
api.add_namespace(request_ns, "/service-requests")
api.add_namespace(feed_ns, "/calendar-feeds")
