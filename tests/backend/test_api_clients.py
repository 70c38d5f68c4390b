"""API clients of partner units: staff create (key shown once, stored hashed), list and revoke them, in scope."""
from datetime import timedelta

import pytest
from sqlalchemy import select

from steward.alliances.models import Unit
from steward.audit.models import AuditEvent
from steward.core.errors import Forbidden
from steward.db import utcnow
from steward.partners import keys
from steward.partners import service as partners
from steward.partners.demo import DEMO_API_KEY, DEMO_CLIENT_ID
from steward.partners.models import ApiClient

API = "/api/v1/api-clients"


def _unit(session, name="丽水湾物业服务中心"):
    return session.scalar(select(Unit.id).where(Unit.name == name))


def _create(client, auth, session, who="lsw_staff", unit="丽水湾物业服务中心", **extra):
    return client.post(API, headers=auth.headers(who), json={"name": "物业报修系统", "unit_id": _unit(session, unit),
                                                            **extra})


def test_staff_create_a_client_and_see_its_key_once(client, auth, session):
    r = _create(client, auth, session)
    assert r.status_code == 201, r.get_json()
    created = r.get_json()
    assert created["scopes"] == ["cases:read", "cases:write"] and created["is_active"] is True
    assert created["unit"]["name"] == "丽水湾物业服务中心" and created["created_by"]["id"] == auth.me("lsw_staff")["id"]
    client_id, secret = keys.split(created["api_key"])
    assert client_id == created["client_id"] and secret == created["client_secret"] and len(secret) >= 40
    assert r.headers["Location"].endswith(f"{API}/{created['id']}")

    row = session.get(ApiClient, created["id"])
    assert secret not in row.secret_hash and row.secret_hash.startswith("h1:") and len(row.secret_hash) == 67
    shown = client.get(f"{API}/{created['id']}", headers=auth.headers("lsw_staff")).get_json()
    listed = client.get(API, headers=auth.headers("lsw_staff")).get_json()["items"]
    assert created["id"] in {c["id"] for c in listed}
    for body in (shown, *listed):
        assert "api_key" not in body and "client_secret" not in body and "secret_hash" not in body
    principal = partners.authenticate(session, created["api_key"])
    assert principal.role == "partner" and principal.unit_id == created["unit"]["id"] and principal.id is None
    assert session.scalar(select(AuditEvent.id).where(AuditEvent.action == "api_client.create",
                                                      AuditEvent.resource_id == str(created["id"])))


def test_a_wrong_secret_an_unknown_client_and_junk_are_refused(session):
    client_id, secret = keys.split(DEMO_API_KEY)
    assert partners.authenticate(session, DEMO_API_KEY).client_id == DEMO_CLIENT_ID
    for key in (f"{client_id}.{secret[:-1]}x", f"stw_nobody123.{secret}", "junk", "", None, "a.b", "x" * 5000,
                f"{client_id}.{secret}\x00"):
        with pytest.raises(Forbidden):
            partners.authenticate(session, key)


def test_revoking_takes_effect_at_once_and_twice_changes_nothing(client, auth, session):
    created = _create(client, auth, session).get_json()
    r = client.post(f"{API}/{created['id']}/revoke", headers=auth.headers("lsw_staff"))
    assert r.status_code == 200 and r.get_json()["revoked_at"] and r.get_json()["is_active"] is False
    with pytest.raises(Forbidden) as refused:
        partners.authenticate(session, created["api_key"])
    assert refused.value.type == "api-key-revoked"
    again = client.post(f"{API}/{created['id']}/revoke", headers=auth.headers("lsw_staff")).get_json()
    assert again["revoked_at"] == r.get_json()["revoked_at"]
    assert created["id"] not in {c["id"] for c in client.get(API, headers=auth.headers("lsw_staff")).get_json()["items"]}
    assert created["id"] in {c["id"] for c in client.get(f"{API}?include_revoked=true",
                                                         headers=auth.headers("lsw_staff")).get_json()["items"]}


def test_an_expired_client_is_refused(client, auth, session):
    created = _create(client, auth, session, expires_at=(utcnow() + timedelta(days=1)).isoformat()).get_json()
    assert partners.authenticate(session, created["api_key"]).name == "物业报修系统"
    with pytest.raises(Forbidden) as refused:
        partners.authenticate(session, created["api_key"], now=utcnow() + timedelta(days=2))
    assert refused.value.type == "api-key-expired"


