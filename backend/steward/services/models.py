"""Services (预约服务 / 代办): the catalogue, weekly schedules with exceptions, materialised slots with
their seat counters, bookings with a waitlist, on-request services with their timeline, and each
resident's private calendar feed."""
from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..alliances.models import Unit
from ..areas.models import Area
from ..db import Base, UTCDateTime, utcnow
from ..people.models import User


class Kind(StrEnum):
    SLOTS = "slots"            # booked by slot (爱心午餐, 理发, 法律咨询)
    ON_REQUEST = "on_request"  # asked for with details and a preferred time (代购药品, 上门理发)


class Category(StrEnum):
    LUNCH = "lunch"            # 爱心午餐
    HAIRCUT = "haircut"        # 理发
    LEGAL = "legal"            # 法律咨询
    HEALTH = "health"          # 健康咨询
    MEDICINE = "medicine"      # 代购药品
    REPAIR = "repair"          # 上门维修
    OTHER = "other"            # 其他


class ServiceStatus(StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"
    ARCHIVED = "archived"


class Audience(StrEnum):
    ALL = "all"            # every signed-in resident of the community
    VERIFIED = "verified"  # residents whose household the committee has verified


class BookingStatus(StrEnum):
    BOOKED = "booked"
    WAITING = "waiting"        # on the waitlist; promoted in order when a seat frees up
    CHECKED_IN = "checked_in"
    NO_SHOW = "no_show"
    CANCELLED = "cancelled"


# A resident holds at most one booking of a slot in any of these states (a partial unique index).
HOLDING = (BookingStatus.BOOKED, BookingStatus.WAITING, BookingStatus.CHECKED_IN, BookingStatus.NO_SHOW)
NOT_CANCELLED = text("status <> 'cancelled'")


class RequestStatus(StrEnum):
    SUBMITTED = "submitted"
    ACCEPTED = "accepted"
    SCHEDULED = "scheduled"
    DONE = "done"
    DECLINED = "declined"
    CANCELLED = "cancelled"


class Service(Base):
    """A service a community (or the whole town) offers, who may book it and its booking policy."""

    __tablename__ = "services"
    __table_args__ = (
        Index("ix_services_area_status", "area_path", "status"),
        CheckConstraint("capacity >= 1", name="capacity"),
        CheckConstraint("slot_minutes BETWEEN 5 AND 720", name="slot_minutes"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    area_id: Mapped[int] = mapped_column(ForeignKey("areas.id", ondelete="RESTRICT"), index=True)
    area_path: Mapped[str] = mapped_column(String(255))
    kind: Mapped[str] = mapped_column(String(16), default=Kind.SLOTS)
    category: Mapped[str] = mapped_column(String(16))
    title: Mapped[str] = mapped_column(String(60))
    description: Mapped[str] = mapped_column(Text, default="")
    place: Mapped[str | None] = mapped_column(String(120))
    provider_unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id", ondelete="SET NULL"), index=True)
    status: Mapped[str] = mapped_column(String(16), default=ServiceStatus.DRAFT)
    # Who may book
    audience: Mapped[str] = mapped_column(String(16), default=Audience.ALL)
    required_tags: Mapped[list] = mapped_column(JSON, default=list)  # any one of them (e.g. 独居老人)
    min_age: Mapped[int | None] = mapped_column(SmallInteger)
    # Policy
    slot_minutes: Mapped[int] = mapped_column(Integer, default=30)
    capacity: Mapped[int] = mapped_column(Integer, default=1)  # per slot, unless the rule says otherwise
    book_ahead_days: Mapped[int] = mapped_column(Integer, default=14)
    cancel_cutoff_minutes: Mapped[int] = mapped_column(Integer, default=120)
    max_active_per_resident: Mapped[int] = mapped_column(Integer, default=2)
    waitlist: Mapped[bool] = mapped_column(Boolean, default=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    area: Mapped[Area] = relationship(lazy="joined", innerjoin=True)
    provider: Mapped[Unit | None] = relationship(lazy="joined")
    rules: Mapped[list[ScheduleRule]] = relationship(lazy="selectin", cascade="all, delete-orphan",
                                                     order_by="[ScheduleRule.weekday, ScheduleRule.start_minute]")

    __mapper_args__ = {"version_id_col": version}


class ScheduleRule(Base):
    """A weekly opening in the town's time: Tuesdays 09:00–11:00, cut into the service's slot length."""

    __tablename__ = "service_rules"
    __table_args__ = (
        CheckConstraint("weekday BETWEEN 0 AND 6", name="weekday"),
        CheckConstraint("start_minute >= 0 AND end_minute <= 1440 AND start_minute < end_minute", name="span"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    service_id: Mapped[int] = mapped_column(ForeignKey("services.id", ondelete="CASCADE"), index=True)
    weekday: Mapped[int] = mapped_column(SmallInteger)  # 0 Monday … 6 Sunday
    start_minute: Mapped[int] = mapped_column(Integer)  # minutes after local midnight
    end_minute: Mapped[int] = mapped_column(Integer)
    capacity: Mapped[int | None] = mapped_column(Integer)  # per slot; the service's when empty


class ScheduleException(Base):
    """A day that differs from the weekly rules: closed (a holiday, all day or some hours) or an extra session."""

    __tablename__ = "service_exceptions"
    __table_args__ = (Index("ix_service_exceptions_service_day", "service_id", "day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    service_id: Mapped[int] = mapped_column(ForeignKey("services.id", ondelete="CASCADE"))
    day: Mapped[date] = mapped_column(Date)  # the town's date
    kind: Mapped[str] = mapped_column(String(8))  # closed, extra
    start_minute: Mapped[int | None] = mapped_column(Integer)  # closed: whole day when empty
    end_minute: Mapped[int | None] = mapped_column(Integer)
    capacity: Mapped[int | None] = mapped_column(Integer)
    note: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Slot(Base):
    """One bookable session, generated ahead from the rules. ``booked`` and ``waiting`` are counters
    kept in the same transactions as the bookings: a seat is taken by a conditional UPDATE on this row
    (``booked < capacity``), and the CHECK below is the database's last word."""

    __tablename__ = "service_slots"
    __table_args__ = (
        UniqueConstraint("service_id", "starts_at"),
        Index("ix_service_slots_starts", "starts_at"),
        CheckConstraint("capacity >= 1", name="capacity"),
        CheckConstraint("booked >= 0 AND booked <= capacity", name="seats"),
        CheckConstraint("waiting >= 0", name="waiting"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    service_id: Mapped[int] = mapped_column(ForeignKey("services.id", ondelete="CASCADE"))
    day: Mapped[date] = mapped_column(Date)  # the town's date, for reports
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    capacity: Mapped[int] = mapped_column(Integer)
    booked: Mapped[int] = mapped_column(Integer, default=0)
    waiting: Mapped[int] = mapped_column(Integer, default=0)
    status: Mapped[str] = mapped_column(String(8), default="open")  # open, closed
    source: Mapped[str] = mapped_column(String(8), default="rule")  # rule, extra
    closed_reason: Mapped[str | None] = mapped_column(String(200))

    service: Mapped[Service] = relationship(lazy="joined", innerjoin=True)


class Booking(Base):
    """A resident's seat at a slot (or place in its queue). ``area_path`` is the service's (who handles it)."""

    __tablename__ = "bookings"
    __table_args__ = (
        Index("uq_bookings_slot_user_active", "slot_id", "user_id", unique=True,
              postgresql_where=NOT_CANCELLED, sqlite_where=NOT_CANCELLED),
        Index("ix_bookings_user_starts", "user_id", "starts_at"),
        Index("ix_bookings_slot_status", "slot_id", "status", "created_at"),
        Index("ix_bookings_area_starts", "area_path", "starts_at"),
        Index("ix_bookings_status_starts", "status", "starts_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slot_id: Mapped[int] = mapped_column(ForeignKey("service_slots.id", ondelete="CASCADE"))
    service_id: Mapped[int] = mapped_column(ForeignKey("services.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    resident_id: Mapped[int | None] = mapped_column(ForeignKey("residents.id", ondelete="SET NULL"))
    area_path: Mapped[str] = mapped_column(String(255))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)  # the slot's, for ordering and reminders
    status: Mapped[str] = mapped_column(String(16), default=BookingStatus.BOOKED)
    code: Mapped[str] = mapped_column(String(8), unique=True)  # shown to staff at check-in (and as a QR)
    note: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    promoted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    cancelled_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    cancel_reason: Mapped[str | None] = mapped_column(String(300))
    checked_in_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    checked_in_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    slot: Mapped[Slot] = relationship(lazy="joined", innerjoin=True)
    user: Mapped[User] = relationship(foreign_keys=[user_id], lazy="joined", innerjoin=True)


class ServiceRequest(Base):
    """An on-request service asked for by a resident (代购药品: what, where, when suits)."""

    __tablename__ = "service_requests"
    __table_args__ = (Index("ix_service_requests_area_created", "area_path", "created_at", "id"),
                      Index("ix_service_requests_user", "user_id", "created_at"),
                      CheckConstraint("rating IS NULL OR rating BETWEEN 1 AND 5", name="rating"))

    id: Mapped[int] = mapped_column(primary_key=True)
    service_id: Mapped[int] = mapped_column(ForeignKey("services.id", ondelete="RESTRICT"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    resident_id: Mapped[int | None] = mapped_column(ForeignKey("residents.id", ondelete="SET NULL"))
    area_path: Mapped[str] = mapped_column(String(255))  # the service's
    status: Mapped[str] = mapped_column(String(16), default=RequestStatus.SUBMITTED)
    details: Mapped[str] = mapped_column(Text)
    address: Mapped[str | None] = mapped_column(String(200))
    preferred_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    preferred_note: Mapped[str | None] = mapped_column(String(100))
    scheduled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    handler_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    rating: Mapped[int | None] = mapped_column(SmallInteger)
    rating_comment: Mapped[str | None] = mapped_column(String(500))
    version: Mapped[int] = mapped_column(default=1)

    service: Mapped[Service] = relationship(lazy="joined", innerjoin=True)
    user: Mapped[User] = relationship(foreign_keys=[user_id], lazy="joined", innerjoin=True)

    __mapper_args__ = {"version_id_col": version}


class RequestEvent(Base):
    """One step of an on-request service's timeline (append-only)."""

    __tablename__ = "service_request_events"
    __table_args__ = (Index("ix_service_request_events_request", "request_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("service_requests.id", ondelete="CASCADE"))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    kind: Mapped[str] = mapped_column(String(24))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    actor_role: Mapped[str | None] = mapped_column(String(16))
    actor_name: Mapped[str | None] = mapped_column(String(100))
    from_status: Mapped[str | None] = mapped_column(String(16))
    to_status: Mapped[str | None] = mapped_column(String(16))
    note: Mapped[str | None] = mapped_column(Text)


class CalendarFeed(Base):
    """A resident's private calendar subscription: only the SHA-256 of its secret token is kept."""

    __tablename__ = "calendar_feeds"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), unique=True)
    token_digest: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
