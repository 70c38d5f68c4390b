from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..db import Base, UTCDateTime, utcnow
from ..people.models import User


class RequestStatus(StrEnum):
    PENDING = "pending"
    CONFIRMED = "confirmed"   # erased
    REJECTED = "rejected"
    CANCELLED = "cancelled"


class DeletionRequest(Base):
    """A resident's request to erase their personal information (or the consent they withdrew)."""

    __tablename__ = "deletion_requests"
    __table_args__ = (Index("ix_deletion_requests_area_status", "area_path", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    reason: Mapped[str | None] = mapped_column(String(200))
    withdrew_consent: Mapped[bool] = mapped_column(default=False)
    status: Mapped[str] = mapped_column(String(16), default=RequestStatus.PENDING)
    area_path: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    note: Mapped[str | None] = mapped_column(String(200))

    user: Mapped[User] = relationship(foreign_keys=[user_id], lazy="joined", innerjoin=True)
