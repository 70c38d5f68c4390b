"""Self-registration with a code sent to the phone, and household claims."""
import pytest
from sqlalchemy import func, select

from steward.audit.models import AuditEvent
from steward.people.models import HouseholdClaim, User
from steward.verification.models import SmsCode

from .conftest import PHONES, household_at, needs_text_check

REGISTER = "/api/v1/auth/register"
NEW = "13912345678"


def _body(session, **fields):
    return {"phone": NEW, "code": "000000", "password": "Neighbour2026", "name": "孙小梅",
            "household_id": household_at(session, "LSW", "3", "1", "201"), "accept_privacy": True, **fields}


def _counts(session):
    return (session.scalar(select(func.count()).select_from(User)),
            session.scalar(select(func.count()).select_from(HouseholdClaim)))


def test_register_with_a_code_then_staff_verify_the_household(client, auth, sms, session):
    body = _body(session, code=sms.code(NEW))
    r = client.post(REGISTER, json=body)
    assert r.status_code == 201, r.get_json()
    me = r.get_json()
    assert me["role"] == "resident" and me["household_id"] is None and me["must_change_password"] is False
    assert me["claim"]["status"] == "pending" and me["claim"]["address"] == "丽水湾3号楼1单元201室"
    assert me["community"]["name"] == "丽水湾" and me["community"]["office_phone"] == "021-57461001"
    user = session.scalar(select(User).where(User.phone == NEW))
    assert user.privacy_version == "2026-11" and user.privacy_accepted_at is not None
    # the code is single-use
    assert client.post(REGISTER, json={**body, "phone": "13912345670"}).status_code == 422

    staff = auth.headers("lsw_staff")
    claims = client.get("/api/v1/household-claims?status=pending", headers=staff).get_json()["items"]
    claim = next(c for c in claims if c["user"]["name"] == "孙小梅")
    assert claim["user"]["phone"] == "139****5678"
    r = client.post(f"/api/v1/household-claims/{claim['id']}/review", json={"decision": "approve"}, headers=staff)
    assert r.status_code == 200 and r.get_json()["status"] == "approved"
    assert [o["name"] for o in r.get_json()["occupants"] if o["has_account"]] == ["孙小梅"]
    r = client.post(f"/api/v1/household-claims/{claim['id']}/review", json={"decision": "reject"}, headers=staff)
    assert r.status_code == 409 and r.get_json()["state"] == "approved" and r.get_json()["allowed"] == []

    r = client.post("/api/v1/auth/login", json={"phone": NEW, "password": "Neighbour2026"})
    me = r.get_json()["user"]
    assert me["household_id"] == claim["household_id"]
    household = client.get(f"/api/v1/households/{me['household_id']}",
                           headers={"Authorization": f"Bearer {r.get_json()['access_token']}"}).get_json()
    assert "孙小梅" in [p["name"] for p in household["residents"]]


def test_bad_input_gives_field_messages_and_writes_nothing(client, session):
    before = _counts(session)
    r = client.post(REGISTER, json={"phone": "12345", "code": "12", "password": "short", "name": "",
                                    "household_id": "x", "accept_privacy": False})
    assert r.status_code == 422
    errors = r.get_json()["errors"]
    assert set(errors) == {"phone", "code", "password", "name", "household_id", "accept_privacy"}
    assert errors["phone"] == ["请输入以 1 开头的 11 位手机号码。"]
    assert errors["accept_privacy"] == ["注册前须同意隐私政策。"]
    r = client.post(REGISTER, json={k: v for k, v in _body(session).items() if k != "accept_privacy"})
    assert r.status_code == 422 and r.get_json()["errors"]["accept_privacy"] == ["此项为必填项。"]
    r = client.post(REGISTER, json={**_body(session), "community_id": 2, "building": "3"})
    assert set(r.get_json()["errors"]) == {"community_id", "building"}
    r = client.post(REGISTER, json=_body(session, household_id=10**9))
    assert r.status_code == 422 and r.get_json()["errors"] == {"household_id": ["没有这个住户。"]}
    assert _counts(session) == before


@needs_text_check
@pytest.mark.parametrize("name", ["王\u202e英秀", "李\u0000四", "张\u200f三", "赵\u2066六\u2069", "钱\x1b[31m七"])
def test_names_with_control_or_bidi_characters_are_refused(client, sms, session, name):
    before = _counts(session)
    r = client.post(REGISTER, json=_body(session, code=sms.code(NEW), name=name))
    assert r.status_code == 422 and list(r.get_json()["errors"]) == ["name"]
    assert _counts(session) == before


def test_a_wrong_code_is_a_422_on_code_and_only_then_a_known_phone_on_phone(client, sms, session):
    known = PHONES["resident"]
    r = client.post(REGISTER, json=_body(session, phone=known, code="999999"))
    assert r.status_code == 422 and r.get_json()["errors"] == {"code": ["验证码错误或已过期，请重新获取。"]}
    r = client.post(REGISTER, json=_body(session, phone=known, code=sms.code(known)))
    assert r.status_code == 422 and r.get_json()["errors"] == {"phone": ["该手机号已注册，请直接登录或找回密码"]}


