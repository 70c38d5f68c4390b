from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import Date, ForeignKey, Index, String, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..areas.models import Area, Household
from ..db import Base, UTCDateTime, utcnow


class Tag(StrEnum):
    ELDERLY_ALONE = "elderly_alone"   # 独居老人
    HARDSHIP = "hardship"             # 困难家庭
    PARTY_MEMBER = "party_member"     # 党员
    VOLUNTEER = "volunteer"           # 志愿者


class Role(StrEnum):
    RESIDENT = "resident"
    VOLUNTEER = "volunteer"
    STAFF = "staff"
    TOWN_STAFF = "town_staff"
    PARTNER = "partner"
    ADMIN = "admin"


STAFF_ROLES = (Role.STAFF, Role.TOWN_STAFF, Role.ADMIN)


class Resident(Base):
    """A person living in a household."""

    __tablename__ = "residents"

    id: Mapped[int] = mapped_column(primary_key=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("households.id", ondelete="RESTRICT"), index=True)
    name: Mapped[str] = mapped_column(String(50), index=True)
    gender: Mapped[str | None] = mapped_column(String(8))
    birth_date: Mapped[date | None] = mapped_column(Date)
    phone: Mapped[str | None] = mapped_column(String(20), index=True)
    id_card_cipher: Mapped[str | None] = mapped_column(String(200))
    id_card_digest: Mapped[str | None] = mapped_column(String(64), unique=True)
    id_card_hint: Mapped[str | None] = mapped_column(String(20))
    # The number entered by a resident matched another resident's: kept (encrypted, without the
    # unique digest) for the committee to resolve, and never told to the resident (no town-wide oracle).
    id_card_conflict: Mapped[bool] = mapped_column(default=False, server_default=false())
    area_path: Mapped[str] = mapped_column(String(255), index=True)
    version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    household: Mapped[Household] = relationship()
    tag_rows: Mapped[list[ResidentTag]] = relationship(cascade="all, delete-orphan", lazy="selectin",
                                                       order_by="ResidentTag.tag")

    __mapper_args__ = {"version_id_col": version}

    @property
    def tags(self) -> list[str]:
        return [t.tag for t in self.tag_rows]

    @tags.setter
    def tags(self, values: list[str]) -> None:
        wanted = sorted(set(values))
        keep = [t for t in self.tag_rows if t.tag in wanted]
        have = {t.tag for t in keep}
        self.tag_rows = keep + [ResidentTag(tag=v) for v in wanted if v not in have]


class ResidentTag(Base):
    __tablename__ = "resident_tags"
    __table_args__ = (Index("ix_resident_tags_tag_resident", "tag", "resident_id"),)

    resident_id: Mapped[int] = mapped_column(ForeignKey("residents.id", ondelete="CASCADE"), primary_key=True)
    tag: Mapped[str] = mapped_column(String(32), primary_key=True)


class User(Base):
    """Someone who signs in. ``area`` is where their role applies."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    phone: Mapped[str] = mapped_column(String(20), unique=True)
    name: Mapped[str] = mapped_column(String(50))
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(16))
    area_id: Mapped[int] = mapped_column(ForeignKey("areas.id", ondelete="RESTRICT"), index=True)
    area_path: Mapped[str] = mapped_column(String(255), index=True)
    resident_id: Mapped[int | None] = mapped_column(ForeignKey("residents.id", ondelete="SET NULL"), unique=True)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id", ondelete="SET NULL"), index=True)
    is_active: Mapped[bool] = mapped_column(default=True)
    # Set when staff chose the password (new account, reset): the next sign-in must choose a new one.
    must_change_password: Mapped[bool] = mapped_column(default=False, server_default=false())
    privacy_version: Mapped[str | None] = mapped_column(String(16))  # the privacy policy accepted at sign-up
    privacy_accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    consent_withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # PIPL art. 15
    erased_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # personal fields erased (privacy/)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    area: Mapped[Area] = relationship(lazy="joined")
    resident: Mapped[Resident | None] = relationship(lazy="joined")
    unit: Mapped["Unit | None"] = relationship(lazy="joined")  # noqa: F821 - alliances.models

    @property
    def household_id(self) -> int | None:
        return self.resident.household_id if self.resident else None

    @property
    def stairwell_id(self) -> int | None:
        return self.resident.household.stairwell_id if self.resident else None


class HouseholdClaim(Base):
    """A self-registered resident's claim to live in a household, until staff verify it."""

    __tablename__ = "household_claims"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("households.id", ondelete="RESTRICT"))
    status: Mapped[str] = mapped_column(String(16), default="pending", index=True)
    area_path: Mapped[str] = mapped_column(String(255), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    note: Mapped[str | None] = mapped_column(String(200))

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    household: Mapped[Household] = relationship()
