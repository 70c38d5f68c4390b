"""Notices' job: publish the scheduled notices whose time has come (important ones notify, once)."""
from __future__ import annotations

from ..jobs import JobContext, periodic_job
from . import service


@periodic_job("* * * * *")
def publish_due(ctx: JobContext) -> str:
    """Every minute; two schedulers at once publish (and notify) each notice once."""
    return f"published {service.publish_due(ctx.session)}"
