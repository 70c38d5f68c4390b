"""Photos checked by their content and re-encoded: what is stored is pixels we wrote, nothing else.

Pillow decides what a file is (never its name or declared type): JPEG, PNG, WebP, and HEIC/HEIF
through pillow-heif (iPhones). The pixel count is read from the header and checked before anything
is decoded, so a 20000×20000 PNG or a decompression bomb is refused without allocating it. Animated
images (APNG, animated WebP) keep their first frame. The picture is turned upright by its EXIF
orientation, converted to sRGB when it carries another colour profile, shrunk to a maximum edge and
written anew as JPEG (or WebP) — so no EXIF, GPS position, colour profile or comment survives —
together with a thumbnail.
"""
from __future__ import annotations

import hashlib
import io
import warnings
from dataclasses import dataclass

from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError

try:  # HEIC/HEIF, the format of iPhone photos
    import pillow_heif

    pillow_heif.register_heif_opener()
    HEIF = True
except ImportError:  # pragma: no cover - pinned in requirements.txt; refused with a clear message without it
    HEIF = False

FORMATS = ("JPEG", "PNG", "WEBP") + (("HEIF",) if HEIF else ())
OUTPUT = {"JPEG": ("image/jpeg", "jpg"), "WEBP": ("image/webp", "webp")}
# Our own check refuses large images before Pillow's (which only warns below twice its limit).
warnings.simplefilter("ignore", Image.DecompressionBombWarning)
_HEIF_BRANDS = (b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1")
_SRGB = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))


class ImageRejected(ValueError):
    """Why a file is not accepted: an English message id for core.i18n, already formatted."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class ProcessedImage:
    """A photo ready to store: the re-encoded bytes and their thumbnail."""

    content_type: str
    extension: str
    width: int
    height: int
    size: int  # bytes of ``data``
    sha256: str  # of ``data``
    data: bytes
    thumbnail: bytes
    thumb_width: int
    thumb_height: int
    source_format: str  # what the upload was: JPEG, PNG, WEBP or HEIF


@dataclass(frozen=True)
class Limits:
    max_bytes: int = 10 * 1024 * 1024
    max_pixels: int = 40_000_000
    max_edge: int = 2048
    thumb_edge: int = 320
    format: str = "JPEG"
    quality: int = 82

    @classmethod
    def from_config(cls, config) -> Limits:
        return cls(max_bytes=config["MEDIA_MAX_BYTES"], max_pixels=config["MEDIA_MAX_PIXELS"],
                   max_edge=config["MEDIA_MAX_EDGE"], thumb_edge=config["MEDIA_THUMB_EDGE"],
                   format=config["MEDIA_FORMAT"].upper(), quality=config["MEDIA_QUALITY"])


NOT_AN_IMAGE = "This is not a photo in a format we accept (JPEG, PNG, WebP or HEIC)."


def process_image(data: bytes, limits: Limits = Limits()) -> ProcessedImage:
    """Check ``data`` by its content and re-encode it; raises :class:`ImageRejected`."""
    if not data:
        raise ImageRejected("The file is empty.")
    if len(data) > limits.max_bytes:
        raise ImageRejected(f"The photo is larger than {_mb(limits.max_bytes)} MB.")
    Image.MAX_IMAGE_PIXELS = limits.max_pixels
    try:
        im = Image.open(io.BytesIO(data), formats=FORMATS)  # reads the header only
    except Image.DecompressionBombError:
        raise ImageRejected(_too_many_pixels(limits)) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError):
        if not HEIF and data[8:12] in _HEIF_BRANDS and data[4:8] == b"ftyp":  # pragma: no cover
            raise ImageRejected("HEIC photos are not accepted here. Choose JPEG in the camera settings.") from None
        raise ImageRejected(NOT_AN_IMAGE) from None
    with im:
        width, height = im.size
        if width < 1 or height < 1:
            raise ImageRejected(NOT_AN_IMAGE)
        if width * height > limits.max_pixels:
            raise ImageRejected(_too_many_pixels(limits))
        source = im.format or "?"
        try:
            if getattr(im, "n_frames", 1) > 1:
                im.seek(0)  # animated: the first frame
            if source == "JPEG":
                im.draft("RGB", (limits.max_edge, limits.max_edge))  # decode at a reduced scale: less memory
            im.load()
            picture = _upright_srgb(im, limits.max_edge)
        except (OSError, SyntaxError, ValueError, EOFError, Image.DecompressionBombError):
            raise ImageRejected("The photo is damaged or incomplete.") from None

    thumb = picture.copy()
    thumb.thumbnail((limits.thumb_edge, limits.thumb_edge), Image.Resampling.LANCZOS)
    content_type, extension = OUTPUT[limits.format]
    encoded = _encode(picture, limits)
    return ProcessedImage(content_type=content_type, extension=extension, width=picture.width,
                          height=picture.height, size=len(encoded), sha256=hashlib.sha256(encoded).hexdigest(),
                          data=encoded, thumbnail=_encode(thumb, limits), thumb_width=thumb.width,
                          thumb_height=thumb.height, source_format=source)


def _upright_srgb(im: Image.Image, max_edge: int) -> Image.Image:
    """Pixels only: shrunk first (one full-size copy at most), upright, in sRGB, RGB or RGBA; a fresh
    image that carries no metadata at all."""
    icc = im.info.get("icc_profile")
    alpha = im.mode in ("RGBA", "LA", "PA") or (im.mode == "P" and "transparency" in im.info)
    mode = "RGBA" if alpha else "RGB"
    if im.mode != mode:
        im = im.convert(mode)  # keeps info (EXIF) for the turn below; palettes resample badly
    im.thumbnail((max_edge, max_edge), Image.Resampling.LANCZOS)  # the box is square: turning later is the same
    im = ImageOps.exif_transpose(im)
    if icc:
        try:
            im = ImageCms.profileToProfile(im, ImageCms.ImageCmsProfile(io.BytesIO(icc)), _SRGB, outputMode=mode)
        except (ImageCms.PyCMSError, OSError, ValueError):
            pass  # a broken profile, or one for another colour space: keep the pixels as they are
    clean = Image.new(mode, im.size)
    clean.paste(im)
    return clean


def _encode(im: Image.Image, limits: Limits) -> bytes:
    out = io.BytesIO()
    if limits.format == "WEBP":
        im.save(out, "WEBP", quality=limits.quality, method=4)
    else:
        if im.mode == "RGBA":  # JPEG has no transparency: flatten on white
            background = Image.new("RGB", im.size, (255, 255, 255))
            background.paste(im, mask=im.getchannel("A"))
            im = background
        im.save(out, "JPEG", quality=limits.quality, optimize=True, progressive=True)
    return out.getvalue()


def _mb(n: int) -> str:
    return f"{n / (1024 * 1024):g}"


def _too_many_pixels(limits: Limits) -> str:
    return f"The photo has too many pixels (at most {limits.max_pixels / 1_000_000:g} million)."
