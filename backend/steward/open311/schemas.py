"""Open311 GeoReport v2 in and out. Field names are the spec's; ids and codes are strings.

Inputs are form fields and query parameters (strings); a few spec parameters are accepted and not
kept (``email``, ``device_id``, ``account_id``: we send no e-mail and keep no device ids).
"""
from __future__ import annotations

import math
import re
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from marshmallow import EXCLUDE, Schema, ValidationError, fields, validate, validates_schema

from ..core.schemas import StrictSchema

TZ = ZoneInfo("Asia/Shanghai")
MAX_PAGE = 10_000
MAX_PAGE_SIZE = 100
# C0/C1 control characters (NUL included) and the bidi overrides; line breaks only where the spec allows them.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_CONTROL_ONE_LINE = re.compile(r"[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_PHONE = re.compile(r"^\+?[0-9][0-9 ()-]{4,19}$")
_CODE = re.compile(r"^[A-Za-z0-9_-]{1,32}$")


class Plain(fields.String):
    """Trimmed text without control characters (line breaks only when ``multiline``)."""

    def __init__(self, *, multiline: bool = False, **kw):
        super().__init__(**kw)
        self.multiline = multiline

    def _deserialize(self, value, attr, data, **kwargs):
        value = super()._deserialize(value, attr, data, **kwargs).strip()
        if (_CONTROL if self.multiline else _CONTROL_ONE_LINE).search(value):
            raise ValidationError("Control characters are not allowed.")
        return value


class Coordinate(fields.Float):
    """A finite WGS-84 coordinate (``1e400`` and ``nan`` are refused)."""

    def _deserialize(self, value, attr, data, **kwargs):
        number = super()._deserialize(value, attr, data, **kwargs)
        if not math.isfinite(number):
            raise ValidationError("Enter a finite number.")
        return number


class W3CDateTime(fields.Field):
    """ISO 8601 / W3C in; a date alone or a time without offset is the town's local time (Asia/Shanghai)."""

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, str) or len(value) > 40:
            raise ValidationError("Not a valid datetime.")
        # An unencoded "+" of the offset arrives as a space (…T10:00:00 08:00): take it as meant.
        text = re.sub(r" (\d{2}:?\d{2})$", r"+\1", value.strip())
        try:
            parsed = (datetime.combine(date.fromisoformat(text), time(0), TZ) if len(text) == 10
                      else datetime.fromisoformat(text))
        except ValueError:
            raise ValidationError("Not a valid datetime.") from None
        if not 1900 <= parsed.year <= 2200:  # far years overflow when converted to UTC
            raise ValidationError("Not a valid datetime.")
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=TZ)

    def _serialize(self, value, attr, obj, **kwargs):
        return w3c(value)


def w3c(value: datetime | None) -> str | None:
    """A timestamp as the spec writes it: ISO 8601 with the town's offset (``2026-11-27T09:30:00+08:00``)."""
    return value.astimezone(TZ).isoformat(timespec="seconds") if value is not None else None


class CommaList(fields.Field):
    """``a,b,c`` (a parameter the spec lets clients repeat or comma-delimit) → a list of stripped items."""

    def __init__(self, item: re.Pattern[str], *, max_items: int = 100, **kw):
        super().__init__(**kw)
        self.item, self.max_items = item, max_items

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, str):
            raise ValidationError("Not a valid string.")
        items = [v.strip() for v in value.split(",") if v.strip()]
        if len(items) > self.max_items:
            raise ValidationError(f"At most {self.max_items} values.")
        for v in items:
            if not self.item.match(v):
                raise ValidationError("Invalid value.")
        return items


def _phone(value: str) -> None:
    # Not a Regexp validator: that would put a second phone `pattern` in the OpenAPI document.
    if not _PHONE.match(value):
        raise ValidationError("Enter a phone number (digits, spaces, + - ( )).")


