"""Photos afterwards (activities) and of the work (joint projects): who may add, who may see, what is kept."""
import io
import json
from datetime import datetime, timedelta, timezone

import pytest
from PIL import Image
from sqlalchemy import func, select, update

from steward.activities.models import Activity
from steward.alliances.models import Unit
from steward.areas.models import Area
from steward.audit.models import AuditEvent
from steward.gallery.models import GalleryPhoto
from steward.projects.models import Project

from .test_activities_requests import new_activity


def _jpeg(w=1200, h=900) -> bytes:
    exif = Image.Exif()
    exif[0x8825] = {1: "N", 2: (31.0, 5.0, 12.0), 3: "E", 4: (121.0, 30.0, 7.0)}
    buf = io.BytesIO()
    Image.new("RGB", (w, h), (60, 120, 180)).save(buf, "JPEG", exif=exif.tobytes())
    return buf.getvalue()


def _upload(client, headers, url, files, **fields):
    data = {"data": json.dumps(fields), "photos": [(io.BytesIO(content), name) for name, content in files]}
    return client.post(url, data=data, content_type="multipart/form-data", headers=headers)


def _begun(session, activity_id):
    session.execute(update(Activity).where(Activity.id == activity_id).values(
        starts_at=datetime.now(timezone.utc) - timedelta(hours=1)))
    session.commit()


def _count(session, subject_id=None):
    """Photos of one subject (the demo town has photos of its own elsewhere)."""
    stmt = select(func.count(GalleryPhoto.id))
    if subject_id is not None:
        stmt = stmt.where(GalleryPhoto.subject_type == "activity", GalleryPhoto.subject_id == subject_id)
    return session.scalar(stmt)


def test_staff_add_photos_once_the_activity_has_begun_and_residents_see_them(client, auth, session):
    activity = new_activity(client, auth)
    url = f"/api/v1/activities/{activity['id']}/photos"
    staff = auth.headers("lsw_staff")
    early = _upload(client, staff, url, [("a.jpg", _jpeg())])
    assert early.status_code == 422 and "photos" in early.get_json()["errors"] and _count(session, activity["id"]) == 0

    _begun(session, activity["id"])
    r = _upload(client, staff, url, [("a.jpg", _jpeg()), ("b.jpg", _jpeg(600, 800))], caption="书画展现场")
    assert r.status_code == 201, r.get_json()
    items = r.get_json()["items"]
    assert [p["caption"] for p in items] == ["书画展现场"] * 2 and items[1]["width"] < items[1]["height"]
    listed = client.get(url, headers=auth.headers("resident"))
    assert listed.status_code == 200 and [p["id"] for p in listed.get_json()["items"]] == [p["id"] for p in items]
    got = client.get(items[0]["url"], headers=auth.headers("resident"))
    assert got.status_code == 200 and got.mimetype == "image/jpeg"
    assert 0x8825 not in Image.open(io.BytesIO(got.data)).getexif()  # no GPS left in what is served
    thumb = client.get(items[0]["thumbnail_url"], headers=auth.headers("volunteer"))
    assert thumb.status_code == 200 and max(Image.open(io.BytesIO(thumb.data)).size) <= 320
    assert session.scalar(select(func.count(AuditEvent.id)).where(AuditEvent.action == "activity.photos",
                                                                  AuditEvent.resource_id == str(activity["id"]))) == 1

    # residents and volunteers look, they do not add or remove
    assert _upload(client, auth.headers("resident"), url, [("c.jpg", _jpeg())]).status_code == 403
    assert client.delete(items[0]["url"], headers=auth.headers("volunteer")).status_code == 403
    assert client.delete(items[0]["url"], headers=staff).status_code == 204
    assert client.get(items[0]["url"], headers=staff).status_code == 404
    assert [p["id"] for p in client.get(url, headers=staff).get_json()["items"]] == [items[1]["id"]]


@pytest.mark.parametrize("who", ["zxxy_staff", "zxxy_resident", "zxxy_volunteer"])
def test_another_communitys_activity_photos_are_404_for_every_role(client, auth, session, make, who):
    activity = new_activity(client, auth)
    _begun(session, activity["id"])
    items = _upload(client, auth.headers("lsw_staff"), f"/api/v1/activities/{activity['id']}/photos",
                    [("a.jpg", _jpeg())]).get_json()["items"]
    if who == "zxxy_volunteer":
        zxxy = session.scalar(select(Area).where(Area.code == "ZXXY"))
        headers = make.headers(make.user("volunteer", zxxy))
    else:
        headers = auth.headers(who)
    assert client.get(f"/api/v1/activities/{activity['id']}/photos", headers=headers).status_code == 404
    assert client.get(items[0]["url"], headers=headers).status_code == 404
    assert client.delete(items[0]["url"], headers=headers).status_code in (403, 404)
    assert _upload(client, headers, f"/api/v1/activities/{activity['id']}/photos",
                   [("b.jpg", _jpeg())]).status_code in (403, 404)
    assert _count(session, activity["id"]) == 1


