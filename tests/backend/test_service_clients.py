"""A provider unit's own system runs its services through the API: services:read, services:write and
bookings:read client tokens, only on its own services, and nothing a resident does (booking)."""
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from steward.alliances.models import Unit
from steward.services.models import Service

from .test_oauth import _basic, _bearer

TEAM = "丽水湾红管家志愿者服务队"  # provides the demo's 爱心午餐 and 爱心理发


def _client_token(client, auth, session, scopes, unit=TEAM):
    unit_id = session.scalar(select(Unit.id).where(Unit.name == unit))
    r = client.post("/api/v1/api-clients", headers=auth.headers("lsw_staff"),
                    json={"name": "助餐点排班系统", "unit_id": unit_id, "scopes": scopes})
    assert r.status_code == 201, r.get_json()
    created = r.get_json()
    r = client.post("/api/v1/oauth/token", data={"grant_type": "client_credentials"},
                    headers=_basic(created["client_id"], created["client_secret"]))
    assert r.status_code == 200, r.get_json()
    assert r.get_json()["scope"] == " ".join(sorted(scopes))
    return _bearer(r.get_json()["access_token"])


def _service(session, title, community="LSW"):
    return session.scalar(select(Service.id).join(Service.area).where(Service.title == title)
                          .where(Service.area.has(code=community)))


def test_a_provider_system_reads_its_roster_and_changes_its_schedule(client, auth, session):
    headers = _client_token(client, auth, session, ["services:read", "services:write", "bookings:read"])
    lunch = _service(session, "爱心午餐")
    day = datetime.now(timezone(timedelta(hours=8))).date().isoformat()
    got = client.get(f"/api/v1/services/{lunch}", headers=headers)
    assert got.status_code == 200, got.get_json()
    roster = client.get(f"/api/v1/services/{lunch}/roster?day={day}", headers=headers)
    assert roster.status_code == 200 and "items" in roster.get_json()
    report = client.get(f"/api/v1/services/reports/daily?since={day}&until={day}", headers=headers)
    assert report.status_code == 200, report.get_json()
    assert {row["service_id"] for row in report.get_json()["items"]} <= {lunch, _service(session, "爱心理发")}
    r = client.patch(f"/api/v1/services/{lunch}", json={"description": "每餐 10 元，可送餐上门。"},
                     headers={**headers, "If-Match": got.headers["ETag"]})
    assert r.status_code == 200 and r.get_json()["description"] == "每餐 10 元，可送餐上门。"


def test_a_read_only_provider_system_cannot_change_anything(client, auth, session):
    headers = _client_token(client, auth, session, ["services:read"])
    lunch = _service(session, "爱心午餐")
    got = client.get(f"/api/v1/services/{lunch}", headers=headers)
    assert got.status_code == 200
    r = client.patch(f"/api/v1/services/{lunch}", json={"description": "改"},
                     headers={**headers, "If-Match": got.headers["ETag"]})
    assert r.status_code == 403 and r.get_json()["type"].endswith("/insufficient-scope")
    day = datetime.now(timezone.utc).date().isoformat()
    assert client.get(f"/api/v1/services/{lunch}/roster?day={day}", headers=headers).status_code == 403


@pytest.mark.parametrize("method, path", [
    ("post", "/api/v1/bookings"), ("get", "/api/v1/residents"), ("get", "/api/v1/notices"),
])
def test_a_provider_system_does_nothing_outside_its_scopes(client, auth, session, method, path):
    headers = _client_token(client, auth, session, ["services:read", "services:write", "bookings:read"])
    r = getattr(client, method)(path, headers=headers, **({"json": {"slot_id": 1}} if method == "post" else {}))
    assert r.status_code == 403 and r.get_json()["type"].endswith("/client-not-allowed")


def test_another_units_services_are_not_a_provider_systems_to_run(client, auth, session):
    headers = _client_token(client, auth, session, ["services:read", "services:write", "bookings:read"])
    legal = _service(session, "法律咨询", community=None) or session.scalar(
        select(Service.id).where(Service.title == "法律咨询"))
    day = datetime.now(timezone.utc).date().isoformat()
    assert client.get(f"/api/v1/services/{legal}/roster?day={day}", headers=headers).status_code in (403, 404)
    got = client.get(f"/api/v1/services/{legal}", headers=headers)
    if got.status_code == 200:  # a town-wide service is public; running it is not
        r = client.patch(f"/api/v1/services/{legal}", json={"description": "改"},
                         headers={**headers, "If-Match": got.headers["ETag"]})
        assert r.status_code in (403, 404)
    zxxy_haircut = _service(session, "爱心理发", community="ZXXY")
    assert client.get(f"/api/v1/services/{zxxy_haircut}/roster?day={day}", headers=headers).status_code == 404
