from __future__ import annotations

from marshmallow import Schema, fields, validate

from ..areas.schemas import AreaBrief
from ..core.pagination import PageArgs
from ..core.schemas import StrictSchema, Text
from ..people.schemas import PersonBrief
from .models import COMMENT_STATUSES, DECISIONS, KINDS, STATUSES


class TopicPhotoOut(Schema):
    id = fields.Integer()
    width = fields.Integer()
    height = fields.Integer()
    url = fields.Function(lambda p: f"/api/v1/topics/{p.topic_id}/photos/{p.id}", metadata={"type": "string"})
    thumbnail_url = fields.Function(lambda p: f"/api/v1/topics/{p.topic_id}/photos/{p.id}?size=thumb",
                                    metadata={"type": "string"})


class TopicOut(Schema):
    id = fields.Integer()
    community = fields.Nested(AreaBrief)
    kind = fields.String(metadata={"enum": list(KINDS), "description": "topic 议题 or idea 金点子."})
    title = fields.String(metadata={"example": "小区增设电动自行车充电桩"})
    body = fields.String()
    status = fields.String(metadata={"enum": list(STATUSES)})
    author = fields.Nested(PersonBrief, allow_none=True)
    photos = fields.List(fields.Nested(TopicPhotoOut))
    supports_count = fields.Integer()
    support_threshold = fields.Integer(metadata={"description": "Supports that move a proposed topic to discussion."})
    supported_by_me = fields.Boolean()
    may_support = fields.Boolean(metadata={"description": "Whether you may support or withdraw now."})
    may_decide = fields.Boolean(metadata={"description": "Whether you may answer it (staff of its community)."})
    comments_count = fields.Integer()
    discussing_at = fields.DateTime(allow_none=True)
    decision_text = fields.String(allow_none=True)
    decided_at = fields.DateTime(allow_none=True)
    project_id = fields.Integer(allow_none=True)
    case_id = fields.Integer(allow_none=True)
    created_at = fields.DateTime()
    updated_at = fields.DateTime()


class TopicIn(StrictSchema):
    kind = fields.String(load_default="topic", validate=validate.OneOf(KINDS))
    title = Text(required=True, validate=validate.Length(min=2, max=80))
    body = Text(required=True, multiline=True, validate=validate.Length(min=2, max=2000))


class TopicQuery(PageArgs, StrictSchema):
    status = fields.List(fields.String(validate=validate.OneOf(STATUSES)), validate=validate.Length(max=5))
    kind = fields.String(validate=validate.OneOf(KINDS))
    mine = fields.Boolean(metadata={"description": "Only the topics I proposed."})


class TopicSupportIn(StrictSchema):
    supported = fields.Boolean(required=True, metadata={"description": "true to support, false to withdraw."})


class TopicDecisionIn(StrictSchema):
    decision = fields.String(required=True, validate=validate.OneOf(DECISIONS))
    text = Text(required=True, multiline=True, validate=validate.Length(min=2, max=2000))


class TopicUnitRole(StrictSchema):
    unit_id = fields.Integer(required=True)
    role = Text(validate=validate.Length(min=1, max=50))


class TopicProjectIn(StrictSchema):
    summary = Text(validate=validate.Length(min=1, max=200))
    units = fields.List(fields.Nested(TopicUnitRole), validate=validate.Length(max=20))


class TopicCaseIn(StrictSchema):
    category_id = fields.Integer(required=True)
    description = Text(multiline=True, validate=validate.Length(min=1, max=2000))
    address = Text(validate=validate.Length(min=1, max=200), metadata={
        "description": "Where it is; the community's name when left out."})


class TopicCommentIn(StrictSchema):
    body = Text(required=True, multiline=True, validate=validate.Length(min=1, max=500))


class CommentReportIn(StrictSchema):
    reason = Text(validate=validate.Length(min=1, max=200))


class CommentModerateIn(StrictSchema):
    action = fields.String(required=True, validate=validate.OneOf(["restore", "remove"]))
    note = Text(validate=validate.Length(min=1, max=200))


class TopicCommentOut(Schema):
    id = fields.Integer()
    topic_id = fields.Integer()
    author = fields.Nested(PersonBrief, allow_none=True)
    body = fields.String()
    status = fields.String(metadata={"enum": list(COMMENT_STATUSES),
                                     "description": "hidden: reported by several residents, awaiting moderation."})
    reports_count = fields.Integer()
    reported_by_me = fields.Boolean()
    created_at = fields.DateTime()


class TopicModerationItem(TopicCommentOut):
    topic_title = fields.String(attribute="topic.title")
    moderation_note = fields.String(allow_none=True)


class TopicCommentQuery(PageArgs, StrictSchema):
    pass


class TopicModerationQuery(PageArgs, StrictSchema):
    status = fields.String(load_default="hidden", validate=validate.OneOf(["hidden", "removed"]))


class TopicPhotoQuery(StrictSchema):
    size = fields.String(load_default="full", validate=validate.OneOf(["full", "thumb"]))


class TopicSettingsOut(Schema):
    community_id = fields.Integer()
    support_threshold = fields.Integer(metadata={"example": 10})
    report_threshold = fields.Integer(metadata={"example": 3})


class TopicSettingsIn(StrictSchema):
    support_threshold = fields.Integer(validate=validate.Range(min=1, max=10000))
    report_threshold = fields.Integer(validate=validate.Range(min=1, max=1000))
