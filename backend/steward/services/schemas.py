from __future__ import annotations

import re
from datetime import timedelta

from flask import has_request_context
from flask_jwt_extended import current_user
from marshmallow import Schema, ValidationError, fields, pre_dump, validate, validates_schema

from ..alliances.schemas import UnitBrief
from ..areas.schemas import AreaBrief
from ..core.i18n import t
from ..core.pagination import PageArgs
from ..core.schemas import StrictSchema, Text
from ..people.models import Tag
from ..people.pii import mask_phone
from ..scope import can
from . import service as svc
from .models import Audience, BookingStatus, Category, Kind, RequestStatus, ServiceStatus

KINDS = [k.value for k in Kind]
CATEGORIES = [c.value for c in Category]
STATUSES = [s.value for s in ServiceStatus]
AUDIENCES = [a.value for a in Audience]
TAGS = [tag.value for tag in Tag]
BOOKING_STATUSES = [s.value for s in BookingStatus]
REQUEST_STATUSES = [s.value for s in RequestStatus]
CLOCK_RX = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$|^24:00$")
# Integers from clients are bounded (a 20-digit id or capacity is refused, not sent to the database).
ID = validate.Range(min=1, max=2**31 - 1)


CONTROL_RX = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")


class Words(Text):
    """Text for people: trimmed, and without NUL, control or bidi-override characters (PostgreSQL refuses
    NUL in text; the others disguise what staff read)."""

    def _deserialize(self, value, attr, data, **kwargs):
        value = super()._deserialize(value, attr, data, **kwargs)
        if CONTROL_RX.search(value):
            raise ValidationError("Remove control characters from the text.")
        return value


def _viewer():
    return current_user if has_request_context() else None


class Clock(fields.Field):
    """A time of day in the town (Asia/Shanghai) as ``HH:MM``; stored as minutes after midnight."""

    def __init__(self, **kw):
        kw.setdefault("metadata", {})
        kw["metadata"] = {"type": "string", "pattern": CLOCK_RX.pattern, "example": "09:00", **kw["metadata"]}
        super().__init__(**kw)

    def _serialize(self, value, attr, obj, **kwargs):
        return None if value is None else f"{value // 60:02d}:{value % 60:02d}"

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, str) or not CLOCK_RX.match(value):
            raise ValidationError("Enter a time as HH:MM (00:00–24:00).")
        hours, minutes = value.split(":")
        return int(hours) * 60 + int(minutes)


def Id(**kw) -> fields.Integer:
    """An id in a JSON body: a JSON integer within the database's range."""
    return fields.Integer(strict=True, validate=ID, **kw)


def QueryId(**kw) -> fields.Integer:
    """An id in the query string (text, read as an integer)."""
    return fields.Integer(validate=ID, **kw)


# ------------------------------------------------------------------ catalogue
class RuleSchema(StrictSchema):
    weekday = fields.Integer(required=True, strict=True, validate=validate.Range(min=0, max=6),
                             metadata={"description": "0 Monday … 6 Sunday (the town's calendar).", "example": 1})
    start_minute = Clock(required=True, data_key="start", metadata={"example": "09:00"})
    end_minute = Clock(required=True, data_key="end", metadata={"example": "11:00"})
    capacity = fields.Integer(strict=True, allow_none=True, validate=validate.Range(min=1, max=500),
                              metadata={"description": "Seats per slot; the service's when empty."})

    @validates_schema
    def _span(self, data, **_):
        if data["start_minute"] >= data["end_minute"]:
            raise ValidationError("The end must be after the start.", "end")


class PolicyFields(StrictSchema):
    slot_minutes = fields.Integer(strict=True, validate=validate.Range(min=5, max=720),
                                  metadata={"description": "Length of one slot.", "example": 30})
    capacity = fields.Integer(strict=True, validate=validate.Range(min=1, max=500),
                              metadata={"description": "Seats per slot (rules may say otherwise).", "example": 3})
    book_ahead_days = fields.Integer(strict=True, validate=validate.Range(min=1, max=90), metadata={"example": 14})
    cancel_cutoff_minutes = fields.Integer(strict=True, validate=validate.Range(min=0, max=7 * 24 * 60),
                                           metadata={"description": "Residents cancel up to this long before the "
                                                                    "start.", "example": 120})
    max_active_per_resident = fields.Integer(strict=True, validate=validate.Range(min=1, max=50), metadata={
        "description": "Upcoming bookings (or open requests) one resident may hold for this service.", "example": 2})
    waitlist = fields.Boolean(metadata={"description": "Residents may queue for a full slot."})
    audience = fields.String(validate=validate.OneOf(AUDIENCES), metadata={
        "description": "all: any resident of the community; verified: only residents whose household is verified."})
    required_tags = fields.List(fields.String(validate=validate.OneOf(TAGS)), validate=validate.Length(max=4),
                                metadata={"description": "Residents with any one of these tags (e.g. elderly_alone "
                                                         "独居老人); empty: no tag needed."})
    min_age = fields.Integer(strict=True, allow_none=True, validate=validate.Range(min=1, max=120),
                             metadata={"example": 60})


