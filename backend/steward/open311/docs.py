"""The Open311 routes in the OpenAPI document. They live outside ``/api/v1``, so each operation names its
own server (``/open311/v2``); answers come as JSON or, with the ``.xml`` extension, as the spec's XML."""
from __future__ import annotations

from .schemas import (
    Open311Attribute,
    Open311Discovery,
    Open311Error,
    Open311PostQuery,
    Open311Query,
    Open311Request,
    Open311RequestCreated,
    Open311RequestIn,
    Open311RequestsQuery,
    Open311Service,
    Open311ServiceDefinition,
    Open311Update,
    Open311UpdatesQuery,
    Open311Value,
)

TAG = "open311"
SERVERS = [{"url": "/open311/v2", "description": "Open311 GeoReport v2 (not under /api/v1; no JWT)"}]
ABOUT = """[Open311 GeoReport v2](http://wiki.open311.org/GeoReport_v2): the case categories as *services*, cases
as *service requests*, their public timeline steps as *updates* (the common `servicerequestupdates` extension),
so existing civic-tech clients work unchanged. Every path takes the `.json` or `.xml` extension (or
`?format=`); errors are the spec's lists, `[{"code": 403, "description": "…"}]` / `<errors><error>…`, with
404 for what does not exist, 403 for a missing or bad `api_key` and 400 for the rest. Times are W3C with the
town's offset (+08:00); ids and codes are strings; text is UTF-8 Chinese.

Without a key a caller sees the public hazard alerts of the jurisdiction only; with the key of an API
client (created by staff: `POST /api/v1/api-clients`), also what is dispatched to the client's unit and the
requests it created. No answer carries a reporter's name or phone."""
FORMAT = {"name": "format", "in": "path", "required": True, "schema": {"type": "string", "enum": ["json", "xml"]},
          "description": "`json` (application/json) or `xml` (text/xml)."}
READ_SECURITY = [{}, {"api_key": []}]  # the key is optional on reads
ATTRIBUTES = {"type": "object", "additionalProperties": {"type": "string"},
              "description": "Plus `attribute[code]=value` for the service's attributes."}
MEDIA = {"type": "object", "properties": {"media": {
    "type": "string", "format": "binary",
    "description": "One photo (JPEG, PNG, WebP, HEIC; checked by content, re-encoded without EXIF/GPS). It becomes "
                   "the request's `media_url`."}}}


def _body(item, wrapper: str, *, many: bool = True) -> dict:
    if not many:
        return {"application/json": {"schema": item}, "text/xml": {"schema": item}}
    return {"application/json": {"schema": {"type": "array", "items": item}},
            "text/xml": {"schema": {"type": "array", "xml": {"name": wrapper, "wrapped": True}, "items": item}}}


def _op(name: str, summary: str, description: str, query, ok: dict, *, status: int = 200, errors=(400, 404),
        params=(), security=READ_SECURITY, body: dict | None = None) -> dict:
    op = {"tags": [TAG], "summary": summary, "description": description, "operationId": f"open311_{name}",
          "servers": SERVERS, "parameters": [*params, FORMAT, {"in": "query", "schema": query}],
          "responses": {str(status): {"description": "OK" if status == 200 else "Created", "content": ok},
                        **{str(code): "Open311Errors" for code in sorted({*errors, 403, 429})}},
          "security": security}
    if body is not None:
        op["requestBody"] = body
    return op


