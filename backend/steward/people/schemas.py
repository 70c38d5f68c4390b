from __future__ import annotations

from flask_jwt_extended import current_user
from marshmallow import Schema, fields, validate

from ..alliances.schemas import UnitBrief
from ..areas.schemas import AreaBrief, AreaOut, HouseholdBrief, StairwellBrief
from ..core.pagination import PageArgs
from ..core.schemas import IdCard, Password, Phone, StrictSchema, Text
from .models import STAFF_ROLES, Role, Tag
from .pii import mask_phone

TAGS = [t.value for t in Tag]
ROLES = [r.value for r in Role]
STAFF = {r.value for r in STAFF_ROLES}


def PersonName(**kw) -> fields.String:
    """A person's name: 1–50 characters (control and bidi characters are refused by ``Text``)."""
    return Text(validate=validate.Length(min=1, max=50), **{"metadata": {"example": "张秀英"}, **kw})


def _conflict_for_staff(resident) -> bool:
    # Only the committee learns that a number matches someone else's (no town-wide oracle for residents).
    try:
        role = current_user.role
    except (RuntimeError, AttributeError):  # no signed-in user
        return False
    return bool(resident.id_card_conflict) and role in STAFF


class ResidentOut(Schema):
    """A resident; phone and ID-card number are always masked here (see ``/reveal``)."""

    id = fields.Integer()
    name = fields.String(metadata={"example": "张秀英"})
    gender = fields.String(allow_none=True, metadata={"enum": ["male", "female"]})
    birth_date = fields.Date(allow_none=True)
    phone = fields.Function(lambda r: mask_phone(r.phone), metadata={"example": "138****5678", "type": "string",
                                                                     "nullable": True})
    id_card = fields.String(attribute="id_card_hint", allow_none=True, metadata={"example": "310***********1234"})
    id_card_conflict = fields.Function(_conflict_for_staff, metadata={
        "type": "boolean", "description": "Staff only (false for everyone else): the ID-card number a resident "
                                          "entered is already another resident's; the committee resolves it."})
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
    building = Text(validate=validate.Length(min=1, max=20),
                    metadata={"description": "Only this building (楼号), within `area_id` or your scope.",
                              "example": "12"})
    id_card_conflict = fields.Boolean(metadata={"description": "Staff: only residents whose ID-card number "
                                                               "awaits resolution."})


class ResidentPage(Schema):
    items = fields.List(fields.Nested(ResidentOut))
    next_cursor = fields.String(allow_none=True, metadata={
        "description": "Pass as `cursor` for the next page; null on the last."})
    total = fields.Integer(metadata={"description": "How many residents match the filters (all pages)."})


class ResidentIn(StrictSchema):
    household_id = fields.Integer(required=True)
    name = PersonName(required=True)
    gender = fields.String(allow_none=True, validate=validate.OneOf(["male", "female"]))
    birth_date = fields.Date(allow_none=True)
    phone = Phone(allow_none=True)
    id_card = IdCard(allow_none=True)
    tags = fields.List(fields.String(validate=validate.OneOf(TAGS)), validate=validate.Length(max=10))


class ResidentPatch(StrictSchema):
    name = PersonName()
    gender = fields.String(allow_none=True, validate=validate.OneOf(["male", "female"]))
    birth_date = fields.Date(allow_none=True)
    phone = Phone(allow_none=True)
    id_card = IdCard(allow_none=True)
    tags = fields.List(fields.String(validate=validate.OneOf(TAGS)), validate=validate.Length(max=10))
    household_id = fields.Integer()


class RevealIn(StrictSchema):
    field = fields.String(required=True, validate=validate.OneOf(["phone", "id_card"]))
    reason = Text(required=True, validate=validate.Length(min=2, max=200),
                  metadata={"description": "Why you need the full value; written to the audit log.",
                            "example": "上门走访前电话联系"})


class RevealOut(Schema):
    """The full value; each reveal is written to the audit log with its reason."""

    field = fields.String(metadata={"enum": ["phone", "id_card"]})
    value = fields.String(allow_none=True, metadata={"example": "13812345678"})


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


class OccupantOut(Schema):
    """Someone already registered in the claimed household, for the reviewing staff."""

    id = fields.Integer()
    name = fields.String()
    phone = fields.Function(lambda r: mask_phone(r.phone), metadata={"type": "string", "nullable": True,
                                                                     "example": "138****5678"})
    has_account = fields.Boolean(metadata={"description": "A user account is linked to this resident."})


