from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..areas.models import Area
from ..db import Base, UTCDateTime, utcnow


class Category(StrEnum):
    DISCLOSURE = "disclosure"    # 政务公开
    IMPORTANT = "important"      # 重要通知
    GUIDE = "guide"              # 办事指南
    SEASONAL = "seasonal"        # 四季节气
    TIP = "tip"                  # 温馨提示
    CULTURE = "culture"          # 文化活动
    CIVILITY = "civility"        # 文明宣传


# English message ids (core/i18n translates them; messages.py holds the Chinese).
CATEGORY_LABELS = {
    Category.DISCLOSURE: "Government affairs disclosure",
    Category.IMPORTANT: "Important notice",
    Category.GUIDE: "Service guide",
    Category.SEASONAL: "Seasons and solar terms",
    Category.TIP: "Friendly reminder",
    Category.CULTURE: "Cultural activities",
    Category.CIVILITY: "Civility campaign",
}


class Status(StrEnum):
    DRAFT = "draft"
    SCHEDULED = "scheduled"    # waiting for publish_at (the notices.publish_due job publishes it)
    PUBLISHED = "published"
    WITHDRAWN = "withdrawn"


class Notice(Base):
    """A notice or guide for the households under ``area`` (town, community, section or grid),
    optionally only those with a resident tagged ``tag`` (e.g. elderly_alone 独居老人).

    ``body_html`` is rendered from ``body_md`` and sanitised when saved: what is served is what we wrote."""

    __tablename__ = "notices"
    __table_args__ = (Index("ix_notices_status_publish", "status", "publish_at"),
                      Index("ix_notices_area_publish", "area_path", "publish_at"))

    id: Mapped[int] = mapped_column(primary_key=True)
    area_id: Mapped[int] = mapped_column(ForeignKey("areas.id", ondelete="RESTRICT"))
    area_path: Mapped[str] = mapped_column(String(255))
    tag: Mapped[str | None] = mapped_column(String(32))
    category: Mapped[str] = mapped_column(String(16), index=True)
    title: Mapped[str] = mapped_column(String(120))
    summary: Mapped[str] = mapped_column(String(200), default="")
    body_md: Mapped[str] = mapped_column(Text, default="")
    body_html: Mapped[str] = mapped_column(Text, default="")
    important: Mapped[bool] = mapped_column(Boolean, default=False)
    pinned: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[str] = mapped_column(String(16), default=Status.DRAFT)
    # When it goes (or went) live; the list's sort key. Set to the real time when published.
    publish_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expire_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    notified_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)

    area: Mapped[Area] = relationship(lazy="joined", innerjoin=True)
    attachments: Mapped[list[NoticeAttachment]] = relationship(
        lazy="selectin", order_by="NoticeAttachment.id", cascade="all, delete-orphan", back_populates="notice")

    __mapper_args__ = {"version_id_col": version}


class NoticeAttachment(Base):
    """A PDF or an image, checked by content (images re-encoded without metadata)."""

    __tablename__ = "notice_attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    notice_id: Mapped[int] = mapped_column(ForeignKey("notices.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(8))  # image | pdf
    filename: Mapped[str] = mapped_column(String(120))
    key: Mapped[str] = mapped_column(String(80))
    thumb_key: Mapped[str | None] = mapped_column(String(80))
    content_type: Mapped[str] = mapped_column(String(40))
    size: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    notice: Mapped[Notice] = relationship(back_populates="attachments")


class NoticeRead(Base):
    """One person opened the notice (their unread count)."""

    __tablename__ = "notice_reads"
    __table_args__ = (Index("ix_notice_reads_user", "user_id", "notice_id"),)

    notice_id: Mapped[int] = mapped_column(ForeignKey("notices.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    read_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class NoticeHouseholdRead(Base):
    """The household knows: someone of it read the notice in the app, or a volunteer told them at the door."""

    __tablename__ = "notice_household_reads"

    notice_id: Mapped[int] = mapped_column(ForeignKey("notices.id", ondelete="CASCADE"), primary_key=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("households.id", ondelete="CASCADE"), primary_key=True)
    via: Mapped[str] = mapped_column(String(8), default="app")  # app | door
    by_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    read_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
