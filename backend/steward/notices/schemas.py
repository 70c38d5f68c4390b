from __future__ import annotations

from marshmallow import Schema, fields, validate

from ..areas.schemas import AreaBrief
from ..core.i18n import t
from ..core.pagination import PageArgs
from ..core.schemas import StrictSchema, Text
from ..people.models import Tag
from .models import CATEGORY_LABELS, Category, Status

CATEGORIES = [c.value for c in Category]
TAGS = [tag.value for tag in Tag]
STATUSES = [s.value for s in Status]
CATEGORY_HELP = ("disclosure 政务公开, important 重要通知, guide 办事指南, seasonal 四季节气, tip 温馨提示, "
                 "culture 文化活动, civility 文明宣传")


class NoticeCategoryOut(Schema):
    code = fields.String(metadata={"enum": CATEGORIES})
    label = fields.String(metadata={"example": "办事指南"})


class NoticeCategoryList(Schema):
    items = fields.List(fields.Nested(NoticeCategoryOut))


class NoticeAttachmentOut(Schema):
    id = fields.Integer()
    kind = fields.String(metadata={"enum": ["image", "pdf"]})
    filename = fields.String(metadata={"example": "2026年冬季供暖安排.pdf"})
    content_type = fields.String()
    size = fields.Integer()


class NoticeBrief(Schema):
    """A notice in a list (no body)."""

    id = fields.Integer()
    category = fields.String(metadata={"enum": CATEGORIES})
    category_label = fields.Function(lambda n: t(CATEGORY_LABELS[Category(n.category)]), metadata={"type": "string"})
    title = fields.String(metadata={"example": "关于冬季燃气安全检查的通知"})
    summary = fields.String()
    important = fields.Boolean()
    pinned = fields.Boolean()
    status = fields.String(metadata={"enum": STATUSES})
    area = fields.Nested(AreaBrief, metadata={"description": "The audience: everyone under this area."})
    tag = fields.String(allow_none=True, metadata={"enum": TAGS, "description": "Only households with a resident "
                                                                                "tagged so (e.g. elderly_alone)."})
    publish_at = fields.DateTime()
    expire_at = fields.DateTime(allow_none=True)
    has_attachments = fields.Function(lambda n: bool(n.attachments), metadata={"type": "boolean"})
    read = fields.Function(lambda n: bool(getattr(n, "read_by_me", False)), metadata={
        "type": "boolean", "description": "Opened by the caller."})


class NoticeOut(NoticeBrief):
    body_md = fields.String(metadata={"description": "The Markdown as written (for the editor)."})
    body_html = fields.String(metadata={"description": "Rendered and sanitised on save: safe to insert as HTML."})
    attachments = fields.List(fields.Nested(NoticeAttachmentOut))
    published_at = fields.DateTime(allow_none=True)
    created_at = fields.DateTime()
    updated_at = fields.DateTime()


class NoticeQuery(PageArgs, StrictSchema):
    category = fields.String(validate=validate.OneOf(CATEGORIES), metadata={"description": CATEGORY_HELP})
    q = Text(validate=validate.Length(min=1, max=50), metadata={"description": "Words in the title or body."})
    pinned = fields.Boolean(metadata={"description": "Only pinned notices (the home screen)."})
    unread = fields.Boolean(metadata={"description": "Only the ones I have not opened."})
    status = fields.String(validate=validate.OneOf(STATUSES), metadata={"description": "Staff: by status."})
    area_id = fields.Integer(metadata={"description": "Staff: addressed to this area or below."})


class NoticeFields(StrictSchema):
    category = fields.String(validate=validate.OneOf(CATEGORIES), metadata={"description": CATEGORY_HELP})
    title = Text(validate=validate.Length(min=2, max=120))
    body_md = Text(multiline=True, validate=validate.Length(max=20000), metadata={
        "description": "Markdown (HTML inside it is sanitised: scripts, event handlers and javascript: links "
                       "are dropped)."})
    summary = Text(validate=validate.Length(max=200), metadata={"description": "Defaults to the body's start."})
    area_id = fields.Integer(metadata={"description": "The audience: a town, community, section or grid you manage."})
    tag = fields.String(allow_none=True, validate=validate.OneOf(TAGS))
    important = fields.Boolean(metadata={"description": "Notify the audience when published (always so for "
                                                        "category important)."})
    pinned = fields.Boolean()
    publish_at = fields.AwareDateTime(default_timezone=None, metadata={"description": "Now when left out."})
    expire_at = fields.AwareDateTime(default_timezone=None, allow_none=True)


class NoticeIn(NoticeFields):
    category = fields.String(required=True, validate=validate.OneOf(CATEGORIES), metadata={"description": CATEGORY_HELP})
    title = Text(required=True, validate=validate.Length(min=2, max=120), metadata={"example": "关于冬季燃气安全检查的通知"})
    area_id = fields.Integer(required=True, metadata={
        "description": "The audience: a town, community, section or grid you manage."})
    publish = fields.Boolean(load_default=False, metadata={
        "description": "Publish at once (or schedule, when publish_at is ahead) instead of keeping a draft."})


class NoticePatch(NoticeFields):
    pass


class NoticeUnreadCount(Schema):
    unread = fields.Integer()


class NoticeGridRate(Schema):
    grid = fields.Nested(AreaBrief)
    households = fields.Integer()
    read = fields.Integer()
    rate = fields.Float(metadata={"description": "read ÷ households, 0–1."})


class NoticeStats(Schema):
    households = fields.Integer(metadata={"description": "Households in the audience (within the caller's area)."})
    read = fields.Integer(metadata={"description": "Households that read it, or were told at the door."})
    rate = fields.Float()
    grids = fields.List(fields.Nested(NoticeGridRate))


class NoticeUnreadHouseholdQuery(PageArgs, StrictSchema):
    grid_id = fields.Integer(metadata={"description": "Only this grid's households."})


class NoticeUnreadHousehold(Schema):
    id = fields.Integer()
    address = fields.String(metadata={"example": "丽水湾3号楼1单元201室"})
    grid = fields.Nested(AreaBrief, attribute="stairwell.grid")


class NoticeInformIn(StrictSchema):
    household_id = fields.Integer(required=True)


class NoticeAttachmentQuery(StrictSchema):
    size = fields.String(load_default="full", validate=validate.OneOf(["full", "thumb"]))



class NoticePreviewIn(StrictSchema):
    body_md = Text(required=True, multiline=True, validate=validate.Length(max=20000))


class NoticePreviewOut(Schema):
    body_html = fields.String(metadata={"description": "Rendered and sanitised exactly as on save."})
