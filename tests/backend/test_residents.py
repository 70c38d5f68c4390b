"""Residents: search, masking, reveal with audit, ETag/If-Match, Idempotency-Key."""

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError

from steward.audit.models import AuditEvent
from steward.people.models import Resident

from .conftest import needs_text_check

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
    url, staff = f"/api/v1/residents/{rid}/reveal", auth.headers("lsw_staff")
    r = client.post(url, headers=staff, json={"field": "phone", "reason": "上门走访前电话联系"})
    assert r.status_code == 200
    assert r.get_json() == {"field": "phone", "value": "13612345678"}
    r = client.post(url, headers=staff, json={"field": "id_card", "reason": "办理高龄补贴"})
    assert r.get_json() == {"field": "id_card", "value": VALID_ID}
    events = session.scalars(select(AuditEvent).where(AuditEvent.action == "resident.reveal")
                             .order_by(AuditEvent.id)).all()
    assert [e.detail for e in events] == [{"field": "phone", "reason": "上门走访前电话联系"},
                                          {"field": "id_card", "reason": "办理高龄补贴"}]
    assert events[0].resource_id == str(rid) and events[0].actor_role == "staff"
    # the resident of that household may not unmask; another community cannot even see it
    assert client.post(url, headers=auth.headers("resident"), json={"field": "phone", "reason": "想看看"}).status_code == 403
    assert client.post(url, headers=auth.headers("zxxy_staff"), json={"field": "phone", "reason": "走访"}).status_code == 404
    # a reason is required (2–200 characters) and only phone / id_card can be revealed
    for bad in ({"field": "phone"}, {"field": "phone", "reason": "x"}, {"field": "phone", "reason": "x" * 201},
                {"field": "name", "reason": "为什么"}, {"fields": ["phone"], "reason": "旧的写法"}):
        assert client.post(url, headers=staff, json=bad).status_code == 422, bad
    assert len(session.scalars(select(AuditEvent).where(AuditEvent.action == "resident.reveal")).all()) == 2


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
    client.post(f"/api/v1/residents/{rid}/reveal", headers=auth.headers("lsw_staff"),
                json={"field": "phone", "reason": "核对联系方式"})
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


