"""A gallery photo as the API shows it: its links live under the subject's own collection."""
from __future__ import annotations

from marshmallow import Schema, fields, validate

from ..core.schemas import StrictSchema, Text
from .service import ROUTES


def _url(photo, thumb: bool = False) -> str:
    return f"/api/v1/{ROUTES[photo.subject_type]}/{photo.subject_id}/photos/{photo.id}" + ("?size=thumb" if thumb else "")


class GalleryPhotoOut(Schema):
    id = fields.Integer()
    caption = fields.String(allow_none=True)
    width = fields.Integer()
    height = fields.Integer()
    created_at = fields.DateTime()
    url = fields.Function(_url, metadata={"type": "string"})
    thumbnail_url = fields.Function(lambda p: _url(p, thumb=True), metadata={"type": "string"})


class GalleryPhotoList(Schema):
    items = fields.List(fields.Nested(GalleryPhotoOut))


class GalleryPhotosIn(StrictSchema):
    caption = Text(validate=validate.Length(min=1, max=100), load_default=None)


class GalleryPhotoQuery(StrictSchema):
    size = fields.String(load_default="full", validate=validate.OneOf(["full", "thumb"]))