# ------------------------------------------------------------------ in
class Open311Query(Schema):
    """Parameters every GET takes. Unknown query parameters are ignored: the spec's clients add their own."""

    class Meta:
        unknown = EXCLUDE

    api_key = Plain(validate=validate.Length(max=200), metadata={"description": "Optional on reads: with it, "
                                                                               "what your client may see."})
    jurisdiction_id = Plain(validate=validate.Length(max=32), metadata={
        "description": "A community's code (e.g. `LSW`) or the town's (`ZHX`); by default your unit's area, "
                       "or the town.", "example": "LSW"})
    format = fields.String(validate=validate.OneOf(["json", "xml"]), metadata={
        "description": "Instead of the `.json` / `.xml` extension."})


class Open311PostQuery(Open311Query):
    api_key = Plain(validate=validate.Length(max=200), metadata={"description": "Required: here or as a form field."})


class Open311PageQuery(Open311Query):
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=MAX_PAGE), metadata={"description": "From 1."})
    page_size = fields.Integer(load_default=50, validate=validate.Range(min=1, max=MAX_PAGE_SIZE),
                               metadata={"description": f"1–{MAX_PAGE_SIZE}, 50 by default."})
    start_date = W3CDateTime(metadata={"type": "string", "format": "date-time", "example": "2026-11-01T00:00:00+08:00",
                                       "description": "Earliest time (W3C); the window is 90 days at most."})
    end_date = W3CDateTime(metadata={"type": "string", "format": "date-time", "example": "2026-11-27T23:59:59+08:00",
                                     "description": "Latest time (W3C); by default now."})

    @validates_schema
    def _window(self, data, **_):
        if data.get("start_date") and data.get("end_date") and data["start_date"] > data["end_date"]:
            raise ValidationError("start_date is after end_date.", "start_date")


class Open311RequestsQuery(Open311PageQuery):
    service_request_id = CommaList(re.compile(r"^\d{1,18}$"), metadata={
        "type": "string", "example": "1024,1025", "description": "Comma-separated ids; overrides every other filter."})
    service_code = CommaList(_CODE, max_items=50, metadata={"type": "string", "example": "clutter,parking"})
    status = CommaList(re.compile(r"^(open|closed)$"), max_items=2, metadata={
        "type": "string", "example": "open", "description": "`open`, `closed` or both, comma-separated."})


class Open311UpdatesQuery(Open311PageQuery):
    pass


class Open311RequestIn(StrictSchema):
    """POST requests: form fields (``attribute[code]=value`` are read apart). Unknown fields are refused."""

    api_key = Plain(validate=validate.Length(max=200), metadata={"description": "Required (form field or query)."})
    jurisdiction_id = Plain(validate=validate.Length(max=32), metadata={
        "example": "LSW", "description": "The community's code; by default your unit's community."})
    service_code = Plain(required=True, validate=validate.Regexp(_CODE), metadata={"example": "clutter"})
    lat = Coordinate(validate=validate.Range(min=-90, max=90), metadata={"example": 30.9146,
                                                                          "description": "WGS-84 (not GCJ-02)."})
    long = Coordinate(validate=validate.Range(min=-180, max=180), metadata={"example": 121.3953})
    address_string = Plain(validate=validate.Length(min=1, max=200), metadata={"example": "丽水湾 3号楼2单元门口"})
    address_id = Plain(validate=validate.Regexp(r"^\d{1,18}$"), metadata={
        "description": "Our address id: a stairwell (楼道) of the jurisdiction, as in `address_id` of requests."})
    email = Plain(validate=[validate.Length(max=200), validate.Email()], metadata={"description": "Accepted, not kept."})
    device_id = Plain(validate=validate.Length(max=100), metadata={"description": "Accepted, not kept."})
    account_id = Plain(validate=validate.Length(max=100), metadata={"description": "Accepted, not kept."})
    first_name = Plain(validate=validate.Length(max=25))
    last_name = Plain(validate=validate.Length(max=25))
    phone = Plain(validate=_phone, metadata={"description": "The reporter's, kept for the committee; never shown "
                                                            "by Open311."})
    description = Plain(multiline=True, validate=validate.Length(max=4000),
                        metadata={"example": "3号楼2单元一楼楼道堆满纸箱，影响通行。"})
    media_url = Plain(validate=[validate.Length(max=1000), validate.URL(schemes={"http", "https"}, require_tld=False)],
                      metadata={"description": "Kept as a link for the committee; never fetched by us."})

    @validates_schema
    def _point(self, data, **_):
        if ("lat" in data) != ("long" in data):
            raise ValidationError("Send both lat and long.", "long" if "lat" in data else "lat")


