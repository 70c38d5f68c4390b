"""Webhook delivery on the real server, on SQLite and PostgreSQL.

For each backend: a fresh database (migrated, the demo town), the real server (`python -m steward serve`,
waitress with 8 threads, its Huey worker beside it with HUEY_WORKERS threads) allowed to deliver to
127.0.0.1 (WEBHOOKS_ALLOW_PRIVATE, WEBHOOKS_ALLOW_HTTP), and a receiver in this process (a threaded
http.server answering 200 at once, checking every signature). Then over HTTP:

* under load — 8 threads report and dispatch cases to 丽水湾物业服务中心 as fast as the server takes them
  (each dispatch writes one outbox row in its transaction): case changes per second, and the **outbox
  lag** — from the event's `created_at` (its commit, give or take a millisecond) to its arrival at the
  receiver — p50 / p95 / max;
* pings — N `POST /webhook-subscriptions/{id}/ping` from 8 threads: the lag from the event to its arrival
  while deliveries keep pace with requests;
* backlog — N pending deliveries written straight into the outbox (as after an outage of the receiver),
  picked up by the next run of the minute sweep: **deliveries per second** from the first arrival to the last.

Every delivery must arrive exactly once with a valid signature, or the run fails.

Usage: .venv/bin/python bench/webhooks.py [cases] [pings]     (PostgreSQL when 127.0.0.1:5432 answers)
"""
from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "backend"))
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, text  # noqa: E402

from steward.webhooks.signing import verify  # noqa: E402
from tests.live_server import call, fresh_postgres, live_server, postgres_answers  # noqa: E402

PASSWORD = "Steward@2026"
THREADS = 8
UNIT = "丽水湾物业服务中心"


class Receiver:
    def __init__(self) -> None:
        self.arrivals: dict[str, tuple[float, dict]] = {}  # delivery id → (arrival, body)
        self.duplicates = 0
        self.bad_signatures = 0
        self.secret = ""
        self.lock = threading.Lock()
        me = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802
                body = self.rfile.read(int(self.headers["Content-Length"]))
                now = time.time()
                ok = verify(me.secret, self.headers["Steward-Signature"], body)
                with me.lock:
                    key = self.headers["Steward-Delivery-Id"]
                    me.bad_signatures += not ok
                    me.duplicates += key in me.arrivals
                    me.arrivals[key] = (now, json.loads(body))
                self.send_response(200)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def wait_for(self, n: int, timeout: float = 300) -> None:
        deadline = time.monotonic() + timeout
        while len(self.arrivals) < n:
            if time.monotonic() > deadline:
                raise SystemExit(f"only {len(self.arrivals)} of {n} deliveries arrived in {timeout:.0f} s")
            time.sleep(0.05)

    def lags(self, kind: str) -> list[tuple[float, float]]:
        """(arrival, lag in ms) of every delivery of ``kind``."""
        out = []
        for arrived, body in self.arrivals.values():
            if body["type"] == kind:
                created = datetime.fromisoformat(body["created_at"]).timestamp()
                out.append((arrived, (arrived - created) * 1000))
        return out


def _pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[max(int(len(values) * p) - 1, 0)]


def _ids(url: str) -> tuple[int, int, int]:
    engine = create_engine(url)
    with engine.connect() as conn:
        unit = conn.execute(text("SELECT id FROM units WHERE name = :n"), {"n": UNIT}).scalar()
        category = conn.execute(text("SELECT id FROM case_categories WHERE code = 'stairwell_mess' "
                                     "ORDER BY id LIMIT 1")).scalar()
        stairwell = conn.execute(text("SELECT s.id FROM stairwells s JOIN areas a ON a.id = s.grid_id "
                                      "WHERE a.code = 'LSW-G01' ORDER BY s.id LIMIT 1")).scalar()
    engine.dispose()
    return unit, category, stairwell


def under_load(base: str, staff: str, receiver: Receiver, ids: tuple[int, int, int], cases: int) -> dict:
    unit, category, stairwell = ids
    errors: list = []
    barrier = threading.Barrier(THREADS)

    def worker(k: int) -> None:
        barrier.wait()
        for i in range(k, cases, THREADS):
            status, case, _ = call(base, "POST", "/cases", staff, {
                "category_id": category, "stairwell_id": stairwell, "description": f"压测楼道堆物 {i}"})
            if status != 201:
                errors.append(case)
                continue
            status, body, _ = call(base, "POST", f"/cases/{case['id']}/dispatch", staff, {"unit_ids": [unit]})
            if status != 200:
                errors.append(body)

    threads = [threading.Thread(target=worker, args=(k,)) for k in range(THREADS)]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - t0
    assert not errors, errors[:3]
    receiver.wait_for(cases)
    lags = [lag for _, lag in receiver.lags("case.dispatched")]
    return {"elapsed": elapsed, "changes": cases / elapsed, "p50": statistics.median(lags), "p95": _pct(lags, 0.95),
            "max": max(lags)}


