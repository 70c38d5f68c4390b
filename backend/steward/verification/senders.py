"""Who delivers the SMS. ``SMS_SENDER`` picks one: ``log`` (the embedded default) or a provider factory.

A production provider is configuration, e.g. ``SMS_SENDER=mycompany.sms:aliyun`` where ``aliyun(config)``
returns an object with ``send(phone=…, purpose=…, code=…)``. It should hand the message to a queue
and return at once: the API answers the same whether or not a code was sent, so the time it takes must
not depend on it either.
"""
from __future__ import annotations

import importlib
import logging
import threading
from collections import deque
from datetime import datetime
from typing import Protocol

from flask import Flask, current_app

from ..db import utcnow
from ..people.pii import mask_phone

log = logging.getLogger("steward.sms")


class Sender(Protocol):
    name: str

    def send(self, *, phone: str, purpose: str, code: str) -> None:
        """Deliver ``code`` to ``phone``; ``purpose`` picks the message template."""


class LogSender:
    """Writes the code to the log (the only place a code is ever logged) and keeps the recent ones
    in memory for the demo page. For ``make run`` and tests; never for real residents."""

    name = "log"

    def __init__(self, keep: int = 500) -> None:
        self._sent: deque[dict] = deque(maxlen=keep)
        self._lock = threading.Lock()

    def send(self, *, phone: str, purpose: str, code: str) -> None:
        log.warning("demo SMS to %s (%s): code %s", mask_phone(phone), purpose, code)
        with self._lock:
            self._sent.append({"phone": phone, "purpose": purpose, "code": code, "sent_at": utcnow()})

    def recent(self, phone: str, since: datetime) -> list[dict]:
        """Codes sent to ``phone`` since ``since``, newest first."""
        with self._lock:
            return [dict(m) for m in reversed(self._sent) if m["phone"] == phone and m["sent_at"] >= since]


def _build(app: Flask) -> Sender:
    spec = app.config["SMS_SENDER"]
    if spec == "log":
        if not app.testing:
            log.warning("SMS_SENDER=log: codes are not sent but logged and shown at /api/v1/demo/sms-codes "
                        "(demo only; set SMS_SENDER to a provider for real residents)")
        return LogSender()
    module, _, factory = spec.partition(":")
    if not factory:
        raise RuntimeError(f"SMS_SENDER must be 'log' or 'package.module:factory', not {spec!r}")
    return getattr(importlib.import_module(module), factory)(app.config)


def sender() -> Sender:
    """The app's sender, built on first use."""
    app = current_app._get_current_object()
    if "steward.sms_sender" not in app.extensions:
        app.extensions["steward.sms_sender"] = _build(app)
    return app.extensions["steward.sms_sender"]


def is_demo() -> bool:
    return isinstance(sender(), LogSender)
