"""Migrations go up and down cleanly and match the models exactly."""
import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import text

from steward import models  # noqa: F401
from steward.cli import alembic_config
from steward.config import TestConfig
from steward.db import Base, make_engine


@pytest.fixture
def scratch_url(tmp_path):
    url = TestConfig.DATABASE_URL
    if url.startswith("postgresql"):
        base, _, _ = url.rpartition("/")
        admin = make_engine(base + "/postgres", isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text('DROP DATABASE IF EXISTS "steward_migrations_test" WITH (FORCE)'))
            conn.execute(text('CREATE DATABASE "steward_migrations_test"'))
        admin.dispose()
        return base + "/steward_migrations_test"
    return f"sqlite:///{tmp_path / 'migrations.db'}"


def test_upgrade_downgrade_upgrade_and_no_drift(scratch_url):
    cfg = alembic_config(scratch_url)
    command.upgrade(cfg, "head")
    command.downgrade(cfg, "base")
    command.upgrade(cfg, "head")
    engine = make_engine(scratch_url)
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), Base.metadata)
    engine.dispose()
    # The PostgreSQL-only pattern-ops indexes exist in migrations on purpose (see 0001).
    diff = [d for d in diff if not (d[0] == "remove_index" and d[1].name.endswith("_pattern"))]
    # SQLite does not report the name of a reference added with ALTER TABLE … ADD COLUMN (0002);
    # a remove/add pair that differs only by that name is the same constraint.
    def key(fk):
        return fk.parent.name, tuple(c.name for c in fk.columns), fk.referred_table.name

    unnamed = {key(d[1]) for d in diff if d[0] == "remove_fk" and d[1].name is None}
    diff = [d for d in diff if not (d[0] in ("remove_fk", "add_fk") and key(d[1]) in unnamed)]
    assert diff == [], diff
