"""Privacy rights (PIPL arts. 44–47): my data and its copy, consent withdrawal, deletion requests confirmed
by staff; erasure keeps the history (cases, audit) and the erased person can no longer sign in."""
import json

import pytest
from sqlalchemy import func, select

from steward.audit.models import AuditEvent
from steward.cases.models import Case
from steward.demo.seed import DEMO_PASSWORD
from steward.people.models import Resident, User
from steward.privacy.models import DeletionRequest

from .conftest import PHONES


def _audits(session, action, **where):
    stmt = select(func.count()).select_from(AuditEvent).where(AuditEvent.action == action)
    for k, v in where.items():
        stmt = stmt.where(getattr(AuditEvent, k) == v)
    return session.scalar(stmt)


def _report_case(client, auth):
    cats = client.get("/api/v1/case-categories", headers=auth.headers("resident"))
    body = {"title": "楼道灯坏了", "description": "3号楼2单元楼道灯不亮", "address": "丽水湾3号楼"}
    if cats.status_code == 200:
        items = cats.get_json()
        items = items.get("items", items) if isinstance(items, dict) else items
        body["category_id"] = items[0]["id"]
    return client.post("/api/v1/cases", json=body, headers=auth.headers("resident"))


def test_a_resident_sees_what_is_held_about_them(client, auth, session):
    me = auth.me("resident")
    before = _audits(session, "privacy.view", actor_id=me["id"])
    r = client.get("/api/v1/me/data", headers=auth.headers("resident"))
    assert r.status_code == 200, r.get_json()
    data = r.get_json()
    assert data["account"]["phone"] == PHONES["resident"] and data["household"]["members"]
    assert any(m["is_me"] for m in data["household"]["members"])
    for m in data["household"]["members"]:
        assert m["id_card"] is None or "*" in m["id_card"]  # masked on screen
    assert _audits(session, "privacy.view", actor_id=me["id"]) == before + 1


def test_the_json_copy_is_a_file_and_audited(client, auth, session):
    me = auth.me("resident")
    r = client.get("/api/v1/me/data/export", headers=auth.headers("resident"))
    assert r.status_code == 200 and "attachment" in r.headers["Content-Disposition"]
    data = json.loads(r.data)
    assert data["account"]["id"] == me["id"] and "form_submissions" in data
    assert _audits(session, "privacy.export", actor_id=me["id"]) == 1


def test_erasure_keeps_history_and_the_person_can_no_longer_sign_in(client, auth, session):
    me = auth.me("resident")
    user = session.get(User, me["id"])
    resident_id = user.resident_id
    case = _report_case(client, auth)
    assert case.status_code == 201, case.get_json()
    case_id = case.get_json()["id"]
    own_audits = session.scalar(select(func.count()).select_from(AuditEvent).where(AuditEvent.actor_id == me["id"]))
    r = client.post("/api/v1/me/deletion-request", json={"reason": "搬走了"}, headers=auth.headers("resident"))
    assert r.status_code == 201, r.get_json()
    req = r.get_json()
    assert client.post("/api/v1/me/deletion-request", json={}, headers=auth.headers("resident")).status_code == 409
    listed = client.get("/api/v1/deletion-requests?status=pending", headers=auth.headers("lsw_staff")).get_json()
    assert req["id"] in [x["id"] for x in listed["items"]]
    # another community's staff does not see it; a resident may not decide
    assert client.post(f"/api/v1/deletion-requests/{req['id']}/confirm",
                       headers=auth.headers("zxxy_staff")).status_code == 404
    assert client.post(f"/api/v1/deletion-requests/{req['id']}/confirm",
                       headers=auth.headers("resident")).status_code == 403
    r = client.post(f"/api/v1/deletion-requests/{req['id']}/confirm", headers=auth.headers("lsw_staff"))
    assert r.status_code == 200 and r.get_json()["status"] == "confirmed", r.get_json()
    session.expire_all()
    # the case keeps its row and timeline; the reporter reads 已注销居民
    assert session.get(Case, case_id) is not None
    seen = client.get(f"/api/v1/cases/{case_id}", headers=auth.headers("lsw_staff")).get_json()
    assert seen["reporter_name"] in ("已注销居民", None) and PHONES["resident"] not in json.dumps(seen, ensure_ascii=False)
    assert session.get(Case, case_id).reporter_name == "已注销居民"
    # the timeline's rows are append-only: they keep their ids, and show the reporter as 已注销居民
    events = client.get(f"/api/v1/cases/{case_id}/events", headers=auth.headers("lsw_staff")).get_json()["items"]
    assert events and all(e["actor"]["name"] != me["name"] for e in events)
    assert "已注销居民" in [e["actor"]["name"] for e in events]
    # the person is gone from the household; the account keeps its id, nothing personal
    assert session.get(Resident, resident_id) is None
    erased = session.get(User, me["id"])
    assert erased.name == "已注销居民" and erased.phone != PHONES["resident"] and not erased.is_active
    # the audit log is untouched and the erasure is on it
    assert session.scalar(select(func.count()).select_from(AuditEvent).where(
        AuditEvent.actor_id == me["id"])) >= own_audits + 1
    assert _audits(session, "privacy.erase", resource_id=str(me["id"])) == 1
    # no sign-in, and the old token is dead
    r = client.post("/api/v1/auth/login", json={"phone": PHONES["resident"], "password": DEMO_PASSWORD})
    assert r.status_code == 401
    assert client.get("/api/v1/me", headers=auth.headers("resident")).status_code == 401
    assert client.post(f"/api/v1/deletion-requests/{req['id']}/confirm",
                       headers=auth.headers("lsw_staff")).status_code == 409


