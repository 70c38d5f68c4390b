from __future__ import annotations

from marshmallow import Schema, fields, validate

from ..areas.schemas import AreaBrief
from ..core.pagination import PageArgs
from ..core.schemas import StrictSchema, Text
from ..people.schemas import PersonBrief
from .models import STATUSES


class QuestionPhotoOut(Schema):
    id = fields.Integer()
    width = fields.Integer()
    height = fields.Integer()
    url = fields.Function(lambda p: f"/api/v1/questions/{p.question_id}/photos/{p.id}", metadata={"type": "string"})
    thumbnail_url = fields.Function(lambda p: f"/api/v1/questions/{p.question_id}/photos/{p.id}?size=thumb",
                                    metadata={"type": "string"})


class QuestionMessageOut(Schema):
    id = fields.Integer()
    author = fields.Nested(PersonBrief, allow_none=True)
    is_answer = fields.Boolean(metadata={"description": "From the committee (staff or the grid's volunteer)."})
    body = fields.String()
    created_at = fields.DateTime()


class QuestionBrief(Schema):
    id = fields.Integer()
    community = fields.Nested(AreaBrief)
    asker = fields.Nested(PersonBrief, allow_none=True)
    body = fields.String(metadata={"example": "请问老年人乘车卡在哪里办理？需要带什么材料？"})
    status = fields.String(metadata={"enum": list(STATUSES)})
    photos = fields.List(fields.Nested(QuestionPhotoOut))
    messages_count = fields.Integer()
    answered_at = fields.DateTime(allow_none=True)
    closed_at = fields.DateTime(allow_none=True)
    saved_as_guide = fields.Boolean()
    guide_title = fields.String(allow_none=True)
    guide_notice_id = fields.Integer(allow_none=True, metadata={
        "description": "The draft 办事指南 notice made from this question (edit and publish it as a notice)."})
    created_at = fields.DateTime()
    updated_at = fields.DateTime()


class QuestionOut(QuestionBrief):
    thread = fields.List(fields.Nested(QuestionMessageOut), metadata={"description": "Answers and follow-ups."})
    may_answer = fields.Boolean()
    may_close = fields.Boolean()
    may_follow_up = fields.Boolean()


class QuestionIn(StrictSchema):
    body = Text(required=True, multiline=True, validate=validate.Length(min=2, max=1000))


class QuestionMessageIn(StrictSchema):
    body = Text(required=True, multiline=True, validate=validate.Length(min=1, max=2000))


class QuestionGuideIn(StrictSchema):
    saved = fields.Boolean(load_default=True)
    title = Text(validate=validate.Length(min=2, max=80))


class QuestionQuery(PageArgs, StrictSchema):
    status = fields.String(validate=validate.OneOf(STATUSES))


class QuestionPhotoQuery(StrictSchema):
    size = fields.String(load_default="full", validate=validate.OneOf(["full", "thumb"]))


class GuideCandidateOut(Schema):
    title = fields.String()
    body = fields.String(metadata={"description": "Markdown: the question and its answers, without names."})
    community_id = fields.Integer()
    question_id = fields.Integer()
