"""Services and bookings: the catalogue, schedules, availability, booking, the waitlist, check-in,
no-shows, on-request services and reports.

Keyword-only functions taking the session; permissions through ``scope`` (rules in access.py). Seats
are taken with a conditional UPDATE of the slot's counter (see ``policy.take_seat``) and a resident's
second booking of one slot is refused by a partial unique index — the database holds both, on
PostgreSQL and SQLite alike.
"""
from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import and_, case, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..alliances.models import Unit
from ..areas.models import Area, AreaKind
from ..audit.service import record
from ..core.errors import Conflict, Forbidden, InvalidTransition, invalid, not_found
from ..core.pagination import Page, paginate
from ..core.transitions import transition
from ..db import utcnow
from ..notifications.service import kind, notify
from ..people.models import User
from ..scope import Principal, can, find_for, get_for, require, scoped, under
from . import schedule
from .models import (
    HOLDING,
    Booking,
    BookingStatus,
    Kind,
    RequestEvent,
    RequestStatus,
    ScheduleException,
    ScheduleRule,
    Service,
    ServiceRequest,
    ServiceStatus,
    Slot,
)
from .policy import ineligible, new_code, normalise_code, release_seat, take_seat

B = BookingStatus
N_PROMOTED = kind("booking.promoted", "You have a seat: {service}", "{when} · {place}. Your check-in code is {code}.")
N_CANCELLED = kind("booking.cancelled", "Your booking was cancelled: {service}", "{when}: {reason}")
N_REMINDER = kind("booking.reminder", "Tomorrow: {service}", "{when} · {place}. Your check-in code is {code}.")
N_REQUEST_NEW = kind("service_request.new", "New request: {service}", "{details}")
N_REQUEST_STEP = kind("service_request.step", "Your request: {service}", "{step}")
ARCHIVED_REASON = "The service is no longer offered."
CHECK_IN_EARLY = timedelta(hours=1)
TAG_NAMES = {"elderly_alone": "独居老人", "hardship": "困难家庭", "party_member": "党员", "volunteer": "志愿者"}


# ------------------------------------------------------------------ the catalogue
def list_services(session: Session, *, user: Principal, kind: str | None = None, category: str | None = None,
                  status: str | None = None, area_id: int | None = None, q: str | None = None,
                  cursor: str | None, limit: int) -> Page[Service]:
    stmt = scoped(user, Service)
    if kind:
        stmt = stmt.where(Service.kind == kind)
    if category:
        stmt = stmt.where(Service.category == category)
    if status:
        stmt = stmt.where(Service.status == status)
    if area_id is not None:
        area = get_for(session, user, Area, area_id)
        stmt = stmt.where(Service.area_id == area.id)
    if q:
        stmt = stmt.where(Service.title.contains(q, autoescape=True))
    return paginate(session, stmt, keys=[Service.id], cursor=cursor, limit=limit)


def get_service(session: Session, *, user: Principal, service_id: int, action: str = "read") -> Service:
    return get_for(session, user, Service, service_id, action)


def eligibility(user: Principal, service) -> str | None:
    """Why the viewer may not book ``service`` (a message for people), or None."""
    reason = ineligible(user, audience=service.audience, required_tags=service.required_tags or [],
                        min_age=service.min_age, today=schedule.local_day(utcnow()))
    return reason


def _reason_params(service) -> dict:
    return {"tags": "、".join(TAG_NAMES.get(t, t) for t in service.required_tags or []), "age": service.min_age}


def _provider(session: Session, user: Principal, area: Area, unit_id: int | None) -> int | None:
    if unit_id is None:
        return None
    unit = find_for(session, user, Unit, unit_id)
    if unit is None or not unit.is_active or not (area.path.startswith(unit.area_path)
                                                  or unit.area_path.startswith(area.path)):
        raise invalid({"provider_unit_id": ["Pick an active unit that serves this area."]})
    return unit.id


def create_service(session: Session, *, user: Principal, data: dict) -> Service:
    area = find_for(session, user, Area, data.pop("area_id"))
    if area is None or area.kind not in (AreaKind.TOWN, AreaKind.COMMUNITY):
        raise invalid({"area_id": ["Pick the town or a community."]})
    data["provider_unit_id"] = _provider(session, user, area, data.get("provider_unit_id"))
    rules = data.pop("rules", None)
    service = Service(area_id=area.id, area_path=area.path, area=area, created_by_id=user.id, **data)
    require(user, "update", service)
    session.add(service)
    session.flush()
    if rules:
        _replace_rules(service, rules)
    record(session, actor=user, action="service.create", resource_type="service", resource_id=service.id,
           area_path=service.area_path, detail={"title": service.title, "kind": service.kind})
    return service


def update_service(session: Session, *, user: Principal, service: Service, data: dict) -> Service:
    require(user, "update", service)
    if "provider_unit_id" in data:
        if user.role == "partner":
            raise invalid({"provider_unit_id": ["Only staff change the provider."]})
        data["provider_unit_id"] = _provider(session, user, service.area, data["provider_unit_id"])
    for key, value in data.items():
        setattr(service, key, value)
    session.flush()
    schedule.generate(session, service)
    record(session, actor=user, action="service.update", resource_type="service", resource_id=service.id,
           area_path=service.area_path, detail={"fields": sorted(data)})
    return service


