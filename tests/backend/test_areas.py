"""The area tree, stairwells, households, and the demo town."""
from sqlalchemy import func, select

from steward.areas.models import Area
from steward.demo.seed import seed_demo


def _area(session, code):
    return session.scalar(select(Area).where(Area.code == code))


def test_demo_town_matches_the_reference_numbers(client, auth, session):
    lsw = _area(session, "LSW")
    stats = client.get(f"/api/v1/areas/{lsw.id}/stats", headers=auth.headers("lsw_staff")).get_json()
    assert (stats["sections"], stats["grids"], stats["stairwells"], stats["households"]) == (3, 16, 284, 2100)
    assert stats["residents"] > 300
    assert all(stats["tags"][t] > 0 for t in ("elderly_alone", "hardship", "party_member", "volunteer"))
    names = {a.name for a in session.scalars(select(Area).where(Area.kind == "community"))}
    assert names == {"丽水湾", "庄行新苑", "沙港湾（佳兆业8号）"}


def test_seeding_twice_changes_nothing(app, session):
    before = session.scalar(select(func.count()).select_from(Area))
    assert "already present" in seed_demo(session)
    assert session.scalar(select(func.count()).select_from(Area)) == before


def test_paths_make_subtrees_prefix_queries(session):
    lsw = _area(session, "LSW")
    grids = session.scalars(select(Area).where(Area.path.startswith(lsw.path), Area.kind == "grid")).all()
    assert len(grids) == 16
    for grid in grids:
        assert grid.path.startswith(lsw.path) and grid.path.endswith(f"/{grid.id}/") and grid.depth == 3


def test_staff_add_a_grid_under_a_section(client, auth, session):
    section = _area(session, "LSW-S1")
    headers = auth.headers("lsw_staff")
    r = client.post("/api/v1/areas", headers=headers,
                    json={"parent_id": section.id, "kind": "grid", "name": "17号网格", "code": "LSW-G17"})
    assert r.status_code == 201, r.get_json()
    grid = r.get_json()
    assert grid["path"] == f"{section.path}{grid['id']}/" and grid["depth"] == 3
    r = client.post("/api/v1/stairwells", headers=headers, json={"grid_id": grid["id"], "building": "200", "unit": "1"})
    assert r.status_code == 201 and r.get_json()["label"] == "200号楼1单元"
    r = client.post("/api/v1/households", headers=headers, json={"stairwell_id": r.get_json()["id"], "room": "101"})
    assert r.status_code == 201 and r.get_json()["address"] == "丽水湾200号楼1单元101室"
    again = client.post("/api/v1/households", headers=headers,
                        json={"stairwell_id": r.get_json()["id"] and grid["id"] and r.get_json()["id"], "room": "101"})
    assert again.status_code in (409, 422)


def test_area_rules(client, auth, session):
    headers = auth.headers("lsw_staff")
    lsw, g1 = _area(session, "LSW"), _area(session, "LSW-G01")
    r = client.post("/api/v1/areas", headers=headers, json={"parent_id": lsw.id, "kind": "grid", "name": "x", "code": "X1"})
    assert r.status_code == 422 and r.get_json()["errors"]["parent_id"] == ["网格必须隶属于标段。"]
    r = client.post("/api/v1/areas", headers=headers,
                    json={"parent_id": _area(session, "LSW-S1").id, "kind": "grid", "name": "x", "code": "LSW-G01"})
    assert r.status_code == 422 and r.get_json()["errors"]["code"] == ["该编码已被使用。"]
    r = client.post("/api/v1/areas", headers=headers, json={"parent_id": lsw.id, "kind": "town", "name": "x", "code": "X2"})
    assert r.status_code == 422 and "kind" in r.get_json()["errors"]
    assert client.post("/api/v1/areas", headers=auth.headers("resident"),
                       json={"parent_id": lsw.id, "kind": "section", "name": "x", "code": "X3"}).status_code == 403
    r = client.patch(f"/api/v1/areas/{g1.id}", headers=headers, json={"name": "一号网格"})
    assert r.status_code == 200 and r.get_json()["name"] == "一号网格"


def test_area_listing_filters(client, auth, session):
    headers = auth.headers("lsw_staff")
    lsw = _area(session, "LSW")
    sections = client.get(f"/api/v1/areas?parent_id={lsw.id}", headers=headers).get_json()["items"]
    assert [s["code"] for s in sections] == ["LSW-S1", "LSW-S2", "LSW-S3"]
    grids = client.get("/api/v1/areas?kind=grid&limit=100", headers=headers).get_json()["items"]
    assert len(grids) == 16
    assert client.get("/api/v1/areas?q=G07", headers=headers).get_json()["items"][0]["code"] == "LSW-G07"


def test_public_communities_need_no_token(client):
    r = client.get("/api/v1/public/communities")
    assert r.status_code == 200 and len(r.get_json()["items"]) == 3


