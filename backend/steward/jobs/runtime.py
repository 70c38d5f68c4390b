"""The Huey instance, our task decorators and the done-keys that make a task idempotent."""
from __future__ import annotations

import hashlib
import inspect
import logging
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from importlib import import_module
from pathlib import Path
from typing import Any, Callable
from zoneinfo import ZoneInfo

from flask import Flask, current_app, has_app_context
from huey import Huey, crontab
from huey.storage import RedisStorage, SqliteStorage
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..config import var_dir
from ..core.txhooks import on_commit
from ..db import db, unit_of_work
from ..scope import SystemPrincipal
from .models import JobRun

log = logging.getLogger("steward.jobs")
SLOT = "_steward_slot"  # keyword the scheduler adds to a periodic task: the minute it was due
KEY_MAX = 200
# Keyword arguments Huey takes for itself when a task is queued.
RESERVED = frozenset({"eta", "delay", "id", "retries", "retry_delay", "retry_backoff", "priority", "expires",
                      "timeout", "task", SLOT})


# ---------------------------------------------------------------- the Huey instance
class StewardHuey(Huey):
    """Huey whose cron expressions are read in the town's time zone, and whose periodic runs carry
    the minute they were due, so two schedulers (two machines on one Redis) do the work once."""

    zone = ZoneInfo("Asia/Shanghai")

    def read_periodic(self, timestamp):
        utc = datetime.now(timezone.utc) if timestamp is None else timestamp.replace(tzinfo=timezone.utc)
        local = utc.astimezone(self.zone).replace(tzinfo=None, second=0, microsecond=0)
        tasks = [task for task in self._registry.periodic_tasks if task.validate_datetime(local)]
        for task in tasks:
            task.kwargs[SLOT] = local.isoformat(timespec="minutes")
        return tasks


def huey_file(config) -> str:
    if config.get("HUEY_FILE"):
        return config["HUEY_FILE"]
    url: str = config["DATABASE_URL"]
    folder = var_dir(url)
    if url.startswith("sqlite"):
        return str(folder / "huey.db")
    name = url.rsplit("/", 1)[-1].split("?", 1)[0] or "default"
    return str(folder / f"huey-{name}.db")


def make_huey(config) -> StewardHuey:
    """RedisHuey when REDIS_URL is set, else SqliteHuey in a file beside the database."""
    immediate = bool(config.get("HUEY_IMMEDIATE"))
    common = dict(name=config["HUEY_NAME"], immediate=immediate, results=immediate, utc=True)
    if config.get("REDIS_URL"):
        huey = StewardHuey(storage_class=RedisStorage, url=config["REDIS_URL"], **common)
    else:
        path = huey_file(config)
        if not immediate:
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        huey = StewardHuey(storage_class=SqliteStorage, filename=path, **common)
    huey.zone = ZoneInfo(config.get("TIMEZONE", "Asia/Shanghai"))
    return huey


@dataclass
class _State:
    app: Flask | None = None
    huey: StewardHuey | None = None
    jobs: dict[str, "Job"] = field(default_factory=dict)


_state = _State()


def init_app(app: Flask) -> None:
    """Build the Huey instance from ``app``'s config and register every task with it."""
    _state.app = app
    _state.huey = make_huey(app.config)
    from . import tasks  # noqa: F401  (housekeeping)

    for name in filter(None, (m.strip() for m in app.config.get("HUEY_IMPORTS", "").split(","))):
        import_module(name)
    for job in _state.jobs.values():
        job._register(_state.huey)
    app.extensions["steward.huey"] = _state.huey


def get_huey() -> StewardHuey:
    if _state.huey is None:
        raise RuntimeError("steward.jobs.init_app(app) has not run")
    return _state.huey


def registered() -> dict[str, "Job"]:
    return dict(_state.jobs)


# ---------------------------------------------------------------- done keys
def _stored_key(key: str) -> str:
    return key if len(key) <= KEY_MAX else "sha256:" + hashlib.sha256(key.encode()).hexdigest()


def once(key: str, *, task: str = "", session: Session | None = None) -> bool:
    """Claim ``key`` in the current transaction: True if the work is ours to do, False if done before.

    The claim commits or rolls back with the caller's writes. Use it inside a job for each piece of
    work (``if ctx.once(f"remind:{case.id}:{case.due_at:%Y%m%d}"): ...``); ``@job(key=...)`` uses it
    for the whole task.
    """
    session = session or db.session
    key = _stored_key(key)
    if session.scalar(select(JobRun.id).where(JobRun.key == key)) is not None:
        return False
    try:
        with session.begin_nested():
            session.add(JobRun(key=key, task=task[:120]))
            session.flush()
    except IntegrityError:  # another consumer committed it meanwhile (PostgreSQL waited for it)
        return False
    return True


def is_done(key: str, *, session: Session | None = None) -> bool:
    session = session or db.session
    return session.scalar(select(JobRun.id).where(JobRun.key == _stored_key(key))) is not None


