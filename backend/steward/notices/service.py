"""Notices and guides: write (sanitised on save), publish (now, or by the job when due), read, count.

Read receipts are kept twice: per person (their unread count) and per household (the read rate, and
the doors a volunteer still has to knock on). A household counts as read when anyone of it opened the
notice in the app, or a volunteer or staff member marked it told at the door."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import and_, exists, func, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, joinedload

from ..areas.models import Area, Household, Stairwell
from ..audit.service import record
from ..core.errors import Conflict, invalid
from ..core.pagination import Page, paginate
from ..db import utcnow
from ..media import get_storage
from ..media.storage import new_key, thumb_key
from ..media.uploads import _delete
from ..notifications.service import kind, notify
from ..people.models import Resident, ResidentTag, User
from ..scope import MANAGER_ROLES, Principal, find_for, get_for, manages, require, scoped, under, visible
from . import rendering
from .access import live
from .files import MAX_FILES, CheckedFile
from .models import CATEGORY_LABELS, Category, Notice, NoticeAttachment, NoticeHouseholdRead, NoticeRead, Status

N_IMPORTANT = kind("notice.important", "Important notice: {title}", "{summary}")


def categories() -> list[dict]:
    from ..core.i18n import t

    return [{"code": c.value, "label": t(CATEGORY_LABELS[c])} for c in Category]


# ---------------------------------------------------------------- reading
def list_notices(session: Session, *, user: Principal, category: str | None = None, q: str | None = None,
                 pinned: bool | None = None, unread: bool | None = None, status: str | None = None,
                 area_id: int | None = None, cursor: str | None, limit: int) -> Page[Notice]:
    """Newest first. Readers see what is live for them; staff their area's notices in every state."""
    stmt = scoped(user, Notice)
    if user.role not in MANAGER_ROLES:
        stmt = stmt.where(live())
    elif status is not None:
        stmt = stmt.where(Notice.status == status)
    if category is not None:
        stmt = stmt.where(Notice.category == category)
    if q:
        stmt = stmt.where(or_(Notice.title.contains(q, autoescape=True), Notice.body_md.contains(q, autoescape=True)))
    if pinned is not None:
        stmt = stmt.where(Notice.pinned.is_(pinned))
    if unread:
        stmt = stmt.where(~_read_by(user.id))
    if area_id is not None:
        stmt = stmt.where(under(Notice.area_path, get_for(session, user, Area, area_id).path))
    page = paginate(session, stmt, keys=[Notice.publish_at, Notice.id], cursor=cursor, limit=limit, descending=True)
    _mark_read_flags(session, user, page.items)
    return page


def _read_by(user_id: int | None):
    return exists(select(NoticeRead.notice_id).where(NoticeRead.notice_id == Notice.id,
                                                     NoticeRead.user_id == user_id))


def _mark_read_flags(session: Session, user: Principal, notices: list[Notice]) -> None:
    ids = [n.id for n in notices]
    read = set(session.scalars(select(NoticeRead.notice_id).where(NoticeRead.user_id == user.id,
                                                                  NoticeRead.notice_id.in_(ids)))) if ids else set()
    for n in notices:
        n.read_by_me = n.id in read


def get_notice(session: Session, *, user: Principal, notice_id: int, action: str = "read") -> Notice:
    notice = get_for(session, user, Notice, notice_id, action)
    _mark_read_flags(session, user, [notice])
    return notice


def open_notice(session: Session, *, user: Principal, notice_id: int) -> Notice:
    """Read a notice; opening a live one records the receipt (the person's, and their household's)."""
    notice = get_notice(session, user=user, notice_id=notice_id)
    if notice.read_by_me or not is_live(notice):
        return notice
    _insert_ignore(session, NoticeRead, {"notice_id": notice.id, "user_id": user.id})
    household_id = user.household_id
    if household_id is not None and session.scalar(
            select(Household.id).where(Household.id == household_id, *_audience(notice, "/"))):
        _insert_ignore(session, NoticeHouseholdRead, {"notice_id": notice.id, "household_id": household_id,
                                                      "via": "app", "by_user_id": user.id})
    notice.read_by_me = True
    return notice


