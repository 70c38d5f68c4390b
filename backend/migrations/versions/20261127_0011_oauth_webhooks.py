"""API client secret rotation (OAuth2 client credentials); webhook subscriptions and their outbox

Revision ID: 0011
Revises: 0015
Create Date: 2026-11-27 10:40:00
"""
from alembic import op
import sqlalchemy as sa
import steward.db


revision = '0011'
down_revision = '0015'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ADD COLUMNs (no batch rebuild on SQLite: other tables reference api_clients).
    op.add_column('api_clients', sa.Column('secret_version', sa.Integer(), server_default='1', nullable=False))
    op.add_column('api_clients', sa.Column('previous_secret_hash', sa.String(length=80), nullable=True))
    op.add_column('api_clients', sa.Column('previous_secret_expires_at', steward.db.UTCDateTime(timezone=True),
                                           nullable=True))


def downgrade() -> None:
    op.drop_column('api_clients', 'previous_secret_expires_at')
    op.drop_column('api_clients', 'previous_secret_hash')
    op.drop_column('api_clients', 'secret_version')
