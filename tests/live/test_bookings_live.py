"""Bookings under real concurrency: the real server (waitress, its job worker beside it) on SQLite and on
PostgreSQL, real HTTP from many threads at once.

* 50 residents try for a slot with 3 seats left: exactly 3 get one, 47 get a clear 409, and the
  database agrees (the slot's counter, the booking rows, the CHECK never tripped).
* The 47 join the queue at once; seats freed by parallel cancellations (and promotion jobs queued many
  times over) go to exactly as many residents as seats, first come first served.
* One resident double-tapping "book" (ten identical requests at once, with and without an
  Idempotency-Key) holds one booking.
"""
import os
import subprocess
import sys
import threading
import time
import uuid

import pytest
from argon2 import PasswordHasher
from sqlalchemy import create_engine, text

from ..live_server import ROOT, call, fresh_postgres, live_server, postgres_answers

PASSWORD = "Steward@2026"
STAFF = {"phone": "13800000002", "password": PASSWORD}
RESIDENTS = 56


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def booking_server(request, tmp_path_factory):
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('live-bookings') / 'steward.db'}"
    elif postgres_answers():
        url = fresh_postgres(os.environ.get("PG_LIVE_DB", "steward_live_test") + "_bookings")
    elif os.environ.get("CI") == "true":
        pytest.fail("PostgreSQL at 127.0.0.1:5432 does not answer and CI=true")
    else:
        pytest.skip("PostgreSQL at 127.0.0.1:5432 does not answer")
    saved = {k: os.environ.get(k) for k in ("LOGIN_LIMIT_PER_IP", "HUEY_FILE")}
    os.environ["LOGIN_LIMIT_PER_IP"] = "100000"  # every resident below signs in from 127.0.0.1
    os.environ["HUEY_FILE"] = str(tmp_path_factory.mktemp("huey") / "huey.db")  # a queue of this server's own
    try:
        with live_server(url) as base:
            yield base, url
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def parallel(n, fn):
    barrier = threading.Barrier(n)
    results = [None] * n

    def run(i):
        barrier.wait()  # every thread sends at the same moment
        results[i] = fn(i)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    return results


def scalar(url, sql, **params):
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return conn.execute(text(sql), params).scalar()
    finally:
        engine.dispose()


def column(url, sql, **params):
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return [r[0] for r in conn.execute(text(sql), params)]
    finally:
        engine.dispose()


def residents(url, base, n):
    """``n`` fresh resident accounts in 丽水湾 (inserted directly, signed in over HTTP): their tokens."""
    tag = uuid.uuid4().hex[:6]
    digest = PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1).hash(PASSWORD)
    engine = create_engine(url)
    with engine.begin() as conn:
        area_id, path = conn.execute(text("SELECT id, path FROM areas WHERE code = 'LSW'")).one()
        for i in range(n):
            conn.execute(text(
                "INSERT INTO users (phone, name, password_hash, role, area_id, area_path, is_active, "
                "must_change_password, created_at) VALUES (:phone, :name, :hash, 'resident', :area, :path, :t, :f, "
                "CURRENT_TIMESTAMP)"),
                {"phone": f"1370{int(tag, 16) % 1000:03d}{i:04d}", "name": f"并发居民{tag}{i}", "hash": digest,
                 "area": area_id, "path": path, "t": True, "f": False})
        phones = [r[0] for r in conn.execute(text("SELECT phone FROM users WHERE name LIKE :p ORDER BY id"),
                                             {"p": f"并发居民{tag}%"})]
    engine.dispose()
    tokens = []
    for phone in phones:
        status, body, _ = call(base, "POST", "/auth/login", body={"phone": phone, "password": PASSWORD})
        assert status == 200, body
        tokens.append(body["access_token"])
    return tokens


def open_slot(base, staff, capacity):
    status, me, _ = call(base, "GET", "/me", staff)
    area = me["area"]["id"]
    rules = [{"weekday": d, "start": "09:00", "end": "10:00"} for d in range(7)]
    status, service, _ = call(base, "POST", "/services", staff, {
        "area_id": area, "kind": "slots", "category": "lunch", "title": f"爱心午餐 {uuid.uuid4().hex[:4]}",
        "slot_minutes": 60, "capacity": capacity, "cancel_cutoff_minutes": 0, "max_active_per_resident": 5,
        "rules": rules})
    assert status == 201, service
    status, _, _ = call(base, "POST", f"/services/{service['id']}/publish", staff, {})
    assert status == 200
    status, slots, _ = call(base, "GET", f"/services/{service['id']}/slots", staff)
    return service["id"], slots["items"][-1]["id"]  # the last day: never started during the test


def counters(url, slot_id):
    booked = scalar(url, "SELECT booked FROM service_slots WHERE id = :i", i=slot_id)
    waiting = scalar(url, "SELECT waiting FROM service_slots WHERE id = :i", i=slot_id)
    rows = {status: scalar(url, "SELECT count(*) FROM bookings WHERE slot_id = :i AND status = :s", i=slot_id, s=status)
            for status in ("booked", "waiting", "cancelled")}
    return booked, waiting, rows


def wait_for(predicate, seconds=30):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.25)
    return predicate()


