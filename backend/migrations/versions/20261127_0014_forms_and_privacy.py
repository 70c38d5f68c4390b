"""forms and privacy

Revision ID: 0014
Revises: 0013b
Create Date: 2026-11-27 10:21:20.467161

Registration forms (信息登记) with their answers and exports; deletion requests and the consent
withdrawal / erasure times of accounts (privacy rights).
"""
from alembic import op
import sqlalchemy as sa
import steward.db


revision = '0014'
down_revision = '0013b'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('deletion_requests',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('reason', sa.String(length=200), nullable=True),
    sa.Column('withdrew_consent', sa.Boolean(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('area_path', sa.String(length=255), nullable=False),
    sa.Column('created_at', steward.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', steward.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('note', sa.String(length=200), nullable=True),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_deletion_requests_decided_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_deletion_requests_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_deletion_requests'))
    )
    with op.batch_alter_table('deletion_requests', schema=None) as batch_op:
        batch_op.create_index('ix_deletion_requests_area_status', ['area_path', 'status'], unique=False)
        batch_op.create_index(batch_op.f('ix_deletion_requests_user_id'), ['user_id'], unique=False)

    op.create_table('forms',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=100), nullable=False),
    sa.Column('description', sa.String(length=2000), nullable=True),
    sa.Column('area_id', sa.Integer(), nullable=False),
    sa.Column('area_path', sa.String(length=255), nullable=False),
    sa.Column('tag', sa.String(length=32), nullable=True),
    sa.Column('fields', sa.JSON(), nullable=False),
    sa.Column('multiple', sa.Boolean(), nullable=False),
    sa.Column('deadline', steward.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('submissions_count', sa.Integer(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', steward.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('published_at', steward.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['area_id'], ['areas.id'], name=op.f('fk_forms_area_id_areas'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_forms_created_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_forms'))
    )
    with op.batch_alter_table('forms', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_forms_area_id'), ['area_id'], unique=False)
        batch_op.create_index('ix_forms_area_status', ['area_path', 'status'], unique=False)

    op.create_table('form_exports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('form_id', sa.Integer(), nullable=False),
    sa.Column('requested_by_id', sa.Integer(), nullable=True),
    sa.Column('area_path', sa.String(length=255), nullable=False),
    sa.Column('format', sa.String(length=8), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('rows', sa.Integer(), nullable=True),
    sa.Column('content', sa.LargeBinary(), nullable=True),
    sa.Column('created_at', steward.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('finished_at', steward.db.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['form_id'], ['forms.id'], name=op.f('fk_form_exports_form_id_forms'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['requested_by_id'], ['users.id'], name=op.f('fk_form_exports_requested_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_form_exports'))
    )
    with op.batch_alter_table('form_exports', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_form_exports_area_path'), ['area_path'], unique=False)
        batch_op.create_index(batch_op.f('ix_form_exports_form_id'), ['form_id'], unique=False)

    op.create_table('form_submissions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('form_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('once_key', sa.Integer(), nullable=True),
    sa.Column('household_id', sa.Integer(), nullable=True),
    sa.Column('area_path', sa.String(length=255), nullable=False),
    sa.Column('answers', sa.JSON(), nullable=False),
    sa.Column('sealed', sa.Text(), nullable=True),
    sa.Column('erased', sa.Boolean(), nullable=False),
    sa.Column('created_at', steward.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', steward.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['form_id'], ['forms.id'], name=op.f('fk_form_submissions_form_id_forms'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['household_id'], ['households.id'], name=op.f('fk_form_submissions_household_id_households'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_form_submissions_user_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_form_submissions')),
    sa.UniqueConstraint('form_id', 'once_key', name='uq_form_submissions_once')
    )
    with op.batch_alter_table('form_submissions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_form_submissions_area_path'), ['area_path'], unique=False)
        batch_op.create_index('ix_form_submissions_form', ['form_id', 'id'], unique=False)
        batch_op.create_index('ix_form_submissions_user', ['user_id', 'id'], unique=False)

    # Plain ADD/DROP COLUMN (see 0004a): a batch rebuild of `users` trips over its unnamed foreign keys.
    op.add_column('users', sa.Column('consent_withdrawn_at', steward.db.UTCDateTime(timezone=True), nullable=True))
    op.add_column('users', sa.Column('erased_at', steward.db.UTCDateTime(timezone=True), nullable=True))


def downgrade() -> None:
    op.drop_column('users', 'erased_at')
    op.drop_column('users', 'consent_withdrawn_at')
    with op.batch_alter_table('form_submissions', schema=None) as batch_op:
        batch_op.drop_index('ix_form_submissions_user')
        batch_op.drop_index('ix_form_submissions_form')
        batch_op.drop_index(batch_op.f('ix_form_submissions_area_path'))

    op.drop_table('form_submissions')
    with op.batch_alter_table('form_exports', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_form_exports_form_id'))
        batch_op.drop_index(batch_op.f('ix_form_exports_area_path'))

    op.drop_table('form_exports')
    with op.batch_alter_table('forms', schema=None) as batch_op:
        batch_op.drop_index('ix_forms_area_status')
        batch_op.drop_index(batch_op.f('ix_forms_area_id'))

    op.drop_table('forms')
    with op.batch_alter_table('deletion_requests', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_deletion_requests_user_id'))
        batch_op.drop_index('ix_deletion_requests_area_status')

    op.drop_table('deletion_requests')
