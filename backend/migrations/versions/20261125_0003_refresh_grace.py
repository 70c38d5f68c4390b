"""refresh grace

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25 12:10:23.034866
"""
from alembic import op
import sqlalchemy as sa
import steward.db


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column('auth_sessions', sa.Column('previous_jti', sa.String(length=36), nullable=True))


def downgrade() -> None:
    op.drop_column('auth_sessions', 'previous_jti')
