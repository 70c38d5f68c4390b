"""Webhooks on the real server and its worker (SQLite and PostgreSQL): a receiver that is down when a case is
dispatched gets the event after it comes back — across a restart of the app and the consumer — once."""
from __future__ import annotations

import json
import os
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from sqlalchemy import create_engine, text

from ..live_server import call, fresh_postgres, live_server, postgres_answers

PASSWORD = "Steward@2026"


class Receiver:
    def __init__(self) -> None:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.received: list[tuple[str, dict]] = []
        self.server: ThreadingHTTPServer | None = None

    def start(self) -> None:
        me = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802
                body = self.rfile.read(int(self.headers["Content-Length"]))
                me.received.append((self.headers["Steward-Delivery-Id"], json.loads(body)))
                self.send_response(204)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        if self.server:
            self.server.shutdown()
            self.server.server_close()


def _wait(check, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = check()
        if found:
            return found
        time.sleep(0.5)
    raise AssertionError(f"{what}: not within {timeout:.0f} s")


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request, tmp_path, monkeypatch):
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'steward.db'}"
    elif postgres_answers():
        url = fresh_postgres(os.environ.get("PG_LIVE_DB", "steward_live_test") + "_webhooks")
    elif os.environ.get("CI") == "true":
        pytest.fail("PostgreSQL at 127.0.0.1:5432 does not answer and CI=true")
    else:
        pytest.skip("PostgreSQL at 127.0.0.1:5432 does not answer")
    monkeypatch.setenv("HUEY_FILE", str(tmp_path / "huey.db"))  # the queue outlives the restart, as in production
    monkeypatch.setenv("WEBHOOKS_ALLOW_PRIVATE", "1")
    monkeypatch.setenv("WEBHOOKS_ALLOW_HTTP", "1")
    monkeypatch.delenv("HUEY_IMMEDIATE", raising=False)
    return url


def test_a_receiver_that_was_down_gets_the_event_once_after_a_restart(database):
    receiver = Receiver()  # not listening yet: connections are refused
    with live_server(database) as base:
        staff = call(base, "POST", "/auth/login", body={"phone": "13800000002", "password": PASSWORD})[1]["access_token"]
        engine = create_engine(database)
        with engine.connect() as conn:
            unit = conn.execute(text("SELECT id FROM units WHERE name = '丽水湾物业服务中心'")).scalar()
            category = conn.execute(text("SELECT id FROM case_categories WHERE code = 'stairwell_mess' ORDER BY id")).first()[0]
            stairwell = conn.execute(text("SELECT s.id FROM stairwells s JOIN areas a ON a.id = s.grid_id "
                                          "WHERE a.code = 'LSW-G01' ORDER BY s.id")).first()[0]
        status, sub, _ = call(base, "POST", "/webhook-subscriptions", staff, {
            "unit_id": unit, "url": f"http://127.0.0.1:{receiver.port}/hooks", "events": ["case.dispatched"]})
        assert status == 201, sub
        status, case, _ = call(base, "POST", "/cases", staff, {"category_id": category, "stairwell_id": stairwell,
                                                               "description": "楼道堆物，联调推送"})
        assert status == 201, case
        assert call(base, "POST", f"/cases/{case['id']}/dispatch", staff, {"unit_ids": [unit]})[0] == 200

        def failed_once():
            with engine.connect() as conn:
                row = conn.execute(text("SELECT id, status, attempts, error FROM webhook_deliveries "
                                        "WHERE subscription_id = :s"), {"s": sub["id"]}).first()
            return row if row is not None and row.attempts >= 1 and row.status == "pending" else None

        delivery = _wait(failed_once, 60, "the first attempt, refused")
        assert delivery.error
    # the app and its consumer are stopped; the receiver comes back; the app starts again
    receiver.start()
    try:
        with live_server(database):
            _wait(lambda: receiver.received, 150, "the delivery after the restart")
            time.sleep(3)  # a duplicate, if any, would follow now
            with engine.connect() as conn:
                row = conn.execute(text("SELECT status, attempts FROM webhook_deliveries WHERE id = :i"),
                                   {"i": delivery.id}).first()
    finally:
        receiver.stop()
        engine.dispose()
    assert [d for d, _ in receiver.received] == [f"dlv_{delivery.id}"]
    assert receiver.received[0][1]["data"]["case"]["id"] == case["id"]
    assert row.status == "delivered" and row.attempts >= 2
