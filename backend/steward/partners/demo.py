"""The demo API client: 丽水湾物业服务中心's system, with a fixed key printed by ``make run``.

Created only when the demo town is seeded (``seed-demo``), never by migrations or in production. The
key is public (README, Makefile): anyone running the demo may use it."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..alliances.models import Unit
from ..people.models import User
from . import keys
from .models import ApiClient
from .principal import DEFAULT_SCOPES

DEMO_CLIENT_ID = "demo_lsw_property"
DEMO_SECRET = "Open311-demo-key-LSW-2026"
DEMO_API_KEY = keys.join(DEMO_CLIENT_ID, DEMO_SECRET)
DEMO_UNIT = "丽水湾物业服务中心"


def seed_clients(session: Session) -> str | None:
    """Add the demo client if it is missing (idempotent); says what it did, or None."""
    if session.scalar(select(ApiClient.id).where(ApiClient.client_id == DEMO_CLIENT_ID)) is not None:
        return None
    unit = session.scalar(select(Unit).where(Unit.name == DEMO_UNIT))
    if unit is None:
        return None
    staff = session.scalar(select(User.id).where(User.phone == "13800000002"))
    session.add(ApiClient(client_id=DEMO_CLIENT_ID, secret_hash=keys.hash_secret(DEMO_CLIENT_ID, DEMO_SECRET),
                          name="丽水湾物业 报修系统（演示）", unit_id=unit.id, area_path=unit.area_path,
                          scopes=list(DEFAULT_SCOPES), created_by_id=staff))
    session.flush()
    return "1 demo API client"
