"""Open311 GeoReport v2 as a generic client uses it: form posts with an api_key, reads in JSON and XML,
the spec's error lists, scopes, public data only without a key, and no personal data anywhere."""
import re
import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest
from sqlalchemy import exists, func, not_, select

from steward.alliances.models import Unit
from steward.areas.models import Area, Stairwell
from steward.audit.models import AuditEvent
from steward.cases.models import Case, CaseEvent, CasePart
from steward.db import utcnow
from steward.partners import keys
from steward.partners.demo import DEMO_API_KEY, DEMO_CLIENT_ID
from steward.partners.models import ApiClient
from steward.people.models import User

V2 = "/open311/v2"
KEY = DEMO_API_KEY
MOBILE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")


def _xml(r):
    assert r.headers["Content-Type"] == "text/xml; charset=utf-8", r.headers["Content-Type"]
    body = r.get_data()
    assert body.startswith(b'<?xml version="1.0" encoding="utf-8"?>')
    return ET.fromstring(body)


def _json(r, status=200):
    assert r.status_code == status, r.get_data(as_text=True)
    assert r.headers["Content-Type"] == "application/json; charset=utf-8"
    return r.get_json()


def _report(client, key=KEY, fmt="json", **form):
    body = {"api_key": key, "service_code": "facility_damage", "lat": "30.9146", "long": "121.3953",
            "description": "钜庭路上窨井盖不见了，晚上很危险。", "attribute[danger]": "是", **form}
    return client.post(f"{V2}/requests.{fmt}", data={k: v for k, v in body.items() if v is not None})


def _errors(r, status):
    assert r.status_code == status, r.get_data(as_text=True)
    if r.headers["Content-Type"].startswith("text/xml"):
        root = _xml(r)
        assert root.tag == "errors" and root[0].tag == "error"
        return [(int(e.findtext("code")), e.findtext("description")) for e in root]
    body = _json(r, status)
    assert isinstance(body, list) and body and set(body[0]) == {"code", "description"}
    return [(e["code"], e["description"]) for e in body]


def _new_client(session, unit_name, scopes=("cases:read", "cases:write"), client_id=None):
    unit = session.scalar(select(Unit).where(Unit.name == unit_name))
    client_id = client_id or keys.new_client_id()
    secret = keys.new_secret()
    session.add(ApiClient(client_id=client_id, secret_hash=keys.hash_secret(client_id, secret), name=f"{unit_name} 系统",
                          unit_id=unit.id, area_path=unit.area_path, scopes=list(scopes)))
    session.commit()
    return keys.join(client_id, secret)


# ------------------------------------------------------------------ the generic client's flow
def test_discovery_points_at_this_endpoint_in_both_formats(client):
    doc = _json(client.get(f"{V2}/discovery.json"))
    assert doc["endpoints"][0]["url"].endswith("/open311/v2")
    assert doc["endpoints"][0]["specification"] == "http://wiki.open311.org/GeoReport_v2"
    root = _xml(client.get(f"{V2}/discovery.xml"))
    assert root.tag == "discovery"
    assert [f.text for f in root.find("endpoints/endpoint/formats")] == ["application/json", "text/xml"]


def test_services_list_the_categories_with_their_questions(client):
    services = _json(client.get(f"{V2}/services.json?jurisdiction_id=LSW"))
    by_code = {s["service_code"]: s for s in services}
    assert {"clutter", "parking", "facility_damage", "neighbour_dispute"} <= set(by_code)
    damage = by_code["facility_damage"]
    assert damage == {"service_code": "facility_damage", "service_name": "设施损坏", "description": damage["description"],
                      "metadata": True, "type": "realtime", "keywords": damage["keywords"], "group": "联合办"}
    assert by_code["clutter"]["metadata"] is False and by_code["clutter"]["group"] == "马上办"
    assert all(isinstance(s["service_code"], str) for s in services)

    root = _xml(client.get(f"{V2}/services.xml?jurisdiction_id=LSW"))
    assert root.tag == "services" and {e.tag for e in root} == {"service"}
    first = root[0]
    assert [e.tag for e in first] == ["service_code", "service_name", "description", "metadata", "type", "keywords",
                                      "group"]
    assert {s.findtext("service_code") for s in root} == set(by_code)
    assert root.find("service[service_code='facility_damage']/metadata").text == "true"


