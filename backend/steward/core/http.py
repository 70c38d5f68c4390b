"""Our conventions on top of flask-restx: marshmallow in and out, auth, units of work.

Views are restx ``Resource`` methods decorated with the small decorators below. Each decorator
also records what it does on the function (``__api__``) so that :mod:`steward.openapi` can write
the OpenAPI 3 document from the very same schemas — code and docs cannot drift.
"""
from __future__ import annotations

import functools
import json
import re
from typing import Any, Callable

import orjson
from flask import Response, request
from flask_jwt_extended import current_user, verify_jwt_in_request
from flask_restx import Api
from flask_restx import Resource as _RestxResource
from marshmallow import Schema, fields
from werkzeug.exceptions import HTTPException
from werkzeug.routing import IntegerConverter

from ..db import unit_of_work
from .errors import Problem, forbidden, handle_exception
from .pagination import Page
from .schemas import INT_MAX, SURROGATE_RX, max_items


def digits_up_to(limit: int) -> str:
    """A regex matching the decimal numbers 1..``limit`` (no sign, no leading zero) and nothing else."""
    s = str(limit)
    alts = [rf"[1-9]\d{{0,{len(s) - 2}}}"] if len(s) > 1 else []
    for i, ch in enumerate(s):
        low = 1 if i == 0 else 0
        if int(ch) - 1 >= low:
            rest = len(s) - i - 1
            alts.append(f"{s[:i]}[{low}-{int(ch) - 1}]" + (rf"\d{{{rest}}}" if rest else ""))
    alts.append(s)
    return "(?:" + "|".join(alts) + ")"


class IdConverter(IntegerConverter):
    """``<int:…>`` in our routes: a row id, 1 to INT_MAX. Anything else does not match the route (404
    whatever the method), so an id too large for the column never reaches the database. The bound is
    in the regex itself: werkzeug decides 405 before it converts."""

    regex = digits_up_to(INT_MAX)

    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("min", 1)
        kwargs.setdefault("max", INT_MAX)
        super().__init__(map, *args, **kwargs)


class StewardApi(Api):
    """restx Api whose every error leaves as problem+json (restx's own shape is bypassed)."""

    def init_app(self, app, **kwargs):
        # Installed before the blueprint's rules are compiled, so every `<int:…>` of ours is bounded.
        if hasattr(app, "record"):
            app.record(lambda state: state.app.url_map.converters.__setitem__("int", IdConverter))
        super().init_app(app, **kwargs)

    def handle_error(self, e):  # noqa: D401 - restx hook
        return handle_exception(e)

    def error_router(self, original_handler, e):
        # restx's guess whether the failing route is one of its own re-matches the URL, and that can
        # itself fail (a 405 whose allowed methods do not match either): then the error is ours all the same.
        try:
            return super().error_router(original_handler, e)
        except HTTPException:
            return self.handle_error(e)


def api_meta(func: Callable) -> dict:
    meta = getattr(func, "__api__", None)
    if meta is None:
        meta = {"responses": {}, "roles": None, "public": False, "errors": set()}
        func.__api__ = meta
    return meta


def _inherit_meta(wrapper: Callable, wrapped: Callable) -> dict:
    wrapper.__api__ = api_meta(wrapped)
    return wrapper.__api__


# ---------------------------------------------------------------- input
MAX_JSON_DEPTH = 32  # no input of ours nests deeper than a few levels


def _no_constant(name: str):
    raise ValueError(f"{name} is not JSON")


def json_body() -> Any:
    """The request's JSON object: well-formed, not nested too deeply, and only valid Unicode text."""
    if not request.mimetype or request.mimetype != "application/json" and not request.mimetype.endswith("+json"):
        raise Problem(415, "Send the request body as application/json.", type="unsupported-media-type")
    return parse_json_object(request.get_data(cache=True) or b"null")


def parse_json_object(raw: bytes | str) -> dict:
    """``raw`` as a JSON object, or a 400 problem: malformed, not an object, nested beyond
    MAX_JSON_DEPTH, or holding lone surrogates (``"\\ud800"``) that no database or encoder can hold."""
    try:
        data = json.loads(raw, parse_constant=_no_constant)
    except RecursionError:
        raise Problem(400, "The request body is nested too deeply.", type="malformed-json") from None
    except (ValueError, UnicodeDecodeError):
        raise Problem(400, "The request body is not valid JSON.", type="malformed-json") from None
    if not isinstance(data, dict):
        raise Problem(400, "The request body must be a JSON object.", type="malformed-json")
    _check_json(data)
    return data


