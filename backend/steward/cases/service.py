"""Cases: reporting, the workflow, dispatch to units, mediation, escalation, ratings, alerts.

Keyword-only functions taking the session; permissions through ``scope`` (rules in access.py);
every change appends a timeline event and notifies whoever must know, in the same unit of work.
"""
from __future__ import annotations

import math
from datetime import datetime, timedelta
from typing import Callable

from sqlalchemy import and_, func, or_, select, update
from sqlalchemy import case as case_when
from sqlalchemy.orm import Session, aliased

from ..alliances.models import Unit
from ..areas.models import Area, AreaKind, Household, Stairwell
from ..audit.service import record
from ..core.errors import Conflict, InvalidTransition, invalid, not_found
from ..core.pagination import Page, paginate
from ..db import utcnow
from ..notifications.service import kind, notify
from ..people.models import Role, User
from ..scope import Principal, community_path, find_for, get_for, require, scoped, under
from . import flows
from .models import (
    OPEN_STATUSES,
    Case,
    CaseEvent,
    CaseFollower,
    CasePart,
    CasePhoto,
    Category,
    Level,
    Mediation,
    Mode,
    Status,
)

# ------------------------------------------------------------------ notification texts
N_NEW = kind("case.new", "New report: {title}", "A new {category} case is waiting in {place}.")
N_STEP = kind("case.step", "Your report: {title}", "{step}")
N_ASSIGNED = kind("case.assigned", "Assigned to you: {title}", "{place} · due {due}")
N_DISPATCHED = kind("case.dispatched", "Dispatched to your unit: {title}", "{place} · due {due}")
N_ESCALATED = kind("case.escalated", "Escalated to {level}: {title}", "{reason}")
N_ESCALATED_AUTO = kind("case.escalated_auto", "Escalated to {level}: {title}",
                        "Past its deadline at {previous} by {hours} h; raised automatically.")
N_REJECTED = kind("case.rejected", "Your report: {title}", "It was not taken on: {note}")
N_COMMENT = kind("case.comment", "New comment: {title}", "{note}")
N_PART = kind("case.part", "{unit} updated its part: {title}", "{note}")

STEP_TEXT = {
    "accept": "The committee accepted your report.",
    "assign": "Someone has been assigned to handle it.",
    "dispatch": "It has been passed to the responsible units.",
    "start": "Handling has started.",
    "resolve": "It has been resolved. Please confirm, or reopen it within 7 days.",
    "close": "The case is closed.",
    "mark_duplicate": "It was merged into an earlier report of the same problem.",
    "reopen": "The case was reopened.",
}
LEVEL_NAMES = {"grid": "the grid", "section": "the section", "community": "the community", "town": "the town"}
DUPLICATE_DAYS = 14
DUPLICATE_METRES = 100


# ------------------------------------------------------------------ categories
def list_categories(session: Session, *, user: Principal, include_inactive: bool = False) -> list[Category]:
    stmt = scoped(user, Category)
    if not include_inactive:
        stmt = stmt.where(Category.is_active.is_(True))
    return list(session.scalars(stmt.order_by(Category.sort_order, Category.id)))


def category_for(session: Session, user: Principal, community: Area, category_id: int) -> Category:
    """A category usable in ``community``: the town's defaults or the community's own."""
    category = find_for(session, user, Category, category_id)
    town_path = "/" + community.path.strip("/").split("/")[0] + "/"
    if (category is None or not category.is_active
            or not (category.area_path == town_path or community.path.startswith(category.area_path))):
        raise invalid({"category_id": ["No such category."]})
    return category


def create_category(session: Session, *, user: Principal, data: dict) -> Category:
    area = find_for(session, user, Area, data.pop("area_id"))
    if area is None or area.kind not in (AreaKind.TOWN, AreaKind.COMMUNITY):
        raise invalid({"area_id": ["No such area."]})
    category = Category(area_id=area.id, area_path=area.path, **data)
    require(user, "update", category)
    if session.scalar(select(Category.id).where(Category.area_id == area.id, Category.code == data["code"])):
        raise invalid({"code": ["This code is already used."]})
    session.add(category)
    session.flush()
    record(session, actor=user, action="case_category.create", resource_type="case_category",
           resource_id=category.id, area_path=category.area_path, detail={"code": category.code})
    return category


def update_category(session: Session, *, user: Principal, category: Category, data: dict) -> Category:
    for key, value in data.items():
        setattr(category, key, value)
    record(session, actor=user, action="case_category.update", resource_type="case_category",
           resource_id=category.id, area_path=category.area_path, detail={"fields": sorted(data)})
    return category


# ------------------------------------------------------------------ timeline and notices
def _actor_name(user: Principal) -> str | None:
    """A person's or client's name; ``None`` for the platform's own jobs (the app shows 系统 / System)."""
    if user.role == "system":
        return None
    return getattr(user, "name", None)


# Other domains that must hear of every timeline event (webhooks' outbox), called in the same transaction.
_EVENT_LISTENERS: list[Callable[[Session, Case, CaseEvent], None]] = []


def on_case_event(fn: Callable[[Session, Case, CaseEvent], None]) -> Callable[[Session, Case, CaseEvent], None]:
    """Register ``fn(session, case, event)``, called after each timeline event is written (same unit of work)."""
    _EVENT_LISTENERS.append(fn)
    return fn


