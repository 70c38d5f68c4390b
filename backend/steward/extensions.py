"""Every extension is created once here and bound to the app with ``init_app``."""
from flask import Blueprint
from flask_jwt_extended import JWTManager

from .core.http import StewardApi
from .core.ratelimit import MemoryLimiter
from .db import db  # noqa: F401  (re-exported)

jwt = JWTManager()
limiter = MemoryLimiter()
api_blueprint = Blueprint("api", __name__, url_prefix="/api/v1")
api = StewardApi(api_blueprint, title="Steward API", version="1.0", doc=False, add_specs=False,
                 description="红管家 Steward — the residents' committee in your pocket.")
