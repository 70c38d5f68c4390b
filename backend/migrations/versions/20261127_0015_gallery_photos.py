"""gallery photos

Revision ID: 0015
Revises: 0007
Create Date: 2026-11-27 10:19:21.835179
"""
from alembic import op
import sqlalchemy as sa
import steward.db


revision = '0015'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('gallery_photos',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('subject_type', sa.String(length=16), nullable=False),
    sa.Column('subject_id', sa.Integer(), nullable=False),
    sa.Column('caption', sa.String(length=100), nullable=True),
    sa.Column('key', sa.String(length=100), nullable=False),
    sa.Column('thumb_key', sa.String(length=100), nullable=False),
    sa.Column('content_type', sa.String(length=32), nullable=False),
    sa.Column('width', sa.Integer(), nullable=False),
    sa.Column('height', sa.Integer(), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', steward.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['users.id'], name=op.f('fk_gallery_photos_uploaded_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_gallery_photos'))
    )
    with op.batch_alter_table('gallery_photos', schema=None) as batch_op:
        batch_op.create_index('ix_gallery_photos_subject', ['subject_type', 'subject_id', 'id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('gallery_photos', schema=None) as batch_op:
        batch_op.drop_index('ix_gallery_photos_subject')

    op.drop_table('gallery_photos')
