"""The hot read paths (bench/speed.py) skip the ORM objects and marshmallow where that costs most; these
tests hold their answers equal to the schema's dump of the same data, masking and scope included."""
from sqlalchemy import select

from steward.db import db
from steward.people.models import HouseholdClaim, Resident, User
from steward.people.schemas import ClaimBrief, MeOut, ResidentOut
from steward.people.service import RESIDENT_LOAD
from steward.scope import scoped

from .conftest import PHONES


def all_pages(client, headers, url):
    items, cursor = [], None
    while True:
        body = client.get(url + (f"&cursor={cursor}" if cursor else ""), headers=headers).get_json()
        items += body["items"]
        cursor = body["next_cursor"]
        if not cursor:
            return items


def test_list_items_equal_the_schema_dump_of_each_resident(app, client, auth):
    for who in ("admin", "lsw_staff", "zxxy_staff", "volunteer", "resident"):
        headers = auth.headers(who)
        items = all_pages(client, headers, "/api/v1/residents?limit=100")
        assert items or who == "volunteer", who
        with app.test_request_context():
            user = db.session.get(User, auth.me(who)["id"])
            expected = {r.id: ResidentOut().dump(r) for r in db.session.scalars(scoped(user, Resident, *RESIDENT_LOAD))}
        assert {i["id"]: i for i in items} == expected, who
        for item in items[:3]:  # and each equals the single-resident answer
            assert client.get(f"/api/v1/residents/{item['id']}", headers=headers).get_json() == item


def test_list_masks_phones_and_id_cards(client, auth):
    items = all_pages(client, auth.headers("lsw_staff"), "/api/v1/residents?limit=100")
    phones = [i["phone"] for i in items if i["phone"]]
    cards = [i["id_card"] for i in items if i["id_card"]]
    assert phones and all("****" in p and len(p) == 11 for p in phones)
    assert cards and all("*" * 8 in c for c in cards)


def test_filters_and_tags_on_the_fast_list(client, auth):
    headers = auth.headers("lsw_staff")
    everyone = all_pages(client, headers, "/api/v1/residents?limit=100")
    tagged = [i for i in everyone if "elderly_alone" in i["tags"]]
    assert tagged and all_pages(client, headers, "/api/v1/residents?limit=7&tag=elderly_alone") == tagged
    one = everyone[0]
    assert all_pages(client, headers, f"/api/v1/residents?limit=5&household_id={one['household']['id']}") == [
        i for i in everyone if i["household"]["id"] == one["household"]["id"]]


def test_me_shows_the_latest_claim_as_the_schema_would(app, client, auth):
    me = client.get("/api/v1/me", headers=auth.headers("pending")).get_json()
    with app.test_request_context():
        claim = db.session.scalar(select(HouseholdClaim).where(HouseholdClaim.user_id == auth.me("pending")["id"])
                                  .order_by(HouseholdClaim.id.desc()).limit(1))
        assert me["claim"] == ClaimBrief().dump(claim)
    assert me["claim"]["status"] == "pending" and me["claim"]["address"].endswith("室")
    assert me["phone"] == PHONES["pending"]  # your own phone, in full


def test_me_equals_the_schema_dump_for_every_role(app, client, auth):
    from steward.auth.api import _with_claim

    for who in PHONES:
        me = client.get("/api/v1/me", headers=auth.headers(who)).get_json()
        with app.test_request_context():
            user = db.session.get(User, auth.me(who)["id"])  # the ORM user, not the token's principal
            assert me == MeOut().dump(_with_claim(user)), who
    assert {k for k in me if me[k] is not None} >= {"area", "community", "claim"}  # pending: every part shown
    partner = client.get("/api/v1/me", headers=auth.headers("partner")).get_json()
    assert partner["unit"]["name"] and partner["community"] is not None
    assert client.get("/api/v1/me", headers=auth.headers("admin")).get_json()["community"] is None


def test_me_answers_household_and_community_from_the_one_auth_statement(client, auth, count_queries):
    headers = auth.headers("resident")
    client.get("/api/v1/me", headers=headers)
    with count_queries() as statements:
        me = client.get("/api/v1/me", headers=headers).get_json()
    assert me["household_id"] and me["community"]["id"] and me["area"]["id"]
    # the session and user; the area (and so the community, here the same); the latest claim
    assert len([s for s in statements if s.lstrip().upper().startswith("SELECT")]) <= 3, statements


def test_a_session_past_its_expiry_is_refused(client, auth, session):
    from datetime import timedelta

    from steward.auth.models import AuthSession
    from steward.db import utcnow

    headers = auth.headers("resident")
    assert client.get("/api/v1/me", headers=headers).status_code == 200
    for row in session.scalars(select(AuthSession).where(AuthSession.user_id == auth.me("resident")["id"])):
        row.expires_at = utcnow() - timedelta(seconds=1)
    session.commit()
    assert client.get("/api/v1/me", headers=headers).status_code == 401


