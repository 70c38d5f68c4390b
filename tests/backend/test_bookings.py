"""Services and bookings: catalogue, schedules in the town's time, availability, capacity, waitlist,
cut-off, eligibility, limits, check-in, calendars, reports — and bad input writes nothing."""
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar
from sqlalchemy import func, select, update

from steward.notifications.models import Notification
from steward.services.models import Booking, Service, Slot

ZONE = ZoneInfo("Asia/Shanghai")
EVERY_DAY = [{"weekday": d, "start": "09:00", "end": "11:00"} for d in range(7)]


def new_service(client, auth, who="lsw_staff", publish=True, rules=None, **fields):
    area = auth.me(who)["area"]["id"]
    body = {"area_id": area, "kind": "slots", "category": "haircut", "title": "爱心理发", "place": "睦邻点",
            "slot_minutes": 30, "capacity": 3, "book_ahead_days": 14, "cancel_cutoff_minutes": 120,
            "max_active_per_resident": 2, "rules": EVERY_DAY if rules is None else rules, **fields}
    r = client.post("/api/v1/services", headers=auth.headers(who), json=body)
    assert r.status_code == 201, r.get_json()
    service = r.get_json()
    if publish:
        r = client.post(f"/api/v1/services/{service['id']}/publish", headers=auth.headers(who), json={})
        assert r.status_code == 200, r.get_json()
        service = r.get_json()
    return service


def slots_of(client, auth, service_id, who="resident", **query):
    r = client.get(f"/api/v1/services/{service_id}/slots", headers=auth.headers(who), query_string=query)
    assert r.status_code == 200, r.get_json()
    return r.get_json()


def first_slot(client, auth, service_id, who="resident"):
    return next(s for s in slots_of(client, auth, service_id, who)["items"] if s["seats_left"])


def book(client, auth, slot_id, who="resident", **extra):
    return client.post("/api/v1/bookings", headers=auth.headers(who), json={"slot_id": slot_id, **extra})


def count(session, model, *where):
    return session.scalar(select(func.count()).select_from(model).where(*where))


def test_staff_publish_a_weekly_schedule_and_residents_see_14_days_of_slots(client, auth):
    service = new_service(client, auth)
    body = slots_of(client, auth, service["id"])
    today = datetime.now(ZONE).date()
    days = {s["day"] for s in body["items"]}
    assert body["eligible"] and len(days) in (14, 13)  # today's 09:00–11:00 may have passed
    assert max(days) == (today + timedelta(days=13)).isoformat()
    first = body["items"][0]
    assert first["capacity"] == 3 and first["seats_left"] == 3 and first["mine"] is None and not first["full"]
    local = datetime.fromisoformat(first["starts_at"]).astimezone(ZONE)
    assert local.strftime("%H:%M") in ("09:00", "09:30", "10:00", "10:30")
    listed = client.get("/api/v1/services?kind=slots", headers=auth.headers("resident")).get_json()["items"]
    assert service["id"] in [s["id"] for s in listed]
    assert next(s for s in listed if s["id"] == service["id"])["can_book"] is True


def test_availability_costs_the_same_statements_for_one_day_or_sixty(client, auth, count_queries):
    service = new_service(client, auth, book_ahead_days=60)
    headers = auth.headers("resident")
    client.get(f"/api/v1/services/{service['id']}/slots", headers=headers)
    counts = {}
    for days in (2, 60):
        until = (datetime.now(ZONE).date() + timedelta(days=days - 1)).isoformat()
        with count_queries() as statements:
            r = client.get(f"/api/v1/services/{service['id']}/slots?until={until}", headers=headers)
        assert r.status_code == 200
        counts[days] = len(statements)
    assert counts[2] == counts[60] <= 10, counts
    assert len(r.get_json()["items"]) > 200