def test_a_service_definition_lists_the_questions_as_attributes(client):
    definition = _json(client.get(f"{V2}/services/facility_damage.json"))
    assert definition["service_code"] == "facility_damage"
    [danger] = definition["attributes"]
    assert danger["code"] == "danger" and danger["datatype"] == "singlevaluelist" and danger["required"] is True
    assert danger["order"] == 1 and danger["variable"] is True and danger["description"] == "是否有人身安全隐患"
    assert danger["values"] == [{"key": "是", "name": "是"}, {"key": "否", "name": "否"}]
    number = _json(client.get(f"{V2}/services/illegal_rental.json"))["attributes"][0]
    assert number["datatype"] == "number" and number["required"] is False and "values" not in number

    root = _xml(client.get(f"{V2}/services/facility_damage.xml"))
    assert root.tag == "service_definition" and root.findtext("service_code") == "facility_damage"
    attribute = root.find("attributes/attribute")
    assert attribute.findtext("code") == "danger" and attribute.findtext("datatype") == "singlevaluelist"
    assert [v.findtext("key") for v in attribute.findall("values/value")] == ["是", "否"]
    assert _json(client.get(f"{V2}/services/clutter.json"))["attributes"] == []


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_post_a_request_and_read_it_back(client, session, fmt):
    r = _report(client, fmt=fmt, first_name="娜娜", last_name="欧阳", phone="13912345678", email="nana@example.org",
                media_url="https://img.example.org/manhole.jpg", address_string="钜庭路近丽水湾北门")
    assert r.status_code == 201, r.get_data(as_text=True)
    if fmt == "json":
        [created] = r.get_json()
        assert set(created) == {"service_request_id", "service_notice", "account_id"} and created["account_id"] is None
        request_id, notice = created["service_request_id"], created["service_notice"]
    else:
        root = _xml(r)
        assert root.tag == "service_requests" and root[0].tag == "request"
        request_id, notice = root.findtext("request/service_request_id"), root.findtext("request/service_notice")
        assert root.find("request/account_id") is not None
    assert request_id.isdigit() and "丽水湾" in notice

    case = session.get(Case, int(request_id))
    demo = session.scalar(select(ApiClient).where(ApiClient.client_id == DEMO_CLIENT_ID))
    assert case.channel == "open311" and case.api_client_id == demo.id and case.answers == {"danger": "是"}
    assert case.reporter_name == "欧阳娜娜" and case.reporter_phone == "13912345678" and case.reporter_id is None
    assert case.community.code == "LSW" and case.lat == 30.9146 and case.lon == 121.3953
    assert session.scalar(select(CaseEvent.note).where(CaseEvent.case_id == case.id, CaseEvent.kind == "media_link")) \
        == "https://img.example.org/manhole.jpg"

    one = client.get(f"{V2}/requests/{request_id}.{fmt}?api_key={KEY}")
    if fmt == "json":
        [request] = _json(one)
    else:
        root = _xml(one)
        assert root.tag == "service_requests" and root[0].tag == "request"
        request = {e.tag: e.text for e in root[0]}
        assert list(request) == ["service_request_id", "status", "status_notes", "service_name", "service_code",
                                 "description", "agency_responsible", "service_notice", "requested_datetime",
                                 "updated_datetime", "expected_datetime", "address", "address_id", "zipcode", "lat",
                                 "long", "media_url"]
    assert request["service_request_id"] == request_id and request["status"] == "open"
    assert request["status_notes"] == "已提交（submitted）" and request["service_code"] == "facility_damage"
    assert request["service_name"] == "设施损坏" and request["media_url"] == "https://img.example.org/manhole.jpg"
    assert request["requested_datetime"].endswith("+08:00") and request["expected_datetime"].endswith("+08:00")
    assert request["address"] == "丽水湾 钜庭路近丽水湾北门"
    text = one.get_data(as_text=True)
    assert "欧阳" not in text and "娜娜" not in text and "13912345678" not in text and "nana@" not in text

    listed = client.get(f"{V2}/requests.{fmt}?api_key={KEY}&service_code=facility_damage&status=open")
    ids = ([x["service_request_id"] for x in _json(listed)] if fmt == "json"
           else [e.text for e in _xml(listed).iter("service_request_id")])
    assert request_id in ids
    assert client.get(f"{V2}/requests/{request_id}.json").status_code == 404  # not public without a key


def test_format_by_parameter_and_repeated_or_comma_separated_filters(client):
    assert _xml(client.get(f"{V2}/services?format=xml")).tag == "services"
    assert isinstance(_json(client.get(f"{V2}/services")), list)
    ids = [_report(client).get_json()[0]["service_request_id"] for _ in range(2)]
    for query in (f"service_request_id={ids[0]},{ids[1]}", f"service_request_id={ids[0]}&service_request_id={ids[1]}"):
        found = _json(client.get(f"{V2}/requests.json?api_key={KEY}&{query}"))
        assert sorted(x["service_request_id"] for x in found) == sorted(ids)
    assert _json(client.get(f"{V2}/requests.json?api_key={KEY}&service_request_id={'9' * 18}")) == []


