"""Care pairs: pairing, visits, hours, and the households nobody visited lately."""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import and_, func, or_, select, update
from sqlalchemy import case as case_when
from sqlalchemy.orm import Session, joinedload

from ..alliances.models import Unit, UnitKind
from ..areas.models import Area, Household, Stairwell
from ..audit.service import record
from ..core.errors import Conflict, invalid
from ..core.pagination import Page, paginate
from ..db import utcnow
from ..notifications.service import kind, notify
from ..people.models import Resident, ResidentTag, Role, Tag, User
from ..scope import Principal, find_for, get_for, require, scoped, under
from .models import CarePair, CareVisit

PAIR_LOAD = (joinedload(CarePair.household).joinedload(Household.stairwell).joinedload(Stairwell.grid),
             joinedload(CarePair.household).joinedload(Household.stairwell).joinedload(Stairwell.community))
OVERDUE_DAYS = 14
NEEDS_CARE = (Tag.ELDERLY_ALONE, Tag.HARDSHIP)
N_OVERDUE = kind("care.overdue", "No visit for {days} days: {household}",
                 "{household} has had no logged visit for {days} days. Please arrange one.")
N_PAIRED = kind("care.paired", "You have been paired with {household}", "{note}")


def _overdue_since(now: datetime):
    return now - timedelta(days=OVERDUE_DAYS)


def _is_overdue(now: datetime):
    cutoff = _overdue_since(now)
    return and_(CarePair.active.is_(True), or_(CarePair.last_visit_at < cutoff,
                                               and_(CarePair.last_visit_at.is_(None), CarePair.started_at < cutoff)))


def list_pairs(session: Session, *, user: Principal, area_id: int | None = None, volunteer_id: int | None = None,
               unit_id: int | None = None, active: bool | None = True, overdue: bool | None = None,
               cursor: str | None, limit: int) -> Page[CarePair]:
    stmt = scoped(user, CarePair, *PAIR_LOAD)
    if area_id is not None:
        stmt = stmt.where(under(CarePair.area_path, get_for(session, user, Area, area_id).path))
    if volunteer_id is not None:
        stmt = stmt.where(CarePair.volunteer_id == volunteer_id)
    if unit_id is not None:
        stmt = stmt.where(CarePair.unit_id == unit_id)
    if active is not None:
        stmt = stmt.where(CarePair.active.is_(active))
    if overdue:
        stmt = stmt.where(_is_overdue(utcnow()))
    return paginate(session, stmt, keys=[CarePair.id], cursor=cursor, limit=limit)


def get_pair(session: Session, *, user: Principal, pair_id: int, action: str = "read") -> CarePair:
    return get_for(session, user, CarePair, pair_id, action, *PAIR_LOAD)


def needs_care(session: Session, household_id: int) -> bool:
    return session.scalar(select(func.count()).select_from(ResidentTag).join(Resident).where(
        Resident.household_id == household_id, ResidentTag.tag.in_(NEEDS_CARE))) > 0


def create_pair(session: Session, *, user: Principal, household_id: int, volunteer_id: int | None = None,
                unit_id: int | None = None, note: str | None = None) -> CarePair:
    """Pair a volunteer, or a volunteer team, with a household of 独居老人 or 困难家庭."""
    if (volunteer_id is None) == (unit_id is None):
        raise invalid({"volunteer_id": ["Pick a volunteer or a volunteer team (one of the two)."]})
    household = find_for(session, user, Household, household_id)
    if household is None:
        raise invalid({"household_id": ["No such household."]})
    pair = CarePair(household_id=household.id, area_path=household.area_path, note=note, created_by_id=user.id)
    require(user, "edit", pair)
    if not needs_care(session, household.id):
        raise invalid({"household_id": ["Only households with an elderly person living alone or in hardship "
                                        "are paired."]})
    community = "/".join(household.area_path.split("/")[:3]) + "/"
    if volunteer_id is not None:
        volunteer = session.scalar(select(User).where(User.id == volunteer_id, User.role == Role.VOLUNTEER,
                                                      User.is_active.is_(True)))
        if volunteer is None or not volunteer.area_path.startswith(community):
            raise invalid({"volunteer_id": ["Pick an active volunteer of this community."]})
        pair.volunteer_id = volunteer.id
    else:
        unit = find_for(session, user, Unit, unit_id)
        if unit is None or unit.kind != UnitKind.VOLUNTEER_TEAM or not unit.is_active \
                or not community.startswith(unit.area_path):
            raise invalid({"unit_id": ["Pick an active volunteer team serving this community."]})
        pair.unit_id = unit.id
    clash = session.scalar(select(CarePair.id).where(
        CarePair.household_id == household.id, CarePair.active.is_(True),
        CarePair.volunteer_id == pair.volunteer_id if pair.volunteer_id else CarePair.unit_id == pair.unit_id))
    if clash is not None:
        raise Conflict("They are already paired with this household.", type="already-paired")
    session.add(pair)
    session.flush()
    record(session, actor=user, action="care.pair", resource_type="care_pair", resource_id=pair.id,
           area_path=pair.area_path, detail={"volunteer_id": pair.volunteer_id, "unit_id": pair.unit_id})
    notify(session, user_ids=[pair.volunteer_id], kind=N_PAIRED, subject_type="care_pair", subject_id=pair.id,
           params={"household": household.address, "note": note or ""}, skip=user.id)
    return get_pair(session, user=user, pair_id=pair.id)