def test_book_then_full_then_waitlist_and_promotion_on_cancel(client, auth, session, make):
    service = new_service(client, auth, capacity=1, cancel_cutoff_minutes=0)
    slot = first_slot(client, auth, service["id"])
    r = book(client, auth, slot["id"])
    assert r.status_code == 201, r.get_json()
    mine = r.get_json()
    assert mine["status"] == "booked" and len(mine["code"]) == 8 and "cancel" in mine["allowed_steps"]
    assert book(client, auth, slot["id"]).get_json()["type"].endswith("/already-booked")
    headers = auth.headers("volunteer")  # a second resident (volunteers live somewhere too)
    full = client.post("/api/v1/bookings", headers=headers, json={"slot_id": slot["id"]})
    assert full.status_code == 409 and full.get_json()["type"].endswith("/slot-full") and full.get_json()["waitlist"]
    queued = client.post("/api/v1/bookings", headers=headers, json={"slot_id": slot["id"], "waitlist": True})
    assert queued.status_code == 201 and queued.get_json()["status"] == "waiting"
    assert queued.get_json()["position"] == 1
    seen = slots_of(client, auth, service["id"], "resident", since=slot["day"], until=slot["day"])["items"]
    row = next(s for s in seen if s["id"] == slot["id"])
    assert row["full"] and row["booked"] == 1 and row["waiting"] == 1 and row["mine"]["status"] == "booked"
    r = client.post(f"/api/v1/bookings/{mine['id']}/cancel", headers=auth.headers("resident"), json={})
    assert r.status_code == 200 and r.get_json()["status"] == "cancelled"
    promoted = session.get(Booking, queued.get_json()["id"])
    session.refresh(promoted)
    assert promoted.status == "booked" and promoted.promoted_at is not None
    slot_row = session.get(Slot, slot["id"])
    session.refresh(slot_row)
    assert (slot_row.booked, slot_row.waiting) == (1, 0)
    assert count(session, Notification, Notification.user_id == auth.me("volunteer")["id"],
                 Notification.kind == "booking.promoted") == 1
    # booking again after cancelling is allowed (the unique index covers active bookings only)
    assert book(client, auth, slot["id"], waitlist=True).get_json()["status"] == "waiting"


def test_a_freed_seat_goes_to_the_queue_not_to_a_newcomer(client, auth, session):
    service = new_service(client, auth, capacity=1)
    slot = first_slot(client, auth, service["id"])
    session.execute(update(Slot).where(Slot.id == slot["id"]).values(waiting=1))  # someone is queued
    session.commit()
    r = book(client, auth, slot["id"])
    assert r.status_code == 409 and r.get_json()["type"].endswith("/slot-full")


def test_cancel_cut_off_for_residents_and_staff_cancel_with_a_reason(client, auth, session):
    service = new_service(client, auth, cancel_cutoff_minutes=7 * 24 * 60)
    slot = first_slot(client, auth, service["id"])
    booking = book(client, auth, slot["id"]).get_json()
    r = client.post(f"/api/v1/bookings/{booking['id']}/cancel", headers=auth.headers("resident"), json={})
    assert r.status_code == 409 and r.get_json()["type"].endswith("/cancel-cutoff")
    staff = auth.headers("lsw_staff")
    r = client.post(f"/api/v1/bookings/{booking['id']}/cancel", headers=staff, json={})
    assert r.status_code == 422 and "reason" in r.get_json()["errors"]
    r = client.post(f"/api/v1/bookings/{booking['id']}/cancel", headers=staff, json={"reason": "理发师生病"})
    assert r.status_code == 200 and r.get_json()["cancel_reason"] == "理发师生病"
    notes = client.get("/api/v1/notifications", headers=auth.headers("resident")).get_json()["items"]
    assert any(n["kind"] == "booking.cancelled" and "理发师生病" in n["body"] for n in notes)
    assert session.get(Slot, slot["id"]).booked == 0


def test_per_resident_limit(client, auth):
    service = new_service(client, auth, max_active_per_resident=2)
    items = slots_of(client, auth, service["id"])["items"]
    assert book(client, auth, items[0]["id"]).status_code == 201
    assert book(client, auth, items[1]["id"]).status_code == 201
    r = book(client, auth, items[2]["id"])
    assert r.status_code == 409 and r.get_json()["type"].endswith("/booking-limit")


@pytest.mark.parametrize("policy, allowed", [
    ({"min_age": 110}, False),
    ({"min_age": 18}, True),
    ({"required_tags": ["elderly_alone"]}, False),
    ({"audience": "verified"}, True),
])
def test_eligibility_by_age_and_tags(client, auth, policy, allowed):
    service = new_service(client, auth, **policy)
    seen = client.get(f"/api/v1/services/{service['id']}", headers=auth.headers("resident")).get_json()
    assert seen["can_book"] is allowed and (seen["ineligible_reason"] is None) is allowed
    r = book(client, auth, first_slot(client, auth, service["id"])["id"])
    assert r.status_code == (201 if allowed else 403)
    if not allowed:
        assert r.get_json()["type"].endswith("/not-eligible") and r.get_json()["detail"]


