from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from ..db import Base, UTCDateTime, utcnow


class Purpose(StrEnum):
    REGISTER = "register"              # 注册
    RESET_PASSWORD = "reset_password"  # 忘记密码
    CHANGE_PHONE = "change_phone"      # 换手机号


class SmsCode(Base):
    """One code sent (or, for an unknown phone's password reset, pretended to be sent) to a phone.

    Only a keyed hash of the code is stored. A code is good for one use, a few minutes and a few
    guesses; asking for a new one ends the previous one.
    """

    __tablename__ = "sms_codes"
    __table_args__ = (Index("ix_sms_codes_phone_purpose", "phone", "purpose", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    phone: Mapped[str] = mapped_column(String(20))
    purpose: Mapped[str] = mapped_column(String(16))
    code_hash: Mapped[str] = mapped_column(String(64))
    # change_phone: the account that asked; only that account may use the code.
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    attempts: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    consumed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    ip: Mapped[str | None] = mapped_column(String(64))
