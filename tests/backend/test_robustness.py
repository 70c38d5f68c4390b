"""Hostile input answers 4xx problem+json, never 500: numbers too large for their column, deep or
invalid JSON, control and bidi characters, forged cursors, overlong paths, floods of parameters —
checked both per rule and as a sweep over every operation of the API, so a new one is covered too."""
import base64
import json
import re
from urllib.parse import quote

import pytest
from marshmallow import fields, validate

from steward.core.http import api_meta
from steward.core.schemas import INT_MAX, INT_MIN, StrictSchema, Text, no_control_chars
from steward.extensions import api

from .test_conventions import assert_problem

HUGE = [2**31, 2**63, 10**30, -(2**63)]
BAD_TEXT = ["a\x00b", "a\x07b", "\u202eevil", "x\u2066y", "张\u200f三", "\x1b[31m"]


def _operations():
    """(method, rule, meta) for every operation of the API."""
    for ns in api.namespaces:
        base = api.ns_paths.get(ns)
        if base is None:
            continue
        for route in ns.resources:
            for url in route.urls:
                for method in ("get", "post", "put", "patch", "delete"):
                    func = getattr(route.resource, method, None)
                    if func is not None:
                        yield method, "/api/v1" + base.rstrip("/") + url, api_meta(func)


def _walk(schema):
    for name, field in schema.fields.items():
        yield name, field
        if isinstance(field, fields.List):
            yield f"{name}[]", field.inner


def test_every_input_is_a_strict_schema_with_bounded_fields():
    """The rule lives in StrictSchema; this fails if an input schema escapes it."""
    checked = 0
    for method, rule, meta in _operations():
        for kind in ("body", "query"):
            schema = meta.get(kind)
            if schema is None:
                continue
            assert isinstance(schema, StrictSchema), f"{method.upper()} {rule}: {kind} is not a StrictSchema"
            for name, field in _walk(schema):
                where = f"{method.upper()} {rule} {kind}.{name}"
                ranges = [v for v in field.validators if isinstance(v, validate.Range)]
                lengths = [v for v in field.validators if isinstance(v, validate.Length) and v.max is not None]
                if isinstance(field, fields.Integer):
                    assert ranges and max(r.min for r in ranges if r.min is not None) >= INT_MIN, where
                    assert min(r.max for r in ranges if r.max is not None) <= INT_MAX, where
                elif isinstance(field, fields.String):
                    assert no_control_chars in field.validators, where
                    assert lengths or any(isinstance(v, validate.OneOf) for v in field.validators), where
                elif isinstance(field, fields.List):
                    assert lengths, where
                checked += 1
    assert checked > 40


@pytest.mark.parametrize("value", [str(n) for n in HUGE] + ["9" * 250, "0", "-1"])
def test_path_ids_out_of_range_are_404(client, auth, value):
    assert_problem(client.get(f"/api/v1/residents/{value}", headers=auth.headers("lsw_staff")), 404)


@pytest.mark.parametrize("value", HUGE)
def test_integers_out_of_range_are_422_in_query_and_body(client, auth, value):
    headers = auth.headers("lsw_staff")
    body = assert_problem(client.get(f"/api/v1/residents?household_id={value}", headers=headers), 422)
    assert "household_id" in body["errors"]
    body = assert_problem(client.post("/api/v1/residents", headers=headers, json={"household_id": value, "name": "x"}), 422)
    assert "household_id" in body["errors"]


@pytest.mark.parametrize("raw", ["1e400", "NaN", "Infinity", "-Infinity"])
def test_json_number_edge_cases(client, auth, raw):
    r = client.post("/api/v1/residents", headers=auth.headers("lsw_staff", **{"Content-Type": "application/json"}),
                    data='{"household_id": %s, "name": "x"}' % raw)
    assert r.status_code in (400, 422)
    assert_problem(r, r.status_code)


@pytest.mark.parametrize("payload", [
    "[" * 100_000 + "]" * 100_000,
    '{"name": ' + "[" * 100_000 + "]" * 100_000 + "}",
    '{"tags": ' + "[" * 40 + "]" * 40 + "}",
])
def test_deeply_nested_json_is_400(client, auth, payload):
    r = client.post("/api/v1/residents", headers=auth.headers("lsw_staff", **{"Content-Type": "application/json"}),
                    data=payload)
    assert assert_problem(r, 400)["type"].endswith("/malformed-json")


