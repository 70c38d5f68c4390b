from __future__ import annotations

from marshmallow import Schema, fields, validate

from ..core.pagination import PageArgs
from ..core.schemas import StrictSchema, Text
from .models import AreaKind

KINDS = [k.value for k in AreaKind]
FULL_NAME = "The name qualified by its community; a community (or the town) is its own name."
OfficePhone = validate.Regexp(r"^[0-9][0-9 ()+-]{4,19}$", error="Enter a phone number (digits, spaces, + - ( )).")


class AreaOut(Schema):
    id = fields.Integer()
    parent_id = fields.Integer(allow_none=True)
    kind = fields.String(metadata={"enum": KINDS})
    name = fields.String(metadata={"example": "丽水湾"})
    code = fields.String(metadata={"example": "LSW"})
    path = fields.String(metadata={"example": "/1/2/"})
    depth = fields.Integer()
    full_name = fields.String(metadata={"example": "丽水湾 1号网格", "description": FULL_NAME})
    office_phone = fields.String(allow_none=True, metadata={"description": "A community's committee phone.",
                                                            "example": "021-57461000"})


class AreaBrief(Schema):
    id = fields.Integer()
    name = fields.String()
    full_name = fields.String(metadata={"example": "丽水湾 1号网格", "description": FULL_NAME})
    code = fields.String()


class AreaQuery(PageArgs, StrictSchema):
    parent_id = fields.Integer(metadata={"description": "Only the children of this area."})
    kind = fields.String(validate=validate.OneOf(KINDS))
    q = Text(validate=validate.Length(max=50), metadata={"description": "Name or code contains."})


class AreaIn(StrictSchema):
    parent_id = fields.Integer(required=True)
    kind = fields.String(required=True, validate=validate.OneOf([AreaKind.SECTION.value, AreaKind.GRID.value]))
    name = Text(required=True, validate=validate.Length(min=1, max=100))
    code = Text(required=True, validate=[validate.Length(min=1, max=32),
                                         validate.Regexp(r"^[A-Za-z0-9_-]+$")])


class AreaPatch(StrictSchema):
    name = Text(validate=validate.Length(min=1, max=100))
    code = Text(validate=[validate.Length(min=1, max=32), validate.Regexp(r"^[A-Za-z0-9_-]+$")])
    office_phone = Text(allow_none=True, validate=OfficePhone,
                        metadata={"description": "A community's committee phone.", "example": "021-57461000"})


class TagCounts(Schema):
    elderly_alone = fields.Integer()
    hardship = fields.Integer()
    party_member = fields.Integer()
    volunteer = fields.Integer()


class AreaStatsOut(Schema):
    area = fields.Nested(AreaOut)
    sections = fields.Integer()
    grids = fields.Integer()
    stairwells = fields.Integer()
    households = fields.Integer()
    residents = fields.Integer()
    tags = fields.Nested(TagCounts)


class AreaStatsList(Schema):
    items = fields.List(fields.Nested(AreaStatsOut))


class StairwellBrief(Schema):
    id = fields.Integer()
    building = fields.String(metadata={"example": "12"})
    unit = fields.String(metadata={"example": "2"})
    label = fields.String(metadata={"example": "12号楼2单元"})


class StairwellOut(Schema):
    id = fields.Integer()
    building = fields.String(metadata={"example": "12"})
    unit = fields.String(metadata={"example": "2"})
    label = fields.String(metadata={"example": "12号楼2单元"})
    grid = fields.Nested(AreaBrief)
    community = fields.Nested(AreaBrief)


class StairwellQuery(PageArgs, StrictSchema):
    grid_id = fields.Integer()
    building = Text()


class StairwellIn(StrictSchema):
    grid_id = fields.Integer(required=True)
    building = Text(required=True, validate=validate.Length(min=1, max=20))
    unit = Text(required=True, validate=validate.Length(min=1, max=20))


class HouseholdBrief(Schema):
    id = fields.Integer()
    room = fields.String()
    address = fields.String(metadata={"example": "丽水湾12号楼2单元301室"})


class HouseholdQuery(PageArgs, StrictSchema):
    stairwell_id = fields.Integer()
    area_id = fields.Integer()


class HouseholdIn(StrictSchema):
    stairwell_id = fields.Integer(required=True)
    room = Text(required=True, validate=validate.Length(min=1, max=20))


class PublicCommunity(Schema):
    id = fields.Integer()
    name = fields.String()
    code = fields.String()
    office_phone = fields.String(allow_none=True, metadata={"description": "The committee's phone.",
                                                            "example": "021-57461000"})


class PublicCommunityList(Schema):
    items = fields.List(fields.Nested(PublicCommunity))


class PublicUnit(Schema):
    stairwell_id = fields.Integer()
    unit = fields.String(metadata={"example": "1"})
    label = fields.String(metadata={"example": "12号楼1单元"})


class PublicBuilding(Schema):
    building = fields.String(metadata={"example": "12"})
    units = fields.List(fields.Nested(PublicUnit))


class PublicBuildingList(Schema):
    items = fields.List(fields.Nested(PublicBuilding))


class PublicRoom(Schema):
    household_id = fields.Integer()
    room = fields.String(metadata={"example": "302"})


class PublicRoomList(Schema):
    items = fields.List(fields.Nested(PublicRoom))
