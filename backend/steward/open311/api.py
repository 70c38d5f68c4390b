"""``/open311/v2/``: GeoReport v2 resources with a ``.json`` or ``.xml`` extension (or ``?format=``).

One view routes every path, so that every answer — unknown paths, wrong methods and bodies too large
included — is in the spec's error list form (``[{"code", "description"}]``, ``<errors><error>…``) and
format. Each call is one unit of work; a call with a key authenticates the client against the database
(a revoked key fails at once), and every call by a client is written to the audit log, failed or not.
"""
from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from http import HTTPStatus
from typing import Callable

from flask import Blueprint, Response, current_app, g, request
from marshmallow import ValidationError
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge

from .. import media
from ..audit.service import record
from ..core.errors import Forbidden, Problem, invalid
from ..core.i18n import t
from ..core.ratelimit import enforce, public_read
from ..db import unit_of_work
from ..partners import service as partners
from ..partners.principal import ClientPrincipal
from . import messages, photos, service  # noqa: F401  (messages: the Chinese strings of this domain)
from .render import respond
from .schemas import (
    Open311Discovery,
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
    Plain,
)

log = logging.getLogger("steward.open311")
bp = Blueprint("open311", __name__, url_prefix="/open311/v2")
METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"]
SPEC = "http://wiki.open311.org/GeoReport_v2"
CHANGESET = "2026-11-27T00:00:00+08:00"
_ATTRIBUTE = re.compile(r"^attribute\[([^\[\]]*)\](\[\])?$")
_MEDIA = re.compile(r"^media/(\d{1,10})\.(jpg|webp)$")
MEDIA_FIELD = "media"  # the photo of a multipart POST (GeoReport v2 itself has only media_url)
_ATTRIBUTE_VALUE = Plain()


class Open311Failure(Exception):
    def __init__(self, status: int, *descriptions: str, headers: dict | None = None):
        super().__init__(descriptions[0] if descriptions else "")
        self.status, self.descriptions, self.headers = status, list(descriptions), headers or {}


@dataclass(frozen=True)
class Operation:
    name: str            # in the audit log: open311.<name>
    run: Callable        # (session, client or None, query args, **path params) -> (payload, XML root)
    needs_key: bool = False
    query: type = Open311Query


# ------------------------------------------------------------------ operations
def _who(session, client, jurisdiction_id: str | None) -> service.Caller:
    return service.caller(session, client=client, jurisdiction_id=jurisdiction_id)


def _discovery(session, client, args):
    base = request.url_root.rstrip("/") + bp.url_prefix
    doc = {"changeset": CHANGESET,
           "contact": "庄行镇社区办；各居民区居委会（电话见 /api/v1/public/communities）。",
           "key_service": "api_key 由居委会或镇工作人员为联盟单位创建（POST /api/v1/api-clients），创建时只显示一次。",
           "endpoints": [{"specification": SPEC, "url": base, "changeset": CHANGESET, "type": "production",
                          "formats": ["application/json", "text/xml"]}]}
    return Open311Discovery().dump(doc), "discovery"


def _services(session, client, args):
    who = _who(session, client, args.get("jurisdiction_id"))
    return Open311Service(many=True).dump([service.service_out(c) for c in service.services(session, who=who)]), "services"


def _definition(session, client, args, code):
    category = service.service(session, who=_who(session, client, args.get("jurisdiction_id")), code=code)
    return Open311ServiceDefinition().dump(service.definition_out(category)), "service_definition"


def _requests(session, client, args):
    who = _who(session, client, args.pop("jurisdiction_id", None))
    return Open311Request(many=True).dump(service.requests(session, who=who, **args)), "service_requests"


def _request(session, client, args, request_id):
    who = _who(session, client, args.get("jurisdiction_id"))
    return Open311Request(many=True).dump([service.request(session, who=who, request_id=request_id)]), "service_requests"


def _updates(session, client, args):
    who = _who(session, client, args.pop("jurisdiction_id", None))
    return Open311Update(many=True).dump(service.updates(session, who=who, **args)), "service_request_updates"


def _create(session, client, args):
    data, attributes, pictures = _form()
    who = _who(session, client, data.pop("jurisdiction_id", None) or args.get("jurisdiction_id"))
    case, notice = service.create(session, who=who, data=data, attributes=attributes, pictures=pictures)
    g.open311_case_id = case.id
    out = {"service_request_id": str(case.id), "service_notice": notice, "account_id": None}
    return Open311RequestCreated(many=True).dump([out]), "service_requests"


ROUTES: list[tuple[re.Pattern[str], dict[str, Operation]]] = [
    (re.compile(r"^discovery$"), {"GET": Operation("discovery", _discovery, query=Open311Query)}),
    (re.compile(r"^services$"), {"GET": Operation("services", _services, query=Open311Query)}),
    (re.compile(r"^services/(?P<code>[^/]+)$"), {"GET": Operation("service_definition", _definition, query=Open311Query)}),
    (re.compile(r"^requests$"), {"GET": Operation("requests", _requests, query=Open311RequestsQuery),
                                 "POST": Operation("requests.create", _create, needs_key=True, query=Open311PostQuery)}),
    (re.compile(r"^requests/(?P<request_id>[^/]+)$"), {"GET": Operation("request", _request, query=Open311Query)}),
    (re.compile(r"^servicerequestupdates$"), {"GET": Operation("updates", _updates, query=Open311UpdatesQuery)}),
]


