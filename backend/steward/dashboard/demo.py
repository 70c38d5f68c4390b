"""Demo followers (关注用户), so the dashboard's coverage is a real figure: 70% of the households that have
residents in the demo town have an account of one of them, and in 沙港湾 — whose 红管家 counts its followers
at 70% of households — 70% of all its households do (a follower of a household nobody was generated for
is a new resident of it). These accounts cannot sign in (no password was ever set: the stored hash is not
one); the eight demo accounts are the ones to use."""
from __future__ import annotations

import random
from datetime import timedelta

from sqlalchemy import func, select

from ..areas.models import Area, AreaKind, Household
from ..db import utcnow
from ..people.models import Resident, Role, User

SHARE = 0.7
WHOLE = "SGW"  # 沙港湾: 70% of all its households
NO_PASSWORD = "!no-password: demo follower"  # not an argon2 hash: verify_password answers False


def seed_followers(session, *, privacy_version: str = "2026-11") -> int:
    rng = random.Random(859)
    now = utcnow()
    linked = select(Resident.household_id).join(User, User.resident_id == Resident.id)
    first = (select(Resident.household_id, func.min(Resident.id).label("rid"))
             .where(Resident.household_id.not_in(linked)).group_by(Resident.household_id).subquery())
    residents = session.scalars(select(Resident).join(first, Resident.id == first.c.rid).order_by(Resident.id)).all()
    communities = {a.path: a for a in session.scalars(select(Area).where(Area.kind == AreaKind.COMMUNITY))}
    made = 0
    for n, resident in enumerate(residents):
        if rng.random() >= SHARE:
            continue
        community = communities.get("/".join(resident.area_path.split("/")[:3]) + "/")
        if community is None:
            continue
        joined = now - timedelta(days=rng.uniform(1, 365) if rng.random() < 0.8 else rng.uniform(1, 56))
        session.add(User(phone=f"137{n:08d}", name=resident.name, role=Role.RESIDENT, area_id=community.id,
                         area_path=community.path, password_hash=NO_PASSWORD, resident_id=resident.id,
                         privacy_version=privacy_version, privacy_accepted_at=joined, created_at=joined))
        made += 1
    session.flush()
    return made + _whole_community(session, rng, communities, privacy_version, start=len(residents))


def _whole_community(session, rng: random.Random, communities: dict, privacy_version: str, *, start: int) -> int:
    from ..demo.seed import _known_digests, _new_resident, _person

    community = next((c for c in communities.values() if c.code == WHOLE), None)
    if community is None:
        return 0
    households = session.scalars(select(Household).where(Household.area_path.startswith(community.path))
                                 .order_by(Household.id)).all()
    covered = set(session.scalars(select(Resident.household_id).join(User, User.resident_id == Resident.id)
                                  .where(Resident.area_path.startswith(community.path))))
    missing = round(len(households) * SHARE) - len(covered)
    used = _known_digests(session)
    now = utcnow()
    made = 0
    for n, household in enumerate(h for h in households if h.id not in covered):
        if made >= missing:
            break
        person = _new_resident(session, rng, household, _person(rng, born=(1950, 2000)), [], used)
        session.flush()
        joined = now - timedelta(days=rng.uniform(1, 365))
        session.add(User(phone=f"136{start + n:08d}", name=person.name, role=Role.RESIDENT, area_id=community.id,
                         area_path=community.path, password_hash=NO_PASSWORD, resident_id=person.id,
                         privacy_version=privacy_version, privacy_accepted_at=joined, created_at=joined))
        made += 1
    session.flush()
    return made
