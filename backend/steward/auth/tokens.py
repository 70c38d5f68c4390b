"""flask-jwt-extended wiring: every token is checked against its live session and user."""
from __future__ import annotations

from flask import g

from ..db import db
from ..extensions import jwt
from .service import session_is_live


@jwt.token_in_blocklist_loader
def _revoked(_header: dict, payload: dict) -> bool:
    user = session_is_live(db.session, payload.get("sid"), int(payload["sub"]))
    g.jwt_user = user
    return user is None


@jwt.user_lookup_loader
def _load_user(_header: dict, payload: dict):
    return g.pop("jwt_user", None)