def test_only_verified_residents_book_a_verified_service(client, auth, session):
    service = new_service(client, auth, audience="verified")
    slot = first_slot(client, auth, service["id"])
    r = book(client, auth, slot["id"], who="pending")  # self-registered, household not yet verified
    assert r.status_code == 403 and r.get_json()["type"].endswith("/not-eligible")
    assert count(session, Booking, Booking.slot_id == slot["id"]) == 0


def test_tagged_resident_books_a_service_for_the_elderly_living_alone(client, auth, session):
    from steward.people.models import Resident, User

    me = session.scalar(select(User).where(User.phone == "13800000005"))
    resident = session.get(Resident, me.resident_id)
    resident.tags = ["elderly_alone"]
    session.commit()
    service = new_service(client, auth, required_tags=["elderly_alone"], min_age=60)
    assert book(client, auth, first_slot(client, auth, service["id"])["id"]).status_code == 201


def test_a_slot_at_2330_shanghai_and_the_utc_day_boundary(client, auth, session):
    next_week = datetime.now(ZONE).date() + timedelta(days=7)
    rules = [{"weekday": next_week.weekday(), "start": "23:30", "end": "24:00"},
             {"weekday": next_week.weekday(), "start": "07:00", "end": "08:30"}]
    service = new_service(client, auth, rules=rules)
    items = slots_of(client, auth, service["id"], since=next_week.isoformat(), until=next_week.isoformat())["items"]
    starts = [datetime.fromisoformat(s["starts_at"]) for s in items]
    assert [s.astimezone(ZONE).strftime("%H:%M") for s in starts] == ["07:00", "07:30", "08:00", "23:30"]
    assert {s["day"] for s in items} == {next_week.isoformat()}
    # 07:00 in Shanghai is 23:00 UTC the day before; 23:30 is 15:30 UTC the same day
    early, late = starts[0].astimezone(timezone.utc), starts[-1].astimezone(timezone.utc)
    assert (early.date(), early.hour) == (next_week - timedelta(days=1), 23)
    assert (late.date(), late.strftime("%H:%M")) == (next_week, "15:30")
    assert datetime.fromisoformat(items[-1]["ends_at"]).astimezone(ZONE).strftime("%d %H:%M") == \
        f"{next_week + timedelta(days=1):%d} 00:00"
    assert book(client, auth, items[-1]["id"]).status_code == 201
    # asking for the day before in town time does not return the next day's 07:00 slot
    before = slots_of(client, auth, service["id"], since=(next_week - timedelta(days=1)).isoformat(),
                      until=(next_week - timedelta(days=1)).isoformat())["items"]
    assert before == []


def test_exceptions_close_a_day_with_notice_and_add_an_extra_session(client, auth, session):
    service = new_service(client, auth)
    slot = slots_of(client, auth, service["id"])["items"][-1]  # the last day of the horizon
    booking = book(client, auth, slot["id"]).get_json()
    staff = auth.headers("lsw_staff")
    r = client.post(f"/api/v1/services/{service['id']}/exceptions", headers=staff,
                    json={"day": slot["day"], "kind": "closed", "note": "元旦休息"})
    assert r.status_code == 201, r.get_json()
    closure = r.get_json()
    day = slots_of(client, auth, service["id"], since=slot["day"], until=slot["day"])["items"]
    assert [s for s in day if s["status"] == "open"] == []
    assert client.get(f"/api/v1/bookings/{booking['id']}", headers=auth.headers("resident")).get_json()[
        "status"] == "cancelled"
    notes = client.get("/api/v1/notifications", headers=auth.headers("resident")).get_json()["items"]
    assert any(n["kind"] == "booking.cancelled" and "元旦休息" in n["body"] for n in notes)
    r = client.post(f"/api/v1/services/{service['id']}/exceptions", headers=staff,
                    json={"day": slot["day"], "kind": "extra", "start": "14:00", "end": "15:00", "capacity": 5})
    assert r.status_code == 201
    day = slots_of(client, auth, service["id"], since=slot["day"], until=slot["day"])["items"]
    extra = [s for s in day if s["status"] == "open"]
    assert [datetime.fromisoformat(s["starts_at"]).astimezone(ZONE).strftime("%H:%M") for s in extra] == \
        ["14:00", "14:30"] and {s["capacity"] for s in extra} == {5}
    assert client.delete(f"/api/v1/services/{service['id']}/exceptions/{closure['id']}",
                         headers=staff).status_code == 204
    day = slots_of(client, auth, service["id"], since=slot["day"], until=slot["day"])["items"]
    assert len([s for s in day if s["status"] == "open"]) == 6


