"""Red Grid cases: reporting, the workflow in every mode, permissions, escalation, alerts, duplicates."""
from datetime import timedelta
from types import SimpleNamespace

import pytest
from sqlalchemy import func, select

from steward.areas.models import Area, Stairwell
from steward.cases import service
from steward.cases.models import Case, CaseEvent, Category
from steward.db import utcnow
from steward.notifications.models import Notification
from steward.people.models import User
from steward.scope import SystemPrincipal

API = "/api/v1"


def _stairwell(session, code="LSW-G01"):
    grid = session.scalar(select(Area).where(Area.code == code))
    return session.scalar(select(Stairwell).where(Stairwell.grid_id == grid.id).order_by(Stairwell.id))


def _category(session, code):
    return session.scalar(select(Category.id).where(Category.code == code))


def _report(client, auth, session, who="resident", category="stairwell_mess", **extra):
    body = {"category_id": _category(session, category), "description": "一楼楼道堆满纸箱，老人进出不方便。",
            "stairwell_id": _stairwell(session).id, **extra}
    if category == "neighbour_dispute":
        body.setdefault("answers", {"kind": "噪音"})
    if category == "facility_damage":
        body.setdefault("answers", {"danger": "是"})
    return client.post(f"{API}/cases", json=body, headers=auth.headers(who))


def _step(client, auth, case_id, step, who, **body):
    return client.post(f"{API}/cases/{case_id}/{step}", json=body, headers=auth.headers(who))


def _units(session, *names):
    from steward.alliances.models import Unit

    return [session.scalar(select(Unit.id).where(Unit.name == n)) for n in names]


def test_a_resident_reports_and_the_grid_is_derived(client, auth, session):
    r = _report(client, auth, session)
    assert r.status_code == 201, r.get_json()
    case = r.get_json()
    stairwell = _stairwell(session)
    assert case["grid"]["code"] == "LSW-G01" and case["stairwell"]["id"] == stairwell.id
    assert case["status"] == "submitted" and case["level"] == "grid" and case["mode"] == "now"
    assert case["channel"] == "app" and case["is_mine"] is True and case["overdue"] is False
    assert r.headers["ETag"] and r.headers["Location"].endswith(f"/cases/{case['id']}")
    staff_id = auth.me("lsw_staff")["id"]
    assert session.scalar(select(func.count()).select_from(Notification).where(
        Notification.user_id == staff_id, Notification.subject_id == case["id"])) == 1
    events = client.get(f"{API}/cases/{case['id']}/events", headers=auth.headers("resident")).get_json()["items"]
    assert [e["kind"] for e in events] == ["submitted"]


@pytest.mark.parametrize("change, field", [
    ({"category_id": 987654}, "category_id"),
    ({"stairwell_id": 987654}, "stairwell_id"),
    ({"lat": 30.9}, "lon"),
    ({"description": ""}, "description"),
    ({"answers": {"nonsense": 1}}, "answers.nonsense"),
    ({"unknown_field": 1}, "unknown_field"),
])
def test_an_invalid_report_is_refused_and_stores_nothing(client, auth, session, change, field):
    before = session.scalar(select(func.count()).select_from(Case))
    r = _report(client, auth, session, **change)
    assert r.status_code == 422 and field in r.get_json()["errors"], r.get_json()
    assert session.scalar(select(func.count()).select_from(Case)) == before


def test_required_questions_and_choices_are_checked(client, auth, session):
    r = _report(client, auth, session, category="neighbour_dispute", answers={})
    assert r.status_code == 422 and r.get_json()["errors"]["answers.kind"] == ["此题必答。"]
    r = _report(client, auth, session, category="neighbour_dispute", answers={"kind": "打架"})
    assert r.status_code == 422
    r = _report(client, auth, session, category="neighbour_dispute", answers={"kind": "漏水"})
    assert r.status_code == 201 and r.get_json()["is_private"] is True and r.get_json()["mode"] == "mediate"