# ------------------------------------------------------------------ input
def _format(resource: str) -> tuple[str, str]:
    """(path without extension, format): ``.json`` / ``.xml``, else ``?format=``, else JSON."""
    head, dot, ext = resource.rpartition(".")
    if dot and "/" not in ext:
        if ext not in ("json", "xml"):
            raise Open311Failure(400, t("Unsupported format {ext}: use .json or .xml.", ext=ext[:10]))
        return head, ext
    fmt = request.args.get("format", "json")
    return resource, fmt if fmt in ("json", "xml") else "json"


def _route(path: str) -> tuple[Operation, dict]:
    for pattern, methods in ROUTES:
        match = pattern.match(path.strip("/"))
        if match:
            if request.method not in methods:
                allowed = ", ".join(sorted(methods))
                raise Open311Failure(405, t("Use {methods} here.", methods=allowed), headers={"Allow": allowed})
            return methods[request.method], match.groupdict()
    raise Open311Failure(404, t("No such Open311 resource: {path}", path=path[:80]))


def _query(schema: type) -> dict:
    # A parameter the spec lets clients repeat ("can be declared multiple times") is joined with commas.
    raw = {key: ",".join(request.args.getlist(key)) for key in request.args}
    return schema().load({k: v for k, v in raw.items() if v != ""})  # an empty parameter is no parameter


def _form() -> tuple[dict, dict[str, str], list]:
    """The POST body: spec fields (checked by Open311RequestIn), ``attribute[code]=value`` answers, and in a
    multipart body one photo under ``media`` (checked by content: a renamed program is refused)."""
    if request.mimetype not in ("application/x-www-form-urlencoded", "multipart/form-data"):
        raise Open311Failure(400, t("Send the request as application/x-www-form-urlencoded (or multipart/form-data)."))
    pictures = []
    if request.mimetype == "multipart/form-data":
        if set(request.files) - {MEDIA_FIELD}:
            raise Open311Failure(400, t("Send one photo, under the field media."))
        pictures = media.photos_from_request(MEDIA_FIELD, max_count=1)
    fields: dict[str, str] = {}
    attributes: dict[str, str] = {}
    errors: dict[str, list[str]] = {}
    for key in request.form:
        value = request.form.getlist(key)[-1]
        match = _ATTRIBUTE.match(key)
        if match is None:
            if value != "":
                fields[key] = value
            continue
        code = match.group(1)
        if match.group(2) or not re.fullmatch(r"[a-z][a-z0-9_]{0,31}", code):
            errors[key[:50]] = ["No such attribute."]
            continue
        try:
            attributes[code] = _ATTRIBUTE_VALUE.deserialize(value)
        except ValidationError as e:
            errors[key] = e.messages
    if errors:
        raise invalid(errors)
    return Open311RequestIn().load(fields), {k: v for k, v in attributes.items() if v != ""}, pictures


def _api_key() -> str | None:
    key = (request.form.get("api_key") if request.method == "POST" else None) or request.args.get("api_key")
    return key or None


# ------------------------------------------------------------------ the one view
BAD_KEYS_PER_MINUTE = 20  # failed keys per address: guessing is hopeless anyway, but each costs a lookup


@bp.route("", defaults={"resource": ""}, methods=[*METHODS, "OPTIONS"], provide_automatic_options=False)
@bp.route("/", defaults={"resource": ""}, methods=[*METHODS, "OPTIONS"], provide_automatic_options=False)
@bp.route("/<path:resource>", methods=[*METHODS, "OPTIONS"], provide_automatic_options=False)
def dispatch(resource: str):
    fmt, client, op = "json", None, None
    if request.method == "OPTIONS":
        return _options(resource)
    try:
        if resource.startswith("media/"):  # a photo link, never a .json/.xml resource: a wrong one is just absent
            return _photo(resource)
        path, fmt = _format(resource)
        op, params = _route(path)
        if request.method == "POST" and request.mimetype == "multipart/form-data":
            media.accept_uploads(max_count=1)  # before anything reads the body: room for one photo
        key = _api_key()
        if key is None:
            public_read(request.remote_addr)
        write = request.method == "POST" or key is not None  # a client's every call is audited
        with unit_of_work(write=write) as session:
            if key is not None or op.needs_key:
                client = _authenticate(session, key)
            args = _query(op.query)
            args.pop("api_key", None), args.pop("format", None)
            payload, root = op.run(session, client, args, **params)
            status = 201 if request.method == "POST" else 200
            if client is not None:
                _audit(session, client, op, status, count=len(payload) if isinstance(payload, list) else None)
                partners.touch(session, client)
        return respond(payload, root, fmt, status)
    except Exception as e:  # noqa: BLE001 - every failure leaves in the spec's list form
        status, descriptions, headers = _failure(e)
        _audit_failure(e, client, op, status, descriptions)
        body = [{"code": status, "description": d} for d in descriptions]
        return respond(body, "errors", fmt, status, headers)