def test_numbers_and_optional_attributes(client, session):
    r = _report(client, service_code="illegal_rental", **{"attribute[danger]": None, "attribute[people]": "12"})
    case = session.get(Case, int(_json(r, 201)[0]["service_request_id"]))
    assert case.answers == {"people": 12} and case.mode == "joint"
    r = _report(client, service_code="illegal_rental", **{"attribute[danger]": None, "attribute[people]": "十二"})
    assert _errors(r, 400)[0][1].startswith("answers")


def test_a_request_at_a_stairwell_by_address_id(client, session):
    stairwell = session.scalar(select(Stairwell).join(Area, Area.id == Stairwell.community_id)
                               .where(Area.code == "LSW").order_by(Stairwell.id))
    r = _report(client, lat=None, long=None, address_id=str(stairwell.id), service_code="stairwell_mess",
                **{"attribute[danger]": None})
    case = session.get(Case, int(_json(r, 201)[0]["service_request_id"]))
    assert case.stairwell_id == stairwell.id and case.grid_id == stairwell.grid_id and case.level == "grid"
    [out] = _json(client.get(f"{V2}/requests/{case.id}.json?api_key={KEY}"))
    assert out["address_id"] == str(stairwell.id) and out["address"] == f"丽水湾 {stairwell.label}"
    other = session.scalar(select(Stairwell.id).join(Area, Area.id == Stairwell.community_id).where(Area.code == "ZXXY"))
    assert _errors(_report(client, lat=None, long=None, address_id=str(other)), 400)[0][1].startswith("address_id")


# ------------------------------------------------------------------ keys
@pytest.mark.parametrize("fmt", ["json", "xml"])
@pytest.mark.parametrize("key", ["nonsense", f"{DEMO_CLIENT_ID}.wrong-secret-000000000", "", None])
def test_a_missing_or_bad_key_is_403_in_list_form(client, session, fmt, key):
    before = session.scalar(select(func.count()).select_from(Case))
    errors = _errors(_report(client, key=key, fmt=fmt), 403)
    assert errors[0][0] == 403 and "api_key" in errors[0][1]
    assert session.scalar(select(func.count()).select_from(Case)) == before
    if key:
        _errors(client.get(f"{V2}/requests.{fmt}?api_key={key}"), 403)  # a bad key on a read is not ignored


def test_a_revoked_key_is_refused_at_once_and_on_record(client, auth, session):
    unit = session.scalar(select(Unit.id).where(Unit.name == "丽水湾物业服务中心"))
    created = client.post("/api/v1/api-clients", headers=auth.headers("lsw_staff"),
                          json={"name": "物业报修系统", "unit_id": unit}).get_json()
    key = created["api_key"]
    assert _report(client, key=key).status_code == 201
    assert client.get(f"{V2}/requests.json?api_key={key}").status_code == 200
    client.post(f"/api/v1/api-clients/{created['id']}/revoke", headers=auth.headers("lsw_staff"))
    assert "revoked" in _errors(_report(client, key=key), 403)[0][1] or "吊销" in _errors(_report(client, key=key), 403)[0][1]
    _errors(client.get(f"{V2}/requests.json?api_key={key}"), 403)
    refused = session.scalars(select(AuditEvent.action).where(AuditEvent.api_client_id == created["id"],
                                                              AuditEvent.action.like("%.refused"))).all()
    assert "open311.requests.create.refused" in refused and "open311.requests.refused" in refused


def test_a_client_needs_its_scopes(client, session):
    reader = _new_client(session, "丽水湾物业服务中心", scopes=["cases:read"])
    assert "cases:write" in _errors(_report(client, key=reader), 403)[0][1]
    assert client.get(f"{V2}/requests.json?api_key={reader}").status_code == 200
    writer = _new_client(session, "丽水湾物业服务中心", scopes=["cases:write"])
    assert _report(client, key=writer).status_code == 201
    assert "cases:read" in _errors(client.get(f"{V2}/requests.json?api_key={writer}"), 403)[0][1]