class ServiceFields(PolicyFields):
    category = fields.String(validate=validate.OneOf(CATEGORIES))
    title = Words(validate=validate.Length(min=1, max=60))
    description = Words(validate=validate.Length(max=2000))
    place = Words(allow_none=True, validate=validate.Length(max=120))
    provider_unit_id = Id(allow_none=True, metadata={"description": "The alliance unit that provides it; its "
                                                                    "partner accounts manage it too."})


class ServiceIn(ServiceFields):
    area_id = Id(required=True, metadata={"description": "A community, or the town for a town-wide service."})
    kind = fields.String(required=True, validate=validate.OneOf(KINDS), metadata={
        "description": "slots: booked by slot; on_request: asked for with details and a preferred time."})
    category = fields.String(required=True, validate=validate.OneOf(CATEGORIES))
    title = Words(required=True, validate=validate.Length(min=1, max=60), metadata={"example": "爱心午餐"})
    rules = fields.List(fields.Nested(RuleSchema), validate=validate.Length(max=50),
                        metadata={"description": "The weekly schedule (slots services)."})


class RuleOut(Schema):
    id = fields.Integer()
    weekday = fields.Integer()
    start = Clock(attribute="start_minute")
    end = Clock(attribute="end_minute")
    capacity = fields.Integer(allow_none=True)


def _ineligible(service) -> str | None:
    viewer = _viewer()
    if viewer is None:
        return None
    reason = svc.eligibility(viewer, service)
    return t(reason, **svc._reason_params(service)) if reason else None


def _service_steps(service) -> list[str]:
    viewer = _viewer()
    if viewer is None or not can(viewer, "update", service):
        return []
    return svc.SERVICE_ALLOWED.get(service.status, [])


class ServiceOut(Schema):
    id = fields.Integer()
    kind = fields.String(metadata={"enum": KINDS})
    category = fields.String(metadata={"enum": CATEGORIES})
    title = fields.String(metadata={"example": "爱心午餐"})
    description = fields.String()
    place = fields.String(allow_none=True, metadata={"example": "丽水湾睦邻点"})
    area = fields.Nested(AreaBrief)
    provider = fields.Nested(UnitBrief, allow_none=True)
    status = fields.String(metadata={"enum": STATUSES})
    audience = fields.String(metadata={"enum": AUDIENCES})
    required_tags = fields.List(fields.String(metadata={"enum": TAGS}))
    min_age = fields.Integer(allow_none=True)
    slot_minutes = fields.Integer()
    capacity = fields.Integer()
    book_ahead_days = fields.Integer()
    cancel_cutoff_minutes = fields.Integer()
    max_active_per_resident = fields.Integer()
    waitlist = fields.Boolean()
    rules = fields.List(fields.Nested(RuleOut))
    can_book = fields.Function(lambda s: _ineligible(s) is None and _viewer() is not None
                               and _viewer().role in ("resident", "volunteer"), metadata={
        "type": "boolean", "description": "May the viewer book (or request) it."})
    ineligible_reason = fields.Function(_ineligible, metadata={
        "type": "string", "nullable": True, "description": "Why the viewer may not book it, for people.",
        "example": "仅限年满 60 周岁的居民预约。"})
    allowed_steps = fields.Function(_service_steps, metadata={
        "type": "array", "items": {"type": "string", "enum": list(svc.SERVICE_STEPS)},
        "description": "Status steps the viewer may take (POST /services/{id}/<step>)."})
    version = fields.Integer()
    created_at = fields.DateTime()


class ServiceBrief(Schema):
    id = fields.Integer()
    title = fields.String()
    category = fields.String(metadata={"enum": CATEGORIES})
    place = fields.String(allow_none=True)


