"""Topics: propose, support (once, withdrawable), the threshold that opens discussion, comments and their
moderation, staff decisions that supporters hear of, and the project or case an adopted topic becomes."""
from __future__ import annotations

from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..areas.models import Area
from ..audit.service import record
from ..core.errors import Conflict, Forbidden, invalid, not_found
from ..core.pagination import Page, paginate
from ..core.transitions import transition
from ..db import utcnow
from ..notifications.service import kind, notify
from ..people.models import Role, User
from ..scope import Principal, can, community_path, find_for, get_for, require, scoped
from .access import verified
from .models import (
    DEFAULT_REPORT_THRESHOLD,
    DEFAULT_SUPPORT_THRESHOLD,
    Topic,
    TopicComment,
    TopicCommentReport,
    TopicPhoto,
    TopicSettings,
    TopicSupport,
)

N_DISCUSSING = kind("topic.discussing", "Now under discussion: {title}",
                    "{count} neighbours supported it; the committee will discuss it.")
N_DECIDED = kind("topic.decided", "Decision on {title}: {decision}", "{text}")
N_MODERATE = kind("topic.comment_hidden", "A comment awaits moderation: {title}",
                  "Reported by {count} residents; it is hidden until you restore or remove it.")
STEPS = {"proposed": ["discussing", "adopted", "declined", "done"], "discussing": ["adopted", "declined", "done"],
         "adopted": ["done"], "declined": [], "done": []}
DECISION_FROM = {"adopted": ("proposed", "discussing"), "declined": ("proposed", "discussing"),
                 "done": ("proposed", "discussing", "adopted")}
MAX_PHOTOS = 6


# ------------------------------------------------------------------ settings
def settings_for(session: Session, community_id: int) -> dict:
    row = session.get(TopicSettings, community_id)
    return {"community_id": community_id,
            "support_threshold": row.support_threshold if row else DEFAULT_SUPPORT_THRESHOLD,
            "report_threshold": row.report_threshold if row else DEFAULT_REPORT_THRESHOLD}


def _community(session: Session, user: Principal, community_id: int) -> Area:
    area = find_for(session, user, Area, community_id)
    if area is None or area.kind != "community":
        raise not_found()
    return area


def get_settings(session: Session, *, user: Principal, community_id: int) -> dict:
    return settings_for(session, _community(session, user, community_id).id)


def put_settings(session: Session, *, user: Principal, community_id: int, data: dict) -> dict:
    """A community's thresholds. A lower support threshold does not move topics already waiting; the
    next support does."""
    area = _community(session, user, community_id)
    if user.role not in ("admin", "town_staff", "staff", "system") or not area.path.startswith(user.area_path):
        raise Forbidden()
    row = session.get(TopicSettings, area.id)
    if row is None:
        row = TopicSettings(community_id=area.id, support_threshold=DEFAULT_SUPPORT_THRESHOLD,
                            report_threshold=DEFAULT_REPORT_THRESHOLD)
        session.add(row)
    for key, value in data.items():
        setattr(row, key, value)
    session.flush()
    record(session, actor=user, action="topic.settings", resource_type="area", resource_id=area.id,
           area_path=area.path, detail=data)
    return settings_for(session, area.id)


# ------------------------------------------------------------------ topics
def list_topics(session: Session, *, user: Principal, status: list[str] | None = None, kind: str | None = None,
                mine: bool | None = None, cursor: str | None, limit: int) -> Page[Topic]:
    stmt = scoped(user, Topic)
    if status:
        stmt = stmt.where(Topic.status.in_(status))
    if kind:
        stmt = stmt.where(Topic.kind == kind)
    if mine:
        stmt = stmt.where(Topic.author_id == user.id)
    page = paginate(session, stmt, keys=[Topic.id], cursor=cursor, limit=limit, descending=True)
    attach_viewer_facts(session, user, list(page.items))
    return page


def attach_viewer_facts(session: Session, user: Principal, topics: list[Topic]) -> None:
    """Whether I support each topic, and its community's threshold: two queries for any page."""
    ids = [t.id for t in topics]
    mine = set(session.scalars(select(TopicSupport.topic_id).where(TopicSupport.topic_id.in_(ids),
                                                                   TopicSupport.user_id == user.id))) if ids else set()
    communities = {t.community_id for t in topics}
    thresholds = dict(session.execute(select(TopicSettings.community_id, TopicSettings.support_threshold)
                                      .where(TopicSettings.community_id.in_(communities))).all()) if communities else {}
    for t in topics:
        t.supported_by_me = t.id in mine
        t.support_threshold = thresholds.get(t.community_id, DEFAULT_SUPPORT_THRESHOLD)
        t.may_support = can(user, "support", t)
        t.may_decide = can(user, "decide", t)