def _check_json(data: Any) -> None:
    """Iterative, so a hostile body cannot exhaust the stack."""
    stack = [(data, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_JSON_DEPTH:
            raise Problem(400, "The request body is nested too deeply.", type="malformed-json")
        if isinstance(node, dict):
            for key, value in node.items():
                stack.append((key, depth))
                stack.append((value, depth + 1))
        elif isinstance(node, list):
            stack.extend((item, depth + 1) for item in node)
        elif isinstance(node, str) and SURROGATE_RX.search(node):
            raise Problem(400, "The request body contains an invalid Unicode escape.", type="malformed-json")


def body(schema: Schema | type[Schema], *, partial: bool = False, files: str | None = None,
         max_files: int | None = None):
    """Load and validate the JSON body with ``schema``; the view gets it as ``data=``.

    With ``files="photos"`` the method also takes ``multipart/form-data``: a part ``data`` holding the
    same JSON, and up to ``max_files`` photos under ``files``, checked by content (steward.media). The
    view then gets ``photos=`` (a list, empty for a JSON body). A bad photo and a bad field are
    reported together, and nothing is stored for either.
    """
    instance = schema() if isinstance(schema, type) else schema

    def decorator(func):
        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            if files and request.mimetype == "multipart/form-data":
                kwargs["data"], kwargs[files] = _multipart(instance, partial, files, max_files)
            else:
                kwargs["data"] = instance.load(json_body(), partial=partial)
                if files:
                    kwargs[files] = []
            return func(*args, **kwargs)

        meta = _inherit_meta(wrapper, func)
        meta["body"] = instance
        meta["errors"] |= {400, 413, 415, 422}
        if files:
            meta["files"] = {"field": files, "max": max_files}
            meta["body_limit"] = lambda: _accept_uploads(max_files)  # before the Idempotency-Key fingerprint
        return wrapper

    return decorator


def _accept_uploads(max_files: int | None) -> int:
    from .. import media

    return media.accept_uploads(max_files)


def _multipart(instance: Schema, partial: bool, field: str, max_files: int | None):
    from marshmallow import ValidationError

    from .. import media
    from .errors import Invalid

    errors: dict = {}
    photos = []
    try:
        photos = media.photos_from_request(field, max_count=max_files)  # sizes the body limit first
    except Invalid as e:
        errors.update(e.errors or {})
    raw = request.form.get("data")
    payload = parse_json_object(raw) if raw is not None else {}
    data = None
    try:
        data = instance.load(payload, partial=partial)
    except ValidationError as e:
        errors.update(e.messages if isinstance(e.messages, dict) else {"data": e.messages})
    if errors:
        raise Invalid(errors=errors)
    return data, photos


def query(schema: Schema | type[Schema]):
    """Load and validate query parameters with ``schema``; the view gets them as ``args=``."""
    instance = schema() if isinstance(schema, type) else schema

    def decorator(func):
        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            raw: dict[str, Any] = {}
            for key in request.args:
                values = request.args.getlist(key)
                field = instance.fields.get(key)
                if isinstance(field, fields.List):
                    # One value past the cap is enough for the field's Length validator to refuse the list.
                    raw[key] = [_from_query(field.inner, v) for v in values[:max_items(field) + 1]]
                else:
                    raw[key] = _from_query(field, values[-1])
            kwargs["args"] = instance.load(raw)
            return func(*args, **kwargs)

        meta = _inherit_meta(wrapper, func)
        meta["query"] = instance
        meta["errors"] |= {400, 422}
        return wrapper

    return decorator


_INT_RX = re.compile(r"^-?\d{1,20}$")


def _from_query(field, value: str) -> Any:
    """A query string's text as the JSON value the (strict) field expects: ``"12"`` → 12,
    ``"true"`` → True. Anything else stays text, for the field to refuse."""
    if isinstance(field, fields.Integer) and _INT_RX.match(value):
        return int(value)
    if isinstance(field, fields.Boolean) and value in ("true", "false"):
        return value == "true"
    return value


# ---------------------------------------------------------------- output
class Dumped(dict):
    """A view's result already in its response schema's shape, sent as it is: a hot path that writes
    the JSON itself (its tests hold it equal to the schema's dump of the same data)."""


def response(schema: Schema | type[Schema] | None, status: int = 200, *, paginated: bool = False,
             description: str | None = None, etag: bool = False):
    """Dump the view's return value with ``schema``.

    The view returns an object (or a :class:`Page` when ``paginated``), optionally with headers as
    ``(obj, headers)``. ``etag`` adds an ``ETag`` header from the object's ``version``.
    """
    instance = (schema() if isinstance(schema, type) else schema) if schema is not None else None

    def decorator(func):
        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            result = func(*args, **kwargs)
            if isinstance(result, Response):
                return result
            headers: dict[str, str] = {}
            if isinstance(result, tuple):
                result, headers = result
            if instance is None:
                return Response(status=status, headers=headers)
            if isinstance(result, Dumped):
                payload = result
            elif paginated:
                assert isinstance(result, Page)
                payload = {"items": instance.dump(result.items, many=True), "next_cursor": result.next_cursor}
            else:
                payload = instance.dump(result)
                if etag:
                    headers["ETag"] = etag_of(result)
            return Response(dumps(payload), status=status, mimetype="application/json", headers=headers)

        meta = _inherit_meta(wrapper, func)
        meta["responses"][status] = {"schema": instance, "paginated": paginated,
                                     "description": description, "etag": etag}
        return wrapper

    return decorator


def dumps(payload) -> bytes:
    """JSON of a response body: UTF-8, not ASCII-escaped; what JSON lacks goes through ``str`` (as with
    ``json.dumps(default=str)``). orjson: a page of 20 residents in ~6 µs instead of ~90."""
    return orjson.dumps(payload, default=str, option=orjson.OPT_PASSTHROUGH_DATETIME)


def file_response(*mimetypes: str, description: str | None = None):
    """The view returns a ready :class:`Response` with a file (a CSV export, a photo)."""

    def decorator(func):
        meta = api_meta(func)
        meta["responses"][200] = {"schema": None, "paginated": False, "description": description,
                                  "etag": False, "files": mimetypes}
        return func

    return decorator


def etag_of(obj) -> str:
    return f'"{obj.id}.{obj.version}"'


def check_if_match(obj) -> None:
    """Refuse an update unless the client proves it saw the current version (RFC 9110 If-Match)."""
    header = request.headers.get("If-Match")
    if not header:
        raise Problem(428, "Send the ETag you read in an If-Match header.", type="precondition-required")
    tags = [t.strip() for t in header.split(",")]
    current = etag_of(obj)
    if "*" not in tags and current not in tags and f"W/{current}" not in tags:
        raise Problem(412, "The resource was changed by someone else. Reload it and try again.", type="stale")


def if_match(func):
    """Documents that the method requires ``If-Match`` (the check itself is :func:`check_if_match`)."""
    meta = api_meta(func)
    meta["if_match"] = True
    meta["errors"] |= {412, 428}
    return func


# ---------------------------------------------------------------- access
def public(func):
    """The method needs no token."""
    api_meta(func)["public"] = True
    return func


def refresh_token(func):
    """The method is authenticated by a refresh token (checked by the view), not an access token."""
    meta = api_meta(func)
    meta["public"] = meta["refresh"] = True
    return func


def roles(*names: str):
    """Only these roles may call the method (checked against the database user, not the token)."""

    def decorator(func):
        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            if current_user.role not in names:
                raise forbidden()
            return func(*args, **kwargs)

        meta = _inherit_meta(wrapper, func)
        meta["roles"] = list(names)
        meta["errors"] |= {403}
        return wrapper

    return decorator


def client_scope(scope: str):
    """API clients (OAuth2 client-credentials tokens, see partners/oauth.py) may call this method when their
    token holds ``scope``; every method without it refuses them (403). Users are not affected."""

    def decorator(func):
        api_meta(func)["client_scope"] = scope
        return func

    return decorator


def openapi_override(**fields):
    """Operation fields written as they are into the OpenAPI document (a form-encoded body, answers
    that are not problem+json): for the rare route outside our JSON conventions."""

    def decorator(func):
        api_meta(func)["openapi"] = fields
        return func

    return decorator


def errors(*statuses: int):
    """Documents further error statuses the method may answer."""

    def decorator(func):
        api_meta(func)["errors"] |= set(statuses)
        return func

    return decorator


def sensitive(func):
    """The answer carries data that must not rest in clear (full ID numbers, exports): a stored
    Idempotency-Key answer is encrypted."""
    meta = api_meta(func)
    meta["sensitive"] = True
    return func


SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


def writes(flag: bool = True):
    """States the method's intent where the HTTP method would say otherwise (a GET that writes, a
    POST that only reads). Safe methods are read-only units of work, the others write."""

    def decorator(func):
        api_meta(func)["writes"] = flag
        return func

    return decorator


def no_idempotency(func):
    """POSTs that must never be replayed from storage (they hand out secrets, e.g. tokens)."""
    api_meta(func)["no_idempotency"] = True
    return func


# ---------------------------------------------------------------- the resource
class Resource(_RestxResource):
    """Authenticates, runs the method as one unit of work, and replays idempotent POSTs."""

    def dispatch_request(self, *args, **kwargs):
        method = getattr(self, request.method.lower(), None)
        if method is None and request.method == "HEAD":
            method = getattr(self, "get", None)  # HEAD is GET without the body, checks included
        meta = getattr(method, "__api__", {}) if method else {}
        write = meta.get("writes", request.method not in SAFE_METHODS)
        if "body_limit" in meta:  # e.g. photos: set before anything (the idempotency fingerprint) reads the body
            request.max_content_length = meta["body_limit"]()
        with unit_of_work(write=write):
            if not meta.get("public"):
                verify_jwt_in_request()
            # A read-only POST is repeatable as it is; a writing one stores its answer under the key.
            if write and request.method == "POST" and not meta.get("no_idempotency") \
                    and "Idempotency-Key" in request.headers:
                from .idempotency import run_idempotent

                return run_idempotent(lambda: super(Resource, self).dispatch_request(*args, **kwargs),
                                      public=bool(meta.get("public")), sensitive=bool(meta.get("sensitive")))
            return super().dispatch_request(*args, **kwargs)
