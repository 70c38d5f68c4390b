"""auth and people: SMS codes, password resets by staff, privacy consent, office phones, ID-card conflicts

Revision ID: 0004a
Revises: 0005
Create Date: 2026-11-27 10:00:00
"""
from alembic import op
import sqlalchemy as sa
import steward.db


revision = '0004a'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('sms_codes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('phone', sa.String(length=20), nullable=False),
    sa.Column('purpose', sa.String(length=16), nullable=False),
    sa.Column('code_hash', sa.String(length=64), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('created_at', steward.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('expires_at', steward.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('consumed_at', steward.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('ip', sa.String(length=64), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_sms_codes_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sms_codes'))
    )
    with op.batch_alter_table('sms_codes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sms_codes_created_at'), ['created_at'], unique=False)
        batch_op.create_index('ix_sms_codes_phone_purpose', ['phone', 'purpose', 'created_at'], unique=False)

    # Plain ADD/DROP COLUMN (SQLite ≥ 3.35 does both in place): a batch rebuild of `users` or
    # `residents` would drop a table that others reference.
    op.add_column('areas', sa.Column('office_phone', sa.String(length=20), nullable=True))
    op.add_column('residents', sa.Column('id_card_conflict', sa.Boolean(), server_default=sa.false(), nullable=False))
    op.add_column('users', sa.Column('must_change_password', sa.Boolean(), server_default=sa.false(), nullable=False))
    op.add_column('users', sa.Column('privacy_version', sa.String(length=16), nullable=True))
    op.add_column('users', sa.Column('privacy_accepted_at', steward.db.UTCDateTime(timezone=True), nullable=True))


def downgrade() -> None:
    op.drop_column('users', 'privacy_accepted_at')
    op.drop_column('users', 'privacy_version')
    op.drop_column('users', 'must_change_password')
    op.drop_column('residents', 'id_card_conflict')
    op.drop_column('areas', 'office_phone')

    with op.batch_alter_table('sms_codes', schema=None) as batch_op:
        batch_op.drop_index('ix_sms_codes_phone_purpose')
        batch_op.drop_index(batch_op.f('ix_sms_codes_created_at'))

    op.drop_table('sms_codes')
