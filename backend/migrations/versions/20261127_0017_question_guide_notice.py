"""question guide notice: the draft 办事指南 notice made from a question kept as a guide

Revision ID: 0017
Revises: 0011w
Create Date: 2026-11-27 11:16:41.383551
"""
from alembic import op
import sqlalchemy as sa


revision = '0017'
down_revision = '0011w'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('questions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('guide_notice_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_questions_guide_notice_id_notices'), 'notices', ['guide_notice_id'],
                                    ['id'], ondelete='SET NULL')


def downgrade() -> None:
    with op.batch_alter_table('questions', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_questions_guide_notice_id_notices'), type_='foreignkey')
        batch_op.drop_column('guide_notice_id')
