"""API clients of alliance units: staff create them (the key is shown once), list and revoke them."""
from __future__ import annotations

from flask_jwt_extended import current_user
from flask_restx import Namespace

from ..core.http import Resource, body, errors, no_idempotency, openapi_override, public, query, response, roles, writes
from ..db import db
from ..extensions import api
from ..people.models import STAFF_ROLES
from . import messages, oauth, service  # noqa: F401  (messages: the Chinese strings of this domain)
from .schemas import TOKEN_DOC, ApiClientCreated, ApiClientIn, ApiClientOut, ApiClientQuery, RotateIn

WHO = (*STAFF_ROLES, "partner")  # a partner account: its own unit's clients (access.py)
ns = Namespace("api-clients", description="Keys for partner units' systems (Open311 api_key, OAuth2 client credentials)")
oauth_ns = Namespace("oauth", description="OAuth2 client-credentials tokens for API clients (RFC 6749 §4.4)")


class _Created:
    """A new client and its key, for the one answer that shows the secret."""

    def __init__(self, client, api_key: str) -> None:
        self._client = client
        self.api_key = api_key
        self.client_secret = api_key.partition(".")[2]

    def __getattr__(self, name: str):
        return getattr(self._client, name)


@ns.route("")
class ApiClientList(Resource):
    @roles(*WHO)
    @query(ApiClientQuery)
    @response(ApiClientOut, paginated=True)
    def get(self, args):
        """The API clients of the units in your area (community staff: your community's units; a partner account:
        its own unit's)."""
        return service.list_clients(db.session, user=current_user, **args)

    @roles(*WHO)
    @no_idempotency
    @body(ApiClientIn)
    @response(ApiClientCreated, 201)
    def post(self, data):
        """Create a client for a unit you manage (a partner account: its own unit). The answer holds its key — the
        only time it is shown."""
        client, api_key = service.create_client(db.session, user=current_user, data=data)
        return _Created(client, api_key), {"Location": api.url_for(ApiClientItem, client_id=client.id)}


@ns.route("/<int:client_id>")
class ApiClientItem(Resource):
    @errors(404)
    @response(ApiClientOut)
    def get(self, client_id):
        """One API client (staff of its area; for anyone else it does not exist)."""
        return service.get_client(db.session, user=current_user, client_id=client_id)


@ns.route("/<int:client_id>/revoke")
class ApiClientRevoke(Resource):
    @errors(404)
    @response(ApiClientOut)
    def post(self, client_id):
        """Revoke a client: its key is refused from the next request on (staff of its area)."""
        return service.revoke_client(db.session, user=current_user, client_id=client_id)


@ns.route("/<int:client_id>/rotate")
class ApiClientRotate(Resource):
    @no_idempotency
    @errors(404)
    @body(RotateIn)
    @response(ApiClientCreated)
    def post(self, client_id, data):
        """A new secret (shown once); the old one keeps working for `overlap_hours`, then is refused."""
        client, api_key = service.rotate_client(db.session, user=current_user, client_id=client_id, **data)
        return _Created(client, api_key)


@oauth_ns.route("/token")
class OAuthToken(Resource):
    @public
    @writes()
    @no_idempotency
    @openapi_override(**TOKEN_DOC)
    def post(self):
        """Trade an API client's id and secret for a short-lived access token (client credentials)."""
        return oauth.issue_token(db.session)


api.add_namespace(ns, "/api-clients")
api.add_namespace(oauth_ns, "/oauth")