SERVICE_STEPS = {  # step: (from, to)
    "publish": ({ServiceStatus.DRAFT, ServiceStatus.ARCHIVED}, ServiceStatus.PUBLISHED),
    "unpublish": ({ServiceStatus.PUBLISHED}, ServiceStatus.DRAFT),
    "archive": ({ServiceStatus.DRAFT, ServiceStatus.PUBLISHED}, ServiceStatus.ARCHIVED),
}
SERVICE_ALLOWED = {s.value: sorted(n for n, (src, _) in SERVICE_STEPS.items() if s in src) for s in ServiceStatus}


def service_step(session: Session, *, user: Principal, service: Service, step: str) -> Service:
    """Publish (slots are generated), take back to draft, or archive (future slots are closed, and
    whoever had booked them is told)."""
    require(user, "update", service)
    sources, target = SERVICE_STEPS[step]
    if service.kind == Kind.SLOTS and target == ServiceStatus.PUBLISHED and not service.rules:
        raise Conflict("Add the weekly schedule before publishing.", type="no-schedule")
    transition(session, service, to=target, allowed_from=[s.value for s in sources], allowed_now=SERVICE_ALLOWED,
               version=Service.version + 1)
    if target == ServiceStatus.PUBLISHED:
        schedule.generate(session, service)
    elif service.kind == Kind.SLOTS:
        for slot in session.scalars(select(Slot).where(Slot.service_id == service.id, Slot.starts_at > utcnow(),
                                                       Slot.status == "open")):
            _close(session, user, slot, ARCHIVED_REASON if target == ServiceStatus.ARCHIVED else
                   "The service is paused.")
    record(session, actor=user, action=f"service.{step}", resource_type="service", resource_id=service.id,
           area_path=service.area_path)
    return service


# ------------------------------------------------------------------ schedules
def _replace_rules(service: Service, rules: list[dict]) -> None:
    spans: dict[int, list[tuple[int, int]]] = {}
    for r in rules:
        for start, end in spans.get(r["weekday"], []):
            if r["start_minute"] < end and start < r["end_minute"]:
                raise invalid({"rules": ["Two openings of one weekday overlap."]})
        if r["end_minute"] - r["start_minute"] < service.slot_minutes:
            raise invalid({"rules": ["An opening must be at least one slot long."]})
        spans.setdefault(r["weekday"], []).append((r["start_minute"], r["end_minute"]))
    service.rules = [ScheduleRule(**r) for r in rules]


def set_rules(session: Session, *, user: Principal, service: Service, rules: list[dict]) -> Service:
    """Replace the weekly schedule; future slots follow (booked ones are kept)."""
    require(user, "schedule", service)
    if service.kind != Kind.SLOTS:
        raise Conflict("On-request services have no schedule.", type="on-request")
    _replace_rules(service, rules)
    service.version += 1
    session.flush()
    result = schedule.generate(session, service)
    record(session, actor=user, action="service.schedule", resource_type="service", resource_id=service.id,
           area_path=service.area_path, detail={"rules": len(rules), **result})
    return service


def list_exceptions(session: Session, *, service: Service, since: date | None = None) -> list[ScheduleException]:
    since = since or schedule.local_day(utcnow()) - timedelta(days=30)
    return list(session.scalars(select(ScheduleException).where(
        ScheduleException.service_id == service.id, ScheduleException.day >= since)
        .order_by(ScheduleException.day, ScheduleException.id)))


def add_exception(session: Session, *, user: Principal, service: Service, data: dict) -> ScheduleException:
    """A closure (holiday: the day or some hours; booked residents are told) or an extra session."""
    require(user, "schedule", service)
    if service.kind != Kind.SLOTS:
        raise Conflict("On-request services have no schedule.", type="on-request")
    if data["day"] < schedule.local_day(utcnow()):
        raise invalid({"day": ["Pick today or a later day."]})
    exc = ScheduleException(service_id=service.id, **data)
    session.add(exc)
    session.flush()
    if exc.kind == "closed":
        start, end = schedule.at_local(exc.day, exc.start_minute or 0), schedule.at_local(exc.day, exc.end_minute or 1440)
        for slot in session.scalars(select(Slot).where(Slot.service_id == service.id, Slot.status == "open",
                                                       Slot.starts_at < end, Slot.ends_at > start)):
            _close(session, user, slot, exc.note or "The service is closed that day.")
    schedule.generate(session, service)
    record(session, actor=user, action="service.exception", resource_type="service", resource_id=service.id,
           area_path=service.area_path, detail={"day": exc.day.isoformat(), "kind": exc.kind})
    return exc