def is_live(notice: Notice, now: datetime | None = None) -> bool:
    now = now or utcnow()
    return notice.status == Status.PUBLISHED and notice.publish_at <= now and (
        notice.expire_at is None or notice.expire_at > now)


def _insert_ignore(session: Session, model, values: dict) -> None:
    """Insert a receipt unless it is there already (two taps at once give one row)."""
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    session.execute(dialect.insert(model).values(**values).on_conflict_do_nothing())


def unread_count(session: Session, *, user: Principal) -> int:
    return session.scalar(select(func.count()).select_from(Notice).where(
        visible(user, Notice), live(), ~_read_by(user.id)))


# ---------------------------------------------------------------- writing
def _audience_area(session: Session, user: Principal, area_id: int) -> Area:
    area = find_for(session, user, Area, area_id)
    if area is None or not manages(user, area.path):
        raise invalid({"area_id": ["Pick an area you manage."]})
    return area


def _apply(notice: Notice, data: dict) -> None:
    for name in ("category", "title", "tag", "important", "pinned", "publish_at", "expire_at"):
        if name in data:
            setattr(notice, name, data[name])
    if "body_md" in data:
        notice.body_md = data["body_md"]
        notice.body_html = rendering.render(data["body_md"])
    if data.get("summary"):
        notice.summary = data["summary"]
    elif "body_md" in data and not data.get("summary"):
        notice.summary = rendering.plain_summary(notice.body_md)
    if notice.category == Category.IMPORTANT:
        notice.important = True
    if notice.publish_at is None:
        notice.publish_at = utcnow()
    if notice.expire_at is not None and notice.expire_at <= notice.publish_at:
        raise invalid({"expire_at": ["The expiry time must be after the publish time."]})


def create_notice(session: Session, *, user: Principal, data: dict) -> Notice:
    data = dict(data)
    publish_now = data.pop("publish", False)
    area = _audience_area(session, user, data.pop("area_id"))
    notice = Notice(area_id=area.id, area_path=area.path, created_by_id=user.id, status=Status.DRAFT,
                    body_md="", body_html="", summary="", important=False, pinned=False)
    data.setdefault("body_md", "")
    _apply(notice, data)
    session.add(notice)
    session.flush()
    record(session, actor=user, action="notice.create", resource_type="notice", resource_id=notice.id,
           area_path=notice.area_path, detail={"category": notice.category})
    if publish_now:
        publish(session, user=user, notice=notice)
    return get_notice(session, user=user, notice_id=notice.id)


def update_notice(session: Session, *, user: Principal, notice: Notice, data: dict) -> Notice:
    data = dict(data)
    if notice.status == Status.WITHDRAWN:
        raise Conflict("This notice has been withdrawn.", type="notice-withdrawn")
    if "area_id" in data:
        area = _audience_area(session, user, data.pop("area_id"))
        notice.area_id, notice.area_path = area.id, area.path
    if "publish_at" in data and data["publish_at"] is None:
        data.pop("publish_at")
    _apply(notice, data)
    session.flush()
    record(session, actor=user, action="notice.update", resource_type="notice", resource_id=notice.id,
           area_path=notice.area_path, detail={"fields": sorted(data)})
    if notice.status == Status.PUBLISHED:
        _notify_once(session, notice)
    return notice


def publish(session: Session, *, user: Principal, notice: Notice) -> Notice:
    """Publish now, or schedule when ``publish_at`` is ahead (the job publishes it then)."""
    if notice.status not in (Status.DRAFT, Status.SCHEDULED):
        raise Conflict("Only drafts and scheduled notices can be published.", type="not-publishable")
    now = utcnow()
    if notice.publish_at > now:
        notice.status = Status.SCHEDULED
    else:
        notice.status, notice.publish_at, notice.published_at = Status.PUBLISHED, now, now
    session.flush()
    record(session, actor=user, action="notice.publish", resource_type="notice", resource_id=notice.id,
           area_path=notice.area_path, detail={"status": notice.status})
    if notice.status == Status.PUBLISHED:
        _notify_once(session, notice)
    return notice


