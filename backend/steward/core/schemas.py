"""Shared marshmallow pieces: the base schema, common fields, and the problem shape."""
from __future__ import annotations

import re

from marshmallow import RAISE, Schema, ValidationError, fields, validate

from ..people.pii import PHONE_RX, id_card_error


class StrictSchema(Schema):
    """Unknown fields are an error, never silently dropped."""

    class Meta:
        unknown = RAISE


def _phone(value: str) -> None:
    if not PHONE_RX.match(value):
        raise ValidationError("Enter a mainland mobile number of 11 digits starting with 1.")


def _id_card(value: str) -> None:
    problem = id_card_error(value)
    if problem:
        raise ValidationError(problem)


def _password(value: str) -> None:
    if len(value) < 8 or not re.search(r"[A-Za-z]", value) or not re.search(r"\d", value):
        raise ValidationError("The password must have at least 8 characters, with letters and digits.")


class Text(fields.String):
    """A string trimmed of surrounding white space before validation."""

    def _deserialize(self, value, attr, data, **kwargs):
        value = super()._deserialize(value, attr, data, **kwargs)
        return value.strip()


def Phone(**kw) -> fields.String:
    # The pattern is documented so that clients validate exactly as the server does.
    return Text(validate=_phone, metadata={"example": "13800000005", "description": "Mainland mobile number.",
                                           "pattern": PHONE_RX.pattern}, **kw)


def IdCard(**kw) -> fields.String:
    return fields.String(validate=_id_card, metadata={"example": "310226195503120027",
                                                      "description": "18-character ID (GB 11643)."}, **kw)


def Password(**kw) -> fields.String:
    return fields.String(validate=[validate.Length(max=128), _password], load_only=True,
                         metadata={"example": "Steward@2026", "format": "password"}, **kw)


class ProblemSchema(Schema):
    """RFC 9457 problem details."""

    partial_output = True  # detail, errors and request_id appear only when they apply

    type = fields.String(required=True, metadata={"example": "https://steward.example.org/problems/validation"})
    title = fields.String(required=True, metadata={"example": "提交的内容有误"})
    status = fields.Integer(required=True, metadata={"example": 422})
    detail = fields.String(metadata={"example": "部分字段填写有误，请检查。"})
    errors = fields.Dict(keys=fields.String(), values=fields.List(fields.String()),
                         metadata={"example": {"phone": ["请输入以 1 开头的 11 位手机号码。"]}})
    request_id = fields.String()
    state = fields.String(metadata={"description": "For an impossible step (409): the state the object is in.",
                                    "example": "approved"})
    allowed = fields.List(fields.String(), metadata={
        "description": "For an impossible step (409): the steps the object allows now.", "example": []})
