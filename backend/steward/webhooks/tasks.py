"""Delivering webhooks: one job per delivery attempt, and a sweep that re-queues what is due."""
from __future__ import annotations

from ..jobs import JobContext, job, periodic_job
from . import service


@job(retries=0, transaction=False)
def deliver(ctx: JobContext, delivery_id: int) -> str:
    """One attempt at one delivery (claim, POST outside any transaction, record). Retries are the
    delivery's own (its backoff, 24 h), not Huey's: a failed POST is an outcome, not an error."""
    return service.attempt(delivery_id)


@periodic_job("* * * * *")
def sweep(ctx: JobContext) -> str:
    """Queue every delivery that is due, so none is lost when the queue loses an entry (the claim in
    ``attempt`` makes a duplicate entry harmless)."""
    ids = service.due_deliveries(ctx.session)
    for delivery_id in ids:
        deliver.after_commit(delivery_id)
    return f"queued {len(ids)}"
