"""Sign-in, tokens, sessions and registration."""
from datetime import timedelta

from flask_jwt_extended import create_access_token
from sqlalchemy import func, select

from steward.audit.models import AuditEvent
from steward.auth.models import AuthSession
from steward.demo.seed import DEMO_PASSWORD
from steward.people.models import HouseholdClaim, User

from .conftest import PHONES

LOGIN = "/api/v1/auth/login"


def test_login_returns_tokens_and_me(client):
    r = client.post(LOGIN, json={"phone": PHONES["resident"], "password": DEMO_PASSWORD})
    assert r.status_code == 200
    body = r.get_json()
    assert body["token_type"] == "Bearer" and body["expires_in"] == 900
    assert body["access_token"] and body["refresh_token"]
    assert body["user"]["role"] == "resident"
    assert body["user"]["area"]["name"] == "丽水湾"
    assert body["user"]["household_id"] is not None


def test_wrong_password_is_a_problem_and_audited(client, session):
    r = client.post(LOGIN, json={"phone": PHONES["resident"], "password": "wrong-password1"})
    assert r.status_code == 401
    assert r.headers["Content-Type"] == "application/problem+json"
    assert r.get_json()["detail"] == "手机号或密码不正确。"
    assert session.scalar(select(func.count()).select_from(AuditEvent).where(
        AuditEvent.action == "auth.login_failed")) == 1


def test_unknown_phone_gets_the_same_answer(client):
    r = client.post(LOGIN, json={"phone": "13999999999", "password": "whatever123"},
                    headers={"Accept-Language": "en"})
    assert r.status_code == 401
    assert r.get_json()["detail"] == "Phone number or password is incorrect."


def test_login_is_rate_limited_per_phone(client, app):
    limit = app.config["LOGIN_LIMIT_PER_PHONE"]
    for _ in range(limit):
        assert client.post(LOGIN, json={"phone": PHONES["resident"], "password": "bad-pass-123"}).status_code == 401
    r = client.post(LOGIN, json={"phone": PHONES["resident"], "password": DEMO_PASSWORD})
    assert r.status_code == 429
    assert int(r.headers["Retry-After"]) > 0
    assert r.get_json()["type"].endswith("/rate-limited")
    # another phone from the same address is not locked out
    assert client.post(LOGIN, json={"phone": PHONES["volunteer"], "password": DEMO_PASSWORD}).status_code == 200


def test_passwords_are_argon2id(session):
    user = session.scalar(select(User).where(User.phone == PHONES["admin"]))
    assert user.password_hash.startswith("$argon2id$")


def test_me_requires_a_token(client):
    r = client.get("/api/v1/me")
    assert r.status_code == 401
    assert r.headers["Content-Type"] == "application/problem+json"
    assert r.headers["WWW-Authenticate"] == "Bearer"


def test_garbage_token_is_401_not_500(client):
    for header in ("Bearer not-a-jwt", "Bearer a.b.c", "Basic abc", "Bearer"):
        r = client.get("/api/v1/me", headers={"Authorization": header})
        assert r.status_code == 401, header
        assert r.headers["Content-Type"] == "application/problem+json"


def test_expired_token_is_401(client, app, auth):
    me = auth.me("resident")
    sid = None
    with app.app_context():
        tokens = auth.tokens("resident")
        from flask_jwt_extended import decode_token
        sid = decode_token(tokens["access_token"])["sid"]
        expired = create_access_token(identity=str(me["id"]), additional_claims={"sid": sid},
                                      expires_delta=timedelta(seconds=-5))
    r = client.get("/api/v1/me", headers={"Authorization": f"Bearer {expired}", "Accept-Language": "en"})
    assert r.status_code == 401
    assert r.get_json()["detail"] == "The token has expired."


def test_logout_revokes_access_and_refresh(client, auth):
    tokens = auth.tokens("resident")
    headers = auth.headers("resident")
    assert client.get("/api/v1/me", headers=headers).status_code == 200
    assert client.post("/api/v1/auth/logout", headers=headers).status_code == 204
    r = client.get("/api/v1/me", headers=headers)
    assert r.status_code == 401
    assert r.get_json()["type"].endswith("/unauthorized")
    r = client.post("/api/v1/auth/refresh", headers={"Authorization": f"Bearer {tokens['refresh_token']}"})
    assert r.status_code == 401


