"""Real job workers (`python -m steward worker`) on SQLite's queue and on Redis: a queued job writes
its row once, the same key queued twice — taken by two workers at once — is done once, and a periodic
job queued by both schedulers runs once a minute."""
from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from ..live_server import ROOT, fresh_postgres, postgres_answers

REDIS_URL = "redis://127.0.0.1:6379/9"  # a database of our own; the keys we make are removed after
STEWARD = [sys.executable, "-m", "steward"]


def redis_answers() -> bool:
    try:
        import redis

        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=3).ping()
        return True
    except Exception:  # noqa: BLE001 - any failure means "not here"
        return False


@pytest.fixture(params=["sqlite-queue", "redis-queue"])
def env(request, tmp_path):
    name = f"stewardlive{uuid.uuid4().hex[:10]}"
    env = {**os.environ, "PYTHONPATH": str(ROOT), "HUEY_IMPORTS": "tests.live.job_tasks", "HUEY_NAME": name,
           "HUEY_IMMEDIATE": "", "LOG_LEVEL": "INFO", "LOG_FORMAT": "text"}
    env.pop("REDIS_URL", None)
    database = f"sqlite:///{tmp_path / 'steward.db'}"
    if request.param == "sqlite-queue":
        env["HUEY_FILE"] = str(tmp_path / "huey.db")
    else:
        if not redis_answers():
            if os.environ.get("CI") == "true":
                pytest.fail("Redis at 127.0.0.1:6379 does not answer and CI=true")
            pytest.skip("Redis at 127.0.0.1:6379 does not answer")
        env["REDIS_URL"] = REDIS_URL
        if postgres_answers():  # Redis with PostgreSQL, as in production
            database = fresh_postgres(os.environ.get("PG_LIVE_DB", "steward_live_test") + "_jobs")
        elif os.environ.get("CI") == "true":
            pytest.fail("PostgreSQL at 127.0.0.1:5432 does not answer and CI=true")
    env["DATABASE_URL"] = database
    subprocess.run(STEWARD + ["migrate"], cwd=ROOT / "backend", env=env, check=True, capture_output=True)
    engine = create_engine(database)
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE live_marks (id INTEGER PRIMARY KEY, mark VARCHAR(40), pid INTEGER)"
                          if database.startswith("sqlite") else
                          "CREATE TABLE live_marks (id SERIAL PRIMARY KEY, mark VARCHAR(40), pid INTEGER)"))
    env["_engine"] = engine
    yield env
    engine.dispose()
    if "REDIS_URL" in env:
        import redis

        r = redis.Redis.from_url(REDIS_URL)
        for key in r.scan_iter(match=f"huey.*.{name}*"):
            r.delete(key)
        r.close()


class Worker:
    def __init__(self, env: dict, log: Path):
        self.log = log
        self.proc = subprocess.Popen(STEWARD + ["worker", "--workers", "1"], cwd=ROOT / "backend",
                                     env={k: v for k, v in env.items() if not k.startswith("_")},
                                     stdout=log.open("wb"), stderr=subprocess.STDOUT)

    def lines(self) -> list[str]:
        return self.log.read_text(errors="replace").splitlines()

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()  # graceful, like SIGINT
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def wait_for(predicate, what: str, timeout: float = 40) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.2)


def enqueue(env: dict, *args: str) -> None:
    subprocess.run(STEWARD + ["enqueue", "tests.live.job_tasks.live_mark", *args], cwd=ROOT / "backend",
                   env={k: v for k, v in env.items() if not k.startswith("_")}, check=True, capture_output=True)


def marks(env: dict, mark: str) -> list[int]:
    with env["_engine"].connect() as conn:
        return list(conn.scalars(text("SELECT pid FROM live_marks WHERE mark = :m"), {"m": mark}))


def runs(workers: list[Worker], word: str) -> list[int]:
    """Index of the worker for each log line of a live_mark run that says ``word`` (ok / skipped)."""
    return [i for i, w in enumerate(workers) for line in w.lines()
            if "job tests.live.job_tasks.live_mark " + word in line]


def test_real_workers_do_each_keyed_job_once(env, tmp_path):
    workers = [Worker(env, tmp_path / f"worker{i}.log") for i in range(2)]
    try:
        wait_for(lambda: all(any("job worker started" in line for line in w.lines()) for w in workers),
                 "both workers to start")
        # A job queued once writes its row once.
        enqueue(env, "single")
        wait_for(lambda: len(runs(workers, "ok")) == 1, "the first job")
        assert len(marks(env, "single")) == 1

        # The same key queued twice at once: both workers take one (each has one thread and the first
        # holds its transaction for 3 s); the second waits for the first and skips.
        enqueue(env, "twice", "3", "--times", "2")
        wait_for(lambda: len(runs(workers, "ok")) == 2 and len(runs(workers, "skipped")) == 1, "both copies")
        assert len(marks(env, "twice")) == 1
        writer, [skipper] = marks(env, "twice")[0], runs(workers, "skipped")
        assert workers[skipper].proc.pid != writer, "one worker took both copies: no race was tested"

        # Queued again later: done before, skipped.
        enqueue(env, "twice")
        wait_for(lambda: len(runs(workers, "skipped")) == 2, "the late copy")
        assert len(marks(env, "twice")) == 1

        # Both schedulers queued the every-minute job at start: each minute ran once.
        with env["_engine"].connect() as conn:
            ticks = conn.execute(text("SELECT mark, COUNT(*) FROM live_marks WHERE mark LIKE 'tick@%' GROUP BY mark"))
            ticks = dict(ticks.all())
        assert ticks and set(ticks.values()) == {1}, ticks
    finally:
        for w in workers:
            w.stop()
    for w in workers:
        assert w.proc.returncode == 0, "\n".join(w.lines())
        assert any("job worker stopped" in line for line in w.lines())


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie (exited, not yet reaped by its parent) counts as gone.
    status = Path(f"/proc/{pid}/status")
    return not (status.exists() and "\nState:\tZ" in status.read_text())


@pytest.mark.parametrize("stop", ["ctrl-c", "killed"])
def test_serve_runs_the_worker_beside_it_and_takes_it_down(stop, tmp_path):
    import re
    import signal
    import socket

    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'steward.db'}", "HUEY_IMMEDIATE": "",
           "SERVE_WORKER": "1", "LOG_LEVEL": "INFO", "LOG_FORMAT": "text"}
    env.pop("REDIS_URL", None)
    subprocess.run(STEWARD + ["migrate"], cwd=ROOT / "backend", env=env, check=True, capture_output=True)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    log = tmp_path / "serve.log"
    server = subprocess.Popen(STEWARD + ["serve", "--port", str(port)], cwd=ROOT / "backend", env=env,
                              stdout=log.open("wb"), stderr=subprocess.STDOUT)
    try:
        wait_for(lambda: "job worker started" in log.read_text(), "the worker beside the server")
        worker = int(re.search(r"job worker started: pid (\d+)", log.read_text()).group(1))
        assert _alive(worker)
        if stop == "ctrl-c":
            server.send_signal(signal.SIGINT)
            assert server.wait(timeout=30) == 0
            assert not _alive(worker) and "job worker stopped" in log.read_text()
        else:  # the server dies without a word: the worker notices and stops by itself
            server.kill()
            server.wait()
            wait_for(lambda: not _alive(worker), "the orphaned worker to stop", timeout=20)
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()
