from __future__ import annotations

from marshmallow import Schema, fields

from ..core.schemas import Id, StrictSchema


class DashboardQuery(StrictSchema):
    area_id = Id(metadata={"description": "A community or grid to look at (default: your own area)."})


class CoverageRow(Schema):
    id = fields.Integer()
    name = fields.String()
    community = fields.String(allow_none=True)
    households = fields.Integer()
    registered = fields.Integer(metadata={"description": "Verified, or with a claim waiting."})
    verified = fields.Integer(metadata={"description": "An active account linked to a resident of the household."})
    rate = fields.Float(allow_none=True, metadata={"description": "verified ÷ households"})


class CoverageOut(Schema):
    households = fields.Integer()
    registered = fields.Integer()
    verified = fields.Integer()
    rate = fields.Float(allow_none=True, metadata={"example": 0.7})
    communities = fields.List(fields.Nested(CoverageRow))
    grids = fields.List(fields.Nested(CoverageRow))


class Metric(Schema):
    key = fields.String()
    label = fields.String()
    value = fields.Raw(allow_none=True, metadata={"type": "number", "nullable": True})
    unit = fields.String(allow_none=True, metadata={"enum": ["ratio", "hours", None]})


class Slice(Schema):
    label = fields.String()
    value = fields.Float()


class SectionOut(Schema):
    key = fields.String(metadata={"example": "cases"})
    title = fields.String(metadata={"example": "事项"})
    metrics = fields.List(fields.Nested(Metric))
    breakdown = fields.Dict(keys=fields.String(), values=fields.List(fields.Nested(Slice)))


class Series(Schema):
    name = fields.String(metadata={"example": "新增事项"})
    values = fields.List(fields.Integer(), metadata={"description": "One count per week of `weeks`."})


class AreaRef(Schema):
    id = fields.Integer()
    name = fields.String()
    kind = fields.String()


class DashboardOut(Schema):
    area = fields.Nested(AreaRef)
    generated_at = fields.DateTime()
    coverage = fields.Nested(CoverageOut)
    sections = fields.List(fields.Nested(SectionOut), metadata={
        "description": "Contributed by the domains (cases, bookings, care, forms, …), each with its metrics."})
    weeks = fields.List(fields.Date(), metadata={"description": "The Mondays of the trend, oldest first."})
    trend = fields.List(fields.Nested(Series))
