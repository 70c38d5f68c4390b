"""services, bookings and activities: catalogue, schedules, slots with seat counters, bookings (one
active booking per resident and slot: a partial unique index), on-request services, calendar feeds,
activities and sign-ups

Revision ID: 0008
Revises: 0010
Create Date: 2026-11-27 07:40:37.053416
"""
from alembic import op
import sqlalchemy as sa
import steward.db


revision = '0008'
down_revision = '0010'
branch_labels = None
depends_on = None
PATTERN_TABLES = ("services", "bookings", "service_requests", "activities", "activity_signups")


def upgrade() -> None:
    op.create_table('activities',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('area_id', sa.Integer(), nullable=False),
    sa.Column('area_path', sa.String(length=255), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('title', sa.String(length=60), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('place', sa.String(length=120), nullable=True),
    sa.Column('unit_id', sa.Integer(), nullable=True),
    sa.Column('starts_at', steward.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('ends_at', steward.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('signup_deadline', steward.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('capacity', sa.Integer(), nullable=False),
    sa.Column('booked', sa.Integer(), nullable=False),
    sa.Column('volunteer_minutes', sa.Integer(), nullable=False),
    sa.Column('audience', sa.String(length=16), nullable=False),
    sa.Column('required_tags', sa.JSON(), nullable=False),
    sa.Column('min_age', sa.SmallInteger(), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('summary', sa.Text(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', steward.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', steward.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.CheckConstraint('booked >= 0 AND booked <= capacity', name=op.f('ck_activities_seats')),
    sa.CheckConstraint('capacity >= 1', name=op.f('ck_activities_capacity')),
    sa.CheckConstraint('starts_at < ends_at', name=op.f('ck_activities_span')),
    sa.ForeignKeyConstraint(['area_id'], ['areas.id'], name=op.f('fk_activities_area_id_areas'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_activities_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_activities_unit_id_units'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_activities'))
    )
    with op.batch_alter_table('activities', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_activities_area_id'), ['area_id'], unique=False)
        batch_op.create_index('ix_activities_area_starts', ['area_path', 'starts_at'], unique=False)

    op.create_table('calendar_feeds',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('token_digest', sa.String(length=64), nullable=False),
    sa.Column('created_at', steward.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('last_used_at', steward.db.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_calendar_feeds_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_calendar_feeds')),
    sa.UniqueConstraint('token_digest', name=op.f('uq_calendar_feeds_token_digest')),
    sa.UniqueConstraint('user_id', name=op.f('uq_calendar_feeds_user_id'))
    )
    op.create_table('services',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('area_id', sa.Integer(), nullable=False),
    sa.Column('area_path', sa.String(length=255), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('category', sa.String(length=16), nullable=False),
    sa.Column('title', sa.String(length=60), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('place', sa.String(length=120), nullable=True),
    sa.Column('provider_unit_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('audience', sa.String(length=16), nullable=False),
    sa.Column('required_tags', sa.JSON(), nullable=False),
    sa.Column('min_age', sa.SmallInteger(), nullable=True),
    sa.Column('slot_minutes', sa.Integer(), nullable=False),
    sa.Column('capacity', sa.Integer(), nullable=False),
    sa.Column('book_ahead_days', sa.Integer(), nullable=False),
    sa.Column('cancel_cutoff_minutes', sa.Integer(), nullable=False),
    sa.Column('max_active_per_resident', sa.Integer(), nullable=False),
    sa.Column('waitlist', sa.Boolean(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', steward.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', steward.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.CheckConstraint('capacity >= 1', name=op.f('ck_services_capacity')),
    sa.CheckConstraint('slot_minutes BETWEEN 5 AND 720', name=op.f('ck_services_slot_minutes')),
    sa.ForeignKeyConstraint(['area_id'], ['areas.id'], name=op.f('fk_services_area_id_areas'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_services_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['provider_unit_id'], ['units.id'], name=op.f('fk_services_provider_unit_id_units'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_services'))
    )
    with op.batch_alter_table('services', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_services_area_id'), ['area_id'], unique=False)
        batch_op.create_index('ix_services_area_status', ['area_path', 'status'], unique=False)
        batch_op.create_index(batch_op.f('ix_services_provider_unit_id'), ['provider_unit_id'], unique=False)

    op.create_table('activity_signups',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('activity_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('resident_id', sa.Integer(), nullable=True),
    sa.Column('area_path', sa.String(length=255), nullable=False),
    sa.Column('role', sa.String(length=16), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('code', sa.String(length=8), nullable=False),
    sa.Column('created_at', steward.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('cancelled_at', steward.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('checked_in_at', steward.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('checked_in_by_id', sa.Integer(), nullable=True),
    sa.Column('minutes_credited', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['activity_id'], ['activities.id'], name=op.f('fk_activity_signups_activity_id_activities'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['checked_in_by_id'], ['users.id'], name=op.f('fk_activity_signups_checked_in_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['resident_id'], ['residents.id'], name=op.f('fk_activity_signups_resident_id_residents'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_activity_signups_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_activity_signups')),
    sa.UniqueConstraint('code', name=op.f('uq_activity_signups_code'))
    )
    with op.batch_alter_table('activity_signups', schema=None) as batch_op:
        batch_op.create_index('ix_activity_signups_activity', ['activity_id', 'status'], unique=False)
        batch_op.create_index('ix_activity_signups_user', ['user_id', 'created_at'], unique=False)
        batch_op.create_index('uq_activity_signups_active', ['activity_id', 'user_id'], unique=True, postgresql_where=sa.text("status <> 'cancelled'"), sqlite_where=sa.text("status <> 'cancelled'"))

    op.create_table('service_exceptions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('service_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('kind', sa.String(length=8), nullable=False),
    sa.Column('start_minute', sa.Integer(), nullable=True),
    sa.Column('end_minute', sa.Integer(), nullable=True),
    sa.Column('capacity', sa.Integer(), nullable=True),
    sa.Column('note', sa.String(length=200), nullable=True),
    sa.Column('created_at', steward.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['service_id'], ['services.id'], name=op.f('fk_service_exceptions_service_id_services'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_service_exceptions'))
    )
    with op.batch_alter_table('service_exceptions', schema=None) as batch_op:
        batch_op.create_index('ix_service_exceptions_service_day', ['service_id', 'day'], unique=False)

    op.create_table('service_requests',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('service_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('resident_id', sa.Integer(), nullable=True),
    sa.Column('area_path', sa.String(length=255), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('details', sa.Text(), nullable=False),
    sa.Column('address', sa.String(length=200), nullable=True),
    sa.Column('preferred_at', steward.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('preferred_note', sa.String(length=100), nullable=True),
    sa.Column('scheduled_at', steward.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('handler_id', sa.Integer(), nullable=True),
    sa.Column('created_at', steward.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', steward.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('done_at', steward.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('rating', sa.SmallInteger(), nullable=True),
    sa.Column('rating_comment', sa.String(length=500), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.CheckConstraint('rating IS NULL OR rating BETWEEN 1 AND 5', name=op.f('ck_service_requests_rating')),
    sa.ForeignKeyConstraint(['handler_id'], ['users.id'], name=op.f('fk_service_requests_handler_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['resident_id'], ['residents.id'], name=op.f('fk_service_requests_resident_id_residents'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['service_id'], ['services.id'], name=op.f('fk_service_requests_service_id_services'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_service_requests_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_service_requests'))
    )
    with op.batch_alter_table('service_requests', schema=None) as batch_op:
        batch_op.create_index('ix_service_requests_area_created', ['area_path', 'created_at', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_service_requests_service_id'), ['service_id'], unique=False)
        batch_op.create_index('ix_service_requests_user', ['user_id', 'created_at'], unique=False)

    op.create_table('service_rules',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('service_id', sa.Integer(), nullable=False),
    sa.Column('weekday', sa.SmallInteger(), nullable=False),
    sa.Column('start_minute', sa.Integer(), nullable=False),
    sa.Column('end_minute', sa.Integer(), nullable=False),
    sa.Column('capacity', sa.Integer(), nullable=True),
    sa.CheckConstraint('start_minute >= 0 AND end_minute <= 1440 AND start_minute < end_minute', name=op.f('ck_service_rules_span')),
    sa.CheckConstraint('weekday BETWEEN 0 AND 6', name=op.f('ck_service_rules_weekday')),
    sa.ForeignKeyConstraint(['service_id'], ['services.id'], name=op.f('fk_service_rules_service_id_services'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_service_rules'))
    )
    with op.batch_alter_table('service_rules', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_service_rules_service_id'), ['service_id'], unique=False)

    op.create_table('service_slots',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('service_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('starts_at', steward.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('ends_at', steward.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('capacity', sa.Integer(), nullable=False),
    sa.Column('booked', sa.Integer(), nullable=False),
    sa.Column('waiting', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=8), nullable=False),
    sa.Column('source', sa.String(length=8), nullable=False),
    sa.Column('closed_reason', sa.String(length=200), nullable=True),
    sa.CheckConstraint('booked >= 0 AND booked <= capacity', name=op.f('ck_service_slots_seats')),
    sa.CheckConstraint('capacity >= 1', name=op.f('ck_service_slots_capacity')),
    sa.CheckConstraint('waiting >= 0', name=op.f('ck_service_slots_waiting')),
    sa.ForeignKeyConstraint(['service_id'], ['services.id'], name=op.f('fk_service_slots_service_id_services'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_service_slots')),
    sa.UniqueConstraint('service_id', 'starts_at', name=op.f('uq_service_slots_service_id'))
    )
    with op.batch_alter_table('service_slots', schema=None) as batch_op:
        batch_op.create_index('ix_service_slots_starts', ['starts_at'], unique=False)

    op.create_table('bookings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slot_id', sa.Integer(), nullable=False),
    sa.Column('service_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('resident_id', sa.Integer(), nullable=True),
    sa.Column('area_path', sa.String(length=255), nullable=False),
    sa.Column('starts_at', steward.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('code', sa.String(length=8), nullable=False),
    sa.Column('note', sa.String(length=200), nullable=True),
    sa.Column('created_at', steward.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', steward.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('promoted_at', steward.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('cancelled_at', steward.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('cancelled_by_id', sa.Integer(), nullable=True),
    sa.Column('cancel_reason', sa.String(length=300), nullable=True),
    sa.Column('checked_in_at', steward.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('checked_in_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['cancelled_by_id'], ['users.id'], name=op.f('fk_bookings_cancelled_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['checked_in_by_id'], ['users.id'], name=op.f('fk_bookings_checked_in_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['resident_id'], ['residents.id'], name=op.f('fk_bookings_resident_id_residents'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['service_id'], ['services.id'], name=op.f('fk_bookings_service_id_services'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['slot_id'], ['service_slots.id'], name=op.f('fk_bookings_slot_id_service_slots'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_bookings_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_bookings')),
    sa.UniqueConstraint('code', name=op.f('uq_bookings_code'))
    )
    with op.batch_alter_table('bookings', schema=None) as batch_op:
        batch_op.create_index('ix_bookings_area_starts', ['area_path', 'starts_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_bookings_service_id'), ['service_id'], unique=False)
        batch_op.create_index('ix_bookings_slot_status', ['slot_id', 'status', 'created_at'], unique=False)
        batch_op.create_index('ix_bookings_status_starts', ['status', 'starts_at'], unique=False)
        batch_op.create_index('ix_bookings_user_starts', ['user_id', 'starts_at'], unique=False)
        batch_op.create_index('uq_bookings_slot_user_active', ['slot_id', 'user_id'], unique=True, postgresql_where=sa.text("status <> 'cancelled'"), sqlite_where=sa.text("status <> 'cancelled'"))

    op.create_table('service_request_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('request_id', sa.Integer(), nullable=False),
    sa.Column('at', steward.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('kind', sa.String(length=24), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('actor_role', sa.String(length=16), nullable=True),
    sa.Column('actor_name', sa.String(length=100), nullable=True),
    sa.Column('from_status', sa.String(length=16), nullable=True),
    sa.Column('to_status', sa.String(length=16), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_service_request_events_actor_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['request_id'], ['service_requests.id'], name=op.f('fk_service_request_events_request_id_service_requests'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_service_request_events'))
    )
    with op.batch_alter_table('service_request_events', schema=None) as batch_op:
        batch_op.create_index('ix_service_request_events_request', ['request_id', 'id'], unique=False)

    if op.get_bind().dialect.name == "postgresql":
        # Subtree queries are `area_path LIKE '/1/7/%'` (see 0001).
        for table in PATTERN_TABLES:
            op.execute(f"CREATE INDEX ix_{table}_area_path_pattern ON {table} (area_path varchar_pattern_ops)")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table in PATTERN_TABLES:
            op.execute(f"DROP INDEX IF EXISTS ix_{table}_area_path_pattern")
    with op.batch_alter_table('service_request_events', schema=None) as batch_op:
        batch_op.drop_index('ix_service_request_events_request')

    op.drop_table('service_request_events')
    with op.batch_alter_table('bookings', schema=None) as batch_op:
        batch_op.drop_index('uq_bookings_slot_user_active', postgresql_where=sa.text("status <> 'cancelled'"), sqlite_where=sa.text("status <> 'cancelled'"))
        batch_op.drop_index('ix_bookings_user_starts')
        batch_op.drop_index('ix_bookings_status_starts')
        batch_op.drop_index('ix_bookings_slot_status')
        batch_op.drop_index(batch_op.f('ix_bookings_service_id'))
        batch_op.drop_index('ix_bookings_area_starts')

    op.drop_table('bookings')
    with op.batch_alter_table('service_slots', schema=None) as batch_op:
        batch_op.drop_index('ix_service_slots_starts')

    op.drop_table('service_slots')
    with op.batch_alter_table('service_rules', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_service_rules_service_id'))

    op.drop_table('service_rules')
    with op.batch_alter_table('service_requests', schema=None) as batch_op:
        batch_op.drop_index('ix_service_requests_user')
        batch_op.drop_index(batch_op.f('ix_service_requests_service_id'))
        batch_op.drop_index('ix_service_requests_area_created')

    op.drop_table('service_requests')
    with op.batch_alter_table('service_exceptions', schema=None) as batch_op:
        batch_op.drop_index('ix_service_exceptions_service_day')

    op.drop_table('service_exceptions')
    with op.batch_alter_table('activity_signups', schema=None) as batch_op:
        batch_op.drop_index('uq_activity_signups_active', postgresql_where=sa.text("status <> 'cancelled'"), sqlite_where=sa.text("status <> 'cancelled'"))
        batch_op.drop_index('ix_activity_signups_user')
        batch_op.drop_index('ix_activity_signups_activity')

    op.drop_table('activity_signups')
    with op.batch_alter_table('services', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_services_provider_unit_id'))
        batch_op.drop_index('ix_services_area_status')
        batch_op.drop_index(batch_op.f('ix_services_area_id'))

    op.drop_table('services')
    op.drop_table('calendar_feeds')
    with op.batch_alter_table('activities', schema=None) as batch_op:
        batch_op.drop_index('ix_activities_area_starts')
        batch_op.drop_index(batch_op.f('ix_activities_area_id'))

    op.drop_table('activities')