def get_topic(session: Session, *, user: Principal, topic_id: int, action: str = "read") -> Topic:
    topic = get_for(session, user, Topic, topic_id, action)
    attach_viewer_facts(session, user, [topic])
    return topic


def propose(session: Session, *, user: Principal, data: dict, photos: list | None = None) -> Topic:
    """A verified resident's topic or idea, in their own community; the author supports it from the start."""
    if not verified(user):
        raise Forbidden("Only residents whose household is verified may propose topics.", type="not-verified")
    photos = photos or []
    if len(photos) > MAX_PHOTOS:
        raise invalid({"photos": ["At most 6 photos."]})
    community = session.scalar(select(Area).where(Area.path == community_path(user)))
    if community is None:
        raise not_found()
    now = utcnow()
    topic = Topic(community_id=community.id, area_path=community.path, author_id=user.id, status="proposed",
                  supports_count=0, comments_count=0, created_at=now, updated_at=now, **data)
    session.add(topic)
    session.flush()
    if photos:
        from .. import media

        session.add_all([TopicPhoto(topic_id=topic.id, **stored.columns())
                         for stored in media.store_photos(photos, session=session)])
        session.flush()
        session.refresh(topic, ["photos"])
    record(session, actor=user, action="topic.propose", resource_type="topic", resource_id=topic.id,
           area_path=topic.area_path, detail={"title": topic.title, "kind": topic.kind})
    support(session, user=user, topic=topic, supported=True)
    return get_topic(session, user=user, topic_id=topic.id)


def _count(session: Session, topic: Topic, delta: int) -> None:
    session.execute(update(Topic).where(Topic.id == topic.id)
                    .values(supports_count=Topic.supports_count + delta, version=Topic.version + 1)
                    .execution_options(synchronize_session=False))


def support(session: Session, *, user: Principal, topic: Topic, supported: bool) -> Topic:
    """Support or withdraw. The row's primary key (topic, user) makes a second support — even two at the
    same instant — a no-op; the count moves in the same transaction as the row; reaching the community's
    threshold moves a proposed topic to discussion in one guarded UPDATE (only one request does it)."""
    require(user, "support", topic)
    if supported:
        try:
            with session.begin_nested():
                session.add(TopicSupport(topic_id=topic.id, user_id=user.id))
                session.flush()
        except IntegrityError:
            pass  # already supported: nothing to do
        else:
            _count(session, topic, +1)
            _maybe_open_discussion(session, topic)
    else:
        gone = session.execute(delete(TopicSupport).where(TopicSupport.topic_id == topic.id,
                                                          TopicSupport.user_id == user.id)).rowcount
        if gone:
            _count(session, topic, -1)
    session.refresh(topic)
    attach_viewer_facts(session, user, [topic])
    return topic


def _maybe_open_discussion(session: Session, topic: Topic) -> None:
    threshold = settings_for(session, topic.community_id)["support_threshold"]
    now = utcnow()
    moved = session.execute(
        update(Topic).where(Topic.id == topic.id, Topic.status == "proposed", Topic.supports_count >= threshold)
        .values(status="discussing", discussing_at=now, updated_at=now)
        .execution_options(synchronize_session=False)).rowcount
    if moved:
        session.refresh(topic)
        supporters = session.scalars(select(TopicSupport.user_id).where(TopicSupport.topic_id == topic.id)).all()
        notify(session, user_ids=[topic.author_id, *supporters, *_staff_ids(session, topic.area_path)],
               kind=N_DISCUSSING, params={"title": topic.title, "count": topic.supports_count},
               subject_type="topic", subject_id=topic.id)


def _staff_ids(session: Session, community: str) -> list[int]:
    return list(session.scalars(select(User.id).where(User.role == Role.STAFF, User.area_path == community,
                                                      User.is_active.is_(True))))


DECISION_WORDS = {d: f"topic decision: {d}" for d in ("adopted", "declined", "done")}