def _options(resource: str):
    """``OPTIONS``: the methods this resource really has (Flask's own answer would list every method of
    the one view that routes them all)."""
    methods = ["GET"] if _MEDIA.match(resource) else None
    if methods is None:
        path = resource.rsplit(".", 1)[0] if resource.rsplit(".", 1)[-1] in ("json", "xml") else resource
        methods = next((sorted(m) for pattern, m in ROUTES if pattern.match(path.strip("/"))), [])
    if not methods:
        return respond([{"code": 404, "description": t("No such Open311 resource: {path}", path=resource[:80])}],
                       "errors", "json", 404)
    return Response(status=204, headers={"Allow": ", ".join([*methods, "HEAD", "OPTIONS"])})


def _photo(resource: str):
    """``media/<photo id>.<ext>?expires=…&signature=…``: the photo behind a ``media_url`` (photos.py)."""
    if request.method != "GET":
        raise Open311Failure(405, t("Use {methods} here.", methods="GET"), headers={"Allow": "GET"})
    public_read(request.remote_addr)
    gone = Open311Failure(404, t("The requested resource does not exist or is not visible to you."))
    if (match := _MEDIA.match(resource)) is None:
        raise gone
    photo_id = int(match.group(1))
    if not photos.valid(photo_id, request.args.get("expires"), request.args.get("signature")):
        raise gone
    with unit_of_work(write=False) as session:
        photo = service.photo(session, photo_id=photo_id)
        if photo is None or not resource.endswith("." + photo.key.rsplit(".", 1)[1]):
            raise gone
        return media.send_photo(photo.key, content_type=photo.content_type)


def _authenticate(session, key: str | None) -> ClientPrincipal:
    bad_keys = (f"open311:bad-key:{request.remote_addr}", BAD_KEYS_PER_MINUTE, 60)
    enforce(bad_keys, hit=False)
    try:
        client = partners.authenticate(session, key)
    except Forbidden:
        enforce(bad_keys)
        raise
    enforce((f"open311:client:{client.api_client_id}", current_app.config["OPEN311_LIMIT_PER_CLIENT"], 60))
    return client


def _audit_failure(e: Exception, client: ClientPrincipal | None, op: Operation | None, status: int,
                   descriptions: list[str]) -> None:
    """A failed call by a client is on record too (its own unit of work: the call's writes were undone),
    and so is the use of a revoked or expired client's key, under that client."""
    refused = getattr(e, "api_client", None)
    if op is None or (client is None and refused is None):
        return
    with unit_of_work(write=True) as session:
        if client is not None:
            _audit(session, client, op, status, error=descriptions[0] if descriptions else None)
        else:
            record(session, actor=refused, action=f"open311.{op.name}.refused", area_path=refused.area_path,
                   detail={"reason": e.type, "path": request.path[:200]})


def _audit(session, client: ClientPrincipal, op: Operation, status: int, *, count: int | None = None,
           error: str | None = None) -> None:
    detail = {"status": status, "path": request.path[:200]}
    if count is not None:
        detail["count"] = count
    if error is not None:
        detail["error"] = error[:200]
    resource_id = g.get("open311_case_id")
    record(session, actor=client, action=f"open311.{op.name}", resource_type="case" if resource_id else None,
           resource_id=resource_id, area_path=client.area_path, detail=detail)


def _failure(e: Exception) -> tuple[int, list[str], dict]:
    """(HTTP status, descriptions, headers) in the spec's terms: 404 not found, 403 the key, 400 the rest."""
    if isinstance(e, Open311Failure):
        return e.status, e.descriptions, e.headers
    if isinstance(e, ValidationError):
        return 400, _flatten(e.messages if isinstance(e.messages, dict) else {"_": e.messages}), {}
    if isinstance(e, Problem):
        status = {422: 400, 409: 400, 412: 400, 415: 400}.get(e.status, e.status)
        if e.errors:
            return status, _flatten(e.errors), e.headers
        return status, [t(e.detail or HTTPStatus(e.status).phrase, **e.params)], e.headers
    if isinstance(e, RequestEntityTooLarge):
        return 413, [t("The request body exceeds {limit} bytes.", limit=current_app.config.get("MAX_CONTENT_LENGTH"))], {}
    if isinstance(e, HTTPException):
        return e.code or 400, [t(HTTPStatus(e.code or 400).phrase)], {}
    log.exception("open311 failure", exc_info=e)
    return 500, [t("Something went wrong on our side. It has been logged.")], {}


def _flatten(problems: dict, prefix: str = "") -> list[str]:
    out: list[str] = []
    for field, value in problems.items():
        name = f"{prefix}{field}"
        if isinstance(value, dict):
            out += _flatten(value, f"{name}.")
        else:
            for message in value if isinstance(value, list) else [value]:
                out.append(f"{name}: {t(message)}" if field != "_" else t(message))
    return out or [t("Some fields are invalid.")]

