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


def test_request_threads_buffer_records_for_the_writer_with_request_id_and_traceback(app):
    from flask import g

    from steward.core.logs import BufferedHandler

    stream = io.StringIO()
    writer = logging.StreamHandler(stream)
    writer.setFormatter(JsonFormatter())
    buffered = BufferedHandler(writer, interval=60)
    buffered.addFilter(RequestIdFilter())
    logger = logging.getLogger("steward.test-buffer")
    logger.addHandler(buffered)
    logger.setLevel(logging.INFO)
    logger.propagate = False
    try:
        with app.test_request_context():
            g.request_id = "trace-7"
            logger.info("served %s", "here", extra={"fields": {"path": "/x"}})
            try:
                raise ValueError("boom")
            except ValueError:
                logger.exception("failed")
    finally:
        logger.removeHandler(buffered)
        buffered.close()  # writes what is still buffered
    first, second = (json.loads(line) for line in stream.getvalue().strip().splitlines())
    assert first["request_id"] == "trace-7" and first["msg"] == "served here" and first["path"] == "/x"
    assert second["request_id"] == "trace-7" and "ValueError: boom" in second["exc"]


def test_warnings_are_written_without_waiting_for_the_interval():
    import time

    from steward.core.logs import BufferedHandler

    stream = io.StringIO()
    buffered = BufferedHandler(logging.StreamHandler(stream), interval=60)
    logger = logging.getLogger("steward.test-buffer-warn")
    logger.addHandler(buffered)
    logger.propagate = False
    try:
        logger.warning("disk almost full")
        deadline = time.monotonic() + 5
        while "disk almost full" not in stream.getvalue() and time.monotonic() < deadline:
            time.sleep(0.01)
        assert "disk almost full" in stream.getvalue()
    finally:
        logger.removeHandler(buffered)
        buffered.close()


def test_request_ids_are_unique_and_differ_in_a_forked_worker():
    import os

    from steward.app import new_request_id

    ids = {new_request_id() for _ in range(1000)}
    assert len(ids) == 1000 and all(len(i) == 32 for i in ids)
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: a worker forked after import
        os.write(write, new_request_id()[:16].encode())
        os._exit(0)
    os.waitpid(pid, 0)
    assert os.read(read, 16).decode() != new_request_id()[:16]
