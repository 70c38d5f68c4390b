from __future__ import annotations

from flask import has_request_context
from flask_jwt_extended import current_user
from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from ..alliances.schemas import UnitBrief
from ..areas.schemas import AreaBrief, StairwellBrief
from ..core.pagination import PageArgs
from ..core.schemas import Phone, StrictSchema, Text
from ..db import utcnow
from ..people.pii import mask_phone
from ..people.schemas import PersonBrief
from ..scope import can
from . import flows
from .models import LEVELS, OPEN_STATUSES, Mode, Status

MODES = [m.value for m in Mode]
STATUSES = [s.value for s in Status]
LEVEL_NAMES = [level.value for level in LEVELS]
HOURS = validate.Range(min=1, max=24 * 365)
NOTE = validate.Length(min=1, max=1000)


def _viewer():
    return current_user if has_request_context() else None


def _handles(case) -> bool:
    """Staff, the grid's volunteers and the reporter see who reported; neighbours reading an alert don't."""
    viewer = _viewer()
    return viewer is not None and (case.reporter_id == viewer.id or can(viewer, "start", case)
                                   or can(viewer, "triage", case))


# ------------------------------------------------------------------ categories
class QuestionSchema(StrictSchema):
    key = fields.String(required=True, validate=validate.Regexp(r"^[a-z][a-z0-9_]{0,31}$"))
    label_zh = Text(required=True, validate=validate.Length(min=1, max=60))
    label_en = Text(required=True, validate=validate.Length(min=1, max=100))
    type = fields.String(required=True, validate=validate.OneOf(["text", "number", "choice"]))
    required = fields.Boolean(load_default=False)
    choices = fields.List(Text(validate=validate.Length(min=1, max=40)), validate=validate.Length(max=20))

    @validates_schema
    def _choices(self, data, **_):
        if data["type"] == "choice" and not data.get("choices"):
            raise ValidationError("A choice question needs its choices.", "choices")


class SlaHours(Schema):
    grid = fields.Integer(attribute="sla_grid_hours")
    section = fields.Integer(attribute="sla_section_hours")
    community = fields.Integer(attribute="sla_community_hours")
    town = fields.Integer(attribute="sla_town_hours")


class CategoryOut(Schema):
    id = fields.Integer()
    code = fields.String(metadata={"example": "stairwell_mess"})
    name_zh = fields.String(metadata={"example": "楼道脏乱差"})
    name_en = fields.String(metadata={"example": "Dirty stairwell"})
    hint_zh = fields.String(allow_none=True)
    hint_en = fields.String(allow_none=True)
    default_mode = fields.String(metadata={"enum": MODES})
    sla_hours = fields.Function(lambda c: SlaHours().dump(c), metadata={
        "type": "object", "description": "Hours to handle it at each level before it is raised.",
        "example": {"grid": 24, "section": 48, "community": 72, "town": 120}})
    unit_kind = fields.String(allow_none=True)
    private_by_default = fields.Boolean()
    questions = fields.List(fields.Nested(QuestionSchema))
    is_active = fields.Boolean()
    sort_order = fields.Integer()
    area = fields.Nested(AreaBrief)
    version = fields.Integer()


class CategoryFields(StrictSchema):
    name_zh = Text(validate=validate.Length(min=1, max=50))
    name_en = Text(validate=validate.Length(min=1, max=80))
    hint_zh = Text(allow_none=True, validate=validate.Length(max=200))
    hint_en = Text(allow_none=True, validate=validate.Length(max=300))
    default_mode = fields.String(validate=validate.OneOf(MODES))
    sla_grid_hours = fields.Integer(validate=HOURS)
    sla_section_hours = fields.Integer(validate=HOURS)
    sla_community_hours = fields.Integer(validate=HOURS)
    sla_town_hours = fields.Integer(validate=HOURS)
    unit_kind = fields.String(allow_none=True, validate=validate.Length(max=32))
    private_by_default = fields.Boolean()
    questions = fields.List(fields.Nested(QuestionSchema), validate=validate.Length(max=10))
    is_active = fields.Boolean()
    sort_order = fields.Integer(validate=validate.Range(min=0, max=1000))


