from marshmallow import Schema, fields, validate

from ..areas.schemas import AreaBrief
from ..core.pagination import PageArgs
from ..core.schemas import StrictSchema, Text
from .models import UnitKind

KINDS = [k.value for k in UnitKind]


class UnitOut(Schema):
    id = fields.Integer()
    kind = fields.String(metadata={"enum": KINDS})
    name = fields.String(metadata={"example": "丽水湾物业服务中心"})
    area = fields.Nested(AreaBrief)
    contact_name = fields.String(allow_none=True)
    contact_phone = fields.String(allow_none=True, metadata={"description": "A business line, shown in full."})
    description = fields.String(allow_none=True)
    is_active = fields.Boolean()


class UnitBrief(Schema):
    id = fields.Integer()
    kind = fields.String(metadata={"enum": KINDS})
    name = fields.String()


class UnitQuery(PageArgs, StrictSchema):
    kind = fields.String(validate=validate.OneOf(KINDS))
    q = Text(validate=validate.Length(min=1, max=50), metadata={"description": "Name contains."})


class UnitIn(StrictSchema):
    area_id = fields.Integer(required=True, metadata={"description": "The community (or town) it serves."})
    kind = fields.String(required=True, validate=validate.OneOf(KINDS))
    name = Text(required=True, validate=validate.Length(min=1, max=100))
    contact_name = Text(allow_none=True, validate=validate.Length(max=50))
    contact_phone = Text(allow_none=True, validate=validate.Regexp(r"^[0-9+\-\s]{5,20}$"))
    description = Text(allow_none=True, validate=validate.Length(max=500))


class UnitPatch(StrictSchema):
    kind = fields.String(validate=validate.OneOf(KINDS))
    name = Text(validate=validate.Length(min=1, max=100))
    contact_name = Text(allow_none=True, validate=validate.Length(max=50))
    contact_phone = Text(allow_none=True, validate=validate.Regexp(r"^[0-9+\-\s]{5,20}$"))
    description = Text(allow_none=True, validate=validate.Length(max=500))
    is_active = fields.Boolean()