def end_pair(session: Session, *, user: Principal, pair: CarePair, reason: str) -> CarePair:
    if not pair.active:
        raise Conflict("This pair has already ended.", type="pair-ended")
    pair.active, pair.ended_at, pair.end_reason = False, utcnow(), reason
    record(session, actor=user, action="care.unpair", resource_type="care_pair", resource_id=pair.id,
           area_path=pair.area_path, detail={"reason": reason})
    return pair


def log_visit(session: Session, *, user: Principal, pair: CarePair, kind: str, minutes: int,
              note: str | None = None, visited_at: datetime | None = None) -> CareVisit:
    """A visit logged from the phone (three taps: kind, minutes, save)."""
    now = utcnow()
    visited_at = visited_at or now
    if visited_at > now + timedelta(minutes=5):
        raise invalid({"visited_at": ["A visit cannot be in the future."]})
    if visited_at < now - timedelta(days=30):
        raise invalid({"visited_at": ["Log visits within 30 days; ask the committee for older ones."]})
    volunteer_id = user.id if user.role == Role.VOLUNTEER else pair.volunteer_id
    visit = CareVisit(pair_id=pair.id, volunteer_id=volunteer_id, unit_id=pair.unit_id, kind=kind, minutes=minutes,
                      note=note, visited_at=visited_at, area_path=pair.area_path)
    session.add(visit)
    # One statement, safe when two visits are logged at once: count up, keep the latest time.
    session.execute(update(CarePair).where(CarePair.id == pair.id).values(
        visits_count=CarePair.visits_count + 1,
        last_visit_at=case_when((or_(CarePair.last_visit_at.is_(None), CarePair.last_visit_at < visited_at),
                                 visited_at), else_=CarePair.last_visit_at))
        .execution_options(synchronize_session=False))
    session.flush()
    session.refresh(pair)
    return visit


def list_visits(session: Session, *, user: Principal, pair: CarePair, cursor: str | None,
                limit: int) -> Page[CareVisit]:
    stmt = select(CareVisit).where(CareVisit.pair_id == pair.id)
    return paginate(session, stmt, keys=[CareVisit.visited_at, CareVisit.id], cursor=cursor, limit=limit,
                    descending=True)