def test_handle_now_from_report_to_rating(client, auth, session):
    """马上办: staff assign the grid volunteer, who resolves it; the resident confirms and rates."""
    case = _report(client, auth, session).get_json()
    cid = case["id"]
    assert _step(client, auth, cid, "accept", "lsw_staff").get_json()["status"] == "accepted"
    volunteer = auth.me("volunteer")["id"]
    r = _step(client, auth, cid, "assign", "lsw_staff", assignee_id=volunteer)
    assert r.status_code == 200 and r.get_json()["assignee"]["id"] == volunteer
    mine = client.get(f"{API}/cases?mine=assigned", headers=auth.headers("volunteer")).get_json()["items"]
    assert cid in [c["id"] for c in mine]
    detail = client.get(f"{API}/cases/{cid}", headers=auth.headers("volunteer")).get_json()
    assert {"start", "resolve"} <= set(detail["allowed_steps"]) and "close" not in detail["allowed_steps"]
    assert detail["reporter_name"]  # the handler sees who reported
    assert _step(client, auth, cid, "start", "volunteer").get_json()["status"] == "in_progress"
    assert _step(client, auth, cid, "resolve", "volunteer", note="已清理").get_json()["status"] == "resolved"
    assert _step(client, auth, cid, "confirm", "resident").get_json()["status"] == "closed"
    r = _step(client, auth, cid, "rate", "resident", rating=5, comment="很及时")
    assert r.status_code == 200 and r.get_json()["rating"] == 5
    assert _step(client, auth, cid, "rate", "resident", rating=4).status_code == 409
    kinds = [e["kind"] for e in client.get(f"{API}/cases/{cid}/events", headers=auth.headers("resident"))
             .get_json()["items"]]
    assert kinds == ["submitted", "accept", "assign", "start", "resolve", "confirm", "rated"]
    steps = session.scalars(select(Notification.params).where(
        Notification.user_id == auth.me("resident")["id"], Notification.subject_id == cid)).all()
    assert len(steps) >= 4  # accepted, assigned, started, resolved


def test_an_impossible_step_is_409_with_the_allowed_ones(client, auth, session):
    cid = _report(client, auth, session).get_json()["id"]
    r = _step(client, auth, cid, "confirm", "resident")
    assert r.status_code == 409
    assert r.get_json()["state"] == "submitted"
    assert r.get_json()["allowed"] == ["accept", "assign", "dispatch", "mark_duplicate", "reject"]
    assert _step(client, auth, cid, "close", "lsw_staff").status_code == 409


def test_only_the_reporter_confirms_reopens_and_rates(client, auth, session):
    cid = _report(client, auth, session).get_json()["id"]
    _step(client, auth, cid, "accept", "lsw_staff")
    _step(client, auth, cid, "resolve", "lsw_staff")
    for who in ("lsw_staff", "volunteer"):
        assert _step(client, auth, cid, "confirm", who).status_code == 403
        assert _step(client, auth, cid, "rate", who, rating=1).status_code == 403
    assert _step(client, auth, cid, "reopen", "resident", reason="还是很脏").get_json()["status"] == "reopened"


def test_reopening_is_possible_for_seven_days_only(client, auth, session):
    cid = _report(client, auth, session).get_json()["id"]
    _step(client, auth, cid, "accept", "lsw_staff")
    _step(client, auth, cid, "resolve", "lsw_staff")
    case = session.get(Case, cid)
    case.resolved_at = utcnow() - timedelta(days=8)
    session.commit()
    r = _step(client, auth, cid, "reopen", "resident", reason="又脏了")
    assert r.status_code == 409 and r.get_json()["type"].endswith("reopen-expired")


