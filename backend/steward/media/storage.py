"""Where photos are kept: a tiny interface and a local-directory implementation.

Keys are random and unguessable (``ab/<32 random characters>.jpg``), made here, and checked against
one strict pattern before any path is built from them, so no key can reach outside the folder.
Files are never served from a public static path: a scoped route streams them (see ``uploads``).
An S3-style implementation later is a matter of configuration.
"""
from __future__ import annotations

import os
import re
import secrets
import tempfile
from pathlib import Path
from typing import BinaryIO, Protocol

from flask import current_app

from ..config import var_dir

# pdf: notice attachments (checked by content in notices/files.py; never thumbnailed).
KEY_RX = re.compile(r"^[A-Za-z0-9_-]{2}/[A-Za-z0-9_-]{32}(?:(?:\.thumb)?\.(?:jpg|webp)|\.pdf)$")
CONTENT_TYPES = {"jpg": "image/jpeg", "webp": "image/webp", "pdf": "application/pdf"}


class InvalidKey(ValueError):
    """Not a key this storage hands out."""


def new_key(extension: str) -> str:
    """A fresh random key for a file of ``extension`` (``jpg``, ``webp`` or ``pdf``)."""
    token = secrets.token_urlsafe(24)  # 192 bits, 32 characters
    return check_key(f"{token[:2]}/{token}.{extension}")


def thumb_key(key: str) -> str:
    """The key of the thumbnail that belongs to the photo ``key``."""
    stem, _, extension = check_key(key).rpartition(".")
    return check_key(f"{stem}.thumb.{extension}")


def check_key(key: str) -> str:
    if not isinstance(key, str) or not KEY_RX.match(key):
        raise InvalidKey(key)
    return key


def content_type_of(key: str) -> str:
    return CONTENT_TYPES[check_key(key).rsplit(".", 1)[1]]


class Storage(Protocol):
    def put(self, key: str, data: bytes, content_type: str) -> None: ...

    def open(self, key: str) -> BinaryIO:
        """A readable binary file; ``FileNotFoundError`` when there is none."""

    def delete(self, key: str) -> None:
        """Remove the file; no error when it is already gone."""

    def exists(self, key: str) -> bool: ...


class LocalStorage:
    """Files under one folder, written atomically (a reader never sees half a photo)."""

    def __init__(self, root: str | Path):
        self.root = Path(root).resolve()

    def __repr__(self) -> str:
        return f"LocalStorage({str(self.root)!r})"

    def path(self, key: str) -> Path:
        path = (self.root / check_key(key)).resolve()
        if not path.is_relative_to(self.root):  # cannot happen with KEY_RX; kept as a second lock
            raise InvalidKey(key)
        return path

    def put(self, key: str, data: bytes, content_type: str) -> None:
        path = self.path(key)
        if content_type != content_type_of(key):
            raise ValueError(f"{content_type} does not match the key {key}")
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".part-")
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(data)
                f.flush()
                os.fsync(f.fileno())
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    def open(self, key: str) -> BinaryIO:
        return self.path(key).open("rb")

    def delete(self, key: str) -> None:
        self.path(key).unlink(missing_ok=True)

    def exists(self, key: str) -> bool:
        return self.path(key).is_file()


def media_dir(config) -> Path:
    return Path(config["MEDIA_DIR"]) if config.get("MEDIA_DIR") else var_dir(config["DATABASE_URL"]) / "media"


def get_storage() -> Storage:
    """The configured storage of the current app (MEDIA_DIR; the only kind for now is local)."""
    cached = current_app.extensions.get("steward.media")
    root = media_dir(current_app.config)
    if cached is None or cached.root != root.resolve():
        cached = current_app.extensions["steward.media"] = LocalStorage(root)
    return cached
