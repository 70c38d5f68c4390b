"""Database plumbing: declarative base, engine, one session per request or job, and the unit of work."""
from __future__ import annotations

import collections
import logging
import threading
import weakref
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime, timezone
from typing import Iterator

from flask import Flask, g
from sqlalchemy import DateTime, MetaData, create_engine, event
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker
from sqlalchemy.pool import StaticPool
from sqlalchemy.types import TypeDecorator

_log = logging.getLogger("steward.db")

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


class UTCDateTime(TypeDecorator):
    """Timezone-aware datetimes stored as UTC on every backend (SQLite forgets the offset)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    @property
    def python_type(self) -> type:
        # TypeDecorator answers ``object`` here; keyset cursors (core.pagination) need the real type.
        return datetime

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime")
        return value.astimezone(timezone.utc)

    def process_result_value(self, value, dialect):
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=timezone.utc)
        return value

    def result_processor(self, dialect, coltype):
        if dialect.name != "sqlite":
            return super().result_processor(dialect, coltype)

        # SQLite keeps the text SQLAlchemy wrote ("2026-11-27 13:22:39.011000", UTC): parsed and marked UTC
        # in one step, where the decorator's chain took three calls per value (a page of 20 has 40).
        def process(value, parse=datetime.fromisoformat, utc=timezone.utc):
            if value is None:
                return None
            value = parse(value)
            return value if value.tzinfo is not None else value.replace(tzinfo=utc)

        return process


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class Database:
    """Holds the engine and hands out one session per request (``db.session``)."""

    def __init__(self) -> None:
        self.engine: Engine | None = None
        self.sessionmaker = sessionmaker(expire_on_commit=False)
        self._kept = threading.local()

    def init_app(self, app: Flask) -> None:
        self.engine = make_engine(app.config["DATABASE_URL"], echo=app.config.get("SQL_ECHO", False))
        self.sessionmaker.configure(bind=self.engine)
        app.extensions["steward.db"] = self
        app.teardown_appcontext(self._remove)

    @property
    def session(self) -> Session:
        ctx = g._get_current_object()  # once: each pass through the proxy costs a context lookup
        session = ctx.__dict__.get("db_session")
        if session is None:
            conn = self._lend_thread_connection()
            session = ctx.db_session = self.sessionmaker(bind=conn) if conn is not None else self.sessionmaker()
        return session

    def _lend_thread_connection(self) -> Connection | None:
        """The calling thread's connection, kept from one unit of work to the next: checking a connection
        out of the pool and back in (with the pool's reset) for each request cost ~60 µs, a tenth of
        ``GET /me``. Lent to one session at a time (a job run inside a request gets a pooled one); between
        sessions it is never in a transaction; it goes back to the pool when its thread ends.

        None when sessions are bound elsewhere (the tests' rolled-back connection) or the engine has one
        connection for everyone (an in-memory SQLite database)."""
        if self.sessionmaker.kw.get("bind") is not self.engine or isinstance(self.engine.pool, StaticPool):
            return None
        kept = self._kept
        if getattr(kept, "lent", False):
            return None
        conn = getattr(kept, "conn", None)
        if conn is None or conn.closed or conn.engine is not self.engine:
            conn = kept.conn = self.engine.connect()
            weakref.finalize(threading.current_thread(), conn.close)
        elif conn.in_transaction():  # left open by a bug: ended, never joined by the next unit of work
            _log.warning("a kept connection was still in a transaction: rolled back")
            conn.rollback()
        kept.lent = g.db_kept = True
        return conn

    def _remove(self, exc: BaseException | None) -> None:
        session = g.pop("db_session", None)
        try:
            if session is not None:
                if exc is not None:
                    session.rollback()
                session.close()  # ends its transaction; a kept connection stays open
        finally:
            if g.pop("db_kept", False):
                self._kept.lent = False


def rows_connection(session: Session):
    """The session's connection, for selects of plain rows (nothing for the ORM to build), after the
    autoflush Session.execute would do. Skips the ORM's per-statement work (~0.1 ms on a hot path)."""
    if session.autoflush:
        session.flush()  # nothing to do when clean
    return session.connection()


class PreparedSelect:
    """A select on the hottest paths (the session check of every request, ``/me``), run on the DBAPI
    cursor of a SQLAlchemy connection: compiled once per dialect, its rows typed by the columns' own result
    processors. It skips SQLAlchemy's execution context (~40 µs a statement, a tenth of ``GET /me``) and
    keeps the rest: the unit of work's transaction (it runs on that connection, after its BEGIN), the
    engine's cursor events (tests count statements with them), SQL_ECHO. On any database error the select
    runs again the regular way, which reports the error (and, after a lost connection, reconnects) as
    every other statement does. Only for selects without expanding (``IN``) parameters."""

    def __init__(self, stmt) -> None:
        self.stmt = stmt
        self._forms: dict[str, tuple] = {}

    def _form(self, dialect) -> tuple:
        form = self._forms.get(dialect.name)
        if form is None:
            compiled = self.stmt.compile(dialect=dialect)
            if any(b.expanding for b in compiled.binds.values()):
                raise ValueError("PreparedSelect takes no expanding parameters")
            columns = compiled._result_columns  # (key, name, objects, type) in the select's order
            form = self._forms[dialect.name] = (
                compiled.string, list(compiled.positiontup) if compiled.positional else None,
                dict(compiled._bind_processors), compiled.construct_params(_check=False),
                [c[3]._cached_result_processor(dialect, None) for c in columns],
                collections.namedtuple("Row", [c[0] for c in columns]))
        return form

    def first(self, conn: Connection, params: dict):
        """The first row (a named tuple), or None."""
        sql, order, bind_processors, defaults, processors, row = self._form(conn.dialect)
        values = {**defaults, **params}
        for name, process in bind_processors.items():
            values[name] = process(values[name])
        args = [values[name] for name in order] if order is not None else values
        cursor = None
        events = conn._has_events or conn.engine._has_events
        try:
            cursor = conn.connection.driver_connection.cursor()
            if events:
                conn.dispatch.before_cursor_execute(conn, cursor, sql, args, None, False)
            if conn._echo:
                conn._log_info(sql)
            try:
                cursor.execute(sql, args)
                raw = cursor.fetchone()
            finally:
                if events:
                    conn.dispatch.after_cursor_execute(conn, cursor, sql, args, None, False)
        except conn.dialect.loaded_dbapi.Error:
            return conn.execute(self.stmt, params).first()
        finally:
            if cursor is not None:
                cursor.close()
        if raw is None:
            return None
        return row._make([v if p is None else p(v) for p, v in zip(processors, raw, strict=True)])


# Connections kept open per engine: at least the server's threads (waitress: 8) and the job worker's.
POOL_SIZE = 12


def make_engine(url: str, *, echo: bool = False, **kwargs) -> Engine:
    """An engine with our SQLite settings (WAL, foreign keys, transactional DDL and SAVEPOINTs)."""
    if url.startswith("sqlite"):
        kwargs.setdefault("connect_args", {"check_same_thread": False})
        if url in ("sqlite://", "sqlite:///:memory:"):
            kwargs["poolclass"] = StaticPool
    if "poolclass" not in kwargs:
        # Every server thread keeps its connection: with SQLAlchemy's default of 5, the threads beyond
        # the fifth opened and closed a connection per request (on SQLite that also re-ran the PRAGMAs).
        kwargs.setdefault("pool_size", POOL_SIZE)
        kwargs.setdefault("max_overflow", POOL_SIZE)
    engine = create_engine(url, echo=echo, **kwargs)
    if url.startswith("sqlite"):
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
    else:  # a database server: while a statement makes its round trip, other requests may compute
        event.listen(engine, "before_cursor_execute", _round_trip_begins)
        event.listen(engine, "after_cursor_execute", _round_trip_ends)
        event.listen(engine, "handle_error", _round_trip_failed)
    return engine


def _round_trip_begins(conn, _cursor, _statement, _parameters, _context, _executemany) -> None:
    from .server import wait_begins

    conn.info["steward.paused"] = wait_begins()


def _round_trip_ends(conn, _cursor, _statement, _parameters, _context, _executemany) -> None:
    from .server import wait_ends

    wait_ends(conn.info.pop("steward.paused", ()))


def _round_trip_failed(context) -> None:
    if context.connection is not None:
        from .server import wait_ends

        wait_ends(context.connection.info.pop("steward.paused", ()))


def _sqlite_pragmas(dbapi_conn, _record) -> None:
    # Let SQLAlchemy, not the sqlite3 module, decide where transactions begin, so that
    # SAVEPOINTs work (the documented pysqlite recipe); see _sqlite_begin.
    dbapi_conn.isolation_level = None
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA journal_mode=WAL")
    # Other processes (the job worker, a command) still wait on SQLite itself; in-process writers queue
    # first (see unit_of_work), so this only has to cover another process's transaction.
    cur.execute("PRAGMA busy_timeout=15000")
    cur.close()


db = Database()

# The intent of the unit of work running in this thread or task: does it write?
_writes: ContextVar[bool] = ContextVar("steward_writes", default=False)


class ReadOnlyViolation(RuntimeError):
    """A unit of work declared read-only tried to write: a bug in the code, never the client's fault."""


@contextmanager
def unit_of_work(*, write: bool, session: Session | None = None) -> Iterator[Session]:
    """One transaction for one HTTP request, background job or command.

    ``write`` is the stated intent, not a guess from the HTTP method: a writing unit takes SQLite's
    write lock when it begins (see :func:`_sqlite_begin`), and a read-only one that writes fails
    loudly. Commits on success and rolls back on error, except that an error which asks to keep the
    writes (``keep_writes``, e.g. a failed sign-in that stays on record) commits them first.
    """
    token = _writes.set(write)
    session = session or db.session
    session.info["writes"] = write
    turn = _writer_turn(session) if write else None
    if turn is not None and not turn.acquire(blocking=False):
        from .server import waiting

        with waiting():  # another request writes: others may compute while this one queues
            turn.acquire()
    try:
        yield session
        session.commit()
    except BaseException as e:
        if getattr(e, "keep_writes", False):
            session.commit()
        else:
            session.rollback()
        raise
    finally:
        if turn is not None:
            turn.release()
        session.info.pop("writes", None)
        _writes.reset(token)


# SQLite lets one writer in at a time. Threads of one process that all wait in SQLite's busy handler
# sleep and retry with growing pauses: unfair, slow under load, and a request that loses often enough
# runs out of busy_timeout (a 503). Writing units of work of one process therefore queue on a lock of
# their own first, in arrival order, and only then ask SQLite for its write lock (which is then
# contended by other processes only: the job worker, a command). Reentrant: a job run in immediate
# mode on commit of a request runs in the same thread.
_WRITER_TURNS: dict[str, threading.RLock] = {}
_TURNS_GUARD = threading.Lock()


def _writer_turn(session: Session) -> threading.RLock | None:
    bind = session.get_bind()
    if bind.dialect.name != "sqlite":
        return None
    url = str(bind.engine.url if hasattr(bind, "engine") else bind.url)
    with _TURNS_GUARD:
        return _WRITER_TURNS.setdefault(url, threading.RLock())


@event.listens_for(Session, "before_flush")
def _no_flush_when_reading(session: Session, _ctx, _instances) -> None:
    if session.info.get("writes") is False and (session.new or session.dirty or session.deleted):
        raise ReadOnlyViolation("a read-only unit of work tried to write")


@event.listens_for(Session, "do_orm_execute")
def _no_dml_when_reading(state) -> None:
    if state.session.info.get("writes") is False and (state.is_insert or state.is_update or state.is_delete):
        raise ReadOnlyViolation("a read-only unit of work tried to write")


def _sqlite_begin(conn) -> None:
    # A unit of work that may write takes SQLite's write lock up front (BEGIN IMMEDIATE): a deferred
    # transaction that reads and then writes fails with "database is locked" as soon as another
    # thread has written in between, and busy_timeout cannot help it. Reads stay deferred and, in
    # WAL mode, never wait. Sent on the driver's connection: through SQLAlchemy's execution path this
    # one word cost ~5 % of a simple request (it does not show in SQL_ECHO).
    conn.connection.driver_connection.execute("BEGIN IMMEDIATE" if _writes.get() else "BEGIN")
