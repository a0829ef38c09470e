"""events: matchmaking events, participants, meeting requests, scheduled meetings and their outcomes

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name_en", sa.Text(), nullable=False),
        sa.Column("name_ja", sa.Text(), nullable=False),
        sa.Column("description_en", sa.Text(), nullable=True),
        sa.Column("description_ja", sa.Text(), nullable=True),
        sa.Column("venue", sa.Text(), nullable=True),
        sa.Column("first_day", sa.Date(), nullable=False),
        sa.Column("days", sa.Integer(), nullable=False),
        sa.Column("time_zone", sa.String(length=64), nullable=False),
        sa.Column("first_slot", sa.String(length=5), nullable=False),
        sa.Column("slot_minutes", sa.Integer(), nullable=False),
        sa.Column("slots_per_day", sa.Integer(), nullable=False),
        sa.Column("tables", sa.Integer(), nullable=False),
        sa.Column("online", sa.Boolean(), nullable=False),
        sa.Column("published", sa.Boolean(), nullable=False),
        sa.Column("organizer_id", sa.Integer(), nullable=False),
        sa.Column("created", sa.DateTime(timezone=True), nullable=False),
        sa.Column("scheduled", sa.DateTime(timezone=True), nullable=True),
        sa.Column("schedule_report", sa.JSON(), nullable=True),
        sa.ForeignKeyConstraint(["organizer_id"], ["users.id"], name=op.f("fk_events_organizer_id")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_events")),
    )
    op.create_table(
        "event_participants",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("org_id", sa.String(length=200), nullable=True),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("offers", sa.Text(), nullable=False),
        sa.Column("seeks", sa.Text(), nullable=False),
        sa.Column("consent", sa.Boolean(), nullable=False),
        sa.Column("max_meetings", sa.Integer(), nullable=True),
        sa.Column("unavailable", sa.JSON(), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("created", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["event_id"], ["events.id"], name=op.f("fk_event_participants_event_id")),
        sa.ForeignKeyConstraint(["org_id"], ["organizations.id"], name=op.f("fk_event_participants_org_id")),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_event_participants_user_id")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_event_participants")),
    )
    with op.batch_alter_table("event_participants", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_event_participants_event_id"), ["event_id", "user_id"], unique=True)
    op.create_table(
        "event_requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("sender_id", sa.Integer(), nullable=False),
        sa.Column("receiver_id", sa.Integer(), nullable=False),
        sa.Column("priority", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("message", sa.Text(), nullable=True),
        sa.Column("created", sa.DateTime(timezone=True), nullable=False),
        sa.Column("answered", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["event_id"], ["events.id"], name=op.f("fk_event_requests_event_id")),
        sa.ForeignKeyConstraint(["receiver_id"], ["event_participants.id"], name=op.f("fk_event_requests_receiver_id")),
        sa.ForeignKeyConstraint(["sender_id"], ["event_participants.id"], name=op.f("fk_event_requests_sender_id")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_event_requests")),
    )
    with op.batch_alter_table("event_requests", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_event_requests_event_id"), ["event_id"], unique=False)
    op.create_table(
        "event_meetings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("slot", sa.Integer(), nullable=False),
        sa.Column("table_label", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(["event_id"], ["events.id"], name=op.f("fk_event_meetings_event_id")),
        sa.ForeignKeyConstraint(["request_id"], ["event_requests.id"], name=op.f("fk_event_meetings_request_id")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_event_meetings")),
        sa.UniqueConstraint("request_id", name=op.f("uq_event_meetings_request_id")),
    )
    with op.batch_alter_table("event_meetings", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_event_meetings_event_id"), ["event_id"], unique=False)
    op.create_table(
        "event_outcomes",
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column("kept", sa.Boolean(), nullable=False),
        sa.Column("outcome", sa.String(length=16), nullable=False),
        sa.Column("second_meeting", sa.Boolean(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("recorded", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["meeting_id"], ["event_meetings.id"], name=op.f("fk_event_outcomes_meeting_id")),
        sa.ForeignKeyConstraint(
            ["participant_id"], ["event_participants.id"], name=op.f("fk_event_outcomes_participant_id")
        ),
        sa.PrimaryKeyConstraint("meeting_id", "participant_id", name=op.f("pk_event_outcomes")),
    )


def downgrade() -> None:
    op.drop_table("event_outcomes")
    with op.batch_alter_table("event_meetings", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_event_meetings_event_id"))
    op.drop_table("event_meetings")
    with op.batch_alter_table("event_requests", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_event_requests_event_id"))
    op.drop_table("event_requests")
    with op.batch_alter_table("event_participants", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_event_participants_event_id"))
    op.drop_table("event_participants")
    op.drop_table("events")
