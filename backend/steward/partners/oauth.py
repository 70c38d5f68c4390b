"""OAuth2 client credentials (RFC 6749 §4.4): an API client trades its id and secret for a short-lived
JWT, then calls the partner-facing routes with ``Authorization: Bearer``.

Hand-written glue rather than Authlib's server: the grant is one form POST, and Authlib's Flask server
wants its own client and token models (a ``query_client`` + ``save_token`` store), while our tokens are
flask-jwt-extended JWTs checked against the ``api_clients`` row on every request. What we keep from the
RFC: form-encoded parameters, credentials by HTTP Basic (§2.3.1, each part form-urlencoded) *or* in the
body (never both), the error JSON (§5.2) with ``invalid_client`` as 401 + ``WWW-Authenticate``,
``Cache-Control: no-store``, and a requested ``scope`` that must be a subset of the client's scopes.

A token carries the client (``sub`` = client_id, ``cid`` = row id), its ``scope`` and the generation of
the secret it was issued with (``gen``). Each request re-reads the client's row (one indexed statement,
:func:`live_client`): a revoked or expired client, an inactive unit, or a secret rotated out after its
overlap window is refused on the very next request, whatever the token's own expiry says.
"""
from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import unquote_plus

from flask import Response, current_app, g, request
from flask_jwt_extended import create_access_token
from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from ..alliances.models import Unit
from ..audit.service import record
from ..core.errors import Forbidden
from ..core.http import dumps
from ..core.ratelimit import enforce
from ..db import unit_of_work, utcnow
from . import keys
from .models import ApiClient
from .principal import SCOPES, ClientPrincipal
from .service import principal_of, secret_generation, touch

TOKEN_TYPE = "client"
GRANT = "client_credentials"
FORM = "application/x-www-form-urlencoded"
FAILURES_PER_MINUTE = 20  # refused credentials per address


@dataclass
class OAuthError(Exception):
    """An RFC 6749 §5.2 error: ``{"error": code, "error_description": text}``."""

    error: str
    description: str
    status: int = 400
    basic: bool = False  # the client tried HTTP Basic: the challenge names that scheme

    def response(self) -> Response:
        headers = {"Cache-Control": "no-store", "Pragma": "no-cache"}
        if self.status == 401:
            headers["WWW-Authenticate"] = 'Basic realm="steward", charset="UTF-8"' if self.basic \
                else 'Basic realm="steward"'
        body = {"error": self.error, "error_description": self.description}
        return Response(dumps(body), status=self.status, mimetype="application/json", headers=headers)


def _param(name: str) -> str | None:
    values = request.form.getlist(name)
    if len(values) > 1:  # §3.2: "Request and response parameters MUST NOT be included more than once."
        raise OAuthError("invalid_request", f"The parameter {name} is repeated.")
    return values[0] if values else None


def _credentials() -> tuple[str, str, bool]:
    """``(client_id, client_secret, by_basic)`` from HTTP Basic or the body (§2.3.1), never both."""
    header = request.headers.get("Authorization", "")
    body_id, body_secret = _param("client_id"), _param("client_secret")
    if header:
        scheme, _, value = header.partition(" ")
        if scheme.lower() != "basic":
            raise OAuthError("invalid_client", "Authenticate with HTTP Basic or client_id and client_secret.", 401)
        if body_secret is not None:
            raise OAuthError("invalid_request", "Send the client credentials once: HTTP Basic or the body.")
        try:
            decoded = base64.b64decode(value.strip(), validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError, ValueError):
            raise OAuthError("invalid_client", "Malformed HTTP Basic credentials.", 401, basic=True) from None
        client_id, sep, secret = decoded.partition(":")
        if not sep:
            raise OAuthError("invalid_client", "Malformed HTTP Basic credentials.", 401, basic=True)
        return unquote_plus(client_id), unquote_plus(secret), True
    if not body_id or not body_secret:
        raise OAuthError("invalid_client", "Client authentication is required.", 401)
    return body_id, body_secret, False


def _scopes(requested: str | None, granted: list[str]) -> list[str]:
    if requested is None or requested.strip() == "":
        return sorted(granted)
    asked = requested.split(" ")
    if any(s not in SCOPES for s in asked) or not set(asked) <= set(granted):
        raise OAuthError("invalid_scope", "The requested scope is unknown or exceeds the client's scopes.")
    return sorted(set(asked))


def token_seconds() -> int:
    return int(current_app.config.get("OAUTH_TOKEN_SECONDS", 900))


