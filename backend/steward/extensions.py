"""Every extension is created once here and bound to the app with ``init_app``."""
from flask import Blueprint
from flask_jwt_extended import JWTManager

from .core.http import StewardApi
from .core.ratelimit import MemoryLimiter
from .db import db  # noqa: F401  (re-exported)

jwt = JWTManager()
limiter = MemoryLimiter()
api_blueprint = Blueprint("api", __name__, url_prefix="/api/v1")
api = StewardApi(title="Steward API", version="1.0", doc=False,
                 description="红管家 Steward — the residents' committee in your pocket.")
# restx's own Swagger 2.0 document is switched off: ours is OpenAPI 3, written by steward.openapi.
api.init_app(api_blueprint, add_specs=False)
