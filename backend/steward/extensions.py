"""Every extension is created once here and bound to the app with ``init_app``."""
import time

from flask import Blueprint, current_app
from flask_jwt_extended import JWTManager
from flask_jwt_extended import view_decorators as _view_decorators

from .core.http import StewardApi
from .core.ratelimit import MemoryLimiter
from .db import db  # noqa: F401  (re-exported)


class StewardJWTManager(JWTManager):
    """Remembers tokens it has verified. flask-jwt-extended parses a token four times per request and
    PyJWT checks base64 character by character (~10 % of a simple request). A token seen before, with
    the same key, is the same claims: they are reused until a second before the token expires (then the
    full check runs and refuses it). Only decoding is saved: the session check still runs every request
    (token_in_blocklist_loader)."""

    MAX_TOKENS = 4096

    def __init__(self, app=None, add_context_processor: bool = False) -> None:
        super().__init__(app, add_context_processor)
        self._verified: dict[tuple, dict] = {}

    def _decode_jwt_from_config(self, encoded_token: str, csrf_value=None, allow_expired: bool = False) -> dict:
        if csrf_value is not None or allow_expired:
            return super()._decode_jwt_from_config(encoded_token, csrf_value, allow_expired)
        key = (current_app.config["JWT_SECRET_KEY"], encoded_token)
        claims = self._verified.get(key)
        if claims is not None and claims.get("exp", 0) > time.time() + 1:
            return dict(claims)
        claims = super()._decode_jwt_from_config(encoded_token)
        if len(self._verified) >= self.MAX_TOKENS:
            self._verified.clear()
        self._verified[key] = dict(claims)
        return claims


jwt = StewardJWTManager()


def _remembered_headers(fn):
    """flask-jwt-extended reads a token's (unverified) header before verifying it: a pure function of the
    token string, so it is remembered like the claims (bounded)."""
    seen: dict[str, dict] = {}

    def headers(encoded_token: str) -> dict:
        found = seen.get(encoded_token)
        if found is None:
            found = fn(encoded_token)
            if len(seen) >= StewardJWTManager.MAX_TOKENS:
                seen.clear()
            seen[encoded_token] = found
        return dict(found)

    return headers


_view_decorators.get_unverified_jwt_headers = _remembered_headers(_view_decorators.get_unverified_jwt_headers)
limiter = MemoryLimiter()
api_blueprint = Blueprint("api", __name__, url_prefix="/api/v1")
api = StewardApi(title="Steward API", version="1.0", doc=False,
                 description="红管家 Steward — the residents' committee in your pocket.")
# restx's own Swagger 2.0 document is switched off: ours is OpenAPI 3, written by steward.openapi.
api.init_app(api_blueprint, add_specs=False)
