"""Alliance member units: visible within their community (town-wide ones everywhere), managed by staff."""
from sqlalchemy import func, select

from steward.alliances.models import Unit
from steward.areas.models import Area
from steward.people.models import User


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
    assert me["is_unit_admin"] is True  # the demo partner is its unit's admin
    assert auth.me("lsw_staff")["is_unit_admin"] is False


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


# ------------------------------------------------------------------ units in full
def _unit(session, name="丽水湾物业服务中心"):
    return session.scalar(select(Unit).where(Unit.name == name))


def _category(session, code):
    from steward.cases.models import Category

    return session.scalar(select(Category.id).where(Category.code == code))


def test_demo_units_take_categories_and_provide_services(client, auth, session):
    unit = _unit(session)
    body = client.get(f"/api/v1/units/{unit.id}", headers=auth.headers("lsw_staff")).get_json()
    assert "clutter" in {c["code"] for c in body["categories"]} and body["service_kinds"] == ["repair"]
    legal = client.get(f"/api/v1/units/{_unit(session, '庄行镇公共法律服务工作站').id}",
                       headers=auth.headers("lsw_staff")).get_json()
    assert legal["service_kinds"] == ["legal"]


def test_units_filter_by_category_for_dispatch(client, auth, session):
    clutter = _category(session, "clutter")
    r = client.get(f"/api/v1/units?category_id={clutter}&limit=100", headers=auth.headers("lsw_staff"))
    assert r.status_code == 200
    names = {u["name"] for u in r.get_json()["items"]}
    assert "丽水湾物业服务中心" in names and "庄行镇城建中心" not in names
    assert "庄行新苑物业管理处" not in names  # still scoped to the community
    assert client.get("/api/v1/units?category_id=99999999999", headers=auth.headers("lsw_staff")).status_code == 422


def test_staff_set_categories_and_service_kinds(client, auth, session):
    unit = _unit(session, "丽水湾居民区党总支")
    dispute, clutter = _category(session, "neighbour_dispute"), _category(session, "clutter")
    r = client.patch(f"/api/v1/units/{unit.id}", headers=auth.headers("lsw_staff"),
                     json={"category_ids": [dispute, clutter, dispute], "service_kinds": ["lunch", "other"]})
    assert r.status_code == 200, r.get_json()
    body = r.get_json()
    assert {c["id"] for c in body["categories"]} == {dispute, clutter} and body["service_kinds"] == ["lunch", "other"]
    for bad in ({"category_ids": [2**31 + 5]}, {"category_ids": [99999]}, {"service_kinds": ["spa"]},
                {"category_ids": list(range(1, 60))}, {"service_kinds": "lunch"}):
        r = client.patch(f"/api/v1/units/{unit.id}", headers=auth.headers("lsw_staff"), json=bad)
        assert r.status_code == 422, bad
    session.expire_all()
    assert {c.id for c in _unit(session, "丽水湾居民区党总支").categories} == {dispute, clutter}
    r = client.patch(f"/api/v1/units/{unit.id}", headers=auth.headers("lsw_staff"), json={"category_ids": []})
    assert r.get_json()["categories"] == []


def test_list_units_uses_constant_queries(client, auth, count_queries):
    headers = auth.headers("town")
    client.get("/api/v1/units?limit=2", headers=headers)
    with count_queries() as few:
        client.get("/api/v1/units?limit=2", headers=headers)
    with count_queries() as many:
        client.get("/api/v1/units?limit=50", headers=headers)
    assert len(many) == len(few)


def test_contact_phone_masked_for_residents_and_other_partners(client, auth, session, make):
    unit = _unit(session)
    url = f"/api/v1/units/{unit.id}"
    assert client.get(url, headers=auth.headers("lsw_staff")).get_json()["contact_phone"] == "021-57460002"
    assert client.get(url, headers=auth.headers("partner")).get_json()["contact_phone"] == "021-57460002"
    assert client.get(url, headers=auth.headers("resident")).get_json()["contact_phone"] == "021****0002"
    assert client.get(url, headers=auth.headers("volunteer")).get_json()["contact_phone"] == "021****0002"