def withdraw(session: Session, *, user: Principal, notice: Notice) -> Notice:
    if notice.status == Status.WITHDRAWN:
        raise Conflict("This notice has been withdrawn.", type="notice-withdrawn")
    notice.status = Status.WITHDRAWN
    record(session, actor=user, action="notice.withdraw", resource_type="notice", resource_id=notice.id,
           area_path=notice.area_path)
    return notice


def publish_due(session: Session, *, now: datetime | None = None) -> int:
    """The job: scheduled notices whose time has come go live (and important ones notify, once)."""
    now = now or utcnow()
    published = 0
    for notice in session.scalars(select(Notice).where(Notice.status == Status.SCHEDULED, Notice.publish_at <= now)
                                  .order_by(Notice.id).limit(500)):
        # Guarded: two schedulers at once publish it once.
        done = session.execute(update(Notice).where(Notice.id == notice.id, Notice.status == Status.SCHEDULED)
                               .values(status=Status.PUBLISHED, published_at=now, version=Notice.version + 1)
                               .execution_options(synchronize_session=False)).rowcount
        if done:
            session.refresh(notice)
            _notify_once(session, notice)
            published += 1
    return published


def _audience(notice: Notice, within: str) -> list:
    """Conditions on Household: the notice's households that lie under ``within`` too."""
    prefix = within if within.startswith(notice.area_path) else notice.area_path
    conds = [Household.area_path.startswith(prefix, autoescape=True)]
    if not (prefix.startswith(notice.area_path) and prefix.startswith(within)):
        conds.append(Household.id.is_(None))  # the two areas do not overlap
    if notice.tag:
        conds.append(Household.id.in_(select(Resident.household_id).join(ResidentTag)
                                      .where(ResidentTag.tag == notice.tag)))
    return conds


def _notify_once(session: Session, notice: Notice) -> None:
    if not notice.important:
        return
    claimed = session.execute(update(Notice).where(Notice.id == notice.id, Notice.notified_at.is_(None))
                              .values(notified_at=utcnow()).execution_options(synchronize_session=False)).rowcount
    if not claimed:
        return
    homes = select(User.id).join(Resident, Resident.id == User.resident_id).join(
        Household, Household.id == Resident.household_id).where(User.is_active.is_(True), *_audience(notice, "/"))
    user_ids = set(session.scalars(homes))
    if notice.tag is None:  # residents awaiting verification, and the volunteers of the area
        user_ids |= set(session.scalars(select(User.id).where(
            User.is_active.is_(True), User.role.in_(("resident", "volunteer")),
            or_(and_(User.resident_id.is_(None), User.area_path.startswith(notice.area_path, autoescape=True)),
                and_(User.role == "volunteer", User.area_path.startswith(notice.area_path, autoescape=True))))))
    notify(session, user_ids=user_ids, kind=N_IMPORTANT, params={"title": notice.title, "summary": notice.summary},
           subject_type="notice", subject_id=notice.id, skip=notice.created_by_id)


# ---------------------------------------------------------------- read rates, door to door
def _within(user: Principal) -> str:
    return "/" if user.role == "system" else user.area_path


def stats(session: Session, *, user: Principal, notice: Notice) -> dict:
    """Households in the audience and how many know, in total and per grid (within the caller's area)."""
    rows = session.execute(
        select(Household.area_path, func.count(Household.id), func.count(NoticeHouseholdRead.household_id))
        .select_from(Household)
        .outerjoin(NoticeHouseholdRead, and_(NoticeHouseholdRead.household_id == Household.id,
                                             NoticeHouseholdRead.notice_id == notice.id))
        .where(*_audience(notice, _within(user))).group_by(Household.area_path)).all()
    areas = {a.path: a for a in session.scalars(select(Area).where(Area.path.in_([r[0] for r in rows])))} \
        if rows else {}
    grids = [{"grid": areas.get(path), "households": total, "read": read,
              "rate": round(read / total, 4) if total else 0.0} for path, total, read in rows if path in areas]
    grids.sort(key=lambda g: (g["rate"], g["grid"].id))
    households = sum(g["households"] for g in grids)
    read = sum(g["read"] for g in grids)
    return {"households": households, "read": read, "rate": round(read / households, 4) if households else 0.0,
            "grids": grids}


