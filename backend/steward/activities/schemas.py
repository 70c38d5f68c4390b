from __future__ import annotations

from flask import has_request_context
from flask_jwt_extended import current_user
from marshmallow import Schema, fields, validate

from ..alliances.schemas import UnitBrief
from ..areas.schemas import AreaBrief
from ..core.i18n import t
from ..core.pagination import PageArgs
from ..core.schemas import StrictSchema
from ..people.pii import mask_phone
from ..scope import can
from ..services.schemas import AUDIENCES, TAGS, BookingPerson, CheckInCodeIn, Id, NoBodyIn, QueryId, Words  # noqa: F401
from . import service as svc
from .models import ActivityKind, ActivityStatus, SignupStatus

KINDS = [k.value for k in ActivityKind]
STATUSES = [s.value for s in ActivityStatus]
SIGNUP_STATUSES = [s.value for s in SignupStatus]


def _viewer():
    return current_user if has_request_context() else None


class ActivityFields(StrictSchema):
    title = Words(validate=validate.Length(min=1, max=60))
    description = Words(validate=validate.Length(max=4000))
    place = Words(allow_none=True, validate=validate.Length(max=120))
    unit_id = Id(allow_none=True, metadata={"description": "The organising alliance unit."})
    starts_at = fields.AwareDateTime(default_timezone=None)
    ends_at = fields.AwareDateTime(default_timezone=None)
    signup_deadline = fields.AwareDateTime(default_timezone=None, metadata={"description": "The start by default."})
    capacity = fields.Integer(strict=True, validate=validate.Range(min=1, max=5000))
    volunteer_minutes = fields.Integer(strict=True, validate=validate.Range(min=0, max=24 * 60), metadata={
        "description": "Credited to each volunteer who served (checked in) when the activity is completed."})
    audience = fields.String(validate=validate.OneOf(AUDIENCES))
    required_tags = fields.List(fields.String(validate=validate.OneOf(TAGS)), validate=validate.Length(max=4))
    min_age = fields.Integer(strict=True, allow_none=True, validate=validate.Range(min=1, max=120))


class ActivityIn(ActivityFields):
    area_id = Id(required=True, metadata={"description": "A community, or the town."})
    kind = fields.String(required=True, validate=validate.OneOf(KINDS), metadata={
        "description": "culture: 文化活动; volunteer: 志愿服务 (those who sign up serve and are credited hours)."})
    title = Words(required=True, validate=validate.Length(min=1, max=60), metadata={"example": "重阳节书画展"})
    starts_at = fields.AwareDateTime(required=True, default_timezone=None)
    ends_at = fields.AwareDateTime(required=True, default_timezone=None)
    capacity = fields.Integer(required=True, strict=True, validate=validate.Range(min=1, max=5000))


def _ineligible(a) -> str | None:
    viewer = _viewer()
    if viewer is None:
        return None
    reason = svc.eligibility(viewer, a)
    return t(reason, **svc.reason_params(a)) if reason else None


def _steps(a) -> list[str]:
    viewer = _viewer()
    return svc.ALLOWED.get(a.status, []) if viewer is not None and can(viewer, "update", a) else []


class ActivityOut(Schema):
    id = fields.Integer()
    kind = fields.String(metadata={"enum": KINDS})
    title = fields.String()
    description = fields.String()
    place = fields.String(allow_none=True)
    area = fields.Nested(AreaBrief)
    unit = fields.Nested(UnitBrief, allow_none=True)
    starts_at = fields.DateTime()
    ends_at = fields.DateTime()
    signup_deadline = fields.DateTime()
    capacity = fields.Integer()
    booked = fields.Integer(metadata={"description": "Places taken."})
    seats_left = fields.Function(lambda a: max(a.capacity - a.booked, 0), metadata={"type": "integer"})
    volunteer_minutes = fields.Integer()
    audience = fields.String(metadata={"enum": AUDIENCES})
    required_tags = fields.List(fields.String(metadata={"enum": TAGS}))
    min_age = fields.Integer(allow_none=True)
    status = fields.String(metadata={"enum": STATUSES})
    summary = fields.String(allow_none=True, metadata={"description": "Written when completed."})
    ineligible_reason = fields.Function(_ineligible, metadata={"type": "string", "nullable": True})
    allowed_steps = fields.Function(_steps, metadata={"type": "array", "items": {"type": "string"}})
    version = fields.Integer()


class ActivityBrief(Schema):
    id = fields.Integer()
    title = fields.String()
    starts_at = fields.DateTime()
    place = fields.String(allow_none=True)


class ActivityQuery(PageArgs, StrictSchema):
    kind = fields.String(validate=validate.OneOf(KINDS))
    status = fields.String(validate=validate.OneOf(STATUSES))
    when = fields.String(validate=validate.OneOf(["upcoming", "past"]))
    area_id = QueryId()


class SignupIn(StrictSchema):
    as_volunteer = fields.Boolean(load_default=False, metadata={
        "description": "Serve as a volunteer (volunteers only; always so for a 志愿服务 activity)."})


def _phone(s):
    viewer = _viewer()
    if viewer is None or viewer.id == s.user_id or not can(viewer, "check_in", s):
        return None
    return mask_phone(s.user.phone)


class SignupOut(Schema):
    id = fields.Integer()
    activity = fields.Nested(ActivityBrief)
    person = fields.Nested(BookingPerson, attribute="user")
    phone = fields.Function(_phone, metadata={"type": "string", "nullable": True})
    role = fields.String(metadata={"enum": ["participant", "volunteer"]})
    status = fields.String(metadata={"enum": SIGNUP_STATUSES})
    code = fields.String(metadata={"description": "Check-in code (text and QR).", "example": "K7QXM2PA"})
    created_at = fields.DateTime()
    checked_in_at = fields.DateTime(allow_none=True)
    minutes_credited = fields.Integer()


class SignupList(Schema):
    items = fields.List(fields.Nested(SignupOut))


class ActivityStepIn(StrictSchema):
    note = Words(validate=validate.Length(min=1, max=2000), metadata={
        "description": "cancel: why (required, residents are told); complete: a summary."})


class ActivityHoursQuery(StrictSchema):
    since = fields.AwareDateTime(default_timezone=None)
    until = fields.AwareDateTime(default_timezone=None)


class ActivityHoursRow(Schema):
    user_id = fields.Integer()
    name = fields.String()
    activities = fields.Integer()
    minutes = fields.Integer()
    hours = fields.Float()


class ActivityHoursOut(Schema):
    items = fields.List(fields.Nested(ActivityHoursRow))