def test_check_in_by_code_by_a_volunteer_and_no_show(client, auth, session):
    service = new_service(client, auth)
    items = slots_of(client, auth, service["id"])["items"]
    a, b = book(client, auth, items[0]["id"]).get_json(), book(client, auth, items[1]["id"]).get_json()
    soon = datetime.now(timezone.utc) + timedelta(minutes=30)
    session.execute(update(Booking).where(Booking.id == a["id"]).values(starts_at=soon))
    session.commit()
    volunteer = auth.headers("volunteer")
    code = a["code"][:4] + "-" + a["code"][4:].lower()
    r = client.post("/api/v1/bookings/check-in", headers=volunteer, json={"code": code})
    assert r.status_code == 200 and r.get_json()["status"] == "checked_in", r.get_json()
    assert client.post("/api/v1/bookings/check-in", headers=volunteer,
                       json={"code": a["code"]}).get_json()["type"].endswith("/invalid-transition")
    r = client.post("/api/v1/bookings/check-in", headers=volunteer, json={"code": b["code"]})
    assert r.status_code == 409 and r.get_json()["type"].endswith("/too-early")
    assert client.post("/api/v1/bookings/check-in", headers=volunteer, json={"code": "ZZZZZZZZ"}).status_code == 404
    staff = auth.headers("lsw_staff")
    r = client.post(f"/api/v1/bookings/{b['id']}/no-show", headers=staff, json={})
    assert r.status_code == 409 and r.get_json()["type"].endswith("/not-started")
    session.execute(update(Booking).where(Booking.id == b["id"]).values(
        starts_at=datetime.now(timezone.utc) - timedelta(minutes=5)))
    session.commit()
    assert client.post(f"/api/v1/bookings/{b['id']}/no-show", headers=staff, json={}).get_json()["status"] == "no_show"
    roster = client.get(f"/api/v1/service-slots/{items[0]['id']}/roster", headers=volunteer).get_json()
    assert [x["status"] for x in roster["bookings"]] == ["checked_in"] and roster["bookings"][0]["phone"]


def test_ics_for_a_booking_and_a_private_revocable_feed(client, auth, app):
    service = new_service(client, auth)
    booking = book(client, auth, first_slot(client, auth, service["id"])["id"]).get_json()
    r = client.get(booking["ics_url"], headers=auth.headers("resident"))
    assert r.status_code == 200 and r.mimetype == "text/calendar"
    cal = Calendar.from_ical(r.data)
    event = cal.walk("VEVENT")[0]
    assert str(event["SUMMARY"]) == "爱心理发" and booking["code"] in str(event["DESCRIPTION"])
    assert event.decoded("DTSTART") == datetime.fromisoformat(booking["starts_at"])
    assert client.get(booking["ics_url"], headers=auth.headers("zxxy_resident")).status_code == 404
    assert client.get("/api/v1/calendar-feeds", headers=auth.headers("resident")).get_json()["active"] is False
    url = client.post("/api/v1/calendar-feeds", headers=auth.headers("resident")).get_json()["url"]
    feed = client.get(url)  # no token: calendar apps cannot sign in
    assert feed.status_code == 200
    assert f"booking-{booking['id']}@steward" in [str(e["UID"]) for e in Calendar.from_ical(feed.data).walk("VEVENT")]
    newer = client.post("/api/v1/calendar-feeds", headers=auth.headers("resident")).get_json()["url"]
    assert client.get(url).status_code == 404 and client.get(newer).status_code == 200
    assert client.delete("/api/v1/calendar-feeds", headers=auth.headers("resident")).status_code == 204
    assert client.get(newer).status_code == 404