def delete_exception(session: Session, *, user: Principal, service: Service, exception_id: int) -> None:
    """Remove an exception: a closure's slots open again, an extra session's unbooked slots go."""
    require(user, "schedule", service)
    exc = session.scalar(select(ScheduleException).where(ScheduleException.id == exception_id,
                                                         ScheduleException.service_id == service.id))
    if exc is None:
        raise not_found()
    if exc.kind == "closed":
        start, end = schedule.at_local(exc.day, exc.start_minute or 0), schedule.at_local(exc.day, exc.end_minute or 1440)
        session.execute(update(Slot).where(Slot.service_id == service.id, Slot.status == "closed",
                                           Slot.starts_at < end, Slot.ends_at > start, Slot.starts_at > utcnow())
                        .values(status="open", closed_reason=None).execution_options(synchronize_session=False))
    session.delete(exc)
    session.flush()
    schedule.generate(session, service)


# ------------------------------------------------------------------ slots and availability
def availability(session: Session, *, user: Principal, service: Service, since: date | None = None,
                 until: date | None = None) -> dict:
    """The slots of ``since``…``until`` (town dates; today and the next 13 days by default), each with its
    seats left and the viewer's own booking: two statements whatever the number of slots."""
    today = schedule.local_day(utcnow())
    since = since or today
    until = until or since + timedelta(days=13)
    if until < since or (until - since).days > 62:
        raise invalid({"until": ["Ask for at most 63 days, ending after the start."]})
    slots = list(session.scalars(select(Slot).where(
        Slot.service_id == service.id, Slot.starts_at >= schedule.at_local(since, 0),
        Slot.starts_at < schedule.at_local(until, 1440)).order_by(Slot.starts_at)))
    mine: dict[int, Booking] = {}
    if slots and user.id is not None:
        mine = {b.slot_id: b for b in session.scalars(select(Booking).where(
            Booking.user_id == user.id, Booking.slot_id.in_([s.id for s in slots]), Booking.status.in_(HOLDING)))}
    return {"service": service, "since": since, "until": until,
            "eligible": eligibility(user, service) is None,
            "items": [{"slot": s, "mine": mine.get(s.id)} for s in slots]}


def get_slot(session: Session, *, user: Principal, slot_id: int, action: str = "read") -> Slot:
    slot = session.get(Slot, slot_id)
    if slot is None or find_for(session, user, Service, slot.service_id) is None:
        raise not_found()
    require(user, action, slot.service)
    return slot


def _close(session: Session, user: Principal, slot: Slot, reason: str) -> int:
    """Close a slot: its bookings and its queue are cancelled, and each resident is told why."""
    done = session.execute(update(Slot).where(Slot.id == slot.id, Slot.status == "open")
                           .values(status="closed", closed_reason=reason, booked=0, waiting=0)
                           .execution_options(synchronize_session=False)).rowcount
    if not done:
        return 0
    holders = list(session.scalars(select(Booking).where(Booking.slot_id == slot.id,
                                                         Booking.status.in_((B.BOOKED, B.WAITING)))))
    if holders:
        session.execute(update(Booking).where(Booking.id.in_([b.id for b in holders]))
                        .values(status=B.CANCELLED, cancelled_at=utcnow(), cancelled_by_id=user.id,
                                cancel_reason=reason, updated_at=utcnow())
                        .execution_options(synchronize_session=False))
        params = {"service": slot.service.title, "when": schedule.local_text(slot.starts_at), "reason": reason}
        for b in holders:
            notify(session, user_ids=[b.user_id], kind=N_CANCELLED, subject_type="booking", subject_id=b.id,
                   params=params)
    session.refresh(slot)
    return len(holders)


def close_slot(session: Session, *, user: Principal, slot: Slot, reason: str) -> Slot:
    require(user, "schedule", slot.service)
    if slot.status != "open":
        raise InvalidTransition(slot.status, ["open"])
    _close(session, user, slot, reason)
    record(session, actor=user, action="slot.close", resource_type="slot", resource_id=slot.id,
           area_path=slot.service.area_path, detail={"reason": reason})
    return slot


def update_slot(session: Session, *, user: Principal, slot: Slot, capacity: int | None = None,
                status: str | None = None) -> Slot:
    """Change one slot's capacity (never below the seats taken) or open a closed slot again."""
    require(user, "schedule", slot.service)
    if capacity is not None:
        done = session.execute(update(Slot).where(Slot.id == slot.id, Slot.booked <= capacity)
                               .values(capacity=capacity).execution_options(synchronize_session=False)).rowcount
        if not done:
            raise Conflict("{booked} seats are already taken; the capacity cannot be lower.", type="capacity-taken",
                           booked=slot.booked)
        if slot.waiting:
            _promote_later(slot.id)
    if status == "open" and slot.status == "closed":
        if slot.starts_at <= utcnow():
            raise Conflict("This slot has already started.", type="slot-started")
        session.execute(update(Slot).where(Slot.id == slot.id).values(status="open", closed_reason=None)
                        .execution_options(synchronize_session=False))
    session.refresh(slot)
    return slot


# ------------------------------------------------------------------ booking
def _promote_later(slot_id: int) -> None:
    from .tasks import promote_waitlist

    promote_waitlist.after_commit(slot_id)


def _lock_person(session: Session, user: Principal) -> None:
    """One resident's bookings are made one at a time (a double tap, two phones): the per-resident limit
    and the duplicate check then read what the other request committed. SQLite's write lock already
    serialises writers; on PostgreSQL this takes the user's row lock."""
    session.execute(select(User.id).where(User.id == user.id).with_for_update())