def document(spec) -> None:
    spec.tag({"name": TAG, "description": ABOUT})
    spec.components.security_scheme("api_key", {
        "type": "apiKey", "in": "query", "name": "api_key",
        "description": "An API client's key, `<client_id>.<secret>`: a query parameter, or a form field of the POST."})
    for name, schema, element in (
            ("Open311Service", Open311Service, "service"), ("Open311Value", Open311Value, "value"),
            ("Open311Attribute", Open311Attribute, "attribute"),
            ("Open311ServiceDefinition", Open311ServiceDefinition, "service_definition"),
            ("Open311Request", Open311Request, "request"), ("Open311RequestCreated", Open311RequestCreated, "request"),
            ("Open311Update", Open311Update, "request_update"), ("Open311Discovery", Open311Discovery, "discovery"),
            ("Open311Error", Open311Error, "error")):
        spec.components.schema(name, {"xml": {"name": element}}, schema=schema)
    spec.components.response("Open311Errors", {
        "description": "The spec's error list (the HTTP status in `code`).",
        "content": _body(Open311Error, "errors")})

    spec.path(path="/discovery.{format}", operations={"get": _op(
        "discovery", "Where this Open311 endpoint is and what it speaks (Service Discovery).", ABOUT, Open311Query,
        _body(Open311Discovery, "discovery", many=False), errors=(400,))})
    spec.path(path="/services.{format}", operations={"get": _op(
        "services", "The services (case categories) of a jurisdiction.",
        "A community's own categories and the town's defaults; `metadata` is true when a service asks questions.",
        Open311Query, _body(Open311Service, "services"))})
    spec.path(path="/services/{service_code}.{format}", operations={"get": _op(
        "service_definition", "A service's questions as attributes (string, number, singlevaluelist).",
        "Answer them in a POST as `attribute[code]=value`.", Open311Query,
        _body(Open311ServiceDefinition, "service_definition", many=False),
        params=[{"name": "service_code", "in": "path", "required": True, "schema": {"type": "string"}}])})
    spec.path(path="/requests.{format}", operations={
        "get": _op("requests", "Service requests you may see, newest first.",
                   "Filters as the spec has them (`service_request_id` overrides the others); by default the last "
                   "90 days, and never more than 90 days at once. `status` is `open` or `closed`; `status_notes` "
                   "names our own state in Chinese, e.g. 处理中（in_progress）.", Open311RequestsQuery,
                   _body(Open311Request, "service_requests")),
        "post": _op("create_request", "Report a problem: it becomes a case of the jurisdiction (channel open311).",
                    "Needs an `api_key` with `cases:write`. Where: `lat` & `long` (WGS-84), `address_string`, or "
                    "`address_id` (a stairwell id, as `address_id` in requests). Answers to the service's questions "
                    "as `attribute[code]=value`. The reporter's name and phone are kept for the committee only; "
                    "`email`, `device_id` and `account_id` are accepted and not kept; `media_url` is kept as a "
                    "link and never fetched. As multipart/form-data, one photo under `media`.", Open311PostQuery,
                    _body(Open311RequestCreated, "service_requests"),
                    status=201, errors=(400, 404, 413), security=[{"api_key": []}],
                    body={"required": True, "content": {
                        "application/x-www-form-urlencoded": {"schema": {"allOf": [Open311RequestIn, ATTRIBUTES]}},
                        "multipart/form-data": {"schema": {"allOf": [Open311RequestIn, ATTRIBUTES, MEDIA]}}}})})
    spec.path(path="/requests/{service_request_id}.{format}", operations={"get": _op(
        "request", "One service request (a list of one, as the spec has it).", "404 when you may not see it.",
        Open311Query, _body(Open311Request, "service_requests"),
        params=[{"name": "service_request_id", "in": "path", "required": True, "schema": {"type": "string"}}])})
    spec.path(path="/media/{photo_id}.{extension}", operations={"get": {
        "tags": [TAG], "operationId": "open311_media", "servers": SERVERS, "security": [],
        "summary": "The photo behind a request's `media_url` (a signed link, valid for a day or two).",
        "description": "Whoever may read a request gets its `media_url` signed; the link alone opens the photo "
                       "until it expires. A wrong or expired signature is 404.",
        "parameters": [
            {"name": "photo_id", "in": "path", "required": True, "schema": {"type": "integer"}},
            {"name": "extension", "in": "path", "required": True, "schema": {"type": "string", "enum": ["jpg", "webp"]}},
            {"name": "expires", "in": "query", "required": True, "schema": {"type": "integer"}},
            {"name": "signature", "in": "query", "required": True, "schema": {"type": "string"}}],
        "responses": {"200": {"description": "The photo (private cache).", "content": {
            "image/jpeg": {"schema": {"type": "string", "format": "binary"}},
            "image/webp": {"schema": {"type": "string", "format": "binary"}}}},
            "404": "Open311Errors"}}})
    spec.path(path="/servicerequestupdates.{format}", operations={"get": _op(
        "updates", "The public steps of the requests you may see (the servicerequestupdates extension), oldest first.",
        "Accepted, dispatched (to which units), started, resolved, closed…, with the handlers' notes; never "
        "internal notes or the reporter's own words. By default the last 90 days.", Open311UpdatesQuery,
        _body(Open311Update, "service_request_updates"))})
