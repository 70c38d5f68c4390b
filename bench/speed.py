"""`make bench`: API throughput against a ceiling, and the first load of the app on a slow link.

1. HTTP (wrk, 16 connections, 2 wrk threads, DURATION seconds each, after a short warm-up) against
   `python -m steward serve` (waitress, 8 threads scheduled by steward/server.py) on a fresh SQLite file
   with the demo town:
   - ceiling: the smallest Flask JSON endpoint on the same waitress settings (bench/ceiling.py),
   - GET /api/v1/me as a resident (13800000005),
   - GET /api/v1/residents?limit=20 as community staff (13800000002);
   req/s, p50, p95, req/s as a share of the ceiling measured in the same run, and the server's CPU time
   per request (from /proc: steadier than req/s on a busy machine). Any non-2xx fails.
2. Browser: Debian's Chromium (Playwright), a fresh profile per run, throttled through CDP to
   400 kbit/s down and up with 400 ms latency: time from navigation to "/" until the login form
   (phone field and submit button) is visible, and the bytes transferred; the median of BROWSER_RUNS.

Environment: BENCH_DURATION (s, default 10), BENCH_RUNS (rounds of the three HTTP runs, default 3; the
median is printed), BROWSER_RUNS (default 3), BENCH_DATABASE_URL (e.g. a PostgreSQL database, emptied
first; default a temporary SQLite file), BENCH_SKIP_BROWSER=1, BENCH_LOG (server log file).
The machine has 2 cores shared with wrk itself and anything else running: compare ratios, not req/s.

Targets (issue 5): /me >= 30 % of the ceiling, residents >= 20 %, p95 < 100 ms, login form < 4 s.
Last result: see bench/README.md.
"""
from __future__ import annotations

import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import ExitStack, contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
CONNECTIONS = 16
DURATION = int(os.environ.get("BENCH_DURATION", "10"))
RUNS = int(os.environ.get("BENCH_RUNS", "3"))
BROWSER_RUNS = int(os.environ.get("BROWSER_RUNS", "3"))
PASSWORD = "Steward@2026"
TARGETS = {"/me": 0.30, "/residents?limit=20": 0.20}

WRK_SCRIPT = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("BENCH %d %d %d %d %d %d\\n", summary.requests, summary.duration,
    latency:percentile(50), latency:percentile(95), e.status, e.connect + e.read + e.write + e.timeout))
end
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_up(url: str, proc: subprocess.Popen) -> None:
    deadline = time.monotonic() + 30
    while True:
        try:
            urllib.request.urlopen(url, timeout=1)
            return
        except OSError:
            if time.monotonic() > deadline or proc.poll() is not None:
                raise SystemExit(f"server at {url} did not come up") from None
            time.sleep(0.2)


@contextmanager
def process(cmd, url, **kw):
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, **kw)
    try:
        wait_up(url, proc)
        yield proc
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def login(base: str, phone: str) -> str:
    req = urllib.request.Request(base + "/api/v1/auth/login", method="POST",
                                 data=json.dumps({"phone": phone, "password": PASSWORD}).encode(),
                                 headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=30) as r:
        return json.loads(r.read())["access_token"]


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (Linux /proc), NaN elsewhere."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return float("nan")


def wrk(url: str, script: Path, seconds: int, token: str | None = None, pid: int | None = None) -> dict:
    cmd = ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{seconds}s", "--timeout", "10s", "-s", str(script)]
    if token:
        cmd += ["-H", f"Authorization: Bearer {token}"]
    cpu = cpu_seconds(pid) if pid else float("nan")
    out = subprocess.run(cmd + [url], check=True, capture_output=True, text=True).stdout
    cpu = cpu_seconds(pid) - cpu if pid else float("nan")
    line = next(ln for ln in out.splitlines() if ln.startswith("BENCH "))
    requests, duration_us, p50, p95, non2xx, socket_errors = (int(x) for x in line.split()[1:])
    if non2xx or socket_errors:
        raise SystemExit(f"{url}: {non2xx} non-2xx/3xx responses, {socket_errors} socket errors\n{out}")
    return {"rps": requests / (duration_us / 1e6), "p50": p50 / 1000, "p95": p95 / 1000,
            "cpu": cpu * 1000 / requests}


def http_bench(base: str, ceiling: str, script: Path, pids: tuple[int, int]) -> list[tuple[str, dict]]:
    resident, staff = login(base, "13800000005"), login(base, "13800000002")
    cases = [("ceiling (Flask JSON)", ceiling + "/ping", None, pids[1]),
             ("/me", base + "/api/v1/me", resident, pids[0]),
             ("/residents?limit=20", base + "/api/v1/residents?limit=20", staff, pids[0])]
    for _, url, token, _ in cases:  # warm-up: imports, caches, connection pools
        wrk(url, script, 2, token)
    rounds: dict[str, list[dict]] = {name: [] for name, *_ in cases}
    for _ in range(RUNS):
        for name, url, token, pid in cases:
            rounds[name].append(wrk(url, script, DURATION, token, pid))
    return [(name, {k: statistics.median(r[k] for r in rs) for k in ("rps", "p50", "p95", "cpu")})
            for name, rs in rounds.items()]


