"""Notices and guides: sanitised Markdown, audiences, publish/expiry, read receipts and rates, attachments, scope."""
from __future__ import annotations

import io
from datetime import timedelta

import pytest
from PIL import Image
from sqlalchemy import func, select

from steward.areas.models import Area
from steward.db import utcnow
from steward.notices.models import Notice
from steward.notifications.models import Notification

API = "/api/v1/notices"


def _area(session, code):
    return session.scalar(select(Area).where(Area.code == code))


def _post(client, headers, area_id=None, **body):
    body = {"category": "tip", "title": "冬季用电安全提示", "body_md": "请注意**用电安全**。", "area_id": area_id,
            "publish": True, **body}
    return client.post(API, json=body, headers=headers)


def _create(client, headers, area_id, **body):
    r = _post(client, headers, area_id, **body)
    assert r.status_code == 201, r.get_json()
    return r.get_json()


@pytest.fixture
def town(make):
    """A fresh tree: 2 communities × 2 grids × 1 stairwell × 2 households, a resident account per household,
    the staff of community 0 and a volunteer of its grid 0."""
    tree = make.tree()
    c0 = tree.communities[0]
    people = {f"r{c}{h}": make.user("resident", tree.communities[c].area, household=hh)
              for c in (0, 1) for h, hh in enumerate(tree.communities[c].households)}
    people["staff"] = make.user("staff", c0.area)
    people["staff1"] = make.user("staff", tree.communities[1].area)
    people["town"] = make.user("town_staff", tree.town)
    people["vol"] = make.user("volunteer", c0.grids[0])
    people["vol1"] = make.user("volunteer", c0.grids[1])
    people["vol_c1"] = make.user("volunteer", tree.communities[1].grids[0])
    people["partner_c1"] = make.user("partner", tree.communities[1].area)
    headers = {k: make.headers(u) for k, u in people.items()}
    return tree, people, headers


def _ids(client, headers, query=""):
    return [n["id"] for n in client.get(f"{API}?limit=100{query}", headers=headers).get_json()["items"]]


def test_markdown_is_sanitised_on_save_and_served_harmless(client, town, session):
    tree, _, h = town
    body = ("# 通知\n\n<script>alert('x')</script>\n\n[点我](javascript:alert(1))\n\n"
            "<a href=\"JaVaScRiPt:alert(2)\">链接</a>\n\n<img src=\"/x.png\" onerror=\"alert(3)\">\n\n"
            "<p onclick=\"steal()\" style=\"x\">段落</p><iframe src=\"https://evil\"></iframe>\n\n"
            "[官网](https://www.fengxian.gov.cn)")
    notice = _create(client, h["staff"], tree.communities[0].area.id, body_md=body)
    for html in (notice["body_html"], client.get(f"{API}/{notice['id']}", headers=h["r00"]).get_json()["body_html"],
                 session.get(Notice, notice["id"]).body_html):
        low = html.lower()
        assert "<script" not in low and "alert('x')" not in low
        assert "href=\"javascript" not in low and "<a href=\"j" not in low  # the link is text, not a link
        assert "onerror" not in low and "onclick" not in low and "<iframe" not in low and "style=" not in low
        assert '<a href="https://www.fengxian.gov.cn" rel="noopener noreferrer nofollow">官网</a>' in html
        assert "<h1>通知</h1>" in html and "段落" in html
    assert notice["body_md"] == body  # the author's text is kept for the editor


def test_a_grid_notice_is_not_seen_in_another_grid(client, town):
    tree, _, h = town
    c0 = tree.communities[0]
    grid0 = _create(client, h["staff"], c0.grids[0].id, title="1号网格停水通知")
    community = _create(client, h["staff"], c0.area.id, title="全小区消防演练")
    # r00 and r01 live in grid 0, r02 and r03 in grid 1 (one stairwell per grid, two households per stairwell)
    assert {grid0["id"], community["id"]} <= set(_ids(client, h["r00"]))
    seen_by_r02 = _ids(client, h["r02"])
    assert community["id"] in seen_by_r02 and grid0["id"] not in seen_by_r02
    assert client.get(f"{API}/{grid0['id']}", headers=h["r02"]).status_code == 404
    assert client.get(f"{API}/{grid0['id']}", headers=h["r00"]).status_code == 200
    assert grid0["id"] not in _ids(client, h["vol1"]) and grid0["id"] in _ids(client, h["vol"])
    assert community["id"] not in _ids(client, h["r10"])  # another community


