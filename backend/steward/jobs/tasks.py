"""Housekeeping: purge what has outlived its use, every hour."""
from __future__ import annotations

from datetime import timedelta

from flask import current_app
from sqlalchemy import delete
from sqlalchemy.orm import Session

from ..db import utcnow
from .models import JobRun
from .runtime import JobContext, periodic_job

PERIODIC_KEYS_KEEP = timedelta(days=2)


def purge_idempotency_records(session: Session) -> int:
    """Idempotency records older than IDEMPOTENCY_TTL_HOURS (a replay after that is a new request)."""
    from ..core import idempotency

    purge = getattr(idempotency, "purge_expired", None)
    if purge is not None:
        return purge(session)
    cutoff = utcnow() - timedelta(hours=current_app.config["IDEMPOTENCY_TTL_HOURS"])
    model = idempotency.IdempotencyRecord
    return session.execute(delete(model).where(model.created_at < cutoff)).rowcount


def purge_auth_sessions(session: Session) -> int:
    """Sign-in sessions that expired more than AUTH_SESSIONS_KEEP_DAYS ago (kept that long for support)."""
    from ..auth.models import AuthSession

    cutoff = utcnow() - timedelta(days=current_app.config["AUTH_SESSIONS_KEEP_DAYS"])
    return session.execute(delete(AuthSession).where(AuthSession.expires_at < cutoff)).rowcount


def purge_job_runs(session: Session) -> int:
    """Done keys older than JOB_RUNS_KEEP_DAYS; the keys of periodic runs after two days."""
    now = utcnow()
    old = now - timedelta(days=current_app.config["JOB_RUNS_KEEP_DAYS"])
    n = session.execute(delete(JobRun).where(JobRun.finished_at < old)).rowcount
    n += session.execute(delete(JobRun).where(JobRun.key.startswith("periodic:"),
                                              JobRun.finished_at < now - PERIODIC_KEYS_KEEP)).rowcount
    return n


@periodic_job("17 * * * *")
def purge_expired(ctx: JobContext) -> str:
    """Expired idempotency records, long-expired sign-in sessions and old done keys."""
    counts = {
        "idempotency_records": purge_idempotency_records(ctx.session),
        "auth_sessions": purge_auth_sessions(ctx.session),
        "job_runs": purge_job_runs(ctx.session),
    }
    return ", ".join(f"{name} {n}" for name, n in counts.items())
