"""One-time SMS codes: same answer for everyone, limits, hashed at rest, pluggable sender."""
import logging

import pytest
from sqlalchemy import select

from steward.verification.models import SmsCode

from .conftest import PHONES

CODES = "/api/v1/auth/sms-codes"


def test_the_answer_does_not_depend_on_the_phone_having_an_account(client, sms):
    answers = []
    for phone, purpose in ((PHONES["resident"], "register"), ("13911112222", "register"),
                           (PHONES["zxxy_resident"], "reset_password"), ("13911113333", "reset_password")):
        r = sms.send(phone, purpose)
        answers.append((r.status_code, r.get_json()))
    assert {str(a) for a in answers} == {str((202, {"expires_in": 300, "resend_after": 60}))}
    # a password reset for a phone without an account sends nothing (but stores an unknowable code)
    assert client.get("/api/v1/demo/sms-codes?phone=13911113333").get_json()["items"] == []
    assert [i["purpose"] for i in client.get(f"/api/v1/demo/sms-codes?phone={PHONES['zxxy_resident']}")
            .get_json()["items"]] == ["reset_password"]


def test_codes_are_hashed_at_rest_and_logged_only_by_the_demo_sender(client, sms, session, caplog):
    with caplog.at_level(logging.DEBUG):
        code = sms.code("13911112222")
    row = session.scalar(select(SmsCode).where(SmsCode.phone == "13911112222"))
    assert code not in (row.code_hash, str(row.id)) and len(row.code_hash) == 64
    carriers = [r for r in caplog.records if code in r.getMessage()]
    assert [r.name for r in carriers] == ["steward.sms"]
    assert "13911112222" not in carriers[0].getMessage()  # the phone is masked even there


def test_resend_cooldown_and_hourly_cap_per_phone(client, sms, session, app, monkeypatch):
    phone = "13911112222"
    assert sms.send(phone).status_code == 202
    r = sms.send(phone)
    assert r.status_code == 429 and 0 < int(r.headers["Retry-After"]) <= 60
    assert r.get_json()["detail"].startswith("请")
    # without the cooldown, a few more per hour; each new code ends the previous one
    monkeypatch.setitem(app.config, "SMS_RESEND_SECONDS", 0)
    for _ in range(app.config["SMS_LIMIT_PER_PHONE"] - 1):
        assert sms.send(phone).status_code == 202
    r = sms.send(phone)
    assert r.status_code == 429 and 0 < int(r.headers["Retry-After"]) <= 3600
    # only the newest code is good
    rows = session.scalars(select(SmsCode).where(SmsCode.phone == phone).order_by(SmsCode.id)).all()
    assert len(rows) == app.config["SMS_LIMIT_PER_PHONE"]
    assert all(r.expires_at <= rows[-1].created_at for r in rows[:-1])


def test_codes_are_limited_per_address(client, sms, app, monkeypatch):
    monkeypatch.setitem(app.config, "SMS_LIMIT_PER_IP", 3)
    for i in range(3):
        assert sms.send(f"1391111000{i}", ip="203.0.113.5").status_code == 202
    r = sms.send("13911110009", ip="203.0.113.5")
    assert r.status_code == 429 and int(r.headers["Retry-After"]) > 0
    assert sms.send("13911110009", ip="203.0.113.6").status_code == 202


@pytest.mark.parametrize("body, field", [
    ({"phone": "12345", "purpose": "register"}, "phone"),
    ({"phone": "13911112222", "purpose": "login"}, "purpose"),
    ({"phone": "13911112222"}, "purpose"),
    ({"phone": "13911112222", "purpose": "register", "code": "1"}, "code"),
])
def test_bad_requests_send_nothing(client, session, body, field):
    r = client.post(CODES, json=body)
    assert r.status_code == 422 and field in r.get_json()["errors"]
    assert session.scalar(select(SmsCode.id)) is None


def test_change_phone_codes_need_a_token(client, auth, sms):
    assert sms.send("13911112222", "change_phone").status_code == 401
    assert sms.send("13911112222", "change_phone", auth.headers("resident")).status_code == 202


class RecordingSender:
    name = "recording"

    def __init__(self, config=None):
        self.sent = []

    def send(self, *, phone, purpose, code):
        self.sent.append((phone, purpose, code))


def make_sender(config):
    return RecordingSender(config)


def test_a_provider_is_configuration_and_the_demo_endpoint_is_then_gone(client, app, sms, monkeypatch):
    monkeypatch.setitem(app.config, "SMS_SENDER", "tests.backend.test_verification:make_sender")
    monkeypatch.delitem(app.extensions, "steward.sms_sender", raising=False)
    try:
        assert sms.send("13911112222").status_code == 202
        sender = app.extensions["steward.sms_sender"]
        assert isinstance(sender, RecordingSender) and sender.sent[0][:2] == ("13911112222", "register")
        assert client.get("/api/v1/demo/sms-codes?phone=13911112222").status_code == 404
        assert client.get("/api/v1/public/config").get_json()["demo_sms"] is False
    finally:
        app.extensions.pop("steward.sms_sender", None)


def test_public_config_says_whether_sms_is_a_demo(client):
    assert client.get("/api/v1/public/config").get_json() == {"demo_sms": True, "privacy_policy_version": "2026-11"}


def test_demo_codes_need_a_valid_phone(client):
    assert client.get("/api/v1/demo/sms-codes").status_code == 422
    assert client.get("/api/v1/demo/sms-codes?phone=abc").status_code == 422