def test_reports_per_service_and_day_and_csv(client, auth, session):
    service = new_service(client, auth)
    items = slots_of(client, auth, service["id"])["items"]
    book(client, auth, items[0]["id"])
    book(client, auth, items[0]["id"], who="volunteer")
    day = items[0]["day"]
    staff = auth.headers("lsw_staff")
    r = client.get(f"/api/v1/services/reports/daily?since={day}&until={day}&service_id={service['id']}", headers=staff)
    assert r.status_code == 200
    [row] = r.get_json()["items"]
    n_slots = len([s for s in items if s["day"] == day])
    assert row["slots"] == n_slots and row["capacity"] == 3 * n_slots and row["booked"] == 2
    assert row["utilisation"] == round(2 / (3 * n_slots), 3) and row["no_show_rate"] is None
    csv = client.get(f"/api/v1/services/reports/daily.csv?since={day}&until={day}&service_id={service['id']}",
                     headers=staff)
    assert csv.status_code == 200 and csv.data.decode("utf-8-sig").splitlines()[1].startswith(day)
    roster = client.get(f"/api/v1/services/{service['id']}/roster.csv?day={day}", headers=staff)
    assert roster.status_code == 200 and "王秀英" in roster.data.decode("utf-8-sig")
    zxxy = client.get(f"/api/v1/services/reports/daily?since={day}&until={day}", headers=auth.headers("zxxy_staff"))
    assert service["id"] not in [x["service_id"] for x in zxxy.get_json()["items"]]


def test_the_reminder_job_tells_each_booking_once(client, auth, session, app):
    from steward.services.tasks import remind_tomorrow

    service = new_service(client, auth)
    tomorrow = (datetime.now(ZONE).date() + timedelta(days=1)).isoformat()
    slot = slots_of(client, auth, service["id"], since=tomorrow, until=tomorrow)["items"][0]
    booking = book(client, auth, slot["id"]).get_json()
    remind_tomorrow.run_now()
    remind_tomorrow.run_now()
    assert count(session, Notification, Notification.kind == "booking.reminder",
                 Notification.subject_id == booking["id"]) == 1


def test_capacity_changes_never_go_below_the_seats_taken(client, auth, session):
    service = new_service(client, auth, capacity=2)
    slot = first_slot(client, auth, service["id"])
    book(client, auth, slot["id"])
    book(client, auth, slot["id"], who="volunteer")
    staff = auth.headers("lsw_staff")
    r = client.patch(f"/api/v1/service-slots/{slot['id']}", headers=staff, json={"capacity": 1})
    assert r.status_code == 409 and r.get_json()["type"].endswith("/capacity-taken")
    assert client.patch(f"/api/v1/service-slots/{slot['id']}", headers=staff, json={"capacity": 4}).get_json()[
        "seats_left"] == 2


# ------------------------------------------------------------------ bad input writes nothing
def _writes(session):
    return (count(session, Booking), count(session, Service), count(session, Slot))


@pytest.mark.parametrize("body", [
    {"slot_id": 987654321},
    {"slot_id": 2**63},
    {"slot_id": -1},
    {"slot_id": "1"},
    {"slot_id": 1.5},
    {},
    {"slot_id": 1, "note": "a\x00b"},
    {"slot_id": 1, "extra": True},
])
def test_bad_booking_input_is_4xx_and_writes_nothing(client, auth, session, body):
    new_service(client, auth)
    before = _writes(session)
    r = client.post("/api/v1/bookings", headers=auth.headers("resident"), json=body)
    assert 400 <= r.status_code < 500 and r.headers["Content-Type"] == "application/problem+json"
    assert _writes(session) == before


def test_a_slot_in_the_past_cannot_be_booked(client, auth, session):
    service = new_service(client, auth)
    slot = first_slot(client, auth, service["id"])
    session.execute(update(Slot).where(Slot.id == slot["id"]).values(
        starts_at=datetime.now(timezone.utc) - timedelta(minutes=1)))
    session.commit()
    before = _writes(session)
    r = book(client, auth, slot["id"])
    assert r.status_code == 422 and "slot_id" in r.get_json()["errors"]
    assert _writes(session) == before


@pytest.mark.parametrize("change", [
    {"capacity": 0}, {"capacity": 10**12}, {"slot_minutes": 0}, {"kind": "whatever"}, {"title": "理\x00发"},
    {"area_id": 987654321}, {"provider_unit_id": 987654321}, {"rules": [{"weekday": 7, "start": "09:00", "end": "10:00"}]},
    {"rules": [{"weekday": 1, "start": "11:00", "end": "09:00"}]}, {"rules": [{"weekday": 1, "start": "9:00", "end": "10:00"}]},
    {"rules": [{"weekday": 1, "start": "09:00", "end": "10:00"}, {"weekday": 1, "start": "09:30", "end": "11:00"}]},
    {"required_tags": ["vip"]}, {"min_age": -1},
])
def test_bad_service_input_is_4xx_and_writes_nothing(client, auth, session, change):
    before = _writes(session)
    body = {"area_id": auth.me("lsw_staff")["area"]["id"], "kind": "slots", "category": "lunch", "title": "爱心午餐",
            "rules": EVERY_DAY, **change}
    r = client.post("/api/v1/services", headers=auth.headers("lsw_staff"), json=body)
    assert r.status_code == 422, r.get_json()
    assert _writes(session) == before


