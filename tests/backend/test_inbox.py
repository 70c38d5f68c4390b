"""The inbox: unread count with ETag/304, stream tickets, and live notifications over server-sent events
through both brokers (in-process, and Redis pub/sub as between processes)."""
from __future__ import annotations

import os
import time
import uuid

import pytest
from sqlalchemy import select

from steward.areas.models import Area
from steward.notifications import live

API = "/api/v1/notifications"


@pytest.fixture
def fresh_broker(app):
    """Each test gets its own broker, short heartbeats and lifetimes, and the config back afterwards."""
    saved = {k: app.config[k] for k in ("SSE_HEARTBEAT_SECONDS", "SSE_MAX_SECONDS", "SSE_MAX_CONNECTIONS",
                                        "SSE_MAX_PER_USER")}
    app.config.update(SSE_HEARTBEAT_SECONDS=0.2, SSE_MAX_SECONDS=5)
    app.extensions.pop("steward.live", None)
    yield
    broker = app.extensions.pop("steward.live", None)
    if broker is not None:
        broker.close()
    app.config.update(saved)


def _important(client, auth, session, title="今晚停水通知"):
    lsw = session.scalar(select(Area).where(Area.code == "LSW"))
    r = client.post("/api/v1/notices", json={"category": "important", "title": title, "area_id": lsw.id,
                                             "body_md": "请提前储水。", "publish": True},
                    headers=auth.headers("lsw_staff"))
    assert r.status_code == 201, r.get_json()
    return r.get_json()


def _ticket(client, headers):
    r = client.post(f"{API}/stream-tickets", headers=headers)
    assert r.status_code == 201, r.get_json()
    return r.get_json()["ticket"]


def _next_event(chunks, kind="notification"):
    for chunk in chunks:
        text = chunk.decode()
        if text.startswith(f"event: {kind}"):
            return text
    raise AssertionError("stream ended")


def test_unread_count_answers_304_until_something_changes(client, auth, session):
    h = auth.headers("resident")
    r = client.get(f"{API}/unread-count", headers=h)
    assert r.status_code == 200 and r.headers["Cache-Control"] == "private, no-cache"
    first, etag = r.get_json(), r.headers["ETag"]
    again = client.get(f"{API}/unread-count", headers={**h, "If-None-Match": etag})
    assert again.status_code == 304 and again.data == b"" and again.headers["ETag"] == etag
    _important(client, auth, session)
    r = client.get(f"{API}/unread-count", headers={**h, "If-None-Match": etag})
    assert r.status_code == 200 and r.get_json()["unread"] == first["unread"] + 1 and r.headers["ETag"] != etag
    etag = r.headers["ETag"]
    client.post(f"{API}/read-all", headers=h)
    r = client.get(f"{API}/unread-count", headers={**h, "If-None-Match": etag})
    assert r.status_code == 200 and r.get_json()["unread"] == 0
    other = client.get(f"{API}/unread-count", headers={**auth.headers("zxxy_resident"), "If-None-Match": etag})
    assert other.status_code == 200  # an ETag is per user


def test_a_stream_needs_a_valid_ticket_of_a_live_session(client, auth, fresh_broker):
    assert client.get(f"{API}/stream").status_code == 422
    assert client.get(f"{API}/stream?ticket=not-a-real-ticket-at-all").status_code == 401
    ticket = _ticket(client, auth.headers("resident"))
    forged = ticket[:-3] + ("AAA" if not ticket.endswith("AAA") else "BBB")
    assert client.get(f"{API}/stream?ticket={forged}").status_code == 401
    r = client.get(f"{API}/stream?ticket={ticket}", buffered=False)
    assert r.status_code == 200 and r.mimetype == "text/event-stream" and r.headers["Cache-Control"] == "no-store"
    r.close()
    # a ticket is not an access token, nor the other way round
    assert client.get(API, headers={"Authorization": f"Bearer {ticket}"}).status_code == 401
    access = auth.tokens("resident")["access_token"]
    assert client.get(f"{API}/stream?ticket={access}").status_code in (401, 422)  # too long to be a ticket
    # signing out kills the tickets of that session
    refresh = auth.tokens("resident")["refresh_token"]
    client.post("/api/v1/auth/logout", headers=auth.headers("resident"), json={"refresh_token": refresh})
    assert client.get(f"{API}/stream?ticket={ticket}").status_code == 401