def test_a_tag_audience_reaches_only_tagged_households(client, town, session, make):
    tree, people, h = town
    c0 = tree.communities[0]
    me = people["r00"].resident
    me.tags = ["elderly_alone"]
    session.commit()
    notice = _create(client, h["staff"], c0.area.id, tag="elderly_alone", title="独居老人冬季关爱走访")
    assert notice["id"] in _ids(client, h["r00"])
    assert notice["id"] not in _ids(client, h["r01"])
    assert client.get(f"{API}/{notice['id']}/stats", headers=h["staff"]).get_json()["households"] == 1


def test_scheduled_notices_go_live_by_the_job_and_important_ones_notify_once(client, town, session):
    from steward.notices import tasks

    tree, people, h = town
    c0 = tree.communities[0]
    notice = _create(client, h["staff"], c0.area.id, category="important", title="明日停电检修",
                     publish_at=(utcnow() + timedelta(hours=1)).isoformat())
    assert notice["status"] == "scheduled" and notice["important"] is True
    assert notice["id"] not in _ids(client, h["r00"])
    tasks.publish_due.run_now()
    assert session.get(Notice, notice["id"]).status == "scheduled"
    row = session.get(Notice, notice["id"])
    row.publish_at = utcnow() - timedelta(minutes=1)
    session.commit()
    tasks.publish_due.run_now()
    tasks.publish_due.run_now()
    assert notice["id"] in _ids(client, h["r00"])
    sent = session.scalars(select(Notification.user_id).where(Notification.kind == "notice.important",
                                                              Notification.subject_id == notice["id"])).all()
    audience = {people[k].id for k in ("r00", "r01", "r02", "r03", "vol", "vol1")}
    assert sorted(sent) == sorted(audience)  # each once; nobody of the other community
    inbox = client.get("/api/v1/notifications", headers=h["r00"]).get_json()["items"]
    assert inbox[0]["title"] == "重要通知：明日停电检修"


def test_an_expired_or_withdrawn_notice_is_gone_for_readers(client, town, session):
    tree, _, h = town
    c0 = tree.communities[0]
    a = _create(client, h["staff"], c0.area.id, expire_at=(utcnow() + timedelta(days=1)).isoformat())
    b = _create(client, h["staff"], c0.area.id)
    assert {a["id"], b["id"]} <= set(_ids(client, h["r00"]))
    row = session.get(Notice, a["id"])
    row.publish_at, row.expire_at = utcnow() - timedelta(days=3), utcnow() - timedelta(minutes=1)
    session.commit()
    assert client.post(f"{API}/{b['id']}/withdraw", headers=h["staff"]).status_code == 200
    ids = _ids(client, h["r00"])
    assert a["id"] not in ids and b["id"] not in ids
    assert client.get(f"{API}/{a['id']}", headers=h["r00"]).status_code == 404
    assert {a["id"], b["id"]} <= set(_ids(client, h["staff"]))  # staff still see them
    bad = _post(client, h["staff"], c0.area.id, publish_at=utcnow().isoformat(),
                expire_at=(utcnow() - timedelta(hours=1)).isoformat())
    assert bad.status_code == 422 and "expire_at" in bad.get_json()["errors"]


