"""Residents: search, masking, reveal with audit, ETag/If-Match, Idempotency-Key."""

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError

from steward.audit.models import AuditEvent
from steward.people.models import Resident

VALID_ID = "11010519491231002X"  # the GB 11643 example number


def _new(client, auth, who="lsw_staff", **fields):
    household = auth.me("resident")["household_id"]
    body = {"household_id": household, "name": "周阿婆", "phone": "13612345678", "id_card": VALID_ID,
            "birth_date": "1949-12-31", "gender": "female", "tags": ["elderly_alone"], **fields}
    return client.post("/api/v1/residents", headers=auth.headers(who), json=body)


def test_create_masks_personal_data_and_sets_etag(client, auth):
    r = _new(client, auth)
    assert r.status_code == 201, r.get_json()
    body = r.get_json()
    assert body["phone"] == "136****5678"
    assert body["id_card"] == "110***********002X"
    assert body["tags"] == ["elderly_alone"]
    assert r.headers["ETag"] == f'"{body["id"]}.1"'
    assert r.headers["Location"].endswith(f"/api/v1/residents/{body['id']}")
    assert VALID_ID not in r.get_data(as_text=True)


def test_id_cards_are_encrypted_at_rest(client, auth, session):
    rid = _new(client, auth).get_json()["id"]
    stored = session.execute(text("SELECT id_card_cipher, id_card_digest, id_card_hint FROM residents WHERE id = :i"),
                             {"i": rid}).one()
    assert VALID_ID not in "".join(stored)
    assert stored.id_card_hint == "110***********002X"


@pytest.mark.parametrize("value, message", [
    ("110105194912310021", "身份证号码校验位不正确。"),
    ("11010519491331002X", "身份证号码中的出生日期无效。"),
    ("1101051949", "请输入有效的 18 位身份证号码。"),
])
def test_id_card_numbers_are_validated(client, auth, value, message):
    r = _new(client, auth, id_card=value)
    assert r.status_code == 422
    assert r.get_json()["errors"]["id_card"] == [message]


def test_same_id_card_cannot_belong_to_two_people(client, auth):
    assert _new(client, auth).status_code == 201
    r = _new(client, auth, name="另一人", phone="13612345679")
    assert r.status_code == 422 and "id_card" in r.get_json()["errors"]


def test_search_by_name_phone_and_tag(client, auth):
    rid = _new(client, auth, name="欧阳春花", phone="13698765432").get_json()["id"]
    headers = auth.headers("lsw_staff")
    assert [r["id"] for r in client.get("/api/v1/residents?q=欧阳春", headers=headers).get_json()["items"]] == [rid]
    by_phone = lambda q, who="lsw_staff": [r["id"] for r in client.get(  # noqa: E731
        f"/api/v1/residents?q={q}&limit=100", headers=auth.headers(who)).get_json()["items"]]
    assert by_phone("13698765432") == [rid]
    assert rid in by_phone("5432")
    tagged = client.get("/api/v1/residents?tag=elderly_alone&tag=hardship&limit=100", headers=headers).get_json()
    assert tagged["items"]
    assert all({"elderly_alone", "hardship"} <= set(r["tags"]) for r in tagged["items"])
    # a search term is not a pattern
    assert client.get("/api/v1/residents?q=%25", headers=headers).get_json()["items"] == []


def test_phone_search_reveals_no_masked_digit(client, auth, session):
    """A substring search would recover the masked middle digits one at a time: only the whole
    number or the last four digits (shown by the mask anyway) match, and only for roles that may
    reveal phones; users are searched by the same rule."""
    rid = _new(client, auth, name="欧阳春花", phone="13698765432").get_json()["id"]

    def found(url, who):
        return [r["id"] for r in client.get(url, headers=auth.headers(who)).get_json()["items"]]

    for probe in ("98765", "1369", "3698765432", "876", "369876543"):
        assert rid not in found(f"/api/v1/residents?q={probe}&limit=100", "lsw_staff"), probe
    me = auth.me("resident")
    household = client.get("/api/v1/me", headers=auth.headers("resident")).get_json()["household_id"]
    member = client.post("/api/v1/residents", headers=auth.headers("resident"), json={
        "household_id": household, "name": "家人", "phone": "13677776666"}).get_json()["id"]
    assert me and found("/api/v1/residents?q=6666", "lsw_staff").count(member) == 1
    # a resident may search their household by name, never by phone
    assert found("/api/v1/residents?q=13677776666", "resident") == []
    assert found("/api/v1/residents?q=6666", "resident") == []
    assert member in found("/api/v1/residents?q=家人", "resident")
    staff_phone = "13800000004"
    assert found(f"/api/v1/users?q={staff_phone[2:9]}", "lsw_staff") == []
    assert len(found(f"/api/v1/users?q={staff_phone}", "lsw_staff")) == 1


def test_reveal_is_role_gated_and_audited(client, auth, session):
    rid = _new(client, auth).get_json()["id"]
    r = client.post(f"/api/v1/residents/{rid}/reveal", headers=auth.headers("lsw_staff"),
                    json={"fields": ["phone", "id_card"]})
    assert r.status_code == 200
    assert r.get_json() == {"phone": "13612345678", "id_card": VALID_ID}
    event = session.scalar(select(AuditEvent).where(AuditEvent.action == "resident.reveal"))
    assert event.resource_id == str(rid) and event.detail == {"fields": ["id_card", "phone"]}
    assert event.actor_role == "staff"
    # the resident of that household may not unmask; a volunteer outside the grid cannot even see it
    assert client.post(f"/api/v1/residents/{rid}/reveal", headers=auth.headers("resident"),
                       json={"fields": ["phone"]}).status_code == 403
    r = client.post(f"/api/v1/residents/{rid}/reveal", headers=auth.headers("lsw_staff"), json={"fields": ["name"]})
    assert r.status_code == 422


