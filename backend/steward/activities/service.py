"""Activities: publish, sign up (capacity held by the database, as for bookings), check in, complete —
crediting volunteer hours to the volunteers who served."""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..areas.models import Area, AreaKind
from ..audit.service import record
from ..core.errors import Conflict, Forbidden, invalid, not_found
from ..core.ics import Entry
from ..core.pagination import Page, paginate
from ..core.transitions import transition
from ..db import utcnow
from ..gallery import service as gallery
from ..notifications.service import kind, notify
from ..people.models import User
from ..scope import Principal, can, find_for, get_for, require, scoped, under
from ..services import schedule
from ..services.policy import ineligible, new_code, normalise_code, release_seat, take_seat
from ..services.service import TAG_NAMES
from .models import Activity, ActivityKind, ActivityStatus, Signup, SignupStatus

S = SignupStatus
N_REMINDER = kind("activity.reminder", "Tomorrow: {title}", "{when} · {place}. Your check-in code is {code}.")
N_CANCELLED = kind("activity.cancelled", "Cancelled: {title}", "{when}: {reason}")
STEPS = {  # step: (from, to)
    "publish": ({ActivityStatus.DRAFT}, ActivityStatus.PUBLISHED),
    "cancel": ({ActivityStatus.DRAFT, ActivityStatus.PUBLISHED}, ActivityStatus.CANCELLED),
    "complete": ({ActivityStatus.PUBLISHED}, ActivityStatus.COMPLETED),
}
ALLOWED = {s.value: sorted(n for n, (src, _) in STEPS.items() if s in src) for s in ActivityStatus}
SIGNUP_ALLOWED = {S.SIGNED_UP: ["cancel", "check_in"], S.NO_SHOW: ["check_in"], S.CHECKED_IN: [], S.CANCELLED: []}


def list_activities(session: Session, *, user: Principal, kind: str | None = None, status: str | None = None,
                    when: str | None = None, area_id: int | None = None, cursor: str | None,
                    limit: int) -> Page[Activity]:
    stmt = scoped(user, Activity)
    if kind:
        stmt = stmt.where(Activity.kind == kind)
    if status:
        stmt = stmt.where(Activity.status == status)
    if area_id is not None:
        area = get_for(session, user, Area, area_id)
        stmt = stmt.where(under(Activity.area_path, area.path))
    now = utcnow()
    if when == "upcoming":
        return paginate(session, stmt.where(Activity.ends_at > now), keys=[Activity.starts_at, Activity.id],
                        cursor=cursor, limit=limit)
    if when == "past":
        stmt = stmt.where(Activity.ends_at <= now)
    return paginate(session, stmt, keys=[Activity.starts_at, Activity.id], cursor=cursor, limit=limit, descending=True)


def get_activity(session: Session, *, user: Principal, activity_id: int, action: str = "read") -> Activity:
    return get_for(session, user, Activity, activity_id, action)


def eligibility(user: Principal, activity) -> str | None:
    return ineligible(user, audience=activity.audience, required_tags=activity.required_tags or [],
                      min_age=activity.min_age, today=schedule.local_day(utcnow()))


def reason_params(activity) -> dict:
    return {"tags": "、".join(TAG_NAMES.get(t, t) for t in activity.required_tags or []), "age": activity.min_age}


def _check_times(data: dict, now: datetime) -> None:
    starts, ends, deadline = data.get("starts_at"), data.get("ends_at"), data.get("signup_deadline")
    if starts is not None and starts <= now:
        raise invalid({"starts_at": ["Pick a time in the future."]})
    if starts is not None and ends is not None and ends <= starts:
        raise invalid({"ends_at": ["The end must be after the start."]})
    if deadline is not None and starts is not None and deadline > starts:
        raise invalid({"signup_deadline": ["Sign-up must close by the start."]})