def decide(session: Session, *, user: Principal, topic: Topic, decision: str, text: str) -> Topic:
    """Staff answer: adopted / declined / done, with text; the author and every supporter are notified."""
    now = utcnow()
    transition(session, topic, to=decision, allowed_from=DECISION_FROM[decision], allowed_now=STEPS,
               decision_text=text, decided_at=now, decided_by_id=user.id, updated_at=now, version=Topic.version + 1)
    supporters = session.scalars(select(TopicSupport.user_id).where(TopicSupport.topic_id == topic.id)).all()
    notify(session, user_ids=[topic.author_id, *supporters], kind=N_DECIDED,
           params={"title": topic.title, "decision": DECISION_WORDS[decision], "text": text},
           subject_type="topic", subject_id=topic.id, skip=user.id)
    record(session, actor=user, action="topic.decide", resource_type="topic", resource_id=topic.id,
           area_path=topic.area_path, detail={"decision": decision})
    attach_viewer_facts(session, user, [topic])
    return topic


def to_project(session: Session, *, user: Principal, topic: Topic, summary: str | None = None,
               units: list | None = None) -> Topic:
    """An adopted topic becomes a joint project of its community, linked both ways in the topic."""
    from ..projects import service as projects

    if topic.status not in ("adopted", "done"):
        raise Conflict("Only an adopted topic becomes a project or a case.", type="topic-not-adopted")
    if topic.project_id is not None:
        raise Conflict("This topic already has a project.", type="topic-linked")
    project = projects.create_project(session, user=user, data={
        "community_id": topic.community_id, "title": topic.title, "summary": summary or topic.title,
        "description": f"{topic.body}\n\n（源自居民{_kind_zh(topic)}，{topic.supports_count} 人支持）",
        "units": units or []})
    topic.project_id = project.id
    session.flush()
    record(session, actor=user, action="topic.project", resource_type="topic", resource_id=topic.id,
           area_path=topic.area_path, detail={"project_id": project.id})
    attach_viewer_facts(session, user, [topic])
    return topic


def to_case(session: Session, *, user: Principal, topic: Topic, category_id: int,
            description: str | None = None, address: str | None = None) -> Topic:
    """An adopted topic becomes a case of its community (staff report it; the category sets who handles it)."""
    from ..cases import service as cases

    if topic.status not in ("adopted", "done"):
        raise Conflict("Only an adopted topic becomes a project or a case.", type="topic-not-adopted")
    if topic.case_id is not None:
        raise Conflict("This topic already has a case.", type="topic-linked")
    case = cases.create_case(session, user=user, data={
        "category_id": category_id, "community_id": topic.community_id, "title": topic.title[:60],
        "description": (description or topic.body)[:2000], "answers": {},
        "address": address or topic.community.name})
    topic.case_id = case.id
    session.flush()
    record(session, actor=user, action="topic.case", resource_type="topic", resource_id=topic.id,
           area_path=topic.area_path, detail={"case_id": case.id})
    attach_viewer_facts(session, user, [topic])
    return topic


def _kind_zh(topic: Topic) -> str:
    return "金点子" if topic.kind == "idea" else "议题"


def photo_of(session: Session, *, user: Principal, topic_id: int, photo_id: int) -> TopicPhoto:
    topic = get_for(session, user, Topic, topic_id)
    photo = next((p for p in topic.photos if p.id == photo_id), None)
    if photo is None:
        raise not_found()
    return photo


# ------------------------------------------------------------------ comments
def list_comments(session: Session, *, user: Principal, topic: Topic, cursor: str | None,
                  limit: int) -> Page[TopicComment]:
    """Visible comments, oldest first; staff also see the hidden and removed ones (marked)."""
    stmt = select(TopicComment).where(TopicComment.topic_id == topic.id)
    if not can(user, "moderate", topic):
        stmt = stmt.where(TopicComment.status == "visible")
    page = paginate(session, stmt, keys=[TopicComment.id], cursor=cursor, limit=limit)
    _attach_reported(session, user, list(page.items))
    return page


def _attach_reported(session: Session, user: Principal, comments: list[TopicComment]) -> None:
    ids = [c.id for c in comments]
    mine = set(session.scalars(select(TopicCommentReport.comment_id).where(
        TopicCommentReport.comment_id.in_(ids), TopicCommentReport.user_id == user.id))) if ids else set()
    for c in comments:
        c.reported_by_me = c.id in mine


