"""OAuth2 client credentials (RFC 6749 §4.4): the token endpoint's rules, and what a client token may do."""
import base64
from datetime import timedelta
from urllib.parse import quote_plus

import pytest
from sqlalchemy import func, select

from steward.audit.models import AuditEvent
from steward.db import utcnow
from steward.partners.demo import DEMO_CLIENT_ID, DEMO_SECRET
from steward.partners.models import ApiClient

from .test_cases import _report, _step, _units

API = "/api/v1"
TOKEN = f"{API}/oauth/token"
FORM = "application/x-www-form-urlencoded"


def _basic(client_id, secret):
    raw = f"{quote_plus(client_id)}:{quote_plus(secret)}".encode()
    return {"Authorization": "Basic " + base64.b64encode(raw).decode()}


def _token(client, client_id=DEMO_CLIENT_ID, secret=DEMO_SECRET, **form):
    r = client.post(TOKEN, data={"grant_type": "client_credentials", **form}, headers=_basic(client_id, secret))
    assert r.status_code == 200, r.get_json()
    return r.get_json()["access_token"]


def _bearer(token):
    return {"Authorization": f"Bearer {token}"}


def _demo(session):
    return session.scalar(select(ApiClient).where(ApiClient.client_id == DEMO_CLIENT_ID))


def _dispatched(client, auth, session):
    """A fresh case dispatched to the demo client's unit (丽水湾物业服务中心); (case id, its part id)."""
    cid = _report(client, auth, session).get_json()["id"]
    unit, = _units(session, "丽水湾物业服务中心")
    r = _step(client, auth, cid, "dispatch", "lsw_staff", unit_ids=[unit])
    assert r.status_code == 200, r.get_json()
    return cid, next(p["id"] for p in r.get_json()["parts"] if p["unit"]["id"] == unit)


def test_a_token_by_http_basic_and_by_the_body(client):
    r = client.post(TOKEN, data={"grant_type": "client_credentials"}, headers=_basic(DEMO_CLIENT_ID, DEMO_SECRET))
    body = r.get_json()
    assert r.status_code == 200 and r.headers["Cache-Control"] == "no-store" and r.headers["Pragma"] == "no-cache"
    assert body["token_type"] == "Bearer" and body["expires_in"] == 900 and body["scope"] == "cases:read cases:write"
    r = client.post(TOKEN, data={"grant_type": "client_credentials", "client_id": DEMO_CLIENT_ID,
                                 "client_secret": DEMO_SECRET, "scope": "cases:read"})
    assert r.status_code == 200 and r.get_json()["scope"] == "cases:read"


@pytest.mark.parametrize("form, headers, status, error", [
    ({"grant_type": "client_credentials"}, _basic(DEMO_CLIENT_ID, DEMO_SECRET + "x"), 401, "invalid_client"),
    ({"grant_type": "client_credentials"}, _basic("stw_nobody0000", DEMO_SECRET), 401, "invalid_client"),
    ({"grant_type": "client_credentials"}, {}, 401, "invalid_client"),
    ({"grant_type": "client_credentials"}, {"Authorization": "Basic !!!"}, 401, "invalid_client"),
    ({"grant_type": "client_credentials"}, {"Authorization": "Bearer x"}, 401, "invalid_client"),
    ({"grant_type": "client_credentials", "client_id": DEMO_CLIENT_ID, "client_secret": "x" * 43}, {}, 401,
     "invalid_client"),
    ({"grant_type": "client_credentials", "client_secret": DEMO_SECRET}, _basic(DEMO_CLIENT_ID, DEMO_SECRET), 400,
     "invalid_request"),
    ({}, _basic(DEMO_CLIENT_ID, DEMO_SECRET), 400, "invalid_request"),
    ({"grant_type": "password"}, _basic(DEMO_CLIENT_ID, DEMO_SECRET), 400, "unsupported_grant_type"),
    ({"grant_type": "client_credentials", "scope": "cases:delete"}, _basic(DEMO_CLIENT_ID, DEMO_SECRET), 400,
     "invalid_scope"),
    ({"grant_type": "client_credentials", "scope": "cases:read  cases:write"}, _basic(DEMO_CLIENT_ID, DEMO_SECRET),
     400, "invalid_scope"),
])
def test_rfc6749_errors(client, form, headers, status, error):
    r = client.post(TOKEN, data=form, headers=headers)
    assert r.status_code == status and r.get_json()["error"] == error, r.get_json()
    assert r.headers["Cache-Control"] == "no-store" and "access_token" not in r.get_json()
    if status == 401:
        assert r.headers["WWW-Authenticate"].startswith("Basic realm=")