def test_joint_case_resolves_only_when_every_unit_is_done(client, auth, session):
    """联合办: dispatched to two units, each updates its own part; the last one resolves the case."""
    cid = _report(client, auth, session, category="illegal_building", answers={"stage": "已建成"}).get_json()["id"]
    property_co, city = _units(session, "丽水湾物业服务中心", "庄行镇城建中心")
    r = _step(client, auth, cid, "dispatch", "lsw_staff", unit_ids=[property_co, city], task="核实并拆除")
    assert r.status_code == 200, r.get_json()
    parts = {p["unit"]["id"]: p["id"] for p in r.get_json()["parts"]}
    # the partner (property company) sees the case and updates only its own part
    assert client.get(f"{API}/cases/{cid}", headers=auth.headers("partner")).status_code == 200
    r = client.patch(f"{API}/cases/{cid}/parts/{parts[city]}", json={"status": "done"},
                     headers=auth.headers("partner"))
    assert r.status_code == 404
    r = client.patch(f"{API}/cases/{cid}/parts/{parts[property_co]}", json={"status": "done", "note": "已拆除"},
                     headers=auth.headers("partner"))
    assert r.status_code == 200 and r.get_json()["status"] != "resolved"
    r = _step(client, auth, cid, "resolve", "lsw_staff")
    assert r.status_code == 409 and r.get_json()["type"].endswith("parts-open")
    r = client.patch(f"{API}/cases/{cid}/parts/{parts[city]}", json={"status": "done"},
                     headers=auth.headers("lsw_staff"))
    assert r.status_code == 200 and r.get_json()["status"] == "resolved"


def test_a_partner_sees_only_what_was_dispatched_to_its_unit(client, auth, session):
    cid = _report(client, auth, session).get_json()["id"]
    assert client.get(f"{API}/cases/{cid}", headers=auth.headers("partner")).status_code == 404
    listed = client.get(f"{API}/cases?limit=100", headers=auth.headers("partner")).get_json()["items"]
    unit_id = auth.me("partner")["unit"]["id"]
    assert listed and all(unit_id in [p["unit"]["id"] for p in c["parts"]] for c in listed)
    assert all(c["reporter_name"] is None and c["reporter_phone"] is None for c in listed)


def test_mediation_is_recorded_for_a_dispute(client, auth, session):
    cid = _report(client, auth, session, category="neighbour_dispute").get_json()["id"]
    legal, = _units(session, "庄行镇公共法律服务工作站")
    assert _step(client, auth, cid, "dispatch", "lsw_staff", unit_ids=[legal]).status_code == 200
    r = client.post(f"{API}/cases/{cid}/mediations", headers=auth.headers("lsw_staff"), json={
        "held_at": "2026-11-20T14:00:00+08:00", "parties": "302室 王先生；402室 李女士", "outcome": "agreed",
        "agreement": "晚十点后不再装修。", "unit_id": legal})
    assert r.status_code == 201, r.get_json()
    items = client.get(f"{API}/cases/{cid}/mediations", headers=auth.headers("lsw_staff")).get_json()["items"]
    assert items[0]["outcome"] == "agreed" and items[0]["unit"]["id"] == legal


ROUTES = [("get", "", None), ("get", "/events", None), ("get", "/mediations", None), ("post", "/accept", {}),
          ("post", "/start", {}), ("post", "/comments", {"note": "x"}), ("patch", "/parts/1", {"status": "done"}),
          ("post", "/follow", None), ("post", "/rate", {"rating": 3}), ("post", "/escalate", {"reason": "xx"})]


@pytest.mark.parametrize("who", ["zxxy_staff", "zxxy_resident", "volunteer", "partner", "resident"])
def test_another_communitys_or_someone_elses_case_is_404(client, auth, session, who):
    """A case reported in 庄行新苑 by its resident: nobody of 丽水湾 (nor the ZXXY staff for a case
    outside ZXXY) learns that it exists."""
    body = {"category_id": _category(session, "clutter"), "description": "楼道堆物",
            "stairwell_id": _stairwell(session, "ZXXY-G01").id}
    own = "zxxy_resident" if who != "zxxy_resident" else "zxxy_staff"
    cid = client.post(f"{API}/cases", json=body, headers=auth.headers(own)).get_json()["id"]
    if who.startswith("zxxy"):
        # the other party of ZXXY sees it (staff) or does not (another resident); use a LSW case instead
        cid = _report(client, auth, session).get_json()["id"]
    for method, suffix, body in ROUTES:
        kwargs = {"json": body} if body is not None else {}
        r = getattr(client, method)(f"{API}/cases/{cid}{suffix}", headers=auth.headers(who), **kwargs)
        if r.status_code == 403:  # the role may never take this step, wherever the case is
            assert suffix in ("/accept", "/escalate", "/follow", "/parts/1", "/start"), (who, suffix)
            continue
        assert r.status_code == 404, (who, method, suffix, r.status_code)