def comment(session: Session, *, user: Principal, topic: Topic, body: str) -> TopicComment:
    if topic.status == "declined":
        raise Conflict("This topic is closed for comments.", type="topic-closed")
    c = TopicComment(topic_id=topic.id, area_path=topic.area_path, user_id=user.id, body=body, status="visible",
                     reports_count=0)
    session.add(c)
    session.flush()
    session.execute(update(Topic).where(Topic.id == topic.id).values(comments_count=Topic.comments_count + 1)
                    .execution_options(synchronize_session=False))
    c.reported_by_me = False
    return c


def _get_comment(session: Session, user: Principal, topic: Topic, comment_id: int) -> TopicComment:
    c = session.scalar(scoped(user, TopicComment).where(TopicComment.id == comment_id,
                                                        TopicComment.topic_id == topic.id))
    if c is None:
        raise not_found()
    return c


def report_comment(session: Session, *, user: Principal, topic: Topic, comment_id: int,
                   reason: str | None = None) -> TopicComment:
    """A resident reports a comment, once. When N distinct residents (the community's setting) have, the
    comment is hidden pending moderation — unless staff already restored it (their decision stands)."""
    c = _get_comment(session, user, topic, comment_id)
    if c.status != "visible":
        raise not_found()
    require(user, "report", c)
    try:
        with session.begin_nested():
            session.add(TopicCommentReport(comment_id=c.id, user_id=user.id, reason=reason))
            session.flush()
    except IntegrityError:
        c.reported_by_me = True
        return c  # reported already: counts once
    session.execute(update(TopicComment).where(TopicComment.id == c.id)
                    .values(reports_count=TopicComment.reports_count + 1).execution_options(synchronize_session=False))
    threshold = settings_for(session, topic.community_id)["report_threshold"]
    hidden = session.execute(
        update(TopicComment).where(TopicComment.id == c.id, TopicComment.status == "visible",
                                   TopicComment.moderated_at.is_(None), TopicComment.reports_count >= threshold)
        .values(status="hidden", hidden_at=utcnow()).execution_options(synchronize_session=False)).rowcount
    session.refresh(c)
    if hidden:
        session.execute(update(Topic).where(Topic.id == topic.id).values(comments_count=Topic.comments_count - 1)
                        .execution_options(synchronize_session=False))
        notify(session, user_ids=_staff_ids(session, topic.area_path), kind=N_MODERATE,
               params={"title": topic.title, "count": c.reports_count}, subject_type="topic", subject_id=topic.id)
    c.reported_by_me = True
    return c


def moderation_queue(session: Session, *, user: Principal, status: str = "hidden", cursor: str | None,
                     limit: int) -> Page[TopicComment]:
    """Comments hidden by residents' reports (or removed), in the staff member's area, oldest first."""
    stmt = scoped(user, TopicComment).where(TopicComment.status == status)
    page = paginate(session, stmt, keys=[TopicComment.id], cursor=cursor, limit=limit)
    for c in page.items:
        c.reported_by_me = False
    return page


def moderate(session: Session, *, user: Principal, topic: Topic, comment_id: int, action: str,
             note: str | None = None) -> TopicComment:
    """Restore a hidden comment (it stays up, whatever further reports say) or remove it."""
    c = _get_comment(session, user, topic, comment_id)
    require(user, "moderate", c)
    to = "visible" if action == "restore" else "removed"
    allowed = ("hidden",) if action == "restore" else ("hidden", "visible")
    was = c.status
    now = utcnow()
    transition(session, c, to=to, allowed_from=allowed,
               allowed_now={"hidden": ["restore", "remove"], "visible": ["remove"], "removed": []},
               moderated_at=now, moderated_by_id=user.id, moderation_note=note)
    delta = (1 if to == "visible" else 0) - (1 if was == "visible" else 0)
    if delta:
        session.execute(update(Topic).where(Topic.id == topic.id).values(comments_count=Topic.comments_count + delta)
                        .execution_options(synchronize_session=False))
    record(session, actor=user, action=f"topic.comment_{action}", resource_type="topic_comment", resource_id=c.id,
           area_path=c.area_path, detail={"note": note} if note else None)
    c.reported_by_me = False
    return c


def participation(session: Session, *, user: Principal) -> dict:
    """Counts for a dashboard: topics by status and distinct supporters, within what the caller sees."""
    where = scoped(user, Topic).whereclause
    by_status = dict(session.execute(select(Topic.status, func.count()).where(where).group_by(Topic.status)).all())
    supporters = session.scalar(select(func.count(func.distinct(TopicSupport.user_id)))
                                .join(Topic, Topic.id == TopicSupport.topic_id).where(where)) or 0
    return {"by_status": by_status, "supporters": supporters}