def test_every_call_by_a_client_is_audited_failed_or_not(client, session):
    demo = session.scalar(select(ApiClient).where(ApiClient.client_id == DEMO_CLIENT_ID))
    before = session.scalar(select(func.count()).select_from(AuditEvent).where(AuditEvent.api_client_id == demo.id))
    request_id = _report(client).get_json()[0]["service_request_id"]
    client.get(f"{V2}/services.json?api_key={KEY}")
    client.get(f"{V2}/requests/{request_id}.xml?api_key={KEY}")
    _report(client, service_code="no_such_thing")
    rows = session.scalars(select(AuditEvent).where(AuditEvent.api_client_id == demo.id)
                           .order_by(AuditEvent.id.desc()).limit(4)).all()[::-1]
    assert len(rows) == 4 and before + 4 == session.scalar(
        select(func.count()).select_from(AuditEvent).where(AuditEvent.api_client_id == demo.id))
    assert [r.action for r in rows] == ["open311.requests.create", "open311.services", "open311.request",
                                        "open311.requests.create"]
    assert rows[0].resource_type == "case" and rows[0].resource_id == request_id and rows[0].detail["status"] == 201
    assert rows[3].detail["status"] == 404 and rows[3].actor_id is None and rows[3].actor_role == "partner"
    assert all(r.area_path == demo.area_path for r in rows)
    assert session.get(ApiClient, demo.id).last_used_at is not None
    anonymous = session.scalar(select(func.count()).select_from(AuditEvent))
    client.get(f"{V2}/services.json")
    assert session.scalar(select(func.count()).select_from(AuditEvent)) == anonymous  # nobody to name


def test_staff_read_a_clients_calls_in_the_audit_log(client, auth, session):
    demo = session.scalar(select(ApiClient).where(ApiClient.client_id == DEMO_CLIENT_ID))
    client.get(f"{V2}/services.json?api_key={KEY}")
    items = client.get(f"/api/v1/audit-events?api_client_id={demo.id}", headers=auth.headers("lsw_staff")).get_json()["items"]
    assert items and items[0]["action"] == "open311.services" and items[0]["api_client_id"] == demo.id
    assert items[0]["actor_id"] is None and items[0]["actor_role"] == "partner"
    assert client.get(f"/api/v1/audit-events?api_client_id={demo.id}",
                      headers=auth.headers("zxxy_staff")).get_json()["items"] == []


# ------------------------------------------------------------------ errors in the spec's terms
def test_unknown_service_code_is_404_and_a_missing_one_400(client):
    assert _errors(_report(client, service_code="no_such_thing"), 404)[0][1].endswith("no_such_thing")
    assert _errors(client.get(f"{V2}/services/no_such_thing.xml"), 404)[0][0] == 404
    errors = _errors(_report(client, service_code=None), 400)
    assert errors[0][1].startswith("service_code")


def test_unknown_jurisdictions_are_404(client, session):
    _errors(client.get(f"{V2}/services.json?jurisdiction_id=NOPE"), 404)
    _errors(client.get(f"{V2}/requests.json?api_key={KEY}&jurisdiction_id=ZXXY"), 404)  # not this client's reach
    _errors(_report(client, jurisdiction_id="ZXXY"), 404)
    assert "居民区" in _errors(_report(client, jurisdiction_id="ZHX"), 400)[0][1]  # a request belongs to a community
    zhx = _json(client.get(f"{V2}/services.json?jurisdiction_id=ZHX"))
    assert {s["service_code"] for s in zhx} == {s["service_code"] for s in _json(client.get(f"{V2}/services.json"))}


def test_wrong_method_and_unknown_paths_answer_in_list_form(client):
    r = client.put(f"{V2}/requests.json", data={})
    assert _errors(r, 405) and r.headers["Allow"] == "GET, POST"
    _errors(client.delete(f"{V2}/requests/1.xml"), 405)
    _errors(client.get(f"{V2}/tokens/1.json"), 404)
    _errors(client.get(f"{V2}/"), 404)


@pytest.mark.parametrize("url", [
    "/requests.json?page=100000000000000000000", "/requests.json?page=0", "/requests.json?page_size=101",
    "/requests.json?page_size=-1", "/requests.json?start_date=yesterday", "/requests.json?start_date=0001-01-01",
    "/requests.json?start_date=2026-01-01T00:00:00Z&end_date=2026-06-01T00:00:00Z", "/requests.json?status=pending",
    "/requests.json?service_request_id=abc", "/requests.json?service_request_id=" + "9" * 40,
    "/requests.json?service_request_id=" + ",".join(["1"] * 101),
    "/requests.json?service_code=%00", "/requests.json?jurisdiction_id=LSW%00", "/services.json?api_key=%00x",
    "/servicerequestupdates.json?end_date=2026-01-01&start_date=2026-05-01", "/services.csv", "/requests.json?api_key=",
])
def test_odd_queries_are_4xx_in_list_form(client, url):
    r = client.get(V2 + url)
    assert 400 <= r.status_code < 500 and r.status_code != 404 or url.endswith("api_key="), r.get_data(as_text=True)
    if r.status_code >= 400:
        _errors(r, r.status_code)