class ServiceQuery(PageArgs, StrictSchema):
    kind = fields.String(validate=validate.OneOf(KINDS))
    category = fields.String(validate=validate.OneOf(CATEGORIES))
    status = fields.String(validate=validate.OneOf(STATUSES), metadata={"description": "Staff: drafts, archived."})
    area_id = QueryId(metadata={"description": "Only the services of this community (or the town's own)."})
    q = Words(validate=validate.Length(min=1, max=50), metadata={"description": "Title contains."})


class RulesIn(StrictSchema):
    rules = fields.List(fields.Nested(RuleSchema), required=True, validate=validate.Length(max=50))


class RulesOut(Schema):
    rules = fields.List(fields.Nested(RuleOut))


class ExceptionIn(StrictSchema):
    day = fields.Date(required=True, metadata={"description": "The town's date.", "example": "2026-12-01"})
    kind = fields.String(required=True, validate=validate.OneOf(["closed", "extra"]), metadata={
        "description": "closed: no service (all day, or between start and end); extra: an added session."})
    start_minute = Clock(data_key="start", allow_none=True)
    end_minute = Clock(data_key="end", allow_none=True)
    capacity = fields.Integer(strict=True, allow_none=True, validate=validate.Range(min=1, max=500))
    note = Words(allow_none=True, validate=validate.Length(max=200), metadata={"example": "元旦休息"})

    @validates_schema
    def _span(self, data, **_):
        start, end = data.get("start_minute"), data.get("end_minute")
        if data["kind"] == "extra" and (start is None or end is None):
            raise ValidationError("An extra session needs its start and end.", "start")
        if (start is None) != (end is None):
            raise ValidationError("Give both start and end, or neither (the whole day).", "end")
        if start is not None and start >= end:
            raise ValidationError("The end must be after the start.", "end")


class ExceptionOut(Schema):
    id = fields.Integer()
    day = fields.Date()
    kind = fields.String(metadata={"enum": ["closed", "extra"]})
    start = Clock(attribute="start_minute", allow_none=True)
    end = Clock(attribute="end_minute", allow_none=True)
    capacity = fields.Integer(allow_none=True)
    note = fields.String(allow_none=True)


class ExceptionList(Schema):
    items = fields.List(fields.Nested(ExceptionOut))


# ------------------------------------------------------------------ slots
def seats_left(slot) -> int:
    """Seats a new booking can take now: none while a queue waits for the freed ones."""
    if slot.status != "open" or slot.waiting:
        return 0
    return max(slot.capacity - slot.booked, 0)


class SlotOut(Schema):
    id = fields.Integer()
    starts_at = fields.DateTime(metadata={"example": "2026-12-01T09:00:00+08:00"})
    ends_at = fields.DateTime()
    day = fields.Date(metadata={"description": "The town's date."})
    capacity = fields.Integer()
    booked = fields.Integer(metadata={"description": "Seats taken."})
    waiting = fields.Integer(metadata={"description": "Residents in the queue."})
    seats_left = fields.Function(seats_left, metadata={"type": "integer"})
    full = fields.Function(lambda s: s.status == "open" and seats_left(s) == 0, metadata={"type": "boolean"})
    status = fields.String(metadata={"enum": ["open", "closed"]})
    closed_reason = fields.String(allow_none=True)


class MyBookingBrief(Schema):
    id = fields.Integer()
    status = fields.String(metadata={"enum": BOOKING_STATUSES})
    code = fields.String()


class _Offer:
    """A slot seen by one viewer: the slot's fields plus the viewer's own booking of it."""

    def __init__(self, slot, mine):
        self._slot, self.mine = slot, mine

    def __getattr__(self, name):
        return getattr(self._slot, name)


class SlotAvailability(SlotOut):
    mine = fields.Nested(MyBookingBrief, allow_none=True, metadata={"description": "Your booking of this slot."})

    @pre_dump
    def _offer(self, item, **_):
        return _Offer(item["slot"], item["mine"])


class AvailabilityOut(Schema):
    service = fields.Nested(ServiceBrief)
    since = fields.Date()
    until = fields.Date()
    eligible = fields.Boolean(metadata={"description": "May the viewer book at all (see the service's reason)."})
    items = fields.List(fields.Nested(SlotAvailability))


class AvailabilityQuery(StrictSchema):
    since = fields.Date(metadata={"description": "First town date (today by default)."})
    until = fields.Date(metadata={"description": "Last town date (13 days after `since` by default; ≤ 63 days)."})


class SlotPatch(StrictSchema):
    capacity = fields.Integer(strict=True, validate=validate.Range(min=1, max=500))
    status = fields.String(validate=validate.OneOf(["open"]), metadata={"description": "Open a closed slot again."})


