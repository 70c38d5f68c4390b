"""Red Grid cases (红网格事项): categories, cases, their append-only timeline, photos, the units a case is
dispatched to, mediation sessions, and who follows a case."""
from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import JSON, Boolean, Float, ForeignKey, Index, Integer, SmallInteger, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..alliances.models import Unit
from ..areas.models import Area, Household, Stairwell
from ..db import Base, UTCDateTime, utcnow
from ..people.models import User


class Mode(StrEnum):
    NOW = "now"          # 马上办: the grid volunteer handles it on the spot
    MEDIATE = "mediate"  # 协商办: mediated with the public legal service
    JOINT = "joint"      # 联合办: dispatched to the responsible units


class Level(StrEnum):
    """The seed's 四级网格: a case is handled as low as it can be and raised when it must."""

    GRID = "grid"
    SECTION = "section"
    COMMUNITY = "community"
    TOWN = "town"


LEVELS = [Level.GRID, Level.SECTION, Level.COMMUNITY, Level.TOWN]


class Status(StrEnum):
    SUBMITTED = "submitted"
    ACCEPTED = "accepted"
    ASSIGNED = "assigned"
    IN_PROGRESS = "in_progress"
    RESOLVED = "resolved"
    CLOSED = "closed"
    REJECTED = "rejected"
    DUPLICATE = "duplicate"
    REOPENED = "reopened"


OPEN_STATUSES = (Status.SUBMITTED, Status.ACCEPTED, Status.ASSIGNED, Status.IN_PROGRESS, Status.REOPENED)
DONE_STATUSES = (Status.RESOLVED, Status.CLOSED, Status.REJECTED, Status.DUPLICATE)


class Category(Base):
    """What kind of problem: 乱堆物, 邻里纠纷, 违章搭建… A town-wide default, or a community's own."""

    __tablename__ = "case_categories"

    id: Mapped[int] = mapped_column(primary_key=True)
    area_id: Mapped[int] = mapped_column(ForeignKey("areas.id", ondelete="RESTRICT"), index=True)
    area_path: Mapped[str] = mapped_column(String(255), index=True)
    code: Mapped[str] = mapped_column(String(32))
    name_zh: Mapped[str] = mapped_column(String(50))
    name_en: Mapped[str] = mapped_column(String(80))
    hint_zh: Mapped[str | None] = mapped_column(String(200))
    hint_en: Mapped[str | None] = mapped_column(String(300))
    default_mode: Mapped[str] = mapped_column(String(16))
    sla_grid_hours: Mapped[int] = mapped_column(Integer)
    sla_section_hours: Mapped[int] = mapped_column(Integer)
    sla_community_hours: Mapped[int] = mapped_column(Integer)
    sla_town_hours: Mapped[int] = mapped_column(Integer)
    unit_kind: Mapped[str | None] = mapped_column(String(32))
    private_by_default: Mapped[bool] = mapped_column(Boolean, default=False)
    questions: Mapped[list] = mapped_column(JSON, default=list)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    area: Mapped[Area] = relationship(lazy="joined")

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (Index("uq_case_categories_area_code", "area_id", "code", unique=True),)

    def sla_hours(self, level: str) -> int:
        return getattr(self, f"sla_{level}_hours")