def unread_households(session: Session, *, user: Principal, notice: Notice, grid_id: int | None = None,
                      cursor: str | None, limit: int) -> Page[Household]:
    """The households nobody of which has read the notice: the volunteer's list of doors."""
    within = _within(user)
    if grid_id is not None:
        grid = get_for(session, user, Area, grid_id)
        within = grid.path if grid.path.startswith(within) else within
    stmt = (select(Household).options(joinedload(Household.stairwell).joinedload(Stairwell.grid),
                                      joinedload(Household.stairwell).joinedload(Stairwell.community))
            .where(*_audience(notice, within),
                   ~exists(select(NoticeHouseholdRead.household_id).where(
                       NoticeHouseholdRead.notice_id == notice.id, NoticeHouseholdRead.household_id == Household.id))))
    return paginate(session, stmt, keys=[Household.id], cursor=cursor, limit=limit)


def inform(session: Session, *, user: Principal, notice: Notice, household_id: int) -> dict:
    """A volunteer told the household at the door: it counts as read."""
    found = session.scalar(select(Household.id).where(Household.id == household_id, *_audience(notice, _within(user))))
    if found is None:
        raise invalid({"household_id": ["Not a household this notice is addressed to."]})
    _insert_ignore(session, NoticeHouseholdRead, {"notice_id": notice.id, "household_id": household_id,
                                                  "via": "door", "by_user_id": user.id})
    record(session, actor=user, action="notice.inform", resource_type="notice", resource_id=notice.id,
           area_path=notice.area_path, detail={"household_id": household_id})
    return stats(session, user=user, notice=notice)


# ---------------------------------------------------------------- attachments
def add_attachments(session: Session, *, user: Principal, notice: Notice, files: list[CheckedFile]) -> Notice:
    require(user, "attach", notice)
    if len(notice.attachments) + len(files) > MAX_FILES:
        raise invalid({"files": [f"A notice holds at most {MAX_FILES} attachments."]})
    storage = get_storage()
    written: list[str] = []
    try:
        for f in files:
            key = new_key(f.extension)
            storage.put(key, f.data, f.content_type)
            written.append(key)
            small = None
            if f.thumbnail is not None:
                small = thumb_key(key)
                storage.put(small, f.thumbnail, f.content_type)
                written.append(small)
            notice.attachments.append(NoticeAttachment(kind=f.kind, filename=f.filename, key=key, thumb_key=small,
                                                       content_type=f.content_type, size=len(f.data)))
        session.flush()
    except BaseException:
        _delete(storage, written)
        raise
    from ..core.txhooks import on_rollback

    on_rollback(lambda: _delete(storage, written), session=session)
    record(session, actor=user, action="notice.attach", resource_type="notice", resource_id=notice.id,
           area_path=notice.area_path, detail={"files": len(files)})
    return notice


def attachment_of(session: Session, *, user: Principal, notice_id: int, attachment_id: int) -> NoticeAttachment:
    notice = get_for(session, user, Notice, notice_id)
    for a in notice.attachments:
        if a.id == attachment_id:
            return a
    from ..core.errors import not_found

    raise not_found()


def delete_attachment(session: Session, *, user: Principal, notice: Notice, attachment_id: int) -> None:
    from ..core.errors import not_found
    from ..media import delete_after_commit

    attachment = next((a for a in notice.attachments if a.id == attachment_id), None)
    if attachment is None:
        raise not_found()
    notice.attachments.remove(attachment)
    delete_after_commit([k for k in (attachment.key, attachment.thumb_key) if k])