@pytest.mark.parametrize("form", [
    {"lat": "1e400", "long": "121.39"}, {"lat": "nan", "long": "121.39"}, {"lat": "91", "long": "121.39"},
    {"lat": "30.9", "long": None}, {"long": "-inf"}, {"description": "井盖\x00没了"}, {"service_code": "x\x00"},
    {"address_string": "北门\u202e"}, {"description": "x" * 4001}, {"phone": "call me"}, {"email": "nope"},
    {"media_url": "javascript:alert(1)"}, {"media_url": "file:///etc/passwd"}, {"colour": "red"},
    {"attribute[nope]": "1"}, {"attribute[danger][]": "是"}, {"attribute[danger]": "也许"}, {"attribute[danger]": None},
    {"lat": None, "long": None}, {"address_id": "12abc"}, {"address_id": "9" * 18},
])
def test_odd_posts_are_400_and_create_nothing(client, session, form):
    before = session.scalar(select(func.count()).select_from(Case))
    _errors(_report(client, **form), 400)
    assert session.scalar(select(func.count()).select_from(Case)) == before


def test_bodies_too_large_or_not_a_form_are_refused(client):
    assert _errors(client.post(f"{V2}/requests.json", data={"api_key": KEY, "description": "x" * (1024 * 1024 + 1)}),
                   413)[0][0] == 413
    r = client.post(f"{V2}/requests.json?api_key={KEY}", json={"service_code": "clutter"})
    assert "x-www-form-urlencoded" in _errors(r, 400)[0][1]


def test_not_found_ids(client):
    for rid in ("99999999", "9" * 18, "9" * 30, "abc", "-1", "2147483648"):
        _errors(client.get(f"{V2}/requests/{rid}.json?api_key={KEY}"), 404)


# ------------------------------------------------------------------ who sees what
def _dispatched(session, unit_name, *, only=False, community="LSW"):
    unit = session.scalar(select(Unit.id).where(Unit.name == unit_name))
    stmt = select(Case.id).join(Area, Area.id == Case.community_id).where(
        Area.code == community, exists(select(CasePart.id).where(CasePart.case_id == Case.id, CasePart.unit_id == unit)),
        Case.created_at > utcnow() - timedelta(days=80))
    if only:
        stmt = stmt.where(not_(exists(select(CasePart.id).where(CasePart.case_id == Case.id, CasePart.unit_id != unit))))
    return set(session.scalars(stmt))


def _ids(client, query):
    return {int(x["service_request_id"]) for x in _json(client.get(f"{V2}/requests.json?page_size=100&{query}"))}


def test_a_client_sees_its_units_cases_and_its_own_requests_only(client, session):
    mine = _dispatched(session, "丽水湾物业服务中心")
    others = _dispatched(session, "庄行镇城建中心", only=True)
    assert mine and others, "the demo town should dispatch cases to both units"
    own = int(_report(client).get_json()[0]["service_request_id"])
    public = set(session.scalars(select(Case.id).where(Case.is_public.is_(True), Case.is_private.is_(False))))
    seen = set()
    for page in (1, 2, 3):
        seen |= _ids(client, f"api_key={KEY}&page={page}")
    assert own in seen and mine & seen and not ((others - public) & seen)
    for case_id in others - public:
        _errors(client.get(f"{V2}/requests/{case_id}.json?api_key={KEY}"), 404)
    assert _json(client.get(f"{V2}/requests/{min(mine)}.json?api_key={KEY}"))[0]["service_request_id"] == str(min(mine))


def test_another_communitys_client_sees_none_of_this_communitys_cases(client, session):
    zxxy = _new_client(session, "庄行新苑物业管理处")
    lsw_case = int(_report(client).get_json()[0]["service_request_id"])
    _errors(client.get(f"{V2}/requests/{lsw_case}.json?api_key={zxxy}"), 404)
    seen = _ids(client, f"api_key={zxxy}")
    lsw = set(session.scalars(select(Case.id).join(Area, Area.id == Case.community_id).where(Area.code == "LSW")))
    assert not seen & lsw
    zxxy_case = int(_json(_report(client, key=zxxy, lat=None, long=None, address_string="庄行新苑东门"), 201)[0]
                    ["service_request_id"])
    assert session.get(Case, zxxy_case).community.code == "ZXXY"
    _errors(client.get(f"{V2}/requests/{zxxy_case}.json?api_key={KEY}"), 404)
    assert zxxy_case not in _ids(client, f"api_key={KEY}")


