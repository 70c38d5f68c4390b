"""Idempotency-Key: a replay passes the same checks as a first call, is audited, sensitive answers rest
encrypted, records expire and are purged, and each caller's live keys are capped."""
from datetime import timedelta

from sqlalchemy import func, select, update

from steward.areas.models import Area
from steward.audit.models import AuditEvent
from steward.core.idempotency import IdempotencyRecord, purge_expired
from steward.db import utcnow
from steward.people.models import Resident, User

from .conftest import PHONES
from .test_conventions import assert_problem
from .test_residents import VALID_ID, _new


def _user(session, who) -> User:
    return session.scalar(select(User).where(User.phone == PHONES[who]))


def _create(client, auth, key, who="lsw_staff"):
    body = {"household_id": auth.me("resident")["household_id"], "name": "重试者"}
    return client.post("/api/v1/residents", headers=auth.headers(who, **{"Idempotency-Key": key}), json=body)


def _replays(session) -> int:
    return session.scalar(select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "request.replay"))


def test_a_replay_is_audited(client, auth, session):
    first = _create(client, auth, "audited-1")
    assert first.status_code == 201 and "Idempotent-Replayed" not in first.headers
    assert _replays(session) == 0
    again = _create(client, auth, "audited-1")
    assert again.status_code == 201 and again.headers["Idempotent-Replayed"] == "true"
    event = session.scalar(select(AuditEvent).where(AuditEvent.action == "request.replay"))
    assert event.actor_id == _user(session, "lsw_staff").id
    assert event.detail == {"method": "POST", "path": "/api/v1/residents", "status": 201}


def test_a_replay_after_losing_the_role_is_forbidden(client, auth, session):
    headers = auth.headers("lsw_staff")  # log in before the role changes
    assert _create(client, auth, "role-1").status_code == 201
    user = _user(session, "lsw_staff")
    user.role = "partner"
    session.commit()
    r = client.post("/api/v1/residents", headers={**headers, "Idempotency-Key": "role-1"},
                    json={"household_id": auth.me("resident")["household_id"], "name": "重试者"})
    assert assert_problem(r, 403)
    assert "Idempotent-Replayed" not in r.headers
    assert _replays(session) == 0


def test_a_replay_after_losing_the_scope_is_not_found(client, auth, session):
    rid = _new(client, auth).get_json()["id"]
    headers = auth.headers("lsw_staff", **{"Idempotency-Key": "reveal-1"})
    body = {"field": "phone", "reason": "上门走访"}
    first = client.post(f"/api/v1/residents/{rid}/reveal", headers=headers, json=body)
    assert first.status_code == 200
    other = session.scalar(select(Area).where(Area.id == auth.me("zxxy_staff")["area"]["id"]))
    user = _user(session, "lsw_staff")
    user.area_id, user.area_path = other.id, other.path
    session.commit()
    r = client.post(f"/api/v1/residents/{rid}/reveal", headers=headers, json=body)
    assert assert_problem(r, 404)
    assert "13612345678" not in r.get_data(as_text=True)


def test_a_replay_is_stored_answer_even_when_the_state_moved_on(client, auth, session):
    """Only access problems (401/403/404) beat the stored answer; a state check (409) does not."""
    pending = client.get("/api/v1/household-claims?status=pending", headers=auth.headers("lsw_staff")).get_json()
    claim_id = pending["items"][0]["id"]
    headers = auth.headers("lsw_staff", **{"Idempotency-Key": "review-1"})
    first = client.post(f"/api/v1/household-claims/{claim_id}/review", headers=headers, json={"decision": "reject"})
    assert first.status_code == 200
    again = client.post(f"/api/v1/household-claims/{claim_id}/review", headers=headers, json={"decision": "reject"})
    assert again.status_code == 200 and again.headers["Idempotent-Replayed"] == "true"
    assert again.get_json() == first.get_json()
    # without the key the same request is refused as already reviewed
    r = client.post(f"/api/v1/household-claims/{claim_id}/review", headers=auth.headers("lsw_staff"),
                    json={"decision": "reject"})
    assert assert_problem(r, 409)


