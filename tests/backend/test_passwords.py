"""Forgotten passwords (SMS code), passwords set by staff (forced change), and changing one's phone."""
import pytest
from sqlalchemy import func, select

from steward.audit.models import AuditEvent
from steward.auth.models import AuthSession
from steward.demo.seed import DEMO_PASSWORD
from steward.people.models import Resident, User

from .conftest import PHONES, needs_text_check

LOGIN = "/api/v1/auth/login"
RESET = "/api/v1/auth/password-reset"


def _login(client, phone, password=DEMO_PASSWORD):
    return client.post(LOGIN, json={"phone": phone, "password": password})


def _bearer(tokens):
    return {"Authorization": f"Bearer {tokens['access_token']}"}


def _user_id(session, who):
    return session.scalar(select(User.id).where(User.phone == PHONES[who]))


def _live_sessions(session, user_id):
    return session.scalar(select(func.count()).select_from(AuthSession).where(
        AuthSession.user_id == user_id, AuthSession.revoked_at.is_(None)))


# ------------------------------------------------------------------ forgotten password
def test_forgotten_password_by_sms_code_ends_every_session(client, sms, session):
    phone = PHONES["zxxy_resident"]
    devices = [_login(client, phone).get_json() for _ in range(2)]
    r = client.post(RESET, json={"phone": phone, "code": sms.code(phone, "reset_password"),
                                 "new_password": "Remember2026"})
    assert r.status_code == 204
    for tokens in devices:
        assert client.get("/api/v1/me", headers=_bearer(tokens)).status_code == 401
    assert _login(client, phone).status_code == 401
    assert _login(client, phone, "Remember2026").status_code == 200
    event = session.scalar(select(AuditEvent).where(AuditEvent.action == "auth.password_reset"))
    assert event.detail == {"by": "sms_code", "sessions_ended": 2}


def test_a_wrong_code_and_an_unknown_phone_get_the_same_answer(client, sms):
    phone, stranger = PHONES["zxxy_resident"], "13911112222"
    sms.code(phone, "reset_password")
    assert sms.send(stranger, "reset_password").status_code == 202  # nothing is sent to an unknown phone
    answers = []
    for p in (phone, stranger):
        r = client.post(RESET, json={"phone": p, "code": "123456", "new_password": "Remember2026"})
        body = r.get_json()
        body.pop("request_id")
        answers.append((r.status_code, body))
    assert answers[0] == answers[1]
    assert answers[0][0] == 422 and answers[0][1]["errors"] == {"code": ["验证码错误或已过期，请重新获取。"]}
    assert _login(client, phone).status_code == 200


def test_a_reset_by_code_lifts_the_login_back_off(client, sms, app):
    phone = PHONES["zxxy_resident"]
    for _ in range(app.config["LOGIN_LIMIT_PER_PHONE"]):
        client.post(LOGIN, json={"phone": phone, "password": "forgot-it-1"})
    assert _login(client, phone).status_code == 429
    client.post(RESET, json={"phone": phone, "code": sms.code(phone, "reset_password"),
                             "new_password": "Remember2026"})
    assert _login(client, phone, "Remember2026").status_code == 200


# ------------------------------------------------------------------ passwords set by staff
def test_a_staff_reset_signs_out_audits_and_forces_a_new_password(client, auth, session):
    target = _user_id(session, "resident")
    old = auth.tokens("resident")
    r = client.post(f"/api/v1/users/{target}/password-reset", headers=auth.headers("lsw_staff"),
                    json={"new_password": "Office2026x"})
    assert r.status_code == 204
    assert _live_sessions(session, target) == 0
    assert client.get("/api/v1/me", headers=_bearer(old)).status_code == 401
    event = session.scalar(select(AuditEvent).where(AuditEvent.action == "user.password_reset"))
    assert event.resource_id == str(target) and event.actor_role == "staff"
    assert "Office2026x" not in str(event.detail)

    tokens = _login(client, PHONES["resident"], "Office2026x").get_json()
    assert tokens["user"]["must_change_password"] is True
    headers = _bearer(tokens)
    r = client.get("/api/v1/residents", headers=headers)
    assert r.status_code == 403 and r.get_json()["type"].endswith("/password-change-required")
    assert client.post("/api/v1/me/household-claims", headers=headers, json={"household_id": 1}).status_code == 403
    assert client.get("/api/v1/me", headers=headers).get_json()["must_change_password"] is True
    refreshed = client.post("/api/v1/auth/refresh", headers={"Authorization": f"Bearer {tokens['refresh_token']}"})
    assert refreshed.status_code == 200
    headers = _bearer(refreshed.get_json())
    r = client.post("/api/v1/me/password", headers=headers,
                    json={"current_password": "Office2026x", "new_password": "MyOwn2026pw"})
    assert r.status_code == 204
    assert client.get("/api/v1/residents", headers=headers).status_code == 200
    assert client.get("/api/v1/me", headers=headers).get_json()["must_change_password"] is False