class SlotReasonIn(StrictSchema):
    reason = Words(required=True, validate=validate.Length(min=2, max=300))


# ------------------------------------------------------------------ bookings
class BookingIn(StrictSchema):
    slot_id = Id(required=True)
    waitlist = fields.Boolean(load_default=False, metadata={"description": "Join the queue if the slot is full."})
    note = Words(allow_none=True, validate=validate.Length(max=200), metadata={"example": "需要轮椅"})


def _booking_steps(b) -> list[str]:
    viewer = _viewer()
    if viewer is None:
        return []
    steps = []
    for name in svc.ALLOWED_NOW.get(b.status, []):
        if name != "cancel" and viewer.id == b.user_id:
            continue  # nobody checks themselves in
        permission = "cancel" if name == "cancel" else name
        if can(viewer, permission, b):
            steps.append(name)
    return steps


class BookingPerson(Schema):
    id = fields.Integer()
    name = fields.String()


def _holder_phone(b):
    viewer = _viewer()
    if viewer is None or viewer.id == b.user_id or not can(viewer, "check_in", b):
        return None
    return mask_phone(b.user.phone)


class BookingOut(Schema):
    id = fields.Integer()
    status = fields.String(metadata={"enum": BOOKING_STATUSES})
    code = fields.String(metadata={"description": "Check-in code (shown as text and as a QR code).",
                                   "example": "K7QXM2PA"})
    service = fields.Nested(ServiceBrief, attribute="slot.service")
    slot = fields.Nested(SlotOut)
    starts_at = fields.DateTime()
    person = fields.Nested(BookingPerson, attribute="user")
    phone = fields.Function(_holder_phone, metadata={"type": "string", "nullable": True, "example": "138****5678",
                                                     "description": "Masked; for whoever checks people in."})
    note = fields.String(allow_none=True)
    position = fields.Method("_position", metadata={"type": "integer", "nullable": True,
                                                    "description": "Place in the queue (waiting only)."})
    created_at = fields.DateTime()
    promoted_at = fields.DateTime(allow_none=True)
    cancelled_at = fields.DateTime(allow_none=True)
    cancel_reason = fields.String(allow_none=True)
    checked_in_at = fields.DateTime(allow_none=True)
    cancel_before = fields.Method("_cancel_before", metadata={
        "type": "string", "format": "date-time", "description": "Residents may cancel until then."})
    ics_url = fields.Function(lambda b: f"/api/v1/bookings/{b.id}/calendar.ics", metadata={"type": "string"})
    allowed_steps = fields.Function(_booking_steps, metadata={"type": "array", "items": {"type": "string"}})

    def _cancel_before(self, b):
        return (b.starts_at - timedelta(minutes=b.slot.service.cancel_cutoff_minutes)).isoformat()

    def _position(self, b):
        if b.status != BookingStatus.WAITING:
            return None
        from sqlalchemy import func, or_, select

        from ..db import db
        from .models import Booking

        return 1 + db.session.scalar(select(func.count()).select_from(Booking).where(
            Booking.slot_id == b.slot_id, Booking.status == BookingStatus.WAITING,
            or_(Booking.created_at < b.created_at, (Booking.created_at == b.created_at) & (Booking.id < b.id))))


class BookingQuery(PageArgs, StrictSchema):
    mine = fields.Boolean(metadata={"description": "Only my own bookings (always so for residents)."})
    service_id = QueryId()
    slot_id = QueryId()
    status = fields.List(fields.String(validate=validate.OneOf(BOOKING_STATUSES)), validate=validate.Length(max=5))
    when = fields.String(validate=validate.OneOf(["upcoming", "past"]), metadata={
        "description": "upcoming: soonest first; past (or neither): latest first."})


class CancelIn(StrictSchema):
    reason = Words(allow_none=True, validate=validate.Length(min=2, max=300), metadata={
        "description": "Required when staff or the provider cancel (the resident is told)."})


class CheckInCodeIn(StrictSchema):
    code = Words(required=True, validate=validate.Regexp(r"^[0-9A-Za-z\- ]{4,12}$"), metadata={"example": "K7QX-M2PA"})


class NoBodyIn(StrictSchema):
    pass


class RosterOut(Schema):
    slot = fields.Nested(SlotOut)
    service = fields.Nested(ServiceBrief, attribute="slot.service")
    bookings = fields.List(fields.Nested(BookingOut))


