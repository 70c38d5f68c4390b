"""Bookings under contention and availability reads, on the real server, on SQLite and PostgreSQL.

For each backend: a fresh database (migrated, the demo town), the real server (`python -m steward serve`,
waitress with 8 threads, its job worker beside it), then over HTTP from this process:

* availability — p50/p95 of "the slots of a service for the next 14 days" (GET /services/{id}/slots) for the
  demo's 爱心午餐 and for a dense service (every day 08:00–20:00 in 15-minute slots: 672 slots);
* contention — 160 residents on 8 threads (the server's own 8) race for 100 seats in 4 slots (each resident tries slots in a
  random order until one accepts or all are full): bookings per second, requests per second, p95 latency
  of a booking attempt, and a check that the database agrees (150 booked, no slot over capacity).

Usage: .venv/bin/python bench/bookings.py [repeats]     (PostgreSQL when 127.0.0.1:5432 answers)
"""
from __future__ import annotations

import os
import random
import statistics
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "backend"))
sys.path.insert(0, str(ROOT))

from argon2 import PasswordHasher  # noqa: E402
from sqlalchemy import create_engine, text  # noqa: E402

from tests.live_server import call, fresh_postgres, live_server, postgres_answers  # noqa: E402

PASSWORD = "Steward@2026"
RESIDENTS, THREADS, SLOTS, SEATS = 160, 8, 4, 25


def _residents(url: str, base: str, n: int) -> list[str]:
    tag = uuid.uuid4().hex[:4]
    digest = PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1).hash(PASSWORD)
    engine = create_engine(url)
    with engine.begin() as conn:
        area_id, path = conn.execute(text("SELECT id, path FROM areas WHERE code = 'LSW'")).one()
        conn.execute(text(
            "INSERT INTO users (phone, name, password_hash, role, area_id, area_path, is_active, must_change_password, "
            "created_at) VALUES (:phone, :name, :hash, 'resident', :area, :path, :t, :f, CURRENT_TIMESTAMP)"),
            [{"phone": f"1360{int(tag, 16) % 1000:03d}{i:04d}", "name": f"压测{tag}{i}", "hash": digest, "area": area_id,
              "path": path, "t": True, "f": False} for i in range(n)])
        phones = [r[0] for r in conn.execute(text("SELECT phone FROM users WHERE name LIKE :p"), {"p": f"压测{tag}%"})]
    engine.dispose()
    return [call(base, "POST", "/auth/login", body={"phone": p, "password": PASSWORD})[1]["access_token"]
            for p in phones]


def _service(base: str, staff: str, area: int, rules: list[dict], capacity: int, minutes: int) -> int:
    status, svc, _ = call(base, "POST", "/services", staff, {
        "area_id": area, "kind": "slots", "category": "other", "title": f"压测 {uuid.uuid4().hex[:4]}",
        "slot_minutes": minutes, "capacity": capacity, "max_active_per_resident": 1, "cancel_cutoff_minutes": 0,
        "rules": rules})
    assert status == 201, svc
    assert call(base, "POST", f"/services/{svc['id']}/publish", staff, {})[0] == 200
    return svc["id"]


def _pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[max(int(len(values) * p) - 1, 0)]


def availability(base: str, token: str, service_id: int, repeats: int) -> tuple[int, float, float]:
    path = f"/services/{service_id}/slots"
    status, body, _ = call(base, "GET", path, token)
    assert status == 200, body
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        status, _, _ = call(base, "GET", path, token)
        times.append((time.perf_counter() - t0) * 1000)
        assert status == 200
    return len(body["items"]), statistics.median(times), _pct(times, 0.95)