@pytest.mark.parametrize("payload", [
    '{"household_id": 1, "name": "\\ud800"}',
    '{"household_id": 1, "name": "a\\udfffb"}',
    '{"\\ud800": 1}',
    '{"tags": ["\\udc00"]}',
])
def test_lone_surrogates_are_400(client, auth, payload):
    r = client.post("/api/v1/residents", headers=auth.headers("lsw_staff", **{"Content-Type": "application/json"}),
                    data=payload)
    assert assert_problem(r, 400)["type"].endswith("/malformed-json")


def test_surrogate_pairs_are_fine(client, auth):
    household = auth.me("resident")["household_id"]
    r = client.post("/api/v1/residents", headers=auth.headers("lsw_staff", **{"Content-Type": "application/json"}),
                    data='{"household_id": %d, "name": "\\ud842\\udfb7\\u5409"}' % household)
    assert r.status_code == 201 and r.get_json()["name"] == "𠮷吉"


@pytest.mark.parametrize("text", BAD_TEXT + ["two\nlines", "tab\there"])
def test_control_and_bidi_characters_are_refused_in_names(client, auth, text):
    household = auth.me("resident")["household_id"]
    r = client.post("/api/v1/residents", headers=auth.headers("lsw_staff"), json={"household_id": household, "name": text})
    assert "name" in assert_problem(r, 422)["errors"]
    r = client.get(f"/api/v1/residents?q={quote(text)}", headers=auth.headers("lsw_staff"))
    assert "q" in assert_problem(r, 422)["errors"]


def test_nul_is_refused_in_every_string_even_without_text(client, auth):
    r = client.post("/api/v1/auth/login", json={"phone": "13800000005", "password": "Steward@2026\x00"})
    assert "password" in assert_problem(r, 422)["errors"]


def test_multiline_text_keeps_line_breaks_but_not_other_controls():
    class Note(StrictSchema):
        note = Text(multiline=True)

    assert Note().load({"note": " 第一行\r\n\t第二行 "}) == {"note": "第一行\n\t第二行"}
    assert Note().validate({"note": "a\x00b"}) == {"note": ["Control characters are not allowed."]}
    assert Note().validate({"note": "a\x1bb"}) == {"note": ["Control characters are not allowed."]}


def test_messages_are_translated(client, auth):
    household = auth.me("resident")["household_id"]
    r = client.post("/api/v1/residents", headers=auth.headers("lsw_staff"), json={"household_id": household, "name": "\u202e"})
    assert assert_problem(r, 422)["errors"]["name"] == ["不能包含文字方向控制字符。"]
    r = client.post("/api/v1/residents", headers=auth.headers("lsw_staff"), json={"household_id": 10**30, "name": "x"})
    assert assert_problem(r, 422)["errors"]["household_id"] == [f"须在 {INT_MIN} 到 {INT_MAX} 之间。"]


def _cursor(values) -> str:
    return base64.urlsafe_b64encode(json.dumps(values).encode()).decode().rstrip("=")


@pytest.mark.parametrize("values", [["abc"], [2**70], [True], [1.5], [None], [{"dt": "x"}], [[1]], [{}]])
def test_cursors_of_the_wrong_types_are_400(client, auth, values):
    headers = auth.headers("lsw_staff")
    for url in ("/api/v1/residents", "/api/v1/audit-events", "/api/v1/users"):
        body = assert_problem(client.get(f"{url}?cursor={_cursor(values)}", headers=headers), 400)
        assert body["type"].endswith("/invalid-cursor")


@pytest.mark.parametrize("values", [[1], [1, 2, 3], [{"dt": "2026-01-01T00:00:00"}, 3], ["x", 3], [2**40, 3],
                                    [1, 2**40], [True, 1]])
def test_compound_cursors_are_typed_per_key(client, auth, values):
    r = client.get(f"/api/v1/areas?cursor={_cursor(values)}", headers=auth.headers("admin"))
    assert assert_problem(r, 400)["type"].endswith("/invalid-cursor")


def test_a_real_cursor_still_works(client, auth):
    headers = auth.headers("admin")
    first = client.get("/api/v1/areas?limit=2", headers=headers).get_json()
    second = client.get(f"/api/v1/areas?limit=2&cursor={first['next_cursor']}", headers=headers)
    assert second.status_code == 200 and second.get_json()["items"][0]["id"] not in {a["id"] for a in first["items"]}