def test_users_are_managed_within_rank_and_scope(client, auth, session):
    headers = auth.headers("lsw_staff")
    g2 = _area(session, "LSW-G02")
    r = client.post("/api/v1/users", headers=headers, json={
        "phone": "13711112222", "name": "新志愿者", "password": "Volunteer2026", "role": "volunteer", "area_id": g2.id})
    assert r.status_code == 201 and r.get_json()["phone"] == "137****2222"
    r = client.post("/api/v1/users", headers=headers, json={
        "phone": "13711112223", "name": "越权", "password": "Volunteer2026", "role": "town_staff", "area_id": g2.id})
    assert r.status_code == 422 and "role" in r.get_json()["errors"]
    r = client.post("/api/v1/users", headers=headers, json={
        "phone": "13711112224", "name": "越界", "password": "Volunteer2026", "role": "volunteer",
        "area_id": _area(session, "ZXXY-G01").id})
    assert r.status_code == 422
    listed = client.get("/api/v1/users?role=volunteer", headers=headers).get_json()["items"]
    assert {u["name"] for u in listed} >= {"新志愿者", "张国强"}


def test_demo_accounts_live_in_households_of_their_own(client, auth):
    homes = {}
    for who in ("resident", "volunteer", "zxxy_resident"):
        me = auth.me(who)
        household = client.get(f"/api/v1/households/{me['household_id']}", headers=auth.headers(who)).get_json()
        assert me["resident_id"] in [p["id"] for p in household["residents"]]
        assert len(household["residents"]) == 2  # the account holder and a spouse
        homes[who] = me["household_id"]
    assert len(set(homes.values())) == 3


def test_children_stats_match_each_childs_own_stats(client, auth, session):
    for who, code in (("town", "ZHX"), ("lsw_staff", "LSW"), ("lsw_staff", "LSW-S1")):
        headers = auth.headers(who)
        area = _area(session, code)
        r = client.get(f"/api/v1/areas/{area.id}/children-stats", headers=headers)
        assert r.status_code == 200, r.get_json()
        items = r.get_json()["items"]
        children = session.scalars(select(Area).where(Area.parent_id == area.id).order_by(Area.id)).all()
        assert [i["area"]["id"] for i in items] == [c.id for c in children]
        for item in items:
            own = client.get(f"/api/v1/areas/{item['area']['id']}/stats", headers=headers).get_json()
            assert item == own
    town = client.get(f"/api/v1/areas/{_area(session, 'ZHX').id}/children-stats",
                      headers=auth.headers("town")).get_json()["items"]
    assert {i["area"]["name"]: i["households"] for i in town} == {"丽水湾": 2100, "庄行新苑": 480, "沙港湾（佳兆业8号）": 300}
    grid = _area(session, "LSW-G01")
    assert client.get(f"/api/v1/areas/{grid.id}/children-stats",
                      headers=auth.headers("volunteer")).get_json() == {"items": []}
    assert client.get(f"/api/v1/areas/{grid.id}/children-stats", headers=auth.headers("resident")).status_code == 403


def test_children_stats_count_only_what_the_caller_may_see(client, auth, session):
    section = _area(session, "LSW-S1")
    mine = client.get(f"/api/v1/areas/{section.id}/children-stats", headers=auth.headers("volunteer")).get_json()
    volunteer_grid = auth.me("volunteer")["area"]["id"]
    assert {i["area"]["id"]: i["residents"] > 0 for i in mine["items"]}[volunteer_grid] is True
    assert all(i["residents"] == 0 for i in mine["items"] if i["area"]["id"] != volunteer_grid)


def test_area_names_are_qualified_by_their_community(client, auth, session):
    me = client.get("/api/v1/me", headers=auth.headers("volunteer")).get_json()
    assert me["area"]["full_name"] == "丽水湾 1号网格"
    assert me["community"]["full_name"] == "丽水湾"
    resident = client.get("/api/v1/residents?limit=1", headers=auth.headers("zxxy_staff")).get_json()["items"][0]
    assert resident["grid"]["full_name"].startswith("庄行新苑 ") and resident["community"]["full_name"] == "庄行新苑"
    town = client.get("/api/v1/me", headers=auth.headers("town")).get_json()
    assert town["area"]["full_name"] == "庄行镇"
    users = client.get("/api/v1/users?role=volunteer", headers=auth.headers("lsw_staff")).get_json()["items"]
    assert "丽水湾 1号网格" in [u["area"]["full_name"] for u in users]


def test_staff_set_their_committees_phone(client, auth, session):
    headers = auth.headers("lsw_staff")
    lsw, grid = _area(session, "LSW"), _area(session, "LSW-G01")
    r = client.patch(f"/api/v1/areas/{lsw.id}", headers=headers, json={"office_phone": "021-5746 1234"})
    assert r.status_code == 200 and r.get_json()["office_phone"] == "021-5746 1234"
    assert client.get("/api/v1/me", headers=auth.headers("resident")).get_json()["community"]["office_phone"] == \
        "021-5746 1234"
    r = client.patch(f"/api/v1/areas/{grid.id}", headers=headers, json={"office_phone": "021-57461234"})
    assert r.status_code == 422 and "office_phone" in r.get_json()["errors"]
    r = client.patch(f"/api/v1/areas/{lsw.id}", headers=headers, json={"office_phone": "call us"})
    assert r.status_code == 422 and "office_phone" in r.get_json()["errors"]
    assert session.get(Area, lsw.id).office_phone == "021-5746 1234"