class CategoryIn(CategoryFields):
    area_id = fields.Integer(required=True, metadata={"description": "The town (a default) or a community."})
    code = fields.String(required=True, validate=validate.Regexp(r"^[a-z][a-z0-9_]{1,31}$"))
    name_zh = Text(required=True, validate=validate.Length(min=1, max=50))
    name_en = Text(required=True, validate=validate.Length(min=1, max=80))
    default_mode = fields.String(required=True, validate=validate.OneOf(MODES))
    sla_grid_hours = fields.Integer(required=True, validate=HOURS)
    sla_section_hours = fields.Integer(required=True, validate=HOURS)
    sla_community_hours = fields.Integer(required=True, validate=HOURS)
    sla_town_hours = fields.Integer(required=True, validate=HOURS)


class CategoryQuery(StrictSchema):
    include_inactive = fields.Boolean(load_default=False)


class CategoryBrief(Schema):
    id = fields.Integer()
    code = fields.String()
    name_zh = fields.String()
    name_en = fields.String()


class CategoryList(Schema):
    items = fields.List(fields.Nested(CategoryOut))


# ------------------------------------------------------------------ cases
class CaseIn(StrictSchema):
    category_id = fields.Integer(required=True)
    title = Text(validate=validate.Length(min=1, max=60), metadata={
        "description": "A short title; the category's name when left out."})
    description = Text(required=True, validate=validate.Length(min=1, max=2000),
                       metadata={"example": "3号楼2单元一楼楼道堆满纸箱，影响通行。"})
    answers = fields.Dict(keys=fields.String(validate=validate.Length(max=32)), load_default=dict,
                          metadata={"description": "Answers to the category's extra questions, by key."})
    stairwell_id = fields.Integer()
    household_id = fields.Integer()
    community_id = fields.Integer(metadata={"description": "Needed when neither stairwell nor household is given "
                                                           "(residents: their own by default)."})
    grid_id = fields.Integer()
    lat = fields.Float(validate=validate.Range(min=-90, max=90), metadata={
        "description": "WGS-84 latitude, as Open311 uses. Chinese map SDKs (AMap, Tencent, Baidu) return GCJ-02 or "
                       "BD-09: convert to WGS-84 before sending.", "example": 30.9146})
    lon = fields.Float(validate=validate.Range(min=-180, max=180), metadata={"example": 121.3953})
    address = Text(validate=validate.Length(min=1, max=200), metadata={"example": "钜庭路近庄行路口"})
    is_private = fields.Boolean(metadata={"description": "Keep it among those who handle it (disputes are by default)."})
    is_public = fields.Boolean(metadata={"description": "Staff and volunteers: show it to the neighbours as a hazard alert."})
    reporter_name = Text(validate=validate.Length(min=1, max=50), metadata={
        "description": "Staff reporting on someone's behalf (a phone call)."})
    reporter_phone = Phone()

    @validates_schema
    def _point(self, data, **_):
        if ("lat" in data) != ("lon" in data):
            raise ValidationError("Send both lat and lon.", "lon" if "lat" in data else "lat")


class CasePatch(StrictSchema):
    category_id = fields.Integer()
    mode = fields.String(validate=validate.OneOf(MODES))
    title = Text(validate=validate.Length(min=1, max=60))
    description = Text(validate=validate.Length(min=1, max=2000))
    address = Text(allow_none=True, validate=validate.Length(max=200))
    is_private = fields.Boolean()
    is_public = fields.Boolean()
    note = Text(validate=NOTE, metadata={"description": "Why, for the timeline."})


class PartOut(Schema):
    id = fields.Integer()
    unit = fields.Nested(UnitBrief)
    status = fields.String(metadata={"enum": ["open", "in_progress", "done"]})
    task = fields.String(allow_none=True)
    note = fields.String(allow_none=True)
    done_at = fields.DateTime(allow_none=True)


class PhotoOut(Schema):
    id = fields.Integer()
    stage = fields.String(metadata={"enum": ["report", "progress", "fix"]})
    width = fields.Integer()
    height = fields.Integer()
    url = fields.Function(lambda p: f"/api/v1/cases/{p.case_id}/photos/{p.id}", metadata={"type": "string"})
    thumbnail_url = fields.Function(lambda p: f"/api/v1/cases/{p.case_id}/photos/{p.id}?size=thumb",
                                    metadata={"type": "string"})


def _overdue(case) -> bool:
    return case.status in OPEN_STATUSES and case.due_at < utcnow()


def _steps(case) -> list[str]:
    viewer = _viewer()
    if viewer is None:
        return []
    return [name for name in flows.allowed_from(case.status) if can(viewer, flows.STEPS[name].permission, case)]


