"""Activities (文化活动 / 志愿服务): one-off sessions with sign-up, capacity, a deadline, check-in, and
volunteer hours credited to the volunteers who served."""
from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, Integer, SmallInteger, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..alliances.models import Unit
from ..areas.models import Area
from ..db import Base, UTCDateTime, utcnow
from ..people.models import User


class ActivityKind(StrEnum):
    CULTURE = "culture"      # 文化活动
    VOLUNTEER = "volunteer"  # 志愿服务: those who sign up serve, and are credited hours


class ActivityStatus(StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"
    CANCELLED = "cancelled"
    COMPLETED = "completed"


class SignupStatus(StrEnum):
    SIGNED_UP = "signed_up"
    CHECKED_IN = "checked_in"
    NO_SHOW = "no_show"
    CANCELLED = "cancelled"


NOT_CANCELLED = text("status <> 'cancelled'")


class Activity(Base):
    __tablename__ = "activities"
    __table_args__ = (
        Index("ix_activities_area_starts", "area_path", "starts_at"),
        CheckConstraint("capacity >= 1", name="capacity"),
        CheckConstraint("booked >= 0 AND booked <= capacity", name="seats"),
        CheckConstraint("starts_at < ends_at", name="span"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    area_id: Mapped[int] = mapped_column(ForeignKey("areas.id", ondelete="RESTRICT"), index=True)
    area_path: Mapped[str] = mapped_column(String(255))
    kind: Mapped[str] = mapped_column(String(16))
    title: Mapped[str] = mapped_column(String(60))
    description: Mapped[str] = mapped_column(Text, default="")
    place: Mapped[str | None] = mapped_column(String(120))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id", ondelete="SET NULL"))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    signup_deadline: Mapped[datetime] = mapped_column(UTCDateTime)
    capacity: Mapped[int] = mapped_column(Integer)
    booked: Mapped[int] = mapped_column(Integer, default=0)
    volunteer_minutes: Mapped[int] = mapped_column(Integer, default=0)  # credited per volunteer who served
    audience: Mapped[str] = mapped_column(String(16), default="all")
    required_tags: Mapped[list] = mapped_column(JSON, default=list)
    min_age: Mapped[int | None] = mapped_column(SmallInteger)
    status: Mapped[str] = mapped_column(String(16), default=ActivityStatus.DRAFT)
    summary: Mapped[str | None] = mapped_column(Text)  # written afterwards
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    area: Mapped[Area] = relationship(lazy="joined", innerjoin=True)
    unit: Mapped[Unit | None] = relationship(lazy="joined")

    __mapper_args__ = {"version_id_col": version}


class Signup(Base):
    __tablename__ = "activity_signups"
    __table_args__ = (
        Index("uq_activity_signups_active", "activity_id", "user_id", unique=True,
              postgresql_where=NOT_CANCELLED, sqlite_where=NOT_CANCELLED),
        Index("ix_activity_signups_user", "user_id", "created_at"),
        Index("ix_activity_signups_activity", "activity_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    activity_id: Mapped[int] = mapped_column(ForeignKey("activities.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    resident_id: Mapped[int | None] = mapped_column(ForeignKey("residents.id", ondelete="SET NULL"))
    area_path: Mapped[str] = mapped_column(String(255))  # the activity's
    role: Mapped[str] = mapped_column(String(16), default="participant")  # participant, volunteer
    status: Mapped[str] = mapped_column(String(16), default=SignupStatus.SIGNED_UP)
    code: Mapped[str] = mapped_column(String(8), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    checked_in_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    checked_in_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    minutes_credited: Mapped[int] = mapped_column(Integer, default=0)

    activity: Mapped[Activity] = relationship(lazy="joined", innerjoin=True)
    user: Mapped[User] = relationship(foreign_keys=[user_id], lazy="joined", innerjoin=True)
