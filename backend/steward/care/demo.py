"""Demo care pairs: the 丽水湾 volunteer and volunteer team, and 庄行新苑's team, with six weeks of visits."""
from __future__ import annotations

import random
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..alliances.models import Unit, UnitKind
from ..areas.models import Area, Household
from ..db import utcnow
from ..people.models import Resident, ResidentTag, Role, Tag, User
from .models import CarePair, CareVisit, VisitKind

NOTES = {VisitKind.VISIT: ["陪老人聊天，身体状况良好。", "检查了燃气和电器，提醒注意安全。", "老人说最近腿脚不便，已告知居委。"],
         VisitKind.LUNCH: ["送爱心午餐一份。", "送午餐，老人胃口不错。"],
         VisitKind.HAIRCUT: ["上门理发。"],
         VisitKind.SHOPPING: ["代购降压药和日用品。", "代买米和油。"],
         VisitKind.ESCORT: ["陪同去社区卫生服务中心复诊。"]}
MINUTES = {VisitKind.VISIT: (20, 60), VisitKind.LUNCH: (10, 20), VisitKind.HAIRCUT: (30, 45),
           VisitKind.SHOPPING: (40, 90), VisitKind.ESCORT: (90, 180)}


def seed_care(session: Session) -> int:
    rng = random.Random(20261128)
    now = utcnow()
    lsw = session.scalar(select(Area).where(Area.code == "LSW"))
    zxxy = session.scalar(select(Area).where(Area.code == "ZXXY"))
    team = session.scalar(select(Unit).where(Unit.kind == UnitKind.VOLUNTEER_TEAM, Unit.area_path == lsw.path))
    zxxy_team = session.scalar(select(Unit).where(Unit.kind == UnitKind.VOLUNTEER_TEAM, Unit.area_path == zxxy.path))
    if zxxy_team is None:
        zxxy_team = Unit(area_id=zxxy.id, area_path=zxxy.path, kind=UnitKind.VOLUNTEER_TEAM,
                         name="庄行新苑红管家志愿者服务队", contact_name="顾建平", contact_phone="021-57460103",
                         description="结对关爱：爱心午餐、上门理发、代购")
        session.add(zxxy_team)
        session.flush()
    volunteer = session.scalar(select(User).where(User.role == Role.VOLUNTEER, User.area_path.startswith(lsw.path)))
    staff = session.scalar(select(User).where(User.role == Role.STAFF, User.area_path == lsw.path))
    made = 0
    plans = [(volunteer, None, volunteer.area_path if volunteer else lsw.path, 4),
             (None, team, lsw.path, 10), (None, zxxy_team, zxxy.path, 8)]
    for person, unit, within, count in plans:
        households = session.scalars(
            select(Household).join(Resident, Resident.household_id == Household.id)
            .join(ResidentTag, ResidentTag.resident_id == Resident.id)
            .where(ResidentTag.tag.in_((Tag.ELDERLY_ALONE, Tag.HARDSHIP)), Household.area_path.startswith(within))
            .order_by(Household.id).distinct().limit(count * 3)).all()
        for household in rng.sample(households, k=min(count, len(households))):
            started = now - timedelta(days=rng.randint(45, 400))
            pair = CarePair(household_id=household.id, volunteer_id=person.id if person else None,
                            unit_id=unit.id if unit else None, area_path=household.area_path, started_at=started,
                            note=rng.choice(["每周送一次爱心午餐", "每月上门理发", "每周电话问候、两周上门探访"]),
                            created_by_id=staff.id if staff else None)
            session.add(pair)
            session.flush()
            overdue = made % 7 == 3  # a few households nobody visited lately, for the flag
            day = now - timedelta(days=42)
            last = None
            # an overdue household's last visit stays more than 14 days back, so the flag shows in the demo
            until = now - timedelta(days=16) if overdue else now
            while day < now - timedelta(days=16 if overdue else 1):
                day += timedelta(days=rng.uniform(3, 9))
                if day >= until:
                    break
                kind = rng.choices(list(VisitKind), weights=[40, 30, 8, 15, 7])[0]
                session.add(CareVisit(pair_id=pair.id, volunteer_id=pair.volunteer_id, unit_id=pair.unit_id,
                                      kind=kind, minutes=rng.randint(*MINUTES[kind]), note=rng.choice(NOTES[kind]),
                                      visited_at=day, area_path=pair.area_path, created_at=day))
                pair.visits_count += 1
                last = day
            pair.last_visit_at = last
            made += 1
    session.flush()
    return made