def contention(base: str, url: str, staff: str, area: int) -> dict:
    rules = [{"weekday": d, "start": "08:00", "end": "11:00"} for d in range(7)]
    service_id = _service(base, staff, area, rules, SEATS, 30)
    slots = [s["id"] for s in call(base, "GET", f"/services/{service_id}/slots", staff)[1]["items"][-SLOTS:]]
    tokens = _residents(url, base, RESIDENTS)
    outcomes: list[int] = []
    latencies: list[float] = []
    lock = threading.Lock()
    barrier = threading.Barrier(THREADS)

    def worker(k: int) -> None:
        rng = random.Random(k)
        mine = tokens[k::THREADS]
        barrier.wait()
        for token in mine:
            for slot in rng.sample(slots, len(slots)):
                t0 = time.perf_counter()
                status, body, _ = call(base, "POST", "/bookings", token, {"slot_id": slot})
                with lock:
                    latencies.append((time.perf_counter() - t0) * 1000)
                    outcomes.append(status)
                if status == 201 or body.get("type", "").endswith("/already-booked"):
                    break
                assert status == 409, (status, body)

    threads = [threading.Thread(target=worker, args=(k,)) for k in range(THREADS)]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - t0
    engine = create_engine(url)
    with engine.connect() as conn:
        ids = ",".join(map(str, slots))
        booked = conn.execute(text(f"SELECT sum(booked) FROM service_slots WHERE id IN ({ids})")).scalar()
        over = conn.execute(text(f"SELECT count(*) FROM service_slots WHERE id IN ({ids}) AND booked > capacity")).scalar()
        rows = conn.execute(text(f"SELECT count(*) FROM bookings WHERE slot_id IN ({ids}) AND status = 'booked'")).scalar()
    engine.dispose()
    made = outcomes.count(201)
    assert made == booked == rows == SLOTS * SEATS and over == 0, (made, booked, rows, over)
    return {"elapsed": elapsed, "requests": len(outcomes), "booked": made, "refused": outcomes.count(409),
            "p50": statistics.median(latencies), "p95": _pct(latencies, 0.95)}


def run_one(url: str, repeats: int) -> None:
    name = "PostgreSQL" if url.startswith("postgresql") else "SQLite"
    os.environ["LOGIN_LIMIT_PER_IP"] = "100000"
    os.environ["HUEY_FILE"] = str(Path(tempfile.mkdtemp()) / "huey.db")
    with live_server(url) as base:
        staff = call(base, "POST", "/auth/login", body={"phone": "13800000002", "password": PASSWORD})[1]["access_token"]
        resident = call(base, "POST", "/auth/login", body={"phone": "13800000005", "password": PASSWORD})[1]["access_token"]
        area = call(base, "GET", "/me", staff)[1]["area"]["id"]
        lunch = next(s["id"] for s in call(base, "GET", "/services?category=lunch", resident)[1]["items"])
        dense = _service(base, staff, area, [{"weekday": d, "start": "08:00", "end": "20:00"} for d in range(7)], 4, 15)
        print(f"\n{name}: real server over HTTP (waitress, 8 threads)")
        print(f"  {'available slots, next 14 days':<40} {'slots':>6} {'p50 ms':>8} {'p95 ms':>8}")
        for label, sid in (("demo 爱心午餐", lunch), ("dense: 08–20 every 15 min", dense)):
            n, p50, p95 = availability(base, resident, sid, repeats)
            print(f"  {label:<40} {n:>6} {p50:>8.1f} {p95:>8.1f}", flush=True)
        r = contention(base, url, staff, area)
        print(f"  contention: {RESIDENTS} residents on {THREADS} threads for {SLOTS * SEATS} seats in {SLOTS} slots")
        print(f"    {r['booked']} booked, {r['refused']} × 409, {r['requests']} requests in {r['elapsed']:.2f} s: "
              f"{r['booked'] / r['elapsed']:.0f} bookings/s, {r['requests'] / r['elapsed']:.0f} requests/s; "
              f"attempt p50 {r['p50']:.0f} ms, p95 {r['p95']:.0f} ms; database agrees (no slot over capacity)",
              flush=True)


def main() -> None:
    repeats = int(sys.argv[1]) if len(sys.argv) > 1 else 100
    urls = [f"sqlite:///{tempfile.mkdtemp()}/bench.db"]
    if postgres_answers():
        urls.append(fresh_postgres("steward_bench_bookings"))
    else:
        print("PostgreSQL at 127.0.0.1:5432 does not answer: SQLite only")
    for url in urls:
        run_one(url, repeats)


if __name__ == "__main__":
    main()
