from marshmallow import Schema, fields, validate

from ..alliances.schemas import UnitBrief
from ..core.pagination import PageArgs
from ..core.schemas import StrictSchema, Text
from .principal import SCOPES


class CreatorBrief(Schema):
    id = fields.Integer()
    name = fields.String()


class ApiClientOut(Schema):
    id = fields.Integer()
    client_id = fields.String(metadata={"example": "stw_3f2a9c1b0d4e5f67",
                                        "description": "Public identifier; the part of the key before the dot."})
    name = fields.String(metadata={"example": "丽水湾物业 报修系统"})
    unit = fields.Nested(UnitBrief)
    scopes = fields.List(fields.String(metadata={"enum": list(SCOPES)}))
    created_by = fields.Nested(CreatorBrief, allow_none=True)
    created_at = fields.DateTime()
    last_used_at = fields.DateTime(allow_none=True)
    expires_at = fields.DateTime(allow_none=True)
    revoked_at = fields.DateTime(allow_none=True)
    is_active = fields.Boolean(metadata={"description": "Neither revoked nor expired."})


class ApiClientCreated(ApiClientOut):
    """The new client with its secret — the only time the secret is ever shown."""

    api_key = fields.String(metadata={
        "description": "`<client_id>.<client_secret>`: send it as Open311 `api_key`. Shown once; store it now.",
        "example": "stw_3f2a9c1b0d4e5f67.Vq2x…"})
    client_secret = fields.String(metadata={"description": "The secret alone (for OAuth2 client credentials). "
                                                           "Shown once."})


class ApiClientIn(StrictSchema):
    name = Text(required=True, validate=validate.Length(min=1, max=100))
    unit_id = fields.Integer(required=True, metadata={"description": "The unit the client acts for."})
    scopes = fields.List(fields.String(validate=validate.OneOf(SCOPES, error="Unknown scope.")),
                         load_default=lambda: list(SCOPES), validate=validate.Length(min=1, max=len(SCOPES)),
                         metadata={"description": "What it may do; all of them when left out."})
    expires_at = fields.AwareDateTime(default_timezone=None, allow_none=True,
                                      metadata={"description": "Optional end of validity."})


class ApiClientQuery(PageArgs, StrictSchema):
    unit_id = fields.Integer()
    include_revoked = fields.Boolean(load_default=False)