class CaseOut(Schema):
    id = fields.Integer()
    title = fields.String()
    description = fields.String()
    status = fields.String(metadata={"enum": STATUSES})
    mode = fields.String(metadata={"enum": MODES})
    level = fields.String(metadata={"enum": LEVEL_NAMES})
    category = fields.Nested(CategoryBrief)
    community = fields.Nested(AreaBrief)
    grid = fields.Nested(AreaBrief, allow_none=True)
    stairwell = fields.Nested(StairwellBrief, allow_none=True)
    lat = fields.Float(allow_none=True)
    lon = fields.Float(allow_none=True)
    address = fields.String(allow_none=True)
    channel = fields.String(metadata={"enum": ["app", "grid_walk", "phone", "staff", "open311"]})
    reporter_name = fields.Function(lambda c: c.reporter_name if _handles(c) else None,
                                    metadata={"type": "string", "nullable": True})
    reporter_phone = fields.Function(lambda c: mask_phone(c.reporter_phone) if _handles(c) else None,
                                     metadata={"type": "string", "nullable": True, "example": "138****5678"})
    is_mine = fields.Function(lambda c: _viewer() is not None and c.reporter_id == _viewer().id,
                              metadata={"type": "boolean"})
    assignee = fields.Nested(PersonBrief, allow_none=True)
    parts = fields.List(fields.Nested(PartOut))
    photos = fields.List(fields.Nested(PhotoOut))
    is_private = fields.Boolean()
    is_public = fields.Boolean()
    duplicate_of_id = fields.Integer(allow_none=True)
    due_at = fields.DateTime()
    overdue = fields.Function(_overdue, metadata={"type": "boolean"})
    level_since = fields.DateTime()
    created_at = fields.DateTime()
    updated_at = fields.DateTime()
    resolved_at = fields.DateTime(allow_none=True)
    closed_at = fields.DateTime(allow_none=True)
    rating = fields.Integer(allow_none=True)
    rating_comment = fields.String(allow_none=True)
    allowed_steps = fields.Function(_steps, metadata={
        "type": "array", "items": {"type": "string"},
        "description": "The workflow steps you may take now (POST /cases/{id}/<step>)."})
    version = fields.Integer()


class CaseQuery(PageArgs, StrictSchema):
    status = fields.List(fields.String(validate=validate.OneOf(STATUSES)), validate=validate.Length(max=10))
    mode = fields.List(fields.String(validate=validate.OneOf(MODES)), validate=validate.Length(max=3))
    level = fields.List(fields.String(validate=validate.OneOf(LEVEL_NAMES)), validate=validate.Length(max=4))
    category_id = fields.Integer()
    area_id = fields.Integer(metadata={"description": "Only cases within this area (a community, section or grid)."})
    overdue = fields.Boolean()
    mine = fields.String(validate=validate.OneOf(["reported", "assigned"]))
    unit_id = fields.Integer(metadata={"description": "Only cases dispatched to this unit."})
    q = Text(validate=validate.Length(min=1, max=50))


class ExportQuery(StrictSchema):
    status = fields.List(fields.String(validate=validate.OneOf(STATUSES)), validate=validate.Length(max=10))
    mode = fields.List(fields.String(validate=validate.OneOf(MODES)), validate=validate.Length(max=3))
    level = fields.List(fields.String(validate=validate.OneOf(LEVEL_NAMES)), validate=validate.Length(max=4))
    category_id = fields.Integer()
    area_id = fields.Integer()
    overdue = fields.Boolean()


class AlertQuery(PageArgs, StrictSchema):
    pass


class DuplicateQuery(StrictSchema):
    category_id = fields.Integer(required=True)
    stairwell_id = fields.Integer()
    lat = fields.Float(validate=validate.Range(min=-90, max=90))
    lon = fields.Float(validate=validate.Range(min=-180, max=180))


class DuplicateOut(Schema):
    """What a neighbour may know of an open report before following it: no names, no photos."""

    id = fields.Integer()
    title = fields.String()
    status = fields.String(metadata={"enum": STATUSES})
    category = fields.Nested(CategoryBrief)
    stairwell = fields.Nested(StairwellBrief, allow_none=True)
    address = fields.String(allow_none=True)
    created_at = fields.DateTime()


class DuplicateList(Schema):
    items = fields.List(fields.Nested(DuplicateOut))


