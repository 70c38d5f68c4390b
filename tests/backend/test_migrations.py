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
        base, _, name = url.rpartition("/")
        scratch = f"{name}_migrations"  # beside the test database, so checkouts testing at once don't collide
        admin = make_engine(base + "/postgres", isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{scratch}" WITH (FORCE)'))
            conn.execute(text(f'CREATE DATABASE "{scratch}"'))
        admin.dispose()
        return f"{base}/{scratch}"
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


def test_0004_reseals_legacy_id_cards_under_derived_keys(scratch_url, app):
    import hashlib
    import hmac
    import os

    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    from steward.people.pii import Keyring

    cfg = alembic_config(scratch_url)
    command.upgrade(cfg, "0003")
    master = bytes.fromhex(TestConfig.DATA_KEY)
    value = "11010519491231002X"
    nonce = os.urandom(12)
    legacy = (nonce + AESGCM(master).encrypt(nonce, value.encode(), b"id_card")).hex()
    engine = make_engine(scratch_url)
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO areas (id, kind, name, code, path, depth, created_at) "
                          "VALUES (1, 'grid', 'g', 'G', '/1/', 0, CURRENT_TIMESTAMP)"))
        conn.execute(text("INSERT INTO stairwells (id, grid_id, community_id, building, unit, area_path, created_at) "
                          "VALUES (1, 1, 1, '1', '1', '/1/', CURRENT_TIMESTAMP)"))
        conn.execute(text("INSERT INTO households (id, stairwell_id, room, area_path, created_at) "
                          "VALUES (1, 1, '101', '/1/', CURRENT_TIMESTAMP)"))
        conn.execute(text(
            "INSERT INTO residents (id, household_id, name, area_path, version, created_at, updated_at, "
            "id_card_cipher, id_card_digest) VALUES (1, 1, 'x', '/1/', 1, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, :c, :d)"),
            {"c": legacy, "d": hmac.new(master, value.encode(), hashlib.sha256).hexdigest()})
    command.upgrade(cfg, "0004")
    ring = Keyring.from_config({"DATA_KEY": TestConfig.DATA_KEY, "DATA_KEY_ID": TestConfig.DATA_KEY_ID})
    with engine.connect() as conn:
        blob, digest = conn.execute(text("SELECT id_card_cipher, id_card_digest FROM residents")).one()
    assert blob.startswith("k1:") and ring.decrypt(blob) == value and digest == ring.digest(value)
    command.downgrade(cfg, "0003")
    with engine.connect() as conn:
        blob = conn.execute(text("SELECT id_card_cipher FROM residents")).scalar_one()
    assert ":" not in blob and ring.decrypt(blob) == value
    engine.dispose()
