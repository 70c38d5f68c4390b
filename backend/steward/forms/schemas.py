from __future__ import annotations

from marshmallow import Schema, fields, validate

from ..core.pagination import PageArgs
from ..core.schemas import Id, StrictSchema, Text
from ..people.models import Tag
from ..people.schemas import PersonBrief
from .models import FieldType, FormStatus

TYPES = [t.value for t in FieldType]
KEY_RX = r"^[a-z][a-z0-9_]{0,31}$"


class FieldDef(StrictSchema):
    key = fields.String(required=True, validate=validate.Regexp(KEY_RX), metadata={"example": "return_date"})
    label = Text(required=True, validate=validate.Length(min=1, max=60), metadata={"example": "返沪日期"})
    type = fields.String(required=True, validate=validate.OneOf(TYPES), metadata={
        "description": "text, number, date (YYYY-MM-DD), single / multi (choice of `options`), phone and "
                       "id_card (personal: stored sealed, shown masked), consent (a box that must be ticked)"})
    required = fields.Boolean(load_default=False)
    options = fields.List(Text(validate=validate.Length(min=1, max=50)), validate=validate.Length(max=30))
    min = fields.Float(allow_nan=False, validate=validate.Range(min=-1e12, max=1e12))
    max = fields.Float(allow_nan=False, validate=validate.Range(min=-1e12, max=1e12))
    max_length = fields.Integer(validate=validate.Range(min=1, max=2000))
    help = Text(validate=validate.Length(min=1, max=200))


class FieldOut(Schema):
    """A field as defined: ``options``, ``min``, ``max``, ``max_length`` and ``help`` appear when set."""

    partial_output = True

    key = fields.String(required=True)
    label = fields.String(required=True)
    type = fields.String(required=True, metadata={"enum": TYPES})
    required = fields.Boolean(required=True)
    options = fields.List(fields.String())
    min = fields.Float()
    max = fields.Float()
    max_length = fields.Integer()
    help = fields.String()


class FormIn(StrictSchema):
    title = Text(required=True, validate=validate.Length(min=2, max=100), metadata={"example": "返沪人员登记"})
    description = Text(multiline=True, validate=validate.Length(max=2000))
    area_id = Id(required=True, metadata={"description": "The audience: a community, section or grid."})
    tag = fields.String(validate=validate.OneOf([t.value for t in Tag]), allow_none=True,
                        metadata={"description": "Only households with a resident so tagged."})
    # (not named ``fields``: that is the schema's own attribute)
    field_defs = fields.List(fields.Nested(FieldDef), required=True, validate=validate.Length(min=1, max=40),
                             data_key="fields", attribute="fields")
    multiple = fields.Boolean(load_default=False, metadata={"description": "May a resident submit more than once?"})
    deadline = fields.AwareDateTime(default_timezone=None, allow_none=True)


class FormPatch(FormIn):
    pass


class AudienceArea(Schema):
    id = fields.Integer()
    name = fields.String()
    kind = fields.String()


class FormOut(Schema):
    id = fields.Integer()
    title = fields.String()
    description = fields.String(allow_none=True)
    area = fields.Nested(AudienceArea)
    tag = fields.String(allow_none=True)
    field_defs = fields.List(fields.Nested(FieldOut), data_key="fields", attribute="fields")
    multiple = fields.Boolean()
    deadline = fields.DateTime(allow_none=True)
    status = fields.String(metadata={"enum": [s.value for s in FormStatus]})
    open = fields.Function(lambda f: _open(f), metadata={"type": "boolean",
                                                        "description": "Published and before the deadline."})
    submissions_count = fields.Integer()
    my_submissions = fields.Integer(dump_default=0, metadata={"description": "How often the caller answered it."})
    created_at = fields.DateTime()
    published_at = fields.DateTime(allow_none=True)


def _open(form) -> bool:
    from .service import is_open

    return is_open(form)


class FormQuery(PageArgs, StrictSchema):
    status = fields.String(validate=validate.OneOf([s.value for s in FormStatus]))
    open = fields.Boolean(metadata={"description": "Only forms one can answer now."})


class AnswersIn(StrictSchema):
    answers = fields.Dict(keys=fields.String(validate=validate.Length(max=32)), values=fields.Raw(),
                          required=True, validate=validate.Length(max=40), metadata={
                              "example": {"name": "张三", "return_date": "2026-12-01", "agree": True},
                              "description": "Field key → answer: a string, a number, a list of options "
                                             "(multi) or true (consent)."})


class FormBrief(Schema):
    id = fields.Integer()
    title = fields.String()
    deadline = fields.DateTime(allow_none=True)


class SubmissionOut(Schema):
    id = fields.Integer()
    form = fields.Nested(FormBrief)
    user = fields.Nested(PersonBrief, allow_none=True)
    answers = fields.Dict(keys=fields.String(), values=fields.Raw(), metadata={
        "description": "Phone and ID-card answers masked, except for their author opening one submission."})
    editable = fields.Boolean(metadata={"description": "The author may still change it (before the deadline)."})
    erased = fields.Boolean()
    created_at = fields.DateTime()
    updated_at = fields.DateTime()


class SubmissionQuery(PageArgs, StrictSchema):
    pass


class AnswerRevealIn(StrictSchema):
    field = fields.String(required=True, validate=validate.Regexp(KEY_RX))
    reason = Text(required=True, validate=validate.Length(min=2, max=200))


class AnswerRevealOut(Schema):
    field = fields.String()
    value = fields.String(allow_none=True)


class ExportIn(StrictSchema):
    format = fields.String(load_default="xlsx", validate=validate.OneOf(["csv", "xlsx"]))


class ExportOut(Schema):
    id = fields.Integer()
    form_id = fields.Integer()
    format = fields.String(metadata={"enum": ["csv", "xlsx"]})
    status = fields.String(metadata={"enum": ["pending", "done", "failed"]})
    rows = fields.Integer(allow_none=True)
    created_at = fields.DateTime()
    finished_at = fields.DateTime(allow_none=True)
