"""Sign-in, tokens, sessions and registration."""
from datetime import timedelta

from flask_jwt_extended import create_access_token
from sqlalchemy import func, select

from steward.audit.models import AuditEvent
from steward.auth.models import AuthSession
from steward.demo.seed import DEMO_PASSWORD
from steward.people.models import User

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


def _without_request_id(r):
    body = r.get_json()
    body.pop("request_id", None)
    return r.status_code, body, r.headers.get("WWW-Authenticate")


def test_a_disabled_account_answers_exactly_like_a_wrong_password(client, session, monkeypatch):
    from steward.auth import passwords, service

    user = session.scalar(select(User).where(User.phone == PHONES["volunteer"]))
    user.is_active = False
    session.commit()
    verified = []
    real = passwords.verify_password
    monkeypatch.setattr(service, "verify_password", lambda h, p: verified.append(p) or real(h, p))
    monkeypatch.setattr(passwords, "verify_password", lambda h, p: verified.append(p) or real(h, p))
    disabled = client.post(LOGIN, json={"phone": PHONES["volunteer"], "password": DEMO_PASSWORD})
    wrong = client.post(LOGIN, json={"phone": PHONES["resident"], "password": "Wrong2026x"})
    unknown = client.post(LOGIN, json={"phone": "13999999999", "password": "Wrong2026y"})
    assert _without_request_id(disabled) == _without_request_id(wrong) == _without_request_id(unknown)
    assert disabled.status_code == 401
    # one argon2 verification each: the same work whatever the reason
    assert verified == [DEMO_PASSWORD, "Wrong2026x", "Wrong2026y"]
    # the committee can still tell why in the audit log
    details = session.scalars(select(AuditEvent.detail).where(AuditEvent.action == "auth.login_failed")
                              .order_by(AuditEvent.id)).all()
    assert details[0] == {"phone": "138****0004", "reason": "disabled"} and "reason" not in details[1]


def test_a_stranger_cannot_lock_the_owner_out(client, app):
    limit = app.config["LOGIN_LIMIT_PER_PHONE"]
    stranger = {"REMOTE_ADDR": "203.0.113.9"}
    for _ in range(limit):
        assert client.post(LOGIN, json={"phone": PHONES["resident"], "password": "guess-1234"},
                           environ_base=stranger).status_code == 401
    r = client.post(LOGIN, json={"phone": PHONES["resident"], "password": DEMO_PASSWORD}, environ_base=stranger)
    assert r.status_code == 429 and int(r.headers["Retry-After"]) > 0
    # the owner, at home, signs in as usual
    r = client.post(LOGIN, json={"phone": PHONES["resident"], "password": DEMO_PASSWORD},
                    environ_base={"REMOTE_ADDR": "198.51.100.20"})
    assert r.status_code == 200


def test_a_phone_failing_from_many_addresses_is_slowed_down_not_locked(client, app):
    after, backoff = app.config["LOGIN_PHONE_BACKOFF_AFTER"], app.config["LOGIN_PHONE_BACKOFF_SECONDS"]
    for i in range(after):
        assert client.post(LOGIN, json={"phone": PHONES["resident"], "password": "guess-1234"},
                           environ_base={"REMOTE_ADDR": f"203.0.113.{i}"}).status_code == 401
    owner = {"REMOTE_ADDR": "198.51.100.20"}
    # one attempt per back-off period still goes through: the owner gets in
    assert client.post(LOGIN, json={"phone": PHONES["resident"], "password": DEMO_PASSWORD},
                       environ_base=owner).status_code == 200
    r = client.post(LOGIN, json={"phone": PHONES["resident"], "password": DEMO_PASSWORD},
                    environ_base={"REMOTE_ADDR": "203.0.113.200"})
    assert r.status_code == 429 and 0 < int(r.headers["Retry-After"]) <= backoff
    # other phones are not affected
    assert client.post(LOGIN, json={"phone": PHONES["volunteer"], "password": DEMO_PASSWORD},
                       environ_base=owner).status_code == 200


def test_login_records_the_address_for_town_staff_only(client, auth):
    client.post(LOGIN, json={"phone": PHONES["resident"], "password": DEMO_PASSWORD},
                environ_base={"REMOTE_ADDR": "198.51.100.77"})
    url = "/api/v1/audit-events?action=auth.login&limit=100"
    for who, shown in (("lsw_staff", False), ("town", True), ("admin", True)):
        items = client.get(url, headers=auth.headers(who)).get_json()["items"]
        assert items, who
        ips = {e["ip"] for e in items}
        assert ("198.51.100.77" in ips) == shown, who
        if not shown:
            assert ips == {None}