def book(session: Session, *, user: Principal, slot_id: int, waitlist: bool = False, note: str | None = None,
         now: datetime | None = None) -> Booking:
    """Book a seat at a slot; when it is full, join its waitlist if asked (and the service keeps one)."""
    now = now or utcnow()
    slot = session.get(Slot, slot_id)
    service = find_for(session, user, Service, slot.service_id) if slot is not None else None
    if service is None or service.status != ServiceStatus.PUBLISHED or service.kind != Kind.SLOTS:
        raise invalid({"slot_id": ["No such slot."]})
    require(user, "book", service)
    if slot.starts_at <= now:
        raise invalid({"slot_id": ["This slot has already started."]})
    if slot.starts_at > schedule.at_local(schedule.local_day(now) + timedelta(days=service.book_ahead_days), 1440):
        raise invalid({"slot_id": ["This slot cannot be booked this far ahead."]})
    if slot.status != "open":
        raise Conflict("This slot is closed: {reason}", type="slot-closed", reason=slot.closed_reason or "")
    reason = eligibility(user, service)
    if reason:
        raise Forbidden(reason, type="not-eligible", **_reason_params(service))
    _lock_person(session, user)
    held = session.scalar(select(Booking).where(Booking.slot_id == slot.id, Booking.user_id == user.id,
                                                Booking.status.in_(HOLDING)))
    if held is not None:
        raise Conflict("You already hold a booking for this slot.", type="already-booked",
                       extensions={"booking_id": held.id, "booking_status": held.status})
    active = session.scalar(select(func.count()).select_from(Booking).where(
        Booking.user_id == user.id, Booking.service_id == service.id, Booking.starts_at > now,
        Booking.status.in_((B.BOOKED, B.WAITING))))
    if active >= service.max_active_per_resident:
        raise Conflict("You already have {n} upcoming bookings of this service, the most it allows.",
                       type="booking-limit", n=service.max_active_per_resident)
    # A free seat goes to the queue first: a direct booking takes one only while nobody waits.
    if take_seat(session, Slot, slot.id, Slot.status == "open", Slot.waiting == 0):
        status = B.BOOKED
    elif waitlist and service.waitlist:
        session.execute(update(Slot).where(Slot.id == slot.id).values(waiting=Slot.waiting + 1)
                        .execution_options(synchronize_session=False))
        status = B.WAITING
    else:
        raise Conflict("This slot is full.", type="slot-full", extensions={"waitlist": bool(service.waitlist)})
    booking = _insert(session, Booking(slot_id=slot.id, service_id=service.id, user_id=user.id,
                                       resident_id=getattr(user, "resident_id", None), area_path=service.area_path,
                                       starts_at=slot.starts_at, status=status, note=note, created_at=now))
    session.refresh(slot)
    return booking


def _insert(session: Session, booking: Booking) -> Booking:
    for _ in range(3):
        booking.code = new_code()
        try:
            with session.begin_nested():
                session.add(booking)
                session.flush()
            return booking
        except IntegrityError:
            session.expunge(booking) if booking in session else None
            taken = session.scalar(select(Booking.id).where(Booking.slot_id == booking.slot_id,
                                                            Booking.user_id == booking.user_id,
                                                            Booking.status.in_(HOLDING)))
            if taken is not None:
                raise Conflict("You already hold a booking for this slot.", type="already-booked",
                               extensions={"booking_id": taken, "booking_status": None}) from None
    raise Conflict("Please try again.", type="code-clash")


def list_bookings(session: Session, *, user: Principal, mine: bool | None = None, service_id: int | None = None,
                  slot_id: int | None = None, status: list[str] | None = None, when: str | None = None,
                  cursor: str | None, limit: int) -> Page[Booking]:
    stmt = scoped(user, Booking)
    if mine or user.role == "resident":
        stmt = stmt.where(Booking.user_id == user.id)
    if service_id is not None:
        stmt = stmt.where(Booking.service_id == service_id)
    if slot_id is not None:
        stmt = stmt.where(Booking.slot_id == slot_id)
    if status:
        stmt = stmt.where(Booking.status.in_(status))
    now = utcnow()
    if when == "upcoming":
        stmt = stmt.where(Booking.starts_at > now)
        return paginate(session, stmt, keys=[Booking.starts_at, Booking.id], cursor=cursor, limit=limit)
    if when == "past":
        stmt = stmt.where(Booking.starts_at <= now)
    return paginate(session, stmt, keys=[Booking.starts_at, Booking.id], cursor=cursor, limit=limit, descending=True)


def get_booking(session: Session, *, user: Principal, booking_id: int, action: str = "read") -> Booking:
    return get_for(session, user, Booking, booking_id, action)


ALLOWED_NOW = {
    B.BOOKED: ["cancel", "check_in", "no_show"], B.WAITING: ["cancel"], B.NO_SHOW: ["check_in"],
    B.CHECKED_IN: [], B.CANCELLED: [],
}


