"""The services' background jobs: slots generated ahead, the waitlist promoted, reminders the day
before, no-shows recorded."""
from __future__ import annotations

from sqlalchemy import select

from ..jobs import JobContext, job, periodic_job
from . import schedule, service
from .models import Kind, Service, ServiceStatus


@job(retries=5, retry_delay=2, retry_backoff=2)
def promote_waitlist(ctx: JobContext, slot_id: int) -> str:
    """Give the seats freed at a slot to its queue, in order, and tell each promoted resident.

    Queued when a booked seat is cancelled (or a capacity raised). Safe to run any number of times at
    once: seats are taken by the conditional UPDATE, waiting bookings moved by a guarded one."""
    return f"promoted {service.promote_waitlist(ctx.session, slot_id=slot_id)}"


@periodic_job("*/10 * * * *")
def promote_waitlists(ctx: JobContext) -> str:
    """The safety net: any future slot with a free seat and a queue (a promotion job that gave up)."""
    return f"promoted {service.promote_all(ctx.session)}"


@periodic_job("10 0 * * *")
def generate_slots(ctx: JobContext) -> str:
    """Extend every published service's slots to its booking horizon (a new day becomes bookable)."""
    added = 0
    for svc in ctx.session.scalars(select(Service).where(Service.status == ServiceStatus.PUBLISHED,
                                                         Service.kind == Kind.SLOTS)):
        added += schedule.generate(ctx.session, svc)["added"]
    return f"added {added} slots"


@periodic_job("0 9-20 * * *")
def remind_tomorrow(ctx: JobContext) -> str:
    """A reminder the day before, once per booking (hourly in the day, so late bookings are reminded too)."""
    sent = 0
    for booking in service.due_reminders(ctx.session):
        if ctx.once(f"booking-reminder:{booking.id}"):
            service.remind(ctx.session, booking)
            sent += 1
    return f"reminded {sent}"


@periodic_job("30 2 * * *")
def record_no_shows(ctx: JobContext) -> str:
    """Seats never checked in an hour after their slot ended become no-shows; stale queues are closed."""
    return f"no-shows {service.mark_no_shows(ctx.session)}"
