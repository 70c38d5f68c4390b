from __future__ import annotations

from marshmallow import Schema, fields, validate

from ..alliances.schemas import UnitBrief
from ..areas.schemas import AreaBrief
from ..core.pagination import PageArgs
from ..core.schemas import StrictSchema, Text
from ..db import utcnow
from ..people.schemas import PersonBrief
from .models import VisitKind
from .service import OVERDUE_DAYS

KINDS = [k.value for k in VisitKind]


class HouseholdCare(Schema):
    id = fields.Integer()
    address = fields.String(metadata={"example": "庄行新苑3号楼1单元201室"})
    grid = fields.Nested(AreaBrief, attribute="stairwell.grid")


def _overdue(pair) -> bool:
    last = pair.last_visit_at or pair.started_at
    return pair.active and (utcnow() - last).days >= OVERDUE_DAYS


class PairOut(Schema):
    id = fields.Integer()
    household = fields.Nested(HouseholdCare)
    volunteer = fields.Nested(PersonBrief, allow_none=True)
    unit = fields.Nested(UnitBrief, allow_none=True)
    note = fields.String(allow_none=True)
    active = fields.Boolean()
    started_at = fields.DateTime()
    ended_at = fields.DateTime(allow_none=True)
    end_reason = fields.String(allow_none=True)
    last_visit_at = fields.DateTime(allow_none=True)
    visits_count = fields.Integer()
    overdue = fields.Function(_overdue, metadata={"type": "boolean", "description": f"No visit for {OVERDUE_DAYS} days."})


class PairQuery(PageArgs, StrictSchema):
    area_id = fields.Integer()
    volunteer_id = fields.Integer()
    unit_id = fields.Integer()
    active = fields.Boolean(load_default=True)
    overdue = fields.Boolean(metadata={"description": f"Only pairs with no visit in {OVERDUE_DAYS} days."})


class PairIn(StrictSchema):
    household_id = fields.Integer(required=True)
    volunteer_id = fields.Integer(metadata={"description": "A volunteer — or give unit_id for a volunteer team."})
    unit_id = fields.Integer()
    note = Text(validate=validate.Length(min=1, max=500), metadata={"example": "每周二送爱心午餐，每月理发一次"})


class EndIn(StrictSchema):
    reason = Text(required=True, validate=validate.Length(min=2, max=200))


class VisitIn(StrictSchema):
    kind = fields.String(required=True, validate=validate.OneOf(KINDS), metadata={
        "description": "visit 探访, lunch 爱心午餐, haircut 理发, shopping 代购, escort 陪医"})
    minutes = fields.Integer(required=True, validate=validate.Range(min=5, max=600))
    note = Text(validate=validate.Length(min=1, max=500))
    visited_at = fields.AwareDateTime(default_timezone=None, metadata={"description": "Now when left out."})


class VisitQuery(PageArgs, StrictSchema):
    pass


class VisitOut(Schema):
    id = fields.Integer()
    kind = fields.String(metadata={"enum": KINDS})
    minutes = fields.Integer()
    note = fields.String(allow_none=True)
    visited_at = fields.DateTime()
    volunteer = fields.Nested(PersonBrief, allow_none=True)


class HoursQuery(StrictSchema):
    area_id = fields.Integer()
    since = fields.AwareDateTime(default_timezone=None)
    until = fields.AwareDateTime(default_timezone=None)


class HoursRow(Schema):
    id = fields.Integer()
    name = fields.String()
    visits = fields.Integer(metadata={"description": "Care visits logged."})
    hours = fields.Float(metadata={"description": "Hours of care visits."})


class VolunteerHoursRow(HoursRow):
    activities = fields.Integer(metadata={"description": "Activities served (credited when they completed)."})
    activity_hours = fields.Float()
    total_hours = fields.Float(metadata={"description": "Care visits and activities together."})


class HoursOut(Schema):
    volunteers = fields.List(fields.Nested(VolunteerHoursRow))
    units = fields.List(fields.Nested(HoursRow))
    visits = fields.Integer()
    hours = fields.Float()
    activities = fields.Integer()
    activity_hours = fields.Float()
    total_hours = fields.Float()


class MyCare(Schema):
    """Who looks after my household (no phone numbers here: ask the committee)."""

    id = fields.Integer()
    volunteer = fields.Nested(PersonBrief, allow_none=True)
    unit = fields.Nested(UnitBrief, allow_none=True)
    started_at = fields.DateTime()
    last_visit_at = fields.DateTime(allow_none=True)
    visits_count = fields.Integer()


class MyCareList(Schema):
    items = fields.List(fields.Nested(MyCare))
