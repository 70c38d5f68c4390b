"""The job worker: Huey's consumer (worker threads + the periodic scheduler), alone or beside the server."""
from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator
from urllib.parse import urlsplit

from flask import Flask

from .runtime import get_huey, huey_file, registered

log = logging.getLogger("steward.jobs")
BACKEND = Path(__file__).resolve().parents[2]
SHUTDOWN_SECONDS = 8  # a graceful stop lets running jobs finish this long (docker stop waits 10 s)


class _QuietHuey(logging.Filter):
    """Our runner logs one line per run (with the traceback when it gives up); Huey's own
    'Unhandled exception in task' would repeat it."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith("Unhandled exception in task")


def _route_huey_logs() -> None:
    steward = logging.getLogger("steward")
    huey = logging.getLogger("huey")
    huey.handlers[:] = list(steward.handlers)
    huey.setLevel(logging.WARNING)
    huey.propagate = False
    for handler in huey.handlers:
        if not any(isinstance(f, _QuietHuey) for f in handler.filters):
            handler.addFilter(_QuietHuey())


def describe_queue(config) -> str:
    if config.get("REDIS_URL"):
        u = urlsplit(config["REDIS_URL"])
        return f"redis {u.hostname}:{u.port or 6379}{u.path or '/0'} ({config['HUEY_NAME']})"
    return f"sqlite {huey_file(config)} ({config['HUEY_NAME']})"


def _exit_with_parent(parent_pid: int) -> None:
    """When started by `serve`, stop as soon as the server process is gone (even if it was killed)."""

    def watch() -> None:
        while os.getppid() == parent_pid:
            time.sleep(1)
        log.info("job worker: the server (pid %d) is gone, stopping", parent_pid)
        os.kill(os.getpid(), signal.SIGINT)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


def run_worker(app: Flask, *, workers: int | None = None, periodic: bool = True,
               parent_pid: int | None = None) -> None:
    """Run the consumer in this process until SIGINT or SIGTERM (both graceful; a second one is not)."""
    huey = get_huey()
    if huey.immediate:
        raise SystemExit("HUEY_IMMEDIATE is on: jobs run in the caller, there is no queue to consume")
    _route_huey_logs()
    workers = workers or app.config["HUEY_WORKERS"]
    consumer = huey.create_consumer(workers=workers, worker_type="thread", periodic=periodic,
                                    max_delay=2.0, shutdown_timeout=SHUTDOWN_SECONDS, check_worker_health=True)
    # Huey treats SIGTERM as "stop now", dropping the jobs in flight; let it finish them as for SIGINT.
    consumer._signal_actions[signal.SIGTERM] = (False, True)
    if parent_pid:
        _exit_with_parent(parent_pid)
    names = ", ".join(sorted(registered())) or "none"
    log.info("job worker started: pid %d, %d threads, %s, periodic %s; jobs: %s", os.getpid(), workers,
             describe_queue(app.config), "on" if periodic else "off", names)
    consumer.run()
    log.info("job worker stopped")


def spawn_worker() -> subprocess.Popen:
    """`python -m steward worker` as a child of this process, logging to the same console."""
    cmd = [sys.executable, "-m", "steward", "worker", "--parent-pid", str(os.getpid())]
    # Its own session: a Ctrl-C in the terminal reaches the server, which then stops the worker
    # gracefully (instead of both receiving it and the worker being interrupted twice).
    return subprocess.Popen(cmd, cwd=BACKEND, start_new_session=True)


def stop_worker(proc: subprocess.Popen) -> None:
    if proc.poll() is not None:
        return
    proc.send_signal(signal.SIGINT)
    try:
        proc.wait(timeout=SHUTDOWN_SECONDS + 4)
    except subprocess.TimeoutExpired:
        log.warning("job worker did not stop in time, killing it")
        proc.kill()
        proc.wait()


@contextmanager
def worker_beside(enabled: bool) -> Iterator[subprocess.Popen | None]:
    """Run the job worker as a child process for as long as the block (the server) runs."""
    if not enabled:
        yield None
        return
    proc = spawn_worker()
    try:
        yield proc
    finally:
        # The server is stopping: a second Ctrl-C or SIGTERM must not cut the worker's shutdown short.
        previous = {s: signal.signal(s, signal.SIG_IGN) for s in (signal.SIGINT, signal.SIGTERM)}
        try:
            stop_worker(proc)
        finally:
            for s, handler in previous.items():
                signal.signal(s, handler)