def test_logout_works_while_a_password_change_is_due(client, auth, session):
    client.post(f"/api/v1/users/{_user_id(session, 'resident')}/password-reset", headers=auth.headers("lsw_staff"),
                json={"new_password": "Office2026x"})
    headers = _bearer(_login(client, PHONES["resident"], "Office2026x").get_json())
    assert client.post("/api/v1/auth/logout", headers=headers).status_code == 204


def test_own_password_only_with_the_current_one(client, auth, session):
    me = _user_id(session, "lsw_staff")
    staff = auth.headers("lsw_staff")
    r = client.post(f"/api/v1/users/{me}/password-reset", headers=staff, json={"new_password": "Office2026x"})
    assert r.status_code == 403 and r.get_json()["type"].endswith("/own-password")
    r = client.patch(f"/api/v1/users/{me}", headers=staff, json={"password": "Office2026x"})
    assert r.status_code == 422 and r.get_json()["errors"] == {"password": ["不允许的字段。"]}
    other = _user_id(session, "resident")
    r = client.patch(f"/api/v1/users/{other}", headers=staff, json={"password": "Office2026x"})
    assert r.status_code == 422
    assert _login(client, PHONES["lsw_staff"]).status_code == 200
    assert _login(client, PHONES["resident"]).status_code == 200


def test_staff_reset_respects_rank_and_input(client, auth, session):
    staff = auth.headers("lsw_staff")
    town = _user_id(session, "town")
    assert client.post(f"/api/v1/users/{town}/password-reset", headers=staff,
                       json={"new_password": "Office2026x"}).status_code in (403, 404)
    resident = _user_id(session, "resident")
    for bad in ({"new_password": "short"}, {}, {"new_password": "Office2026x", "notify": True}):
        assert client.post(f"/api/v1/users/{resident}/password-reset", headers=staff, json=bad).status_code == 422
    assert client.post(f"/api/v1/users/{resident}/password-reset", headers=auth.headers("resident"),
                       json={"new_password": "Office2026x"}).status_code == 403
    assert _login(client, PHONES["resident"]).status_code == 200
    assert session.scalar(select(func.count()).select_from(AuditEvent).where(
        AuditEvent.action == "user.password_reset")) == 0


@pytest.mark.parametrize("who", ["zxxy_staff", "zxxy_resident"])
def test_staff_reset_of_another_communitys_account_is_404(client, auth, session, who):
    target = _user_id(session, "volunteer")
    r = client.post(f"/api/v1/users/{target}/password-reset", headers=auth.headers(who),
                    json={"new_password": "Office2026x"})
    assert r.status_code == (404 if who.endswith("staff") else 403)  # residents may reset no one, for every id
    assert _login(client, PHONES["volunteer"]).status_code == 200


def test_accounts_created_by_staff_must_choose_their_own_password(client, auth, session):
    g2 = session.scalar(select(User.area_id).where(User.phone == PHONES["volunteer"]))
    r = client.post("/api/v1/users", headers=auth.headers("lsw_staff"), json={
        "phone": "13711112222", "name": "新志愿者", "password": "Volunteer2026", "role": "volunteer", "area_id": g2})
    assert r.status_code == 201 and r.get_json()["must_change_password"] is True
    assert _login(client, "13711112222", "Volunteer2026").get_json()["user"]["must_change_password"] is True