def test_without_a_key_only_public_alerts_are_seen(client, session):
    listed = _ids(client, "")
    alerts = set(session.scalars(select(Case.id).where(
        Case.is_public.is_(True), Case.is_private.is_(False), Case.created_at > utcnow() - timedelta(days=90))))
    assert listed == alerts and listed
    private = session.scalar(select(Case.id).where(Case.is_private.is_(True)))
    _errors(client.get(f"{V2}/requests/{private}.json"), 404)
    _errors(client.get(f"{V2}/requests/{private}.json?api_key={KEY}"), 404)
    zxxy_only = _ids(client, "jurisdiction_id=ZXXY")
    assert all(session.get(Case, i).community.code == "ZXXY" for i in zxxy_only)


def test_no_personal_data_in_any_open311_output(client, session):
    _report(client, first_name="娜娜", last_name="欧阳", phone="13912345678", email="nana@example.org",
            description="井盖没了，我是欧阳娜娜 13912345678，身份证 310226195503120027")
    names = {n for n in session.scalars(select(User.name))} | {"欧阳娜娜"}
    names |= {n for n in session.scalars(select(Case.reporter_name).where(Case.reporter_name.is_not(None)))}
    names |= {n for n in session.scalars(select(CaseEvent.actor_name).where(CaseEvent.actor_name.is_not(None)))}
    names = {n for n in names if len(n) >= 2 and not n.startswith("丽水湾物业")}  # a unit is not a person
    since = (utcnow() - timedelta(days=89)).date().isoformat()
    for fmt in ("json", "xml"):
        for query in (f"api_key={KEY}", ""):
            for path in ("requests", "servicerequestupdates"):
                for page in (1, 2, 3):
                    r = client.get(f"{V2}/{path}.{fmt}?{query}&page_size=100&page={page}&start_date={since}")
                    assert r.status_code == 200, r.get_data(as_text=True)
                    text = r.get_data(as_text=True)
                    assert not MOBILE.search(text), MOBILE.search(text)
                    assert "310226195503120027" not in text and "nana@" not in text
                    leaked = [n for n in names if n in text]
                    assert not leaked, (path, fmt, leaked)


# ------------------------------------------------------------------ updates
def test_service_request_updates_are_the_public_steps(client, auth, session):
    request_id = _report(client).get_json()[0]["service_request_id"]
    headers = auth.headers("lsw_staff")
    assert client.post(f"/api/v1/cases/{request_id}/accept", json={"note": "已通知城建中心，联系电话13800001234"},
                       headers=headers).status_code == 200
    client.post(f"/api/v1/cases/{request_id}/comments", json={"note": "内部：报告人是欧阳娜娜", "internal": True},
                headers=headers)
    since = (utcnow() - timedelta(minutes=5)).isoformat()  # "+00:00" sent unencoded arrives as " 00:00": accepted
    updates = [u for u in _json(client.get(f"{V2}/servicerequestupdates.json?api_key={KEY}&page_size=100&start_date={since}"))
               if u["service_request_id"] == request_id]
    assert [u["description"].split("。")[0] for u in updates] == ["已收到上报", "居委会已受理"]
    assert updates[1]["description"] == "居委会已受理。 已通知城建中心，联系电话138****1234"
    assert all(u["status"] == "open" and u["updated_datetime"].endswith("+08:00") for u in updates)
    assert all(set(u) == {"update_id", "service_request_id", "status", "updated_datetime", "description", "media_url"}
               for u in updates)
    root = _xml(client.get(f"{V2}/servicerequestupdates.xml?api_key={KEY}&page_size=100"))
    assert root.tag == "service_request_updates" and {e.tag for e in root} == {"request_update"}
    assert [e.tag for e in root[0]] == ["update_id", "service_request_id", "status", "updated_datetime", "description",
                                        "media_url"]


