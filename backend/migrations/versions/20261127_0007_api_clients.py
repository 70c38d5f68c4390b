"""API clients of partner units; cases and audit events name the client that acted

Revision ID: 0007
Revises: 0008
Create Date: 2026-11-27 12:00:00
"""
from alembic import op
import sqlalchemy as sa
import steward.db


revision = '0007'
down_revision = '0008'
branch_labels = None
depends_on = None


def _add_reference(table: str, ondelete: str | None) -> None:
    """``<table>.api_client_id`` → api_clients, with its index. A plain ADD COLUMN with an inline
    reference on SQLite: a batch rebuild would drop a table that others reference (as in 0002)."""
    name = f"fk_{table}_api_client_id_api_clients"
    if op.get_bind().dialect.name == "sqlite":
        on_delete = f" ON DELETE {ondelete}" if ondelete else ""
        op.execute(f"ALTER TABLE {table} ADD COLUMN api_client_id INTEGER "
                   f"CONSTRAINT {name} REFERENCES api_clients (id){on_delete}")
    else:
        op.add_column(table, sa.Column('api_client_id', sa.Integer(), nullable=True))
        op.create_foreign_key(name, table, 'api_clients', ['api_client_id'], ['id'], ondelete=ondelete)
    op.create_index(f'ix_{table}_api_client_id', table, ['api_client_id'], unique=False)


def _drop_reference(table: str) -> None:
    op.drop_index(f'ix_{table}_api_client_id', table_name=table)
    if op.get_bind().dialect.name == "postgresql":
        op.drop_constraint(f"fk_{table}_api_client_id_api_clients", table, type_='foreignkey')
    op.drop_column(table, 'api_client_id')  # SQLite ≥ 3.35 drops the column with its inline reference


def upgrade() -> None:
    op.create_table('api_clients',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('client_id', sa.String(length=40), nullable=False),
    sa.Column('secret_hash', sa.String(length=80), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('area_path', sa.String(length=255), nullable=False),
    sa.Column('scopes', sa.JSON(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', steward.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('last_used_at', steward.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('expires_at', steward.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('revoked_at', steward.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('revoked_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_api_clients_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['revoked_by_id'], ['users.id'], name=op.f('fk_api_clients_revoked_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_api_clients_unit_id_units'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_api_clients')),
    sa.UniqueConstraint('client_id', name=op.f('uq_api_clients_client_id'))
    )
    with op.batch_alter_table('api_clients', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_api_clients_area_path'), ['area_path'], unique=False)
        batch_op.create_index(batch_op.f('ix_api_clients_unit_id'), ['unit_id'], unique=False)
    if op.get_bind().dialect.name == "postgresql":
        op.execute("CREATE INDEX ix_api_clients_area_path_pattern ON api_clients (area_path varchar_pattern_ops)")

    _add_reference('cases', 'SET NULL')
    # Audit rows are never changed (triggers refuse it), so no ON DELETE action: clients are revoked, not deleted.
    _add_reference('audit_events', None)


def downgrade() -> None:
    _drop_reference('audit_events')
    _drop_reference('cases')
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_api_clients_area_path_pattern")
    with op.batch_alter_table('api_clients', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_api_clients_unit_id'))
        batch_op.drop_index(batch_op.f('ix_api_clients_area_path'))
    op.drop_table('api_clients')
