"""Fixtures: one migrated database per run (SQLite, or PostgreSQL via TEST_DATABASE_URL) holding the
庄行镇 demo data; each test runs inside a transaction that is rolled back afterwards."""
from __future__ import annotations

import contextlib

import pytest
from alembic import command
from sqlalchemy import create_engine, event, select, text

from steward import create_app
from steward.cli import alembic_config
from steward.config import TestConfig
from steward.db import db, unit_of_work
from steward.demo.seed import DEMO_PASSWORD, seed_demo
from steward.extensions import limiter

PHONES = {
    "admin": "13800000000", "town": "13800000001", "lsw_staff": "13800000002", "zxxy_staff": "13800000003",
    "volunteer": "13800000004", "resident": "13800000005", "partner": "13800000006",
    "zxxy_resident": "13800000007", "pending": "13800000008",
}


def _prepare_postgres(url: str) -> None:
    """Create the test database if needed and empty it."""
    base, _, name = url.rpartition("/")
    admin = create_engine(base + "/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        if not conn.scalar(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}):
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


@pytest.fixture(scope="session")
def app():
    url = TestConfig.DATABASE_URL
    if url.startswith("postgresql"):
        _prepare_postgres(url)
    app = create_app(TestConfig)
    cfg = alembic_config(url)
    with db.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
    with app.app_context(), unit_of_work(write=True):
        seed_demo()
    yield app
    db.engine.dispose()


@pytest.fixture(autouse=True)
def _rollback(app):
    """Every test sees the demo data and leaves nothing behind."""
    conn = db.engine.connect()
    trans = conn.begin()
    db.sessionmaker.configure(bind=conn, join_transaction_mode="create_savepoint")
    limiter.reset()
    app.extensions.pop("steward.sms_sender", None)  # the demo sender remembers codes in memory
    app.extensions.pop("steward.openapi", None)
    try:
        yield conn
    finally:
        trans.rollback()
        conn.close()
        db.sessionmaker.configure(bind=db.engine, join_transaction_mode="conservative_savepoint")


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def session(app):
    with app.app_context():
        yield db.session


class Auth:
    """Log in demo users and build headers (tokens cached per test)."""

    def __init__(self, client):
        self.client = client
        self._tokens: dict[str, dict] = {}

    def tokens(self, who: str) -> dict:
        if who not in self._tokens:
            r = self.client.post("/api/v1/auth/login", json={"phone": PHONES.get(who, who), "password": DEMO_PASSWORD})
            assert r.status_code == 200, r.get_json()
            self._tokens[who] = r.get_json()
        return self._tokens[who]

    def headers(self, who: str, **extra) -> dict:
        return {"Authorization": f"Bearer {self.tokens(who)['access_token']}", **extra}

    def me(self, who: str) -> dict:
        return self.tokens(who)["user"]


@pytest.fixture
def auth(client):
    return Auth(client)


@pytest.fixture
def make(session):
    """Factories for an area tree, users of any role and their tokens (see factories.py)."""
    from .factories import Factory

    return Factory(session)


@pytest.fixture
def count_queries(app):
    """Context manager counting SQL statements sent to the database."""

    @contextlib.contextmanager
    def counter():
        statements: list[str] = []

        def before(conn, cursor, statement, *args):
            statements.append(statement)

        event.listen(db.engine, "before_cursor_execute", before)
        try:
            yield statements
        finally:
            event.remove(db.engine, "before_cursor_execute", before)

    return counter


class Sms:
    """Ask for one-time codes and read them back from the demo (log) sender."""

    def __init__(self, client):
        self.client = client

    def send(self, phone: str, purpose: str = "register", headers: dict | None = None, ip: str = "127.0.0.1"):
        return self.client.post("/api/v1/auth/sms-codes", json={"phone": phone, "purpose": purpose},
                                headers=headers or {}, environ_base={"REMOTE_ADDR": ip})

    def code(self, phone: str, purpose: str = "register", headers: dict | None = None) -> str:
        r = self.send(phone, purpose, headers)
        assert r.status_code == 202, r.get_json()
        return self.last(phone, purpose)

    def last(self, phone: str, purpose: str | None = None) -> str:
        items = self.client.get(f"/api/v1/demo/sms-codes?phone={phone}").get_json()["items"]
        return next(i["code"] for i in items if purpose in (None, i["purpose"]))


@pytest.fixture
def sms(client):
    return Sms(client)


def household_at(session, code: str, building: str, unit: str, room: str) -> int:
    """The id of a demo household by community code and address."""
    from steward.areas.models import Area, Household, Stairwell

    return session.scalar(select(Household.id).join(Stairwell).join(Area, Area.id == Stairwell.community_id)
                          .where(Area.code == code, Stairwell.building == building, Stairwell.unit == unit,
                                 Household.room == room))


def _text_refuses_bidi() -> bool:
    from marshmallow import ValidationError

    from steward.core.schemas import StrictSchema, Text

    class Probe(StrictSchema):
        name = Text()

    try:
        Probe().load({"name": "a\u202eb"})
    except ValidationError:
        return True
    return False


# The control/bidi check itself belongs to core.schemas.Text (the "robust" branch); these tests of
# our name fields run as soon as it is there.
needs_text_check = pytest.mark.skipif(not _text_refuses_bidi(),
                                      reason="core.schemas.Text does not refuse control/bidi characters yet")
