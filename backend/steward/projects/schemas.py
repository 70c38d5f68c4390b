from __future__ import annotations

from marshmallow import Schema, fields, validate

from ..alliances.schemas import UnitBrief
from ..areas.schemas import AreaBrief
from ..core.pagination import PageArgs
from ..core.schemas import StrictSchema, Text
from ..people.schemas import PersonBrief
from .models import STATUSES


class ProjectUnitOut(Schema):
    unit = fields.Nested(UnitBrief)
    role = fields.String(allow_none=True, metadata={"example": "施工"})


class MilestoneOut(Schema):
    id = fields.Integer()
    title = fields.String()
    due_on = fields.Date(allow_none=True)
    done_at = fields.DateTime(allow_none=True)
    note = fields.String(allow_none=True)


class ProjectOut(Schema):
    id = fields.Integer()
    community = fields.Nested(AreaBrief)
    title = fields.String(metadata={"example": "电动自行车集中充电棚"})
    summary = fields.String()
    description = fields.String(allow_none=True)
    status = fields.String(metadata={"enum": list(STATUSES)})
    started_on = fields.Date(allow_none=True)
    finished_on = fields.Date(allow_none=True)
    units = fields.List(fields.Nested(ProjectUnitOut))
    milestones = fields.List(fields.Nested(MilestoneOut))
    prompted_by = fields.Dict(keys=fields.String(), values=fields.Integer(), metadata={
        "description": "The cases that prompted it, counted by category (e.g. {\"飞线充电\": 23})."})
    likes_count = fields.Integer()
    liked_by_me = fields.Boolean()
    comments_count = fields.Integer()
    updated_at = fields.DateTime()
    version = fields.Integer()


class UnitRole(StrictSchema):
    unit_id = fields.Integer(required=True)
    role = Text(validate=validate.Length(min=1, max=50))


class MilestoneIn(StrictSchema):
    title = Text(required=True, validate=validate.Length(min=1, max=80))
    due_on = fields.Date(allow_none=True)
    note = Text(validate=validate.Length(min=1, max=500))


class ProjectFields(StrictSchema):
    title = Text(validate=validate.Length(min=1, max=80))
    summary = Text(validate=validate.Length(min=1, max=200))
    description = Text(allow_none=True, validate=validate.Length(max=5000))
    status = fields.String(validate=validate.OneOf(STATUSES))
    started_on = fields.Date(allow_none=True)
    finished_on = fields.Date(allow_none=True)
    units = fields.List(fields.Nested(UnitRole), validate=validate.Length(max=20))


class ProjectIn(ProjectFields):
    community_id = fields.Integer(required=True)
    title = Text(required=True, validate=validate.Length(min=1, max=80))
    summary = Text(required=True, validate=validate.Length(min=1, max=200))
    milestones = fields.List(fields.Nested(MilestoneIn), validate=validate.Length(max=30))


class ProjectQuery(PageArgs, StrictSchema):
    status = fields.String(validate=validate.OneOf(STATUSES))


class MilestonePatch(StrictSchema):
    done = fields.Boolean(required=True)
    note = Text(validate=validate.Length(min=1, max=500))


class ProjectCaseIn(StrictSchema):
    case_id = fields.Integer(required=True)


class ProjectLikeIn(StrictSchema):
    liked = fields.Boolean(required=True)


class ProjectCommentIn(StrictSchema):
    body = Text(required=True, validate=validate.Length(min=1, max=500))


class CommentHideIn(StrictSchema):
    reason = Text(required=True, validate=validate.Length(min=2, max=200))


class ProjectCommentOut(Schema):
    id = fields.Integer()
    author = fields.Nested(PersonBrief, allow_none=True)
    body = fields.Function(lambda c: c.body if c.hidden_at is None else None,
                           metadata={"type": "string", "nullable": True})
    hidden = fields.Function(lambda c: c.hidden_at is not None, metadata={"type": "boolean"})
    hidden_reason = fields.String(allow_none=True)
    created_at = fields.DateTime()


class ProjectCommentQuery(PageArgs, StrictSchema):
    pass
