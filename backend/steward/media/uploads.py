"""Photos in and out of a request: parse and check every part first, store all or nothing, stream back."""
from __future__ import annotations

import functools
import hashlib
import threading
from dataclasses import dataclass
from typing import Iterable

from flask import Response, current_app, request, send_file
from sqlalchemy.orm import Session
from werkzeug.exceptions import RequestEntityTooLarge

from ..core.errors import Invalid, NotFound, Problem
from ..core.http import _inherit_meta
from ..core.txhooks import on_commit, on_rollback
from .images import ImageRejected, Limits, ProcessedImage, process_image
from .storage import InvalidKey, LocalStorage, Storage, content_type_of, get_storage, new_key, thumb_key

FORM_OVERHEAD = 1024 * 1024  # room for the other form fields and the multipart framing


@dataclass(frozen=True)
class StoredPhoto:
    key: str
    thumb_key: str
    content_type: str
    width: int
    height: int
    size: int
    sha256: str
    thumb_width: int
    thumb_height: int

    def columns(self) -> dict:
        """The values a photo row keeps: ``CasePhoto(**stored.columns(), case_id=…)``."""
        return {"key": self.key, "thumb_key": self.thumb_key, "content_type": self.content_type,
                "width": self.width, "height": self.height, "size": self.size}


def part_key(field: str, index: int) -> str:
    """Where the messages about the ``index``-th file of ``field`` go in a Problem's ``errors``."""
    return f"{field}.{index}"


def accept_uploads(max_count: int | None = None, limits: Limits | None = None) -> int:
    """Let this request's body hold ``max_count`` photos (the app's limit is for JSON bodies).

    Call it before anything reads ``request.form`` or ``request.files``; :func:`photos_from_request`
    does. Returns the new limit in bytes.
    """
    config = current_app.config
    limits = limits or Limits.from_config(config)
    request.max_content_length = (max_count or config["MEDIA_MAX_FILES"]) * limits.max_bytes + FORM_OVERHEAD
    return request.max_content_length


def photos_from_request(field: str = "photos", *, max_count: int | None = None, required: bool = False,
                        limits: Limits | None = None) -> list[ProcessedImage]:
    """Every file sent under ``field`` (multipart/form-data), checked and re-encoded — or a 422.

    Nothing is stored here: a request with one bad part fails whole, with a message for each bad part
    (``{"photos.2": ["…"]}``) or for the field (too many, none). A body larger than ``max_count``
    photos can be is a 413.
    """
    config = current_app.config
    limits = limits or Limits.from_config(config)
    max_count = max_count or config["MEDIA_MAX_FILES"]
    limit = accept_uploads(max_count, limits)
    try:
        parts = request.files.getlist(field)
        contents = [(upload.filename, upload.stream.read(limits.max_bytes + 1)) for upload in parts]
    except RequestEntityTooLarge:
        raise Problem(413, "The request body exceeds {limit} bytes.", type="too-large", limit=limit) from None
    # A form whose file input was left empty still sends a part: no file name, no bytes.
    contents = [(name, data) for name, data in contents if name or data]
    if len(contents) > max_count:
        raise Invalid(errors={field: [f"Send at most {max_count} photos."]})
    if required and not contents:
        raise Invalid(errors={field: ["Add at least one photo."]})
    photos: list[ProcessedImage] = []
    errors: dict[str, list[str]] = {}
    for i, (_name, data) in enumerate(contents):
        try:
            with _decode_slots():  # a decoded photo can take a few hundred MB: a few at a time per process
                photos.append(process_image(data, limits))
        except ImageRejected as e:
            errors[part_key(field, i)] = [e.message]
    if errors:
        raise Invalid(errors=errors)
    return photos