def announce(session: Session, case: Case, event: CaseEvent) -> None:
    for listener in _EVENT_LISTENERS:
        listener(session, case, event)


def add_event(session: Session, case: Case, user: Principal, kind_: str, *, note: str | None = None,
              from_status: str | None = None, to_status: str | None = None, data: dict | None = None,
              internal: bool = False, announced: bool = True) -> CaseEvent:
    """Append to the timeline; ``announced=False`` when the caller announces it once the change is whole
    (dispatch: after the units' parts exist)."""
    event = CaseEvent(case_id=case.id, kind=kind_, actor_id=user.id, actor_role=user.role,
                      actor_name=_actor_name(user), from_status=from_status, to_status=to_status, note=note,
                      data=data, internal=internal)
    session.add(event)
    session.flush()
    if announced:
        announce(session, case, event)
    return event


def _place(case: Case) -> str:
    where = case.stairwell.label if case.stairwell else (case.address or "")
    return f"{case.community.name} {case.grid.name if case.grid else ''} {where}".strip()


def _followers(session: Session, case: Case) -> list[int]:
    return list(session.scalars(select(CaseFollower.user_id).where(CaseFollower.case_id == case.id)))


def _unit_users(session: Session, unit_ids: list[int]) -> list[int]:
    if not unit_ids:
        return []
    return list(session.scalars(select(User.id).where(User.unit_id.in_(unit_ids), User.is_active.is_(True))))


def _staff_of(session: Session, case: Case, level: str) -> list[int]:
    """Who answers for a case at ``level``: community staff, or town staff and admins at the town level."""
    if level == Level.TOWN:
        roles, where = (Role.TOWN_STAFF,), User.area_path == "/" + case.area_path.strip("/").split("/")[0] + "/"
    else:
        roles, where = (Role.STAFF,), User.area_path == case.community.path
    return list(session.scalars(select(User.id).where(User.role.in_(roles), where, User.is_active.is_(True))))


def _notify_reporter(session: Session, case: Case, user: Principal, step: str, note: str | None) -> None:
    """The reporter and followers hear of each step, in their own language when they read it."""
    people = [case.reporter_id, *_followers(session, case)]
    if step == "reject":
        notify(session, user_ids=people, kind=N_REJECTED, params={"title": case.title, "note": note or ""},
               subject_type="case", subject_id=case.id, skip=user.id)
    elif step in STEP_TEXT:
        notify(session, user_ids=people, kind=N_STEP, params={"title": case.title, "step": STEP_TEXT[step]},
               subject_type="case", subject_id=case.id, skip=user.id)


# ------------------------------------------------------------------ reporting
def _location(session: Session, user: Principal, data: dict) -> dict:
    """Resolve where the case is: the grid is derived from a stairwell or household when given."""
    community = None
    stairwell = household = None
    if data.get("household_id") is not None:
        household = session.get(Household, data["household_id"])
        if household is None or not _may_locate(user, household.area_path):
            raise invalid({"household_id": ["No such household."]})
        stairwell = session.get(Stairwell, household.stairwell_id)
    elif data.get("stairwell_id") is not None:
        stairwell = session.get(Stairwell, data["stairwell_id"])
        if stairwell is None or not _may_locate(user, stairwell.area_path):
            raise invalid({"stairwell_id": ["No such stairwell."]})
    if stairwell is not None:
        community = session.get(Area, stairwell.community_id)
        grid = session.get(Area, stairwell.grid_id)
        return {"community": community, "grid": grid, "stairwell": stairwell, "household": household,
                "area_path": grid.path}
    community_id = data.get("community_id") or _home_community_id(user)
    community = find_for(session, user, Area, community_id) if community_id else None
    if community is None or community.kind != AreaKind.COMMUNITY:
        raise invalid({"community_id": ["Say which community, or pick a stairwell."]})
    grid = None
    if data.get("grid_id") is not None:
        grid = find_for(session, user, Area, data["grid_id"])
        if grid is None or grid.kind != AreaKind.GRID or not grid.path.startswith(community.path):
            raise invalid({"grid_id": ["No such grid in this community."]})
    if data.get("lat") is None and not data.get("address") and grid is None:
        raise invalid({"address": ["Say where: a stairwell, a point on the map or an address."]})
    return {"community": community, "grid": grid, "stairwell": None, "household": None,
            "area_path": grid.path if grid else community.path}


def _home_community_id(user: Principal) -> int | None:
    parts = user.area_path.strip("/").split("/")
    return int(parts[1]) if len(parts) >= 2 else None


def _may_locate(user: Principal, area_path: str) -> bool:
    """Residents report within their community; staff and volunteers within their area's community."""
    if user.role in ("admin", "town_staff", "system"):
        return area_path.startswith(user.area_path)
    return area_path.startswith(community_path(user))