def test_unread_count_falls_when_a_notice_is_opened(client, town):
    tree, _, h = town
    c0 = tree.communities[0]
    before = client.get(f"{API}/unread-count", headers=h["r00"]).get_json()["unread"]
    n1 = _create(client, h["staff"], c0.area.id)
    _create(client, h["staff"], c0.area.id, title="第二条通知")
    _create(client, h["staff"], c0.area.id, title="草稿", publish=False)
    assert client.get(f"{API}/unread-count", headers=h["r00"]).get_json()["unread"] == before + 2
    listed = client.get(f"{API}?unread=true", headers=h["r00"]).get_json()["items"]
    assert n1["id"] in [n["id"] for n in listed] and not any(n["read"] for n in listed)
    assert client.get(f"{API}/{n1['id']}", headers=h["r00"]).get_json()["read"] is True
    client.get(f"{API}/{n1['id']}", headers=h["r00"])  # twice: one receipt
    assert client.get(f"{API}/unread-count", headers=h["r00"]).get_json()["unread"] == before + 1
    assert n1["id"] not in _ids(client, h["r00"], "&unread=true")
    assert client.get(f"{API}/unread-count", headers=h["r01"]).get_json()["unread"] == before + 2


def test_read_rate_and_the_doors_to_knock_on_per_grid(client, town):
    tree, people, h = town
    c0 = tree.communities[0]
    notice = _create(client, h["staff"], c0.area.id, category="important", title="燃气安全检查入户通知")
    stats = client.get(f"{API}/{notice['id']}/stats", headers=h["staff"]).get_json()
    assert (stats["households"], stats["read"], stats["rate"]) == (4, 0, 0.0)
    client.get(f"{API}/{notice['id']}", headers=h["r00"])
    client.get(f"{API}/{notice['id']}", headers=h["staff"])  # staff opening it is no household's receipt
    stats = client.get(f"{API}/{notice['id']}/stats", headers=h["staff"]).get_json()
    assert (stats["households"], stats["read"], stats["rate"]) == (4, 1, 0.25)
    by_grid = {g["grid"]["id"]: (g["households"], g["read"]) for g in stats["grids"]}
    assert by_grid == {c0.grids[0].id: (2, 1), c0.grids[1].id: (2, 0)}
    doors = client.get(f"{API}/{notice['id']}/unread-households", headers=h["staff"]).get_json()["items"]
    assert len(doors) == 3 and c0.households[0].id not in [d["id"] for d in doors]
    assert all(d["address"] and d["grid"]["id"] in (c0.grids[0].id, c0.grids[1].id) for d in doors)
    # the grid-0 volunteer sees their own grid only, and tells the other household at the door
    mine = client.get(f"{API}/{notice['id']}/unread-households", headers=h["vol"]).get_json()["items"]
    assert [d["id"] for d in mine] == [c0.households[1].id]
    r = client.post(f"{API}/{notice['id']}/informed", json={"household_id": c0.households[1].id}, headers=h["vol"])
    assert r.status_code == 200 and (r.get_json()["households"], r.get_json()["read"]) == (2, 2)
    r = client.post(f"{API}/{notice['id']}/informed", json={"household_id": c0.households[2].id}, headers=h["vol"])
    assert r.status_code == 422  # not in the volunteer's grid
    only = client.get(f"{API}/{notice['id']}/unread-households?grid_id={c0.grids[1].id}", headers=h["staff"])
    assert len(only.get_json()["items"]) == 2
    stats = client.get(f"{API}/{notice['id']}/stats", headers=h["staff"]).get_json()
    assert (stats["read"], stats["rate"]) == (2, 0.5)
    assert client.get(f"{API}/{notice['id']}/stats", headers=h["r00"]).status_code == 403


