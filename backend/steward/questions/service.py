"""Questions: ask, answer in a thread, follow up, close; the staff queue (unanswered first, oldest first);
an answer kept as a guide (a hook the guides library reads: :func:`guide_candidate`)."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..areas.models import Area
from ..audit.service import record
from ..core.errors import Conflict, invalid, not_found
from ..core.pagination import Page, paginate
from ..core.transitions import transition
from ..db import utcnow
from ..notifications.service import kind, notify
from ..people.models import Role, User
from ..scope import Principal, can, community_path, get_for, scoped
from .models import QUEUE_RANK, Question, QuestionMessage, QuestionPhoto

N_ANSWERED = kind("question.answered", "The committee answered your question", "{answer}")
N_ASKED = kind("question.asked", "New question from a resident", "{question}")
N_FOLLOW_UP = kind("question.follow_up", "A resident followed up a question", "{question}")
MAX_PHOTOS = 3
STEPS = {"open": ["answer", "close"], "answered": ["answer", "follow_up", "close"], "closed": ["follow_up"]}


def _excerpt(text: str, n: int = 60) -> str:
    return text if len(text) <= n else text[:n] + "…"


def ask(session: Session, *, user: Principal, body: str, photos: list | None = None) -> Question:
    """A resident's question, filed under their grid (so its volunteer sees it) or their community."""
    photos = photos or []
    if len(photos) > MAX_PHOTOS:
        raise invalid({"photos": ["At most 3 photos."]})
    community = session.scalar(select(Area).where(Area.path == community_path(user)))
    if community is None:
        raise not_found()
    resident = getattr(user, "resident", None)
    where = resident.household.area_path if resident is not None and resident.household is not None else user.area_path
    if not where.startswith(community.path):
        where = community.path
    now = utcnow()
    q = Question(community_id=community.id, area_path=where, asker_id=user.id, body=body, status="open",
                 queue_rank=QUEUE_RANK["open"], messages_count=0, created_at=now, updated_at=now)
    session.add(q)
    session.flush()
    if photos:
        from .. import media

        session.add_all([QuestionPhoto(question_id=q.id, **stored.columns())
                         for stored in media.store_photos(photos, session=session)])
        session.flush()
        session.refresh(q, ["photos"])
    notify(session, user_ids=_answerers(session, q), kind=N_ASKED, params={"question": _excerpt(body)},
           subject_type="question", subject_id=q.id, skip=user.id)
    return get_question(session, user=user, question_id=q.id)


def _answerers(session: Session, q: Question) -> list[int]:
    """The community's staff and the volunteers of the asker's grid."""
    community = "/".join(q.area_path.split("/")[:3]) + "/"
    staff = session.scalars(select(User.id).where(User.role == Role.STAFF, User.area_path == community,
                                                  User.is_active.is_(True))).all()
    volunteers = session.scalars(select(User.id).where(User.role == Role.VOLUNTEER, User.is_active.is_(True),
                                                       User.area_path != community,
                                                       User.area_path.in_(_ancestors(q.area_path)))).all()
    return [*staff, *volunteers]


def _ancestors(path: str) -> list[str]:
    parts = path.strip("/").split("/")
    return ["/" + "/".join(parts[:i]) + "/" for i in range(1, len(parts) + 1)]


def get_question(session: Session, *, user: Principal, question_id: int, action: str = "read") -> Question:
    q = get_for(session, user, Question, question_id, action)
    _attach(session, user, q)
    return q


def _attach(session: Session, user: Principal, q: Question) -> None:
    q.thread = list(session.scalars(select(QuestionMessage).where(QuestionMessage.question_id == q.id)
                                    .order_by(QuestionMessage.id)))
    q.may_answer = can(user, "answer", q)
    q.may_close = can(user, "close", q) and q.status != "closed"
    q.may_follow_up = can(user, "follow_up", q)


def list_mine(session: Session, *, user: Principal, status: str | None = None, cursor: str | None,
              limit: int) -> Page[Question]:
    """The questions I asked, newest first."""
    stmt = scoped(user, Question).where(Question.asker_id == user.id)
    if status:
        stmt = stmt.where(Question.status == status)
    return paginate(session, stmt, keys=[Question.id], cursor=cursor, limit=limit, descending=True)


def queue(session: Session, *, user: Principal, status: str | None = None, cursor: str | None,
          limit: int) -> Page[Question]:
    """The questions staff (or the grid's volunteer) answer: unanswered first, oldest first (ids grow with time)."""
    stmt = scoped(user, Question)
    if status:
        stmt = stmt.where(Question.status == status)
    return paginate(session, stmt, keys=[Question.queue_rank, Question.id], cursor=cursor,
                    limit=limit)


def _post(session: Session, q: Question, user: Principal, body: str, *, answer: bool) -> QuestionMessage:
    m = QuestionMessage(question_id=q.id, author_id=user.id, body=body, is_answer=answer)
    session.add(m)
    session.flush()
    return m