def create_activity(session: Session, *, user: Principal, data: dict) -> Activity:
    area = find_for(session, user, Area, data.pop("area_id"))
    if area is None or area.kind not in (AreaKind.TOWN, AreaKind.COMMUNITY):
        raise invalid({"area_id": ["Pick the town or a community."]})
    data.setdefault("signup_deadline", data["starts_at"])
    _check_times(data, utcnow())
    activity = Activity(area_id=area.id, area_path=area.path, area=area, created_by_id=user.id, booked=0, **data)
    require(user, "update", activity)
    session.add(activity)
    session.flush()
    record(session, actor=user, action="activity.create", resource_type="activity", resource_id=activity.id,
           area_path=activity.area_path, detail={"title": activity.title})
    return activity


def update_activity(session: Session, *, user: Principal, activity: Activity, data: dict) -> Activity:
    require(user, "update", activity)
    merged = {k: data.get(k, getattr(activity, k)) for k in ("starts_at", "ends_at", "signup_deadline")}
    if {"starts_at", "ends_at", "signup_deadline"} & set(data):
        _check_times(merged, utcnow())
    if "capacity" in data:
        done = session.execute(update(Activity).where(Activity.id == activity.id, Activity.booked <= data["capacity"])
                               .values(capacity=data.pop("capacity")).execution_options(synchronize_session=False))
        if not done.rowcount:
            raise Conflict("{booked} seats are already taken; the capacity cannot be lower.", type="capacity-taken",
                           booked=activity.booked)
        session.refresh(activity)
    for key, value in data.items():
        setattr(activity, key, value)
    session.flush()
    return activity


def activity_step(session: Session, *, user: Principal, activity: Activity, step: str,
                  note: str | None = None) -> Activity:
    """Publish; cancel (everyone signed up is told); complete (hours to the volunteers who served, the
    rest who never came are no-shows)."""
    require(user, "update", activity)
    sources, target = STEPS[step]
    if step == "complete" and activity.starts_at > utcnow():
        raise Conflict("An activity can be completed once it has started.", type="not-started")
    if step == "cancel" and not note:
        raise invalid({"note": ["Say why, for the residents."]})
    transition(session, activity, to=target, allowed_from=[s.value for s in sources], allowed_now=ALLOWED,
               version=Activity.version + 1, updated_at=utcnow(), **({"summary": note} if step == "complete" else {}))
    active = select(Signup).where(Signup.activity_id == activity.id, Signup.status == S.SIGNED_UP)
    if step == "cancel":
        people = [s.user_id for s in session.scalars(active)]
        session.execute(update(Signup).where(Signup.activity_id == activity.id, Signup.status == S.SIGNED_UP)
                        .values(status=S.CANCELLED, cancelled_at=utcnow()).execution_options(synchronize_session=False))
        notify(session, user_ids=people, kind=N_CANCELLED, subject_type="activity", subject_id=activity.id,
               params={"title": activity.title, "when": schedule.local_text(activity.starts_at), "reason": note},
               skip=user.id)
    if step == "complete":
        session.execute(update(Signup).where(Signup.activity_id == activity.id, Signup.status == S.CHECKED_IN,
                                             Signup.role == "volunteer")
                        .values(minutes_credited=activity.volunteer_minutes).execution_options(synchronize_session=False))
        session.execute(update(Signup).where(Signup.activity_id == activity.id, Signup.status == S.SIGNED_UP)
                        .values(status=S.NO_SHOW).execution_options(synchronize_session=False))
    record(session, actor=user, action=f"activity.{step}", resource_type="activity", resource_id=activity.id,
           area_path=activity.area_path)
    return activity


