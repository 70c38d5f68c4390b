"""units in full: categories a unit takes, service kinds it provides, unit admins

Revision ID: 0016
Revises: 0017
Create Date: 2026-11-27 11:20:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0016'
down_revision = '0017'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('unit_categories',
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('category_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['category_id'], ['case_categories.id'], name=op.f('fk_unit_categories_category_id_case_categories'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_unit_categories_unit_id_units'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('unit_id', 'category_id', name=op.f('pk_unit_categories'))
    )
    with op.batch_alter_table('unit_categories', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_unit_categories_category_id'), ['category_id'], unique=False)
    with op.batch_alter_table('units', schema=None) as batch_op:
        batch_op.add_column(sa.Column('service_kinds', sa.JSON(), server_default=sa.text("'[]'"), nullable=False))
    # Plain ADD/DROP COLUMN (see 0004a): a batch rebuild of `users` trips over its unnamed foreign keys.
    op.add_column('users', sa.Column('is_unit_admin', sa.Boolean(), server_default=sa.false(), nullable=False))


def downgrade() -> None:
    op.drop_column('users', 'is_unit_admin')
    with op.batch_alter_table('units', schema=None) as batch_op:
        batch_op.drop_column('service_kinds')
    with op.batch_alter_table('unit_categories', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_unit_categories_category_id'))
    op.drop_table('unit_categories')