def test_fifty_residents_three_seats_then_the_queue(booking_server):
    base, url = booking_server
    staff = call(base, "POST", "/auth/login", body=STAFF)[1]["access_token"]
    _, slot = open_slot(base, staff, capacity=5)
    tokens = residents(url, base, RESIDENTS)
    early, crowd = tokens[:2], tokens[2:52]
    for token in early:  # two seats go first: 3 left
        assert call(base, "POST", "/bookings", token, {"slot_id": slot})[0] == 201

    answers = parallel(len(crowd), lambda i: call(base, "POST", "/bookings", crowd[i], {"slot_id": slot}))
    statuses = [a[0] for a in answers]
    assert statuses.count(201) == 3 and statuses.count(409) == 47, statuses
    assert {a[1]["type"].rsplit("/", 1)[-1] for a in answers if a[0] == 409} == {"slot-full"}
    assert all(a[1]["waitlist"] is True for a in answers if a[0] == 409)
    booked, waiting, rows = counters(url, slot)
    assert booked == 5 and rows["booked"] == 5 and waiting == 0

    # the 47 join the queue at once: every one is queued, none gets a seat
    losers = [crowd[i] for i, a in enumerate(answers) if a[0] == 409]
    winners = [answers[i][1]["id"] for i, a in enumerate(answers) if a[0] == 201]
    winner_tokens = [crowd[i] for i, a in enumerate(answers) if a[0] == 201]
    queued = parallel(len(losers), lambda i: call(base, "POST", "/bookings", losers[i],
                                                  {"slot_id": slot, "waitlist": True}))
    assert [q[0] for q in queued] == [201] * 47 and {q[1]["status"] for q in queued} == {"waiting"}
    booked, waiting, rows = counters(url, slot)
    assert (booked, waiting, rows["waiting"]) == (5, 47, 47)
    order = column(url, "SELECT id FROM bookings WHERE slot_id = :i AND status = 'waiting' ORDER BY created_at, id",
                   i=slot)

    # the three winners cancel at once: the worker promotes exactly three, the first three in the queue
    cancelled = parallel(3, lambda i: call(base, "POST", f"/bookings/{winners[i]}/cancel", winner_tokens[i], {}))
    assert [c[0] for c in cancelled] == [200] * 3
    assert wait_for(lambda: counters(url, slot)[0] == 5), counters(url, slot)
    booked, waiting, rows = counters(url, slot)
    assert (booked, waiting, rows["booked"], rows["waiting"]) == (5, 44, 5, 44)
    promoted = set(column(url, "SELECT id FROM bookings WHERE slot_id = :i AND promoted_at IS NOT NULL", i=slot))
    assert promoted == set(order[:3])
    notified = scalar(url, "SELECT count(*) FROM notifications WHERE kind = 'booking.promoted' AND subject_id IN "
                           f"({','.join(map(str, order[:3]))})")
    assert notified == 3

    # two more seats free up while the promotion job is queued many times over: two promoted, no more
    firsts = [queued[i][1]["id"] for i in range(47)]
    promoted_tokens = {q[1]["id"]: losers[i] for i, q in enumerate(queued)}
    two = [order[0], order[1]]
    parallel(2, lambda i: call(base, "POST", f"/bookings/{two[i]}/cancel", promoted_tokens[two[i]], {}))
    env = {**os.environ, "DATABASE_URL": url}
    subprocess.run([sys.executable, "-m", "steward", "enqueue", "services.promote_waitlist", str(slot),
                    "--times", "8"], cwd=ROOT / "backend", env=env, check=True, capture_output=True)
    assert wait_for(lambda: counters(url, slot)[1] == 42)
    time.sleep(2)  # let every queued copy run
    booked, waiting, rows = counters(url, slot)
    assert (booked, waiting, rows["booked"], rows["waiting"]) == (5, 42, 5, 42)
    assert len(firsts) == 47


@pytest.mark.parametrize("idempotency", [False, True])
def test_one_resident_double_tapping_book_holds_one_booking(booking_server, idempotency):
    base, url = booking_server
    staff = call(base, "POST", "/auth/login", body=STAFF)[1]["access_token"]
    _, slot = open_slot(base, staff, capacity=3)
    [token] = residents(url, base, 1)
    key = {"Idempotency-Key": f"tap-{uuid.uuid4().hex}"} if idempotency else {}
    answers = parallel(10, lambda i: call(base, "POST", "/bookings", token, {"slot_id": slot}, key))
    statuses = sorted(a[0] for a in answers)
    assert set(statuses) <= {201, 409} and 201 in statuses, statuses
    ids = {a[1]["id"] for a in answers if a[0] == 201}
    assert len(ids) == 1  # replays of the first answer carry the same booking
    kinds = {a[1]["type"].rsplit("/", 1)[-1] for a in answers if a[0] == 409}
    assert kinds <= {"already-booked", "idempotency-busy"}, kinds
    if not idempotency:
        assert statuses.count(201) == 1 and kinds == {"already-booked"}
    booked, waiting, rows = counters(url, slot)
    assert (booked, rows["booked"]) == (1, 1)
    if idempotency:  # a later retry replays the booking
        status, body, headers = call(base, "POST", "/bookings", token, {"slot_id": slot}, key)
        assert status == 201 and body["id"] in ids and headers.get("Idempotent-Replayed") == "true"
