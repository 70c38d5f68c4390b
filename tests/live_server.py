"""Start the real server (`python -m steward serve`) on a fresh database with the demo town."""
from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine, text

ROOT = Path(__file__).resolve().parents[1]
PG_ADMIN_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"


def postgres_answers() -> bool:
    try:
        engine = create_engine(PG_ADMIN_URL, connect_args={"connect_timeout": 3})
        with engine.connect():
            pass
        engine.dispose()
        return True
    except Exception:  # noqa: BLE001 - any failure means "not here"
        return False


def fresh_postgres(name: str) -> str:
    engine = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return PG_ADMIN_URL.rsplit("/", 1)[0] + "/" + name


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def live_server(database_url: str):
    """Yield the base URL of a server on ``database_url`` (migrated and seeded here)."""
    env = {**os.environ, "DATABASE_URL": database_url, "ARGON2_MEMORY_COST": "8192", "ARGON2_TIME_COST": "1"}
    steward = [sys.executable, "-m", "steward"]
    for cmd in ("migrate", "seed-demo"):
        subprocess.run(steward + [cmd], cwd=ROOT / "backend", env=env, check=True, capture_output=True)
    port = _free_port()
    # The server's log goes to a file: a pipe nobody reads fills up (an access line per request) and then
    # blocks the server mid-request, which a long browser session reaches.
    log = tempfile.TemporaryFile()
    proc = subprocess.Popen(steward + ["serve", "--port", str(port)], cwd=ROOT / "backend", env=env,
                            stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(base + "/readyz", timeout=1)
                break
            except OSError:
                if time.monotonic() > deadline or proc.poll() is not None:
                    proc.kill()
                    log.seek(0)
                    raise RuntimeError("the server did not come up: " + log.read().decode(errors="replace")) from None
                time.sleep(0.2)
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        log.close()


def call(base, method, path, token=None, body=None, headers=None):
    """One JSON request to ``base``/api/v1``path``: (status, body, headers), errors included."""
    req = urllib.request.Request(base + "/api/v1" + path, method=method,
                                 data=json.dumps(body).encode() if body is not None else None,
                                 headers={"Content-Type": "application/json", **(headers or {})})
    if token:
        req.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return r.status, json.loads(r.read() or b"null"), dict(r.headers)
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read() or b"null"), dict(e.headers)
