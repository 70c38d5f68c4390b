"""Background jobs on Huey: one instance from the app's config, our decorators, done keys.

Define a job in ``<domain>/tasks.py`` (imported by the app and so by the worker)::

    from ..jobs import job, periodic_job

    @job(key="case-escalate:{case_id}:{level}")      # idempotent: runs once per key, ever
    def escalate(ctx, case_id: int, level: str):
        case = service.get(ctx.session, user=ctx.principal, case_id=case_id)
        ...                                          # one unit of work, committed by the runner

    @periodic_job("*/5 * * * *")                     # cron in the town's time (Asia/Shanghai)
    def remind_overdue(ctx):
        for case in service.overdue(ctx.session, user=ctx.principal):
            if ctx.once(f"remind:{case.id}:{case.due_at:%Y%m%d%H%M}"):   # per item, same transaction
                ...

Enqueue from request code with ``escalate.after_commit(case.id, "community")`` (queued only when the
request's unit of work commits), elsewhere ``escalate(case.id, "community")``; ``escalate.schedule(
(case.id, "town"), delay=3600)``; ``escalate.run_now(...)`` runs it here and now (tests, commands).

A job runs in a Flask app context and one ``unit_of_work(write=True)``; ``ctx`` carries ``session``,
``principal`` (``SystemPrincipal(reason=<job name>)``), ``name``, ``task_id``, ``attempt``, ``slot``
and ``once(key)``. Failures are retried by Huey (``retries``, ``retry_delay``, ``retry_backoff``).
The worker is ``python -m steward worker``; ``python -m steward serve`` starts one beside the server.
"""
from huey import crontab

from .runtime import JobContext, get_huey, init_app, is_done, job, once, periodic_job, registered

__all__ = ["JobContext", "crontab", "get_huey", "init_app", "is_done", "job", "once", "periodic_job", "registered"]
