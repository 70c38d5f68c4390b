from flask import has_request_context
from flask_jwt_extended import current_user
from marshmallow import Schema, fields, validate

from ..areas.schemas import AreaBrief
from ..core.pagination import PageArgs
from ..core.schemas import Password, Phone, StrictSchema, Text
from ..people.pii import mask_phone
from ..services.models import Category as ServiceCategory
from .access import sees_contact
from .models import UnitKind

KINDS = [k.value for k in UnitKind]
SERVICE_KINDS = [c.value for c in ServiceCategory]
MAX_IDS = 50


def _contact_phone(unit):
    viewer = current_user if has_request_context() else None
    return unit.contact_phone if sees_contact(viewer, unit) else mask_phone(unit.contact_phone)


class UnitCategory(Schema):
    id = fields.Integer()
    code = fields.String(metadata={"example": "clutter"})
    name_zh = fields.String(metadata={"example": "乱堆物"})
    name_en = fields.String(metadata={"example": "Clutter in common areas"})


class UnitOut(Schema):
    id = fields.Integer()
    kind = fields.String(metadata={"enum": KINDS})
    name = fields.String(metadata={"example": "丽水湾物业服务中心"})
    area = fields.Nested(AreaBrief)
    contact_name = fields.String(allow_none=True)
    contact_phone = fields.Function(_contact_phone, allow_none=True, metadata={
        "type": "string", "description": "In full for staff and the unit's own members, masked for everyone else."})
    description = fields.String(allow_none=True)
    is_active = fields.Boolean()
    categories = fields.List(fields.Nested(UnitCategory), metadata={
        "description": "The case categories it takes: the dispatch screen suggests it for them."})
    service_kinds = fields.List(fields.String(metadata={"enum": SERVICE_KINDS}), metadata={
        "description": "The kinds of service it provides (codes of the services catalogue's categories)."})


class UnitBrief(Schema):
    id = fields.Integer()
    kind = fields.String(metadata={"enum": KINDS})
    name = fields.String()


class UnitQuery(PageArgs, StrictSchema):
    kind = fields.String(validate=validate.OneOf(KINDS))
    q = Text(validate=validate.Length(min=1, max=50), metadata={"description": "Name contains."})
    category_id = fields.Integer(validate=validate.Range(min=1, max=2**31 - 1), metadata={
        "description": "Only units taking this case category (the dispatch screen's suggestions)."})
    active = fields.Boolean(metadata={"description": "Only active (true) or inactive (false) units."})


class UnitIn(StrictSchema):
    area_id = fields.Integer(required=True, metadata={"description": "The community (or town) it serves."})
    kind = fields.String(required=True, validate=validate.OneOf(KINDS))
    name = Text(required=True, validate=validate.Length(min=1, max=100))
    contact_name = Text(allow_none=True, validate=validate.Length(max=50))
    contact_phone = Text(allow_none=True, validate=validate.Regexp(r"^[0-9+\-\s]{5,20}$"))
    description = Text(allow_none=True, validate=validate.Length(max=500))
    category_ids = fields.List(fields.Integer(validate=validate.Range(min=1, max=2**31 - 1)),
                               validate=validate.Length(max=MAX_IDS),
                               metadata={"description": "The case categories it takes (replaces the list)."})
    service_kinds = fields.List(fields.String(validate=validate.OneOf(SERVICE_KINDS)),
                                validate=validate.Length(max=len(SERVICE_KINDS)))


class UnitPatch(StrictSchema):
    kind = fields.String(validate=validate.OneOf(KINDS))
    name = Text(validate=validate.Length(min=1, max=100))
    contact_name = Text(allow_none=True, validate=validate.Length(max=50))
    contact_phone = Text(allow_none=True, validate=validate.Regexp(r"^[0-9+\-\s]{5,20}$"))
    description = Text(allow_none=True, validate=validate.Length(max=500))
    is_active = fields.Boolean()
    category_ids = fields.List(fields.Integer(validate=validate.Range(min=1, max=2**31 - 1)),
                               validate=validate.Length(max=MAX_IDS),
                               metadata={"description": "The case categories it takes (replaces the list)."})
    service_kinds = fields.List(fields.String(validate=validate.OneOf(SERVICE_KINDS)),
                                validate=validate.Length(max=len(SERVICE_KINDS)))


class MemberOut(Schema):
    """A partner account of the unit; the phone is masked as everywhere."""
    id = fields.Integer()
    name = fields.String()
    phone = fields.Function(lambda u: mask_phone(u.phone), metadata={"type": "string"})
    is_unit_admin = fields.Boolean(metadata={"description": "Manages the unit's API clients and webhooks."})
    is_active = fields.Boolean()
    must_change_password = fields.Boolean()
    last_login_at = fields.DateTime(allow_none=True)


class MemberList(Schema):
    items = fields.List(fields.Nested(MemberOut))


class MemberIn(StrictSchema):
    """Attach an existing partner account by its phone, or (with ``name`` and ``password``) create one."""
    phone = Phone(required=True)
    name = Text(validate=validate.Length(min=1, max=50), metadata={"description": "For a new account."})
    password = Password()  # for a new account: a first password, changed at the first sign-in
    area_id = fields.Integer(validate=validate.Range(min=1, max=2**31 - 1), metadata={
        "description": "For a new account of a town-wide unit: the community it signs in for."})
    is_unit_admin = fields.Boolean()


class MemberPatch(StrictSchema):
    is_unit_admin = fields.Boolean(required=True)