def test_a_partner_sees_only_its_own_unit(client, auth, session):
    mine, other = _unit(session), _unit(session, "丽水湾居民区党总支")
    headers = auth.headers("partner")
    assert _names(client, headers) == {"丽水湾物业服务中心"}
    assert client.get(f"/api/v1/units/{other.id}", headers=headers).status_code == 404
    assert client.get(f"/api/v1/units/{other.id}/members", headers=headers).status_code == 404
    members = client.get(f"/api/v1/units/{mine.id}/members", headers=headers)
    assert members.status_code == 200
    me, = members.get_json()["items"]
    assert me["is_unit_admin"] is True and me["phone"] == "138****0006"


def test_members_visible_to_the_area_staff_only(client, auth, session):
    unit = _unit(session)
    url = f"/api/v1/units/{unit.id}/members"
    assert client.get(url, headers=auth.headers("lsw_staff")).status_code == 200
    assert client.get(url, headers=auth.headers("town")).status_code == 200
    assert client.get(url, headers=auth.headers("resident")).status_code == 403  # the unit is public, members not
    assert client.get(url, headers=auth.headers("zxxy_staff")).status_code == 404
    town_wide = _unit(session, "庄行镇城建中心")
    assert client.get(f"/api/v1/units/{town_wide.id}/members", headers=auth.headers("lsw_staff")).status_code == 403


def test_another_communitys_unit_is_404_on_every_route(client, auth, session):
    unit = _unit(session)
    partner = session.scalar(select(User.id).where(User.phone == "13800000006"))
    routes = [("get", f"/api/v1/units/{unit.id}", None), ("patch", f"/api/v1/units/{unit.id}", {"name": "x"}),
              ("get", f"/api/v1/units/{unit.id}/members", None),
              ("post", f"/api/v1/units/{unit.id}/members", {"phone": "13800000006"}),
              ("patch", f"/api/v1/units/{unit.id}/members/{partner}", {"is_unit_admin": False}),
              ("delete", f"/api/v1/units/{unit.id}/members/{partner}", None)]
    for who in ("zxxy_staff", "zxxy_resident"):
        for method, url, body in routes:
            r = getattr(client, method)(url, headers=auth.headers(who), json=body)
            # a resident is refused by role before anything is looked up, except for reading the unit
            expected = 403 if who == "zxxy_resident" and (method, url) != routes[0][:2] else 404
            assert r.status_code == expected, (who, method, url)
    session.expire_all()
    assert session.get(User, partner).unit_id == unit.id and session.get(User, partner).is_unit_admin


def test_staff_create_attach_promote_and_detach_members(client, auth, session):
    unit = _unit(session)
    url = f"/api/v1/units/{unit.id}/members"
    staff = auth.headers("lsw_staff")
    r = client.post(url, headers=staff, json={"phone": "13912345678"})
    assert r.status_code == 422 and "password" in r.get_json()["errors"]
    r = client.post(url, headers=staff, json={"phone": "13912345678", "name": "物业 周师傅", "password": "Repair@2026x"})
    assert r.status_code == 201, r.get_json()
    new = r.get_json()
    assert new["is_unit_admin"] is False and new["must_change_password"] is True and new["phone"] == "139****5678"
    row = session.get(User, new["id"])
    assert row.role == "partner" and row.unit_id == unit.id
    # the new account signs in with the first password
    r = client.post("/api/v1/auth/login", json={"phone": "13912345678", "password": "Repair@2026x"})
    assert r.status_code == 200
    r = client.patch(f"{url}/{new['id']}", headers=staff, json={"is_unit_admin": True})
    assert r.status_code == 200 and r.get_json()["is_unit_admin"] is True
    assert client.patch(f"{url}/{new['id']}", headers=staff, json={"is_unit_admin": "x" * 10}).status_code == 422
    assert client.delete(f"{url}/{new['id']}", headers=staff).status_code == 204
    session.expire_all()
    assert session.get(User, new["id"]).unit_id is None and not session.get(User, new["id"]).is_unit_admin
    assert client.delete(f"{url}/{new['id']}", headers=staff).status_code == 404
    # attach it again by phone
    r = client.post(url, headers=staff, json={"phone": "13912345678"})
    assert r.status_code == 201 and r.get_json()["id"] == new["id"]
    # a resident's account is no partner account
    assert client.post(url, headers=staff, json={"phone": "13800000005"}).status_code == 422
    # nor does a partner (even the unit's admin) manage members
    assert client.post(url, headers=auth.headers("partner"), json={"phone": "13800000005"}).status_code == 403