def pinged(base: str, staff: str, receiver: Receiver, sub_id: int, pings: int, before: int) -> dict:
    def worker(k: int) -> None:
        for _ in range(k, pings, THREADS):
            status, body, _ = call(base, "POST", f"/webhook-subscriptions/{sub_id}/ping", staff, {})
            assert status == 202, body

    threads = [threading.Thread(target=worker, args=(k,)) for k in range(THREADS)]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    queued = time.perf_counter() - t0
    receiver.wait_for(before + pings)
    lags = [lag for _, lag in receiver.lags("ping")]
    return {"queued": queued, "p50": statistics.median(lags), "p95": _pct(lags, 0.95), "max": max(lags)}


# Written by the app's own models in a process of its own (the server's database, the same DATABASE_URL).
_BACKLOG = """
import sys
from steward import create_app
from steward.db import unit_of_work
from steward.webhooks.models import WebhookDelivery, WebhookEvent, WebhookSubscription
sub_id, n = int(sys.argv[1]), int(sys.argv[2])
app = create_app()
with app.app_context(), unit_of_work(write=True) as s:
    sub = s.get(WebhookSubscription, sub_id)
    for i in range(n):
        event = WebhookEvent(unit_id=sub.unit_id, type="backlog", data={"n": i})
        s.add(event)
        s.flush()
        s.add(WebhookDelivery(subscription_id=sub.id, event_id=event.id, unit_id=sub.unit_id, area_path=sub.area_path))
"""


def backlog(url: str, receiver: Receiver, sub_id: int, n: int, before: int) -> dict:
    env = {**os.environ, "DATABASE_URL": url, "HUEY_FILE": str(Path(tempfile.mkdtemp()) / "unused.db")}
    subprocess.run([sys.executable, "-c", _BACKLOG, str(sub_id), str(n)], cwd=ROOT / "backend", env=env, check=True)
    receiver.wait_for(before + n, timeout=180)  # the sweep runs once a minute
    arrivals = sorted(at for at, body in receiver.arrivals.values() if body["type"] == "backlog")
    span = arrivals[-1] - arrivals[0]
    return {"rate": (len(arrivals) - 1) / span if span else float("inf"), "span": span}


def run_one(url: str, cases: int, pings: int) -> None:
    name = "PostgreSQL" if url.startswith("postgresql") else "SQLite"
    os.environ.update({"LOGIN_LIMIT_PER_IP": "100000", "WEBHOOKS_ALLOW_PRIVATE": "1", "WEBHOOKS_ALLOW_HTTP": "1",
                       "HUEY_FILE": str(Path(tempfile.mkdtemp()) / "huey.db")})
    receiver = Receiver()
    with live_server(url) as base:
        staff = call(base, "POST", "/auth/login", body={"phone": "13800000002", "password": PASSWORD})[1]["access_token"]
        ids = _ids(url)
        status, sub, _ = call(base, "POST", "/webhook-subscriptions", staff, {
            "unit_id": ids[0], "url": f"http://127.0.0.1:{receiver.port}/hooks",
            "events": ["case.dispatched"]})  # (pings and the backlog go to every subscription)
        assert status == 201, sub
        receiver.secret = sub["secret"]
        workers = os.environ.get("HUEY_WORKERS", "2")
        print(f"\n{name}: real server over HTTP (waitress, 8 threads), Huey worker with {workers} threads")
        r = under_load(base, staff, receiver, ids, cases)
        print(f"  under load: {cases} cases reported and dispatched by {THREADS} threads in {r['elapsed']:.1f} s "
              f"({r['changes']:.1f} dispatches/s); outbox lag to the receiver p50 {r['p50']:.0f} ms, "
              f"p95 {r['p95']:.0f} ms, max {r['max']:.0f} ms", flush=True)
        p = pinged(base, staff, receiver, sub["id"], pings, cases)
        print(f"  pings: {pings} from {THREADS} threads in {p['queued']:.1f} s ({pings / p['queued']:.0f}/s); lag "
              f"p50 {p['p50']:.0f} ms, p95 {p['p95']:.0f} ms, max {p['max']:.0f} ms", flush=True)
        b = backlog(url, receiver, sub["id"], pings, cases + pings)
        print(f"  backlog: {pings} pending deliveries taken up by the sweep, delivered in {b['span']:.1f} s: "
              f"{b['rate']:.0f} deliveries/s", flush=True)
        assert receiver.duplicates == 0 and receiver.bad_signatures == 0, (receiver.duplicates, receiver.bad_signatures)
        print(f"  {len(receiver.arrivals)} deliveries, each once, every signature valid")
    receiver.server.shutdown()


def main() -> None:
    cases = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    pings = int(sys.argv[2]) if len(sys.argv) > 2 else 300
    urls = [f"sqlite:///{tempfile.mkdtemp()}/bench.db"]
    if postgres_answers():
        urls.append(fresh_postgres("steward_bench_webhooks"))
    else:
        print("PostgreSQL at 127.0.0.1:5432 does not answer: SQLite only")
    for url in urls:
        run_one(url, cases, pings)


if __name__ == "__main__":
    main()