def test_refresh_rotates_and_reuse_revokes_the_family(client, auth, session, app, monkeypatch):
    monkeypatch.setitem(app.config, "REFRESH_REUSE_GRACE_SECONDS", 0)  # a replay well after rotation
    first = auth.tokens("lsw_staff")
    r = client.post("/api/v1/auth/refresh", headers={"Authorization": f"Bearer {first['refresh_token']}"})
    assert r.status_code == 200
    second = r.get_json()
    assert second["refresh_token"] != first["refresh_token"]
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {second['access_token']}"}).status_code == 200
    # the first refresh token is replayed (stolen?): the whole session dies
    r = client.post("/api/v1/auth/refresh", headers={"Authorization": f"Bearer {first['refresh_token']}"})
    assert r.status_code == 401
    assert r.get_json()["type"].endswith("/refresh-reuse")
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {second['access_token']}"}).status_code == 401
    r = client.post("/api/v1/auth/refresh", headers={"Authorization": f"Bearer {second['refresh_token']}"})
    assert r.status_code == 401
    assert session.scalar(select(AuthSession.revoked_reason).where(AuthSession.revoked_at.is_not(None))) == "refresh_reuse"


def test_tokens_are_not_interchangeable(client, auth):
    tokens = auth.tokens("resident")
    r = client.get("/api/v1/me", headers={"Authorization": f"Bearer {tokens['refresh_token']}"})
    assert r.status_code == 401
    r = client.post("/api/v1/auth/refresh", headers={"Authorization": f"Bearer {tokens['access_token']}"})
    assert r.status_code == 401


def test_disabled_user_loses_access_at_once(client, auth, session):
    headers = auth.headers("volunteer")
    user = session.scalar(select(User).where(User.phone == PHONES["volunteer"]))
    user.is_active = False
    session.commit()
    assert client.get("/api/v1/me", headers=headers).status_code == 401


def test_role_is_read_from_the_database_not_the_token(client, auth, session):
    headers = auth.headers("lsw_staff")
    assert client.get("/api/v1/household-claims", headers=headers).status_code == 200
    user = session.scalar(select(User).where(User.phone == PHONES["lsw_staff"]))
    user.role = "resident"
    session.commit()
    assert client.get("/api/v1/household-claims", headers=headers).status_code == 403


def _communities(client):
    r = client.get("/api/v1/public/communities")
    assert r.status_code == 200
    return {c["code"]: c for c in r.get_json()["items"]}


def test_register_then_staff_verifies_the_household(client, auth, session):
    lsw = _communities(client)["LSW"]
    r = client.post("/api/v1/auth/register", json={
        "phone": "13912345678", "password": "Neighbour2026", "name": "孙小梅",
        "community_id": lsw["id"], "building": "3", "unit": "1", "room": "201"})
    assert r.status_code == 201, r.get_json()
    me = r.get_json()
    assert me["role"] == "resident" and me["household_id"] is None
    assert me["claim"]["status"] == "pending"
    assert me["claim"]["address"] == "丽水湾3号楼1单元201室"

    staff = auth.headers("lsw_staff")
    claims = client.get("/api/v1/household-claims?status=pending", headers=staff).get_json()["items"]
    claim = next(c for c in claims if c["user"]["name"] == "孙小梅")
    assert claim["user"]["phone"] == "139****5678"
    r = client.post(f"/api/v1/household-claims/{claim['id']}/review", json={"decision": "approve"}, headers=staff)
    assert r.status_code == 200 and r.get_json()["status"] == "approved"
    r = client.post(f"/api/v1/household-claims/{claim['id']}/review", json={"decision": "reject"}, headers=staff)
    assert r.status_code == 409
    assert r.get_json()["state"] == "approved" and r.get_json()["allowed"] == []

    r = client.post(LOGIN, json={"phone": "13912345678", "password": "Neighbour2026"})
    me = r.get_json()["user"]
    assert me["household_id"] == claim["household_id"]
    household = client.get(f"/api/v1/households/{me['household_id']}",
                           headers={"Authorization": f"Bearer {r.get_json()['access_token']}"}).get_json()
    assert "孙小梅" in [p["name"] for p in household["residents"]]


def test_register_rejects_bad_input_with_field_messages(client, session):
    before = session.scalar(select(func.count()).select_from(User))
    lsw = _communities(client)["LSW"]
    r = client.post("/api/v1/auth/register", json={
        "phone": "12345", "password": "short", "name": "", "community_id": lsw["id"],
        "building": "3", "unit": "1", "room": "201"})
    assert r.status_code == 422
    errors = r.get_json()["errors"]
    assert set(errors) == {"phone", "password", "name"}
    assert errors["phone"] == ["请输入以 1 开头的 11 位手机号码。"]
    r = client.post("/api/v1/auth/register", json={
        "phone": "13912345679", "password": "Neighbour2026", "name": "孙小梅", "community_id": lsw["id"],
        "building": "999", "unit": "1", "room": "201"})
    assert r.status_code == 422 and "room" in r.get_json()["errors"]
    r = client.post("/api/v1/auth/register", json={
        "phone": PHONES["resident"], "password": "Neighbour2026", "name": "冒名", "community_id": lsw["id"],
        "building": "3", "unit": "1", "room": "201"})
    assert r.status_code == 422 and "phone" in r.get_json()["errors"]
    assert session.scalar(select(func.count()).select_from(User)) == before
    assert session.scalar(select(func.count()).select_from(HouseholdClaim).where(
        HouseholdClaim.status == "pending")) == 1