def test_an_open_app_hears_of_a_new_notification_in_process(client, auth, session, fresh_broker):
    r = client.get(f"{API}/stream?ticket={_ticket(client, auth.headers('resident'))}", buffered=False)
    chunks = r.response
    assert next(iter(chunks)).startswith(b"retry: 5000")
    notice = _important(client, auth, session, title="燃气管道检修")
    event = _next_event(iter(chunks))
    assert '"kind": "notice.important"' in event and f'"subject_id": {notice["id"]}' in event
    assert live.get_broker().count() == 1
    r.close()
    assert live.get_broker().count() == 0


def test_heartbeat_comments_keep_the_stream_open(client, auth, fresh_broker):
    r = client.get(f"{API}/stream?ticket={_ticket(client, auth.headers('resident'))}", buffered=False)
    it = iter(r.response)
    next(it)
    start = time.monotonic()
    assert next(it) == b": ping\n\n" and time.monotonic() - start < 2
    r.close()


def test_streams_are_bounded_per_user_and_in_total(app, client, auth, fresh_broker):
    app.config.update(SSE_MAX_PER_USER=2, SSE_MAX_CONNECTIONS=3)
    h = auth.headers("resident")
    open_ = [client.get(f"{API}/stream?ticket={_ticket(client, h)}", buffered=False) for _ in range(2)]
    assert all(r.status_code == 200 for r in open_)
    third = client.get(f"{API}/stream?ticket={_ticket(client, h)}")
    assert third.status_code == 429 and third.headers["Retry-After"]
    other = client.get(f"{API}/stream?ticket={_ticket(client, auth.headers('volunteer'))}", buffered=False)
    assert other.status_code == 200
    busy = client.get(f"{API}/stream?ticket={_ticket(client, auth.headers('zxxy_resident'))}")
    assert busy.status_code == 503 and busy.get_json()["type"].endswith("streams-busy")
    for r in (*open_, other):
        r.close()
    assert live.get_broker(app).count() == 0
    again = client.get(f"{API}/stream?ticket={_ticket(client, h)}", buffered=False)
    assert again.status_code == 200
    again.close()


REDIS = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def _redis_or_skip():
    redis = pytest.importorskip("redis")
    try:
        redis.Redis.from_url(REDIS, socket_connect_timeout=1).ping()
    except redis.RedisError:
        if os.environ.get("CI") == "true":
            raise
        pytest.skip("no Redis at " + REDIS)


def test_redis_broker_carries_events_between_processes():
    _redis_or_skip()
    channel = f"steward-test:{uuid.uuid4().hex}"
    here = live.RedisBroker(REDIS, max_total=5, max_per_user=2, channel=channel)
    there = live.RedisBroker(REDIS, max_total=5, max_per_user=2, channel=channel)  # e.g. the job worker
    try:
        mine, someone_else = here.subscribe(7), here.subscribe(8)
        time.sleep(0.3)  # the listener threads subscribe
        there.publish([7, 9], {"kind": "notice.important", "subject_id": 3})
        assert mine.queue.get(timeout=3) == {"kind": "notice.important", "subject_id": 3}
        assert someone_else.queue.empty()
        here.redis.publish(channel, b"not json")  # ignored, the listener lives on
        there.publish([8], {"kind": "x"})
        assert someone_else.queue.get(timeout=3) == {"kind": "x"}
    finally:
        here.close()
        there.close()


def test_an_open_app_hears_of_a_notification_over_redis(app, client, auth, session, fresh_broker):
    _redis_or_skip()
    broker = live.RedisBroker(REDIS, max_total=5, max_per_user=2, channel=f"steward-test:{uuid.uuid4().hex}")
    app.extensions["steward.live"] = broker
    time.sleep(0.3)
    r = client.get(f"{API}/stream?ticket={_ticket(client, auth.headers('resident'))}", buffered=False)
    chunks = iter(r.response)
    next(chunks)
    notice = _important(client, auth, session, title="电梯年检停运")
    event = _next_event(chunks)
    assert f'"subject_id": {notice["id"]}' in event
    r.close()


def test_the_ticket_is_never_written_to_the_log(client, auth, fresh_broker, caplog):
    import logging

    steward = logging.getLogger("steward")  # our loggers do not propagate to the root
    steward.addHandler(caplog.handler)
    level = logging.getLogger("steward.access").level
    logging.getLogger("steward.access").setLevel(logging.INFO)
    try:
        ticket = _ticket(client, auth.headers("resident"))
        r = client.get(f"{API}/stream?ticket={ticket}", buffered=False)
        assert r.status_code == 200
        r.close()
        client.get(f"{API}/stream?ticket={ticket}x")
    finally:
        steward.removeHandler(caplog.handler)
        logging.getLogger("steward.access").setLevel(level)
    assert "/notifications/stream" in caplog.text and ticket not in caplog.text
