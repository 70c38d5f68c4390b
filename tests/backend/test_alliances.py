"""Alliance member units: visible within their community (town-wide ones everywhere), managed by staff."""
from sqlalchemy import select

from steward.alliances.models import Unit
from steward.areas.models import Area


def _names(client, headers):
    return {u["name"] for u in client.get("/api/v1/units?limit=100", headers=headers).get_json()["items"]}


def test_units_are_scoped_to_the_community_plus_town_wide_ones(client, auth):
    lsw = _names(client, auth.headers("resident"))
    assert {"丽水湾物业服务中心", "丽水湾居民区党总支", "庄行镇公共法律服务工作站", "庄行镇城建中心"} <= lsw
    assert "庄行新苑物业管理处" not in lsw
    zxxy = _names(client, auth.headers("zxxy_staff"))
    assert "庄行新苑物业管理处" in zxxy and "丽水湾物业服务中心" not in zxxy
    assert {"丽水湾物业服务中心", "庄行新苑物业管理处"} <= _names(client, auth.headers("town"))


def test_other_community_unit_is_404(client, auth, session):
    unit = session.scalar(select(Unit.id).where(Unit.name == "丽水湾物业服务中心"))
    assert client.get(f"/api/v1/units/{unit}", headers=auth.headers("resident")).status_code == 200
    r = client.get(f"/api/v1/units/{unit}", headers=auth.headers("zxxy_resident"))
    assert r.status_code == 404 and r.headers["Content-Type"] == "application/problem+json"


def test_partner_knows_their_unit(auth):
    me = auth.me("partner")
    assert me["role"] == "partner" and me["unit"]["name"] == "丽水湾物业服务中心"
    assert me["unit"]["kind"] == "property_company"


def test_staff_add_and_update_units_in_scope_only(client, auth, session):
    lsw = session.scalar(select(Area.id).where(Area.code == "LSW"))
    zxxy = session.scalar(select(Area.id).where(Area.code == "ZXXY"))
    headers = auth.headers("lsw_staff")
    r = client.post("/api/v1/units", headers=headers, json={
        "area_id": lsw, "kind": "enterprise", "name": "庄行镇电动车充电桩运营公司", "contact_phone": "021-5746 0009"})
    assert r.status_code == 201, r.get_json()
    unit = r.get_json()
    r = client.patch(f"/api/v1/units/{unit['id']}", headers=headers, json={"is_active": False})
    assert r.status_code == 200 and r.get_json()["is_active"] is False
    r = client.post("/api/v1/units", headers=headers, json={"area_id": zxxy, "kind": "enterprise", "name": "越界"})
    assert r.status_code == 403
    r = client.post("/api/v1/units", headers=headers, json={"area_id": lsw, "kind": "bank", "name": "x"})
    assert r.status_code == 422 and "kind" in r.get_json()["errors"]
    assert client.post("/api/v1/units", headers=auth.headers("partner"),
                       json={"area_id": lsw, "kind": "enterprise", "name": "x"}).status_code == 403