def cancel(session: Session, *, user: Principal, booking: Booking, reason: str | None = None,
           now: datetime | None = None) -> Booking:
    """The resident cancels before the service's cut-off; staff (or the provider) at any time, saying why."""
    now = now or utcnow()
    require(user, "cancel", booking)
    service = booking.slot.service
    by_staff = booking.user_id != user.id
    if by_staff and not reason:
        raise invalid({"reason": ["Say why, for the resident."]})
    if not by_staff and booking.status == B.BOOKED \
            and now > booking.starts_at - timedelta(minutes=service.cancel_cutoff_minutes):
        raise Conflict("Bookings can be cancelled up to {minutes} minutes before the start; please call the "
                       "committee.", type="cancel-cutoff", minutes=service.cancel_cutoff_minutes)
    before = booking.status
    transition(session, booking, to=B.CANCELLED, allowed_from=[B.BOOKED, B.WAITING], allowed_now=ALLOWED_NOW,
               cancelled_at=now, cancelled_by_id=user.id, cancel_reason=reason, updated_at=now)
    if before == B.BOOKED:
        release_seat(session, Slot, booking.slot_id)
        if booking.slot.waiting and booking.starts_at > now:
            _promote_later(booking.slot_id)
    else:
        session.execute(update(Slot).where(Slot.id == booking.slot_id, Slot.waiting > 0)
                        .values(waiting=Slot.waiting - 1).execution_options(synchronize_session=False))
    if by_staff:
        notify(session, user_ids=[booking.user_id], kind=N_CANCELLED, subject_type="booking", subject_id=booking.id,
               params={"service": service.title, "when": schedule.local_text(booking.starts_at), "reason": reason})
        record(session, actor=user, action="booking.cancel", resource_type="booking", resource_id=booking.id,
               area_path=booking.area_path, detail={"reason": reason})
    session.refresh(booking.slot)
    return booking


def promote_waitlist(session: Session, *, slot_id: int, now: datetime | None = None) -> int:
    """Give freed seats to the queue, first come first served, and tell each promoted resident.

    Safe to run twice at once: a seat is taken by the conditional UPDATE before a waiting booking is
    moved (guarded on ``status = 'waiting'``), so two runs never promote more residents than there are
    seats, nor one resident twice. On PostgreSQL the second run waits on the slot's row lock."""
    now = now or utcnow()
    promoted = 0
    while True:
        nxt = session.scalar(select(Booking).where(Booking.slot_id == slot_id, Booking.status == B.WAITING,
                                                   Booking.starts_at > now)
                             .order_by(Booking.created_at, Booking.id).limit(1))
        if nxt is None or not take_seat(session, Slot, slot_id, Slot.status == "open"):
            break
        moved = session.execute(update(Booking).where(Booking.id == nxt.id, Booking.status == B.WAITING)
                                .values(status=B.BOOKED, promoted_at=now, updated_at=now)
                                .execution_options(synchronize_session=False)).rowcount
        if not moved:  # someone cancelled it or another run promoted it meanwhile
            release_seat(session, Slot, slot_id)
            session.expire(nxt)
            continue
        session.execute(update(Slot).where(Slot.id == slot_id, Slot.waiting > 0).values(waiting=Slot.waiting - 1)
                        .execution_options(synchronize_session=False))
        session.refresh(nxt)
        service = nxt.slot.service
        notify(session, user_ids=[nxt.user_id], kind=N_PROMOTED, subject_type="booking", subject_id=nxt.id,
               params={"service": service.title, "when": schedule.local_text(nxt.starts_at),
                       "place": service.place or "", "code": nxt.code})
        promoted += 1
    return promoted


def promote_all(session: Session, *, now: datetime | None = None) -> int:
    """The safety net: every future slot with a free seat and a queue (a promotion job that failed)."""
    now = now or utcnow()
    ids = list(session.scalars(select(Slot.id).where(Slot.starts_at > now, Slot.status == "open", Slot.waiting > 0,
                                                     Slot.booked < Slot.capacity).limit(500)))
    return sum(promote_waitlist(session, slot_id=i, now=now) for i in ids)


def check_in(session: Session, *, user: Principal, booking: Booking, now: datetime | None = None) -> Booking:
    """Staff, the provider or a volunteer of the community checks the resident in (from an hour before)."""
    now = now or utcnow()
    require(user, "check_in", booking)
    if now < booking.starts_at - CHECK_IN_EARLY:
        raise Conflict("Check-in opens an hour before the start.", type="too-early")
    transition(session, booking, to=B.CHECKED_IN, allowed_from=[B.BOOKED, B.NO_SHOW], allowed_now=ALLOWED_NOW,
               checked_in_at=now, checked_in_by_id=user.id, updated_at=now)
    return booking


def check_in_by_code(session: Session, *, user: Principal, code: str, now: datetime | None = None) -> Booking:
    booking = session.scalar(scoped(user, Booking).where(Booking.code == normalise_code(code)))
    if booking is None or not can(user, "check_in", booking):
        raise not_found()
    return check_in(session, user=user, booking=booking, now=now)


