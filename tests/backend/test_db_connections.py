"""Each thread keeps its database connection from one unit of work to the next (steward.db.Database):
never shared between threads or nested sessions, never left in a transaction, back in the pool when the
thread ends. On a file database with a real pool, as the server runs (the other tests bind their sessions
to one rolled-back connection instead)."""
from __future__ import annotations

import gc
import logging
import threading

import pytest
from flask import Flask
from sqlalchemy import text

from steward.db import Database, unit_of_work


@pytest.fixture
def database(tmp_path):
    app = Flask(__name__)
    app.config["DATABASE_URL"] = f"sqlite:///{tmp_path / 'kept.db'}"
    database = Database()
    database.init_app(app)
    with app.app_context(), unit_of_work(write=True, session=database.session) as s:
        s.execute(text("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)"))
    yield app, database
    database.engine.dispose()


def dbapi(session):
    return session.connection().connection.dbapi_connection


def test_a_thread_keeps_one_connection_across_units_of_work(database):
    app, db = database
    seen = set()
    for i in range(3):
        with app.app_context(), unit_of_work(write=True, session=db.session) as s:
            s.execute(text("INSERT INTO notes (body) VALUES (:b)"), {"b": f"note {i}"})
            seen.add(id(dbapi(s)))
    assert len(seen) == 1
    assert db.engine.pool.checkedout() == 1  # kept by this thread, not returned and checked out again
    with app.app_context():
        assert not db._kept.conn.in_transaction()  # each unit of work ended its transaction


def test_threads_have_their_own_connections_and_see_each_others_commits(database):
    app, db = database
    with app.app_context(), unit_of_work(write=True, session=db.session) as s:
        s.execute(text("INSERT INTO notes (body) VALUES ('from main')"))
        mine = id(dbapi(s))
    theirs = {}

    def other():
        with app.app_context(), unit_of_work(write=False, session=db.session) as s:
            theirs["conn"] = id(dbapi(s))
            theirs["bodies"] = s.scalars(text("SELECT body FROM notes")).all()

    t = threading.Thread(target=other)
    t.start()
    t.join()
    assert theirs["conn"] != mine and theirs["bodies"] == ["from main"]


def test_a_session_opened_inside_another_gets_a_pooled_connection(database):
    app, db = database
    with app.app_context(), unit_of_work(write=True, session=db.session) as outer:
        outer.execute(text("INSERT INTO notes (body) VALUES ('outer')"))
        with app.app_context(), unit_of_work(write=False, session=db.session) as inner:  # e.g. a job's read
            assert dbapi(inner) is not dbapi(outer)
            assert inner.scalars(text("SELECT body FROM notes")).all() == []  # not the outer's transaction
    with app.app_context(), unit_of_work(write=False, session=db.session) as s:
        assert s.scalars(text("SELECT body FROM notes")).all() == ["outer"]


def test_a_transaction_left_open_is_rolled_back_not_joined(database, caplog):
    app, db = database
    with app.app_context():
        db.session.close()  # lend and return: the thread now keeps a connection
    kept = db._kept.conn
    kept.begin()
    kept.execute(text("INSERT INTO notes (body) VALUES ('left open')"))
    with caplog.at_level(logging.WARNING, logger="steward.db"), app.app_context(), \
            unit_of_work(write=True, session=db.session) as s:
        s.execute(text("INSERT INTO notes (body) VALUES ('next')"))
    assert "still in a transaction" in caplog.text
    with app.app_context(), unit_of_work(write=False, session=db.session) as s:
        assert s.scalars(text("SELECT body FROM notes")).all() == ["next"]


def test_a_thread_that_ends_gives_its_connection_back(database):
    app, db = database

    def work():
        with app.app_context(), unit_of_work(write=False, session=db.session) as s:
            s.execute(text("SELECT 1"))

    before = db.engine.pool.checkedout()
    t = threading.Thread(target=work)
    t.start()
    t.join()
    del t
    gc.collect()
    assert db.engine.pool.checkedout() == before