# ------------------------------------------------------------------ sign-up
def sign_up(session: Session, *, user: Principal, activity: Activity, as_volunteer: bool = False,
            now: datetime | None = None) -> Signup:
    now = now or utcnow()
    require(user, "sign_up", activity)
    if activity.status != ActivityStatus.PUBLISHED:
        raise Conflict("Sign-up is not open for this activity.", type="signup-closed")
    if now >= activity.signup_deadline:
        raise Conflict("Sign-up closed at the deadline.", type="signup-closed")
    reason = eligibility(user, activity)
    if reason:
        raise Forbidden(reason, type="not-eligible", **reason_params(activity))
    volunteers = activity.kind == ActivityKind.VOLUNTEER or as_volunteer
    resident = getattr(user, "resident", None)
    if volunteers and user.role != "volunteer" and not (resident is not None and "volunteer" in resident.tags):
        raise Forbidden("Only volunteers sign up to serve.", type="not-eligible")
    session.execute(select(User.id).where(User.id == user.id).with_for_update())
    held = session.scalar(select(Signup.id).where(Signup.activity_id == activity.id, Signup.user_id == user.id,
                                                  Signup.status != S.CANCELLED))
    if held is not None:
        raise Conflict("You have already signed up.", type="already-booked", extensions={"signup_id": held})
    if not take_seat(session, Activity, activity.id, Activity.status == ActivityStatus.PUBLISHED):
        raise Conflict("This activity is full.", type="activity-full")
    signup = Signup(activity_id=activity.id, user_id=user.id, resident_id=getattr(user, "resident_id", None),
                    area_path=activity.area_path, role="volunteer" if volunteers else "participant",
                    status=S.SIGNED_UP, created_at=now)
    for _ in range(3):
        signup.code = new_code()
        try:
            with session.begin_nested():
                session.add(signup)
                session.flush()
            break
        except IntegrityError:
            if session.scalar(select(Signup.id).where(Signup.activity_id == activity.id, Signup.user_id == user.id,
                                                      Signup.status != S.CANCELLED)) is not None:
                raise Conflict("You have already signed up.", type="already-booked") from None
    else:
        raise Conflict("Please try again.", type="code-clash")
    session.refresh(activity)
    return signup


def get_signup(session: Session, *, user: Principal, signup_id: int) -> Signup:
    return get_for(session, user, Signup, signup_id)


def cancel_signup(session: Session, *, user: Principal, signup: Signup) -> Signup:
    require(user, "cancel", signup)
    if signup.user_id == user.id and utcnow() >= signup.activity.starts_at:
        raise Conflict("The activity has started.", type="cancel-cutoff", minutes=0)
    transition(session, signup, to=S.CANCELLED, allowed_from=[S.SIGNED_UP], allowed_now=SIGNUP_ALLOWED,
               cancelled_at=utcnow())
    release_seat(session, Activity, signup.activity_id)
    session.refresh(signup.activity)
    return signup


def check_in(session: Session, *, user: Principal, signup: Signup) -> Signup:
    require(user, "check_in", signup)
    if utcnow() < signup.activity.starts_at - timedelta(hours=1):
        raise Conflict("Check-in opens an hour before the start.", type="too-early")
    transition(session, signup, to=S.CHECKED_IN, allowed_from=[S.SIGNED_UP, S.NO_SHOW], allowed_now=SIGNUP_ALLOWED,
               checked_in_at=utcnow(), checked_in_by_id=user.id)
    return signup


def check_in_by_code(session: Session, *, user: Principal, activity: Activity, code: str) -> Signup:
    signup = session.scalar(scoped(user, Signup).where(Signup.activity_id == activity.id,
                                                       Signup.code == normalise_code(code)))
    if signup is None or not can(user, "check_in", signup):
        raise not_found()
    return check_in(session, user=user, signup=signup)


def roster(session: Session, *, user: Principal, activity: Activity) -> list[Signup]:
    if not (can(user, "roster", activity) or can(user, "check_in", activity)):
        raise Forbidden()
    return list(session.scalars(select(Signup).where(Signup.activity_id == activity.id, Signup.status != S.CANCELLED)
                                .order_by(Signup.created_at, Signup.id)))


def my_signups(session: Session, *, user: Principal, cursor: str | None, limit: int) -> Page[Signup]:
    stmt = select(Signup).where(Signup.user_id == user.id)
    return paginate(session, stmt, keys=[Signup.created_at, Signup.id], cursor=cursor, limit=limit, descending=True)