def test_public_route_with_token_and_idempotency_key(client, auth):
    headers = auth.headers("resident", **{"Idempotency-Key": "public-1"})
    r = client.post("/api/v1/auth/register", headers=headers, json={})
    assert_problem(r, 422)


@pytest.mark.parametrize("path", ["/" + "a" * 5000, "/" + "a/" * 3000, "/" + "b" * 300,
                                  "/api/v1/residents/" + "1" * 3000, "/api/" + "x" * 300])
def test_overlong_paths_are_414(client, path):
    assert assert_problem(client.get(path), 414)["type"].endswith("/uri-too-long")


def test_thousands_of_repeated_list_parameters_are_capped(client, auth):
    r = client.get("/api/v1/residents?" + "&".join(["tag=elderly_alone"] * 10_000), headers=auth.headers("lsw_staff"))
    assert assert_problem(r, 422)["errors"]["tag"] == ["长度不能超过 50。"]
    r = client.get("/api/v1/residents?" + "&".join(["tag=elderly_alone"] * 3), headers=auth.headers("lsw_staff"))
    assert r.status_code == 200


def test_head_is_get_without_a_body(client, auth):
    r = client.head("/api/v1/public/communities")
    assert r.status_code == 200 and r.get_data() == b"" and r.headers["Content-Type"] == "application/json"
    assert client.head("/api/v1/residents").status_code == 401
    assert client.head("/api/v1/residents", headers=auth.headers("lsw_staff")).status_code == 200
    assert client.head("/api/v1/household-claims", headers=auth.headers("resident")).status_code == 403


def test_redirects_under_api_are_json(client):
    r = client.get("/api/v1")
    assert r.status_code == 308 and r.headers["Content-Type"] == "application/json"
    assert r.get_json() == {"status": 308, "location": r.headers["Location"]}
    assert r.headers["Location"].endswith("/api/v1/")


def test_docs_page_has_a_strict_csp_and_no_inline_script(client):
    r = client.get("/api/docs")
    csp = r.headers["Content-Security-Policy"]
    assert "script-src 'self';" in csp and "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
    assert "default-src 'none'" in csp and "frame-ancestors 'none'" in csp
    html = r.get_data(as_text=True)
    assert "<script>" not in html and "SwaggerUIBundle(" not in html
    for src in ("/api/docs/swagger-ui-bundle.js", "/api/docs/boot.js", "/api/docs/swagger-ui.css"):
        assert src in html
        assert client.get(src).status_code == 200
    assert "validatorUrl: null" in client.get("/api/docs/boot.js").get_data(as_text=True)
    assert_problem(client.get("/api/docs/oauth2-redirect.html"), 404)


# ------------------------------------------------------------------ the sweep over every operation
def _path(rule: str, value: str = "1") -> str:

    return re.sub(r"<(?:\w+:)?\w+>", value, rule)


def _sweep_cases():
    for method, rule, meta in _operations():
        for kind in ("query", "body"):
            schema = meta.get(kind)
            if schema is None:
                continue
            for name, field in schema.fields.items():
                if field.dump_only:
                    continue
                key = field.data_key or name
                if isinstance(field, fields.Integer):
                    for value in (10**30, 2**63):
                        yield method, rule, kind, key, value
                elif isinstance(field, Text) and not field.multiline:
                    for value in ("a\x00b", "\u202e"):
                        yield method, rule, kind, key, value
                elif isinstance(field, fields.String):
                    yield method, rule, kind, key, "a\x00b"
                elif isinstance(field, fields.List) and kind == "body":
                    yield method, rule, kind, key, ["x"] * 1000


@pytest.mark.parametrize("who", ["admin", "lsw_staff"])
def test_sweep_every_operation_with_hostile_values(client, auth, who):
    headers = auth.headers(who)
    seen = 0
    for method, rule, kind, key, value in _sweep_cases():
        url = _path(rule)
        if kind == "query":
            r = client.open(url, method=method.upper(), headers=headers, query_string={key: value})
        else:
            r = client.open(url, method=method.upper(), headers={**headers, "If-Match": "*"}, json={key: value})
        assert 400 <= r.status_code < 500, (method, rule, kind, key, repr(value), r.status_code, r.get_data(as_text=True))
        assert_problem(r, r.status_code)
        seen += 1
    for method, rule, _meta in _operations():
        if "<" in rule:
            for value in ("2147483648", "9223372036854775808", "0"):
                r = client.open(_path(rule, value), method=method.upper(), headers=headers, json={})
                assert_problem(r, 404)
                seen += 1
    assert seen > 100


