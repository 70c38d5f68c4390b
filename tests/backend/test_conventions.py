"""API conventions: problem+json for every failure, i18n, limits, and 'bad input writes nothing'."""
import pytest
from sqlalchemy import func, select

from steward.people.models import Resident

PROBLEM = "application/problem+json"


def assert_problem(r, status):
    assert r.status_code == status, r.get_data(as_text=True)
    assert r.headers["Content-Type"] == PROBLEM
    body = r.get_json()
    assert body["status"] == status and body["title"] and body["type"].startswith("https://")
    text = r.get_data(as_text=True)
    assert "Traceback" not in text and "<html" not in text.lower()
    return body


def _household_id(auth):
    return auth.me("resident")["household_id"]


def count_residents(session):
    return session.scalar(select(func.count()).select_from(Resident))


def test_unknown_api_path_is_problem_json(client):
    assert_problem(client.get("/api/v1/no-such-thing"), 404)
    assert_problem(client.get("/api/nope"), 404)


def test_wrong_method_is_405_with_allow(client, auth):
    r = client.put("/api/v1/residents", headers=auth.headers("lsw_staff"), json={})
    assert_problem(r, 405)
    assert "GET" in r.headers["Allow"]


@pytest.mark.parametrize("payload, content_type, status, kind", [
    (b"{not json", "application/json", 400, "malformed-json"),
    (b"[1, 2]", "application/json", 400, "malformed-json"),
    (b"\xff\xfe", "application/json", 400, "malformed-json"),
    (b"name=x", "application/x-www-form-urlencoded", 415, "unsupported-media-type"),
])
def test_malformed_bodies_are_rejected_and_write_nothing(client, auth, session, payload, content_type, status, kind):
    before = count_residents(session)
    r = client.post("/api/v1/residents", data=payload, headers=auth.headers("lsw_staff", **{"Content-Type": content_type}))
    assert assert_problem(r, status)["type"].endswith(kind)
    assert count_residents(session) == before


def test_oversize_body_is_413(client, auth, session):
    before = count_residents(session)
    big = '{"name": "' + "x" * (1024 * 1024 + 10) + '"}'
    r = client.post("/api/v1/residents", data=big, headers=auth.headers("lsw_staff", **{"Content-Type": "application/json"}))
    assert_problem(r, 413)
    assert count_residents(session) == before


def test_unknown_fields_and_wrong_types_give_field_messages(client, auth, session):
    before = count_residents(session)
    r = client.post("/api/v1/residents", headers=auth.headers("lsw_staff"), json={
        "household_id": "abc", "name": 42, "birth_date": "31/12/1950", "tags": ["vip"], "is_admin": True})
    body = assert_problem(r, 422)
    errors = body["errors"]
    assert errors["is_admin"] == ["不允许的字段。"]
    assert errors["household_id"] == ["不是有效的整数。"]
    assert errors["name"] == ["不是有效的文本。"]
    assert "birth_date" in errors
    assert errors["tags.0"] == ["须为以下之一：elderly_alone, hardship, party_member, volunteer。"]  # list items by dotted path
    assert body["title"] == "提交的内容有误"
    assert count_residents(session) == before


def test_messages_follow_accept_language(client, auth):
    r = client.post("/api/v1/residents", headers=auth.headers("lsw_staff", **{"Accept-Language": "en-US,en;q=0.9"}),
                    json={"household_id": 1, "name": "张三", "phone": "123"})
    body = assert_problem(r, 422)
    assert body["title"] == "Unprocessable Content"
    assert body["errors"]["phone"] == ["Enter a mainland mobile number of 11 digits starting with 1."]
    r = client.post("/api/v1/residents", headers=auth.headers("lsw_staff", **{"Accept-Language": "zh-CN"}),
                    json={"household_id": 1, "name": "张三", "phone": "123"})
    assert assert_problem(r, 422)["errors"]["phone"] == ["请输入以 1 开头的 11 位手机号码。"]
    assert "Accept-Language" in r.headers["Vary"]


@pytest.mark.parametrize("query, field", [
    ("limit=0", "limit"), ("limit=101", "limit"), ("limit=abc", "limit"), ("tag=vip", "tag.0"), ("colour=red", "colour"),
])
def test_bad_query_parameters(client, auth, query, field):
    body = assert_problem(client.get(f"/api/v1/residents?{query}", headers=auth.headers("lsw_staff")), 422)
    assert field in body["errors"]


@pytest.mark.parametrize("cursor", ["!!!", "bm90LWpzb24", "WzEsMiwzXQ", "e30"])
def test_bad_cursor_is_400(client, auth, cursor):
    body = assert_problem(client.get(f"/api/v1/residents?cursor={cursor}", headers=auth.headers("lsw_staff")), 400)
    assert body["type"].endswith("/invalid-cursor")


def test_unexpected_errors_are_500_problems_without_traces(client, auth, monkeypatch):
    from steward.people import service

    def boom(*a, **k):
        raise RuntimeError("secret internals")

    monkeypatch.setattr(service, "list_residents", boom)
    r = client.get("/api/v1/residents", headers=auth.headers("lsw_staff"))
    body = assert_problem(r, 500)
    assert "secret" not in r.get_data(as_text=True)
    assert body["request_id"] == r.headers["X-Request-ID"]


def test_request_id_is_echoed(client):
    r = client.get("/healthz", headers={"X-Request-ID": "abc-123"})
    assert r.headers["X-Request-ID"] == "abc-123"
    assert client.get("/readyz").get_json() == {"status": "ready"}


def test_pagination_walks_every_row_once(client, auth):
    headers = auth.headers("lsw_staff")
    seen, cursor, pages = [], None, 0
    while True:
        url = "/api/v1/residents?limit=100" + (f"&cursor={cursor}" if cursor else "")
        body = client.get(url, headers=headers).get_json()
        seen += [r["id"] for r in body["items"]]
        pages += 1
        cursor = body["next_cursor"]
        if not cursor:
            break
    assert len(seen) == len(set(seen))
    assert seen == sorted(seen)
    stats = client.get(f"/api/v1/areas/{auth.me('lsw_staff')['area']['id']}/stats", headers=headers).get_json()
    assert len(seen) == stats["residents"]
    assert pages == -(-len(seen) // 100)


def test_statement_count_does_not_grow_with_page_size(client, auth, count_queries):
    headers = auth.headers("lsw_staff")
    client.get("/api/v1/residents?limit=1", headers=headers)  # warm up caches
    counts = {}
    for limit in (5, 100):
        with count_queries() as statements:
            r = client.get(f"/api/v1/residents?limit={limit}", headers=headers)
        assert len(r.get_json()["items"]) == limit
        counts[limit] = len(statements)
    assert counts[5] == counts[100], counts
    assert counts[100] <= 6


def test_database_outage_is_503_with_retry_after(client, auth, monkeypatch):
    from sqlalchemy.exc import OperationalError

    from steward.people import service

    def down(*a, **k):
        raise OperationalError("SELECT 1", {}, Exception("connection refused"))

    headers = auth.headers("lsw_staff")
    monkeypatch.setattr(service, "list_residents", down)
    r = client.get("/api/v1/residents", headers=headers)
    assert_problem(r, 503)
    assert r.headers["Retry-After"] == "5"