def with_photos(field: str = "photos", *, max_count: int | None = None, required: bool = False):
    """View decorator: the checked photos of ``field`` reach the view as ``photos=`` (see
    :func:`photos_from_request`); it runs before the view reads ``request.form``, so the body may be
    as large as the photos need. Recorded on the view (``__api__["photos"]``) for the API document."""

    def decorator(func):
        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            kwargs["photos"] = photos_from_request(field, max_count=max_count, required=required)
            return func(*args, **kwargs)

        meta = _inherit_meta(wrapper, func)
        meta["photos"] = {"field": field, "max_count": max_count, "required": required}
        meta["body_limit"] = lambda: accept_uploads(max_count)  # read by core.http.Resource first
        meta["errors"] |= {413, 422}
        return wrapper

    return decorator


def _decode_slots() -> threading.BoundedSemaphore:
    slots = current_app.extensions.get("steward.media.slots")
    if slots is None:
        slots = current_app.extensions.setdefault(
            "steward.media.slots", threading.BoundedSemaphore(current_app.config["MEDIA_DECODE_SLOTS"]))
    return slots


def store_photos(photos: Iterable[ProcessedImage], *, storage: Storage | None = None,
                 session: Session | None = None) -> list[StoredPhoto]:
    """Write each photo and its thumbnail under fresh keys, all or nothing.

    If a write fails, the files already written are deleted before the error goes on; if the
    current transaction then does not commit (the rows that refer to the files fail, the request
    errs), they are deleted too. So a report stores its photos and its row together, or neither.
    """
    storage = storage or get_storage()
    written: list[str] = []
    stored: list[StoredPhoto] = []
    try:
        for photo in photos:
            key = new_key(photo.extension)
            storage.put(key, photo.data, photo.content_type)
            written.append(key)
            small = thumb_key(key)
            storage.put(small, photo.thumbnail, photo.content_type)
            written.append(small)
            stored.append(StoredPhoto(key=key, thumb_key=small, content_type=photo.content_type,
                                      width=photo.width, height=photo.height, size=photo.size,
                                      sha256=photo.sha256, thumb_width=photo.thumb_width,
                                      thumb_height=photo.thumb_height))
    except BaseException:
        _delete(storage, written)
        raise
    on_rollback(lambda: _delete(storage, written), session=session)
    return stored


def delete_after_commit(keys: Iterable[str], *, storage: Storage | None = None,
                        session: Session | None = None) -> None:
    """Delete files once the transaction that dropped their rows commits (kept if it rolls back)."""
    storage = storage or get_storage()
    keys = list(keys)
    on_commit(lambda: _delete(storage, keys), session=session)


def _delete(storage: Storage, keys: list[str]) -> None:
    for key in keys:
        storage.delete(key)


def send_photo(key: str, *, storage: Storage | None = None, content_type: str | None = None,
               max_age: int | None = None, filename: str = "photo", disposition: str = "inline") -> Response:
    """Stream a stored photo as the answer of a scoped route (call it after the access check).

    Cached privately (``MEDIA_CACHE_SECONDS``; 0 means ``no-store``): the content under a key never
    changes, but who may see it can. Never sniffed, shown inline, and locked down by its own CSP.
    """
    storage = storage or get_storage()
    try:
        content_type = content_type or content_type_of(key)
        if isinstance(storage, LocalStorage):  # a path: length known, ranges and the server's file wrapper
            source = storage.path(key)
            if not source.is_file():
                raise FileNotFoundError(key)
        else:
            source = storage.open(key)
    except (InvalidKey, FileNotFoundError, KeyError):
        raise NotFound() from None
    max_age = current_app.config["MEDIA_CACHE_SECONDS"] if max_age is None else max_age
    etag = hashlib.sha256(key.encode()).hexdigest()[:32]  # the content under a key never changes
    resp = send_file(source, mimetype=content_type, conditional=True, etag=etag)
    resp.headers["Cache-Control"] = f"private, max-age={max_age}" if max_age > 0 else "private, no-store"
    resp.headers.pop("Expires", None)
    resp.headers["X-Content-Type-Options"] = "nosniff"
    resp.headers["Content-Disposition"] = f'{disposition}; filename="{filename}.{key.rsplit(".", 1)[1]}"'
    resp.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return resp
