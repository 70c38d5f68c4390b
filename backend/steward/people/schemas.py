from __future__ import annotations

from marshmallow import Schema, fields, validate

from ..alliances.schemas import UnitBrief
from ..areas.schemas import AreaBrief, AreaOut, HouseholdBrief, StairwellBrief
from ..core.pagination import PageArgs
from ..core.schemas import IdCard, Password, Phone, StrictSchema, Text
from .models import Role, Tag
from .pii import mask_phone

TAGS = [t.value for t in Tag]
ROLES = [r.value for r in Role]


class ResidentOut(Schema):
    """A resident; phone and ID-card number are always masked here (see ``/reveal``)."""

    id = fields.Integer()
    name = fields.String(metadata={"example": "张秀英"})
    gender = fields.String(allow_none=True, metadata={"enum": ["male", "female"]})
    birth_date = fields.Date(allow_none=True)
    phone = fields.Function(lambda r: mask_phone(r.phone), metadata={"example": "138****5678", "type": "string",
                                                                     "nullable": True})
    id_card = fields.String(attribute="id_card_hint", allow_none=True, metadata={"example": "310***********1234"})
    tags = fields.List(fields.String(metadata={"enum": TAGS}))
    household = fields.Nested(HouseholdBrief)
    grid = fields.Nested(AreaBrief, attribute="household.stairwell.grid")
    community = fields.Nested(AreaBrief, attribute="household.stairwell.community")
    version = fields.Integer()
    created_at = fields.DateTime()
    updated_at = fields.DateTime()


class ResidentQuery(PageArgs, StrictSchema):
    q = Text(validate=validate.Length(min=1, max=50), metadata={"description": "Name contains, or phone contains."})
    tag = fields.List(fields.String(validate=validate.OneOf(TAGS)),
                      metadata={"description": "Has every one of these tags (repeat the parameter)."})
    area_id = fields.Integer(metadata={"description": "Only residents within this area."})
    household_id = fields.Integer()


class ResidentIn(StrictSchema):
    household_id = fields.Integer(required=True)
    name = Text(required=True, validate=validate.Length(min=1, max=50))
    gender = fields.String(allow_none=True, validate=validate.OneOf(["male", "female"]))
    birth_date = fields.Date(allow_none=True)
    phone = Phone(allow_none=True)
    id_card = IdCard(allow_none=True)
    tags = fields.List(fields.String(validate=validate.OneOf(TAGS)), validate=validate.Length(max=10))


class ResidentPatch(StrictSchema):
    name = Text(validate=validate.Length(min=1, max=50))
    gender = fields.String(allow_none=True, validate=validate.OneOf(["male", "female"]))
    birth_date = fields.Date(allow_none=True)
    phone = Phone(allow_none=True)
    id_card = IdCard(allow_none=True)
    tags = fields.List(fields.String(validate=validate.OneOf(TAGS)), validate=validate.Length(max=10))
    household_id = fields.Integer()


class RevealIn(StrictSchema):
    fields_ = fields.List(fields.String(validate=validate.OneOf(["phone", "id_card"])), data_key="fields",
                          required=True, validate=validate.Length(min=1, max=2))


class RevealOut(Schema):
    """Full values of the fields asked for (only those); each reveal is written to the audit log."""

    partial_output = True

    phone = fields.String(allow_none=True)
    id_card = fields.String(allow_none=True)


class HouseholdOut(Schema):
    id = fields.Integer()
    room = fields.String()
    address = fields.String(metadata={"example": "丽水湾12号楼2单元301室"})
    stairwell = fields.Nested(StairwellBrief)
    grid = fields.Nested(AreaBrief, attribute="stairwell.grid")
    community = fields.Nested(AreaBrief, attribute="stairwell.community")
    residents = fields.List(fields.Nested(ResidentOut))


class ClaimantOut(Schema):
    id = fields.Integer()
    name = fields.String()
    phone = fields.Function(lambda u: mask_phone(u.phone), metadata={"type": "string"})


class ClaimOut(Schema):
    id = fields.Integer()
    status = fields.String(metadata={"enum": ["pending", "approved", "rejected"]})
    address = fields.String(attribute="household.address")
    note = fields.String(allow_none=True, metadata={"description": "The committee's note, e.g. why it was rejected."})
    household_id = fields.Integer()
    user = fields.Nested(ClaimantOut)
    created_at = fields.DateTime()
    reviewed_at = fields.DateTime(allow_none=True)
    note = fields.String(allow_none=True)


class ClaimQuery(PageArgs, StrictSchema):
    status = fields.String(validate=validate.OneOf(["pending", "approved", "rejected"]))


class ClaimReviewIn(StrictSchema):
    decision = fields.String(required=True, validate=validate.OneOf(["approve", "reject"]))
    note = Text(validate=validate.Length(max=200))


class ClaimBrief(Schema):
    id = fields.Integer()
    status = fields.String(metadata={"enum": ["pending", "approved", "rejected"]})
    address = fields.String(attribute="household.address")
    note = fields.String(allow_none=True, metadata={"description": "The committee's note, e.g. why it was rejected."})


class MeOut(Schema):
    id = fields.Integer()
    phone = fields.String(metadata={"description": "Your own phone, in full."})
    name = fields.String()
    role = fields.String(metadata={"enum": ROLES})
    area = fields.Nested(AreaOut)
    community = fields.Nested(AreaBrief, allow_none=True,
                              metadata={"description": "The community the area lies in; null for town-level users."})
    resident_id = fields.Integer(allow_none=True)
    household_id = fields.Integer(allow_none=True)
    claim = fields.Nested(ClaimBrief, attribute="latest_claim", allow_none=True)
    unit = fields.Nested(UnitBrief, allow_none=True, metadata={"description": "A partner's alliance unit."})


class UserOut(Schema):
    id = fields.Integer()
    phone = fields.Function(lambda u: mask_phone(u.phone), metadata={"type": "string"})
    name = fields.String()
    role = fields.String(metadata={"enum": ROLES})
    area = fields.Nested(AreaBrief)
    resident_id = fields.Integer(allow_none=True)
    unit = fields.Nested(UnitBrief, allow_none=True)
    is_active = fields.Boolean()
    created_at = fields.DateTime()
    last_login_at = fields.DateTime(allow_none=True)


class UserQuery(PageArgs, StrictSchema):
    role = fields.String(validate=validate.OneOf(ROLES))
    q = Text(validate=validate.Length(min=1, max=50))


class UserIn(StrictSchema):
    phone = Phone(required=True)
    name = Text(required=True, validate=validate.Length(min=1, max=50))
    password = Password(required=True)
    role = fields.String(required=True, validate=validate.OneOf(ROLES))
    area_id = fields.Integer(required=True)
    resident_id = fields.Integer(allow_none=True)
    unit_id = fields.Integer(allow_none=True, metadata={"description": "The alliance unit of a partner."})


class UserPatch(StrictSchema):
    name = Text(validate=validate.Length(min=1, max=50))
    role = fields.String(validate=validate.OneOf(ROLES))
    area_id = fields.Integer()
    unit_id = fields.Integer(allow_none=True)
    is_active = fields.Boolean()
    password = Password()