class Case(Base):
    __tablename__ = "cases"
    __table_args__ = (
        # Boards are newest first, keyset-paged on (created_at, id); the scope is a path prefix
        # (its own pattern index on PostgreSQL, see the migration).
        Index("ix_cases_created", "created_at", "id"),
        Index("ix_cases_area_path", "area_path"),
        Index("ix_cases_status_due", "status", "due_at"),
        Index("ix_cases_reporter", "reporter_id", "created_at"),
        Index("ix_cases_public", "community_id", "is_public", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    category_id: Mapped[int] = mapped_column(ForeignKey("case_categories.id", ondelete="RESTRICT"), index=True)
    mode: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16), default=Status.SUBMITTED)
    level: Mapped[str] = mapped_column(String(16), default=Level.GRID)
    title: Mapped[str] = mapped_column(String(60))
    description: Mapped[str] = mapped_column(Text)
    answers: Mapped[dict] = mapped_column(JSON, default=dict)
    # Where: a stairwell/household, a point (WGS-84), or words. The grid is derived when it can be.
    community_id: Mapped[int] = mapped_column(ForeignKey("areas.id", ondelete="RESTRICT"), index=True)
    grid_id: Mapped[int | None] = mapped_column(ForeignKey("areas.id", ondelete="RESTRICT"), index=True)
    stairwell_id: Mapped[int | None] = mapped_column(ForeignKey("stairwells.id", ondelete="SET NULL"), index=True)
    household_id: Mapped[int | None] = mapped_column(ForeignKey("households.id", ondelete="SET NULL"))
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)
    address: Mapped[str | None] = mapped_column(String(200))
    area_path: Mapped[str] = mapped_column(String(255))
    # Who
    channel: Mapped[str] = mapped_column(String(16))  # app, grid_walk, phone, staff, open311
    reporter_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    reporter_name: Mapped[str | None] = mapped_column(String(50))
    reporter_phone: Mapped[str | None] = mapped_column(String(20))
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    # The partner's API client that passed the report on (Open311): it may read its own requests back.
    api_client_id: Mapped[int | None] = mapped_column(ForeignKey("api_clients.id", ondelete="SET NULL"), index=True)
    # Visibility: private cases (disputes) never leave scope; public ones are hazard alerts for neighbours.
    is_private: Mapped[bool] = mapped_column(Boolean, default=False)
    is_public: Mapped[bool] = mapped_column(Boolean, default=False)
    duplicate_of_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id", ondelete="SET NULL"))
    # Time
    due_at: Mapped[datetime] = mapped_column(UTCDateTime)
    level_since: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The reporter's verdict
    rating: Mapped[int | None] = mapped_column(SmallInteger)
    rating_comment: Mapped[str | None] = mapped_column(String(500))
    rated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    version: Mapped[int] = mapped_column(default=1)

    category: Mapped[Category] = relationship(lazy="joined", innerjoin=True)
    community: Mapped[Area] = relationship(foreign_keys=[community_id], lazy="joined", innerjoin=True)
    grid: Mapped[Area | None] = relationship(foreign_keys=[grid_id], lazy="joined")
    stairwell: Mapped[Stairwell | None] = relationship(lazy="joined")
    household: Mapped[Household | None] = relationship()
    reporter: Mapped[User | None] = relationship(foreign_keys=[reporter_id])
    assignee: Mapped[User | None] = relationship(foreign_keys=[assignee_id], lazy="joined")
    parts: Mapped[list[CasePart]] = relationship(back_populates="case", lazy="selectin", order_by="CasePart.id")
    photos: Mapped[list[CasePhoto]] = relationship(lazy="selectin", order_by="CasePhoto.id")

    __mapper_args__ = {"version_id_col": version}


class CaseEvent(Base):
    """One step of a case's timeline. Rows are never updated or deleted (database triggers refuse it)."""

    __tablename__ = "case_events"
    __table_args__ = (Index("ix_case_events_case", "case_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    kind: Mapped[str] = mapped_column(String(24))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    actor_role: Mapped[str | None] = mapped_column(String(16))
    actor_name: Mapped[str | None] = mapped_column(String(100))
    from_status: Mapped[str | None] = mapped_column(String(16))
    to_status: Mapped[str | None] = mapped_column(String(16))
    note: Mapped[str | None] = mapped_column(Text)
    data: Mapped[dict | None] = mapped_column(JSON)
    # Staff-only notes are kept from the reporter and partners.
    internal: Mapped[bool] = mapped_column(Boolean, default=False)


class CasePhoto(Base):
    __tablename__ = "case_photos"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    event_id: Mapped[int | None] = mapped_column(ForeignKey("case_events.id", ondelete="SET NULL"))
    stage: Mapped[str] = mapped_column(String(16))  # report, progress, fix
    key: Mapped[str] = mapped_column(String(100))
    thumb_key: Mapped[str] = mapped_column(String(100))
    content_type: Mapped[str] = mapped_column(String(32))
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    size: Mapped[int] = mapped_column(Integer)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class CasePart(Base):
    """A unit's share of a case (联合办: each unit updates its own part; the case resolves when all are done)."""

    __tablename__ = "case_parts"
    __table_args__ = (Index("uq_case_parts_case_unit", "case_id", "unit_id", unique=True),
                      Index("ix_case_parts_unit_status", "unit_id", "status"))

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"))
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id", ondelete="RESTRICT"))
    status: Mapped[str] = mapped_column(String(16), default="open")  # open, in_progress, done
    task: Mapped[str | None] = mapped_column(String(500))
    note: Mapped[str | None] = mapped_column(String(1000))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    case: Mapped[Case] = relationship(back_populates="parts")
    unit: Mapped[Unit] = relationship(lazy="joined", innerjoin=True)


class Mediation(Base):
    """A mediation session of a 协商办 case, with the legal-service unit."""

    __tablename__ = "case_mediations"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id", ondelete="SET NULL"))
    held_at: Mapped[datetime] = mapped_column(UTCDateTime)
    parties: Mapped[str] = mapped_column(String(300))
    outcome: Mapped[str] = mapped_column(String(16))  # agreed, partial, failed, adjourned
    agreement: Mapped[str | None] = mapped_column(Text)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    unit: Mapped[Unit | None] = relationship(lazy="joined")


class CaseFollower(Base):
    """A resident who chose to follow an existing case instead of reporting it again."""

    __tablename__ = "case_followers"

    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
