"""Notice attachments: PDFs and images, each checked by its content (never its name or declared type).

Images go through ``media.process_image`` (re-encoded, no EXIF/GPS). A PDF must start with a PDF
header and end with ``%%EOF``, and may not name active content (JavaScript, launch actions, embedded
files, rich media, XFA forms) in its uncompressed structure. A PDF can hide such names inside
compressed object streams, so PDFs are also served as downloads (``attachment``), never sniffed,
under a sandboxing CSP: the check keeps the honest mistakes out, the headers the rest."""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from flask import current_app, request
from werkzeug.exceptions import RequestEntityTooLarge

from ..core.errors import Invalid, Problem
from ..core.http import _inherit_meta
from ..media import ImageRejected, Limits, process_image
from ..media.uploads import FORM_OVERHEAD, _decode_slots

MAX_FILES = 5
PDF_MAX_BYTES = 10 * 1024 * 1024
_PDF_HEADER = re.compile(rb"^%PDF-(1\.[0-7]|2\.0)")
_ACTIVE = re.compile(rb"/(JavaScript|JS|Launch|EmbeddedFiles?|RichMedia|XFA|SubmitForm|ImportData|GoToE)\b")


@dataclass(frozen=True)
class CheckedFile:
    kind: str  # image | pdf
    filename: str
    data: bytes
    content_type: str
    extension: str
    thumbnail: bytes | None = None


def _clean_name(name: str | None, fallback: str) -> str:
    name = re.sub(r"[\x00-\x1f\x7f/\\]", "", (name or "").strip())[-120:]
    return name or fallback


def check_pdf(data: bytes) -> None:
    if not _PDF_HEADER.match(data):
        raise ImageRejected("Not a PDF or an image (JPEG, PNG, WebP, HEIC).")
    if b"%%EOF" not in data[-1024:]:
        raise ImageRejected("The PDF is damaged or incomplete.")
    if _ACTIVE.search(data):
        raise ImageRejected("PDFs with scripts, embedded files or actions are not accepted.")


def check(name: str | None, data: bytes, limits: Limits) -> CheckedFile:
    if data.startswith(b"%PDF-"):
        if len(data) > PDF_MAX_BYTES:
            raise ImageRejected(f"The file is larger than {PDF_MAX_BYTES // 1024 // 1024} MB.")
        check_pdf(data)
        return CheckedFile("pdf", _clean_name(name, "附件.pdf"), data, "application/pdf", "pdf")
    try:
        with _decode_slots():
            image = process_image(data, limits)
    except ImageRejected:
        raise ImageRejected("Not a PDF or an image (JPEG, PNG, WebP, HEIC).") from None
    return CheckedFile("image", _clean_name(name, f"图片.{image.extension}"), image.data, image.content_type,
                       image.extension, image.thumbnail)


def _body_limit() -> int:
    limit = MAX_FILES * max(PDF_MAX_BYTES, Limits.from_config(current_app.config).max_bytes) + FORM_OVERHEAD
    request.max_content_length = limit
    return limit


def files_from_request(field: str = "files") -> list[CheckedFile]:
    """Every file under ``field`` checked, or a 422 naming each bad part (``files.1``); nothing stored."""
    if request.mimetype != "multipart/form-data":
        raise Problem(415, 'Upload files as multipart/form-data under "files".', type="unsupported-media-type")
    limit = _body_limit()
    limits = Limits.from_config(current_app.config)
    try:
        parts = [(f.filename, f.stream.read(PDF_MAX_BYTES + 1)) for f in request.files.getlist(field)]
    except RequestEntityTooLarge:
        raise Problem(413, "The request body exceeds {limit} bytes.", type="too-large", limit=limit) from None
    parts = [(n, d) for n, d in parts if n or d]
    if not parts:
        raise Invalid(errors={field: ["Add at least one file."]})
    if len(parts) > MAX_FILES:
        raise Invalid(errors={field: [f"Send at most {MAX_FILES} files."]})
    checked, errors = [], {}
    for i, (name, data) in enumerate(parts):
        try:
            checked.append(check(name, data, limits))
        except ImageRejected as e:
            errors[f"{field}.{i}"] = [e.message]
    if errors:
        raise Invalid(errors=errors)
    return checked


def with_files(field: str = "files"):
    """View decorator: the checked files reach the view as ``files=`` (documented as multipart)."""

    def decorator(func):
        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            kwargs["files"] = files_from_request(field)
            return func(*args, **kwargs)

        meta = _inherit_meta(wrapper, func)
        meta["upload"] = {"field": field, "max": MAX_FILES,
                          "description": "PDFs (at most 10 MB, no scripts or embedded files) and images (JPEG, "
                                         "PNG, WebP, HEIC; re-encoded without EXIF/GPS), checked by content."}
        meta["body_limit"] = _body_limit
        meta["errors"] |= {413, 415, 422}
        return wrapper

    return decorator
