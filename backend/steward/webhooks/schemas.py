from marshmallow import Schema, fields, validate

from ..alliances.schemas import UnitBrief
from ..core.pagination import PageArgs
from ..core.schemas import StrictSchema, Text
from .models import EVENTS, PING, DeliveryStatus

STATUSES = [DeliveryStatus.PENDING, DeliveryStatus.SENDING, DeliveryStatus.DELIVERED, DeliveryStatus.FAILED]
_EVENTS = fields.List(fields.String(validate=validate.OneOf(EVENTS, error="Unknown event.")),
                      validate=validate.Length(min=1, max=len(EVENTS)),
                      metadata={"description": "What to receive: " + ", ".join(f"`{e}`" for e in EVENTS) + "."})


def _url(**kw):
    return Text(validate=validate.Length(min=8, max=500), metadata={
        "description": "https URL that receives the POSTs (checked: it must resolve to public addresses only).",
        "example": "https://wuye.example.com/steward/webhooks"}, **kw)


class SubscriptionIn(StrictSchema):
    unit_id = fields.Integer(required=True, metadata={"description": "The unit whose events to receive."})
    url = _url(required=True)
    events = fields.List(_EVENTS.inner, load_default=lambda: list(EVENTS), validate=_EVENTS.validate,
                         metadata=_EVENTS.metadata)
    description = Text(validate=validate.Length(max=100), allow_none=True)
    is_active = fields.Boolean(load_default=True)


class SubscriptionPatch(StrictSchema):
    url = _url()
    events = fields.List(_EVENTS.inner, validate=_EVENTS.validate, metadata=_EVENTS.metadata)
    description = Text(validate=validate.Length(max=100), allow_none=True)
    is_active = fields.Boolean()


class SubscriptionOut(Schema):
    id = fields.Integer()
    unit = fields.Nested(UnitBrief)
    url = fields.String()
    description = fields.String(allow_none=True)
    events = fields.List(fields.String(metadata={"enum": list(EVENTS)}))
    is_active = fields.Boolean()
    created_at = fields.DateTime()
    updated_at = fields.DateTime()


class SubscriptionCreated(SubscriptionOut):
    """The subscription with its signing secret — the only time the secret is shown."""

    secret = fields.String(metadata={"description": "Key of the `Steward-Signature` HMAC. Shown once; store it now.",
                                     "example": "whsec_kQ0d…"})


class SubscriptionQuery(PageArgs, StrictSchema):
    unit_id = fields.Integer()


class DeliveryQuery(PageArgs, StrictSchema):
    status = fields.String(validate=validate.OneOf(STATUSES))


class EventBrief(Schema):
    id = fields.Function(lambda e: f"evt_{e.id}", metadata={"type": "string", "example": "evt_42"})
    type = fields.String(metadata={"enum": [*EVENTS, PING]})
    case_id = fields.Integer(allow_none=True)
    created_at = fields.DateTime()


class DeliveryOut(Schema):
    id = fields.Integer()
    subscription_id = fields.Integer()
    event = fields.Nested(EventBrief)
    status = fields.String(metadata={"enum": STATUSES})
    attempts = fields.Integer()
    next_attempt_at = fields.DateTime(allow_none=True)
    last_attempt_at = fields.DateTime(allow_none=True)
    status_code = fields.Integer(allow_none=True, metadata={"description": "The receiver's HTTP status, last attempt."})
    latency_ms = fields.Integer(allow_none=True)
    response_excerpt = fields.String(allow_none=True, metadata={"description": "The first 1 KiB of the answer."})
    error = fields.String(allow_none=True)
    delivered_at = fields.DateTime(allow_none=True)
    replay_of_id = fields.Integer(allow_none=True)
    created_at = fields.DateTime()