def test_a_moved_user_sees_their_new_area_at_once(client, auth, session):
    headers = auth.headers("lsw_staff")
    before = {i["community"]["id"] for i in all_pages(client, headers, "/api/v1/residents?limit=100")}
    other = auth.me("zxxy_staff")["area"]
    user = session.scalar(select(User).where(User.phone == PHONES["lsw_staff"]))
    user.area_id, user.area_path = other["id"], other["path"]
    session.commit()
    after = {i["community"]["id"] for i in all_pages(client, headers, "/api/v1/residents?limit=100")}
    assert after == {other["id"]} != before
    assert client.get("/api/v1/me", headers=headers).get_json()["area"]["id"] == other["id"]


def test_the_signed_in_user_reads_like_a_user_and_refuses_writes(app, auth):
    import dataclasses

    import pytest
    from flask_jwt_extended import decode_token

    from steward.auth.service import session_is_live

    tokens = auth.tokens("partner")
    with app.test_request_context():
        claims = decode_token(tokens["access_token"])
        me = session_is_live(db.session, claims["sid"], int(claims["sub"]))
        assert me.role == "partner" and me.unit_id and me.unit.id == me.unit_id  # unit: from the ORM row
        assert me.last_login_at is not None and me.area.path == me.area_path and me.area.id == me.area_id
        with pytest.raises(dataclasses.FrozenInstanceError):
            me.role = "admin"
        assert session_is_live(db.session, claims["sid"], int(claims["sub"]) + 1) is None  # another user's token
        assert session_is_live(db.session, None, int(claims["sub"])) is None


def test_a_remembered_token_still_expires_and_a_forged_one_is_not_remembered(app, client, auth, monkeypatch):
    import datetime as real_datetime
    from datetime import timedelta

    import jwt.api_jwt
    from flask_jwt_extended import create_access_token, decode_token

    from steward import extensions

    me = auth.me("resident")
    with app.app_context():
        sid = decode_token(auth.tokens("resident")["access_token"])["sid"]
        token = create_access_token(identity=str(me["id"]), additional_claims={"sid": sid},
                                    expires_delta=timedelta(minutes=5))
    headers = {"Authorization": f"Bearer {token}", "Accept-Language": "en"}
    assert client.get("/api/v1/me", headers=headers).status_code == 200  # verified and remembered
    assert client.get("/api/v1/me", headers=headers).status_code == 200

    head, claims, signature = token.split(".")
    forged = f"{head}.{claims}.{signature[:-4]}AAAA"
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {forged}"}).status_code == 401

    later = real_datetime.datetime.now(real_datetime.timezone.utc) + timedelta(minutes=10)

    class Later(real_datetime.datetime):
        @classmethod
        def now(cls, tz=None):
            return later

    monkeypatch.setattr(extensions.time, "time", lambda: later.timestamp())
    monkeypatch.setattr(jwt.api_jwt, "datetime", Later)
    r = client.get("/api/v1/me", headers=headers)
    assert r.status_code == 401 and r.get_json()["detail"] == "The token has expired."


def test_total_counts_every_page_on_first_and_later_pages(client, auth):
    headers = auth.headers("lsw_staff")
    for query in ("", "&tag=elderly_alone"):
        first = client.get(f"/api/v1/residents?limit=3{query}", headers=headers).get_json()
        everyone = all_pages(client, headers, f"/api/v1/residents?limit=3{query}")
        second = client.get(f"/api/v1/residents?limit=3{query}&cursor={first['next_cursor']}", headers=headers).get_json()
        assert first["total"] == second["total"] == len(everyone) > 3, query
    assert client.get("/api/v1/residents?limit=3&q=nobody-has-this-name", headers=headers).get_json()["total"] == 0


def test_me_equals_the_schema_dump_of_the_orm_objects(app, client, auth):
    from types import SimpleNamespace

    from steward.areas.models import Area

    for who in ("resident", "volunteer", "lsw_staff", "town", "admin", "partner", "pending"):
        me = client.get("/api/v1/me", headers=auth.headers(who)).get_json()
        with app.test_request_context():
            user = db.session.get(User, auth.me(who)["id"])
            community_id = user.area.community_id()
            claim = db.session.scalar(select(HouseholdClaim).where(HouseholdClaim.user_id == user.id)
                                      .order_by(HouseholdClaim.id.desc()).limit(1))
            expected = MeOut().dump(SimpleNamespace(
                id=user.id, phone=user.phone, name=user.name, role=user.role,
                must_change_password=user.must_change_password, area=user.area,
                community=db.session.get(Area, community_id) if community_id else None,
                resident_id=user.resident_id, household_id=user.household_id, unit=user.unit, latest_claim=claim,
                is_unit_admin=user.is_unit_admin))
        assert me == expected, who