# ------------------------------------------------------------------ changing one's phone
def test_change_phone_with_a_code_sent_to_the_new_number(client, auth, sms, session):
    headers = auth.headers("resident")
    other_device = _login(client, PHONES["resident"]).get_json()
    new = "13722223333"
    assert sms.send(new, "change_phone").status_code == 401  # needs a token
    code = sms.code(new, "change_phone", headers)
    r = client.post("/api/v1/me/phone", headers=headers, json={"new_phone": new, "code": code, "password": DEMO_PASSWORD})
    assert r.status_code == 200, r.get_json()
    assert r.get_json()["phone"] == new
    assert client.get("/api/v1/me", headers=headers).status_code == 200
    assert client.get("/api/v1/me", headers=_bearer(other_device)).status_code == 401
    assert _login(client, new).status_code == 200 and _login(client, PHONES["resident"]).status_code == 401
    resident = session.get(Resident, auth.me("resident")["resident_id"])
    assert resident.phone == new
    event = session.scalar(select(AuditEvent).where(AuditEvent.action == "auth.phone_changed"))
    assert event.detail == {"from": "138****0005", "to": "137****3333"}


def test_change_phone_refuses_bad_proof_and_taken_numbers(client, auth, sms, session):
    headers = auth.headers("resident")
    new, taken = "13722223333", PHONES["zxxy_resident"]
    code = sms.code(new, "change_phone", headers)
    cases = [
        ({"new_phone": new, "code": code, "password": "not-mine-1"}, "password"),
        ({"new_phone": new, "code": "000000" if code != "000000" else "111111", "password": DEMO_PASSWORD}, "code"),
        ({"new_phone": PHONES["resident"], "code": code, "password": DEMO_PASSWORD}, "new_phone"),
        ({"new_phone": "1234", "code": code, "password": DEMO_PASSWORD}, "new_phone"),
    ]
    for body, field in cases:
        r = client.post("/api/v1/me/phone", headers=headers, json=body)
        assert r.status_code == 422 and list(r.get_json()["errors"]) == [field], (body, r.get_json())
    # a code asked for by one account is of no use to another
    r = client.post("/api/v1/me/phone", headers=auth.headers("volunteer"),
                    json={"new_phone": new, "code": code, "password": DEMO_PASSWORD})
    assert r.status_code == 422 and list(r.get_json()["errors"]) == ["code"]
    # a number that already has an account: told only once the code proves the number is yours
    code = sms.code(taken, "change_phone", headers)
    r = client.post("/api/v1/me/phone", headers=headers, json={"new_phone": taken, "code": code, "password": DEMO_PASSWORD})
    assert r.status_code == 422 and r.get_json()["errors"] == {"new_phone": ["该手机号已注册。"]}
    assert client.get("/api/v1/me", headers=headers).get_json()["phone"] == PHONES["resident"]


@needs_text_check
@pytest.mark.parametrize("name", ["新\u202e志愿者", "新\x07志愿者", "新\u2068志愿者"])
def test_account_and_household_names_refuse_control_and_bidi_characters(client, auth, session, name):
    staff = auth.headers("lsw_staff")
    g2 = session.scalar(select(User.area_id).where(User.phone == PHONES["volunteer"]))
    before = session.scalar(select(func.count()).select_from(User))
    r = client.post("/api/v1/users", headers=staff, json={
        "phone": "13711112222", "name": name, "password": "Volunteer2026", "role": "volunteer", "area_id": g2})
    assert r.status_code == 422 and list(r.get_json()["errors"]) == ["name"]
    r = client.patch(f"/api/v1/users/{_user_id(session, 'resident')}", headers=staff, json={"name": name})
    assert r.status_code == 422 and list(r.get_json()["errors"]) == ["name"]
    stairwell = client.get("/api/v1/stairwells?limit=1", headers=staff).get_json()["items"][0]["id"]
    r = client.post("/api/v1/households", headers=staff, json={"stairwell_id": stairwell, "room": "3\u202e01"})
    assert r.status_code == 422 and list(r.get_json()["errors"]) == ["room"]
    assert session.scalar(select(func.count()).select_from(User)) == before
