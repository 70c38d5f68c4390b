"""A subject's photos: add (by whoever the subject's domain allowed), list, one, remove."""
from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from .. import media
from ..core.errors import invalid, not_found
from ..scope import Principal
from .models import GalleryPhoto

MAX_PER_SUBJECT = 30
MAX_PER_UPLOAD = 6
ROUTES = {"activity": "activities", "project": "projects"}  # subject type → the API collection it lives under


def add(session: Session, *, subject_type: str, subject_id: int, user: Principal, photos: list,
        caption: str | None = None) -> list[GalleryPhoto]:
    if not photos:
        raise invalid({"photos": ["Add at least one photo."]})
    held = session.scalar(select(func.count(GalleryPhoto.id)).where(GalleryPhoto.subject_type == subject_type,
                                                                     GalleryPhoto.subject_id == subject_id))
    if held + len(photos) > MAX_PER_SUBJECT:
        raise invalid({"photos": ["At most 30 photos are kept here."]})
    rows = [GalleryPhoto(subject_type=subject_type, subject_id=subject_id, caption=caption, uploaded_by_id=user.id,
                         **stored.columns()) for stored in media.store_photos(photos, session=session)]
    session.add_all(rows)
    session.flush()
    return rows


def of(session: Session, subject_type: str, subject_id: int) -> list[GalleryPhoto]:
    return list(session.scalars(select(GalleryPhoto).where(GalleryPhoto.subject_type == subject_type,
                                                           GalleryPhoto.subject_id == subject_id)
                                .order_by(GalleryPhoto.id).limit(MAX_PER_SUBJECT)))


def one(session: Session, subject_type: str, subject_id: int, photo_id: int) -> GalleryPhoto:
    """A photo of this subject (404 otherwise: the id of another subject's photo says nothing)."""
    photo = session.get(GalleryPhoto, photo_id)
    if photo is None or photo.subject_type != subject_type or photo.subject_id != subject_id:
        raise not_found()
    return photo


def remove(session: Session, photo: GalleryPhoto) -> None:
    media.delete_after_commit([photo.key, photo.thumb_key], session=session)
    session.delete(photo)
    session.flush()


def send(photo: GalleryPhoto, size: str):
    return media.send_photo(photo.thumb_key if size == "thumb" else photo.key, content_type=photo.content_type)