def test_a_member_of_another_unit_is_a_conflict(client, auth, session):
    other = _unit(session, "丽水湾红管家志愿者服务队")
    r = client.post(f"/api/v1/units/{other.id}/members", headers=auth.headers("lsw_staff"),
                    json={"phone": "13800000006"})
    assert r.status_code == 409


def test_hostile_member_input_writes_nothing(client, auth, session):
    unit = _unit(session)
    url = f"/api/v1/units/{unit.id}/members"
    before = session.scalar(select(func.count(User.id)))
    for bad in ({"phone": "1391234\x005678", "name": "x", "password": "Repair@2026x"},
                {"phone": "13912345679", "name": "x" * 500, "password": "Repair@2026x"},
                {"phone": "13912345679", "name": "x", "password": "Repair@2026x", "role": "admin"},
                {"phone": "13912345679", "name": "x", "password": "Repair@2026x", "area_id": 2**40}):
        assert client.post(url, headers=auth.headers("lsw_staff"), json=bad).status_code == 422, bad
    assert client.patch(f"{url}/{2**40}", headers=auth.headers("lsw_staff"), json={"is_unit_admin": True}).status_code \
        == 404
    assert session.scalar(select(func.count(User.id))) == before


def _non_admin_partner(make, session):
    lsw = session.scalar(select(Area).where(Area.code == "LSW"))
    user = make.user("partner", lsw, unit_id=_unit(session).id)
    return make.headers(user)


def test_only_unit_admins_manage_api_clients_and_webhooks(client, auth, session, make):
    unit = _unit(session)
    plain = _non_admin_partner(make, session)
    body = {"name": "物业报修系统", "unit_id": unit.id}
    assert client.post("/api/v1/api-clients", headers=plain, json=body).status_code == 422
    r = client.post("/api/v1/api-clients", headers=auth.headers("partner"), json=body)
    assert r.status_code == 201, r.get_json()
    created = r.get_json()["id"]
    listed = {c["id"] for c in client.get("/api/v1/api-clients", headers=plain).get_json()["items"]}
    assert created in listed  # members see their unit's clients …
    assert client.post(f"/api/v1/api-clients/{created}/revoke", headers=plain).status_code == 403  # … admins manage
    hook = {"unit_id": unit.id, "url": "https://hooks.partner.cn/steward"}
    assert client.post("/api/v1/webhook-subscriptions", headers=plain, json=hook).status_code == 422
    # another unit's admin manages nothing here
    assert client.post(f"/api/v1/api-clients/{created}/revoke", headers=auth.headers("partner")).status_code == 200


def test_an_inactive_unit_cannot_be_dispatched_to_and_its_clients_stop(client, auth, session):
    from .test_cases import _report, _step

    unit = _unit(session)
    key = client.post("/api/v1/api-clients", headers=auth.headers("lsw_staff"),
                      json={"name": "x", "unit_id": unit.id}).get_json()["api_key"]
    assert client.get(f"/open311/v2/requests.json?api_key={key}").status_code == 200
    assert client.patch(f"/api/v1/units/{unit.id}", headers=auth.headers("lsw_staff"),
                        json={"is_active": False}).status_code == 200
    cid = _report(client, auth, session).get_json()["id"]
    r = _step(client, auth, cid, "dispatch", "lsw_staff", unit_ids=[unit.id])
    assert r.status_code == 422 and "unit_ids" in r.get_json()["errors"]
    assert client.get(f"/open311/v2/requests.json?api_key={key}").status_code == 403
    # nor can members be added to it
    assert client.post(f"/api/v1/units/{unit.id}/members", headers=auth.headers("lsw_staff"),
                       json={"phone": "13912345670", "name": "x", "password": "Repair@2026x"}).status_code == 422
