"""The HTTP server of `python -m steward serve`: waitress, with its thread pool scheduled for Python.

Python runs one thread at a time (the interpreter lock). waitress's own pool wakes its threads in turn
and lets all of them run requests at once; at full load they hand the interpreter lock to one another
at every database call and socket write. Each hand-off is a context switch, and on a virtual machine a
switch between cores costs more than much of a short request's own work: with 16 connections on 2
cores, 8 such threads answered `GET /api/v1/me` ~30 % and the residents list ~40 % slower than a single
thread did (bench/README.md).

:class:`HotThreadDispatcher` keeps the 8 threads — a request that waits (on the database, a lock, a
password hash, an event stream) must not hold up the others — but runs the queue one request at a
time: the thread that has just computed a response takes the next request (its caches are warm and
nobody is woken), and another thread starts a request only when none is being computed: the running one
declared a wait (:func:`waiting`, :func:`wait_begins`: steward.db does so around each statement sent to a
database server and while a write queues for SQLite's writer turn), or has run longer than ``stall``
seconds and so is most likely waiting rather than computing. An undeclared wait (a password hash, an event
stream) therefore delays the queue by ``stall`` at most. While requests run, one idle thread wakes every
``stall`` seconds to look for such a wait.
"""
from __future__ import annotations

import logging
import threading
import time
from contextlib import contextmanager
from typing import Iterator

from waitress.server import create_server
from waitress.task import ThreadedTaskDispatcher

# Shared with bench/ceiling.py: the ceiling is measured on the very same server.
WAITRESS = {"threads": 8, "ident": "steward"}
STALL_SECONDS = 0.005


class HotThreadDispatcher(ThreadedTaskDispatcher):
    def __init__(self, stall: float = STALL_SECONDS) -> None:
        super().__init__()
        self.stall = stall
        self.computing: dict[int, float] = {}  # thread number -> when it started its request
        self.idle: list[int] = []  # waiting threads, the most recently idle last
        self.wakeup: dict[int, threading.Condition] = {}
        self.number: dict[int, int] = {}  # thread ident -> thread number
        self.watcher: int | None = None  # the idle thread that looks for stalls while requests run

    def _busy(self, now: float) -> bool:
        """Is a request being computed, recently enough that it is probably not waiting?"""
        return any(now - t < self.stall for t in self.computing.values())

    def handler_thread(self, thread_no: int) -> None:
        with self.lock:
            cv = self.wakeup[thread_no] = threading.Condition(self.lock)
            self.number[threading.get_ident()] = thread_no
        while True:
            with self.lock:
                self.computing.pop(thread_no, None)
                while True:
                    if self.stop_count > 0:
                        self.active_count -= 1
                        self.stop_count -= 1
                        self.threads.discard(thread_no)
                        del self.wakeup[thread_no], self.number[threading.get_ident()]
                        self.thread_exit_cv.notify()
                        return
                    now = time.monotonic()
                    if self.queue and not self._busy(now):
                        task = self.queue.popleft()
                        self.computing[thread_no] = now
                        if self.queue and self.watcher is None:  # the watcher took it: another watches
                            self._wake_one()
                        break
                    self._wait(thread_no, cv)
            try:
                task.service()
            except BaseException:
                self.logger.exception("Exception when servicing %r", task)

    def _wait(self, thread_no: int, cv: threading.Condition) -> None:
        timeout = None
        if self.computing and self.watcher is None:
            self.watcher, timeout = thread_no, self.stall
        self.active_count -= 1
        self.idle.append(thread_no)
        cv.wait(timeout)
        self.active_count += 1
        if thread_no in self.idle:  # its timeout ran out (a notify takes the thread off the list)
            self.idle.remove(thread_no)
        if self.watcher == thread_no:
            self.watcher = None

    def _wake_one(self) -> None:
        if self.idle:
            self.wakeup[self.idle.pop()].notify()

    def add_task(self, task) -> None:
        with self.lock:
            self.queue.append(task)
            # Nothing computed: a thread must start it. Something computed: that thread takes the new
            # request when done, and a watcher (woken here if there is none) starts it should it stall.
            if not self._busy(time.monotonic()) or self.watcher is None:
                self._wake_one()

    def computed(self) -> None:
        """The calling thread has its response; writing it out is the socket's work, not Python's. The
        next request may start (in the thread that asks for it next: nobody is woken for it here)."""
        with self.lock:
            self.computing.pop(self.number.get(threading.get_ident()), None)

    def pause(self) -> bool:
        """The calling thread is about to wait (a database round trip): another may compute meanwhile."""
        no = self.number.get(threading.get_ident())
        if no is None:
            return False
        with self.lock:
            if self.computing.pop(no, None) is None:
                return False
            if self.queue and not self._busy(time.monotonic()):
                self._wake_one()
            return True

    def resume(self) -> None:
        """The wait is over: the calling thread computes again (beside whoever started meanwhile)."""
        no = self.number.get(threading.get_ident())
        if no is not None:
            with self.lock:
                self.computing[no] = time.monotonic()

    def shutdown(self, cancel_pending: bool = True, timeout: float = 5) -> bool:
        if self in _dispatchers:
            _dispatchers.remove(self)
        return super().shutdown(cancel_pending, timeout)

    def set_thread_count(self, count: int) -> None:
        super().set_thread_count(count)
        with self.lock:
            if self.stop_count:  # wake the idle threads so that they see they are to stop
                while self.idle:
                    self._wake_one()

    def wrap(self, app):
        """``app``, telling this dispatcher when each response is computed."""
        def computed_app(environ, start_response):
            try:
                return app(environ, start_response)
            finally:
                self.computed()

        return computed_app


_dispatchers: list[HotThreadDispatcher] = []


def wait_begins() -> tuple[HotThreadDispatcher, ...]:
    """The calling thread starts a wait that is not Python's work (a round trip to a database server, a
    lock held by another request): on a server thread, other requests may compute until :func:`wait_ends`.
    Elsewhere, nothing. Returns what to hand to ``wait_ends``."""
    return tuple(d for d in _dispatchers if d.pause())


def wait_ends(paused: tuple[HotThreadDispatcher, ...]) -> None:
    for d in paused:
        d.resume()


@contextmanager
def waiting() -> Iterator[None]:
    paused = wait_begins()
    try:
        yield
    finally:
        wait_ends(paused)


def create(app, *, host: str, port: int, stall: float = STALL_SECONDS, **kw):
    """A waitress server for ``app`` on our dispatcher (not yet running; ``run()`` serves)."""
    dispatcher = HotThreadDispatcher(stall)
    _dispatchers.append(dispatcher)
    dispatcher.set_thread_count(WAITRESS["threads"])
    return create_server(dispatcher.wrap(app), host=host, port=port, _dispatcher=dispatcher, **{**WAITRESS, **kw})


def serve(app, *, host: str, port: int) -> None:
    """Serve ``app`` until the process is stopped (as ``waitress.serve`` does)."""
    logging.basicConfig()  # waitress's own warnings reach stderr
    server = create(app, host=host, port=port)
    server.print_listen("Serving on http://{}:{}")
    server.run()