def test_an_unknown_or_unpublished_service_cannot_be_booked(client, auth, session):
    draft = new_service(client, auth, publish=False)
    assert client.get(f"/api/v1/services/{draft['id']}", headers=auth.headers("resident")).status_code == 404
    assert client.get("/api/v1/services/987654321/slots", headers=auth.headers("resident")).status_code == 404
    assert count(session, Slot, Slot.service_id == draft["id"]) == 0


# ------------------------------------------------------------------ scope
def _lsw_objects(client, auth, session):
    service = new_service(client, auth, cancel_cutoff_minutes=0)
    slot = first_slot(client, auth, service["id"])
    booking = book(client, auth, slot["id"]).get_json()
    exception = client.post(f"/api/v1/services/{service['id']}/exceptions", headers=auth.headers("lsw_staff"),
                            json={"day": (date.today() + timedelta(days=30)).isoformat(), "kind": "closed"}).get_json()
    return service, slot, booking, exception


@pytest.mark.parametrize("who", ["zxxy_staff", "zxxy_resident"])
def test_another_communitys_services_slots_and_bookings_are_404(client, auth, session, who):
    service, slot, booking, exception = _lsw_objects(client, auth, session)
    headers = {**auth.headers(who), "If-Match": "*"}
    s, sl, b, e = service["id"], slot["id"], booking["id"], exception["id"]
    calls = [
        ("get", f"/services/{s}", None), ("patch", f"/services/{s}", {"title": "越界"}),
        ("get", f"/services/{s}/rules", None), ("put", f"/services/{s}/rules", {"rules": []}),
        ("get", f"/services/{s}/exceptions", None),
        ("post", f"/services/{s}/exceptions", {"day": "2030-01-01", "kind": "closed"}),
        ("delete", f"/services/{s}/exceptions/{e}", None),
        ("get", f"/services/{s}/slots", None), ("get", f"/services/{s}/roster?day=2030-01-01", None),
        ("get", f"/services/{s}/roster.csv?day=2030-01-01", None),
        ("post", f"/services/{s}/publish", {}), ("post", f"/services/{s}/unpublish", {}),
        ("post", f"/services/{s}/archive", {}),
        ("get", f"/service-slots/{sl}", None), ("patch", f"/service-slots/{sl}", {"capacity": 9}),
        ("post", f"/service-slots/{sl}/close", {"reason": "越界关闭"}), ("get", f"/service-slots/{sl}/roster", None),
        ("get", f"/bookings/{b}", None), ("post", f"/bookings/{b}/cancel", {"reason": "越界取消"}),
        ("post", f"/bookings/{b}/check-in", {}), ("post", f"/bookings/{b}/no-show", {}),
        ("get", f"/bookings/{b}/calendar.ics", None),
        ("post", "/bookings/check-in", {"code": booking["code"]}),
    ]
    # routes whose roles exclude residents answer 403 before looking anything up
    staff_only = {"patch", "put", "exceptions", "delete", "roster", "publish", "unpublish", "archive", "close",
                  "check-in", "no-show"}
    for method, url, body in calls:
        r = getattr(client, method)("/api/v1" + url, headers=headers, **({"json": body} if body is not None else {}))
        refused = who == "zxxy_resident" and (method in staff_only or any(
            part.split("?")[0].split(".")[0] in staff_only for part in url.split("/"))) and \
            not (method == "get" and url.endswith("/exceptions"))
        assert r.status_code == (403 if refused else 404), (who, method, url, r.status_code, r.get_json())
    assert session.get(Booking, b).status == "booked" and session.get(Service, s).title == "爱心理发"
    assert session.get(Slot, sl).status == "open"


def test_another_communitys_bookings_never_appear_in_lists(client, auth, session):
    service, slot, booking, _ = _lsw_objects(client, auth, session)
    for who in ("zxxy_staff", "zxxy_resident", "partner"):
        items = client.get("/api/v1/bookings?limit=100", headers=auth.headers(who)).get_json()["items"]
        assert booking["id"] not in [i["id"] for i in items]
    items = client.get(f"/api/v1/bookings?limit=100&service_id={service['id']}",
                       headers=auth.headers("lsw_staff")).get_json()["items"]
    assert booking["id"] in [i["id"] for i in items]
