"""A job for the live tests, loaded by the worker through HUEY_IMPORTS: it writes a row, then holds
its transaction open for ``hold`` seconds so that a second consumer can run into it."""
import os
import time

from sqlalchemy import text

from steward.jobs import job, periodic_job


@job(key="live-mark:{mark}", retries=2, retry_delay=1)
def live_mark(ctx, mark: str, hold: float = 0.0):
    ctx.session.execute(text("INSERT INTO live_marks (mark, pid) VALUES (:mark, :pid)"),
                        {"mark": mark, "pid": os.getpid()})
    time.sleep(hold)
    return os.getpid()


@periodic_job("* * * * *")
def live_tick(ctx):
    """Every minute: the schedulers of both workers queue it, the minute's key lets one run."""
    ctx.session.execute(text("INSERT INTO live_marks (mark, pid) VALUES (:mark, :pid)"),
                        {"mark": f"tick@{ctx.slot}", "pid": os.getpid()})