class EventActor(Schema):
    name = fields.String(allow_none=True, attribute="actor_name")
    role = fields.String(allow_none=True, attribute="actor_role")


class EventOut(Schema):
    id = fields.Integer()
    at = fields.DateTime()
    kind = fields.String(metadata={"example": "assign"})
    actor = fields.Function(lambda e: EventActor().dump(e), metadata={"type": "object"})
    from_status = fields.String(allow_none=True)
    to_status = fields.String(allow_none=True)
    note = fields.String(allow_none=True)
    data = fields.Dict(allow_none=True)
    internal = fields.Boolean()


class EventList(Schema):
    items = fields.List(fields.Nested(EventOut))


# ------------------------------------------------------------------ steps
class NoteIn(StrictSchema):
    note = Text(validate=NOTE)


class AcceptIn(NoteIn):
    mode = fields.String(validate=validate.OneOf(MODES), metadata={"description": "Re-route while accepting."})


class ReasonIn(StrictSchema):
    reason = Text(required=True, validate=validate.Length(min=2, max=1000))


class AssignIn(NoteIn):
    assignee_id = fields.Integer(required=True, metadata={"description": "A volunteer of the case's community."})


class DispatchIn(NoteIn):
    unit_ids = fields.List(fields.Integer(), required=True, validate=validate.Length(min=1, max=10))
    task = Text(validate=validate.Length(min=1, max=500), metadata={"description": "What the units are asked to do."})


class DuplicateIn(StrictSchema):
    duplicate_of_id = fields.Integer(required=True)


class RateIn(StrictSchema):
    rating = fields.Integer(required=True, validate=validate.Range(min=1, max=5))
    comment = Text(validate=validate.Length(min=1, max=500))


class CommentIn(StrictSchema):
    note = Text(required=True, validate=NOTE)
    internal = fields.Boolean(load_default=False, metadata={"description": "Staff only: hidden from reporter and units."})


class PhotosIn(StrictSchema):
    stage = fields.String(required=True, validate=validate.OneOf(["report", "progress", "fix"]))
    note = Text(validate=NOTE)


class PhotoQuery(StrictSchema):
    size = fields.String(load_default="full", validate=validate.OneOf(["full", "thumb"]))


class PartPatch(StrictSchema):
    status = fields.String(required=True, validate=validate.OneOf(["open", "in_progress", "done"]))
    note = Text(validate=NOTE)


class MediationIn(StrictSchema):
    held_at = fields.AwareDateTime(required=True, default_timezone=None)
    parties = Text(required=True, validate=validate.Length(min=1, max=300), metadata={"example": "302室 王先生；402室 李女士"})
    outcome = fields.String(required=True, validate=validate.OneOf(["agreed", "partial", "failed", "adjourned"]))
    agreement = Text(validate=validate.Length(min=1, max=5000))
    unit_id = fields.Integer(metadata={"description": "The mediating unit (staff recording for it)."})


class MediationOut(Schema):
    id = fields.Integer()
    held_at = fields.DateTime()
    parties = fields.String()
    outcome = fields.String(metadata={"enum": ["agreed", "partial", "failed", "adjourned"]})
    agreement = fields.String(allow_none=True)
    unit = fields.Nested(UnitBrief, allow_none=True)
    created_at = fields.DateTime()


class MediationList(Schema):
    items = fields.List(fields.Nested(MediationOut))


# ------------------------------------------------------------------ statistics
class StatsQuery(StrictSchema):
    area_id = fields.Integer()
    since = fields.AwareDateTime(default_timezone=None)
    until = fields.AwareDateTime(default_timezone=None)


class CaseStatsOut(Schema):
    total = fields.Integer()
    by_status = fields.Dict(keys=fields.String(), values=fields.Integer())
    by_mode = fields.Dict(keys=fields.String(), values=fields.Integer())
    by_level = fields.Dict(keys=fields.String(), values=fields.Integer())
    by_category = fields.Dict(keys=fields.String(), values=fields.Integer())
    by_grid = fields.Dict(keys=fields.String(), values=fields.Integer())
    resolved = fields.Integer()
    median_hours_to_resolve = fields.Float(allow_none=True)
    sla_compliance = fields.Float(allow_none=True, metadata={"description": "Share of resolved cases resolved "
                                                                            "before their deadline (0–1)."})
    overdue = fields.Integer()
    ratings = fields.Integer()
    average_rating = fields.Float(allow_none=True)
