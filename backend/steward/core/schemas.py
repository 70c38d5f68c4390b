"""Shared marshmallow pieces: the base schema, common fields, and the problem shape.

Every input schema is a :class:`StrictSchema`. Besides refusing unknown fields it bounds, in this one
place, what the database and the JSON encoder can hold, so no input can reach them and fail there:

- integers fit the 32-bit ``integer`` columns (:data:`INT_MIN`..:data:`INT_MAX`) unless a field
  declares a narrower ``Range``; use :class:`Int` / :func:`Id` to say so explicitly;
- strings carry no NUL or other control characters (PostgreSQL cannot store NUL), and
  :class:`Text` / :func:`Name` fields also refuse line breaks unless multi-line, and bidi overrides;
- strings and lists have a maximum length (documented as ``maxLength`` / ``maxItems``);
- numbers and booleans are JSON's own: ``"12"``, ``12.0`` or ``1`` is not taken for ``12`` or ``true``
  (the documented type is the accepted type; the ``query`` decorator reads query strings into them).
"""
from __future__ import annotations

import re

from marshmallow import RAISE, Schema, ValidationError, fields, validate

from ..people.pii import ID_RX, PHONE_RX, id_card_error

INT_MIN, INT_MAX = -(2**31), 2**31 - 1  # PostgreSQL `integer`, the type of our ids and counts
MAX_STRING = 2000  # a string field without its own Length gets this one
MAX_ITEMS = 50  # a list field (body or repeated query parameter) without its own Length gets this one

# C0 and C1 control characters; \t \n \r are allowed only where multi-line text is.
_CONTROL_RX = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_LINE_BREAK_RX = re.compile("[\t\n\r]")
# Bidi embeddings, overrides, isolates and marks let a name display differently from what it is
# ("Trojan Source"): refused in single-line text.
_BIDI_RX = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
SURROGATE_RX = re.compile("[\ud800-\udfff]")

CONTROL_CHARS = "Control characters are not allowed."
LINE_BREAKS = "Line breaks and tabs are not allowed here."
BIDI_CHARS = "Text direction control characters are not allowed."


def no_control_chars(value: str) -> None:
    """Refuse NUL and the other control characters (tab and line breaks pass), and lone surrogates."""
    if _CONTROL_RX.search(value) or SURROGATE_RX.search(value):
        raise ValidationError(CONTROL_CHARS)


def _single_line(value: str) -> None:
    if _LINE_BREAK_RX.search(value):
        raise ValidationError(LINE_BREAKS)
    if _BIDI_RX.search(value):
        raise ValidationError(BIDI_CHARS)


class StrictSchema(Schema):
    """Unknown fields are an error, never silently dropped; every field is bounded (see the module)."""

    class Meta:
        unknown = RAISE

    def on_bind_field(self, field_name: str, field_obj: fields.Field) -> None:
        harden(field_obj)


class _Only(tuple):
    """``value in _Only(True)`` by identity: ``0``, ``1`` and ``"true"`` are not JSON booleans
    (a set would take ``0 == False``)."""

    def __new__(cls, value: bool):
        return super().__new__(cls, (value,))

    def __contains__(self, value) -> bool:
        return value is self[0]


def _has(field: fields.Field, kind: type, attr: str) -> bool:
    return any(isinstance(v, kind) and getattr(v, attr, None) is not None for v in field.validators)