class DayRosterQuery(StrictSchema):
    day = fields.Date(required=True, metadata={"description": "The town's date."})


class DayRosterOut(Schema):
    items = fields.List(fields.Nested(RosterOut))


class ReportQuery(StrictSchema):
    since = fields.Date(required=True)
    until = fields.Date(required=True)
    service_id = QueryId()
    area_id = QueryId()


class ReportRow(Schema):
    day = fields.Date()
    service_id = fields.Integer()
    service = fields.String()
    slots = fields.Integer()
    capacity = fields.Integer()
    booked = fields.Integer(metadata={"description": "Seats booked, not (yet) checked in."})
    checked_in = fields.Integer()
    no_show = fields.Integer()
    cancelled = fields.Integer()
    waiting = fields.Integer()
    utilisation = fields.Float(allow_none=True, metadata={"description": "Seats taken / capacity (0–1)."})
    no_show_rate = fields.Float(allow_none=True, metadata={"description": "No-shows / (checked in + no-shows)."})


class ReportOut(Schema):
    items = fields.List(fields.Nested(ReportRow))


class FeedOut(Schema):
    active = fields.Boolean()
    created_at = fields.DateTime(allow_none=True)
    url = fields.String(allow_none=True, metadata={
        "description": "Only when created: the private address to subscribe to (keep it secret; rotate to revoke).",
        "example": "/api/v1/calendar-feeds/3hJk…Qw.ics"})


# ------------------------------------------------------------------ on-request
class RequestIn(StrictSchema):
    service_id = Id(required=True)
    details = Words(required=True, validate=validate.Length(min=2, max=1000),
                   metadata={"example": "降压药（氨氯地平片）两盒，社区卫生服务中心配药。"})
    address = Words(validate=validate.Length(min=2, max=200), metadata={"description": "Your home by default."})
    preferred_at = fields.AwareDateTime(default_timezone=None, allow_none=True)
    preferred_note = Words(allow_none=True, validate=validate.Length(max=100), metadata={"example": "工作日上午"})


def _request_steps(r) -> list[str]:
    viewer = _viewer()
    return svc.request_steps(viewer, r) if viewer is not None else []


class RequestOut(Schema):
    id = fields.Integer()
    service = fields.Nested(ServiceBrief)
    status = fields.String(metadata={"enum": REQUEST_STATUSES})
    details = fields.String()
    address = fields.String(allow_none=True)
    preferred_at = fields.DateTime(allow_none=True)
    preferred_note = fields.String(allow_none=True)
    scheduled_at = fields.DateTime(allow_none=True)
    person = fields.Nested(BookingPerson, attribute="user")
    created_at = fields.DateTime()
    done_at = fields.DateTime(allow_none=True)
    rating = fields.Integer(allow_none=True)
    rating_comment = fields.String(allow_none=True)
    allowed_steps = fields.Function(_request_steps, metadata={
        "type": "array", "items": {"type": "string"},
        "description": "Steps the viewer may take now (POST /service-requests/{id}/<step>)."})
    version = fields.Integer()


class RequestQuery(PageArgs, StrictSchema):
    status = fields.List(fields.String(validate=validate.OneOf(REQUEST_STATUSES)), validate=validate.Length(max=6))
    service_id = QueryId()
    mine = fields.Boolean()


class RequestNoteIn(StrictSchema):
    note = Words(validate=validate.Length(min=1, max=1000))


class DeclineIn(StrictSchema):
    note = Words(required=True, validate=validate.Length(min=2, max=1000), metadata={"description": "Why, for the resident."})


class ScheduleIn(RequestNoteIn):
    scheduled_at = fields.AwareDateTime(required=True, default_timezone=None)


class RequestRateIn(StrictSchema):
    rating = fields.Integer(required=True, strict=True, validate=validate.Range(min=1, max=5))
    comment = Words(validate=validate.Length(min=1, max=500))


class RequestCommentIn(StrictSchema):
    note = Words(required=True, validate=validate.Length(min=1, max=1000))


class RequestEventOut(Schema):
    id = fields.Integer()
    at = fields.DateTime()
    kind = fields.String(metadata={"example": "accept"})
    actor_name = fields.String(allow_none=True)
    actor_role = fields.String(allow_none=True)
    from_status = fields.String(allow_none=True)
    to_status = fields.String(allow_none=True)
    note = fields.String(allow_none=True)


class RequestEventList(Schema):
    items = fields.List(fields.Nested(RequestEventOut))