def browser_bench(base: str) -> tuple[float, float]:
    from playwright.sync_api import sync_playwright

    times, sizes = [], []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--disable-sync"])
        for _ in range(BROWSER_RUNS):
            context = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=2,
                                          locale="zh-CN", is_mobile=True, has_touch=True)
            page = context.new_page()
            cdp = context.new_cdp_session(page)
            cdp.send("Network.enable")
            cdp.send("Network.emulateNetworkConditions", {
                "offline": False, "latency": 400, "downloadThroughput": 400_000 / 8, "uploadThroughput": 400_000 / 8})
            started = time.perf_counter()
            page.goto(base + "/", wait_until="commit")
            page.locator("[data-testid=login-phone]").wait_for(state="visible", timeout=60_000)
            page.locator("[data-testid=login-submit]").wait_for(state="visible", timeout=60_000)
            times.append(time.perf_counter() - started)
            sizes.append(page.evaluate("""() => performance.getEntriesByType('navigation')
                .concat(performance.getEntriesByType('resource')).reduce((n, e) => n + e.transferSize, 0)"""))
            context.close()
        browser.close()
    return statistics.median(times), statistics.median(sizes) / 1000


def main() -> None:
    if not shutil.which("wrk"):
        raise SystemExit("wrk is missing: `make bench` installs it (Debian's wrk)")
    if not (ROOT / "frontend" / "dist" / "index.html").is_file():
        raise SystemExit("frontend/dist is missing: `make bench` builds it")
    with ExitStack() as stack:
        tmp = Path(stack.enter_context(tempfile.TemporaryDirectory()))
        url = os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{tmp}/bench.db"
        if url.startswith("postgresql"):
            sys.path.insert(0, str(ROOT))
            from tests.live_server import fresh_postgres

            url = fresh_postgres(url.rsplit("/", 1)[1])
        # SERVE_WORKER=0: no job worker beside the server, so only requests compete for the cores
        env = {**os.environ, "DATABASE_URL": url, "SERVE_WORKER": "0"}
        for cmd in ("migrate", "seed-demo"):
            subprocess.run([sys.executable, "-m", "steward", cmd], cwd=ROOT / "backend", env=env, check=True,
                           capture_output=True)
        script = tmp / "report.lua"
        script.write_text(WRK_SCRIPT)
        log = stack.enter_context(open(os.environ.get("BENCH_LOG", os.devnull), "w"))
        port, ceiling_port = free_port(), free_port()
        base, ceiling = f"http://127.0.0.1:{port}", f"http://127.0.0.1:{ceiling_port}"
        app = stack.enter_context(process([sys.executable, "-m", "steward", "serve", "--port", str(port)],
                                          base + "/readyz", cwd=ROOT / "backend", env=env, stderr=log))
        top = stack.enter_context(process([sys.executable, str(ROOT / "bench" / "ceiling.py"), str(ceiling_port)],
                                          ceiling + "/ping", stderr=log))

        db = "PostgreSQL" if url.startswith("postgresql") else "SQLite"
        print(f"waitress 8 threads (steward.server), {db}, wrk {CONNECTIONS} connections, {DURATION} s x {RUNS} (median), "
              f"{os.cpu_count()} cores shared with wrk")
        results = http_bench(base, ceiling, script, (app.pid, top.pid))
        top = results[0][1]["rps"]
        print(f"{'endpoint':<24}{'req/s':>9}{'p50 ms':>9}{'p95 ms':>9}{'of ceiling':>12}{'CPU ms/req':>12}  target")
        ok = True
        for name, r in results:
            share = r["rps"] / top
            target = TARGETS.get(name)
            verdict = "" if target is None else (
                f">= {target:.0%} {'ok' if share >= target else 'MISSED'}, p95 {'ok' if r['p95'] < 100 else 'MISSED'}")
            ok &= target is None or (share >= target and r["p95"] < 100)
            print(f"{name:<24}{r['rps']:>9.0f}{r['p50']:>9.1f}{r['p95']:>9.1f}{share:>12.0%}{r['cpu']:>12.2f}  {verdict}")

        if os.environ.get("BENCH_SKIP_BROWSER") != "1":
            seconds, kb = browser_bench(base)
            ok &= seconds < 4
            print(f"login form visible, 400 kbit/s + 400 ms, fresh cache: {seconds:.2f} s "
                  f"(median of {BROWSER_RUNS}; {kb:.0f} KB transferred)  target < 4 s "
                  f"{'ok' if seconds < 4 else 'MISSED'}")
        print("all targets met" if ok else "some targets missed")


if __name__ == "__main__":
    main()
