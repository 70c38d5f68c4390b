"""Activities' background job: a reminder the day before, once per sign-up."""
from __future__ import annotations

from ..jobs import JobContext, periodic_job
from . import service


@periodic_job("5 9-20 * * *")
def remind_tomorrow(ctx: JobContext) -> str:
    """Tell everyone signed up for tomorrow's activities (hourly in the day; once per sign-up)."""
    sent = 0
    for signup in service.due_reminders(ctx.session):
        if ctx.once(f"activity-reminder:{signup.id}"):
            service.remind(ctx.session, signup)
            sent += 1
    return f"reminded {sent}"
