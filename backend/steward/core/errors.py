"""One error shape for everything: RFC 9457 ``application/problem+json``.

Every failure — validation, HTTP errors, auth errors, conflicts, and bugs — leaves through
:func:`problem_response`, so a client never sees an HTML page or a stack trace.
"""
from __future__ import annotations

import json
import logging
from http import HTTPStatus

from flask import Response, current_app, g, request
from flask_jwt_extended.exceptions import (
    JWTExtendedException,
    NoAuthorizationError,
    RevokedTokenError,
    WrongTokenError,
)
from jwt import ExpiredSignatureError, PyJWTError
from marshmallow import ValidationError
from sqlalchemy.exc import DataError, IntegrityError, OperationalError
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge

from .i18n import t, translate_errors

log = logging.getLogger("steward.errors")
PROBLEM_JSON = "application/problem+json"
TYPE_BASE = "https://steward.example.org/problems/"


class Problem(Exception):
    """An error meant for the client. ``detail`` is an English message id (translated on output).

    ``keep_writes=True`` asks the unit of work to commit what the request wrote before failing (a
    failed sign-in stays on record, a replayed refresh token's session stays revoked); otherwise
    every write of a failing request is rolled back.
    """

    def __init__(self, status: int, detail: str | None = None, *, type: str | None = None,
                 errors: dict | None = None, headers: dict | None = None, keep_writes: bool = False,
                 extensions: dict | None = None, **params):
        super().__init__(detail or HTTPStatus(status).phrase)
        self.keep_writes = keep_writes
        self.extensions = extensions or {}
        self.status = status
        self.detail = detail
        self.params = params
        self.type = type
        self.errors = errors
        self.headers = headers or {}


class DomainError(Problem):
    """A rule of the domain was not met. Services raise these (never HTTP statuses); :data:`STATUS`
    below is the one place that says what each kind answers over HTTP."""

    default_detail = ""
    default_type = ""

    def __init__(self, detail: str | None = None, *, type: str | None = None, **kw):
        super().__init__(STATUS[self.__class__], detail or self.default_detail or None,
                         type=type or self.default_type or None, **kw)


class NotFound(DomainError):
    default_detail = "The requested resource does not exist or is not visible to you."
    default_type = "not-found"


class Forbidden(DomainError):
    default_detail = "Your role does not allow this action."
    default_type = "forbidden"


class Invalid(DomainError):
    """Field-level messages: ``Invalid(errors={"phone": ["..."]})``."""

    default_detail = "Some fields are invalid."
    default_type = "validation"


class Conflict(DomainError):
    default_detail = "The request conflicts with existing data."
    default_type = "conflict"


class InvalidTransition(Conflict):
    """The object is not in a state that allows this step; says which steps it allows now."""

    default_detail = "This step is not possible while the state is {state}."
    default_type = "invalid-transition"

    def __init__(self, state: str, allowed: list[str], detail: str | None = None, **kw):
        super().__init__(detail, state=state, extensions={"state": state, "allowed": sorted(allowed)}, **kw)


class RateLimited(DomainError):
    default_detail = "Too many attempts. Try again in {seconds} seconds."
    default_type = "rate-limited"

    def __init__(self, seconds: int, detail: str | None = None, **kw):
        super().__init__(detail, headers={"Retry-After": str(seconds)}, seconds=seconds, **kw)


STATUS: dict[type[DomainError], int] = {
    NotFound: 404, Forbidden: 403, Invalid: 422, Conflict: 409, InvalidTransition: 409, RateLimited: 429,
}
NOT_FOUND_DETAIL = NotFound.default_detail


def not_found() -> NotFound:
    return NotFound()


def forbidden() -> Forbidden:
    return Forbidden()


def invalid(errors: dict) -> Invalid:
    """A 422 with field-level messages, e.g. ``invalid({"phone": ["..."]})``."""
    return Invalid(errors=errors)


def problem_response(status: int, *, detail: str | None = None, type: str | None = None,
                     errors: dict | None = None, headers: dict | None = None,
                     params: dict | None = None, extensions: dict | None = None) -> Response:
    phrase = HTTPStatus(status).phrase if status in HTTPStatus._value2member_map_ else "Error"
    if status == 422:
        phrase = "Unprocessable Content"
    body: dict = {
        "type": TYPE_BASE + (type or _slug(phrase)),
        "title": t(phrase),
        "status": status,
    }
    if detail:
        body["detail"] = t(detail, **(params or {}))
    if errors:
        body["errors"] = translate_errors(flatten_errors(errors))
    body.update(extensions or {})
    request_id = g.get("request_id") if g else None
    if request_id:
        body["request_id"] = request_id
    resp = Response(json.dumps(body, ensure_ascii=False), status=status, mimetype=PROBLEM_JSON)
    for k, v in (headers or {}).items():
        resp.headers[k] = v
    return resp


