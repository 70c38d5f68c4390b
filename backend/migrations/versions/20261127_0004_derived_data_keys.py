"""derived data keys: ID-card ciphertexts under an HKDF-derived key with a key id; digests with their own key

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-27 08:00:00
"""
from alembic import op

from steward.config import Config
from steward.people.pii import Keyring, legacy_reseal

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def _ring() -> Keyring:
    return Keyring.from_config({k: getattr(Config, k) for k in ("DATA_KEY", "DATA_KEY_ID", "DATA_KEYS_RETIRED")})


def upgrade() -> None:
    from steward.people.pii import rekey

    rekey(op.get_bind(), _ring())


def downgrade() -> None:
    legacy_reseal(op.get_bind(), _ring())