def test_a_replay_writes_nothing_but_its_audit_row(client, auth, session):
    assert _create(client, auth, "writes-1").status_code == 201
    residents = session.scalar(select(func.count()).select_from(Resident))
    events = session.scalar(select(func.count()).select_from(AuditEvent))
    assert _create(client, auth, "writes-1").status_code == 201
    assert session.scalar(select(func.count()).select_from(Resident)) == residents
    assert session.scalar(select(func.count()).select_from(AuditEvent)) == events + 1


def test_sensitive_answers_are_stored_encrypted(client, auth, session):
    rid = _new(client, auth).get_json()["id"]
    headers = auth.headers("lsw_staff", **{"Idempotency-Key": "reveal-2"})
    body = {"field": "id_card", "reason": "办理高龄补贴"}
    first = client.post(f"/api/v1/residents/{rid}/reveal", headers=headers, json=body)
    assert first.get_json() == {"field": "id_card", "value": VALID_ID}
    stored = session.scalar(select(IdempotencyRecord.body).where(IdempotencyRecord.key == "reveal-2"))
    assert VALID_ID not in stored and stored.startswith("aesgcm:")
    again = client.post(f"/api/v1/residents/{rid}/reveal", headers=headers, json=body)
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.get_json() == first.get_json()
    assert _replays(session) == 1


def test_public_routes_key_by_address_whatever_token_is_sent(client, auth, session):
    body = {"phone": "13712340000", "password": "Secret123", "name": "新居民", "community_id": 999999,
            "building": "1", "unit": "1", "room": "101"}
    headers = auth.headers("resident", **{"Idempotency-Key": "register-1"})
    r = client.post("/api/v1/auth/register", headers=headers, json=body)
    assert r.status_code in (404, 422), r.get_json()
    headers["Authorization"] = "Bearer not-even-a-token"
    assert client.post("/api/v1/auth/register", headers=headers, json=body).status_code == r.status_code


def _age(session, key=None, hours=25):
    stmt = update(IdempotencyRecord).values(created_at=utcnow() - timedelta(hours=hours))
    session.execute(stmt.where(IdempotencyRecord.key == key) if key else stmt)
    session.commit()


def test_expired_records_are_purged(client, auth, session):
    for key in ("old-1", "old-2"):
        assert _create(client, auth, key).status_code == 201
    assert _create(client, auth, "old-3", who="admin").status_code == 201
    _age(session)
    assert _create(client, auth, "fresh-1").status_code == 201  # purges this caller's expired keys
    keys = set(session.scalars(select(IdempotencyRecord.key)))
    assert keys == {"old-3", "fresh-1"}
    assert purge_expired(session) == 1  # the job queue's purge takes everyone's
    assert set(session.scalars(select(IdempotencyRecord.key))) == {"fresh-1"}


def test_an_expired_key_runs_again(client, auth, session):
    first = _create(client, auth, "expired-1")
    _age(session, "expired-1")
    again = _create(client, auth, "expired-1")
    assert again.status_code == 201 and "Idempotent-Replayed" not in again.headers
    assert again.get_json()["id"] != first.get_json()["id"]


def test_live_keys_per_caller_are_capped(app, client, auth, session, monkeypatch):
    monkeypatch.setitem(app.config, "IDEMPOTENCY_MAX_KEYS", 2)
    assert _create(client, auth, "cap-1").status_code == 201
    assert _create(client, auth, "cap-2").status_code == 201
    r = _create(client, auth, "cap-3")
    body = assert_problem(r, 429)
    assert body["type"].endswith("/idempotency-keys-exhausted") and "Retry-After" in r.headers
    assert _create(client, auth, "cap-2").headers["Idempotent-Replayed"] == "true"  # replays still work
    assert _create(client, auth, "cap-1", who="admin").status_code == 201  # the cap is per caller
    _age(session, "cap-1")
    assert _create(client, auth, "cap-3").status_code == 201  # an expired key frees its place
