"""Live notifications for an open app: server-sent events fed by a broker.

``publish(user_ids, event)`` is called when a transaction that wrote notifications commits
(``notifications.service.notify``). Each open stream is a bounded queue registered under its user
in this process; the broker delivers to the queues:

- ``LocalBroker`` (embedded default): straight into this process's queues (the job worker runs in
  the same process as the server under ``steward serve``);
- ``RedisBroker`` (when ``REDIS_URL`` is set): published on a Redis channel; one listener thread per
  process delivers what arrives to its own queues, so a notification written by another API process or
  the job worker reaches every open app.

Connections are counted per user and in total (``SSE_MAX_PER_USER``, ``SSE_MAX_CONNECTIONS``): beyond
them the stream is refused (429 / 503) and the app polls ``/notifications/unread-count`` instead.
"""
from __future__ import annotations

import json
import logging
import queue
import threading
from dataclasses import dataclass, field

log = logging.getLogger("steward.live")
CHANNEL = "steward:notifications"
QUEUE_SIZE = 50  # a stream that falls this far behind drops events; the app re-reads the count anyway


class TooMany(Exception):
    def __init__(self, scope: str):
        super().__init__(scope)
        self.scope = scope  # "user" or "total"


@dataclass(eq=False)
class Subscription:
    user_id: int
    queue: queue.Queue = field(default_factory=lambda: queue.Queue(QUEUE_SIZE))


class LocalBroker:
    """Fan-out to the streams open in this process."""

    kind = "local"

    def __init__(self, *, max_total: int, max_per_user: int):
        self.max_total, self.max_per_user = max_total, max_per_user
        self._lock = threading.Lock()
        self._subs: dict[int, set[Subscription]] = {}
        self._closing = False

    def count(self, user_id: int | None = None) -> int:
        with self._lock:
            if user_id is not None:
                return len(self._subs.get(user_id, ()))
            return sum(len(s) for s in self._subs.values())

    def subscribe(self, user_id: int) -> Subscription:
        with self._lock:
            if self._closing or sum(len(s) for s in self._subs.values()) >= self.max_total:
                raise TooMany("total")
            mine = self._subs.setdefault(user_id, set())
            if len(mine) >= self.max_per_user:
                raise TooMany("user")
            sub = Subscription(user_id)
            mine.add(sub)
            return sub

    def unsubscribe(self, sub: Subscription) -> None:
        with self._lock:
            mine = self._subs.get(sub.user_id)
            if mine is not None:
                mine.discard(sub)
                if not mine:
                    del self._subs[sub.user_id]

    def deliver(self, user_ids, event: dict) -> None:
        with self._lock:
            targets = [sub for uid in user_ids for sub in self._subs.get(uid, ())]
        for sub in targets:
            try:
                sub.queue.put_nowait(event)
            except queue.Full:
                pass

    def publish(self, user_ids, event: dict) -> None:
        self.deliver(list(user_ids), event)

    def end_streams(self) -> None:
        """The server is stopping: every open stream ends now (the browsers reconnect elsewhere or later)."""
        with self._lock:
            self._closing = True
            targets = [sub for subs in self._subs.values() for sub in subs]
        for sub in targets:
            while True:
                try:
                    sub.queue.put_nowait(None)
                    break
                except queue.Full:
                    try:
                        sub.queue.get_nowait()
                    except queue.Empty:
                        pass

    def close(self) -> None:
        pass


class RedisBroker(LocalBroker):
    """Publish through Redis; a listener thread delivers to this process's streams."""

    kind = "redis"

    def __init__(self, url: str, *, max_total: int, max_per_user: int, channel: str = CHANNEL):
        super().__init__(max_total=max_total, max_per_user=max_per_user)
        import redis

        self.channel = channel
        self.redis = redis.Redis.from_url(url)
        self._pubsub = self.redis.pubsub(ignore_subscribe_messages=True)
        self._pubsub.subscribe(**{channel: self._on_message})
        self._thread = self._pubsub.run_in_thread(sleep_time=1.0, daemon=True,
                                                  exception_handler=self._on_error)

    def _on_message(self, message: dict) -> None:
        try:
            payload = json.loads(message["data"])
            self.deliver([int(u) for u in payload["user_ids"]], payload["event"])
        except (ValueError, KeyError, TypeError):
            log.warning("ignored a malformed message on %s", self.channel)

    @staticmethod
    def _on_error(exc, pubsub, thread) -> None:
        log.warning("live notifications: Redis listener error: %s", exc)

    def publish(self, user_ids, event: dict) -> None:
        ids = sorted(set(user_ids))
        if ids:
            self.redis.publish(self.channel, json.dumps({"user_ids": ids, "event": event}, ensure_ascii=False))

    def close(self) -> None:
        self._thread.stop()  # the listener closes its pub/sub connection on the way out
        self._thread.join(timeout=3)
        self.redis.close()


_create_lock = threading.Lock()


def get_broker(app=None):
    """This app's broker (created on first use from its config)."""
    from flask import current_app

    app = app or current_app._get_current_object()
    broker = app.extensions.get("steward.live")
    if broker is None:
        with _create_lock:
            broker = app.extensions.get("steward.live")
            if broker is None:
                cfg = app.config
                limits = {"max_total": cfg["SSE_MAX_CONNECTIONS"], "max_per_user": cfg["SSE_MAX_PER_USER"]}
                broker = RedisBroker(cfg["REDIS_URL"], **limits) if cfg.get("REDIS_URL") else LocalBroker(**limits)
                app.extensions["steward.live"] = broker
    return broker


def end_streams(app) -> None:
    """Called when the server is asked to stop: waiting streams return instead of holding its threads."""
    broker = app.extensions.get("steward.live")
    if broker is not None:
        broker.end_streams()


def publish_after_commit(user_ids, event: dict) -> None:
    """Push ``event`` to the users' open apps once the current transaction commits."""
    from flask import current_app

    from ..core.txhooks import on_commit

    try:
        app = current_app._get_current_object()
    except RuntimeError:  # no app (a script): nobody is listening here
        return
    ids = sorted(set(user_ids))

    def send() -> None:
        try:
            get_broker(app).publish(ids, event)
        except Exception:  # noqa: BLE001 - live updates are best effort; the poll still tells the truth
            log.exception("could not publish live notifications")

    on_commit(send)
