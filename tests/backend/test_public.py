"""Tokenless reads for the sign-up screens: communities, buildings, rooms, config."""
from sqlalchemy import func, select

from steward.areas.models import Area, Household, Stairwell
from steward.areas.service import natural_key


def _community(session, code):
    return session.scalar(select(Area).where(Area.code == code))


def test_communities_carry_the_committees_phone(client):
    items = client.get("/api/v1/public/communities").get_json()["items"]
    assert {c["code"]: c["office_phone"] for c in items} == {
        "LSW": "021-57461001", "ZXXY": "021-57461002", "SGW": "021-57461003"}


def test_buildings_and_units_in_natural_order(client, session):
    lsw = _community(session, "LSW")
    r = client.get(f"/api/v1/public/communities/{lsw.id}/buildings")
    assert r.status_code == 200
    items = r.get_json()["items"]
    buildings = [b["building"] for b in items]
    assert buildings[:12] == [str(n) for n in range(1, 13)]  # "2" before "10"
    assert len(buildings) == 142
    assert items[11] == {"building": "12", "units": [
        {"stairwell_id": items[11]["units"][0]["stairwell_id"], "unit": "1", "label": "12号楼1单元"},
        {"stairwell_id": items[11]["units"][1]["stairwell_id"], "unit": "2", "label": "12号楼2单元"}]}
    assert sum(len(b["units"]) for b in items) == session.scalar(
        select(func.count()).select_from(Stairwell).where(Stairwell.community_id == lsw.id))


def test_rooms_in_natural_order(client, session):
    lsw = _community(session, "LSW")
    stairwell = session.scalar(select(Stairwell).where(Stairwell.community_id == lsw.id, Stairwell.building == "3",
                                                       Stairwell.unit == "1"))
    session.add_all([Household(stairwell_id=stairwell.id, room=room, area_path=stairwell.area_path)
                     for room in ("1001", "902A", "902")])
    session.commit()
    items = client.get(f"/api/v1/public/stairwells/{stairwell.id}/rooms").get_json()["items"]
    rooms = [i["room"] for i in items]
    assert rooms == sorted(rooms, key=natural_key)
    assert rooms[:3] == ["101", "102", "201"] and rooms[-3:] == ["902", "902A", "1001"]
    assert all(session.get(Household, i["household_id"]).room == i["room"] for i in items)


def test_unknown_ids_are_404(client, session):
    grid = session.scalar(select(Area.id).where(Area.kind == "grid"))
    for url in (f"/api/v1/public/communities/{grid}/buildings", "/api/v1/public/communities/999999/buildings",
                "/api/v1/public/stairwells/999999/rooms"):
        r = client.get(url)
        assert r.status_code == 404 and r.headers["Content-Type"] == "application/problem+json", url


def test_public_reads_are_rate_limited_per_address(client, app, monkeypatch):
    monkeypatch.setitem(app.config, "PUBLIC_LIMIT_PER_IP", 3)
    for _ in range(3):
        assert client.get("/api/v1/public/communities").status_code == 200
    r = client.get("/api/v1/public/config")
    assert r.status_code == 429 and 0 < int(r.headers["Retry-After"]) <= 60
    assert client.get("/api/v1/public/communities", environ_base={"REMOTE_ADDR": "10.1.1.1"}).status_code == 200


def test_the_spec_gives_clients_the_phone_pattern(app):
    from steward.openapi import build_spec

    schemas = build_spec(app)["components"]["schemas"]
    for name, field in (("RegisterIn", "phone"), ("CodeRequestIn", "phone"), ("PhoneChangeIn", "new_phone"),
                        ("ResidentIn", "phone"), ("UserIn", "phone")):
        assert schemas[name]["properties"][field]["pattern"] == r"^1[3-9]\d{9}$", name
    assert schemas["RegisterIn"]["properties"]["code"]["pattern"] == r"^\d{6}$"
