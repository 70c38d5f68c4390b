from marshmallow import Schema, fields, validate

from ..core.pagination import PageArgs
from ..core.schemas import StrictSchema, Text


class AuditOut(Schema):
    id = fields.Integer()
    at = fields.DateTime()
    actor_id = fields.Integer(allow_none=True)
    actor_role = fields.String(allow_none=True)
    api_client_id = fields.Integer(allow_none=True, metadata={"description": "The API client that acted, if not a user."})
    action = fields.String(metadata={"example": "resident.reveal"})
    resource_type = fields.String(allow_none=True)
    resource_id = fields.String(allow_none=True)
    ip = fields.String(allow_none=True)
    request_id = fields.String(allow_none=True)
    detail = fields.Dict(allow_none=True)


class AuditQuery(PageArgs, StrictSchema):
    action = Text(validate=validate.Length(max=64))
    resource_type = Text(validate=validate.Length(max=32))
    resource_id = Text(validate=validate.Length(max=64))
    actor_id = fields.Integer()
    api_client_id = fields.Integer()