# ------------------------------------------------------------------ out
class Open311Service(Schema):
    service_code = fields.String(metadata={"example": "clutter"})
    service_name = fields.String(metadata={"example": "乱堆物"})
    description = fields.String(allow_none=True, metadata={"example": "楼道、消防通道、绿地上堆放杂物"})
    metadata = fields.Boolean(metadata={"description": "true: the service has questions (GET services/{code})."})
    type = fields.String(metadata={"enum": ["realtime"]})
    keywords = fields.String(metadata={"example": "乱堆物,Clutter in common areas,马上办"})
    group = fields.String(metadata={"example": "马上办", "description": "How it is handled: 马上办 / 协商办 / 联合办."})


class Open311Value(Schema):
    key = fields.String()
    name = fields.String()


class Open311Attribute(Schema):
    partial_output = True  # `values` only for lists

    variable = fields.Boolean()
    code = fields.String(metadata={"example": "danger"})
    datatype = fields.String(metadata={"enum": ["string", "number", "singlevaluelist"]})
    required = fields.Boolean()
    datatype_description = fields.String(allow_none=True)
    order = fields.Integer()
    description = fields.String(metadata={"example": "是否有人身安全隐患"})
    values = fields.List(fields.Nested(Open311Value), attribute="value_list")  # (not the dict's .values)


class Open311ServiceDefinition(Schema):
    service_code = fields.String()
    attributes = fields.List(fields.Nested(Open311Attribute))


class Open311Request(Schema):
    """A case as a service request: never the reporter's name or phone."""

    service_request_id = fields.String(metadata={"example": "1024"})
    status = fields.String(metadata={"enum": ["open", "closed"]})
    status_notes = fields.String(allow_none=True, metadata={"example": "处理中（in_progress）"})
    service_name = fields.String()
    service_code = fields.String()
    description = fields.String(allow_none=True)
    agency_responsible = fields.String(allow_none=True, metadata={"example": "丽水湾物业服务中心"})
    service_notice = fields.String(allow_none=True)
    requested_datetime = W3CDateTime(metadata={"type": "string", "format": "date-time"})
    updated_datetime = W3CDateTime(metadata={"type": "string", "format": "date-time"})
    expected_datetime = W3CDateTime(allow_none=True, metadata={"type": "string", "format": "date-time", "nullable": True})
    address = fields.String(allow_none=True, metadata={"example": "丽水湾 3号楼2单元"})
    address_id = fields.String(allow_none=True)
    zipcode = fields.String(allow_none=True)
    lat = fields.Float(allow_none=True)
    long = fields.Float(allow_none=True)
    media_url = fields.String(allow_none=True)


class Open311RequestCreated(Schema):
    service_request_id = fields.String(metadata={"example": "1024"})
    service_notice = fields.String(allow_none=True)
    account_id = fields.String(allow_none=True)


class Open311Update(Schema):
    update_id = fields.String()
    service_request_id = fields.String()
    status = fields.String(metadata={"enum": ["open", "closed"]})
    updated_datetime = W3CDateTime(metadata={"type": "string", "format": "date-time"})
    description = fields.String()
    media_url = fields.String(allow_none=True)


class Open311Endpoint(Schema):
    specification = fields.String()
    url = fields.String()
    changeset = fields.String()
    type = fields.String()
    formats = fields.List(fields.String())


class Open311Discovery(Schema):
    changeset = fields.String()
    contact = fields.String()
    key_service = fields.String()
    endpoints = fields.List(fields.Nested(Open311Endpoint))


class Open311Error(Schema):
    code = fields.Integer(metadata={"example": 403, "description": "The HTTP status."})
    description = fields.String(metadata={"example": "api_key 无效。"})