def flatten_errors(errors, prefix: str = "") -> dict[str, list[str]]:
    """Marshmallow's nested messages as ``{dotted path: [messages]}``, the documented ``errors`` shape.

    Nested fields and list items (keyed by integer index) become paths: ``{"tags": {1: ["…"]}}`` is
    ``{"tags.1": ["…"]}``.
    """
    flat: dict[str, list[str]] = {}

    def walk(node, path: str) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                walk(value, f"{path}.{key}" if path else str(key))
        elif isinstance(node, (list, tuple)) and all(isinstance(m, str) for m in node):
            flat.setdefault(path or "_schema", []).extend(node)
        elif isinstance(node, (list, tuple)):
            for item in node:
                walk(item, path)
        else:
            flat.setdefault(path or "_schema", []).append(str(node))

    walk(errors, prefix)
    return flat


def _slug(phrase: str) -> str:
    return phrase.lower().replace(" ", "-")


def handle_exception(e: BaseException) -> Response:
    """Map any exception to a problem response."""
    if isinstance(e, Problem):
        return problem_response(e.status, detail=e.detail, type=e.type, errors=e.errors,
                                headers=e.headers, params=e.params, extensions=e.extensions)
    if isinstance(e, ValidationError):
        errors = e.messages if isinstance(e.messages, dict) else {"_schema": e.messages}
        return problem_response(422, detail="Some fields are invalid.", type="validation", errors=errors)
    if isinstance(e, (JWTExtendedException, PyJWTError)):
        return _auth_problem(e)
    if isinstance(e, StaleDataError):
        return problem_response(412, detail="The resource was changed by someone else. Reload it and try again.",
                                type="stale")
    if isinstance(e, IntegrityError):
        log.info("integrity error: %s", e.orig)
        return problem_response(409, detail="The request conflicts with existing data.", type="conflict")
    if isinstance(e, DataError):
        # Input validation bounds every value (core/schemas.py); this is the net under it.
        log.warning("value refused by the database: %s", type(e.orig).__name__)
        return problem_response(422, detail="A value does not fit what the database can store.", type="unstorable")
    if isinstance(e, OperationalError):
        log.error("database unavailable: %s [%s]", e.orig, (e.statement or "")[:60])
        return problem_response(503, detail="Please retry later.", type="unavailable", headers={"Retry-After": "5"})
    if isinstance(e, RequestEntityTooLarge):
        return problem_response(413, detail="The request body exceeds {limit} bytes.", type="too-large",
                                params={"limit": current_app.config.get("MAX_CONTENT_LENGTH")})
    if isinstance(e, HTTPException):
        headers = {}
        if e.code == 405 and getattr(e, "valid_methods", None):
            headers["Allow"] = ", ".join(e.valid_methods)
        detail = None
        if e.code == 404:
            detail = NOT_FOUND_DETAIL
        return problem_response(e.code or 500, detail=detail, headers=headers)
    log.exception("unhandled error", exc_info=e)
    return problem_response(500, detail="Something went wrong on our side. It has been logged.")


def _auth_problem(e: BaseException) -> Response:
    if isinstance(e, ExpiredSignatureError):
        detail = "The token has expired."
    elif isinstance(e, RevokedTokenError):
        detail = "The token has been revoked."
    elif isinstance(e, NoAuthorizationError):
        detail = "Missing or malformed Authorization header."
    elif isinstance(e, WrongTokenError):
        detail = ("A refresh token is required here." if str(e) == "Only refresh tokens are allowed"
                  else "An access token is required here.")
    else:
        detail = "The token is invalid."
    return problem_response(401, detail=detail, type="unauthorized", headers={"WWW-Authenticate": "Bearer"})


MAX_PATH = 2000  # bytes of the whole path
MAX_SEGMENT = 255  # bytes of one path segment (a file name's limit on every file system we serve from)


def _refuse_overlong_paths():
    path = request.path
    if len(path.encode()) > MAX_PATH or any(len(s.encode()) > MAX_SEGMENT for s in path.split("/")):
        raise Problem(414, "The address is too long.", type="uri-too-long")


def _json_redirects(resp: Response) -> Response:
    """A redirect werkzeug emits itself (``/api/v1`` → ``/api/v1/``) says where to go in JSON, not HTML."""
    if 300 <= resp.status_code < 400 and request.path.startswith("/api") and resp.location \
            and resp.mimetype == "text/html":
        resp.set_data(json.dumps({"status": resp.status_code, "location": resp.location}))
        resp.mimetype = "application/json"
    return resp


def register_error_handlers(app) -> None:
    """Every failure as problem+json, plus the request guards that turn hostile requests into problems."""
    app.register_error_handler(Exception, handle_exception)
    app.register_error_handler(HTTPException, handle_exception)
    app.before_request(_refuse_overlong_paths)
    app.after_request(_json_redirects)