@pytest.mark.parametrize("who, unit, extra, field", [
    ("lsw_staff", "庄行新苑物业管理处", {}, "unit_id"),          # another community's unit: not visible
    ("lsw_staff", "庄行镇城建中心", {}, "unit_id"),              # a town-wide unit: town staff only
    ("lsw_staff", "丽水湾物业服务中心", {"scopes": ["cases:delete"]}, "scopes"),
    ("lsw_staff", "丽水湾物业服务中心", {"scopes": []}, "scopes"),
    ("lsw_staff", "丽水湾物业服务中心", {"expires_at": "2020-01-01T00:00:00+08:00"}, "expires_at"),
    ("lsw_staff", "丽水湾物业服务中心", {"secret": "mine"}, "secret"),
])
def test_invalid_clients_are_refused_and_nothing_is_stored(client, auth, session, who, unit, extra, field):
    before = session.scalar(select(ApiClient.id).order_by(ApiClient.id.desc()).limit(1))
    r = _create(client, auth, session, who=who, unit=unit, **extra)
    errors = r.get_json().get("errors", {})
    assert r.status_code == 422 and any(k == field or k.startswith(field + ".") for k in errors), r.get_json()
    assert session.scalar(select(ApiClient.id).order_by(ApiClient.id.desc()).limit(1)) == before


def test_town_staff_create_clients_for_town_wide_units(client, auth, session):
    r = _create(client, auth, session, who="town", unit="庄行镇城建中心", scopes=["cases:read"])
    assert r.status_code == 201 and r.get_json()["scopes"] == ["cases:read"]
    ids = {c["id"] for c in client.get(API, headers=auth.headers("lsw_staff")).get_json()["items"]}
    assert r.get_json()["id"] not in ids  # a community's staff do not see a town-wide unit's credentials


@pytest.mark.parametrize("who", ["volunteer", "resident"])
def test_only_staff_and_partner_accounts_list_and_create(client, auth, session, who):
    assert client.get(API, headers=auth.headers(who)).status_code == 403
    assert _create(client, auth, session, who=who).status_code == 403


def test_a_partner_account_manages_its_own_units_clients_only(client, auth, session):
    """The unit's people run its system: they see, create, rotate and revoke its clients — no other unit's."""
    listed = client.get(API, headers=auth.headers("partner")).get_json()["items"]
    assert listed and {c["unit"]["name"] for c in listed} == {"丽水湾物业服务中心"}
    created = _create(client, auth, session, who="partner")
    assert created.status_code == 201, created.get_json()
    cid = created.get_json()["id"]
    assert client.post(f"{API}/{cid}/rotate", json={"overlap_hours": 0}, headers=auth.headers("partner")).status_code == 200
    assert client.post(f"{API}/{cid}/revoke", headers=auth.headers("partner")).get_json()["revoked_at"]
    r = _create(client, auth, session, who="partner", unit="庄行镇城建中心")
    assert r.status_code == 422 and "unit_id" in r.get_json()["errors"]
    town = _create(client, auth, session, who="town", unit="庄行镇城建中心").get_json()
    for r in (client.get(f"{API}/{town['id']}", headers=auth.headers("partner")),
              client.post(f"{API}/{town['id']}/revoke", headers=auth.headers("partner"))):
        assert r.status_code == 404


@pytest.fixture
def foreign_client(make, session):
    """A client of a unit in another community than everyone in ``people``."""
    tree = make.tree()
    mine, other = tree.communities
    unit = Unit(area_id=other.area.id, area_path=other.area.path, kind="property_company", name="别处物业")
    session.add(unit)
    session.flush()
    row = ApiClient(client_id="stw_foreign0001", secret_hash="h1:" + "0" * 64, name="别处系统", unit_id=unit.id,
                    area_path=unit.area_path, scopes=["cases:read"])
    session.add(row)
    session.commit()
    people = {role: make.user(role, mine.area) for role in ("admin", "town_staff", "staff", "resident", "partner")}
    people["volunteer"] = make.user("volunteer", mine.grids[0])
    people["admin"].area_id, people["admin"].area_path = mine.area.id, mine.area.path  # a community-scoped admin
    people["town_staff"].area_id, people["town_staff"].area_path = mine.area.id, mine.area.path
    session.commit()
    return row, people, make.user("staff", other.area)


@pytest.mark.parametrize("role", ["admin", "town_staff", "staff", "volunteer", "resident", "partner"])
def test_another_communitys_client_is_404_for_every_role(client, make, foreign_client, role):
    row, people, _ = foreign_client
    headers = make.headers(people[role])
    for r in (client.get(f"{API}/{row.id}", headers=headers), client.post(f"{API}/{row.id}/revoke", headers=headers)):
        assert r.status_code == 404 and r.headers["Content-Type"] == "application/problem+json", r.get_json()
    assert row.revoked_at is None


def test_the_clients_own_community_staff_see_and_revoke_it(client, make, foreign_client):
    row, _, home_staff = foreign_client
    assert client.get(f"{API}/{row.id}", headers=make.headers(home_staff)).status_code == 200
    assert client.post(f"{API}/{row.id}/revoke", headers=make.headers(home_staff)).get_json()["revoked_at"]


def test_make_run_and_the_readme_print_the_demo_key():
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    assert DEMO_API_KEY in (root / "Makefile").read_text(encoding="utf-8")
    assert DEMO_API_KEY in (root / "README.md").read_text(encoding="utf-8")
