"""job runs: the done keys of background jobs

Revision ID: 0006
Revises: 0004a
Create Date: 2026-11-27 07:10:10.318520
"""
from alembic import op
import sqlalchemy as sa
import steward.db


revision = '0006'
down_revision = '0004a'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('job_runs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=200), nullable=False),
    sa.Column('task', sa.String(length=120), nullable=False),
    sa.Column('finished_at', steward.db.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_job_runs')),
    sa.UniqueConstraint('key', name=op.f('uq_job_runs_key'))
    )
    with op.batch_alter_table('job_runs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_job_runs_finished_at'), ['finished_at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('job_runs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_job_runs_finished_at'))
    op.drop_table('job_runs')