def create_case(session: Session, *, user: Principal, data: dict, photos: list | None = None,
                now: datetime | None = None, channel: str | None = None) -> Case:
    """A report from a resident (app), a volunteer (grid walk) or staff (on someone's behalf), with up to
    6 photos (already checked by content; stored here, and removed again if the report does not commit).

    ``channel`` names a system relaying someone's report (``open311``: a partner's API client), which
    may then give the reporter's name and phone like staff taking a call."""
    now = now or utcnow()
    where = _location(session, user, data)
    category = category_for(session, user, where["community"], data["category_id"])
    answers = _answers(category, data.get("answers") or {})
    level = Level.GRID if where["grid"] is not None else Level.COMMUNITY
    on_behalf = (user.role in ("admin", "town_staff", "staff") or channel is not None) and data.get("reporter_name")
    channel = channel or {"resident": "app", "volunteer": "grid_walk"}.get(user.role, "phone" if on_behalf else "staff")
    private = category.private_by_default if data.get("is_private") is None else data["is_private"]
    case = Case(
        category_id=category.id, mode=category.default_mode, status=Status.SUBMITTED, level=level,
        title=data.get("title") or category.name_zh, description=data["description"], answers=answers,
        community_id=where["community"].id, grid_id=where["grid"].id if where["grid"] else None,
        stairwell_id=where["stairwell"].id if where["stairwell"] else None,
        household_id=where["household"].id if where["household"] else None,
        lat=data.get("lat"), lon=data.get("lon"), address=data.get("address"), area_path=where["area_path"],
        channel=channel, reporter_id=None if on_behalf else user.id, api_client_id=getattr(user, "api_client_id", None),
        reporter_name=data.get("reporter_name") if on_behalf else _actor_name(user),
        reporter_phone=data.get("reporter_phone") if on_behalf else None,
        is_private=private, is_public=bool(data.get("is_public")) and not private and user.role != "resident",
        due_at=now + timedelta(hours=category.sla_hours(level)), level_since=now, created_at=now, updated_at=now)
    session.add(case)
    session.flush()
    case.category, case.community, case.grid, case.stairwell = (category, where["community"], where["grid"],
                                                                where["stairwell"])
    event = add_event(session, case, user, "submitted", to_status=Status.SUBMITTED, note=None,
                      data={"channel": channel, "mode": case.mode, "level": level})
    if photos:
        _store_photos(session, case, user, photos, stage="report", event=event)
    notify(session, user_ids=_staff_of(session, case, level), kind=N_NEW,
           params={"title": case.title, "category": category.name_zh, "place": _place(case)},
           subject_type="case", subject_id=case.id, skip=user.id)
    return case


def _answers(category: Category, given: dict) -> dict:
    """Check the answers to the category's extra questions (text / number / choice; required or not)."""
    errors: dict[str, list[str]] = {}
    out: dict = {}
    questions = {q["key"]: q for q in category.questions or []}
    for key in given:
        if key not in questions:
            errors[key] = ["Unknown question."]
    for key, q in questions.items():
        value = given.get(key)
        if value in (None, ""):
            if q.get("required"):
                errors[key] = ["This question needs an answer."]
            continue
        if q["type"] == "number" and (isinstance(value, bool) or not isinstance(value, (int, float))
                                      or not math.isfinite(value) or abs(value) > 1e9):
            errors[key] = ["Enter a number."]
        elif q["type"] == "choice" and value not in q.get("choices", []):
            errors[key] = ["Pick one of the choices."]
        elif q["type"] == "text" and (not isinstance(value, str) or len(value) > 500):
            errors[key] = ["Enter up to 500 characters of text."]
        else:
            out[key] = value
    if errors:
        raise invalid({f"answers.{k}": v for k, v in sorted(errors.items())})
    return out


# ------------------------------------------------------------------ reading
CASE_FILTERS = ("status", "mode", "level", "category_id")


def list_cases(session: Session, *, user: Principal, status: list[str] | None = None,
               mode: list[str] | None = None, level: list[str] | None = None, category_id: int | None = None,
               area_id: int | None = None, overdue: bool | None = None, mine: str | None = None,
               unit_id: int | None = None, q: str | None = None, cursor: str | None, limit: int) -> Page[Case]:
    stmt = scoped(user, Case)
    if status:
        stmt = stmt.where(Case.status.in_(status))
    if mode:
        stmt = stmt.where(Case.mode.in_(mode))
    if level:
        stmt = stmt.where(Case.level.in_(level))
    if category_id is not None:
        stmt = stmt.where(Case.category_id == category_id)
    if area_id is not None:
        area = get_for(session, user, Area, area_id)
        stmt = stmt.where(under(Case.area_path, area.path))
    if overdue:
        stmt = stmt.where(Case.status.in_(OPEN_STATUSES), Case.due_at < utcnow())
    if mine == "reported":
        stmt = stmt.where(Case.reporter_id == user.id)
    elif mine == "assigned":
        stmt = stmt.where(Case.assignee_id == user.id)
    if unit_id is not None:
        stmt = stmt.where(select(CasePart.id).where(CasePart.case_id == Case.id, CasePart.unit_id == unit_id)
                          .exists())
    if q:
        stmt = stmt.where(or_(Case.title.contains(q, autoescape=True), Case.description.contains(q, autoescape=True)))
    return paginate(session, stmt, keys=[Case.created_at, Case.id], cursor=cursor, limit=limit, descending=True)


def get_case(session: Session, *, user: Principal, case_id: int, action: str = "read") -> Case:
    return get_for(session, user, Case, case_id, action)


ERASED_NAME = "已注销居民"


class _ErasedActor:
    """An event whose actor's personal information was erased (privacy rights): the row is append-only and
    keeps the name it was written with, the timeline shows 已注销居民 instead."""

    def __init__(self, event: CaseEvent) -> None:
        self._event = event
        self.actor_name = ERASED_NAME

    def __getattr__(self, name: str):
        return getattr(self._event, name)