def answer(session: Session, *, user: Principal, question: Question, body: str) -> Question:
    """Staff or the grid's volunteer answer; the asker is notified. Answering again adds to the thread."""
    now = utcnow()
    transition(session, question, to="answered", allowed_from=("open", "answered"), allowed_now=STEPS,
               queue_rank=QUEUE_RANK["answered"], answered_at=now, updated_at=now,
               messages_count=Question.messages_count + 1)
    _post(session, question, user, body, answer=True)
    notify(session, user_ids=[question.asker_id], kind=N_ANSWERED, params={"answer": _excerpt(body)},
           subject_type="question", subject_id=question.id, skip=user.id)
    record(session, actor=user, action="question.answer", resource_type="question", resource_id=question.id,
           area_path=question.area_path)
    _attach(session, user, question)
    return question


def follow_up(session: Session, *, user: Principal, question: Question, body: str) -> Question:
    """The asker adds to their question; it goes back to the top of the queue (open)."""
    now = utcnow()
    transition(session, question, to="open", allowed_from=("open", "answered", "closed"), allowed_now=STEPS,
               queue_rank=QUEUE_RANK["open"], closed_at=None, updated_at=now,
               messages_count=Question.messages_count + 1)
    _post(session, question, user, body, answer=False)
    answered_by = session.scalars(select(QuestionMessage.author_id).where(
        QuestionMessage.question_id == question.id, QuestionMessage.is_answer.is_(True))).all()
    notify(session, user_ids=answered_by or _answerers(session, question), kind=N_FOLLOW_UP,
           params={"question": _excerpt(body)}, subject_type="question", subject_id=question.id, skip=user.id)
    _attach(session, user, question)
    return question


def close(session: Session, *, user: Principal, question: Question) -> Question:
    now = utcnow()
    transition(session, question, to="closed", allowed_from=("open", "answered"), allowed_now=STEPS,
               queue_rank=QUEUE_RANK["closed"], closed_at=now, updated_at=now)
    _attach(session, user, question)
    return question


def save_as_guide(session: Session, *, user: Principal, question: Question, title: str | None = None,
                  saved: bool = True) -> Question:
    """Staff mark an answered question as guide material (the guides library picks it up through
    :func:`guide_candidate`)."""
    if saved and question.status == "open":
        raise Conflict("Answer the question before keeping it as a guide.", type="question-unanswered")
    question.saved_as_guide = saved
    question.guide_title = title if saved else None
    question.updated_at = utcnow()
    session.flush()
    if saved and question.guide_notice_id is None:
        question.guide_notice_id = _draft_guide(session, user, question).id
    record(session, actor=user, action="question.guide", resource_type="question", resource_id=question.id,
           area_path=question.area_path, detail={"saved": saved})
    _attach(session, user, question)
    return question


def _draft_guide(session: Session, user: Principal, question: Question):
    """A draft 办事指南 notice for the question's community, written from the question and its answers
    (no names): staff edit and publish it in the notice editor, where it joins the searchable library."""
    from ..notices.service import create_notice

    candidate = guide_candidate(question, session)
    return create_notice(session, user=user, data={
        "category": "guide", "area_id": question.community_id, "title": _excerpt(candidate["title"], 120).ljust(2, "。"),
        "body_md": candidate["body"]})


def guide_candidate(question: Question, session: Session | None = None) -> dict:
    """What a guide made from this question would say: ``{"title", "body", "community_id", "question_id"}``.

    The body is the question and every answer, without names (a guide is public in the community)."""
    from ..db import db

    session = session or db.session
    answers = session.scalars(select(QuestionMessage.body).where(QuestionMessage.question_id == question.id,
                                                               QuestionMessage.is_answer.is_(True))
                              .order_by(QuestionMessage.id)).all()
    title = question.guide_title or _excerpt(question.body.splitlines()[0] if question.body else "", 40)
    body = "**问：**" + question.body + "\n\n" + "\n\n".join(f"**答：**{a}" for a in answers)
    return {"title": title, "body": body, "community_id": question.community_id, "question_id": question.id}


def guide_candidates(session: Session, *, community_id: int | None = None) -> list[dict]:
    """Every question kept as a guide (optionally of one community), oldest first."""
    stmt = select(Question).where(Question.saved_as_guide.is_(True))
    if community_id is not None:
        stmt = stmt.where(Question.community_id == community_id)
    return [guide_candidate(q, session) for q in session.scalars(stmt.order_by(Question.id))]


def photo_of(session: Session, *, user: Principal, question_id: int, photo_id: int) -> QuestionPhoto:
    q = get_for(session, user, Question, question_id)
    photo = next((p for p in q.photos if p.id == photo_id), None)
    if photo is None:
        raise not_found()
    return photo


