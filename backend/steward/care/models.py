from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..alliances.models import Unit
from ..areas.models import Household
from ..db import Base, UTCDateTime, utcnow
from ..people.models import User


class VisitKind(StrEnum):
    VISIT = "visit"          # 探访
    LUNCH = "lunch"          # 爱心午餐
    HAIRCUT = "haircut"      # 理发
    SHOPPING = "shopping"    # 代购
    ESCORT = "escort"        # 陪医


class CarePair(Base):
    """A volunteer (or a volunteer team) looking after one household."""

    __tablename__ = "care_pairs"
    __table_args__ = (Index("ix_care_pairs_last_visit", "active", "last_visit_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("households.id", ondelete="RESTRICT"), index=True)
    volunteer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"), index=True)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id", ondelete="RESTRICT"), index=True)
    area_path: Mapped[str] = mapped_column(String(255), index=True)
    note: Mapped[str | None] = mapped_column(String(500))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    end_reason: Mapped[str | None] = mapped_column(String(200))
    # When someone last came: kept with each visit, so "no visit in 14 days" is one indexed filter.
    last_visit_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    visits_count: Mapped[int] = mapped_column(Integer, default=0)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    household: Mapped[Household] = relationship(lazy="joined", innerjoin=True)
    volunteer: Mapped[User | None] = relationship(foreign_keys=[volunteer_id], lazy="joined")
    unit: Mapped[Unit | None] = relationship(lazy="joined")


class CareVisit(Base):
    __tablename__ = "care_visits"
    __table_args__ = (Index("ix_care_visits_pair", "pair_id", "visited_at"),
                      Index("ix_care_visits_area_time", "area_path", "visited_at"))

    id: Mapped[int] = mapped_column(primary_key=True)
    pair_id: Mapped[int] = mapped_column(ForeignKey("care_pairs.id", ondelete="CASCADE"))
    volunteer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id", ondelete="SET NULL"))
    kind: Mapped[str] = mapped_column(String(16))
    minutes: Mapped[int] = mapped_column(Integer)
    note: Mapped[str | None] = mapped_column(String(500))
    visited_at: Mapped[datetime] = mapped_column(UTCDateTime)
    area_path: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    volunteer: Mapped[User | None] = relationship(lazy="joined")