def test_private_cases_never_become_alerts_and_alerts_stay_in_their_community(client, auth, session):
    dispute = _report(client, auth, session, category="neighbour_dispute", is_public=True).get_json()
    assert dispute["is_public"] is False and dispute["is_private"] is True
    hazard = _report(client, auth, session, who="lsw_staff", category="facility_damage", is_public=True).get_json()
    assert hazard["is_public"] is True
    seen = [c["id"] for c in client.get(f"{API}/cases/alerts", headers=auth.headers("resident")).get_json()["items"]]
    assert hazard["id"] in seen and dispute["id"] not in seen
    assert any(c["title"] == "钜庭路窨井盖缺失" for c in client.get(
        f"{API}/cases/alerts", headers=auth.headers("resident")).get_json()["items"])
    assert client.get(f"{API}/cases/alerts", headers=auth.headers("zxxy_resident")).get_json()["items"] == []
    # a neighbour reads the alert but not who reported it
    r = client.get(f"{API}/cases/{hazard['id']}", headers=auth.headers("resident"))
    assert r.status_code == 200 and r.get_json()["reporter_name"] is None


def test_possible_duplicates_are_offered_and_followed(client, auth, session, make):
    first = _report(client, auth, session, who="volunteer").get_json()
    dispute = _report(client, auth, session, who="volunteer", category="neighbour_dispute").get_json()
    stairwell = _stairwell(session)
    q = f"{API}/cases/duplicates?category_id={_category(session, 'stairwell_mess')}&stairwell_id={stairwell.id}"
    found = client.get(q, headers=auth.headers("resident")).get_json()["items"]
    assert first["id"] in [c["id"] for c in found] and "description" not in found[0]
    q = f"{API}/cases/duplicates?category_id={_category(session, 'neighbour_dispute')}&stairwell_id={stairwell.id}"
    assert dispute["id"] not in [c["id"] for c in client.get(q, headers=auth.headers("resident")).get_json()["items"]]
    assert client.get(f"{API}/cases/{first['id']}", headers=auth.headers("resident")).status_code == 404
    assert client.post(f"{API}/cases/{first['id']}/follow", headers=auth.headers("resident")).status_code == 200
    assert client.get(f"{API}/cases/{first['id']}", headers=auth.headers("resident")).status_code == 200
    assert client.post(f"{API}/cases/{dispute['id']}/follow", headers=auth.headers("resident")).status_code == 404


def test_staff_recategorise_at_any_point_with_if_match(client, auth, session):
    r = _report(client, auth, session, category="clutter")
    cid, etag = r.get_json()["id"], r.headers["ETag"]
    headers = auth.headers("lsw_staff")
    etag = client.get(f"{API}/cases/{cid}", headers=headers).headers["ETag"]
    body = {"category_id": _category(session, "illegal_building"), "note": "现场核实为违章搭建"}
    assert client.patch(f"{API}/cases/{cid}", json=body, headers=headers).status_code == 428
    r = client.patch(f"{API}/cases/{cid}", json=body, headers={**headers, "If-Match": etag})
    assert r.status_code == 200 and r.get_json()["mode"] == "joint"
    assert client.patch(f"{API}/cases/{cid}", json={"title": "x"}, headers={**headers, "If-Match": etag}).status_code == 412
    events = client.get(f"{API}/cases/{cid}/events", headers=headers).get_json()["items"]
    assert events[-1]["kind"] == "recategorised" and events[-1]["data"]["category"]["to"] == "违章搭建"


