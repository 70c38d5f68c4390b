from marshmallow import Schema, fields, validate

from ..core.schemas import Phone, StrictSchema
from .models import Purpose

PURPOSES = [p.value for p in Purpose]


class CodeRequestIn(StrictSchema):
    phone = Phone(required=True)
    purpose = fields.String(required=True, validate=validate.OneOf(PURPOSES),
                            metadata={"description": "register (注册), reset_password (忘记密码), or change_phone "
                                                     "(换手机号: the new number; needs a Bearer token)."})


class CodeSentOut(Schema):
    expires_in = fields.Integer(metadata={"description": "Seconds the code stays valid.", "example": 300})
    resend_after = fields.Integer(metadata={"description": "Seconds before another code may be asked for.",
                                            "example": 60})


class DemoCodeQuery(StrictSchema):
    phone = Phone(required=True)


class DemoCode(Schema):
    phone = fields.String()
    purpose = fields.String(metadata={"enum": PURPOSES})
    code = fields.String(metadata={"example": "123456"})
    sent_at = fields.DateTime()


class DemoCodeList(Schema):
    items = fields.List(fields.Nested(DemoCode))