def test_updates_of_a_closed_request_say_closed(client, auth, session):
    headers = auth.headers("lsw_staff")
    request_id = _report(client).get_json()[0]["service_request_id"]
    client.post(f"/api/v1/cases/{request_id}/reject", json={"reason": "重复上报"}, headers=headers)
    since = (utcnow() - timedelta(minutes=5)).strftime("%Y-%m-%dT%H:%M:%SZ")
    updates = [u for u in _json(client.get(f"{V2}/servicerequestupdates.json?api_key={KEY}&start_date={since}"))
               if u["service_request_id"] == request_id]
    assert [u["status"] for u in updates] == ["open", "closed"]
    [request] = _json(client.get(f"{V2}/requests/{request_id}.json?api_key={KEY}"))
    assert request["status"] == "closed" and request["status_notes"] == "不予受理（rejected）"
    assert request_id in {x["service_request_id"] for x in
                          _json(client.get(f"{V2}/requests.json?api_key={KEY}&status=closed&page_size=100"))}
    assert request_id not in {x["service_request_id"] for x in
                              _json(client.get(f"{V2}/requests.json?api_key={KEY}&status=open&page_size=100"))}


def test_answers_are_utf8_in_chinese(client):
    r = client.get(f"{V2}/services.xml")
    assert "设施损坏".encode() in r.get_data()
    assert "不支持的格式" in _errors(client.get(f"{V2}/services.txt"), 400)[0][1]
    assert "Unsupported format" in _errors(client.get(f"{V2}/services.txt", headers={"Accept-Language": "en"}), 400)[0][1]


def test_the_reporters_own_words_are_not_updates(session, client, auth):
    """A comment by the reporter (a resident) may name people: it is left out."""
    r = client.post("/api/v1/cases", headers=auth.headers("resident"), json={
        "category_id": session.scalar(select(Case.category_id).limit(1)), "description": "楼道堆物",
        "address": "3号楼", "is_private": False})
    case_id = r.get_json()["id"]
    session.execute(Case.__table__.update().where(Case.id == case_id).values(is_public=True))
    session.commit()
    client.post(f"/api/v1/cases/{case_id}/comments", json={"note": "我是王秀英，请联系我"}, headers=auth.headers("resident"))
    since = (utcnow() - timedelta(minutes=5)).strftime("%Y-%m-%dT%H:%M:%SZ")
    updates = _json(client.get(f"{V2}/servicerequestupdates.json?page_size=100&start_date={since}"))
    mine = [u for u in updates if u["service_request_id"] == str(case_id)]
    assert [u["description"] for u in mine] == ["已收到上报。"]



def test_open311_is_documented_in_the_openapi_document(app):
    from steward.openapi import build_spec

    spec = build_spec(app)
    assert spec["components"]["securitySchemes"]["api_key"]["type"] == "apiKey"
    assert "open311" in {t["name"] for t in spec["tags"]}
    ops = {(path, method): op for path, item in spec["paths"].items() for method, op in item.items()
           if "open311" in op["tags"]}
    assert set(ops) == {("/discovery.{format}", "get"), ("/services.{format}", "get"),
                        ("/services/{service_code}.{format}", "get"), ("/requests.{format}", "get"),
                        ("/requests.{format}", "post"), ("/requests/{service_request_id}.{format}", "get"),
                        ("/servicerequestupdates.{format}", "get"), ("/media/{photo_id}.{extension}", "get")}
    assert set(ops.pop(("/media/{photo_id}.{extension}", "get"))["responses"]["200"]["content"]) == {"image/jpeg",
                                                                                                     "image/webp"}
    for op in ops.values():
        assert op["servers"][0]["url"] == "/open311/v2" and {"api_key": []} in op["security"]
        assert set(op["responses"]["200" if "200" in op["responses"] else "201"]["content"]) == {"application/json",
                                                                                                   "text/xml"}
    assert ops[("/requests.{format}", "post")]["security"] == [{"api_key": []}]
    assert set(ops[("/requests.{format}", "post")]["requestBody"]["content"]) == {"application/x-www-form-urlencoded",
                                                                                  "multipart/form-data"}


def test_the_client_principal_and_the_case_rule_it_brings(client, auth, session):
    """A client is a partner of its unit for every rule; only the client itself reads back what it created;
    a principal that is no user (id None) never counts as the reporter of a case nobody signed in to report."""
    from steward import scope
    from steward.partners import service as partners

    principal = partners.authenticate(session, KEY)
    assert isinstance(principal, scope.Principal) and principal.role == "partner" and principal.id is None
    request_id = int(_report(client).get_json()[0]["service_request_id"])
    case = session.get(Case, request_id)
    assert scope.find_for(session, principal, Case, request_id) is case
    # The unit's partner user sees it once it is dispatched to the unit, not before.
    assert client.get(f"/api/v1/cases/{request_id}", headers=auth.headers("partner")).status_code == 404
    assert client.get(f"/api/v1/cases/{request_id}", headers=auth.headers("lsw_staff")).get_json()["channel"] == "open311"
    public = scope.PublicPrincipal(area_path=case.community.path)
    assert scope.find_for(session, public, Case, request_id) is None
    case.is_public = True
    session.commit()
    assert scope.find_for(session, public, Case, request_id) is case
    assert case.reporter_id is None and not scope.can(public, "comment", case)
    assert not scope.can(public, "confirm", case) and not scope.can(principal, "rate", case)