def test_a_photo_is_found_only_through_its_own_subject(client, auth, session):
    one, other = new_activity(client, auth), new_activity(client, auth, title="重阳节登高")
    _begun(session, one["id"])
    photo = _upload(client, auth.headers("lsw_staff"), f"/api/v1/activities/{one['id']}/photos",
                    [("a.jpg", _jpeg())]).get_json()["items"][0]
    assert client.get(f"/api/v1/activities/{other['id']}/photos/{photo['id']}",
                      headers=auth.headers("lsw_staff")).status_code == 404
    shed = session.scalar(select(Project.id).where(Project.community_id == session.scalar(
        select(Area.id).where(Area.code == "LSW"))))
    if shed is not None:
        assert client.get(f"/api/v1/projects/{shed}/photos/{photo['id']}",
                          headers=auth.headers("lsw_staff")).status_code == 404


@pytest.mark.parametrize("files, fields", [
    ([("a.jpg", b"\x7fELF\x02\x01\x01" + b"\0" * 200)], {}),        # a program renamed .jpg
    ([], {}),                                                        # nothing to add
    ([("a.jpg", None)], {"caption": "x" * 101}),                     # caption too long
    ([("a.jpg", None)], {"caption": "ok", "extra": 1}),              # unknown field
    ([("a.jpg", None)], {"caption": "bad\u0000byte"}),               # NUL byte
])
def test_bad_photo_uploads_write_nothing(client, auth, session, app, files, fields):
    activity = new_activity(client, auth)
    _begun(session, activity["id"])
    files = [(name, content if content is not None else _jpeg()) for name, content in files]
    r = _upload(client, auth.headers("lsw_staff"), f"/api/v1/activities/{activity['id']}/photos", files, **fields)
    assert r.status_code == 422, r.get_json()
    assert r.headers["Content-Type"].startswith("application/problem+json")
    assert _count(session, activity["id"]) == 0


def test_a_gallery_keeps_at_most_30_photos(client, auth, session, monkeypatch):
    from steward.gallery import service

    monkeypatch.setattr(service, "MAX_PER_SUBJECT", 2)
    activity = new_activity(client, auth)
    _begun(session, activity["id"])
    url = f"/api/v1/activities/{activity['id']}/photos"
    assert _upload(client, auth.headers("lsw_staff"), url, [("a.jpg", _jpeg()), ("b.jpg", _jpeg())]).status_code == 201
    r = _upload(client, auth.headers("lsw_staff"), url, [("c.jpg", _jpeg())])
    assert r.status_code == 422 and "photos" in r.get_json()["errors"] and _count(session, activity["id"]) == 2


def test_units_involved_add_photos_of_a_projects_work_and_others_cannot(client, auth, session):
    lsw = session.scalar(select(Area.id).where(Area.code == "LSW"))
    property_co = session.scalar(select(Unit.id).where(Unit.name == "丽水湾物业服务中心"))
    r = client.post("/api/v1/projects", headers=auth.headers("lsw_staff"), json={
        "community_id": lsw, "title": "小区东门无障碍坡道", "summary": "东门台阶改坡道。",
        "units": [{"unit_id": property_co, "role": "施工"}], "milestones": [{"title": "施工完成"}]})
    project = r.get_json()
    url = f"/api/v1/projects/{project['id']}/photos"
    r = _upload(client, auth.headers("partner"), url, [("a.jpg", _jpeg())], caption="坡道浇筑")
    assert r.status_code == 201, r.get_json()
    photo = r.get_json()["items"][0]
    assert client.get(photo["thumbnail_url"], headers=auth.headers("resident")).status_code == 200
    assert _upload(client, auth.headers("resident"), url, [("b.jpg", _jpeg())]).status_code == 403
    assert client.delete(photo["url"], headers=auth.headers("partner")).status_code == 403
    for who in ("zxxy_staff", "zxxy_resident"):
        assert client.get(url, headers=auth.headers(who)).status_code == 404, who
        assert client.get(photo["url"], headers=auth.headers(who)).status_code == 404, who
    assert client.delete(photo["url"], headers=auth.headers("lsw_staff")).status_code == 204
    assert client.get(url, headers=auth.headers("resident")).get_json()["items"] == []


def test_listing_photos_is_one_query_whatever_their_number(client, auth, session, count_queries):
    activity = new_activity(client, auth)
    _begun(session, activity["id"])
    url = f"/api/v1/activities/{activity['id']}/photos"
    staff = auth.headers("lsw_staff")
    _upload(client, staff, url, [("a.jpg", _jpeg(200, 200))])
    with count_queries() as few:
        assert len(client.get(url, headers=staff).get_json()["items"]) == 1
    _upload(client, staff, url, [(f"{i}.jpg", _jpeg(200, 200)) for i in range(5)])
    with count_queries() as many:
        assert len(client.get(url, headers=staff).get_json()["items"]) == 6
    assert len(many) == len(few)


def test_the_demo_town_has_photos_of_its_completed_activities_and_of_the_shed(client, auth, session):
    shed = session.scalar(select(Project.id).where(Project.title == "电动自行车集中充电棚"))
    photos = client.get(f"/api/v1/projects/{shed}/photos", headers=auth.headers("zxxy_resident")).get_json()["items"]
    assert [p["caption"] for p in photos] == ["原来的飞线充电", "充电棚基础施工", "充电棚投入使用"]
    assert client.get(photos[0]["thumbnail_url"], headers=auth.headers("zxxy_resident")).status_code == 200
    done = session.scalars(select(Activity.id).where(Activity.status == "completed")).all()
    assert session.scalar(select(func.count(GalleryPhoto.id)).where(GalleryPhoto.subject_type == "activity",
                                                                    GalleryPhoto.subject_id.in_(done))) >= 2
