"""Scoping from the outside: another community's data is simply not found."""
import pytest
from sqlalchemy import select

from steward.areas.models import Area, Household, Stairwell
from steward.people.models import HouseholdClaim, Resident, User


def _in(session, model, code):
    """The id of some row of ``model`` inside the community with this code."""
    path = session.scalar(select(Area.path).where(Area.code == code))
    column = {Area: Area.path, Stairwell: Stairwell.area_path, Household: Household.area_path,
              Resident: Resident.area_path, User: User.area_path, HouseholdClaim: HouseholdClaim.area_path}[model]
    return session.scalar(select(model.id).where(column.startswith(path), model.id != None).order_by(model.id.desc()))  # noqa: E711


ITEMS = [
    ("/api/v1/areas/{}", Area),
    ("/api/v1/areas/{}/stats", Area),
    ("/api/v1/areas/{}/children-stats", Area),
    ("/api/v1/households/{}", Household),
    ("/api/v1/residents/{}", Resident),
]
# Every community-level role, looking at the other community (a 403 is allowed only where the role is
# refused for every id, e.g. statistics for residents).
ROLES = {"zxxy_staff": (), "zxxy_resident": ("stats",), "volunteer": (), "resident": ("stats",),
         "partner": ("stats",), "pending": ("stats",)}


def _target_code(who):
    return "LSW" if who.startswith("zxxy") else "ZXXY"


@pytest.mark.parametrize("who", ROLES)
@pytest.mark.parametrize("url, model", ITEMS)
def test_other_community_items_are_404(client, auth, session, url, model, who):
    ident = _in(session, model, _target_code(who))
    assert client.get(url.format(ident), headers=auth.headers("town")).status_code == 200
    r = client.get(url.format(ident), headers=auth.headers(who))
    refused_anyway = "stats" in url and "stats" in ROLES[who]
    assert r.status_code == (403 if refused_anyway else 404)
    assert r.headers["Content-Type"] == "application/problem+json"


@pytest.mark.parametrize("who", ROLES)
def test_other_community_writes_by_id_are_404(client, auth, session, who):
    """Routes with an id that change something: another community's object is not found, and unchanged."""
    code = _target_code(who)
    headers = auth.headers(who)
    resident = _in(session, Resident, code)
    user = session.scalar(select(User.id).where(User.area_path.startswith(
        session.scalar(select(Area.path).where(Area.code == code))), User.role == "resident"))
    area = _in(session, Area, code)
    claim = session.scalar(select(HouseholdClaim.id).where(HouseholdClaim.area_path.startswith(
        session.scalar(select(Area.path).where(Area.code == code)))))
    not_staff = tuple(r for r in ROLES if r != "zxxy_staff")  # the roles refused by staff-only routes
    calls = [  # method, url, body, the roles refused whatever the id
        ("post", f"/api/v1/residents/{resident}/reveal", {"field": "phone", "reason": "越界查看"},
         ("resident", "partner", "pending", "zxxy_resident")),
        ("patch", f"/api/v1/residents/{resident}", {"name": "越界"}, ("partner",)),
        ("delete", f"/api/v1/residents/{resident}", None, not_staff),
        ("post", f"/api/v1/users/{user}/password-reset", {"new_password": "Office2026x"}, not_staff),
        ("patch", f"/api/v1/users/{user}", {"name": "越界"}, not_staff),
        ("patch", f"/api/v1/areas/{area}", {"name": "越界"}, not_staff),
    ]
    if claim:
        calls.append(("post", f"/api/v1/household-claims/{claim}/review", {"decision": "approve"}, not_staff))
    for method, url, body, role_refused in calls:
        r = getattr(client, method)(url, headers={**headers, "If-Match": "*"}, json=body)
        assert r.status_code == (403 if who in role_refused else 404), (who, method, url, r.get_json())
    assert session.get(Resident, resident).name != "越界"
    assert session.get(Area, area).name != "越界"


@pytest.mark.parametrize("url, model", [
    ("/api/v1/areas", Area), ("/api/v1/stairwells", Stairwell), ("/api/v1/households", Household),
    ("/api/v1/residents", Resident), ("/api/v1/users", User),
])
def test_other_community_rows_never_appear_in_lists(client, auth, session, url, model):
    lsw_path = session.scalar(select(Area.path).where(Area.code == "LSW"))
    ids, cursor = [], None
    while True:
        body = client.get(url + "?limit=100" + (f"&cursor={cursor}" if cursor else ""),
                          headers=auth.headers("zxxy_staff")).get_json()
        ids += [row["id"] for row in body["items"]]
        cursor = body["next_cursor"]
        if not cursor:
            break
    assert ids, "the ZXXY staff should see their own community's rows"
    column = {Area: Area.path, Stairwell: Stairwell.area_path, Household: Household.area_path,
              Resident: Resident.area_path, User: User.area_path}[model]
    leaked = session.scalars(select(model.id).where(model.id.in_(ids), column.startswith(lsw_path))).all()
    assert leaked == []