def test_cheap_checks_run_before_the_password_is_hashed(client, sms, session, monkeypatch):
    from steward.auth import service

    hashed = []
    real = service.hash_password
    monkeypatch.setattr(service, "hash_password", lambda p: hashed.append(p) or real(p))
    client.post(REGISTER, json=_body(session, code="999999"))                       # wrong code
    client.post(REGISTER, json=_body(session, household_id=10**9))                  # no such household
    client.post(REGISTER, json=_body(session, phone=PHONES["resident"],
                                     code=sms.code(PHONES["resident"])))           # already registered
    client.post(REGISTER, json=_body(session, phone="123"))                          # malformed
    assert hashed == []
    assert client.post(REGISTER, json=_body(session, code=sms.code(NEW))).status_code == 201
    assert hashed == ["Neighbour2026"]


def test_a_code_allows_five_guesses_and_five_minutes(client, sms, session, app, monkeypatch):
    monkeypatch.setitem(app.config, "REGISTER_LIMIT_PER_PHONE", 100)
    code = sms.code(NEW)
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(5):
        assert client.post(REGISTER, json=_body(session, code=wrong)).status_code == 422
    assert session.scalar(select(SmsCode.attempts).where(SmsCode.phone == NEW)) == 5  # kept despite the 422s
    r = client.post(REGISTER, json=_body(session, code=code))
    assert r.status_code == 422 and "code" in r.get_json()["errors"]

    other = "13912345679"
    code = sms.code(other)
    row = session.scalar(select(SmsCode).where(SmsCode.phone == other))
    row.expires_at = row.created_at  # five minutes later
    session.commit()
    r = client.post(REGISTER, json=_body(session, phone=other, code=code))
    assert r.status_code == 422 and "code" in r.get_json()["errors"]


def test_registration_is_rate_limited_per_phone_and_per_address(client, session, app, monkeypatch):
    monkeypatch.setitem(app.config, "REGISTER_LIMIT_PER_PHONE", 3)
    monkeypatch.setitem(app.config, "REGISTER_LIMIT_PER_IP", 5)
    for _ in range(3):
        assert client.post(REGISTER, json=_body(session)).status_code == 422
    r = client.post(REGISTER, json=_body(session))
    assert r.status_code == 429 and 0 < int(r.headers["Retry-After"]) <= 3600
    assert r.get_json()["type"].endswith("/rate-limited")
    # another phone from the same address: two more tries, then the address is spent
    for status in (422, 422, 429):
        assert client.post(REGISTER, json=_body(session, phone="13912345670")).status_code == status
    # another address may still try
    r = client.post(REGISTER, json=_body(session, phone="13912345671"), environ_base={"REMOTE_ADDR": "10.9.8.7"})
    assert r.status_code == 422


def test_a_new_claim_after_a_rejection(client, auth, session):
    staff, pending = auth.headers("lsw_staff"), auth.headers("pending")
    mine = "/api/v1/me/household-claims"
    other = household_at(session, "LSW", "3", "1", "202")
    r = client.post(mine, headers=pending, json={"household_id": other})
    assert r.status_code == 409 and r.get_json()["type"].endswith("/claim-pending")
    claim = client.get("/api/v1/household-claims?status=pending", headers=staff).get_json()["items"][0]
    r = client.post(f"/api/v1/household-claims/{claim['id']}/review", headers=staff,
                    json={"decision": "reject", "note": "该户登记的是其他住户，请到居委会核对"})
    assert r.status_code == 200 and r.get_json()["status"] == "rejected"
    me = client.get("/api/v1/me", headers=pending).get_json()
    assert me["claim"] == {"id": claim["id"], "status": "rejected", "address": claim["address"],
                           "note": "该户登记的是其他住户，请到居委会核对"}
    assert me["household_id"] is None

    assert client.post(mine, headers=pending, json={"household_id": 10**9}).status_code == 422
    assert client.post(mine, headers=pending, json={"household_id": other, "x": 1}).status_code == 422
    r = client.post(mine, headers=pending, json={"household_id": other})
    assert r.status_code == 201, r.get_json()
    assert r.get_json()["status"] == "pending" and r.get_json()["address"] == "丽水湾3号楼1单元202室"
    assert "occupants" not in r.get_json()  # who lives there is for the committee only
    assert client.get("/api/v1/me", headers=pending).get_json()["claim"]["id"] == r.get_json()["id"]
    assert session.scalar(select(AuditEvent.action).where(AuditEvent.action == "claim.create")) == "claim.create"
    # an account that already has its household cannot claim another; staff do not claim at all
    assert client.post(mine, headers=auth.headers("resident"), json={"household_id": other}).status_code == 409
    assert client.post(mine, headers=staff, json={"household_id": other}).status_code == 403


def test_reviewing_staff_see_who_is_already_registered_at_the_address(client, auth, session):
    me = auth.me("resident")
    pending = auth.headers("pending")
    staff = auth.headers("lsw_staff")
    claim = client.get("/api/v1/household-claims?status=pending", headers=staff).get_json()["items"][0]
    client.post(f"/api/v1/household-claims/{claim['id']}/review", headers=staff, json={"decision": "reject"})
    # 赵美华 now claims the demo resident's own household
    assert client.post("/api/v1/me/household-claims", headers=pending,
                       json={"household_id": me["household_id"]}).status_code == 201
    claims = client.get("/api/v1/household-claims?status=pending", headers=staff).get_json()["items"]
    occupants = next(c for c in claims if c["household_id"] == me["household_id"])["occupants"]
    assert len(occupants) == 2
    holder = next(o for o in occupants if o["id"] == me["resident_id"])
    assert holder == {"id": me["resident_id"], "name": "王秀英", "phone": "138****0005", "has_account": True}
    assert [o["has_account"] for o in occupants if o["id"] != me["resident_id"]] == [False]
