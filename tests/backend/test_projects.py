"""Joint projects (联合项目): public in their community, run by staff, progress by the units involved."""
import pytest
from sqlalchemy import select

from steward.alliances.models import Unit
from steward.areas.models import Area
from steward.projects.models import Project

API = "/api/v1/projects"


def _shed(session):
    return session.scalar(select(Project.id).where(Project.title == "电动自行车集中充电棚"))


def test_residents_see_their_communitys_projects_with_what_prompted_them(client, auth, session):
    items = client.get(API, headers=auth.headers("zxxy_resident")).get_json()["items"]
    shed = next(p for p in items if p["title"] == "电动自行车集中充电棚")
    assert shed["status"] == "done" and shed["liked_by_me"] is True
    assert shed["prompted_by"].get("飞线充电", 0) >= 1
    assert [m["done_at"] is not None for m in shed["milestones"]] == [True] * 4
    assert "电动自行车集中充电棚" not in [p["title"] for p in client.get(API, headers=auth.headers("resident"))
                                          .get_json()["items"]]


@pytest.mark.parametrize("who", ["resident", "lsw_staff", "volunteer", "partner"])
def test_another_communitys_project_is_404_for_every_role(client, auth, session, who):
    pid = _shed(session)
    for method, suffix, body in (("get", "", None), ("get", "/comments", None), ("post", "/like", {"liked": True}),
                                 ("post", "/comments", {"body": "好"}), ("patch", "/milestones/1", {"done": True}),
                                 ("post", "/cases", {"case_id": 1})):
        r = getattr(client, method)(f"{API}/{pid}{suffix}", headers=auth.headers(who),
                                    **({"json": body} if body else {}))
        assert r.status_code in (403, 404), (who, suffix, r.status_code)
        assert r.status_code == 404 or suffix in ("/milestones/1", "/cases"), (who, suffix)


def test_likes_count_once_per_person_and_can_be_taken_back(client, auth, session):
    pid = _shed(session)
    headers = auth.headers("zxxy_resident")
    before = client.get(f"{API}/{pid}", headers=headers).get_json()["likes_count"]
    assert client.post(f"{API}/{pid}/like", json={"liked": True}, headers=headers).get_json()["likes_count"] == before
    after = client.post(f"{API}/{pid}/like", json={"liked": False}, headers=headers).get_json()
    assert after["likes_count"] == before - 1 and after["liked_by_me"] is False
    assert client.post(f"{API}/{pid}/like", json={"liked": True}, headers=headers).get_json()["likes_count"] == before


def test_staff_run_a_project_and_a_unit_involved_reports_progress(client, auth, session):
    lsw = session.scalar(select(Area.id).where(Area.code == "LSW"))
    property_co = session.scalar(select(Unit.id).where(Unit.name == "丽水湾物业服务中心"))
    r = client.post(API, headers=auth.headers("lsw_staff"), json={
        "community_id": lsw, "title": "小区东门无障碍坡道", "summary": "东门台阶改坡道，方便轮椅和婴儿车。",
        "units": [{"unit_id": property_co, "role": "施工"}],
        "milestones": [{"title": "方案公示"}, {"title": "施工完成"}]})
    assert r.status_code == 201, r.get_json()
    project, etag = r.get_json(), r.headers["ETag"]
    mid = project["milestones"][0]["id"]
    r = client.patch(f"{API}/{project['id']}/milestones/{mid}", json={"done": True, "note": "已公示7天"},
                     headers=auth.headers("partner"))
    assert r.status_code == 200 and r.get_json()["status"] == "in_progress"
    assert client.patch(f"{API}/{project['id']}", json={"status": "done"}, headers=auth.headers("lsw_staff")).status_code == 428
    r = client.patch(f"{API}/{project['id']}", json={"status": "done"},
                     headers=auth.headers("lsw_staff", **{"If-Match": etag}))
    assert r.status_code == 412  # the milestone changed it meanwhile
    etag = client.get(f"{API}/{project['id']}", headers=auth.headers("lsw_staff")).headers["ETag"]
    r = client.patch(f"{API}/{project['id']}", json={"status": "done"},
                     headers=auth.headers("lsw_staff", **{"If-Match": etag}))
    assert r.status_code == 200 and r.get_json()["finished_on"] is not None
    # a resident may comment, staff may hide it, then only staff see it was there
    c = client.post(f"{API}/{project['id']}/comments", json={"body": "广告：低价装修"}, headers=auth.headers("resident"))
    assert c.status_code == 201
    r = client.post(f"{API}/{project['id']}/comments/{c.get_json()['id']}/hide", json={"reason": "广告"},
                    headers=auth.headers("lsw_staff"))
    assert r.status_code == 200 and r.get_json()["body"] is None
    assert client.get(f"{API}/{project['id']}/comments", headers=auth.headers("resident")).get_json()["items"] == []
    assert client.get(f"{API}/{project['id']}", headers=auth.headers("resident")).get_json()["comments_count"] == 0