# ------------------------------------------------------------------ photos
def _jpeg(w=640, h=480) -> bytes:
    import io

    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (w, h), (200, 40, 40)).save(buf, "JPEG")
    return buf.getvalue()


def _multipart(client, files: dict, fmt="json", **form):
    import io

    body = {"api_key": KEY, "service_code": "facility_damage", "lat": "30.9146", "long": "121.3953",
            "description": "井盖缺失，附照片。", "attribute[danger]": "是", **form}
    for field, (content, name) in files.items():
        body[field] = (io.BytesIO(content), name)
    return client.post(f"{V2}/requests.{fmt}", data=body, content_type="multipart/form-data")


def test_a_photo_sent_as_media_becomes_the_report_photo_and_media_url_opens_it(client, session):
    from urllib.parse import urlsplit

    r = _multipart(client, {"media": (_jpeg(), "manhole.jpg")}, media_url="https://img.example.org/other.jpg")
    request_id = int(_json(r, 201)[0]["service_request_id"])
    case = session.get(Case, request_id)
    assert [p.stage for p in case.photos] == ["report"]
    [request] = _json(client.get(f"{V2}/requests/{request_id}.json?api_key={KEY}"))
    url = urlsplit(request["media_url"])
    assert url.path == f"/open311/v2/media/{case.photos[0].id}.jpg" and "signature=" in url.query  # ours wins
    photo = client.get(f"{url.path}?{url.query}")
    assert photo.status_code == 200 and photo.headers["Content-Type"] == "image/jpeg" and photo.data[:2] == b"\xff\xd8"
    xml_url = _xml(client.get(f"{V2}/requests/{request_id}.xml?api_key={KEY}")).findtext("request/media_url")
    assert xml_url == request["media_url"]  # the same link all day long

    tampered = url.query.replace("signature=", "signature=0")[: len(url.query)]
    for bad in (f"{url.path}?{tampered}", url.path, f"{url.path}?expires=1&signature={'0' * 32}",
                url.path.replace(".jpg", ".webp") + "?" + url.query,
                f"/open311/v2/media/{case.photos[0].id + 1}.jpg?{url.query}",
                url.path.replace(".jpg", ".AAA") + "?" + url.query, url.path.replace(".jpg", ".json"),
                f"/open311/v2/media/{'9' * 30}.jpg?{url.query}", "/open311/v2/media/x.jpg"):
        _errors(client.get(bad), 404)  # a link that is not one of ours is absent, never a format error
    _errors(client.post(f"{url.path}?{url.query}"), 405)


def test_a_signed_link_expires(app, client, session):
    from steward.open311 import photos

    with app.test_request_context():
        url = photos.signed_url(7, "jpg", now=0)
        expires = int(url.split("expires=")[1].split("&")[0])
        signature = url.split("signature=")[1]
        assert expires == 2 * 86400
        assert photos.valid(7, str(expires), signature, now=expires - 1)
        assert not photos.valid(7, str(expires), signature, now=expires + 1)
        assert not photos.valid(8, str(expires), signature, now=0)


@pytest.mark.parametrize("files, word", [
    ({"media": (b"MZ\x90\x00 this is a program", "photo.jpg")}, "media"),
    ({"media": (b"", "empty.jpg")}, "media"),
    ({"media": (b"", "")}, None),
    ({"photo": (b"\xff\xd8", "a.jpg")}, "media"),
])
def test_a_bad_photo_is_400_and_stores_nothing(client, session, files, word):
    before = session.scalar(select(func.count()).select_from(Case))
    r = _multipart(client, files)
    if word is None:  # an empty file input is no photo at all
        assert r.status_code == 201
        return
    errors = _errors(r, 400)
    assert word in errors[0][1]
    assert session.scalar(select(func.count()).select_from(Case)) == before


def test_one_photo_at_most(client, session):
    import io

    before = session.scalar(select(func.count()).select_from(Case))
    body = {"api_key": KEY, "service_code": "clutter", "address_string": "3号楼",
            "media": [(io.BytesIO(_jpeg()), "a.jpg"), (io.BytesIO(_jpeg()), "b.jpg")]}
    _errors(client.post(f"{V2}/requests.json", data=body, content_type="multipart/form-data"), 400)
    assert session.scalar(select(func.count()).select_from(Case)) == before
