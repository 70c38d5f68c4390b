"""Concurrent writers against the embedded (SQLite) server: nothing may fail or be lost.

Starts `python -m steward serve` on a fresh SQLite file with the demo town, then N threads each
create residents over HTTP (with Idempotency-Key) and read lists in between. Prints counts and
latency percentiles. Usage: .venv/bin/python bench/concurrent_writes.py [threads] [writes-per-thread]
"""
from __future__ import annotations

import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def call(base, method, path, token=None, body=None, headers=None):
    req = urllib.request.Request(base + path, method=method, data=json.dumps(body).encode() if body else None)
    req.add_header("Content-Type", "application/json")
    if token:
        req.add_header("Authorization", f"Bearer {token}")
    for k, v in (headers or {}).items():
        req.add_header(k, v)
    t0 = time.perf_counter()
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return r.status, json.loads(r.read() or b"null"), time.perf_counter() - t0
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read() or b"null"), time.perf_counter() - t0


def main() -> None:
    threads, per_thread = (int(a) for a in (sys.argv[1:3] + ["8", "25"][len(sys.argv[1:3]):]))
    tmp = tempfile.mkdtemp()
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp}/bench.db"}
    for cmd in ("migrate", "seed-demo"):
        subprocess.run([sys.executable, "-m", "steward", cmd], cwd=ROOT / "backend", env=env, check=True,
                       capture_output=True)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen([sys.executable, "-m", "steward", "serve", "--port", str(port)], cwd=ROOT / "backend",
                              env=env, stdout=subprocess.DEVNULL, stderr=open(os.environ.get("BENCH_LOG", os.devnull), "w"))
    base = f"http://127.0.0.1:{port}/api/v1"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=1)
                break
            except OSError:
                time.sleep(0.2)
        _, login, _ = call(base, "POST", "/auth/login", body={"phone": "13800000002", "password": "Steward@2026"})
        token = login["access_token"]
        _, page, _ = call(base, "GET", "/households?limit=50", token)
        households = [h["id"] for h in page["items"]]
        _, before, _ = call(base, "GET", f"/areas/{login['user']['area']['id']}/stats", token)
        writes, reads, failures = [], [], []

        def worker(n: int) -> None:
            for i in range(per_thread):
                status, body, dt = call(base, "POST", "/residents", token,
                                        {"household_id": households[(n * per_thread + i) % len(households)],
                                         "name": f"压测{n}-{i}"}, {"Idempotency-Key": f"bench-{n}-{i}"})
                (writes if status == 201 else failures).append(dt if status == 201 else (status, body))
                status, _, dt = call(base, "GET", "/residents?limit=50", token)
                (reads if status == 200 else failures).append(dt if status == 200 else (status, None))

        started = time.perf_counter()
        pool = [threading.Thread(target=worker, args=(n,)) for n in range(threads)]
        for t in pool:
            t.start()
        for t in pool:
            t.join()
        elapsed = time.perf_counter() - started
        _, after, _ = call(base, "GET", f"/areas/{login['user']['area']['id']}/stats", token)

        def pct(xs, q):
            return statistics.quantiles(xs, n=100)[q - 1] * 1000 if len(xs) > 1 else float("nan")

        print(f"threads={threads} writes/thread={per_thread} elapsed={elapsed:.2f}s")
        print(f"writes ok={len(writes)} p50={pct(writes, 50):.1f}ms p95={pct(writes, 95):.1f}ms")
        print(f"reads  ok={len(reads)} p50={pct(reads, 50):.1f}ms p95={pct(reads, 95):.1f}ms")
        print(f"residents before={before['residents']} after={after['residents']} "
              f"(expected +{threads * per_thread})")
        print(f"failures={len(failures)} {failures[:3]}")
        sys.exit(1 if failures or after["residents"] - before["residents"] != threads * per_thread else 0)
    finally:
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    main()
