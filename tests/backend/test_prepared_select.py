"""steward.db.PreparedSelect: the hot-path selects on the DBAPI cursor answer exactly what SQLAlchemy's
execution does (types included), stay visible to the engine's cursor events, and report errors the
regular way. On SQLite and PostgreSQL."""
from datetime import datetime

import pytest
from sqlalchemy import bindparam, column, exc, literal, select, table

from steward.auth.service import _SIGNED_IN
from steward.db import PreparedSelect, db
from steward.people.models import User
from steward.people.service import _LATEST_CLAIM

from .conftest import PHONES


def test_rows_equal_sqlalchemys_own_with_their_types(app, client, auth):
    client.get("/api/v1/me", headers=auth.headers("pending"))  # a live session for each of them
    client.get("/api/v1/me", headers=auth.headers("partner"))
    with app.test_request_context():
        conn = db.session.connection()
        from steward.auth.models import AuthSession

        sids = db.session.scalars(select(AuthSession.id)).all()
        assert sids
        for sid in sids:
            ours = PreparedSelect(_SIGNED_IN).first(conn, {"sid": sid})
            theirs = conn.execute(_SIGNED_IN, {"sid": sid}).first()
            assert tuple(ours) == tuple(theirs) and ours._fields == tuple(theirs._fields)
            assert [type(v) for v in ours] == [type(v) for v in theirs]
            assert isinstance(ours.expires_at, datetime) and ours.expires_at.tzinfo is not None
            assert type(ours.is_active) is bool
        pending = db.session.scalar(select(User.id).where(User.phone == PHONES["pending"]))
        claim = PreparedSelect(_LATEST_CLAIM).first(conn, {"user_id": pending})
        assert claim is not None and claim.status == "pending"
        assert tuple(claim) == tuple(conn.execute(_LATEST_CLAIM, {"user_id": pending}).first())
        assert PreparedSelect(_LATEST_CLAIM).first(conn, {"user_id": 2**31 - 1}) is None


def test_the_engines_cursor_events_see_it(app, count_queries):
    with app.test_request_context():
        conn = db.session.connection()
        with count_queries() as statements:
            PreparedSelect(select(literal(1).label("one"))).first(conn, {})
        assert len(statements) == 1 and statements[0].lstrip().upper().startswith("SELECT")


def test_a_database_error_is_reported_as_sqlalchemy_reports_it(app):
    missing = select(column("x")).select_from(table("no_such_table")).where(column("x") == bindparam("x"))
    with app.test_request_context():
        with pytest.raises(exc.DBAPIError):
            PreparedSelect(missing).first(db.session.connection(), {"x": 1})


def test_expanding_parameters_are_refused(app):
    stmt = select(User.id).where(User.id.in_(bindparam("ids", expanding=True)))
    with app.test_request_context(), pytest.raises(ValueError):
        PreparedSelect(stmt).first(db.session.connection(), {"ids": [1]})