@pytest.mark.parametrize("limit", [1, 9, 10, 305, 1000, INT_MAX])
def test_the_id_regex_matches_exactly_one_to_the_limit(limit):
    import random

    from steward.core.http import digits_up_to

    rx = re.compile(digits_up_to(limit))
    rng = random.Random(limit)
    numbers = list(range(0, 2000)) + [limit - 1, limit, limit + 1, limit * 10, 2**31, 2**63]
    numbers += [rng.randrange(limit * 2) for _ in range(2000)]
    for n in numbers:
        assert bool(rx.fullmatch(str(n))) == (1 <= n <= limit), n
    for text in ("0", "01", "-1", "", "1.0", "+1", " 1"):
        assert not rx.fullmatch(text)


@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE", "OPTIONS", "GET"])
def test_out_of_range_ids_are_404_whatever_the_method(client, method):
    for value in ("0", "2147483648", "09"):
        assert_problem(client.open(f"/api/v1/residents/{value}", method=method), 404)
    assert_problem(client.open("/api/v1/no-such-thing", method=method), 404)


@pytest.mark.parametrize("value", [0, 1, "true", "1", None, [], {}])
def test_booleans_are_json_booleans(client, auth, value):
    unit = client.get("/api/v1/units", headers=auth.headers("lsw_staff")).get_json()["items"][0]
    r = client.patch(f"/api/v1/units/{unit['id']}", headers=auth.headers("lsw_staff"), json={"is_active": value})
    assert "is_active" in assert_problem(r, 422)["errors"]


@pytest.mark.parametrize("value", ["12", 12.0, 12.5, True, "1e3"])
def test_integers_are_json_integers_in_bodies(client, auth, value):
    r = client.post("/api/v1/residents", headers=auth.headers("lsw_staff"), json={"household_id": value, "name": "x"})
    assert "household_id" in assert_problem(r, 422)["errors"]


def test_query_strings_are_read_into_their_types(client, auth):
    headers = auth.headers("lsw_staff")
    assert client.get("/api/v1/residents?household_id=1&limit=5", headers=headers).status_code == 200
    for query in ("limit=5.0", "limit=abc", "limit=", "household_id=1e3", "limit=" + "9" * 30):
        assert_problem(client.get(f"/api/v1/residents?{query}", headers=headers), 422)


def test_options_and_405_advertise_exactly_the_documented_methods(client, app):
    """No API path falls through to the SPA route, whose GET would be advertised too."""
    from steward.openapi import build_spec

    with app.app_context():
        spec = build_spec(app)
    checked = 0
    for path, item in spec["paths"].items():
        servers = {s["url"] for op in item.values() if isinstance(op, dict) for s in op.get("servers", [])}
        if servers:  # routes outside /api/v1 (Open311) answer in their own protocol's shape
            continue
        url = "/api/v1" + re.sub(r"\{\w+\}", "1", path)
        documented = {m.upper() for m in item if m in ("get", "post", "put", "patch", "delete")}
        r = client.options(url)
        advertised = {m.strip() for m in r.headers["Allow"].split(",")} - {"HEAD", "OPTIONS"}
        assert advertised == documented, (path, r.headers["Allow"])
        for method in {"GET", "POST", "PUT", "PATCH", "DELETE"} - documented:
            r = client.open(url, method=method)
            assert_problem(r, 405)
            assert {m.strip() for m in r.headers["Allow"].split(",")} - {"HEAD", "OPTIONS"} == documented, path
        checked += 1
    assert checked > 20


@pytest.mark.parametrize("part, kind", [
    ('{"title": "\\ud800"}', "malformed-json"),
    ("[" * 100 + "]" * 100, "malformed-json"),
    ('{"a": ' * 40 + "1" + "}" * 40, "malformed-json"),
    ("NaN", "malformed-json"),
])
def test_the_json_part_of_a_multipart_body_follows_the_same_rules(client, auth, part, kind):
    r = client.post("/api/v1/cases", headers=auth.headers("resident"), data={"data": part},
                    content_type="multipart/form-data")
    assert assert_problem(r, 400)["type"].endswith("/" + kind)