def mark_no_show(session: Session, *, user: Principal, booking: Booking, now: datetime | None = None) -> Booking:
    now = now or utcnow()
    require(user, "no_show", booking)
    if booking.starts_at > now:
        raise Conflict("A no-show can be recorded once the slot has started.", type="not-started")
    transition(session, booking, to=B.NO_SHOW, allowed_from=[B.BOOKED], allowed_now=ALLOWED_NOW, updated_at=now)
    return booking


def mark_no_shows(session: Session, *, now: datetime | None = None) -> int:
    """The nightly job: bookings never checked in, an hour after their slot ended, are no-shows; queues of
    past slots are closed."""
    now = now or utcnow()
    ended = select(Slot.id).where(Slot.ends_at < now - timedelta(hours=1))
    n = session.execute(update(Booking).where(Booking.status == B.BOOKED, Booking.starts_at < now,
                                              Booking.slot_id.in_(ended))
                        .values(status=B.NO_SHOW, updated_at=now).execution_options(synchronize_session=False)).rowcount
    session.execute(update(Booking).where(Booking.status == B.WAITING, Booking.starts_at < now)
                    .values(status=B.CANCELLED, cancelled_at=now, cancel_reason="No seat freed up in time.",
                            updated_at=now).execution_options(synchronize_session=False))
    return n


def due_reminders(session: Session, *, now: datetime | None = None) -> list[Booking]:
    """Booked seats of tomorrow (the town's date)."""
    now = now or utcnow()
    tomorrow = schedule.local_day(now) + timedelta(days=1)
    return list(session.scalars(select(Booking).where(
        Booking.status == B.BOOKED, Booking.starts_at >= schedule.at_local(tomorrow, 0),
        Booking.starts_at < schedule.at_local(tomorrow, 1440)).order_by(Booking.id)))


def remind(session: Session, booking: Booking) -> None:
    service = booking.slot.service
    notify(session, user_ids=[booking.user_id], kind=N_REMINDER, subject_type="booking", subject_id=booking.id,
           params={"service": service.title, "when": schedule.local_text(booking.starts_at),
                   "place": service.place or "", "code": booking.code})


# ------------------------------------------------------------------ rosters and reports
def roster(session: Session, *, user: Principal, slot: Slot) -> list[Booking]:
    """Who is coming to a slot (the door list): seats first, then the queue in order."""
    if not (can(user, "roster", slot.service) or can(user, "check_in", slot.service)):
        raise Forbidden()
    order = case((Booking.status == B.WAITING, 1), else_=0)
    return list(session.scalars(select(Booking).where(Booking.slot_id == slot.id, Booking.status != B.CANCELLED)
                                .order_by(order, Booking.created_at, Booking.id)))


def day_roster(session: Session, *, user: Principal, service: Service, day: date) -> list[dict]:
    if not (can(user, "roster", service) or can(user, "check_in", service)):
        raise Forbidden()
    slots = list(session.scalars(select(Slot).where(Slot.service_id == service.id, Slot.day == day)
                                 .order_by(Slot.starts_at)))
    by_slot: dict[int, list[Booking]] = {s.id: [] for s in slots}
    if slots:
        order = case((Booking.status == B.WAITING, 1), else_=0)
        for b in session.scalars(select(Booking).where(Booking.slot_id.in_(list(by_slot)),
                                                       Booking.status != B.CANCELLED)
                                 .order_by(Booking.slot_id, order, Booking.created_at, Booking.id)):
            by_slot[b.slot_id].append(b)
    return [{"slot": s, "bookings": by_slot[s.id]} for s in slots]


def daily_report(session: Session, *, user: Principal, since: date, until: date, service_id: int | None = None,
                 area_id: int | None = None) -> list[dict]:
    """Per service and day: slots, seats, bookings by outcome, utilisation and the no-show rate. Two grouped
    statements over the services the caller manages."""
    if (until - since).days > 366 or until < since:
        raise invalid({"until": ["Ask for at most a year, ending after the start."]})
    services = scoped(user, Service).with_only_columns(Service.id)
    if user.role == "partner":
        services = services.where(Service.provider_unit_id == user.unit_id)
    elif user.role not in ("system",):
        services = services.where(under(Service.area_path, user.area_path))
    if service_id is not None:
        services = services.where(Service.id == service_id)
    if area_id is not None:
        area = get_for(session, user, Area, area_id)
        services = services.where(under(Service.area_path, area.path))
    ids = services.subquery()
    in_range = and_(Slot.service_id.in_(select(ids.c.id)), Slot.day >= since, Slot.day <= until)
    seats = {(sid, day): (n, cap) for sid, day, n, cap in session.execute(
        select(Slot.service_id, Slot.day, func.count(), func.sum(Slot.capacity)).where(in_range)
        .group_by(Slot.service_id, Slot.day))}
    outcomes: dict[tuple, dict] = {}
    for sid, day, status, n in session.execute(
            select(Slot.service_id, Slot.day, Booking.status, func.count()).select_from(Booking)
            .join(Slot, Slot.id == Booking.slot_id).where(in_range)
            .group_by(Slot.service_id, Slot.day, Booking.status)):
        outcomes.setdefault((sid, day), {})[status] = n
    titles = dict(session.execute(select(Service.id, Service.title).where(
        Service.id.in_({sid for sid, _ in seats} | {sid for sid, _ in outcomes}))).all()) if seats or outcomes else {}
    rows = []
    for key in sorted(set(seats) | set(outcomes), key=lambda k: (k[1], k[0])):
        n_slots, capacity = seats.get(key, (0, 0))
        o = outcomes.get(key, {})
        booked, came, missed = o.get(B.BOOKED, 0), o.get(B.CHECKED_IN, 0), o.get(B.NO_SHOW, 0)
        taken = booked + came + missed
        rows.append({"service_id": key[0], "service": titles.get(key[0], ""), "day": key[1], "slots": n_slots,
                     "capacity": capacity or 0, "booked": booked, "checked_in": came, "no_show": missed,
                     "cancelled": o.get(B.CANCELLED, 0), "waiting": o.get(B.WAITING, 0),
                     "utilisation": round(taken / capacity, 3) if capacity else None,
                     "no_show_rate": round(missed / (came + missed), 3) if came + missed else None})
    return rows