def volunteer_hours(session: Session, *, user: Principal, since: datetime | None = None,
                    until: datetime | None = None) -> list[dict]:
    """Minutes credited per volunteer over the signups the caller can see (one grouped statement) — what
    the alliance's volunteer hours add up from activities."""
    visible = scoped(user, Signup).with_only_columns(Signup.id).where(Signup.minutes_credited > 0)
    if since is not None:
        visible = visible.where(Signup.checked_in_at >= since)
    if until is not None:
        visible = visible.where(Signup.checked_in_at < until)
    ids = visible.subquery()
    rows = session.execute(select(User.id, User.name, func.count(), func.sum(Signup.minutes_credited))
                           .select_from(Signup).join(User, User.id == Signup.user_id)
                           .where(Signup.id.in_(select(ids.c.id))).group_by(User.id, User.name)
                           .order_by(func.sum(Signup.minutes_credited).desc(), User.id))
    return [{"user_id": uid, "name": name, "activities": n, "minutes": int(minutes or 0),
             "hours": round((minutes or 0) / 60, 1)} for uid, name, n, minutes in rows]


# ------------------------------------------------------------------ reminders and calendars
def due_reminders(session: Session, *, now: datetime | None = None) -> list[Signup]:
    now = now or utcnow()
    tomorrow = schedule.local_day(now) + timedelta(days=1)
    return list(session.scalars(select(Signup).join(Activity, Activity.id == Signup.activity_id).where(
        Signup.status == S.SIGNED_UP, Activity.status == ActivityStatus.PUBLISHED,
        Activity.starts_at >= schedule.at_local(tomorrow, 0), Activity.starts_at < schedule.at_local(tomorrow, 1440))))


def remind(session: Session, signup: Signup) -> None:
    a = signup.activity
    notify(session, user_ids=[signup.user_id], kind=N_REMINDER, subject_type="activity", subject_id=a.id,
           params={"title": a.title, "when": schedule.local_text(a.starts_at), "place": a.place or "",
                   "code": signup.code})


def calendar_entries(session: Session, *, user_id: int, since: datetime) -> list[Entry]:
    rows = session.scalars(select(Signup).join(Activity, Activity.id == Signup.activity_id).where(
        Signup.user_id == user_id, Activity.starts_at >= since).order_by(Activity.starts_at).limit(500))
    return [Entry(uid=f"activity-{s.activity_id}-{s.id}@steward", starts_at=s.activity.starts_at,
                  ends_at=s.activity.ends_at, summary=s.activity.title, location=s.activity.place,
                  description=f"签到码 Check-in code: {s.code}",
                  cancelled=s.status == S.CANCELLED or s.activity.status == ActivityStatus.CANCELLED,
                  sequence=1 if s.status == S.CANCELLED else 0) for s in rows]


# ------------------------------------------------------------------ photos afterwards
def photos(session: Session, *, user: Principal, activity_id: int) -> list:
    get_activity(session, user=user, activity_id=activity_id)
    return gallery.of(session, "activity", activity_id)


def add_photos(session: Session, *, user: Principal, activity_id: int, photos: list, caption: str | None = None) -> list:
    """Photos of an activity once it has begun (those who run it): the record residents look back on."""
    activity = get_activity(session, user=user, activity_id=activity_id, action="update")
    if activity.starts_at > utcnow():
        raise invalid({"photos": ["Photos can be added once the activity has begun."]})
    gallery.add(session, subject_type="activity", subject_id=activity.id, user=user, photos=photos, caption=caption)
    record(session, actor=user, action="activity.photos", resource_type="activity", resource_id=activity.id,
           area_path=activity.area_path, detail={"count": len(photos)})
    return gallery.of(session, "activity", activity.id)


def photo(session: Session, *, user: Principal, activity_id: int, photo_id: int, action: str = "read"):
    get_activity(session, user=user, activity_id=activity_id, action=action)
    return gallery.one(session, "activity", activity_id, photo_id)


def remove_photo(session: Session, *, user: Principal, activity_id: int, photo_id: int) -> None:
    gone = photo(session, user=user, activity_id=activity_id, photo_id=photo_id, action="update")
    gallery.remove(session, gone)
    record(session, actor=user, action="activity.photo_removed", resource_type="activity", resource_id=activity_id,
           detail={"photo_id": photo_id})