def test_json_bodies_and_repeated_parameters_are_invalid_requests(client):
    r = client.post(TOKEN, json={"grant_type": "client_credentials"}, headers=_basic(DEMO_CLIENT_ID, DEMO_SECRET))
    assert r.status_code == 400 and r.get_json()["error"] == "invalid_request"
    r = client.post(TOKEN, data="grant_type=client_credentials&grant_type=client_credentials", content_type=FORM,
                    headers=_basic(DEMO_CLIENT_ID, DEMO_SECRET))
    assert r.status_code == 400 and r.get_json()["error"] == "invalid_request"


def test_a_scope_beyond_the_clients_is_refused(client, session):
    _demo(session).scopes = ["cases:read"]
    session.commit()
    r = client.post(TOKEN, data={"grant_type": "client_credentials", "scope": "cases:write"},
                    headers=_basic(DEMO_CLIENT_ID, DEMO_SECRET))
    assert r.status_code == 400 and r.get_json()["error"] == "invalid_scope"


def test_a_client_token_acts_as_its_unit_on_the_partner_routes(client, auth, session):
    cid, part = _dispatched(client, auth, session)
    token = _token(client)
    listed = client.get(f"{API}/cases?limit=100", headers=_bearer(token)).get_json()["items"]
    as_partner_user = client.get(f"{API}/cases?limit=100", headers=auth.headers("partner")).get_json()["items"]
    assert [c["id"] for c in listed] == [c["id"] for c in as_partner_user] and cid in {c["id"] for c in listed}
    assert client.get(f"{API}/cases/{cid}", headers=_bearer(token)).status_code == 200
    r = client.patch(f"{API}/cases/{cid}/parts/{part}", json={"status": "in_progress", "note": "已派维修工"},
                     headers=_bearer(token))
    assert r.status_code == 200 and r.get_json()["status"] == "in_progress", r.get_json()
    events = client.get(f"{API}/cases/{cid}/events", headers=_bearer(token)).get_json()["items"]
    assert any(e["kind"] == "part_updated" and e["actor"]["name"] == "丽水湾物业 报修系统（演示）" for e in events), events
    actions = session.scalars(select(AuditEvent.detail).where(AuditEvent.action == "api.call",
                                                              AuditEvent.api_client_id == _demo(session).id)).all()
    assert {(d["method"], d["status"]) for d in actions} >= {("GET", 200), ("PATCH", 200)}


def test_a_read_only_token_cannot_write_and_no_token_opens_other_routes(client, auth, session):
    cid, part = _dispatched(client, auth, session)
    token = _token(client, scope="cases:read")
    r = client.patch(f"{API}/cases/{cid}/parts/{part}", json={"status": "done"}, headers=_bearer(token))
    assert r.status_code == 403 and r.get_json()["type"].endswith("insufficient-scope")
    for path in ("/me", "/residents", "/api-clients", "/notifications", f"/cases/{cid}/mediations"):
        r = client.get(API + path, headers=_bearer(token))
        assert r.status_code == 403 and r.get_json()["type"].endswith("client-not-allowed"), path
    assert _step(client, auth, cid, "accept", "lsw_staff").status_code in (200, 409)
    r = client.post(f"{API}/cases/{cid}/close", json={}, headers=_bearer(_token(client)))
    assert r.status_code == 403
    refused = session.scalar(select(func.count()).select_from(AuditEvent).where(
        AuditEvent.action == "api.call", AuditEvent.api_client_id == _demo(session).id))
    assert refused >= 7  # refused calls are on record too


def test_another_units_case_is_404_to_a_client(client, auth, session):
    cid = _report(client, auth, session).get_json()["id"]
    other, = _units(session, "庄行镇城建中心")
    assert _step(client, auth, cid, "dispatch", "lsw_staff", unit_ids=[other]).status_code == 200
    token = _token(client)
    assert client.get(f"{API}/cases/{cid}", headers=_bearer(token)).status_code == 404
    assert client.get(f"{API}/cases/{cid}/events", headers=_bearer(token)).status_code == 404


@pytest.mark.parametrize("change", ["revoke", "expire", "unit"])
def test_a_revoked_or_expired_client_is_refused_on_the_next_request(client, session, change):
    token = _token(client)
    assert client.get(f"{API}/cases", headers=_bearer(token)).status_code == 200
    row = _demo(session)
    if change == "revoke":
        row.revoked_at = utcnow()
    elif change == "expire":
        row.expires_at = utcnow() - timedelta(seconds=1)
    else:
        row.unit.is_active = False
    session.commit()
    r = client.get(f"{API}/cases", headers=_bearer(token))
    assert r.status_code == 401 and r.headers["Content-Type"] == "application/problem+json"
    r = client.post(TOKEN, data={"grant_type": "client_credentials"}, headers=_basic(DEMO_CLIENT_ID, DEMO_SECRET))
    assert r.status_code == 401 and r.get_json()["error"] == "invalid_client"
    assert session.scalar(select(func.count()).select_from(AuditEvent).where(
        AuditEvent.action.in_(["api.call.refused", "oauth.token.refused"]), AuditEvent.api_client_id == row.id)) == 2