def test_staff_manage_their_community_and_town_staff_the_town(client, town):
    tree, _, h = town
    c0 = tree.communities[0]
    assert _post(client, h["staff"], tree.town.id).status_code == 422
    assert _post(client, h["staff"], tree.communities[1].area.id).status_code == 422
    town_notice = _create(client, h["town"], tree.town.id, category="disclosure", title="庄行镇2026年民生实事公示")
    for who in ("r00", "r10", "staff", "staff1", "vol"):
        assert client.get(f"{API}/{town_notice['id']}", headers=h[who]).status_code == 200, who
    r = client.get(f"{API}/{town_notice['id']}", headers=h["staff"])
    patch = client.patch(f"{API}/{town_notice['id']}", json={"title": "改标题"},
                         headers={**h["staff"], "If-Match": r.headers["ETag"]})
    assert patch.status_code == 403
    stats = client.get(f"{API}/{town_notice['id']}/stats", headers=h["staff"]).get_json()
    assert stats["households"] == 4  # their own community's households only
    own = _create(client, h["staff"], c0.area.id, publish=False)
    r = client.get(f"{API}/{own['id']}", headers=h["staff"])
    ok = client.patch(f"{API}/{own['id']}", json={"title": "新的标题", "pinned": True},
                      headers={**h["staff"], "If-Match": r.headers["ETag"]})
    assert ok.status_code == 200 and ok.get_json()["pinned"] is True
    stale = client.patch(f"{API}/{own['id']}", json={"title": "又改"}, headers={**h["staff"], "If-Match": r.headers["ETag"]})
    assert stale.status_code == 412
    assert client.patch(f"{API}/{own['id']}", json={"title": "又改"}, headers=h["staff"]).status_code == 428
    assert own["id"] not in _ids(client, h["r00"])  # a draft
    assert client.post(f"{API}/{own['id']}/publish", headers=h["staff"]).status_code == 200
    assert own["id"] in _ids(client, h["r00"], "&pinned=true")
    assert client.post(f"{API}/{own['id']}/publish", headers=h["staff"]).status_code == 409


WHO = ["zxxy_staff", "zxxy_resident", "volunteer", "resident", "partner", "town", "lsw_staff"]


@pytest.mark.parametrize("who", ["zxxy_staff", "zxxy_resident"])
def test_another_communitys_notice_is_404_for_every_role(client, auth, session, who):
    lsw = _area(session, "LSW")
    notice = _create(client, auth.headers("lsw_staff"), lsw.id, title="丽水湾内部通知")
    draft = _create(client, auth.headers("lsw_staff"), lsw.id, title="丽水湾草稿", publish=False)
    for nid in (notice["id"], draft["id"]):
        for method, suffix, kw in (("get", "", {}), ("patch", "", {"json": {"title": "改标题"}}),
                                   ("post", "/publish", {}), ("post", "/withdraw", {}), ("get", "/stats", {}),
                                   ("get", "/unread-households", {}),
                                   ("post", "/informed", {"json": {"household_id": 1}}),
                                   ("get", "/attachments/1", {}), ("delete", "/attachments/1", {})):
            r = getattr(client, method)(f"{API}/{nid}{suffix}", headers=auth.headers(who, **{"If-Match": "*"}), **kw)
            assert r.status_code in (403, 404), (who, method, suffix, r.status_code)
            if r.status_code == 403:  # a role refused before the lookup: never the data
                assert who.endswith("resident") and (method != "get" or suffix in ("/stats", "/unread-households"))
        assert nid not in _ids(client, auth.headers(who))


@pytest.mark.parametrize("who", ["staff1", "r10", "vol_c1", "partner_c1"])
def test_every_role_of_another_community_gets_404(client, town, who):
    tree, _, h = town
    c0 = tree.communities[0]
    live = _create(client, h["staff"], c0.area.id, category="important")
    draft = _create(client, h["staff"], c0.grids[0].id, publish=False)
    for nid in (live["id"], draft["id"]):
        r = client.get(f"{API}/{nid}", headers=h[who])
        assert r.status_code == 404, (who, r.status_code)
        for suffix in ("/stats", "/unread-households", "/attachments/1"):
            assert client.get(f"{API}/{nid}{suffix}", headers=h[who]).status_code in (403, 404)
        assert client.post(f"{API}/{nid}/publish", headers=h[who]).status_code in (403, 404)
        assert nid not in _ids(client, h[who])


@pytest.mark.parametrize("who", ["resident", "volunteer", "partner", "zxxy_resident"])
def test_readers_never_see_drafts_or_another_grid(client, auth, session, who, make):
    lsw = _area(session, "LSW")
    grid = session.scalar(select(Area).where(Area.code == "LSW-G16"))
    draft = _create(client, auth.headers("lsw_staff"), lsw.id, publish=False)
    far_grid = _create(client, auth.headers("lsw_staff"), grid.id, title="16号网格通知")
    for nid in (draft["id"], far_grid["id"]):
        assert client.get(f"{API}/{nid}", headers=auth.headers(who)).status_code == 404, (who, nid)


