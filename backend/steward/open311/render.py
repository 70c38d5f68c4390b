"""Open311 answers as JSON or XML (the spec's element names; lists wrapped as in its examples)."""
from __future__ import annotations

import json
import re
from xml.etree.ElementTree import Element, SubElement, tostring

from flask import Response

# A list under <tag> holds elements named …
ITEM = {"services": "service", "service_requests": "request", "attributes": "attribute", "values": "value",
        "endpoints": "endpoint", "formats": "format", "errors": "error", "service_request_updates": "request_update"}
_NOT_XML = re.compile("[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
MIMETYPES = {"json": "application/json; charset=utf-8", "xml": "text/xml; charset=utf-8"}


def respond(payload, root: str, fmt: str, status: int = 200, headers: dict | None = None) -> Response:
    """``payload`` (already dumped by a schema) as ``fmt``; ``root`` names the XML document element."""
    body = to_xml(root, payload) if fmt == "xml" else json.dumps(payload, ensure_ascii=False).encode()
    resp = Response(body, status=status, headers=headers or {})
    resp.headers["Content-Type"] = MIMETYPES[fmt]
    resp.headers["Cache-Control"] = "no-store"
    return resp


def to_xml(root: str, value) -> bytes:
    element = Element(root)
    _fill(element, root, value)
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + tostring(element, encoding="unicode").encode()


def _fill(element: Element, tag: str, value) -> None:
    if isinstance(value, list):
        for item in value:
            _fill(SubElement(element, ITEM[tag]), ITEM[tag], item)
    elif isinstance(value, dict):
        for key, item in value.items():
            _fill(SubElement(element, key), key, item)
    elif isinstance(value, bool):
        element.text = "true" if value else "false"
    elif value is not None:
        element.text = _NOT_XML.sub("", str(value))
