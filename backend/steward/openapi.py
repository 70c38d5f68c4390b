"""The OpenAPI 3 document, written from the same marshmallow schemas the views use.

Each view method carries what our decorators recorded (``__api__``); this module walks the restx
namespaces and turns that into paths. ``python -m steward openapi`` writes ``openapi.yaml``.
"""
from __future__ import annotations

import inspect
import re
from http import HTTPStatus
from pathlib import Path

import flask_restx
import yaml
from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin
from apispec.ext.marshmallow.common import resolve_schema_instance
from apispec.ext.marshmallow.openapi import OpenAPIConverter
from flask import Flask, Response, current_app, render_template_string, send_from_directory
from marshmallow import Schema, fields

from .core.errors import PROBLEM_JSON, not_found
from .core.schemas import INT_MAX, ProblemSchema, StrictSchema

ALL_ROLES = ("admin", "town_staff", "staff", "volunteer", "resident", "partner")
RULE_RX = re.compile(r"<(?:(\w+):)?(\w+)>")
METHODS = ("get", "post", "put", "patch", "delete")
INFO = """红管家 Steward — the residents' committee in your pocket (掌上居委会).

Each operation lists the roles that may call it in `x-roles`; within a role, what you see is scoped to
your area (another community's objects answer 404).

Conventions: JSON in `snake_case`; timestamps in ISO 8601 with offset; errors are
`application/problem+json` (RFC 9457) with field messages under `errors`; human-readable text follows
`Accept-Language` (Chinese by default, `en` for English). Field errors are keyed by the field's dotted
path (`tags.1` for a list item). Text never holds control characters (tab and line breaks only in
multi-line text) nor, in one-line text such as names, bidi override characters; integers fit 32 bits.
Collections take `limit` (≤ 100) and an opaque `cursor` and answer `{items, next_cursor}`. Updates of
residents need `If-Match` with the `ETag` you read.
A POST may carry an `Idempotency-Key`: repeating it replays the first answer instead of writing twice.

## Partner systems (联盟单位系统对接)

The full guide, with runnable signature checks, is `docs/partners.md` in the repository.

1. **A client.** Staff create one for a unit (`POST /api-clients`): `client_id` and `client_secret`, shown
   once. `<client_id>.<client_secret>` is also the Open311 `api_key`. Rotate with an overlap
   (`POST /api-clients/{id}/rotate`), revoke at once (`…/revoke`).
2. **A token.** `POST /oauth/token` (RFC 6749 §4.4), form-encoded, HTTP Basic or body credentials:
   `curl -u CLIENT_ID:SECRET -d grant_type=client_credentials -d 'scope=cases:read cases:write' …/api/v1/oauth/token`
   answers `{"access_token", "token_type": "Bearer", "expires_in": 900, "scope"}`.
3. **Calls.** The operations listing the `oauth2` scheme (and `x-client-scope`) accept the token:
   `cases:read` reads the cases dispatched to the unit; `cases:write` updates the unit's part
   (`PATCH /cases/{id}/parts/{part_id}`) and comments. Every call is audited.
4. **Webhooks.** `POST /webhook-subscriptions` (an https URL on a public address; the signing secret is
   shown once) receives `case.dispatched`, `case.updated`, `case.escalated`, `case.closed` as signed POSTs:
   `Steward-Signature: t=<unix>,v1=<hex HMAC-SHA256 of "<t>.<raw body>" keyed with the secret>`; refuse a
   `t` more than 300 s from your clock; deduplicate by `Steward-Delivery-Id`. Non-2xx answers are retried
   with backoff for 24 h; the log, replay and a test ping are under `/webhook-subscriptions/{id}`.
"""


def _name_resolver(schema) -> str:
    cls = schema if isinstance(schema, type) else schema.__class__
    return cls.__name__.removesuffix("Schema")


class _Converter(OpenAPIConverter):
    """Output schemas always dump every declared field, so the document says they are all present
    (typed clients then need no optional chaining). Inputs (StrictSchema) keep their own ``required``."""

    def schema2jsonschema(self, schema):
        jsonschema = super().schema2jsonschema(schema)
        instance = resolve_schema_instance(schema)
        if not isinstance(instance, StrictSchema) and not getattr(instance, "partial_output", False):
            jsonschema["required"] = sorted(jsonschema["properties"])
        return jsonschema


class _Plugin(MarshmallowPlugin):
    Converter = _Converter


_PAGES: dict[type, type[Schema]] = {}


def page_schema(item: Schema) -> type[Schema]:
    cls = item.__class__
    if cls not in _PAGES:
        _PAGES[cls] = Schema.from_dict(
            {"items": fields.List(fields.Nested(cls)),
             "next_cursor": fields.String(allow_none=True, metadata={
                 "description": "Pass as `cursor` for the next page; null on the last."})},
            name=f"{_name_resolver(cls)}Page")
    return _PAGES[cls]