def issue_token(session: Session) -> Response:
    """The token endpoint. Answers a Response (RFC 6749 JSON, not problem+json), so that the unit of work
    commits the audit row of a refusal too."""
    ip = request.remote_addr
    failures = (f"oauth:bad-client:{ip}", FAILURES_PER_MINUTE, 60)
    enforce(failures, hit=False)
    client = None
    try:
        if request.mimetype != FORM:
            raise OAuthError("invalid_request", f"Send the parameters as {FORM}.")
        grant = _param("grant_type")
        if not grant:
            raise OAuthError("invalid_request", "The parameter grant_type is missing.")
        client_id, secret, basic = _credentials()
        if grant != GRANT:
            raise OAuthError("unsupported_grant_type", "Only grant_type=client_credentials is supported.")
        now = utcnow()
        shaped = keys.CLIENT_ID_RX.match(client_id) and keys.SECRET_RX.match(secret)
        client = session.scalar(select(ApiClient).where(ApiClient.client_id == client_id)) if shaped else None
        generation = secret_generation(client, client_id if shaped else "x" * 8, secret if shaped else "x" * 43, now)
        if generation is None:
            enforce(failures)
            client = None
            raise OAuthError("invalid_client", "Unknown client or wrong secret.", 401, basic=basic)
        if not client.active_at(now) or not client.unit.is_active:
            enforce(failures)
            raise OAuthError("invalid_client", "This client has been revoked or has expired.", 401, basic=basic)
        scopes = _scopes(_param("scope"), list(client.scopes or ()))
    except OAuthError as e:
        if client is not None:
            record(session, actor=principal_of(client), action="oauth.token.refused", resource_type="api_client",
                   resource_id=client.id, area_path=client.area_path, detail={"error": e.error})
        return e.response()
    seconds = token_seconds()
    token = create_access_token(identity=client.client_id, expires_delta=timedelta(seconds=seconds),
                                additional_claims={"typ": TOKEN_TYPE, "cid": client.id, "scope": " ".join(scopes),
                                                   "gen": generation})
    principal = principal_of(client)
    record(session, actor=principal, action="oauth.token", resource_type="api_client", resource_id=client.id,
           area_path=client.area_path, detail={"scope": scopes, "secret_version": generation})
    touch(session, principal, now=now)
    body = {"access_token": token, "token_type": "Bearer", "expires_in": seconds, "scope": " ".join(scopes)}
    return Response(dumps(body), status=200, mimetype="application/json",
                    headers={"Cache-Control": "no-store", "Pragma": "no-cache"})


# ------------------------------------------------------------------ every request with a client token
# One statement per request, built once (SQLAlchemy caches its compiled form).
_LIVE = (select(ApiClient.id, ApiClient.client_id, ApiClient.name, ApiClient.unit_id, ApiClient.area_path,
                ApiClient.scopes, ApiClient.revoked_at, ApiClient.expires_at, ApiClient.secret_version,
                ApiClient.previous_secret_expires_at, Unit.is_active.label("unit_active"))
         .join(Unit, Unit.id == ApiClient.unit_id)
         .where(ApiClient.id == bindparam("cid")))


def live_client(session: Session, claims: dict) -> tuple[ClientPrincipal | None, ClientPrincipal | None]:
    """``(principal, refused)``: the client behind a valid token if it may still act, else ``(None, who)``
    with ``who`` the client it was (for the audit log), or ``(None, None)`` for an unknown one."""
    cid = claims.get("cid")
    if not isinstance(cid, int):
        return None, None
    row = session.connection().execute(_LIVE, {"cid": cid}).first()
    if row is None or row.client_id != claims.get("sub"):
        return None, None
    now = utcnow()
    scopes = frozenset(str(claims.get("scope", "")).split()) & frozenset(row.scopes or ())
    who = ClientPrincipal(api_client_id=row.id, client_id=row.client_id, name=row.name, unit_id=row.unit_id,
                          area_path=row.area_path, scopes=scopes)
    gen = claims.get("gen")
    current = gen == row.secret_version
    overlapping = gen == row.secret_version - 1 and row.previous_secret_expires_at is not None \
        and row.previous_secret_expires_at > now
    live = row.revoked_at is None and (row.expires_at is None or row.expires_at > now) and row.unit_active \
        and (current or overlapping)
    return (who, None) if live else (None, who)


def client_scope_of_view() -> str | None:
    """The scope the current route asks of API clients (``@client_scope``), or ``None`` when closed to them."""
    view = current_app.view_functions.get(request.endpoint or "")
    method = getattr(getattr(view, "view_class", None), request.method.lower(), None)
    if method is None and request.method == "HEAD":
        method = getattr(getattr(view, "view_class", None), "get", None)
    return getattr(method, "__api__", {}).get("client_scope") if method is not None else None


def admit(principal: ClientPrincipal) -> None:
    """A live client on this route: only routes marked for clients, with the scope they ask."""
    g.api_client = principal
    scope = client_scope_of_view()
    if scope is None:
        raise Forbidden("API clients may not call this route.", type="client-not-allowed")
    principal.require_scope(scope)


def audit_call(principal: ClientPrincipal, status: int, *, refused: bool = False) -> None:
    """Every call of a client with a token, in a unit of work of its own (after the call's, which may have
    rolled back): method, path and the answer's status."""
    with unit_of_work(write=True) as session:
        record(session, actor=principal, action="api.call.refused" if refused else "api.call",
               resource_type="api_client", resource_id=principal.api_client_id, area_path=principal.area_path,
               detail={"method": request.method, "path": request.path[:200], "status": status})
        if not refused:
            touch(session, principal)
