"""Photos: checked by content, re-encoded without metadata, stored all or nothing, served privately.
Every image here is made by Pillow in the test."""
from __future__ import annotations

import io
import json
import struct
import time
import tracemalloc
import zlib

import pytest
from PIL import Image, ImageCms
from werkzeug.datastructures import FileStorage

from steward import media
from steward.core.errors import Invalid, handle_exception
from steward.core.idempotency import IdempotencyRecord
from steward.db import unit_of_work
from steward.media.images import Limits, process_image
from steward.media.storage import InvalidKey, LocalStorage, check_key, new_key, thumb_key

NOT_AN_IMAGE = "This is not a photo in a format we accept (JPEG, PNG, WebP or HEIC)."


def encode(im: Image.Image, fmt: str, **kw) -> bytes:
    buf = io.BytesIO()
    im.save(buf, fmt, **kw)
    return buf.getvalue()


def photo(w=800, h=600, color=(200, 40, 40)) -> Image.Image:
    im = Image.new("RGB", (w, h), color)
    im.paste((20, 20, 220), (0, 0, w // 4, h // 4))  # a blue corner to see which way is up
    return im


def jpeg_with_gps(w=4000, h=3000, orientation=6) -> bytes:
    exif = Image.Exif()
    exif[0x0112] = orientation
    exif[0x010F] = "PhoneMaker"
    exif[0x8825] = {1: "N", 2: (31.0, 5.0, 12.0), 3: "E", 4: (121.0, 30.0, 7.0)}
    return encode(photo(w, h), "JPEG", exif=exif.tobytes(), quality=90,
                  icc_profile=ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes())


def png_header_only(w: int, h: int) -> bytes:
    """A PNG whose header claims ``w``×``h`` pixels (a few hundred bytes on disk)."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"\0" * 1000)) + chunk(b"IEND", b""))


def reopen(data: bytes) -> Image.Image:
    im = Image.open(io.BytesIO(data))
    im.load()
    return im


# ---------------------------------------------------------------- checking and re-encoding
def test_a_phone_jpeg_is_turned_upright_shrunk_and_stripped_of_exif_gps_and_profile():
    out = process_image(jpeg_with_gps())
    assert (out.content_type, out.extension, out.source_format) == ("image/jpeg", "jpg", "JPEG")
    assert (out.width, out.height) == (1536, 2048)  # 4000×3000 turned by EXIF orientation 6, max edge 2048
    assert max(out.thumb_width, out.thumb_height) == 320
    im = reopen(out.data)
    assert im.format == "JPEG" and im.size == (1536, 2048)
    assert dict(im.getexif()) == {} and "exif" not in im.info and "icc_profile" not in im.info
    assert b"PhoneMaker" not in out.data and b"GPS" not in out.data
    # The blue corner (top-left before turning) is now at the top right.
    assert im.getpixel((1500, 30))[2] > 150 and im.getpixel((30, 30))[2] < 100
    assert reopen(out.thumbnail).size == (out.thumb_width, out.thumb_height) == (240, 320)
    assert out.size == len(out.data)
    import hashlib

    assert out.sha256 == hashlib.sha256(out.data).hexdigest()


def test_png_with_transparency_becomes_a_jpeg_on_white():
    im = Image.new("RGBA", (300, 200), (0, 0, 0, 0))
    im.paste((0, 128, 0, 255), (0, 0, 150, 200))
    out = process_image(encode(im, "PNG"))
    assert out.source_format == "PNG" and (out.width, out.height) == (300, 200)
    back = reopen(out.data)
    assert back.mode == "RGB" and back.getpixel((250, 100)) == pytest.approx((255, 255, 255), abs=3)


def test_webp_in_and_webp_out():
    out = process_image(encode(photo(), "WEBP", quality=80), Limits(format="WEBP"))
    assert (out.source_format, out.content_type, out.extension) == ("WEBP", "image/webp", "webp")
    assert reopen(out.data).format == "WEBP"


def test_heic_from_an_iphone_is_accepted():
    pytest.importorskip("pillow_heif")
    out = process_image(encode(photo(640, 480), "HEIF", quality=80))
    assert out.source_format == "HEIF" and out.content_type == "image/jpeg" and (out.width, out.height) == (640, 480)
    exif = Image.Exif()
    exif[0x0112] = 6
    exif[0x8825] = {1: "N", 2: (31.0, 5.0, 12.0)}
    turned = process_image(encode(photo(640, 480), "HEIF", quality=80, exif=exif.tobytes()))
    assert (turned.width, turned.height) == (480, 640)  # turned once (pillow-heif turns it, EXIF says 1 after)
    im = reopen(turned.data)
    assert im.getpixel((460, 20))[2] > 150 and dict(im.getexif()) == {}


def test_a_colour_profile_is_applied_then_dropped():
    p3ish = ImageCms.createProfile("LAB")  # any non-sRGB profile
    data = encode(photo(), "PNG", icc_profile=ImageCms.ImageCmsProfile(p3ish).tobytes())
    out = process_image(data)
    assert "icc_profile" not in reopen(out.data).info


def test_an_animated_image_keeps_its_first_frame():
    frames = [Image.new("RGB", (64, 64), c) for c in ((255, 0, 0), (0, 0, 255))]
    data = encode(frames[0], "WEBP", save_all=True, append_images=frames[1:], duration=100, loop=0, lossless=True)
    assert Image.open(io.BytesIO(data)).n_frames == 2
    out = process_image(data)
    assert reopen(out.data).getpixel((32, 32))[0] > 200  # red, the first frame


def test_a_huge_png_header_is_refused_before_anything_is_decoded():
    data = png_header_only(20000, 20000)  # 400 million pixels: 1.2 GB if decoded
    tracemalloc.start()
    started = time.perf_counter()
    with pytest.raises(media.ImageRejected) as e:
        process_image(data)
    elapsed = time.perf_counter() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert e.value.message == "The photo has too many pixels (at most 40 million)."
    assert elapsed < 0.5 and peak < 2_000_000


@pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")  # ours refuses it; Pillow only warns
def test_just_above_the_pixel_limit_is_refused():
    with pytest.raises(media.ImageRejected, match="too many pixels"):
        process_image(encode(photo(101, 100), "PNG"), Limits(max_pixels=10_000))
    assert process_image(encode(photo(100, 100), "PNG"), Limits(max_pixels=10_000)).width == 100


@pytest.mark.parametrize("data", [
    b"\x7fELF\x02\x01\x01\x00" + bytes(200),                       # an executable
    b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + bytes(200),            # a ZIP (or .docx, .apk)
    "这不是图片，只是一段文字。\n".encode() * 20,                      # text
    b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>",
    encode(photo(), "GIF"),                                        # an image, but not one we take
    encode(photo(), "BMP"),
])
def test_anything_that_is_not_an_accepted_photo_is_refused(data):
    with pytest.raises(media.ImageRejected) as e:
        process_image(data)
    assert e.value.message == NOT_AN_IMAGE


def test_a_truncated_photo_is_refused_as_damaged():
    data = encode(photo(800, 600), "PNG")
    with pytest.raises(media.ImageRejected, match="damaged or incomplete"):
        process_image(data[: len(data) // 2])


def test_empty_and_oversize_files_are_refused():
    with pytest.raises(media.ImageRejected, match="empty"):
        process_image(b"")
    data = encode(photo(), "JPEG")
    with pytest.raises(media.ImageRejected) as e:
        process_image(data, Limits(max_bytes=len(data) - 1))
    assert e.value.message.startswith("The photo is larger than")


# ---------------------------------------------------------------- multipart requests
def form(*parts: tuple[str, bytes]) -> dict:
    return {"photos": [FileStorage(io.BytesIO(data), filename=name, content_type="image/jpeg") for name, data in parts],
            "title": "楼道灯坏了"}


def parse(app, data, lang="zh-CN", **kw):
    with app.test_request_context("/api/v1/x", method="POST", data=data, content_type="multipart/form-data",
                                  headers={"Accept-Language": lang}):
        try:
            return media.photos_from_request(**kw), None
        except Invalid as e:
            return None, json.loads(handle_exception(e).get_data())


def test_several_photos_are_parsed_from_one_form(app):
    good = encode(photo(), "JPEG")
    photos, problem = parse(app, form(("a.jpg", good), ("b.png", encode(photo(), "PNG")), ("c", good)))
    assert problem is None and [p.source_format for p in photos] == ["JPEG", "PNG", "JPEG"]


def test_photos_may_make_the_body_larger_than_the_json_limit(app):
    import os

    noisy = encode(Image.frombytes("RGB", (800, 700), os.urandom(800 * 700 * 3)), "PNG")
    assert len(noisy) > app.config["MAX_CONTENT_LENGTH"]
    photos, problem = parse(app, form(("noise.png", noisy)))
    assert problem is None and photos[0].width == 800


def test_one_bad_part_fails_the_whole_form_with_a_message_for_that_part(app):
    good = encode(photo(), "JPEG")
    photos, problem = parse(app, form(("a.jpg", good), ("b.jpg", good), ("evil.jpg", b"\x7fELF" + bytes(100))))
    assert photos is None and problem["status"] == 422
    assert problem["errors"] == {"photos.2": ["不是有效的图片文件（支持 JPEG、PNG、WebP、HEIC）。"]}
    _, problem = parse(app, form(("evil.jpg", b"MZ\x90\x00" + bytes(100)), ("b.jpg", good)), lang="en")
    assert problem["errors"] == {"photos.0": [NOT_AN_IMAGE]}


def test_seven_photos_are_refused(app):
    good = encode(photo(64, 64), "JPEG")
    _, problem = parse(app, form(*[(f"{i}.jpg", good) for i in range(7)]))
    assert problem["errors"] == {"photos": ["最多只能上传 6 张照片。"]}
    photos, _ = parse(app, form(*[(f"{i}.jpg", good) for i in range(6)]))
    assert len(photos) == 6


def test_an_oversize_part_is_refused(app, monkeypatch):
    small = encode(photo(64, 64), "JPEG")
    big = encode(photo(1200, 900), "PNG")
    monkeypatch.setitem(app.config, "MEDIA_MAX_BYTES", len(small) + 100)
    _, problem = parse(app, {"photos": [FileStorage(io.BytesIO(small), filename="a.jpg"),
                                        FileStorage(io.BytesIO(big), filename="b.jpg")]}, max_count=20)
    assert list(problem["errors"]) == ["photos.1"] and "照片不能超过" in problem["errors"]["photos.1"][0]


def test_a_body_larger_than_the_photos_allowed_is_a_413(app, monkeypatch):
    monkeypatch.setitem(app.config, "MEDIA_MAX_BYTES", 1000)
    with app.test_request_context("/api/v1/x", method="POST", content_type="multipart/form-data",
                                  data={"photos": [FileStorage(io.BytesIO(bytes(3_000_000)), filename="a.jpg")]}):
        with pytest.raises(Exception) as e:
            media.photos_from_request(max_count=1)
        body = json.loads(handle_exception(e.value).get_data())
    assert body["status"] == 413


def test_an_empty_file_input_is_no_photo_and_required_says_so(app):
    def empty():
        return {"photos": [FileStorage(io.BytesIO(b""), filename="", content_type="application/octet-stream")]}

    photos, _ = parse(app, empty())
    assert photos == []
    _, problem = parse(app, empty(), required=True)
    assert problem["errors"] == {"photos": ["请至少添加一张照片。"]}


# ---------------------------------------------------------------- storage
def test_keys_are_random_and_nothing_else_is_a_key(tmp_path):
    keys = {new_key("jpg") for _ in range(50)}
    assert len(keys) == 50 and all(check_key(k) for k in keys)
    key = next(iter(keys))
    assert thumb_key(key) == key[:-4] + ".thumb.jpg"
    store = LocalStorage(tmp_path / "media")
    for bad in ("../etc/passwd", "ab/../../../etc/passwd.jpg", "/etc/passwd", "ab/" + "a" * 32 + ".jpg/../x",
                "ab\\..\\" + "a" * 29 + ".jpg", "ab/" + "a" * 32 + ".php", "ab/" + "a" * 31 + "%2e.jpg", "", None):
        with pytest.raises(InvalidKey):
            store.path(bad)


def test_local_storage_put_open_exists_delete(tmp_path):
    store = LocalStorage(tmp_path / "media")
    key = new_key("jpg")
    assert not store.exists(key)
    store.put(key, b"pixels", "image/jpeg")
    assert store.exists(key) and store.open(key).read() == b"pixels"
    assert (tmp_path / "media" / key).is_file() and not list((tmp_path / "media").rglob(".part-*"))
    with pytest.raises(ValueError):
        store.put(new_key("jpg"), b"x", "text/html")
    store.delete(key)
    store.delete(key)  # already gone: fine
    assert not store.exists(key)
    with pytest.raises(FileNotFoundError):
        store.open(key)


@pytest.fixture
def media_dir(app, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "MEDIA_DIR", str(tmp_path / "media"))
    return tmp_path / "media"


def files_in(folder) -> list:
    return sorted(p for p in folder.rglob("*") if p.is_file()) if folder.exists() else []


def test_photos_and_rows_commit_together(app, session, media_dir):
    photos = [process_image(encode(photo(), "JPEG")) for _ in range(2)]
    with app.app_context(), unit_of_work(write=True) as s:
        stored = media.store_photos(photos)
        s.add(IdempotencyRecord(principal="media-test", key=stored[0].key, fingerprint="-"))
    assert len(files_in(media_dir)) == 4  # two photos, two thumbnails
    assert stored[0].columns() == {"key": stored[0].key, "thumb_key": stored[0].thumb_key,
                                   "content_type": "image/jpeg", "width": 800, "height": 600, "size": photos[0].size}


def test_a_failed_commit_leaves_no_file(app, media_dir):
    photos = [process_image(encode(photo(), "JPEG"))]
    with app.app_context():
        with unit_of_work(write=True) as s:
            s.add(IdempotencyRecord(principal="media-test", key="dup", fingerprint="-"))
        with pytest.raises(Exception), unit_of_work(write=True) as s:  # noqa: B017 - the database's own error
            media.store_photos(photos)
            assert len(files_in(media_dir)) == 2
            s.add(IdempotencyRecord(principal="media-test", key="dup", fingerprint="-"))  # fails at commit
    assert files_in(media_dir) == []


def test_an_error_after_storing_leaves_no_file(app, media_dir):
    with app.app_context(), pytest.raises(RuntimeError), unit_of_work(write=True):
        media.store_photos([process_image(encode(photo(), "JPEG"))])
        raise RuntimeError("the report could not be saved")
    assert files_in(media_dir) == []


def test_a_storage_failure_midway_deletes_what_was_written(app, tmp_path):
    class Flaky(LocalStorage):
        calls = 0

        def put(self, key, data, content_type):
            Flaky.calls += 1
            if Flaky.calls == 3:
                raise OSError("disk full")
            super().put(key, data, content_type)

    store = Flaky(tmp_path / "flaky")
    with app.app_context(), pytest.raises(OSError), unit_of_work(write=True):
        media.store_photos([process_image(encode(photo(), "JPEG")) for _ in range(2)], storage=store)
    assert files_in(tmp_path / "flaky") == []


def test_files_are_deleted_only_when_the_deletion_commits(app, media_dir):
    with app.app_context():
        with unit_of_work(write=True):
            [stored] = media.store_photos([process_image(encode(photo(), "JPEG"))])
        with pytest.raises(RuntimeError), unit_of_work(write=True):
            media.delete_after_commit([stored.key, stored.thumb_key])
            raise RuntimeError("changed my mind")
        assert len(files_in(media_dir)) == 2
        with unit_of_work(write=True):
            media.delete_after_commit([stored.key, stored.thumb_key])
    assert files_in(media_dir) == []


# ---------------------------------------------------------------- serving
def test_a_photo_is_streamed_privately_with_its_type_and_no_sniffing(app, media_dir):
    data = process_image(encode(photo(), "JPEG")).data
    store = media.LocalStorage(media_dir)
    key = new_key("jpg")
    store.put(key, data, "image/jpeg")
    with app.test_request_context("/api/v1/cases/1/photos/1"):
        resp = media.send_photo(key)
        resp.direct_passthrough = False
        assert resp.status_code == 200 and resp.get_data() == data
    assert resp.headers["Content-Type"] == "image/jpeg"
    assert resp.headers["Cache-Control"] == "private, max-age=3600" and "Expires" not in resp.headers
    assert resp.headers["X-Content-Type-Options"] == "nosniff"
    assert resp.headers["Content-Disposition"] == 'inline; filename="photo.jpg"'
    assert resp.headers["Content-Security-Policy"] == "default-src 'none'; sandbox"
    etag = resp.headers["ETag"]
    with app.test_request_context("/x", headers={"If-None-Match": etag}):
        assert media.send_photo(key).status_code == 304
    with app.test_request_context("/x", headers={"Range": "bytes=0-9"}):
        partial = media.send_photo(key, max_age=0)
        partial.direct_passthrough = False
        assert partial.status_code == 206 and partial.get_data() == data[:10]
        assert partial.headers["Cache-Control"] == "private, no-store"


def test_a_missing_or_forged_key_is_not_found(app, media_dir):
    with app.test_request_context("/x"):
        for key in (new_key("jpg"), "../../etc/passwd", "ab/" + "a" * 32 + ".html"):
            with pytest.raises(media.uploads.NotFound):
                media.send_photo(key)


def test_with_photos_hands_the_view_its_photos_and_documents_itself(app):
    @media.with_photos("photos", max_count=2)
    def view(photos):
        return [p.width for p in photos]

    assert view.__api__["photos"] == {"field": "photos", "max_count": 2, "required": False}
    assert {413, 422} <= view.__api__["errors"]
    good = encode(photo(), "JPEG")
    with app.test_request_context("/x", method="POST", content_type="multipart/form-data", data=form(("a.jpg", good))):
        assert view() == [800]
    with app.test_request_context("/x", method="POST", content_type="multipart/form-data",
                                  data=form(*[("a.jpg", good)] * 3)):
        with pytest.raises(Invalid):
            view()


def test_an_idempotent_post_may_carry_photos_larger_than_the_json_limit(app):
    """The Idempotency-Key fingerprint reads the body before the view: the photos' limit comes first, and
    it hashes the parts, not the bytes, whose multipart boundary differs on every retry."""
    import os

    from flask import Blueprint, Flask

    from steward.core.http import Resource, StewardApi, public

    other = Flask("photos-test")
    other.config.update(app.config)
    blueprint = Blueprint("photos_test", __name__)
    api = StewardApi(blueprint)

    @api.route("/reports")
    class Reports(Resource):
        @public
        @media.with_photos("photos", max_count=2)
        def post(self, photos):
            return {"n": len(photos), "title": request.form["title"]}, 201

    from flask import request

    other.register_blueprint(blueprint)
    noisy = encode(Image.frombytes("RGB", (800, 700), os.urandom(800 * 700 * 3)), "PNG")
    assert len(noisy) > app.config["MAX_CONTENT_LENGTH"]
    client = other.test_client()
    for _ in range(2):
        r = client.post("/reports", headers={"Idempotency-Key": "photo-report-1"}, content_type="multipart/form-data",
                        data={"photos": [FileStorage(io.BytesIO(noisy), filename="n.png")], "title": "井盖松动"})
        assert r.status_code == 201, r.get_data(as_text=True)
        assert r.get_json() == {"n": 1, "title": "井盖松动"}
    assert r.headers.get("Idempotent-Replayed") == "true"  # a retry (its own multipart boundary) is replayed
    other_photo = encode(photo(), "JPEG")
    r = client.post("/reports", headers={"Idempotency-Key": "photo-report-1"}, content_type="multipart/form-data",
                    data={"photos": [FileStorage(io.BytesIO(other_photo), filename="n.png")], "title": "井盖松动"})
    assert r.status_code == 422  # the same key with another photo is another request


def test_a_photo_report_larger_than_the_json_limit_with_an_idempotency_key(client, auth, session, media_dir):
    """A phone's report with a large photo and an Idempotency-Key: accepted, and its retry replayed."""
    import os

    from tests.backend.test_cases import API, _category, _stairwell

    noisy = encode(Image.frombytes("RGB", (800, 700), os.urandom(800 * 700 * 3)), "PNG")
    body = json.dumps({"category_id": _category(session, "stairwell_mess"), "description": "楼道里堆满杂物",
                       "stairwell_id": _stairwell(session).id})
    answers = []
    for _ in range(2):
        r = client.post(f"{API}/cases", content_type="multipart/form-data",
                        headers=auth.headers("resident", **{"Idempotency-Key": "report-with-photo"}),
                        data={"data": body, "photos": [(io.BytesIO(noisy), "noise.png")]})
        assert r.status_code == 201, r.get_json()
        answers.append(r)
    assert answers[1].headers.get("Idempotent-Replayed") == "true"
    assert answers[0].get_json()["id"] == answers[1].get_json()["id"]
    assert len(files_in(media_dir)) == 2  # one photo and its thumbnail: the retry stored nothing