def hours(session: Session, *, user: Principal, area_id: int | None = None, since: datetime | None = None,
          until: datetime | None = None) -> dict:
    """Volunteer hours, within what the caller sees: from logged care visits (per volunteer and per team)
    and from activities served (the minutes credited when an activity completes), so the alliance counts
    one total per person. Four grouped statements whatever the number of volunteers."""
    area = get_for(session, user, Area, area_id) if area_id is not None else None
    where = [scoped(user, CareVisit).whereclause]
    if area is not None:
        where.append(under(CareVisit.area_path, area.path))
    if since is not None:
        where.append(CareVisit.visited_at >= since)
    if until is not None:
        where.append(CareVisit.visited_at < until)
    people = session.execute(
        select(User.id, User.name, func.count(CareVisit.id), func.sum(CareVisit.minutes))
        .select_from(CareVisit).join(User, User.id == CareVisit.volunteer_id).where(*where)
        .group_by(User.id, User.name).order_by(func.sum(CareVisit.minutes).desc())).all()
    teams = session.execute(
        select(Unit.id, Unit.name, func.count(CareVisit.id), func.sum(CareVisit.minutes))
        .select_from(CareVisit).join(Unit, Unit.id == CareVisit.unit_id).where(*where)
        .group_by(Unit.id, Unit.name).order_by(func.sum(CareVisit.minutes).desc())).all()
    total = session.execute(select(func.count(CareVisit.id), func.coalesce(func.sum(CareVisit.minutes), 0))
                            .where(*where)).one()
    served = _activity_minutes(session, user, area, since, until)
    rows: dict[int, dict] = {}
    for uid, name, visits, minutes in people:
        rows[uid] = {"id": uid, "name": name, "visits": visits, "hours": _h(minutes), "activities": 0,
                     "activity_hours": 0.0, "care_minutes": minutes or 0, "activity_minutes": 0}
    for uid, name, count, minutes in served:
        row = rows.setdefault(uid, {"id": uid, "name": name, "visits": 0, "hours": 0.0, "care_minutes": 0})
        row |= {"activities": count, "activity_hours": _h(minutes), "activity_minutes": minutes or 0}
    for row in rows.values():
        row["total_hours"] = _h(row.pop("care_minutes") + row.pop("activity_minutes"))
    volunteers = sorted(rows.values(), key=lambda r: (-r["total_hours"], r["id"]))
    activity_minutes = sum(m or 0 for *_, m in served)
    return {"volunteers": volunteers,
            "units": [{"id": i, "name": n, "visits": v, "hours": _h(m)} for i, n, v, m in teams],
            "visits": total[0], "hours": _h(total[1]), "activities": sum(c for _, _, c, _ in served),
            "activity_hours": _h(activity_minutes), "total_hours": _h(total[1] + activity_minutes)}


def _h(minutes) -> float:
    return round((minutes or 0) / 60, 1)


def _activity_minutes(session: Session, user: Principal, area: Area | None, since, until) -> list:
    """Minutes credited by completed activities per volunteer: a volunteer's own, a partner's unit members',
    staff's area."""
    from ..activities.models import Signup

    where = [Signup.minutes_credited > 0]
    if user.role == "volunteer":
        where.append(Signup.user_id == user.id)
    elif user.role == "partner":
        where.append(User.unit_id == user.unit_id if user.unit_id is not None else Signup.id.is_(None))
    else:
        where.append(scoped(user, Signup).whereclause)
    if area is not None:
        where.append(under(Signup.area_path, area.path))
    if since is not None:
        where.append(Signup.checked_in_at >= since)
    if until is not None:
        where.append(Signup.checked_in_at < until)
    return session.execute(select(User.id, User.name, func.count(Signup.id), func.sum(Signup.minutes_credited))
                           .select_from(Signup).join(User, User.id == Signup.user_id).where(*where)
                           .group_by(User.id, User.name)).all()


def my_household(session: Session, *, user: Principal) -> list[CarePair]:
    """Who looks after my household, and when they last came."""
    if user.household_id is None:
        return []
    return list(session.scalars(select(CarePair).options(*PAIR_LOAD).where(CarePair.household_id == user.household_id,
                                                       CarePair.active.is_(True)).order_by(CarePair.id)))


def flag_overdue(session: Session, *, once, now: datetime | None = None) -> int:
    """The daily job: tell the community's staff and the volunteer about households nobody visited in
    14 days — once per pair per day (``once`` claims the key in the job's transaction)."""
    now = now or utcnow()
    flagged = 0
    for pair in session.scalars(select(CarePair).where(_is_overdue(now)).order_by(CarePair.id).limit(2000)):
        if not once(f"care-overdue:{pair.id}:{now:%Y%m%d}"):
            continue
        community = "/".join(pair.area_path.split("/")[:3]) + "/"
        staff = session.scalars(select(User.id).where(User.role == Role.STAFF, User.area_path == community,
                                                      User.is_active.is_(True))).all()
        unit_users = session.scalars(select(User.id).where(User.unit_id == pair.unit_id)).all() if pair.unit_id else []
        last = pair.last_visit_at or pair.started_at
        notify(session, user_ids=[*staff, pair.volunteer_id, *unit_users], kind=N_OVERDUE, subject_type="care_pair",
               subject_id=pair.id, params={"household": pair.household.address, "days": (now - last).days})
        flagged += 1
    return flagged