def test_the_escalation_job_raises_an_overdue_case_once_per_deadline(client, auth, session):
    cid = _report(client, auth, session).get_json()["id"]
    case = session.get(Case, cid)
    old_due = case.due_at = utcnow() - timedelta(minutes=5)
    session.commit()
    assert service.escalate_overdue(session) >= 1
    session.refresh(case)
    assert case.level == "section" and case.due_at > utcnow()
    # a second scheduler that read the same row before the first wrote raises nothing
    stale = SimpleNamespace(id=cid, level="grid", due_at=old_due, category=case.category)
    assert service._change_level(session, SystemPrincipal(reason="t"), stale, "section", "again", utcnow(),
                                 "escalated") is False
    assert service.escalate_overdue(session) == 0 or session.get(Case, cid).level == "section"
    events = session.scalars(select(CaseEvent.kind).where(CaseEvent.case_id == cid)).all()
    assert events.count("escalated") == 1
    town_staff = auth.me("town")["id"]
    assert session.scalar(select(func.count()).select_from(Notification).where(
        Notification.user_id == town_staff, Notification.subject_id == cid)) == 0
    staff = session.scalar(select(User.id).where(User.phone == "13800000002"))
    assert session.scalar(select(func.count()).select_from(Notification).where(
        Notification.user_id == staff, Notification.kind == "case.escalated_auto",
        Notification.subject_id == cid)) >= 1
    shown = client.get("/api/v1/notifications?limit=100", headers=auth.headers("lsw_staff")).get_json()["items"]
    note = next(n for n in shown if n["subject_id"] == cid and n["kind"] == "case.escalated_auto")
    assert note["title"].startswith("事项已上报至标段") and "自动上报" in note["body"]


def test_statistics_are_scoped(client, auth):
    lsw = client.get(f"{API}/cases/stats", headers=auth.headers("lsw_staff")).get_json()
    town = client.get(f"{API}/cases/stats", headers=auth.headers("town")).get_json()
    assert 0 < lsw["total"] < town["total"]
    assert set(lsw["by_mode"]) <= {"now", "mediate", "joint"} and lsw["median_hours_to_resolve"] > 0
    assert 0 <= lsw["sla_compliance"] <= 1 and 1 <= lsw["average_rating"] <= 5
    assert all(key.startswith("丽水湾 ") for key in lsw["by_grid"])
    assert "丽水湾 1号网格" in town["by_grid"] and "庄行新苑 1号网格" in town["by_grid"]
    assert client.get(f"{API}/cases/stats", headers=auth.headers("resident")).status_code == 403


def test_statistics_match_the_rows(client, auth, session):
    """The database computes them; check them against the rows themselves."""
    import statistics

    lsw = session.scalar(select(Area.path).where(Area.code == "LSW"))
    rows = session.execute(select(Case.created_at, Case.resolved_at, Case.due_at, Case.rating).where(
        Case.area_path.startswith(lsw))).all()
    done = [r for r in rows if r.resolved_at is not None]
    body = client.get(f"{API}/cases/stats", headers=auth.headers("lsw_staff")).get_json()
    assert body["total"] == len(rows) and body["resolved"] == len(done)
    expected = statistics.median((r.resolved_at - r.created_at).total_seconds() / 3600 for r in done)
    assert body["median_hours_to_resolve"] == pytest.approx(expected, abs=0.06)
    assert body["sla_compliance"] == pytest.approx(sum(r.resolved_at <= r.due_at for r in done) / len(done), abs=1e-3)
    rated = [r.rating for r in rows if r.rating is not None]
    assert body["ratings"] == len(rated) and body["average_rating"] == pytest.approx(sum(rated) / len(rated), abs=0.01)


def test_board_statement_count_does_not_grow_with_page_size(client, auth, count_queries):
    headers = auth.headers("lsw_staff")
    client.get(f"{API}/cases?limit=1", headers=headers)
    counts = {}
    for limit in (5, 100):
        with count_queries() as statements:
            r = client.get(f"{API}/cases?limit={limit}", headers=headers)
        assert len(r.get_json()["items"]) == limit
        counts[limit] = len(statements)
    assert counts[5] == counts[100], counts