def timeline(session: Session, *, user: Principal, case: Case) -> list[CaseEvent]:
    stmt = (select(CaseEvent, User.erased_at).outerjoin(User, User.id == CaseEvent.actor_id)
            .where(CaseEvent.case_id == case.id).order_by(CaseEvent.id))
    if not _sees_internal(user, case):
        stmt = stmt.where(CaseEvent.internal.is_(False))
    return [_ErasedActor(event) if erased_at is not None else event for event, erased_at in session.execute(stmt)]


def _sees_internal(user: Principal, case: Case) -> bool:
    from ..scope import can

    return can(user, "internal_note", case) or (user.role == "volunteer" and can(user, "start", case))


def mediations(session: Session, *, case: Case) -> list[Mediation]:
    return list(session.scalars(select(Mediation).where(Mediation.case_id == case.id).order_by(Mediation.held_at)))


def alerts(session: Session, *, user: Principal, cursor: str | None, limit: int) -> Page[Case]:
    """Public hazard alerts of the caller's community: open, or resolved in the last 7 days."""
    recent = utcnow() - timedelta(days=7)
    stmt = (select(Case).where(Case.is_public.is_(True), Case.is_private.is_(False),
                               under(Case.area_path, community_path(user)),
                               or_(Case.status.in_(OPEN_STATUSES), Case.resolved_at >= recent)))
    return paginate(session, stmt, keys=[Case.created_at, Case.id], cursor=cursor, limit=limit, descending=True)


def possible_duplicates(session: Session, *, user: Principal, category_id: int, stairwell_id: int | None = None,
                        lat: float | None = None, lon: float | None = None) -> list[Case]:
    """Open, non-private cases of the same category in the caller's community from the last 14 days,
    at the same stairwell or within 100 m: offered before submitting, to follow instead."""
    since = utcnow() - timedelta(days=DUPLICATE_DAYS)
    near = []
    if stairwell_id is not None:
        near.append(Case.stairwell_id == stairwell_id)
    if lat is not None and lon is not None:
        dlat = DUPLICATE_METRES / 111_320
        dlon = dlat / max(math.cos(math.radians(lat)), 0.01)
        near.append(and_(Case.lat.between(lat - dlat, lat + dlat), Case.lon.between(lon - dlon, lon + dlon)))
    if not near:
        return []
    rows = session.scalars(select(Case).where(
        Case.category_id == category_id, Case.status.in_(OPEN_STATUSES), Case.is_private.is_(False),
        Case.created_at >= since, under(Case.area_path, community_path(user)), or_(*near))
        .order_by(Case.created_at.desc()).limit(10))
    out = []
    for case in rows:
        if case.lat is not None and lat is not None and case.stairwell_id != stairwell_id:
            if _metres(lat, lon, case.lat, case.lon) > DUPLICATE_METRES:
                continue
        out.append(case)
    return out


