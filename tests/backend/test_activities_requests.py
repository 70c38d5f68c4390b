"""Activities (sign-up, capacity, deadline, check-in, volunteer hours) and on-request services (states,
timeline, rating)."""
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import update

from steward.activities.models import Activity, Signup


def _iso(delta: timedelta) -> str:
    return (datetime.now(timezone.utc) + delta).isoformat()


def new_activity(client, auth, publish=True, **fields):
    body = {"area_id": auth.me("lsw_staff")["area"]["id"], "kind": "culture", "title": "重阳节书画展",
            "place": "丽水湾活动室", "starts_at": _iso(timedelta(days=3)), "ends_at": _iso(timedelta(days=3, hours=2)),
            "signup_deadline": _iso(timedelta(days=2)), "capacity": 2, **fields}
    r = client.post("/api/v1/activities", headers=auth.headers("lsw_staff"), json=body)
    assert r.status_code == 201, r.get_json()
    activity = r.get_json()
    if publish:
        r = client.post(f"/api/v1/activities/{activity['id']}/publish", headers=auth.headers("lsw_staff"), json={})
        assert r.status_code == 200, r.get_json()
        activity = r.get_json()
    return activity


def sign_up(client, auth, activity_id, who="resident", **body):
    return client.post(f"/api/v1/activities/{activity_id}/signups", headers=auth.headers(who), json=body)


def test_sign_up_capacity_and_cancel(client, auth, session):
    activity = new_activity(client, auth, capacity=1)
    r = sign_up(client, auth, activity["id"])
    assert r.status_code == 201 and r.get_json()["role"] == "participant" and len(r.get_json()["code"]) == 8
    assert sign_up(client, auth, activity["id"]).get_json()["type"].endswith("/already-booked")
    full = sign_up(client, auth, activity["id"], who="volunteer")
    assert full.status_code == 409 and full.get_json()["type"].endswith("/activity-full")
    mine = client.get("/api/v1/activity-signups", headers=auth.headers("resident")).get_json()["items"]
    assert activity["id"] in [m["activity"]["id"] for m in mine]
    r = client.post(f"/api/v1/activity-signups/{r.get_json()['id']}/cancel", headers=auth.headers("resident"), json={})
    assert r.status_code == 200 and r.get_json()["status"] == "cancelled"
    assert sign_up(client, auth, activity["id"], who="volunteer").status_code == 201
    assert session.get(Activity, activity["id"]).booked == 1


def test_sign_up_closes_at_the_deadline(client, auth, session):
    activity = new_activity(client, auth)
    session.execute(update(Activity).where(Activity.id == activity["id"]).values(
        signup_deadline=datetime.now(timezone.utc) - timedelta(minutes=1)))
    session.commit()
    r = sign_up(client, auth, activity["id"])
    assert r.status_code == 409 and r.get_json()["type"].endswith("/signup-closed")


def test_volunteer_check_in_by_code_and_hours_credited_on_completion(client, auth, session):
    activity = new_activity(client, auth, kind="volunteer", title="楼道清洁志愿服务", volunteer_minutes=90, capacity=5)
    assert sign_up(client, auth, activity["id"]).get_json()["type"].endswith("/not-eligible")  # not a volunteer
    mine = sign_up(client, auth, activity["id"], who="volunteer").get_json()
    assert mine["role"] == "volunteer"
    session.execute(update(Activity).where(Activity.id == activity["id"]).values(
        starts_at=datetime.now(timezone.utc) - timedelta(minutes=10)))
    session.commit()
    staff = auth.headers("lsw_staff")
    r = client.post(f"/api/v1/activities/{activity['id']}/check-in", headers=staff, json={"code": mine["code"].lower()})
    assert r.status_code == 200 and r.get_json()["status"] == "checked_in", r.get_json()
    r = client.post(f"/api/v1/activities/{activity['id']}/complete", headers=staff, json={"note": "清理了 12 个楼道"})
    assert r.status_code == 200 and r.get_json()["status"] == "completed"
    assert session.get(Signup, mine["id"]).minutes_credited == 90
    demo = 120  # the demo's completed 楼道清洁志愿服务
    hours = client.get("/api/v1/activities/volunteer-hours", headers=staff).get_json()["items"]
    mine_hours = next(h for h in hours if h["user_id"] == auth.me("volunteer")["id"])
    assert mine_hours["minutes"] == demo + 90 and mine_hours["hours"] == round((demo + 90) / 60, 1)
    zxxy = client.get("/api/v1/activities/volunteer-hours", headers=auth.headers("zxxy_staff")).get_json()["items"]
    assert auth.me("volunteer")["id"] not in [h["user_id"] for h in zxxy]