def test_me_names_the_community_even_for_a_grid_volunteer(client, auth):
    me = client.get("/api/v1/me", headers=auth.headers("volunteer")).get_json()
    assert me["area"]["kind"] == "grid"
    assert me["community"]["name"] == "丽水湾"
    assert client.get("/api/v1/me", headers=auth.headers("town")).get_json()["community"] is None


def test_password_change_signs_out_other_devices(client, auth):
    phone = PHONES["zxxy_resident"]
    other = client.post(LOGIN, json={"phone": phone, "password": DEMO_PASSWORD}).get_json()
    headers = auth.headers("zxxy_resident")
    r = client.post("/api/v1/me/password", headers=headers,
                    json={"current_password": "not-it-123", "new_password": "Changed2026x"})
    assert r.status_code == 422 and r.get_json()["errors"]["current_password"] == ["当前密码不正确。"]
    r = client.post("/api/v1/me/password", headers=headers,
                    json={"current_password": DEMO_PASSWORD, "new_password": "short"})
    assert r.status_code == 422 and "new_password" in r.get_json()["errors"]
    r = client.post("/api/v1/me/password", headers=headers,
                    json={"current_password": DEMO_PASSWORD, "new_password": "Changed2026x"})
    assert r.status_code == 204
    assert client.get("/api/v1/me", headers=headers).status_code == 200  # this device stays in
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {other['access_token']}"}).status_code == 401
    assert client.post(LOGIN, json={"phone": phone, "password": DEMO_PASSWORD}).status_code == 401
    assert client.post(LOGIN, json={"phone": phone, "password": "Changed2026x"}).status_code == 200


def test_create_admin_command_makes_a_working_admin(client, app):
    from steward.db import unit_of_work
    from steward.demo.seed import create_admin

    with app.app_context(), unit_of_work(write=True):  # as `python -m steward create-admin` runs it
        create_admin(phone="13900000001", name="新管理员", password="Admin2026pass")
    r = client.post(LOGIN, json={"phone": "13900000001", "password": "Admin2026pass"})
    assert r.status_code == 200 and r.get_json()["user"]["role"] == "admin"
    assert r.get_json()["user"]["area"]["kind"] == "town"


def test_a_rejected_claimant_reads_the_committees_note(client, auth):
    staff = auth.headers("lsw_staff")
    claim = client.get("/api/v1/household-claims?status=pending", headers=staff).get_json()["items"][0]
    r = client.post(f"/api/v1/household-claims/{claim['id']}/review", headers=staff,
                    json={"decision": "reject", "note": "该户登记的是其他住户，请到居委会核对"})
    assert r.status_code == 200 and r.get_json()["status"] == "rejected"
    me = client.get("/api/v1/me", headers=auth.headers("pending")).get_json()
    assert me["claim"] == {"id": claim["id"], "status": "rejected", "address": claim["address"],
                           "note": "该户登记的是其他住户，请到居委会核对"}
    assert me["household_id"] is None


def test_a_just_replaced_refresh_token_is_refused_without_signing_out(client, auth, app, monkeypatch):
    first = auth.tokens("lsw_staff")
    second = client.post("/api/v1/auth/refresh", headers={"Authorization": f"Bearer {first['refresh_token']}"}).get_json()
    # a second tab presents the same (now replaced) token a moment later
    r = client.post("/api/v1/auth/refresh", headers={"Authorization": f"Bearer {first['refresh_token']}"})
    assert r.status_code == 401 and r.get_json()["type"].endswith("/refresh-superseded")
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {second['access_token']}"}).status_code == 200
    third = client.post("/api/v1/auth/refresh", headers={"Authorization": f"Bearer {second['refresh_token']}"})
    assert third.status_code == 200
    # outside the grace window the same replay is treated as theft
    monkeypatch.setitem(app.config, "REFRESH_REUSE_GRACE_SECONDS", 0)
    r = client.post("/api/v1/auth/refresh", headers={"Authorization": f"Bearer {second['refresh_token']}"})
    assert r.status_code == 401 and r.get_json()["type"].endswith("/refresh-reuse")
    token = third.get_json()["access_token"]
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}).status_code == 401