def harden(field: fields.Field) -> None:
    """Add the bounds of the module docstring to ``field`` (and the fields inside it) if it lacks them."""
    if isinstance(field, fields.Integer):
        field.strict = True
        lows = [v.min for v in field.validators if isinstance(v, validate.Range) and v.min is not None]
        highs = [v.max for v in field.validators if isinstance(v, validate.Range) and v.max is not None]
        if not lows or max(lows) < INT_MIN or not highs or min(highs) > INT_MAX:
            field.validators.append(validate.Range(min=INT_MIN, max=INT_MAX))
    elif isinstance(field, fields.Boolean):
        field.truthy, field.falsy = _Only(True), _Only(False)
    elif isinstance(field, fields.String):
        if no_control_chars not in field.validators:
            field.validators.insert(0, no_control_chars)
        if not _has(field, validate.Length, "max") and not _has(field, validate.OneOf, "choices"):
            field.validators.append(validate.Length(max=MAX_STRING))
    elif isinstance(field, fields.List):
        if not _has(field, validate.Length, "max"):
            field.validators.append(validate.Length(max=MAX_ITEMS))
        harden(field.inner)
    elif isinstance(field, fields.Tuple):
        for inner in field.tuple_fields:
            harden(inner)
    elif isinstance(field, fields.Dict):
        for inner in (field.key_field, field.value_field):
            if inner is not None:
                harden(inner)


def max_items(field: fields.Field) -> int:
    """The most items a (hardened) list field accepts."""
    highs = [v.max for v in field.validators if isinstance(v, validate.Length) and v.max is not None]
    return min(highs, default=MAX_ITEMS)


class Int(fields.Integer):
    """An integer that fits its column: 32-bit by default, or ``min``..``max`` (documented as such)."""

    def __init__(self, *, min: int = INT_MIN, max: int = INT_MAX, **kw):
        extra = kw.pop("validate", None)
        validators = [validate.Range(min=min, max=max)]
        validators += list(extra) if isinstance(extra, (list, tuple)) else [extra] if extra else []
        super().__init__(validate=validators, **kw)


def Id(**kw) -> Int:
    """The id of a row (a positive 32-bit integer)."""
    return Int(min=1, **kw)


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
    """Text a person typed: trimmed of surrounding white space, without control characters.

    Single-line by default (no tabs, line breaks or bidi overrides); ``multiline=True`` allows
    tabs and line breaks (``\\r\\n`` becomes ``\\n``) for notes and descriptions.
    """

    def __init__(self, *, multiline: bool = False, **kw):
        super().__init__(**kw)
        self.multiline = multiline
        self.validators.insert(0, no_control_chars)
        if not multiline:
            self.validators.insert(1, _single_line)

    def _deserialize(self, value, attr, data, **kwargs):
        value = super()._deserialize(value, attr, data, **kwargs)
        if self.multiline:
            value = value.replace("\r\n", "\n")
        return value.strip()


def Name(*, max: int = 50, **kw) -> Text:
    """A person's or a place's name: one line of 1 to ``max`` characters."""
    extra = kw.pop("validate", None)
    validators = [validate.Length(min=1, max=max)]
    validators += list(extra) if isinstance(extra, (list, tuple)) else [extra] if extra else []
    return Text(validate=validators, **kw)


def Phone(**kw) -> fields.String:
    # The pattern is documented so that clients validate exactly as the server does.
    return Text(validate=_phone, metadata={"example": "13800000005", "description": "Mainland mobile number.",
                                           "pattern": PHONE_RX.pattern}, **kw)


def IdCard(**kw) -> fields.String:
    return fields.String(validate=_id_card, metadata={"example": "310226195503120027", "pattern": ID_RX.pattern,
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
    errors = fields.Dict(keys=fields.String(), values=fields.List(fields.String()), metadata={
        "example": {"phone": ["请输入以 1 开头的 11 位手机号码。"], "tags.1": ["须为以下之一：elderly_alone, hardship。"]},
        "description": "Field → messages. A nested field or a list item is named by its dotted path "
                       "(`household.name`, `tags.1`); `_schema` holds messages about the whole input."})
    request_id = fields.String()
    state = fields.String(metadata={"description": "For an impossible step (409): the state the object is in.",
                                    "example": "approved"})
    allowed = fields.List(fields.String(), metadata={
        "description": "For an impossible step (409): the steps the object allows now.", "example": []})
