from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..areas.models import Area
from ..db import Base, UTCDateTime, utcnow
from ..people.models import User

STATUSES = ("open", "answered", "closed")
# The staff queue's order: unanswered first, then answered, then closed; oldest first within each.
QUEUE_RANK = {"open": 0, "answered": 1, "closed": 2}


class Question(Base):
    __tablename__ = "questions"
    __table_args__ = (Index("ix_questions_queue", "area_path", "queue_rank", "id"),
                      Index("ix_questions_asker", "asker_id", "id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("areas.id", ondelete="RESTRICT"))
    # Where the asker lives (their grid), so the grid's volunteer sees it; the community when unknown.
    area_path: Mapped[str] = mapped_column(String(255))
    asker_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    body: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default="open")
    queue_rank: Mapped[int] = mapped_column(Integer, default=0)
    messages_count: Mapped[int] = mapped_column(Integer, default=0)
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    saved_as_guide: Mapped[bool] = mapped_column(Boolean, default=False)
    guide_title: Mapped[str | None] = mapped_column(String(80))
    # the draft 办事指南 notice made from it (staff edit and publish it in the notice editor)
    guide_notice_id: Mapped[int | None] = mapped_column(ForeignKey("notices.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    community: Mapped[Area] = relationship(lazy="joined", innerjoin=True)
    asker: Mapped[User | None] = relationship(foreign_keys=[asker_id], lazy="joined")
    photos: Mapped[list[QuestionPhoto]] = relationship(lazy="selectin", order_by="QuestionPhoto.id",
                                                       cascade="all, delete-orphan")


class QuestionMessage(Base):
    """One turn of the thread: an answer (staff, volunteer) or the asker's follow-up."""

    __tablename__ = "question_messages"
    __table_args__ = (Index("ix_question_messages_question", "question_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("questions.id", ondelete="CASCADE"))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    is_answer: Mapped[bool] = mapped_column(Boolean, default=False)
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    author: Mapped[User | None] = relationship(lazy="joined")


class QuestionPhoto(Base):
    __tablename__ = "question_photos"

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("questions.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(String(100))
    thumb_key: Mapped[str] = mapped_column(String(100))
    content_type: Mapped[str] = mapped_column(String(32))
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    size: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