def test_the_periodic_jobs_escalate_and_close(client, auth, session, app):
    from steward.cases import tasks

    cid = _report(client, auth, session).get_json()["id"]
    case = session.get(Case, cid)
    case.due_at = utcnow() - timedelta(hours=1)
    session.commit()
    assert tasks.escalate_overdue.run_now().startswith("raised ")
    assert session.scalar(select(Case.level).where(Case.id == cid)) == "section"
    done = _report(client, auth, session).get_json()["id"]
    _step(client, auth, done, "accept", "lsw_staff")
    _step(client, auth, done, "resolve", "lsw_staff")
    session.get(Case, done).resolved_at = utcnow() - timedelta(days=8)
    session.commit()
    tasks.close_resolved.run_now()
    assert session.scalar(select(Case.status).where(Case.id == done)) == "closed"


def test_csv_export_is_scoped_formula_safe_and_audited(client, auth, session):
    import csv
    import io

    from steward.audit.models import AuditEvent

    _report(client, auth, session, title="=HYPERLINK(\"http://x\")")
    r = client.get(f"{API}/cases/export.csv?mode=now", headers=auth.headers("lsw_staff"))
    assert r.status_code == 200 and r.mimetype == "text/csv"
    text = r.get_data(as_text=True)
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    header, body = rows[0], rows[1:]
    lsw_now = session.scalar(select(func.count()).select_from(Case).where(
        Case.area_path.startswith(session.scalar(select(Area.path).where(Area.code == "LSW"))), Case.mode == "now"))
    assert len(body) == lsw_now and all(row[header.index("mode")] == "now" for row in body)
    assert all(row[header.index("community")] == "丽水湾" for row in body)
    assert any(row[header.index("title")].startswith("'=") for row in body)
    assert "reporter" not in ",".join(header) and "138" not in text
    assert session.scalar(select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "case.export")) == 1
    assert client.get(f"{API}/cases/export.csv", headers=auth.headers("resident")).status_code == 403
    assert client.get(f"{API}/cases/export.csv?area_id=987654", headers=auth.headers("lsw_staff")).status_code == 404


# ------------------------------------------------------------------ photos
def _jpeg(w=1200, h=900) -> bytes:
    import io

    from PIL import Image

    exif = Image.Exif()
    exif[0x8825] = {1: "N", 2: (31.0, 5.0, 12.0), 3: "E", 4: (121.0, 30.0, 7.0)}
    buf = io.BytesIO()
    Image.new("RGB", (w, h), (180, 60, 60)).save(buf, "JPEG", exif=exif.tobytes())
    return buf.getvalue()


def _media_files(app):
    from pathlib import Path

    root = Path(app.config["MEDIA_DIR"])
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def _multipart_report(client, auth, session, files, who="resident", **fields):
    import io
    import json

    body = {"category_id": _category(session, "stairwell_mess"), "description": "楼道里堆满杂物",
            "stairwell_id": _stairwell(session).id, **fields}
    data = {"data": json.dumps(body), "photos": [(io.BytesIO(content), name) for name, content in files]}
    return client.post(f"{API}/cases", data=data, content_type="multipart/form-data", headers=auth.headers(who))


def test_a_report_with_photos_stores_them_without_gps_and_serves_them_in_scope(client, auth, session, app):
    import io

    from PIL import Image

    r = _multipart_report(client, auth, session, [("a.jpg", _jpeg()), ("b.jpg", _jpeg(600, 800))])
    assert r.status_code == 201, r.get_json()
    case = r.get_json()
    assert len(case["photos"]) == 2 and case["photos"][0]["stage"] == "report"
    url = case["photos"][0]["url"]
    got = client.get(url, headers=auth.headers("resident"))
    assert got.status_code == 200 and got.mimetype == "image/jpeg"
    assert "private" in got.headers["Cache-Control"] or "no-store" in got.headers["Cache-Control"]
    assert 0x8825 not in Image.open(io.BytesIO(got.data)).getexif()
    thumb = client.get(case["photos"][0]["thumbnail_url"], headers=auth.headers("lsw_staff"))
    assert thumb.status_code == 200 and max(Image.open(io.BytesIO(thumb.data)).size) <= 320
    for who in ("zxxy_staff", "zxxy_resident", "partner"):
        assert client.get(url, headers=auth.headers(who)).status_code == 404, who
    assert client.get(url).status_code == 401