def test_building_filter_and_total(client, auth, session):
    from steward.areas.models import Area, Household, Stairwell

    headers = auth.headers("lsw_staff")
    lsw = session.scalar(select(Area).where(Area.code == "LSW"))
    expected = session.scalar(select(func.count()).select_from(Resident).join(Household).join(Stairwell).where(
        Stairwell.community_id == lsw.id, Stairwell.building == "12"))
    assert expected > 0
    body = client.get(f"/api/v1/residents?area_id={lsw.id}&building=12&limit=1", headers=headers).get_json()
    assert body["total"] == expected and len(body["items"]) == 1
    ids, cursor = [], None
    while True:
        page = client.get("/api/v1/residents?building=12&limit=5" + (f"&cursor={cursor}" if cursor else ""),
                          headers=headers).get_json()
        assert page["total"] == expected  # the same on every page
        ids += [r["id"] for r in page["items"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert len(ids) == expected
    assert all(session.get(Resident, i).household.stairwell.building == "12" for i in ids)
    everyone = client.get("/api/v1/residents?limit=1", headers=headers).get_json()
    stats = client.get(f"/api/v1/areas/{lsw.id}/stats", headers=headers).get_json()
    assert everyone["total"] == stats["residents"]
    assert client.get("/api/v1/residents?building=", headers=headers).status_code == 422
    assert client.get("/api/v1/residents?area_id=999999", headers=headers).status_code == 404


def test_volunteers_look_after_their_grid_and_edit_their_own_household(client, auth, session):
    me = auth.me("volunteer")
    headers = auth.headers("volunteer")
    households = client.get(f"/api/v1/households?area_id={me['area']['id']}&limit=100", headers=headers)
    assert households.status_code == 200 and me["household_id"] in [h["id"] for h in households.get_json()["items"]]
    r = client.post("/api/v1/residents", headers=headers,
                    json={"household_id": me["household_id"], "name": "张小宝", "birth_date": "2019-05-01"})
    assert r.status_code == 201, r.get_json()
    rid, etag = r.get_json()["id"], r.headers["ETag"]
    r = client.patch(f"/api/v1/residents/{rid}", headers={**headers, "If-Match": etag}, json={"name": "张晓宝"})
    assert r.status_code == 200 and r.get_json()["name"] == "张晓宝"
    etag = r.headers["ETag"]
    assert client.patch(f"/api/v1/residents/{rid}", headers={**headers, "If-Match": etag},
                        json={"tags": ["hardship"]}).status_code == 403
    assert client.delete(f"/api/v1/residents/{rid}", headers={**headers, "If-Match": etag}).status_code == 403
    # a neighbour's household in the same grid: visible, but not theirs to edit
    neighbour = next(h["id"] for h in households.get_json()["items"] if h["id"] != me["household_id"])
    assert client.post("/api/v1/residents", headers=headers,
                       json={"household_id": neighbour, "name": "别人家"}).status_code == 403


def test_an_id_card_conflict_from_a_resident_goes_to_staff_not_back_to_the_resident(client, auth, session):
    staff_made = _new(client, auth)  # VALID_ID now belongs to 周阿婆
    assert staff_made.status_code == 201
    # the resident adds a family member with the same number: accepted, no hint of the clash
    r = _new(client, auth, who="resident", name="周某", phone=None, tags=[])
    assert r.status_code == 201, r.get_json()
    fresh = _new(client, auth, who="resident", name="周某某", phone=None, tags=[], id_card="440305195503120024")
    assert fresh.status_code == 201
    shown, baseline = r.get_json(), fresh.get_json()
    assert shown["id_card"] == "110***********002X" and shown["id_card_conflict"] is False
    assert set(shown) == set(baseline) and baseline["id_card_conflict"] is False
    # the committee sees it, can list such residents, and finds the other resident in the audit log
    staff = auth.headers("lsw_staff")
    assert client.get(f"/api/v1/residents/{shown['id']}", headers=staff).get_json()["id_card_conflict"] is True
    flagged = client.get("/api/v1/residents?id_card_conflict=true", headers=staff).get_json()
    assert [x["id"] for x in flagged["items"]] == [shown["id"]] and flagged["total"] == 1
    assert client.get("/api/v1/residents?id_card_conflict=true", headers=auth.headers("resident")).status_code == 403
    event = session.scalar(select(AuditEvent).where(AuditEvent.action == "resident.id_card_conflict"))
    assert event.resource_id == str(shown["id"]) and event.detail == {"other_resident_id": staff_made.get_json()["id"]}
    # staff resolve it: the number is refused to them while the other resident holds it
    etag = client.get(f"/api/v1/residents/{shown['id']}", headers=staff).headers["ETag"]
    r = client.patch(f"/api/v1/residents/{shown['id']}", headers={**staff, "If-Match": etag}, json={"id_card": VALID_ID})
    assert r.status_code == 422 and "id_card" in r.get_json()["errors"]
    r = client.patch(f"/api/v1/residents/{shown['id']}", headers={**staff, "If-Match": etag}, json={"id_card": None})
    assert r.status_code == 200 and r.get_json()["id_card_conflict"] is False and r.get_json()["id_card"] is None


@needs_text_check
@pytest.mark.parametrize("name", ["周\u202e阿婆", "周\x00阿婆", "周\u2067阿婆"])
def test_resident_names_refuse_control_and_bidi_characters(client, auth, session, name):
    before = session.scalar(select(func.count()).select_from(Resident))
    assert _new(client, auth, name=name).status_code == 422
    rid = auth.me("resident")["resident_id"]
    headers = auth.headers("resident")
    etag = client.get(f"/api/v1/residents/{rid}", headers=headers).headers["ETag"]
    r = client.patch(f"/api/v1/residents/{rid}", headers={**headers, "If-Match": etag}, json={"name": name})
    assert r.status_code == 422 and list(r.get_json()["errors"]) == ["name"]
    assert session.scalar(select(func.count()).select_from(Resident)) == before
