from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..areas.models import Area
from ..db import Base, UTCDateTime, utcnow
from ..people.models import User

KINDS = ("topic", "idea")  # 议题, 金点子
STATUSES = ("proposed", "discussing", "adopted", "declined", "done")
DECISIONS = ("adopted", "declined", "done")
COMMENT_STATUSES = ("visible", "hidden", "removed")  # hidden: reported, pending moderation
DEFAULT_SUPPORT_THRESHOLD = 10
DEFAULT_REPORT_THRESHOLD = 3


class TopicSettings(Base):
    """A community's own numbers; a community without a row uses the defaults above."""

    __tablename__ = "topic_settings"

    community_id: Mapped[int] = mapped_column(ForeignKey("areas.id", ondelete="CASCADE"), primary_key=True)
    support_threshold: Mapped[int] = mapped_column(Integer, default=DEFAULT_SUPPORT_THRESHOLD)
    report_threshold: Mapped[int] = mapped_column(Integer, default=DEFAULT_REPORT_THRESHOLD)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class Topic(Base):
    __tablename__ = "topics"
    __table_args__ = (Index("ix_topics_area", "area_path", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("areas.id", ondelete="RESTRICT"))
    area_path: Mapped[str] = mapped_column(String(255))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    kind: Mapped[str] = mapped_column(String(8), default="topic")
    title: Mapped[str] = mapped_column(String(80))
    body: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default="proposed")
    supports_count: Mapped[int] = mapped_column(Integer, default=0)
    comments_count: Mapped[int] = mapped_column(Integer, default=0)
    discussing_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decision_text: Mapped[str | None] = mapped_column(Text)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    project_id: Mapped[int | None] = mapped_column(ForeignKey("projects.id", ondelete="SET NULL"))
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    community: Mapped[Area] = relationship(lazy="joined", innerjoin=True)
    author: Mapped[User | None] = relationship(foreign_keys=[author_id], lazy="joined")
    photos: Mapped[list[TopicPhoto]] = relationship(lazy="selectin", order_by="TopicPhoto.id",
                                                    cascade="all, delete-orphan")


class TopicSupport(Base):
    """One per resident and topic: the primary key is the guarantee (two taps at once insert one row)."""

    __tablename__ = "topic_supports"

    topic_id: Mapped[int] = mapped_column(ForeignKey("topics.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class TopicComment(Base):
    __tablename__ = "topic_comments"
    __table_args__ = (Index("ix_topic_comments_topic", "topic_id", "id"),
                      Index("ix_topic_comments_status", "status", "area_path"))

    id: Mapped[int] = mapped_column(primary_key=True)
    topic_id: Mapped[int] = mapped_column(ForeignKey("topics.id", ondelete="CASCADE"))
    area_path: Mapped[str] = mapped_column(String(255))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    body: Mapped[str] = mapped_column(String(500))
    status: Mapped[str] = mapped_column(String(16), default="visible")
    reports_count: Mapped[int] = mapped_column(Integer, default=0)
    hidden_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    moderated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    moderated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    moderation_note: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    author: Mapped[User | None] = relationship(foreign_keys=[user_id], lazy="joined")
    topic: Mapped[Topic] = relationship(lazy="joined", innerjoin=True)


class TopicCommentReport(Base):
    """A resident reporting a comment, once."""

    __tablename__ = "topic_comment_reports"
    __table_args__ = (UniqueConstraint("comment_id", "user_id", name="uq_topic_comment_reports"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    comment_id: Mapped[int] = mapped_column(ForeignKey("topic_comments.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    reason: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class TopicPhoto(Base):
    __tablename__ = "topic_photos"

    id: Mapped[int] = mapped_column(primary_key=True)
    topic_id: Mapped[int] = mapped_column(ForeignKey("topics.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(String(100))
    thumb_key: Mapped[str] = mapped_column(String(100))
    content_type: Mapped[str] = mapped_column(String(32))
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    size: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
