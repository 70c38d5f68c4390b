"""The cases' background jobs: escalation past a deadline, and closing what the reporter left resolved."""
from __future__ import annotations

from ..jobs import JobContext, periodic_job
from . import service


@periodic_job("*/5 * * * *")
def escalate_overdue(ctx: JobContext) -> str:
    """Raise every open case past its deadline one level (grid → section → community → town).

    Safe to run twice for one deadline (two schedulers, a retry): the raise is a guarded UPDATE on
    the level and the deadline it was read with."""
    return f"raised {service.escalate_overdue(ctx.session)}"


@periodic_job("20 3 * * *")
def close_resolved(ctx: JobContext) -> str:
    """Close cases resolved more than 7 days ago that the reporter neither confirmed nor reopened."""
    return f"closed {service.auto_close_resolved(ctx.session)}"
