from __future__ import annotations

from marshmallow import Schema, fields, validate

from ..core.pagination import PageArgs
from ..core.schemas import StrictSchema, Text
from ..people.schemas import PersonBrief
from .models import RequestStatus

STATUSES = [s.value for s in RequestStatus]


class AccountData(Schema):
    id = fields.Integer()
    name = fields.String()
    phone = fields.String()
    role = fields.String()
    created_at = fields.DateTime()
    last_login_at = fields.DateTime(allow_none=True)
    privacy_version = fields.String(allow_none=True)
    privacy_accepted_at = fields.DateTime(allow_none=True)
    consent_withdrawn_at = fields.DateTime(allow_none=True)


class MemberData(Schema):
    id = fields.Integer()
    name = fields.String()
    gender = fields.String(allow_none=True)
    birth_date = fields.String(allow_none=True)
    phone = fields.String(allow_none=True, metadata={"description": "Others' phones masked on screen."})
    id_card = fields.String(allow_none=True, metadata={"description": "Masked on screen, full in the download."})
    tags = fields.List(fields.String())
    is_me = fields.Boolean()


class HouseholdData(Schema):
    id = fields.Integer()
    address = fields.String()
    members = fields.List(fields.Nested(MemberData))


class RequestBrief(Schema):
    id = fields.Integer()
    status = fields.String(metadata={"enum": STATUSES})
    created_at = fields.DateTime()
    note = fields.String(allow_none=True)


def _records(description: str):
    return fields.List(fields.Dict(keys=fields.String(), values=fields.Raw()), metadata={"description": description})


class MyDataOut(Schema):
    """Everything the platform holds about you and your household (PIPL art. 45)."""

    generated_at = fields.DateTime()
    account = fields.Nested(AccountData)
    household = fields.Nested(HouseholdData, allow_none=True)
    claims = _records("Your claims to a household.")
    cases = _records("The problems you reported.")
    bookings = _records("Your service bookings.")
    activity_signups = _records("Your activity sign-ups.")
    service_requests = _records("Your on-request services (代办).")
    form_submissions = _records("Your answers to registration forms.")
    care = _records("Who looks after your household.")
    has_notifications = fields.Boolean()
    deletion_request = fields.Nested(RequestBrief, allow_none=True)


class DeletionIn(StrictSchema):
    reason = Text(validate=validate.Length(min=1, max=200))


class WithdrawIn(StrictSchema):
    confirm = fields.Boolean(required=True, validate=validate.Equal(True), metadata={
        "description": "true: I understand my account closes now and my data will be erased."})
    reason = Text(validate=validate.Length(min=1, max=200))


class DeletionOut(Schema):
    id = fields.Integer()
    user = fields.Nested(PersonBrief)
    reason = fields.String(allow_none=True)
    withdrew_consent = fields.Boolean()
    status = fields.String(metadata={"enum": STATUSES})
    created_at = fields.DateTime()
    decided_at = fields.DateTime(allow_none=True)
    note = fields.String(allow_none=True)


class DeletionQuery(PageArgs, StrictSchema):
    status = fields.String(validate=validate.OneOf(STATUSES))


class RejectIn(StrictSchema):
    note = Text(required=True, validate=validate.Length(min=2, max=200))


class MyRequestOut(Schema):
    request = fields.Nested(DeletionOut, allow_none=True)
