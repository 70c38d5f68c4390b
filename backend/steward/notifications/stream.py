"""The server-sent events stream and its tickets.

EventSource cannot send an Authorization header, and an access token in a URL ends up in proxy logs
and browser history. So the app first asks, with its bearer token, for a **stream ticket**: signed,
good for ``SSE_TICKET_SECONDS`` and for this stream only (another salt than any other token of ours),
naming the user and the signed-in session, which is checked again when the stream opens (a signed-out
session's ticket opens nothing). Our access log records the path without the query string."""
from __future__ import annotations

import json
import queue
import time

from flask import Response, current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from ..core.errors import Problem
from .live import TooMany, get_broker

SALT = "steward.notifications.stream-ticket"


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def issue_ticket(*, user_id: int, sid: str) -> dict:
    seconds = current_app.config["SSE_TICKET_SECONDS"]
    return {"ticket": _serializer().dumps({"u": user_id, "s": sid}), "expires_in": seconds}


def read_ticket(ticket: str) -> tuple[int, str]:
    try:
        data = _serializer().loads(ticket, max_age=current_app.config["SSE_TICKET_SECONDS"])
        return int(data["u"]), str(data["s"])
    except (BadSignature, SignatureExpired, KeyError, TypeError, ValueError):
        raise Problem(401, "The stream ticket is invalid or has expired. Ask for a new one.",
                      type="invalid-ticket") from None


def open_stream(user_id: int) -> Response:
    """The event stream of ``user_id`` (after the ticket and session checks): ``notification`` events,
    a comment line every SSE_HEARTBEAT_SECONDS, closed after SSE_MAX_SECONDS (the browser reconnects)."""
    cfg = current_app.config
    broker = get_broker()
    try:
        sub = broker.subscribe(user_id)
    except TooMany as e:
        if e.scope == "user":
            raise Problem(429, "Too many live connections for this account.", type="too-many-streams",
                          headers={"Retry-After": "30"}) from None
        raise Problem(503, "Live updates are busy; the app checks for news every little while instead.",
                      type="streams-busy", headers={"Retry-After": "60"}) from None
    resp = Response(_Events(broker, sub, cfg["SSE_HEARTBEAT_SECONDS"], cfg["SSE_MAX_SECONDS"]),
                    mimetype="text/event-stream")
    resp.headers["Cache-Control"] = "no-store"
    resp.headers["X-Accel-Buffering"] = "no"  # nginx: pass each event on at once
    return resp


class _Events:
    """The body of a stream; closing it (the client went away, the server stops) frees its place even
    when it was never iterated."""

    def __init__(self, broker, sub, heartbeat: float, lifetime: float):
        self.broker, self.sub, self.heartbeat, self.lifetime = broker, sub, heartbeat, lifetime
        self._closed = False

    def __iter__(self):
        try:
            yield b"retry: 5000\n\nevent: ready\ndata: {}\n\n"
            deadline = time.monotonic() + self.lifetime
            while not self._closed:
                left = deadline - time.monotonic()
                if left <= 0:
                    return
                try:
                    event = self.sub.queue.get(timeout=min(self.heartbeat, left))
                except queue.Empty:
                    yield b": ping\n\n"
                    continue
                if event is None:  # the server is stopping
                    return
                yield f"event: notification\ndata: {json.dumps(event, ensure_ascii=False)}\n\n".encode()
        finally:
            self.close()

    def close(self) -> None:
        if not self._closed:
            self._closed = True
            self.broker.unsubscribe(self.sub)
