"""Log lines carry the request ID; JSON lines parse."""
import io
import json
import logging

from steward.core.logs import JsonFormatter, RequestIdFilter


def test_access_log_is_json_with_the_request_id(client):
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("steward.access")
    old_level = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    try:
        client.get("/api/v1/me", headers={"X-Request-ID": "trace-42"})
    finally:
        logger.removeHandler(handler)
        logger.setLevel(old_level)
    entry = json.loads(stream.getvalue().strip().splitlines()[-1])
    assert entry["request_id"] == "trace-42"
    assert entry["status"] == 401 and entry["path"] == "/api/v1/me" and entry["method"] == "GET"


def test_request_threads_hand_records_to_the_writer_with_request_id_and_traceback(app):
    from logging.handlers import QueueListener
    from queue import SimpleQueue

    from flask import g

    from steward.core.logs import _Enqueue

    stream, records = io.StringIO(), SimpleQueue()
    writer = logging.StreamHandler(stream)
    writer.setFormatter(JsonFormatter())
    listener = QueueListener(records, writer)
    enqueue = _Enqueue(records)
    enqueue.addFilter(RequestIdFilter())
    logger = logging.getLogger("steward.test-queue")
    logger.addHandler(enqueue)
    listener.start()
    try:
        with app.test_request_context():
            g.request_id = "trace-7"
            try:
                raise ValueError("boom")
            except ValueError:
                logger.exception("failed %s", "here", extra={"fields": {"path": "/x"}})
    finally:
        listener.stop()  # drains the queue
        logger.removeHandler(enqueue)
    entry = json.loads(stream.getvalue().strip())
    assert entry["request_id"] == "trace-7" and entry["msg"] == "failed here" and entry["path"] == "/x"
    assert "ValueError: boom" in entry["exc"]