def _metres(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 6_371_000 * 2 * math.asin(math.sqrt(a))


def follow(session: Session, *, user: Principal, case_id: int) -> Case:
    """Follow an existing report (offered as a possible duplicate) instead of reporting it again."""
    case = session.scalar(select(Case).where(Case.id == case_id, Case.is_private.is_(False),
                                             under(Case.area_path, community_path(user))))
    if case is None:
        raise not_found()
    require(user, "follow", case)
    if session.get(CaseFollower, (case.id, user.id)) is None and case.reporter_id != user.id:
        session.add(CaseFollower(case_id=case.id, user_id=user.id))
        add_event(session, case, user, "followed")
    return case


# ------------------------------------------------------------------ the workflow
def _move(session: Session, case: Case, user: Principal, step_name: str, *, note: str | None = None,
          data: dict | None = None, check: bool = True, announced: bool = True, **values) -> CaseEvent:
    """Take a workflow step as one guarded UPDATE (two people acting at once: one wins, one 409).

    ``check=False`` when the step follows from another the caller was allowed to take (a unit
    finishing the last part resolves the case)."""
    step = flows.STEPS[step_name]
    if check:
        require(user, step.permission, case)
    before = case.status
    if before not in step.sources:
        raise InvalidTransition(before, flows.allowed_from(before))
    result = session.execute(
        update(Case).where(Case.id == case.id, Case.status == before, Case.version == case.version)
        .values(status=step.target, version=Case.version + 1, updated_at=utcnow(), **values)
        .execution_options(synchronize_session=False))
    if result.rowcount != 1:
        current = session.scalar(select(Case.status).where(Case.id == case.id))
        raise InvalidTransition(current, flows.allowed_from(current),
                                detail="Someone else changed this case just now. Reload it and try again.")
    session.refresh(case)
    event = add_event(session, case, user, step_name, note=note, from_status=before, to_status=step.target,
                      data=data, announced=announced)
    _notify_reporter(session, case, user, step_name, note)
    return event


def accept(session: Session, *, user: Principal, case: Case, note: str | None = None,
           mode: str | None = None) -> Case:
    values = {"mode": mode} if mode else {}
    _move(session, case, user, "accept", note=note, data={"mode": mode} if mode else None, **values)
    return case


def reject(session: Session, *, user: Principal, case: Case, reason: str) -> Case:
    _move(session, case, user, "reject", note=reason)
    return case


def assign(session: Session, *, user: Principal, case: Case, assignee_id: int, note: str | None = None) -> Case:
    """Give the case to a volunteer (马上办) whose area covers it."""
    volunteer = session.scalar(select(User).where(User.id == assignee_id, User.role == Role.VOLUNTEER,
                                                  User.is_active.is_(True)))
    if volunteer is None or not (case.area_path.startswith(volunteer.area_path)
                                 or volunteer.area_path.startswith(case.community.path)):
        raise invalid({"assignee_id": ["Pick an active volunteer of this case's community."]})
    _move(session, case, user, "assign", note=note, data={"assignee_id": volunteer.id, "name": volunteer.name},
          assignee_id=volunteer.id)
    notify(session, user_ids=[volunteer.id], kind=N_ASSIGNED, subject_type="case", subject_id=case.id,
           params={"title": case.title, "place": _place(case), "due": _local(case.due_at)}, skip=user.id)
    return case


def dispatch(session: Session, *, user: Principal, case: Case, unit_ids: list[int], task: str | None = None,
             note: str | None = None) -> Case:
    """Pass the case to one or more units (联合办; 协商办 with the legal service); each gets a part."""
    units = list(session.scalars(scoped(user, Unit).where(Unit.id.in_(unit_ids))))
    inactive = [u.name for u in units if not u.is_active]
    if inactive:
        raise invalid({"unit_ids": ["Inactive units cannot be dispatched to: {names}.".format(names="、".join(inactive))]})
    usable = [u for u in units if case.community.path.startswith(u.area_path)]
    if len(usable) != len(set(unit_ids)):
        raise invalid({"unit_ids": ["Pick active units that serve this community."]})
    have = {p.unit_id for p in case.parts}
    new = [u for u in usable if u.id not in have]
    if not new:
        raise Conflict("These units already have their part of this case.", type="already-dispatched")
    event = _move(session, case, user, "dispatch", note=note, data={"unit_ids": [u.id for u in new],
                                                                    "units": [u.name for u in new]}, announced=False)
    for unit in new:
        session.add(CasePart(case_id=case.id, unit_id=unit.id, task=task))
    session.flush()
    session.refresh(case, ["parts"])
    announce(session, case, event)
    notify(session, user_ids=_unit_users(session, [u.id for u in new]), kind=N_DISPATCHED, subject_type="case",
           subject_id=case.id, params={"title": case.title, "place": _place(case), "due": _local(case.due_at)},
           skip=user.id)
    return case


def start(session: Session, *, user: Principal, case: Case, note: str | None = None) -> Case:
    values = {"assignee_id": user.id} if case.assignee_id is None and user.role == Role.VOLUNTEER else {}
    _move(session, case, user, "start", note=note, **values)
    return case


def resolve(session: Session, *, user: Principal, case: Case, note: str | None = None) -> Case:
    """The problem is fixed. A case with units' parts resolves only when every part is done."""
    open_parts = [p.unit.name for p in case.parts if p.status != "done"]
    if open_parts and case.status in flows.STEPS["resolve"].sources:
        raise Conflict("Units have not finished their parts yet: {units}.", type="parts-open",
                       units="、".join(open_parts))
    _move(session, case, user, "resolve", note=note, resolved_at=utcnow())
    return case


def close(session: Session, *, user: Principal, case: Case, note: str | None = None) -> Case:
    _move(session, case, user, "close", note=note, closed_at=utcnow())
    return case


def confirm(session: Session, *, user: Principal, case: Case, note: str | None = None) -> Case:
    """The reporter agrees the problem is fixed."""
    _move(session, case, user, "confirm", note=note, closed_at=utcnow())
    return case


def reopen(session: Session, *, user: Principal, case: Case, reason: str) -> Case:
    """The reporter says it is not fixed — within 7 days of the resolution."""
    if case.resolved_at is None or case.resolved_at < utcnow() - timedelta(days=flows.REOPEN_DAYS):
        raise Conflict("A case can be reopened within 7 days of its resolution; please report it again.",
                       type="reopen-expired")
    level = case.level
    _move(session, case, user, "reopen", note=reason, resolved_at=None, closed_at=None,
          due_at=utcnow() + timedelta(hours=case.category.sla_hours(level)), level_since=utcnow())
    session.execute(update(CasePart).where(CasePart.case_id == case.id).values(status="open", done_at=None))
    session.refresh(case, ["parts"])
    notify(session, user_ids=[case.assignee_id, *_staff_of(session, case, level)], kind=N_STEP, subject_type="case",
           subject_id=case.id, params={"title": case.title, "step": STEP_TEXT["reopen"]}, skip=user.id)
    return case


def mark_duplicate(session: Session, *, user: Principal, case: Case, duplicate_of_id: int) -> Case:
    original = find_for(session, user, Case, duplicate_of_id)
    if original is None or original.id == case.id or original.community_id != case.community_id:
        raise invalid({"duplicate_of_id": ["Pick another case of the same community."]})
    _move(session, case, user, "mark_duplicate", data={"duplicate_of_id": original.id},
          duplicate_of_id=original.id, closed_at=utcnow())
    if case.reporter_id and case.reporter_id != original.reporter_id \
            and session.get(CaseFollower, (original.id, case.reporter_id)) is None:
        session.add(CaseFollower(case_id=original.id, user_id=case.reporter_id))
    return case


def rate(session: Session, *, user: Principal, case: Case, rating: int, comment: str | None = None) -> Case:
    require(user, "rate", case)
    if case.status not in (Status.RESOLVED, Status.CLOSED):
        raise InvalidTransition(case.status, flows.allowed_from(case.status),
                                detail="A case can be rated once it is resolved.")
    if case.rating is not None:
        raise Conflict("You have already rated this case.", type="already-rated")
    case.rating, case.rating_comment, case.rated_at = rating, comment, utcnow()
    add_event(session, case, user, "rated", note=comment, data={"rating": rating})
    return case


def comment(session: Session, *, user: Principal, case: Case, note: str, internal: bool = False) -> CaseEvent:
    require(user, "internal_note" if internal else "comment", case)
    event = add_event(session, case, user, "comment", note=note, internal=internal)
    if not internal:
        notify(session, user_ids=[case.reporter_id, case.assignee_id], kind=N_COMMENT, subject_type="case",
               subject_id=case.id, params={"title": case.title, "note": note[:80]}, skip=user.id)
    return event


def update_case(session: Session, *, user: Principal, case: Case, data: dict) -> Case:
    """Staff re-categorise, re-route (mode), rewrite or re-locate a case at any point; each is a timeline step."""
    require(user, "edit", case)
    changes: dict = {}
    if "category_id" in data and data["category_id"] != case.category_id:
        category = category_for(session, user, case.community, data["category_id"])
        changes["category"] = {"from": case.category.name_zh, "to": category.name_zh}
        case.category_id, case.category = category.id, category
        if "mode" not in data:
            data["mode"] = category.default_mode
    if "mode" in data and data["mode"] != case.mode:
        changes["mode"] = {"from": case.mode, "to": data["mode"]}
        case.mode = data["mode"]
    for key in ("title", "description", "is_public", "is_private", "address"):
        if key in data and data[key] != getattr(case, key):
            changes[key] = {"from": getattr(case, key), "to": data[key]} if key not in ("description",) else True
            setattr(case, key, data[key])
    if case.is_private:
        case.is_public = False
    if not changes:
        return case
    case.updated_at = utcnow()
    session.flush()
    kind_ = "recategorised" if "category" in changes else "rerouted" if "mode" in changes else "edited"
    add_event(session, case, user, kind_, note=data.get("note"), data=changes)
    return case


# ------------------------------------------------------------------ photos
MAX_PHOTOS_PER_CASE = 30


def _store_photos(session: Session, case: Case, user: Principal, photos: list, *, stage: str,
                  event: CaseEvent) -> list[CasePhoto]:
    from .. import media

    rows = [CasePhoto(case_id=case.id, event_id=event.id, stage=stage, uploaded_by_id=user.id, **stored.columns())
            for stored in media.store_photos(photos, session=session)]
    session.add_all(rows)
    session.flush()
    session.refresh(case, ["photos"])
    return rows


def add_photos(session: Session, *, user: Principal, case: Case, photos: list, stage: str,
               note: str | None = None) -> Case:
    """Photos of the progress or of the fix (handlers), or more of the problem (the reporter)."""
    require(user, "add_photos", case)
    if stage == "report" and case.reporter_id != user.id:
        raise invalid({"stage": ["Only the reporter adds photos of the problem; handlers add progress or fix."]})
    if not photos:
        raise invalid({"photos": ["Add at least one photo."]})
    if len(case.photos) + len(photos) > MAX_PHOTOS_PER_CASE:
        raise invalid({"photos": ["A case keeps at most 30 photos."]})
    event = add_event(session, case, user, "photo", note=note, data={"stage": stage, "count": len(photos)})
    _store_photos(session, case, user, photos, stage=stage, event=event)
    notify(session, user_ids=[case.reporter_id, *_followers(session, case)] if stage == "fix" else [],
           kind=N_COMMENT, subject_type="case", subject_id=case.id,
           params={"title": case.title, "note": note or "Photos of the fix were added."}, skip=user.id)
    # (a note written by a person is shown as written; the default is translated when read)
    return case


def photo_of(session: Session, *, user: Principal, case_id: int, photo_id: int) -> CasePhoto:
    """A photo, through the case it belongs to: 404 unless the caller may see that case."""
    case = get_case(session, user=user, case_id=case_id)
    photo = next((p for p in case.photos if p.id == photo_id), None)
    if photo is None:
        raise not_found()
    return photo


# ------------------------------------------------------------------ parts and mediation
def update_part(session: Session, *, user: Principal, case: Case, part_id: int, status: str,
                note: str | None = None) -> Case:
    """A unit reports on its own part; when the last part is done, the case resolves."""
    part = next((p for p in case.parts if p.id == part_id), None)
    if part is None or (user.role == "partner" and part.unit_id != user.unit_id):
        raise not_found()
    require(user, "update_part", case)
    if part.status == "done" and status == "done":
        raise Conflict("This part is already done.", type="part-done")
    part.status, part.note = status, note or part.note
    part.done_at = utcnow() if status == "done" else None
    session.flush()
    add_event(session, case, user, "part_updated", note=note,
              data={"part_id": part.id, "unit": part.unit.name, "status": status})
    notify(session, user_ids=[case.assignee_id, *_staff_of(session, case, case.level)], kind=N_PART,
           subject_type="case", subject_id=case.id, params={"title": case.title, "unit": part.unit.name,
                                                            "note": note or status}, skip=user.id)
    if status == "in_progress" and case.status in (Status.ASSIGNED, Status.ACCEPTED, Status.REOPENED):
        _move(session, case, user, "start", check=False)
    if all(p.status == "done" for p in case.parts) and case.status in flows.STEPS["resolve"].sources:
        _move(session, case, user, "resolve", check=False, data={"parts_done": True}, resolved_at=utcnow())
    return case


def record_mediation(session: Session, *, user: Principal, case: Case, data: dict) -> Mediation:
    require(user, "record_mediation", case)
    if case.mode != Mode.MEDIATE:
        raise Conflict("Mediation sessions belong to 协商办 cases; re-route the case first.", type="not-mediation")
    unit_id = user.unit_id if user.role == "partner" else data.get("unit_id")
    mediation = Mediation(case_id=case.id, unit_id=unit_id, held_at=data["held_at"], parties=data["parties"],
                          outcome=data["outcome"], agreement=data.get("agreement"), recorded_by_id=user.id)
    session.add(mediation)
    session.flush()
    add_event(session, case, user, "mediation", note=data.get("agreement"),
              data={"mediation_id": mediation.id, "outcome": data["outcome"]})
    return mediation


# ------------------------------------------------------------------ escalation
def escalate(session: Session, *, user: Principal, case: Case, reason: str | None, now: datetime | None = None,
             automatic: bool = False) -> bool:
    """Raise the case one level, with a fresh deadline at the new level. The UPDATE is guarded by the
    level *and the deadline* it was read with, so one deadline raises a case once, however many
    schedulers run the job at the same time. Returns whether this call raised it."""
    if not automatic:
        require(user, "escalate", case)
    target = flows.next_level(case.level)
    if target is None:
        raise Conflict("The case is already handled by the town.", type="top-level")
    return _change_level(session, user, case, target, reason, now or utcnow(), "escalated")


def escalate_case(session: Session, *, user: Principal, case: Case, reason: str) -> Case:
    """Staff raise a case by hand (the job does it when a deadline passes)."""
    if not escalate(session, user=user, case=case, reason=reason):
        raise Conflict("Someone else changed this case just now. Reload it and try again.", type="stale-level")
    return case


def deescalate_case(session: Session, *, user: Principal, case: Case, reason: str) -> Case:
    if not deescalate(session, user=user, case=case, reason=reason):
        raise Conflict("Someone else changed this case just now. Reload it and try again.", type="stale-level")
    return case


def deescalate(session: Session, *, user: Principal, case: Case, reason: str) -> bool:
    require(user, "deescalate", case)
    target = flows.previous_level(case.level)
    if target is None or (target != Level.COMMUNITY and case.grid_id is None):
        raise Conflict("The case is already at its lowest level.", type="bottom-level")
    return _change_level(session, user, case, target, reason, utcnow(), "deescalated")


def _change_level(session: Session, user: Principal, case: Case, target: str, reason: str | None, now: datetime,
                  kind_: str) -> bool:
    before, due = case.level, case.due_at
    late_hours = max(0, math.floor((now - due).total_seconds() / 3600))
    result = session.execute(
        update(Case).where(Case.id == case.id, Case.level == before, Case.due_at == due)
        .values(level=target, level_since=now, due_at=now + timedelta(hours=case.category.sla_hours(target)),
                version=Case.version + 1, updated_at=now)
        .execution_options(synchronize_session=False))
    if result.rowcount != 1:
        return False
    session.refresh(case)
    automatic = reason is None
    add_event(session, case, user, kind_, note=reason,
              data={"from": before, "to": target, **({"automatic": True, "late_hours": late_hours} if automatic else {})})
    params = {"title": case.title, "level": LEVEL_NAMES[target]}
    params.update({"previous": LEVEL_NAMES[before], "hours": late_hours} if automatic else {"reason": reason})
    notify(session, user_ids=[*_staff_of(session, case, target), case.assignee_id],
           kind=N_ESCALATED_AUTO if automatic else N_ESCALATED, subject_type="case", subject_id=case.id,
           params=params, skip=user.id)
    return True


def escalate_overdue(session: Session, *, now: datetime | None = None, batch: int = 200) -> int:
    """The periodic job: raise every open case past its deadline one level (below the town)."""
    from ..scope import SystemPrincipal

    now = now or utcnow()
    job = SystemPrincipal(reason="escalation")
    ids = list(session.scalars(select(Case.id).where(Case.status.in_(OPEN_STATUSES), Case.due_at < now,
                                                     Case.level != Level.TOWN).order_by(Case.due_at).limit(batch)))
    raised = 0
    for case in session.scalars(select(Case).where(Case.id.in_(ids))):
        raised += escalate(session, user=job, case=case, now=now, automatic=True, reason=None)
    return raised


def auto_close_resolved(session: Session, *, now: datetime | None = None) -> int:
    """Resolved cases the reporter neither confirmed nor reopened within 7 days are closed."""
    from ..scope import SystemPrincipal

    now = now or utcnow()
    job = SystemPrincipal(reason="auto-close")
    cases = session.scalars(select(Case).where(Case.status == Status.RESOLVED,
                                               Case.resolved_at < now - timedelta(days=flows.REOPEN_DAYS)).limit(500))
    n = 0
    for case in cases:
        _move(session, case, job, "close", data={"automatic": True, "days": flows.REOPEN_DAYS}, closed_at=now)
        n += 1
    return n


def _local(at: datetime) -> str:
    from zoneinfo import ZoneInfo

    return at.astimezone(ZoneInfo("Asia/Shanghai")).strftime("%m-%d %H:%M")


# ------------------------------------------------------------------ statistics
def stats(session: Session, *, user: Principal, area_id: int | None = None, since: datetime | None = None,
          until: datetime | None = None) -> dict:
    """Counts by mode, state, category, grid and level; median time to resolve; SLA compliance; ratings."""
    base = scoped(user, Case).with_only_columns(Case.id)
    if area_id is not None:
        area = get_for(session, user, Area, area_id)
        base = base.where(under(Case.area_path, area.path))
    if since is not None:
        base = base.where(Case.created_at >= since)
    if until is not None:
        base = base.where(Case.created_at < until)
    ids = base.subquery()
    scope_ = Case.id.in_(select(ids.c.id))

    def grouped(column):
        return {k if k is not None else "none": v for k, v in session.execute(
            select(column, func.count()).where(scope_).group_by(column)).all()}

    by_category = {name: n for name, n in session.execute(
        select(Category.name_zh, func.count()).select_from(Case).join(Category, Case.category_id == Category.id)
        .where(scope_).group_by(Category.name_zh)).all()}
    # Keyed "丽水湾 1号网格": grid names repeat across communities, and town staff see them all.
    grid, community = aliased(Area), aliased(Area)
    by_grid = {f"{place} {name or '—'}": n for place, name, n in session.execute(
        select(community.name, grid.name, func.count()).select_from(Case)
        .join(community, Case.community_id == community.id).outerjoin(grid, Case.grid_id == grid.id)
        .where(scope_).group_by(community.name, grid.name)).all()}
    resolved = scope_ & Case.resolved_at.is_not(None)
    totals = session.execute(select(
        func.count(),
        func.count(Case.resolved_at),
        func.sum(case_when((Case.resolved_at <= Case.due_at, 1), else_=0)),
        func.sum(case_when((and_(Case.status.in_(OPEN_STATUSES), Case.due_at < utcnow()), 1), else_=0)),
        func.count(Case.rating), func.avg(Case.rating)).where(scope_)).one()
    total, n_resolved, on_time, overdue, n_ratings, avg_rating = totals
    median = None
    if n_resolved:
        hours = _hours_between(session, Case.created_at, Case.resolved_at)
        middle = session.scalars(select(hours).where(resolved).order_by(hours)
                                 .offset((n_resolved - 1) // 2).limit(2 - n_resolved % 2)).all()
        median = round(sum(middle) / len(middle), 1)
    return {
        "total": total or 0,
        "by_status": grouped(Case.status), "by_mode": grouped(Case.mode), "by_level": grouped(Case.level),
        "by_category": by_category, "by_grid": by_grid,
        "resolved": n_resolved,
        "median_hours_to_resolve": median,
        "sla_compliance": round((on_time or 0) / n_resolved, 3) if n_resolved else None,
        "overdue": overdue or 0,
        "ratings": n_ratings or 0, "average_rating": round(float(avg_rating), 2) if avg_rating is not None else None,
    }


def _hours_between(session: Session, start, end):
    """``end - start`` in hours, in SQL (the median is taken by the database, not in Python)."""
    if session.get_bind().dialect.name == "postgresql":
        return func.extract("epoch", end - start) / 3600.0
    return (func.julianday(end) - func.julianday(start)) * 24.0


EXPORT_COLUMNS = ("id", "created_at", "category", "mode", "status", "level", "community", "grid", "place", "title",
                  "due_at", "overdue", "resolved_at", "closed_at", "hours_to_resolve", "units", "rating")


def export_rows(session: Session, *, user: Principal, filters: dict, limit: int = 50_000):
    """The board's cases as rows for a CSV file — no names or phones of reporters. Yields the header
    first, then rows in batches, so an export of thousands of cases does not sit in memory."""
    from zoneinfo import ZoneInfo

    zone = ZoneInfo("Asia/Shanghai")
    now = utcnow()
    page = list_cases(session, user=user, cursor=None, limit=500, **filters)  # bad filters fail here, not mid-file
    yield EXPORT_COLUMNS
    sent = 0
    while True:
        for c in page.items:
            hours = round((c.resolved_at - c.created_at).total_seconds() / 3600, 1) if c.resolved_at else None
            yield (c.id, c.created_at.astimezone(zone).isoformat(timespec="minutes"), c.category.name_zh, c.mode,
                   c.status, c.level, c.community.name, c.grid.name if c.grid else "",
                   c.stairwell.label if c.stairwell else (c.address or ""), c.title,
                   c.due_at.astimezone(zone).isoformat(timespec="minutes"),
                   "yes" if c.status in OPEN_STATUSES and c.due_at < now else "",
                   c.resolved_at.astimezone(zone).isoformat(timespec="minutes") if c.resolved_at else "",
                   c.closed_at.astimezone(zone).isoformat(timespec="minutes") if c.closed_at else "",
                   hours if hours is not None else "", "、".join(p.unit.name for p in c.parts), c.rating or "")
        sent += len(page.items)
        if not page.next_cursor or sent >= limit:
            break
        page = list_cases(session, user=user, cursor=page.next_cursor, limit=500, **filters)