REPORT_COLUMNS = ("day", "service_id", "service", "slots", "capacity", "booked", "checked_in", "no_show", "cancelled",
                  "waiting", "utilisation", "no_show_rate")


def report_rows(rows: list[dict]):
    yield REPORT_COLUMNS
    for r in rows:
        yield tuple("" if r[c] is None else (r[c].isoformat() if isinstance(r[c], date) else r[c])
                    for c in REPORT_COLUMNS)


def roster_rows(entries: list[dict]):
    """A printable day roster: no phone numbers, names as the committee knows them."""
    yield ("time", "status", "name", "code", "checked_in_at")
    for entry in entries:
        for b in entry["bookings"]:
            yield (schedule.local_text(entry["slot"].starts_at), b.status, b.user.name, b.code,
                   schedule.local_text(b.checked_in_at) if b.checked_in_at else "")


# ------------------------------------------------------------------ on-request services
REQUEST_STEPS = {  # step: (from, to, permission)
    "accept": ({RequestStatus.SUBMITTED}, RequestStatus.ACCEPTED, "accept"),
    "schedule": ({RequestStatus.SUBMITTED, RequestStatus.ACCEPTED, RequestStatus.SCHEDULED}, RequestStatus.SCHEDULED,
                 "schedule"),
    "complete": ({RequestStatus.ACCEPTED, RequestStatus.SCHEDULED}, RequestStatus.DONE, "complete"),
    "decline": ({RequestStatus.SUBMITTED, RequestStatus.ACCEPTED, RequestStatus.SCHEDULED}, RequestStatus.DECLINED,
                "decline"),
    "cancel": ({RequestStatus.SUBMITTED, RequestStatus.ACCEPTED, RequestStatus.SCHEDULED}, RequestStatus.CANCELLED,
               "cancel"),
}
REQUEST_ALLOWED = {s.value: sorted(n for n, (src, _, _) in REQUEST_STEPS.items() if s in src) for s in RequestStatus}
REQUEST_STEP_TEXT = {
    "accept": "The committee has taken on your request.",
    "schedule": "It is scheduled for {when}.",
    "complete": "It is done. Please rate it.",
    "decline": "Your request was declined: {note}",
}


def request_steps(user: Principal, req: ServiceRequest) -> list[str]:
    steps = [n for n in REQUEST_ALLOWED.get(req.status, []) if can(user, REQUEST_STEPS[n][2], req)]
    if req.status == RequestStatus.DONE and req.rating is None and can(user, "rate", req):
        steps.append("rate")
    return steps


def _actor(user: Principal) -> str | None:
    return getattr(user, "name", None) or getattr(user, "reason", None)


def _event(session: Session, req: ServiceRequest, user: Principal, kind_: str, *, note: str | None = None,
           from_status: str | None = None, to_status: str | None = None) -> RequestEvent:
    event = RequestEvent(request_id=req.id, kind=kind_, actor_id=user.id, actor_role=user.role,
                         actor_name=_actor(user), from_status=from_status, to_status=to_status, note=note)
    session.add(event)
    session.flush()
    return event


def _handlers(session: Session, service: Service) -> list[int]:
    if service.provider_unit_id is not None:
        return list(session.scalars(select(User.id).where(User.unit_id == service.provider_unit_id,
                                                          User.is_active.is_(True))))
    return list(session.scalars(select(User.id).where(User.role == "staff", User.area_path == service.area_path,
                                                      User.is_active.is_(True))))


