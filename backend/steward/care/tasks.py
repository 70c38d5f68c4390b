"""Care pairs' daily job: households nobody visited in 14 days are flagged to staff and volunteers."""
from __future__ import annotations

from ..jobs import JobContext, periodic_job
from . import service


@periodic_job("0 9 * * *")
def flag_overdue_visits(ctx: JobContext) -> str:
    """Every morning at 9, once per pair per day."""
    return f"flagged {service.flag_overdue(ctx.session, once=ctx.once)}"