# ---------------------------------------------------------------- tasks
@dataclass
class JobContext:
    """What a running job gets as its first argument."""

    name: str
    session: Session
    principal: SystemPrincipal
    task_id: str | None = None
    attempt: int = 1
    slot: str | None = None  # periodic jobs: the minute (town time) this run was due

    def once(self, key: str) -> bool:
        """See :func:`once`."""
        return once(key, task=self.name, session=self.session)


def _display_name(fn: Callable) -> str:
    module = fn.__module__.removeprefix("steward.").removesuffix(".tasks")
    return f"{module}.{fn.__name__}"


class Job:
    """A function run in the background: ``job(*args)`` enqueues it; the worker runs it in an app
    context and one writing unit of work, as ``SystemPrincipal(reason=<name>)``."""

    def __init__(self, fn: Callable, *, retries: int, retry_delay: int, retry_backoff: float,
                 key: str | Callable[..., str] | None, periodic=None, priority: int | None = None,
                 transaction: bool = True):
        if not transaction and key is not None:
            raise TypeError("a job that runs its own units of work cannot have a done key")
        self.fn = fn
        self.transaction = transaction
        self.name = _display_name(fn)
        self.retries = retries
        self.retry_delay = retry_delay
        self.retry_backoff = retry_backoff
        self.key = key
        self.periodic = periodic
        self.priority = priority
        self._signature = inspect.signature(fn)
        taken = RESERVED & set(list(self._signature.parameters)[1:])
        if taken:  # Huey would take them as its own options (task id, delay…) when the job is queued
            raise TypeError(f"job {self.name}: rename the parameter(s) {', '.join(sorted(taken))}")
        self._wrapper = None
        self.__doc__ = fn.__doc__
        self.__name__ = fn.__name__
        self.__module__ = fn.__module__
        if self.name in _state.jobs and _state.jobs[self.name].fn.__qualname__ != fn.__qualname__:
            raise ValueError(f"two jobs named {self.name}")
        _state.jobs[self.name] = self
        if _state.huey is not None:
            self._register(_state.huey)

    def __repr__(self) -> str:
        return f"<job {self.name}>"

    # -- registration with Huey
    def _register(self, huey: Huey) -> None:
        if self._wrapper is not None and self._wrapper.huey is huey:
            return
        job = self

        def execute(*args, task=None, **kwargs):
            return job._run(args, kwargs, task)

        execute.__module__ = self.fn.__module__
        execute.__name__ = self.fn.__name__
        options = dict(retries=self.retries, retry_delay=self.retry_delay, retry_backoff=self.retry_backoff,
                       priority=self.priority, context=True, name=self.fn.__name__)
        if self.periodic is not None:
            self._wrapper = huey.periodic_task(self.periodic, **options)(execute)
        else:
            self._wrapper = huey.task(**options)(execute)

    @property
    def wrapper(self):
        if self._wrapper is None or self._wrapper.huey is not _state.huey:
            self._register(get_huey())
        return self._wrapper

    # -- enqueueing
    def __call__(self, *args, **kwargs):
        """Enqueue now. In immediate mode (tests) the job has run when this returns, and Huey's result
        handle is returned (``.get()`` raises the job's error); otherwise None (results are not kept)."""
        return self.wrapper(*args, **kwargs)

    def after_commit(self, *args, **kwargs) -> None:
        """Enqueue when the current unit of work commits; never if it rolls back. Use this from
        request code, so the worker finds the rows the job is about."""
        on_commit(lambda: self(*args, **kwargs))

    def schedule(self, args: tuple = (), kwargs: dict | None = None, *, delay: float | None = None,
                 eta: datetime | None = None):
        """Enqueue to run after ``delay`` seconds or at ``eta`` (an aware datetime)."""
        if eta is not None:
            eta = eta.astimezone(timezone.utc).replace(tzinfo=None)
        return self.wrapper.schedule(args=args, kwargs=kwargs or {}, delay=delay, eta=eta)

    def run_now(self, *args, **kwargs):
        """Run in this process, in a unit of work of its own (tests, commands). Errors propagate."""
        return self._run(args, kwargs, None)

    # -- running
    def key_for(self, args: tuple, kwargs: dict) -> str | None:
        if self.key is None:
            return None
        if callable(self.key):
            return self.key(*args, **kwargs)
        bound = self._signature.bind(None, *args, **kwargs)
        bound.apply_defaults()
        values = dict(list(bound.arguments.items())[1:])
        return self.key.format(**values)

    def _run(self, args: tuple, kwargs: dict, task) -> Any:
        kwargs = dict(kwargs)
        slot = kwargs.pop(SLOT, None)
        app = _state.app if _state.app is not None else (current_app._get_current_object() if has_app_context() else None)
        if app is None:
            raise RuntimeError(f"job {self.name}: no Flask app (steward.jobs.init_app has not run)")
        retries_left = task.retries if task is not None else 0
        attempt = self.retries - retries_left + 1 if task is not None else 1
        key = self.key_for(args, kwargs)
        if key is None and slot is not None:
            key = f"periodic:{self.name}@{slot}"
        task_id = task.id if task is not None else None
        started = time.perf_counter()
        outcome = "ok"
        # A fresh app context: its own session, even when called from inside a request (immediate mode).
        with app.app_context():
            try:
                if not self.transaction:  # the job opens its own units of work (e.g. around a network call)
                    ctx = JobContext(name=self.name, session=db.session, task_id=task_id, attempt=attempt, slot=slot,
                                     principal=SystemPrincipal(reason=self.name))
                    result = self.fn(ctx, *args, **kwargs)
                else:
                    with unit_of_work(write=True) as session:
                        ctx = JobContext(name=self.name, session=session, task_id=task_id, attempt=attempt, slot=slot,
                                         principal=SystemPrincipal(reason=self.name))
                        if key is not None and not ctx.once(key):
                            outcome = "skipped"
                            result = None
                        else:
                            result = self.fn(ctx, *args, **kwargs)
            except Exception as e:
                ms = (time.perf_counter() - started) * 1000
                fields = {"job": self.name, "task_id": task_id, "attempt": attempt, "ms": round(ms, 1),
                          "error": f"{type(e).__name__}: {e}"}
                if retries_left > 0:
                    delay = task.retry_delay
                    log.warning("job %s failed in %.0fms (attempt %d, retrying%s): %s: %s%s", self.name, ms, attempt,
                                f" in {delay:g}s" if delay else "", type(e).__name__, e, _tag(task_id),
                                extra={"fields": {**fields, "outcome": "retrying"}})
                else:
                    # From the queue the traceback is logged here; run_now's caller gets the exception.
                    log.error("job %s failed in %.0fms (attempt %d, giving up): %s: %s%s", self.name, ms, attempt,
                              type(e).__name__, e, _tag(task_id), exc_info=e if task is not None else None,
                              extra={"fields": {**fields, "outcome": "failed"}})
                raise
        ms = (time.perf_counter() - started) * 1000
        fields = {"job": self.name, "task_id": task_id, "attempt": attempt, "ms": round(ms, 1), "outcome": outcome}
        if outcome == "skipped":
            log.info("job %s skipped in %.0fms: already done (%s)%s", self.name, ms, key, _tag(task_id),
                     extra={"fields": {**fields, "key": key}})
        else:
            log.info("job %s ok in %.0fms%s%s", self.name, ms, f" → {result}" if result is not None else "",
                     _tag(task_id), extra={"fields": fields})
        return result