def test_hostile_input_is_refused_and_nothing_written(client, town, session):
    tree, _, h = town
    area = tree.communities[0].area.id
    count = session.scalar(select(func.count()).select_from(Notice))
    for bad in ({"extra": 1}, {"area_id": 10**12}, {"title": "a\x00b"}, {"title": "x" * 121},
                {"body_md": "x" * 20001}, {"category": "spam"}, {"tag": "vip"}, {"area_id": "1 OR 1=1"},
                {"publish_at": "yesterday"}, {"title": "\u202e反向"}):
        r = _post(client, h["staff"], **{"area_id": area, **bad})
        assert r.status_code in (400, 404, 422), (bad, r.status_code)
    assert _post(client, h["r00"], area).status_code == 403
    assert session.scalar(select(func.count()).select_from(Notice)) == count
    assert client.get(f"{API}?limit=1000", headers=h["r00"]).status_code == 422
    assert client.get(f"{API}/{2**40}", headers=h["r00"]).status_code == 404


def test_guides_are_a_searchable_library(client, town):
    tree, _, h = town
    area = tree.communities[0].area.id
    g1 = _create(client, h["staff"], area, category="guide", title="居住证办理指南",
                 body_md="携带身份证、租赁合同到社区事务受理中心。")
    g2 = _create(client, h["staff"], area, category="guide", title="高龄津贴申领", body_md="年满 70 周岁…携带**身份证**")
    _create(client, h["staff"], area, category="tip", title="身份证到期提醒")
    assert _ids(client, h["r00"], "&category=guide&q=居住证") == [g1["id"]]
    assert set(_ids(client, h["r00"], "&category=guide&q=身份证")) == {g1["id"], g2["id"]}
    assert _ids(client, h["r00"], "&category=guide&q=100%25") == []  # LIKE wildcards are literal
    page = client.get(f"{API}?category=guide&limit=1", headers=h["r00"]).get_json()
    assert len(page["items"]) == 1 and page["next_cursor"]
    rest = client.get(f"{API}?category=guide&limit=1&cursor={page['next_cursor']}", headers=h["r00"]).get_json()
    assert "items" in rest, rest
    assert rest["items"][0]["id"] != page["items"][0]["id"]
    cats = client.get(f"{API}/categories", headers=h["r00"]).get_json()["items"]
    assert [c["label"] for c in cats] == ["政务公开", "重要通知", "办事指南", "四季节气", "温馨提示", "文化活动", "文明宣传"]


@pytest.mark.parametrize("who", ["staff", "r00"])
def test_notice_list_statement_count_does_not_grow_with_page_size(client, town, count_queries, who):
    tree, _, h = town
    for i in range(12):
        _create(client, h["staff"], tree.communities[0].area.id, title=f"通知第{i + 1}号")
    client.get(f"{API}?limit=1", headers=h[who])
    counts = {}
    for limit in (3, 10):
        with count_queries() as statements:
            r = client.get(f"{API}?limit={limit}", headers=h[who])
        assert len(r.get_json()["items"]) == limit
        counts[limit] = len(statements)
    assert counts[3] == counts[10], counts


def _png() -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 30, 30)).save(buf, "PNG")
    return buf.getvalue()


PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def test_attachments_are_checked_by_content(client, town):
    tree, _, h = town
    notice = _create(client, h["staff"], tree.communities[0].area.id)
    url = f"{API}/{notice['id']}/attachments"

    def upload(*files, who="staff"):
        return client.post(url, data={"files": [(io.BytesIO(d), n) for n, d in files]}, headers=h[who],
                           content_type="multipart/form-data")

    r = upload(("供暖安排.pdf", PDF), ("海报.png", _png()))
    assert r.status_code == 201, r.get_json()
    items = r.get_json()["attachments"]
    assert [a["kind"] for a in items] == ["pdf", "image"] and items[1]["content_type"] == "image/jpeg"
    bad = upload(("ok.pdf", PDF), ("evil.pdf", PDF.replace(b"/Type /Catalog", b"/OpenAction << /S /JavaScript /JS (x) >>")),
                 ("photo.jpg", b"MZ\x90\x00 this is a program"), ("trunc.pdf", b"%PDF-1.7\n1 0 obj"))
    assert bad.status_code == 422 and set(bad.get_json()["errors"]) == {"files.1", "files.2", "files.3"}
    assert upload(("x.pdf", PDF), who="r00").status_code == 403
    assert client.post(url, json={}, headers=h["staff"]).status_code == 415
    got = client.get(f"{url}/{items[0]['id']}", headers=h["r00"])
    assert got.status_code == 200 and got.data == PDF and got.headers["Content-Disposition"].startswith("attachment")
    assert got.headers["X-Content-Type-Options"] == "nosniff"
    img = client.get(f"{url}/{items[1]['id']}?size=thumb", headers=h["r00"])
    assert img.status_code == 200 and img.mimetype == "image/jpeg"
    assert client.get(f"{url}/{items[0]['id']}", headers=h["r10"]).status_code == 404
    assert client.delete(f"{url}/{items[0]['id']}", headers=h["staff"]).status_code == 204
    assert client.get(f"{url}/{items[0]['id']}", headers=h["r00"]).status_code == 404


def test_the_demo_season_has_every_category_and_real_read_rates(client, auth, session):
    staff = auth.headers("lsw_staff")
    items = client.get(f"{API}?limit=100", headers=staff).get_json()["items"]
    assert {n["category"] for n in items} == {"disclosure", "important", "guide", "seasonal", "tip", "culture",
                                              "civility"}
    assert {"draft", "scheduled", "published"} <= {n["status"] for n in items}
    water = next(n for n in items if n["title"].startswith("丽水湾小区二次供水"))
    stats = client.get(f"{API}/{water['id']}/stats", headers=staff).get_json()
    assert stats["households"] == 2100 and 0 < stats["read"] < stats["households"] and len(stats["grids"]) == 16
    resident = auth.headers("resident")
    assert client.get(f"{API}/unread-count", headers=resident).get_json()["unread"] > 0
    pinned = client.get(f"{API}?pinned=true", headers=resident).get_json()["items"]
    assert pinned and all(n["pinned"] for n in pinned)
    inbox = client.get("/api/v1/notifications", headers=resident).get_json()["items"]
    assert any(n["kind"] == "notice.important" for n in inbox)


def test_the_editor_previews_what_will_be_saved(client, auth):
    r = client.post(f"{API}/preview", json={"body_md": "**停水**<script>x()</script>"}, headers=auth.headers("lsw_staff"))
    assert r.status_code == 200 and r.get_json()["body_html"] == "<p><strong>停水</strong></p>\n"
    assert client.post(f"{API}/preview", json={"body_md": "x"}, headers=auth.headers("resident")).status_code == 403


def test_the_dashboard_shows_read_rates_of_the_last_30_days(client, auth):
    data = client.get("/api/v1/dashboard", headers=auth.headers("lsw_staff")).get_json()
    notices = next(s for s in data["sections"] if s["key"] == "notices")
    m = {x["key"]: x["value"] for x in notices["metrics"]}
    assert m["published"] > 0 and 0 < m["read_rate"] < 1 and m["reached"] > 0
    lowest = notices["breakdown"]["lowest_read_rate"]
    assert lowest and [x["value"] for x in lowest] == sorted(x["value"] for x in lowest)
    zxxy = client.get("/api/v1/dashboard", headers=auth.headers("zxxy_staff")).get_json()
    titles = {x["label"] for s in zxxy["sections"] if s["key"] == "notices" for x in s["breakdown"]["lowest_read_rate"]}
    assert not any(t.startswith("丽水湾") for t in titles)  # another community's notices stay out