def test_rotation_keeps_the_old_secret_for_the_overlap_then_refuses_it(client, auth, session):
    old = _token(client)
    row = _demo(session)
    r = client.post(f"{API}/api-clients/{row.id}/rotate", json={"overlap_hours": 2}, headers=auth.headers("lsw_staff"))
    assert r.status_code == 200, r.get_json()
    new_secret = r.get_json()["client_secret"]
    assert new_secret != DEMO_SECRET and r.get_json()["api_key"] == f"{DEMO_CLIENT_ID}.{new_secret}"
    new = _token(client, secret=new_secret)
    also_old = _token(client)  # within the overlap the old secret still works
    for token in (old, new, also_old):
        assert client.get(f"{API}/cases", headers=_bearer(token)).status_code == 200
    session.refresh(row)
    row.previous_secret_expires_at = utcnow() - timedelta(seconds=1)  # the overlap is over
    session.commit()
    for token in (old, also_old):
        assert client.get(f"{API}/cases", headers=_bearer(token)).status_code == 401
    assert client.get(f"{API}/cases", headers=_bearer(new)).status_code == 200
    r = client.post(TOKEN, data={"grant_type": "client_credentials"}, headers=_basic(DEMO_CLIENT_ID, DEMO_SECRET))
    assert r.status_code == 401


def test_rotation_without_overlap_refuses_the_old_secret_at_once(client, auth, session):
    old = _token(client)
    row = _demo(session)
    r = client.post(f"{API}/api-clients/{row.id}/rotate", json={"overlap_hours": 0}, headers=auth.headers("lsw_staff"))
    assert r.status_code == 200
    assert client.get(f"{API}/cases", headers=_bearer(old)).status_code == 401
    assert client.post(TOKEN, data={"grant_type": "client_credentials"},
                       headers=_basic(DEMO_CLIENT_ID, DEMO_SECRET)).status_code == 401
    assert client.get(f"{API}/cases", headers=_bearer(_token(client, secret=r.get_json()["client_secret"]))).status_code == 200


@pytest.mark.parametrize("body", [{"overlap_hours": 169}, {"overlap_hours": -1}, {"overlap_hours": 2**40},
                                  {"secret": "mine"}])
def test_rotation_input_is_checked(client, auth, session, body):
    row = _demo(session)
    r = client.post(f"{API}/api-clients/{row.id}/rotate", json=body, headers=auth.headers("lsw_staff"))
    assert r.status_code in (400, 422)
    session.refresh(row)
    assert row.secret_version == 1


def test_only_the_clients_own_staff_rotate_it(client, auth, session):
    row = _demo(session)
    for who in ("zxxy_staff", "resident"):
        r = client.post(f"{API}/api-clients/{row.id}/rotate", json={}, headers=auth.headers(who))
        assert r.status_code == 404, who
    session.refresh(row)
    assert row.secret_version == 1


def test_idempotency_keys_of_clients_are_their_own(client, auth, session):
    cid, _ = _dispatched(client, auth, session)
    token = _token(client)
    r = client.post(f"{API}/cases/{cid}/comments", json={"note": "已收到"},
                    headers={**_bearer(token), "Idempotency-Key": "k-1"})
    again = client.post(f"{API}/cases/{cid}/comments", json={"note": "已收到"},
                        headers={**_bearer(token), "Idempotency-Key": "k-1"})
    assert r.status_code == 201 and again.get_json() == r.get_json()


def test_a_client_token_is_checked_with_one_statement(client, count_queries):
    token = _token(client)
    client.get(f"{API}/cases?limit=1", headers=_bearer(token))  # warm up caches
    with count_queries() as statements:
        assert client.get(f"{API}/cases?limit=1", headers=_bearer(token)).status_code == 200
    assert sum("FROM api_clients" in s for s in statements) == 1, statements


@pytest.mark.parametrize("form", [
    {"grant_type": "client_credentials", "client_id": "demo_lsw_property\x00", "client_secret": DEMO_SECRET},
    {"grant_type": "client_credentials", "client_id": "x" * 5000, "client_secret": "y" * 5000},
    {"grant_type": "client_credentials\x00"},
    {"grant_type": "client_credentials", "scope": "cases:read\x00"},
])
def test_hostile_token_requests_are_4xx_and_issue_nothing(client, session, form):
    headers = {} if "client_id" in form else _basic(DEMO_CLIENT_ID, DEMO_SECRET)
    before = session.scalar(select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "oauth.token"))
    r = client.post(TOKEN, data=form, headers=headers)
    assert r.status_code in (400, 401) and "access_token" not in r.get_json()
    assert session.scalar(select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "oauth.token")) == before