def _tag(task_id: str | None) -> str:
    return f" [{task_id}]" if task_id else ""


def job(fn: Callable | None = None, *, retries: int = 3, retry_delay: int = 10, retry_backoff: float = 2,
        key: str | Callable[..., str] | None = None, priority: int | None = None, transaction: bool = True):
    """Make ``fn(ctx, *args)`` a background job; ``fn(*args)`` is then how it is enqueued.

    ``key`` makes the whole job idempotent: a format string over the job's arguments
    (``"case-escalate:{case_id}:{level}"``) or a function of them; a run whose key is already done
    (committed by an earlier run or another consumer) does nothing. Arguments must be plain values
    (ids, strings): they are pickled into the queue, and the job reads fresh rows itself.
    Failures are retried ``retries`` times, ``retry_delay`` seconds apart, multiplied by
    ``retry_backoff`` each time. ``transaction=False``: the job is not run inside one unit of work but
    opens its own (``with unit_of_work(write=True)``), e.g. to make a network call between two short
    transactions instead of holding a write lock through it (webhook delivery).
    """

    def decorate(f: Callable) -> Job:
        return Job(f, retries=retries, retry_delay=retry_delay, retry_backoff=retry_backoff, key=key,
                   priority=priority, transaction=transaction)

    return decorate(fn) if fn is not None else decorate


def periodic_job(cron: str | Callable[[datetime], bool], *, retries: int = 0, retry_delay: int = 60,
                 retry_backoff: float = 1, priority: int | None = None):
    """Run ``fn(ctx)`` on a schedule: ``"*/5 * * * *"`` (minute hour day month weekday, town time).

    Each due minute runs once even with several schedulers (its key is the job and the minute);
    work inside it should still claim keys per item with ``ctx.once(...)``.
    """
    validate = parse_cron(cron) if isinstance(cron, str) else cron

    def decorate(f: Callable) -> Job:
        return Job(f, retries=retries, retry_delay=retry_delay, retry_backoff=retry_backoff, key=None,
                   periodic=validate, priority=priority)

    return decorate


def parse_cron(expr: str):
    parts = expr.split()
    if len(parts) != 5:
        raise ValueError(f"cron needs 5 fields (minute hour day month weekday): {expr!r}")
    minute, hour, day, month, weekday = parts
    return crontab(minute=minute, hour=hour, day=day, month=month, day_of_week=weekday)