@pytest.mark.parametrize("files, fields, bad", [
    ([("a.jpg", b"\x7fELF\x02\x01\x01" + b"\0" * 200)], {}, "photos.0"),
    ([("ok.jpg", None), ("evil.jpg", b"MZ\x90\x00" + b"\0" * 300)], {}, "photos.1"),
    ([("big.png", "20000x20000")], {}, "photos.0"),
    ([("a.jpg", None)] * 7, {}, "photos"),
    ([("a.jpg", None)], {"category_id": 987654}, "category_id"),
])
def test_a_report_with_any_invalid_part_stores_no_row_and_no_file(client, auth, session, app, files, fields, bad):
    from tests.backend.test_media import png_header_only

    def content(c):
        return _jpeg(400, 300) if c is None else png_header_only(20000, 20000) if c == "20000x20000" else c

    before_rows = session.scalar(select(func.count()).select_from(Case))
    before_files = _media_files(app)
    r = _multipart_report(client, auth, session, [(n, content(c)) for n, c in files], **fields)
    assert r.status_code == 422, r.get_json()
    assert bad in r.get_json()["errors"], r.get_json()
    assert session.scalar(select(func.count()).select_from(Case)) == before_rows
    assert _media_files(app) == before_files


def test_a_volunteer_adds_photos_of_the_fix(client, auth, session):
    import io
    import json

    cid = _report(client, auth, session).get_json()["id"]
    _step(client, auth, cid, "assign", "lsw_staff", assignee_id=auth.me("volunteer")["id"])
    r = client.post(f"{API}/cases/{cid}/photos", content_type="multipart/form-data", headers=auth.headers("volunteer"),
                    data={"data": json.dumps({"stage": "fix", "note": "清理后"}), "photos": [(io.BytesIO(_jpeg()), "x.jpg")]})
    assert r.status_code == 201, r.get_json()
    assert [p["stage"] for p in r.get_json()["photos"]] == ["fix"]
    r = client.post(f"{API}/cases/{cid}/photos", content_type="multipart/form-data", headers=auth.headers("partner"),
                    data={"data": json.dumps({"stage": "fix"}), "photos": [(io.BytesIO(_jpeg()), "x.jpg")]})
    assert r.status_code == 404  # not dispatched to the partner's unit
    kinds = [e["kind"] for e in client.get(f"{API}/cases/{cid}/events", headers=auth.headers("resident"))
             .get_json()["items"]]
    assert kinds[-1] == "photo"


def test_every_notification_reads_in_chinese_and_in_english(app):
    """Notifications store a kind and parameters; the text is rendered in the reader's language."""
    from steward.notifications.models import Notification
    from steward.notifications.service import TEXTS, render

    params = {"title": "楼道堆物", "place": "丽水湾 1号网格", "due": "11-28 09:00", "category": "乱堆物",
              "step": "Handling has started.", "level": "the town", "previous": "the grid", "hours": 3,
              "reason": "久拖未决", "note": "已处理", "unit": "丽水湾物业服务中心", "household": "3号楼1单元201室",
              "days": 15}
    assert len(TEXTS) >= 10
    import string

    for kind, (title, body) in TEXTS.items():
        names = {f for _, f, _, _ in string.Formatter().parse(title + body) if f}
        n = Notification(kind=kind, params={name: params.get(name, "某") for name in names})
        with app.test_request_context(headers={"Accept-Language": "zh-CN"}):
            zh = render(n)
        with app.test_request_context(headers={"Accept-Language": "en"}):
            en = render(n)
        assert zh["title"] != en["title"], kind  # a Chinese text exists for it
        assert "{" not in zh["title"] + zh["body"] + en["title"] + en["body"], kind
        assert not any("a" <= ch.lower() <= "z" for ch in zh["title"].replace("丽水湾", "")), (kind, zh["title"])