def test_cancelling_an_activity_tells_everyone(client, auth):
    activity = new_activity(client, auth)
    sign_up(client, auth, activity["id"])
    staff = auth.headers("lsw_staff")
    assert client.post(f"/api/v1/activities/{activity['id']}/cancel", headers=staff, json={}).status_code == 422
    assert client.post(f"/api/v1/activities/{activity['id']}/cancel", headers=staff,
                       json={"note": "台风停课"}).status_code == 200
    notes = client.get("/api/v1/notifications", headers=auth.headers("resident")).get_json()["items"]
    assert any(n["kind"] == "activity.cancelled" and "台风停课" in n["body"] for n in notes)


@pytest.mark.parametrize("change", [{"capacity": 0}, {"capacity": 2**40}, {"title": "a\x00"},
                                    {"starts_at": "2020-01-01T09:00:00+08:00", "ends_at": "2020-01-01T10:00:00+08:00"},
                                    {"kind": "party"}, {"starts_at": "2030-01-01T09:00:00"}])
def test_bad_activity_input_writes_nothing(client, auth, session, change):
    from sqlalchemy import func, select

    before = session.scalar(select(func.count()).select_from(Activity))
    body = {"area_id": auth.me("lsw_staff")["area"]["id"], "kind": "culture", "title": "x",
            "starts_at": _iso(timedelta(days=3)), "ends_at": _iso(timedelta(days=3, hours=2)), "capacity": 2, **change}
    r = client.post("/api/v1/activities", headers=auth.headers("lsw_staff"), json=body)
    assert r.status_code == 422
    assert session.scalar(select(func.count()).select_from(Activity)) == before


@pytest.mark.parametrize("who", ["zxxy_staff", "zxxy_resident"])
def test_another_communitys_activities_and_signups_are_404(client, auth, who):
    draft = new_activity(client, auth, publish=False)
    published = new_activity(client, auth)
    signup = sign_up(client, auth, published["id"]).get_json()
    headers = {**auth.headers(who), "If-Match": "*"}
    staff_only = who != "zxxy_staff"
    assert client.get(f"/api/v1/activities/{draft['id']}", headers=headers).status_code == 404
    assert client.get(f"/api/v1/activity-signups/{signup['id']}", headers=headers).status_code == 404
    assert client.post(f"/api/v1/activity-signups/{signup['id']}/cancel", headers=headers, json={}).status_code == 404
    assert client.post(f"/api/v1/activity-signups/{signup['id']}/check-in", headers=headers,
                       json={}).status_code == (403 if staff_only else 404)
    assert client.patch(f"/api/v1/activities/{draft['id']}", headers=headers,
                        json={"title": "越界"}).status_code == (403 if staff_only else 404)
    for step in ("publish", "cancel", "complete"):
        assert client.post(f"/api/v1/activities/{draft['id']}/{step}", headers=headers,
                           json={"note": "越界"}).status_code == (403 if staff_only else 404)
    assert client.get(f"/api/v1/activities/{published['id']}/signups", headers=headers).status_code == \
        (403 if staff_only else 404)
    # another community's published activity is not offered to sign up either
    assert client.post(f"/api/v1/activities/{published['id']}/signups", headers=headers,
                       json={}).status_code == (404 if who == "zxxy_resident" else 403)