def test_if_match_guards_updates(client, auth):
    created = _new(client, auth)
    rid, etag = created.get_json()["id"], created.headers["ETag"]
    url, headers = f"/api/v1/residents/{rid}", auth.headers("lsw_staff")
    assert client.patch(url, headers=headers, json={"name": "周秀兰"}).status_code == 428
    r = client.patch(url, headers={**headers, "If-Match": etag}, json={"name": "周秀兰", "tags": ["hardship"]})
    assert r.status_code == 200, r.get_json()
    assert r.get_json()["name"] == "周秀兰" and r.get_json()["tags"] == ["hardship"]
    new_etag = r.headers["ETag"]
    assert new_etag != etag
    # a second clerk still holding the old ETag cannot overwrite silently
    stale = client.patch(url, headers={**headers, "If-Match": etag}, json={"name": "周老太"})
    assert stale.status_code == 412
    assert client.get(url, headers=headers).get_json()["name"] == "周秀兰"
    assert client.get(url, headers=headers).headers["ETag"] == new_etag


def test_residents_edit_their_own_household_but_not_tags(client, auth):
    me = auth.me("resident")
    rid = me["resident_id"]
    url, headers = f"/api/v1/residents/{rid}", auth.headers("resident")
    etag = client.get(url, headers=headers).headers["ETag"]
    r = client.patch(url, headers={**headers, "If-Match": etag}, json={"birth_date": "1955-03-12"})
    assert r.status_code == 200 and r.get_json()["birth_date"] == "1955-03-12"
    etag = r.headers["ETag"]
    assert client.patch(url, headers={**headers, "If-Match": etag}, json={"tags": ["hardship"]}).status_code == 403
    r = _new(client, auth, who="resident", tags=[])
    assert r.status_code == 201 and r.get_json()["household"]["id"] == me["household_id"]
    assert client.delete(url, headers={**headers, "If-Match": etag}).status_code == 403


def test_delete_is_audited(client, auth, session):
    created = _new(client, auth)
    rid = created.get_json()["id"]
    headers = auth.headers("lsw_staff")
    assert client.delete(f"/api/v1/residents/{rid}", headers={**headers, "If-Match": created.headers["ETag"]}).status_code == 204
    assert client.get(f"/api/v1/residents/{rid}", headers=headers).status_code == 404
    assert session.scalar(select(AuditEvent.detail).where(AuditEvent.action == "resident.delete")) == {"name": "周阿婆"}


def test_idempotency_key_replays_instead_of_creating_twice(client, auth, session):
    before = session.scalar(select(func.count()).select_from(Resident))
    headers = auth.headers("lsw_staff", **{"Idempotency-Key": "phone-retry-1"})
    body = {"household_id": auth.me("resident")["household_id"], "name": "重试者"}
    first = client.post("/api/v1/residents", headers=headers, json=body)
    again = client.post("/api/v1/residents", headers=headers, json=body)
    assert first.status_code == again.status_code == 201
    assert again.get_json() == first.get_json()
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.headers["Location"] == first.headers["Location"]
    assert session.scalar(select(func.count()).select_from(Resident)) == before + 1
    # the same key for a different request is refused
    r = client.post("/api/v1/residents", headers=headers, json={**body, "name": "别人"})
    assert r.status_code == 422 and r.get_json()["type"].endswith("/idempotency-mismatch")
    # keys are per user: another clerk's identical key is independent
    other = client.post("/api/v1/residents", headers=auth.headers("admin", **{"Idempotency-Key": "phone-retry-1"}), json=body)
    assert other.status_code == 201 and other.get_json()["id"] != first.get_json()["id"]


def test_failed_requests_are_not_remembered_by_idempotency(client, auth):
    headers = auth.headers("lsw_staff", **{"Idempotency-Key": "k2"})
    body = {"household_id": auth.me("resident")["household_id"], "name": "张三", "phone": "bad"}
    assert client.post("/api/v1/residents", headers=headers, json=body).status_code == 422
    body["phone"] = "13700001111"
    assert client.post("/api/v1/residents", headers=headers, json=body).status_code == 201


def test_the_audit_log_is_append_only_in_the_database(client, auth, session):
    rid = _new(client, auth).get_json()["id"]
    client.post(f"/api/v1/residents/{rid}/reveal", headers=auth.headers("lsw_staff"), json={"fields": ["phone"]})
    for statement in ("UPDATE audit_events SET action = 'nothing'", "DELETE FROM audit_events"):
        with pytest.raises(DBAPIError, match="append-only"):
            with session.begin_nested():
                session.execute(text(statement))
    assert session.scalar(select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "resident.reveal")) == 1


def test_id_cards_are_sealed_under_derived_keys_and_survive_a_rotation(app):
    """Encryption and the blind index use separate keys derived from DATA_KEY; a ciphertext names
    its key, so after a rotation old rows still decrypt and rekey moves them to the new key."""
    import hashlib
    import hmac

    from steward.people.pii import Keyring

    old = Keyring("k1", "11" * 32)
    blob = old.encrypt(VALID_ID)
    assert blob.startswith("k1:") and VALID_ID not in blob
    assert old.digest(VALID_ID) != hmac.new(bytes.fromhex("11" * 32), VALID_ID.encode(), hashlib.sha256).hexdigest()
    new = Keyring("k2", "22" * 32, retired={"k1": "11" * 32})
    assert new.decrypt(blob) == VALID_ID and not new.is_current(blob)
    assert new.decrypt(new.encrypt(VALID_ID)) == VALID_ID
    with pytest.raises(LookupError):
        Keyring("k2", "22" * 32).decrypt(blob)
