from __future__ import annotations

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from ..db import Base, UTCDateTime, utcnow


class JobRun(Base):
    """A piece of background work that is done: its key, claimed in the same transaction as the work.

    The row becomes visible only when the job's transaction commits, so a retry or a second consumer
    finds it and skips; if the job fails, the row rolls back with the job's writes and a retry
    claims it again. On PostgreSQL a second consumer inserting the same key waits for the first
    transaction to end, so the two never run the work side by side.
    """

    __tablename__ = "job_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(200), unique=True)
    task: Mapped[str] = mapped_column(String(120))
    finished_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
