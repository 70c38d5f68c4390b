from marshmallow import Schema, fields, validate

from ..alliances.schemas import UnitBrief
from ..core.pagination import PageArgs
from ..core.schemas import StrictSchema, Text
from .principal import DEFAULT_SCOPES, SCOPES


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
                         load_default=lambda: list(DEFAULT_SCOPES), validate=validate.Length(min=1, max=len(SCOPES)),
                         metadata={"description": "What it may do; all of them when left out."})
    expires_at = fields.AwareDateTime(default_timezone=None, allow_none=True,
                                      metadata={"description": "Optional end of validity."})


class ApiClientQuery(PageArgs, StrictSchema):
    unit_id = fields.Integer()
    include_revoked = fields.Boolean(load_default=False)


class RotateIn(StrictSchema):
    overlap_hours = fields.Integer(load_default=24, validate=validate.Range(min=0, max=168), metadata={
        "description": "How long the previous secret (and tokens issued with it) keeps working: 0–168 h."})


_OAUTH_ERROR = {"type": "object", "required": ["error"], "properties": {
    "error": {"type": "string", "enum": ["invalid_request", "invalid_client", "unsupported_grant_type",
                                         "invalid_scope"]},
    "error_description": {"type": "string"}}}
TOKEN_DOC = {
    "description": "RFC 6749 §4.4. Form-encoded. Authenticate with HTTP Basic (`client_id:client_secret`, each "
                   "form-urlencoded) **or** `client_id` and `client_secret` in the body, not both. `scope` (space-"
                   "separated) must be a subset of the client's scopes; all of them when left out. The token is a "
                   "JWT valid for `expires_in` seconds; send it as `Authorization: Bearer` to the routes marked "
                   "with the `oauth2` security scheme. It stops working at once when the client is revoked or "
                   "expires, or when its secret is rotated and the overlap window ends. Errors are RFC 6749 "
                   "§5.2 JSON, not problem+json; too many refused attempts from one address answer 429.",
    "requestBody": {"required": True, "content": {"application/x-www-form-urlencoded": {"schema": {
        "type": "object", "required": ["grant_type"], "properties": {
            "grant_type": {"type": "string", "enum": ["client_credentials"]},
            "scope": {"type": "string", "example": "cases:read cases:write"},
            "client_id": {"type": "string", "example": "stw_3f2a9c1b0d4e5f67"},
            "client_secret": {"type": "string"}}}}}},
    "responses": {
        "200": {"description": "The access token.", "content": {"application/json": {"schema": {
            "type": "object", "required": ["access_token", "token_type", "expires_in", "scope"], "properties": {
                "access_token": {"type": "string"}, "token_type": {"type": "string", "enum": ["Bearer"]},
                "expires_in": {"type": "integer", "example": 900},
                "scope": {"type": "string", "example": "cases:read cases:write"}}}}}},
        "400": {"description": "invalid_request, unsupported_grant_type or invalid_scope.",
                "content": {"application/json": {"schema": _OAUTH_ERROR}}},
        "401": {"description": "invalid_client (with `WWW-Authenticate: Basic`).",
                "content": {"application/json": {"schema": _OAUTH_ERROR}}},
        "429": "E429"},
    "security": [{}, {"clientBasic": []}],
}