def build_spec(app: Flask) -> dict:
    from .extensions import api

    spec = APISpec(title="Steward API", version="1.0.0", openapi_version="3.0.3",
                   plugins=[_Plugin(schema_name_resolver=_name_resolver)],
                   info={"description": INFO, "license": {"name": "MIT"}},
                   servers=[{"url": "/api/v1"}])
    spec.components.security_scheme("bearerAuth", {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"})
    spec.components.security_scheme("oauth2", {
        "type": "oauth2", "description": "API clients of partner units (partners/oauth.py): a token from "
                                         "`POST /oauth/token` works on the operations that list this scheme.",
        "flows": {"clientCredentials": {"tokenUrl": "/api/v1/oauth/token", "scopes": {
            "cases:read": "Read the cases dispatched to the client's unit.",
            "cases:write": "Update the unit's part of those cases and comment on them."}}}})
    spec.components.security_scheme("clientBasic", {"type": "http", "scheme": "basic",
                                                     "description": "An API client's id and secret (token endpoint)."})
    spec.components.schema("Problem", schema=ProblemSchema)
    for status in sorted({400, 401, 403, 404, 409, 412, 413, 414, 415, 422, 428, 429, 503}):
        spec.components.response(f"E{status}", {
            "description": HTTPStatus(status).phrase if status != 422 else "Unprocessable Content",
            "content": {PROBLEM_JSON: {"schema": "Problem"}},
        })
    for name, desc in (("If-Match", "The `ETag` you read; a stale value answers 412."),
                       ("Idempotency-Key",
                        "Any unique string of 1–200 printable ASCII characters; a retry with the same key replays the "
                        "first answer (after the same checks as the first call).")):
        schema = {"type": "string"} if name == "If-Match" else \
            {"type": "string", "pattern": "^[!-~]{1,200}$", "maxLength": 200}  # core.idempotency.KEY_RX
        spec.components.parameter(name, "header", {"name": name, "in": "header", "schema": schema,
                                                   "required": name == "If-Match", "description": desc})

    for ns in sorted(api.namespaces, key=lambda n: api.ns_paths.get(n, "")):
        base = api.ns_paths.get(ns)
        if base is None:
            continue
        for route in ns.resources:
            resource = route.resource
            for url in route.urls:
                path, path_params = _convert(base.rstrip("/") + url if url else base)
                operations = {}
                for method in METHODS:
                    func = getattr(resource, method, None)
                    if func is None:
                        continue
                    operations[method] = _operation(ns.name, method, func, path_params)
                if operations:
                    spec.path(path=path or "/", operations=operations)
    from . import domains

    for module in domains.load("docs"):  # routes outside /api/v1 (Open311) describe themselves
        module.document(spec)
    return spec.to_dict()


def _convert(rule: str) -> tuple[str, list[dict]]:
    params = []

    def repl(m: re.Match) -> str:
        conv, name = m.group(1), m.group(2)
        params.append({"name": name, "in": "path", "required": True,
                       "schema": {"type": "integer", "minimum": 1, "maximum": INT_MAX}  # core.http.IdConverter
                       if conv == "int" else {"type": "string"}})
        return "{" + name + "}"

    return RULE_RX.sub(repl, rule), params


def _operation(tag: str, method: str, func, path_params: list[dict]) -> dict:
    meta = getattr(func, "__api__", {"responses": {}, "errors": set()})
    doc = inspect.getdoc(func) or ""
    summary, _, description = doc.partition("\n")
    op: dict = {"tags": [tag], "summary": summary.strip(), "operationId": f"{method}_{func.__qualname__.split('.')[0]}"}
    if description.strip():
        op["description"] = description.strip()
    needs_token = not meta.get("public") or meta.get("refresh")
    if needs_token and not meta.get("refresh"):
        # Who may call it, machine-readable: the front end and the operation × role test read this.
        op["x-roles"] = sorted(str(r) for r in (meta.get("roles") or ALL_ROLES))
    if meta.get("roles"):
        op["description"] = (op.get("description", "") + f"\n\nRoles: {', '.join(meta['roles'])}.").strip()
    params = list(path_params)
    if meta.get("query") is not None:
        params.append({"in": "query", "schema": meta["query"]})
    if meta.get("if_match"):
        params.append("If-Match")
    if _idempotent(method, meta):
        params.append("Idempotency-Key")
    if params:
        op["parameters"] = params
    if meta.get("body") is not None:
        op["requestBody"] = {"required": True, "content": {"application/json": {"schema": meta["body"]}}}
        if meta.get("files"):
            field, most = meta["files"]["field"], meta["files"]["max"]
            op["requestBody"]["content"]["multipart/form-data"] = {
                "schema": {"type": "object", "required": ["data"], "properties": {
                    "data": {"type": "string", "description": "The same JSON object as application/json."},
                    field: {"type": "array", "maxItems": most, "items": {"type": "string", "format": "binary"},
                            "description": "Photos (JPEG, PNG, WebP, HEIC), checked by content; EXIF and GPS "
                                           "are removed."}}},
                "encoding": {"data": {"contentType": "application/json"}}}
    if meta.get("upload"):  # files only (e.g. notice attachments): multipart, no JSON part
        up = meta["upload"]
        op["requestBody"] = {"required": True, "content": {"multipart/form-data": {"schema": {
            "type": "object", "required": [up["field"]], "properties": {up["field"]: {
                "type": "array", "minItems": 1, "maxItems": up["max"], "items": {"type": "string", "format": "binary"},
                "description": up["description"]}}}}}}
    responses: dict = {}
    for status, info in sorted(meta["responses"].items()):
        entry: dict = {"description": info.get("description") or HTTPStatus(status).phrase}
        if info["schema"] is not None:
            schema = page_schema(info["schema"]) if info["paginated"] else info["schema"]
            entry["content"] = {"application/json": {"schema": schema}}
        for mimetype in info.get("files", ()):
            entry.setdefault("content", {})[mimetype] = {"schema": {"type": "string", "format": "binary"}}
        if info.get("etag"):
            entry["headers"] = {"ETag": {"schema": {"type": "string"}, "description": "Send back as If-Match."}}
        responses[str(status)] = entry
    statuses = set(meta.get("errors", set())) | _implied_errors(method, meta, path_params)
    if needs_token:
        statuses.add(401)
    for status in sorted(statuses):
        responses[str(status)] = f"E{status}"
    op["responses"] = responses
    op["security"] = [{"bearerAuth": []}] if needs_token else []
    if meta.get("client_scope"):
        op["security"].append({"oauth2": [meta["client_scope"]]})
        op["x-client-scope"] = meta["client_scope"]
    op.update(meta.get("openapi", {}))
    return op


def _implied_errors(method: str, meta: dict, path_params: list[dict]) -> set[int]:
    """Statuses our shared machinery can answer for this operation, so that no view has to remember them."""
    statuses: set[int] = set()
    inputs = [s for s in (meta.get("query"), meta.get("body")) if s is not None]
    # A referenced row that does not exist or is outside the caller's scope is not found (scope.py).
    if path_params or any(name.endswith("_id") for s in inputs for name in s.fields):
        statuses.add(404)
    if inputs:
        statuses |= {400, 422}  # malformed input; a value the database cannot store (core.errors)
    if not meta.get("public"):
        statuses.add(403)  # besides @roles, a service's action rule may refuse (core.errors.forbidden)
    if method != "get":
        statuses.add(409)  # the unit of work answers an IntegrityError with 409
    if _idempotent(method, meta):
        statuses |= {400, 409, 422, 429}  # Idempotency-Key: malformed, busy, reused, too many
    return statuses


def _idempotent(method: str, meta: dict) -> bool:
    """Takes an Idempotency-Key (core.http.Resource): a writing POST not marked @no_idempotency."""
    return method == "post" and not meta.get("no_idempotency") and meta.get("writes", True)


class _NoAliasDumper(yaml.SafeDumper):
    def ignore_aliases(self, data) -> bool:
        return True


def to_yaml(spec: dict) -> str:
    return yaml.dump(spec, Dumper=_NoAliasDumper, allow_unicode=True, sort_keys=False, width=110)


DOCS_HTML = """<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>Steward API 文档</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="{{ url_for('api_docs_file', name='swagger-ui.css') }}"></head>
<body><div id="ui" data-spec="{{ url_for('openapi_json') }}"></div>
<script src="{{ url_for('api_docs_file', name='swagger-ui-bundle.js') }}"></script>
<script src="{{ url_for('api_docs_file', name='boot.js') }}"></script>
</body></html>"""
# Boots Swagger UI from a served file, so the page's policy needs no inline script. The validator
# badge is off: it would send the document to validator.swagger.io.
DOCS_JS = """SwaggerUIBundle({url: document.getElementById("ui").dataset.spec, dom_id: "#ui",
                 deepLinking: true, validatorUrl: null});
"""
# Swagger UI sets inline style attributes and draws some icons as data: images; nothing leaves the site.
DOCS_CSP = ("default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
            "font-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'")


def init_app(app: Flask) -> None:
    @app.get("/api/v1/openapi.json", endpoint="openapi_json")
    def openapi_json():
        if "steward.openapi" not in current_app.extensions:
            current_app.extensions["steward.openapi"] = build_spec(current_app)
        return current_app.extensions["steward.openapi"]

    @app.get("/api/docs", endpoint="api_docs")
    def api_docs():
        return Response(render_template_string(DOCS_HTML), mimetype="text/html",
                        headers={"Content-Security-Policy": DOCS_CSP})

    # Swagger UI's files are served under /api/ too, so the page works wherever /api/ is proxied.
    @app.get("/api/docs/<name>", endpoint="api_docs_file")
    def api_docs_file(name: str):
        if name == "boot.js":
            return Response(DOCS_JS, mimetype="text/javascript")
        if name not in ("swagger-ui.css", "swagger-ui-bundle.js"):
            raise not_found()
        return send_from_directory(Path(flask_restx.__file__).parent / "static", name, max_age=86400)