class ClaimOut(Schema):
    id = fields.Integer()
    status = fields.String(metadata={"enum": ["pending", "approved", "rejected"]})
    address = fields.String(attribute="household.address")
    note = fields.String(allow_none=True, metadata={"description": "The committee's note, e.g. why it was rejected."})
    household_id = fields.Integer()
    user = fields.Nested(ClaimantOut)
    occupants = fields.List(fields.Nested(OccupantOut), metadata={
        "description": "The residents already registered in the household, to compare with the claimant."})
    created_at = fields.DateTime()
    reviewed_at = fields.DateTime(allow_none=True)


class ClaimQuery(PageArgs, StrictSchema):
    status = fields.String(validate=validate.OneOf(["pending", "approved", "rejected"]))


class ClaimReviewIn(StrictSchema):
    decision = fields.String(required=True, validate=validate.OneOf(["approve", "reject"]))
    note = Text(validate=validate.Length(max=200))


class PersonBrief(Schema):
    """Who did something (a volunteer, a handler): the name only, never contact details."""

    id = fields.Integer()
    name = fields.String()


class ClaimBrief(Schema):
    id = fields.Integer()
    status = fields.String(metadata={"enum": ["pending", "approved", "rejected"]})
    address = fields.String(attribute="household.address")
    note = fields.String(allow_none=True, metadata={"description": "The committee's note, e.g. why it was rejected."})


class CommunityBrief(AreaBrief):
    office_phone = fields.String(allow_none=True, metadata={"description": "The committee's phone.",
                                                            "example": "021-57461000"})


class MeOut(Schema):
    id = fields.Integer()
    phone = fields.String(metadata={"description": "Your own phone, in full."})
    name = fields.String()
    role = fields.String(metadata={"enum": ROLES})
    must_change_password = fields.Boolean(metadata={
        "description": "Staff chose the current password: until you change it (POST /me/password) every other "
                       "route answers 403 password-change-required."})
    area = fields.Nested(AreaOut)
    community = fields.Nested(CommunityBrief, allow_none=True,
                              metadata={"description": "The community the area lies in; null for town-level users."})
    resident_id = fields.Integer(allow_none=True)
    household_id = fields.Integer(allow_none=True)
    claim = fields.Nested(ClaimBrief, attribute="latest_claim", allow_none=True)
    unit = fields.Nested(UnitBrief, allow_none=True, metadata={"description": "A partner's alliance unit."})
    is_unit_admin = fields.Boolean(metadata={
        "description": "A partner account that manages its unit's API clients and webhooks (staff grant it)."})


class UserOut(Schema):
    id = fields.Integer()
    phone = fields.Function(lambda u: mask_phone(u.phone), metadata={"type": "string"})
    name = fields.String()
    role = fields.String(metadata={"enum": ROLES})
    area = fields.Nested(AreaBrief)
    resident_id = fields.Integer(allow_none=True)
    unit = fields.Nested(UnitBrief, allow_none=True)
    is_active = fields.Boolean()
    must_change_password = fields.Boolean(metadata={"description": "The password was set by staff and not yet "
                                                                   "changed by its owner."})
    created_at = fields.DateTime()
    last_login_at = fields.DateTime(allow_none=True)


class UserQuery(PageArgs, StrictSchema):
    role = fields.String(validate=validate.OneOf(ROLES))
    q = Text(validate=validate.Length(min=1, max=50))


class UserIn(StrictSchema):
    phone = Phone(required=True)
    name = PersonName(required=True)
    password = Password(required=True)  # a first password: the user must change it at the first sign-in
    role = fields.String(required=True, validate=validate.OneOf(ROLES))
    area_id = fields.Integer(required=True)
    resident_id = fields.Integer(allow_none=True)
    unit_id = fields.Integer(allow_none=True, metadata={"description": "The alliance unit of a partner."})


class UserPatch(StrictSchema):
    name = PersonName()
    role = fields.String(validate=validate.OneOf(ROLES))
    area_id = fields.Integer()
    unit_id = fields.Integer(allow_none=True)
    is_active = fields.Boolean()


class PasswordSetIn(StrictSchema):
    new_password = Password(required=True)