def test_withdrawing_consent_closes_the_account_and_asks_for_erasure(client, auth, session):
    me = auth.me("zxxy_resident")
    headers = auth.headers("zxxy_resident")
    assert client.post("/api/v1/me/consent/withdraw", json={"confirm": False}, headers=headers).status_code == 422
    r = client.post("/api/v1/me/consent/withdraw", json={"confirm": True}, headers=headers)
    assert r.status_code == 201 and r.get_json()["withdrew_consent"] is True
    assert client.get("/api/v1/me", headers=headers).status_code == 401
    r = client.post("/api/v1/auth/login", json={"phone": PHONES["zxxy_resident"], "password": DEMO_PASSWORD})
    assert r.status_code == 401
    assert session.get(User, me["id"]).consent_withdrawn_at is not None
    assert _audits(session, "privacy.consent_withdraw", actor_id=me["id"]) == 1
    listed = client.get("/api/v1/deletion-requests", headers=auth.headers("zxxy_staff")).get_json()["items"]
    assert listed[0]["withdrew_consent"] and listed[0]["user"]["id"] == me["id"]
    assert client.get("/api/v1/deletion-requests", headers=auth.headers("lsw_staff")).get_json()["items"] == [] or \
        me["id"] not in [x["user"]["id"] for x in client.get("/api/v1/deletion-requests",
                                                              headers=auth.headers("lsw_staff")).get_json()["items"]]


def test_staff_may_refuse_with_a_reason_and_the_resident_may_cancel(client, auth, session):
    h = auth.headers("resident")
    req = client.post("/api/v1/me/deletion-request", json={}, headers=h).get_json()
    assert client.post(f"/api/v1/deletion-requests/{req['id']}/reject", json={"note": "x"},
                       headers=auth.headers("lsw_staff")).status_code == 422
    r = client.post(f"/api/v1/deletion-requests/{req['id']}/reject", json={"note": "案件仍在调解，暂需保留"},
                    headers=auth.headers("lsw_staff"))
    assert r.status_code == 200 and r.get_json()["status"] == "rejected"
    assert client.get("/api/v1/me/deletion-request", headers=h).get_json()["request"]["status"] == "rejected"
    assert client.post("/api/v1/me/deletion-request/cancel", headers=h).status_code == 409
    client.post("/api/v1/me/deletion-request", json={"reason": "再次申请"}, headers=h)
    assert client.post("/api/v1/me/deletion-request/cancel", headers=h).get_json()["status"] == "cancelled"
    assert session.scalar(select(func.count()).select_from(DeletionRequest)) >= 2


@pytest.mark.parametrize("who", ["lsw_staff", "partner"])
def test_staff_and_partners_cannot_ask_for_deletion_here(client, auth, who):
    assert client.post("/api/v1/me/deletion-request", json={}, headers=auth.headers(who)).status_code == 403


def test_request_list_statement_count(client, auth, count_queries):
    counts = {}
    for who in ("resident", "volunteer"):
        client.post("/api/v1/me/deletion-request", json={}, headers=auth.headers(who))
    h = auth.headers("lsw_staff")
    for limit in (1, 20):
        with count_queries() as statements:
            assert client.get(f"/api/v1/deletion-requests?limit={limit}", headers=h).status_code == 200
        counts[limit] = len(statements)
    assert counts[1] == counts[20]
