from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..areas.models import Area
from ..db import Base, UTCDateTime, utcnow
from ..people.models import User


class FieldType(StrEnum):
    TEXT = "text"
    NUMBER = "number"
    DATE = "date"
    SINGLE = "single"        # one of the options
    MULTI = "multi"          # some of the options
    PHONE = "phone"          # personal: sealed
    ID_CARD = "id_card"      # personal: sealed, GB 11643 checked
    CONSENT = "consent"      # a checkbox that must be ticked


PERSONAL = frozenset({FieldType.PHONE, FieldType.ID_CARD})


class FormStatus(StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"
    CLOSED = "closed"


class Form(Base):
    """A registration form (返沪人员登记, 活动报名…): its fields, audience and deadline."""

    __tablename__ = "forms"
    __table_args__ = (Index("ix_forms_area_status", "area_path", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(100))
    description: Mapped[str | None] = mapped_column(String(2000))
    # The audience: everyone living under this area (community, section or grid)…
    area_id: Mapped[int] = mapped_column(ForeignKey("areas.id", ondelete="RESTRICT"), index=True)
    area_path: Mapped[str] = mapped_column(String(255))
    # …optionally only households with a resident tagged so (e.g. 独居老人).
    tag: Mapped[str | None] = mapped_column(String(32))
    fields: Mapped[list] = mapped_column(JSON)
    multiple: Mapped[bool] = mapped_column(Boolean, default=False)  # may a resident submit more than once?
    deadline: Mapped[datetime | None] = mapped_column(UTCDateTime)
    status: Mapped[str] = mapped_column(String(16), default=FormStatus.DRAFT)
    submissions_count: Mapped[int] = mapped_column(Integer, default=0)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    version: Mapped[int] = mapped_column(default=1)

    area: Mapped[Area] = relationship(lazy="joined", innerjoin=True)

    __mapper_args__ = {"version_id_col": version}


class FormSubmission(Base):
    """One resident's answers. Phone and ID-card answers are sealed (AES-GCM under the data key) and
    kept masked beside the clear answers, so lists and exports never decrypt."""

    __tablename__ = "form_submissions"
    __table_args__ = (
        # ``once_key`` is the user's id for a form answered once, NULL otherwise: one row per resident then.
        UniqueConstraint("form_id", "once_key", name="uq_form_submissions_once"),
        Index("ix_form_submissions_form", "form_id", "id"),
        Index("ix_form_submissions_user", "user_id", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    form_id: Mapped[int] = mapped_column(ForeignKey("forms.id", ondelete="CASCADE"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    once_key: Mapped[int | None] = mapped_column(Integer)
    household_id: Mapped[int | None] = mapped_column(ForeignKey("households.id", ondelete="SET NULL"))
    area_path: Mapped[str] = mapped_column(String(255), index=True)
    answers: Mapped[dict] = mapped_column(JSON)      # personal answers masked
    sealed: Mapped[str | None] = mapped_column(Text)  # the personal answers, encrypted
    erased: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    form: Mapped[Form] = relationship(lazy="joined", innerjoin=True)
    user: Mapped[User | None] = relationship(lazy="joined")

    __mapper_args__ = {"version_id_col": version}


class FormExport(Base):
    """An export file of a form's submissions (masked): built at once when small, on the queue when large."""

    __tablename__ = "form_exports"

    id: Mapped[int] = mapped_column(primary_key=True)
    form_id: Mapped[int] = mapped_column(ForeignKey("forms.id", ondelete="CASCADE"), index=True)
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    area_path: Mapped[str] = mapped_column(String(255), index=True)  # the form's, for scope
    format: Mapped[str] = mapped_column(String(8))
    status: Mapped[str] = mapped_column(String(16), default="pending")  # pending, done, failed
    rows: Mapped[int | None] = mapped_column(Integer)
    content: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    form: Mapped[Form] = relationship(lazy="joined", innerjoin=True)
