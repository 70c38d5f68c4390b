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