# ------------------------------------------------------------------ on-request services
def new_on_request(client, auth):
    r = client.post("/api/v1/services", headers=auth.headers("lsw_staff"), json={
        "area_id": auth.me("lsw_staff")["area"]["id"], "kind": "on_request", "category": "medicine",
        "title": "代购药品", "max_active_per_resident": 1})
    assert r.status_code == 201, r.get_json()
    assert client.post(f"/api/v1/services/{r.get_json()['id']}/publish", headers=auth.headers("lsw_staff"),
                       json={}).status_code == 200
    return r.get_json()


def test_on_request_medicine_from_request_to_rating(client, auth):
    service = new_on_request(client, auth)
    resident, staff = auth.headers("resident"), auth.headers("lsw_staff")
    r = client.post("/api/v1/service-requests", headers=resident, json={
        "service_id": service["id"], "details": "降压药两盒", "preferred_note": "工作日上午"})
    assert r.status_code == 201, r.get_json()
    req = r.get_json()
    assert req["status"] == "submitted" and req["address"] and "cancel" in req["allowed_steps"]
    again = client.post("/api/v1/service-requests", headers=resident, json={"service_id": service["id"],
                                                                            "details": "再来两盒"})
    assert again.status_code == 409 and again.get_json()["type"].endswith("/booking-limit")
    assert client.post(f"/api/v1/service-requests/{req['id']}/accept", headers=resident, json={}).status_code == 403
    assert client.post(f"/api/v1/service-requests/{req['id']}/accept", headers=staff, json={}).status_code == 200
    r = client.post(f"/api/v1/service-requests/{req['id']}/schedule", headers=staff,
                    json={"scheduled_at": _iso(timedelta(days=1)), "note": "明天上午送到"})
    assert r.status_code == 200 and r.get_json()["status"] == "scheduled"
    assert client.post(f"/api/v1/service-requests/{req['id']}/rate", headers=resident,
                       json={"rating": 5}).status_code == 409
    assert client.post(f"/api/v1/service-requests/{req['id']}/complete", headers=staff, json={}).status_code == 200
    r = client.post(f"/api/v1/service-requests/{req['id']}/accept", headers=staff, json={})
    assert r.status_code == 409 and r.get_json()["state"] == "done"
    assert client.post(f"/api/v1/service-requests/{req['id']}/rate", headers=resident,
                       json={"rating": 5, "comment": "很及时"}).get_json()["rating"] == 5
    assert client.post(f"/api/v1/service-requests/{req['id']}/rate", headers=resident,
                       json={"rating": 4}).status_code == 409
    kinds = [e["kind"] for e in client.get(f"/api/v1/service-requests/{req['id']}/events",
                                           headers=resident).get_json()["items"]]
    assert kinds == ["submitted", "accept", "schedule", "complete", "rated"]
    notes = client.get("/api/v1/notifications", headers=resident).get_json()["items"]
    assert sum(n["kind"] == "service_request.step" for n in notes) == 3
    assert client.get(f"/api/v1/service-requests/{req['id']}", headers=auth.headers("zxxy_staff")).status_code == 404
    assert client.get(f"/api/v1/service-requests/{req['id']}", headers=auth.headers("zxxy_resident")).status_code == 404
    assert client.post(f"/api/v1/service-requests/{req['id']}/comments", headers=auth.headers("zxxy_staff"),
                       json={"note": "越界"}).status_code == 404


def test_a_slots_service_is_not_requested_and_an_on_request_one_is_not_booked(client, auth, session):
    service = new_on_request(client, auth)
    r = client.post("/api/v1/service-requests", headers=auth.headers("resident"),
                    json={"service_id": 987654321, "details": "降压药"})
    assert r.status_code == 422 and "service_id" in r.get_json()["errors"]
    r = client.put(f"/api/v1/services/{service['id']}/rules", headers=auth.headers("lsw_staff"),
                   json={"rules": [{"weekday": 1, "start": "09:00", "end": "10:00"}]})
    assert r.status_code == 409 and r.get_json()["type"].endswith("/on-request")