def create_request(session: Session, *, user: Principal, data: dict) -> ServiceRequest:
    service = find_for(session, user, Service, data.pop("service_id"))
    if service is None or service.status != ServiceStatus.PUBLISHED or service.kind != Kind.ON_REQUEST:
        raise invalid({"service_id": ["No such on-request service."]})
    require(user, "book", service)
    reason = eligibility(user, service)
    if reason:
        raise Forbidden(reason, type="not-eligible", **_reason_params(service))
    if data.get("preferred_at") is not None and data["preferred_at"] <= utcnow():
        raise invalid({"preferred_at": ["Pick a time in the future."]})
    _lock_person(session, user)
    open_ = session.scalar(select(func.count()).select_from(ServiceRequest).where(
        ServiceRequest.user_id == user.id, ServiceRequest.service_id == service.id,
        ServiceRequest.status.in_((RequestStatus.SUBMITTED, RequestStatus.ACCEPTED, RequestStatus.SCHEDULED))))
    if open_ >= service.max_active_per_resident:
        raise Conflict("You already have {n} open requests of this service, the most it allows.",
                       type="booking-limit", n=service.max_active_per_resident)
    resident = getattr(user, "resident", None)
    address = data.pop("address", None) or (resident.household.address if resident is not None else None)
    req = ServiceRequest(service_id=service.id, user_id=user.id, resident_id=getattr(user, "resident_id", None),
                         area_path=service.area_path, address=address, **data)
    session.add(req)
    session.flush()
    _event(session, req, user, "submitted", to_status=RequestStatus.SUBMITTED, note=req.details)
    notify(session, user_ids=_handlers(session, service), kind=N_REQUEST_NEW, subject_type="service_request",
           subject_id=req.id, params={"service": service.title, "details": req.details[:80]}, skip=user.id)
    return req


def list_requests(session: Session, *, user: Principal, status: list[str] | None = None,
                  service_id: int | None = None, mine: bool | None = None, cursor: str | None,
                  limit: int) -> Page[ServiceRequest]:
    stmt = scoped(user, ServiceRequest)
    if mine or user.role in ("resident", "volunteer"):
        stmt = stmt.where(ServiceRequest.user_id == user.id)
    if status:
        stmt = stmt.where(ServiceRequest.status.in_(status))
    if service_id is not None:
        stmt = stmt.where(ServiceRequest.service_id == service_id)
    return paginate(session, stmt, keys=[ServiceRequest.created_at, ServiceRequest.id], cursor=cursor, limit=limit,
                    descending=True)


def get_request(session: Session, *, user: Principal, request_id: int) -> ServiceRequest:
    return get_for(session, user, ServiceRequest, request_id)


def request_step(session: Session, *, user: Principal, req: ServiceRequest, step: str, note: str | None = None,
                 scheduled_at: datetime | None = None) -> ServiceRequest:
    sources, target, permission = REQUEST_STEPS[step]
    require(user, permission, req)
    values: dict = {"updated_at": utcnow(), "version": ServiceRequest.version + 1}
    if step == "schedule":
        if scheduled_at is None or scheduled_at <= utcnow():
            raise invalid({"scheduled_at": ["Pick a time in the future."]})
        values["scheduled_at"] = scheduled_at
    if step in ("accept", "schedule", "complete"):
        values["handler_id"] = user.id
    if step == "complete":
        values["done_at"] = utcnow()
    before = req.status
    transition(session, req, to=target, allowed_from=[s.value for s in sources], allowed_now=REQUEST_ALLOWED,
               **values)
    _event(session, req, user, step, note=note, from_status=before, to_status=target)
    text = REQUEST_STEP_TEXT.get(step)
    if text and req.user_id != user.id:
        notify(session, user_ids=[req.user_id], kind=N_REQUEST_STEP, subject_type="service_request",
               subject_id=req.id, params={"service": req.service.title, "step": text.format(
                   when=schedule.local_text(req.scheduled_at) if req.scheduled_at else "", note=note or "")})
    elif step == "cancel":
        notify(session, user_ids=_handlers(session, req.service), kind=N_REQUEST_STEP, subject_type="service_request",
               subject_id=req.id, params={"service": req.service.title, "step": "The resident cancelled the request."},
               skip=user.id)
    return req


def rate_request(session: Session, *, user: Principal, req: ServiceRequest, rating: int,
                 comment: str | None = None) -> ServiceRequest:
    require(user, "rate", req)
    if req.status != RequestStatus.DONE:
        raise InvalidTransition(req.status, REQUEST_ALLOWED.get(req.status, []),
                                detail="A request can be rated once it is done.")
    done = session.execute(update(ServiceRequest).where(ServiceRequest.id == req.id, ServiceRequest.rating.is_(None))
                           .values(rating=rating, rating_comment=comment, version=ServiceRequest.version + 1)
                           .execution_options(synchronize_session=False)).rowcount
    if not done:
        raise Conflict("You have already rated this request.", type="already-rated")
    session.refresh(req)
    _event(session, req, user, "rated", note=comment)
    return req


def comment_request(session: Session, *, user: Principal, req: ServiceRequest, note: str) -> RequestEvent:
    require(user, "comment", req)
    event = _event(session, req, user, "comment", note=note)
    others = [req.user_id] if req.user_id != user.id else _handlers(session, req.service)
    notify(session, user_ids=others, kind=N_REQUEST_STEP, subject_type="service_request", subject_id=req.id,
           params={"service": req.service.title, "step": note[:80]}, skip=user.id)
    return event


def request_timeline(session: Session, *, req: ServiceRequest) -> list[RequestEvent]:
    return list(session.scalars(select(RequestEvent).where(RequestEvent.request_id == req.id).order_by(RequestEvent.id)))


