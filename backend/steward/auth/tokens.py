"""flask-jwt-extended wiring: every token is checked against its live session and user, and an
account whose password was set by staff may do nothing but choose its own (see ``password_change_allowed``)."""
from __future__ import annotations

from flask import current_app, g, request

from ..core.errors import Forbidden
from ..core.http import api_meta
from ..db import db
from ..extensions import jwt
from .service import session_is_live


def password_change_allowed(func):
    """The method stays open while the account must change its password (GET /me, POST /me/password,
    sign-out, token refresh); every other authenticated method answers 403 password-change-required."""
    api_meta(func)["password_change_allowed"] = True
    return func


def _allowed_while_password_expired() -> bool:
    view = current_app.view_functions.get(request.endpoint or "")
    method = getattr(getattr(view, "view_class", None), request.method.lower(), None)
    return bool(method is not None and getattr(method, "__api__", {}).get("password_change_allowed"))


@jwt.token_in_blocklist_loader
def _revoked(_header: dict, payload: dict) -> bool:
    if payload.get("typ") == "client":  # an API client's OAuth2 token: its row is re-read instead
        from ..partners import oauth

        client, refused = oauth.live_client(db.session, payload)
        g.jwt_user, g.api_client_refused = client, refused
        return client is None
    user = session_is_live(db.session, payload.get("sid"), int(payload["sub"]))
    g.jwt_user = user
    return user is None


@jwt.user_lookup_loader
def _load_user(_header: dict, payload: dict):
    user = g.pop("jwt_user", None)
    if payload.get("typ") == "client":
        from ..partners import oauth

        oauth.admit(user)
        return user
    if user is not None and user.must_change_password and not _allowed_while_password_expired():
        raise Forbidden("Change your password before you continue.", type="password-change-required")
    return user