def test_writes_into_another_community_are_refused_without_revealing_it(client, auth, session):
    household = _in(session, Household, "LSW")
    resident = _in(session, Resident, "LSW")
    staff = auth.headers("zxxy_staff")
    r = client.post("/api/v1/residents", headers=staff, json={"household_id": household, "name": "越界"})
    assert r.status_code == 422 and "household_id" in r.get_json()["errors"]
    assert client.patch(f"/api/v1/residents/{resident}", headers={**staff, "If-Match": "*"},
                        json={"name": "越界"}).status_code == 404
    assert client.delete(f"/api/v1/residents/{resident}", headers={**staff, "If-Match": "*"}).status_code == 404
    assert client.post(f"/api/v1/residents/{resident}/reveal", headers=staff,
                       json={"field": "phone", "reason": "越界查看"}).status_code == 404
    assert client.get(f"/api/v1/areas/{_in(session, Area, 'LSW')}/children-stats", headers=staff).status_code == 404


def test_resident_sees_only_their_own_household(client, auth, session):
    me = auth.me("resident")
    headers = auth.headers("resident")
    own = client.get(f"/api/v1/households/{me['household_id']}", headers=headers)
    assert own.status_code == 200
    other = session.scalar(select(Household.id).where(Household.id != me["household_id"],
                                                      Household.area_path.startswith(me["area"]["path"])))
    assert client.get(f"/api/v1/households/{other}", headers=headers).status_code == 404
    neighbour = session.scalar(select(Resident.id).where(Resident.household_id != me["household_id"],
                                                         Resident.area_path.startswith(me["area"]["path"])))
    assert client.get(f"/api/v1/residents/{neighbour}", headers=headers).status_code == 404
    listed = client.get("/api/v1/residents?limit=100", headers=headers).get_json()["items"]
    assert listed and {r["household"]["id"] for r in listed} == {me["household_id"]}


def test_volunteer_sees_only_their_grid(client, auth, session):
    me = auth.me("volunteer")
    assert me["area"]["kind"] == "grid"
    listed = client.get("/api/v1/residents?limit=100", headers=auth.headers("volunteer")).get_json()["items"]
    assert listed and {r["grid"]["id"] for r in listed} == {me["area"]["id"]}
    outside = session.scalar(select(Resident.id).where(~Resident.area_path.startswith(me["area"]["path"])))
    assert client.get(f"/api/v1/residents/{outside}", headers=auth.headers("volunteer")).status_code == 404


def test_partner_sees_no_personal_data(client, auth, session):
    headers = auth.headers("partner")
    assert client.get("/api/v1/residents", headers=headers).get_json()["items"] == []
    assert client.get(f"/api/v1/residents/{_in(session, Resident, 'LSW')}", headers=headers).status_code == 404
    assert client.get(f"/api/v1/households/{_in(session, Household, 'LSW')}", headers=headers).status_code == 404
    assert client.get("/api/v1/audit-events", headers=headers).status_code == 403


def test_town_staff_sees_every_community(client, auth, session):
    for code in ("LSW", "ZXXY", "SGW"):
        assert client.get(f"/api/v1/residents/{_in(session, Resident, code)}",
                          headers=auth.headers("town")).status_code == 200


def test_claims_and_users_of_another_community_are_404(client, auth, session):
    claim = session.scalar(select(HouseholdClaim.id))
    r = client.post(f"/api/v1/household-claims/{claim}/review", headers=auth.headers("zxxy_staff"),
                    json={"decision": "approve"})
    assert r.status_code == 404
    user = session.scalar(select(User.id).where(User.phone == "13800000005"))
    assert client.patch(f"/api/v1/users/{user}", headers=auth.headers("zxxy_staff"),
                        json={"name": "x"}).status_code == 404


def test_audit_events_are_scoped(client, auth, session):
    resident = _in(session, Resident, "LSW")
    client.post(f"/api/v1/residents/{resident}/reveal", headers=auth.headers("lsw_staff"),
                json={"field": "phone", "reason": "核对联系方式"})
    lsw = client.get("/api/v1/audit-events?action=resident.reveal", headers=auth.headers("lsw_staff")).get_json()
    assert [e["resource_id"] for e in lsw["items"]] == [str(resident)]
    zxxy = client.get("/api/v1/audit-events?action=resident.reveal", headers=auth.headers("zxxy_staff")).get_json()
    assert zxxy["items"] == []
