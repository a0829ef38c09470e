"""events: invitations by e-mail, online meeting links, consent to publish an outcome's relation, organizations
created at registration

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("event_participants", schema=None) as batch_op:
        batch_op.add_column(sa.Column("new_org", sa.Boolean(), nullable=False, server_default=sa.false()))
    with op.batch_alter_table("event_meetings", schema=None) as batch_op:
        batch_op.add_column(sa.Column("link", sa.Text(), nullable=True))
    with op.batch_alter_table("event_outcomes", schema=None) as batch_op:
        batch_op.add_column(sa.Column("public", sa.Boolean(), nullable=False, server_default=sa.false()))
    op.create_table(
        "event_invitations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=320), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("token_digest", sa.String(length=64), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=True),
        sa.Column("invited_by", sa.Integer(), nullable=False),
        sa.Column("created", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["event_id"], ["events.id"], name=op.f("fk_event_invitations_event_id")),
        sa.ForeignKeyConstraint(
            ["participant_id"], ["event_participants.id"], name=op.f("fk_event_invitations_participant_id")
        ),
        sa.ForeignKeyConstraint(["invited_by"], ["users.id"], name=op.f("fk_event_invitations_invited_by")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_event_invitations")),
        sa.UniqueConstraint("token_digest", name=op.f("uq_event_invitations_token_digest")),
    )
    with op.batch_alter_table("event_invitations", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_event_invitations_event_id"), ["event_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("event_invitations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_event_invitations_event_id"))
    op.drop_table("event_invitations")
    with op.batch_alter_table("event_outcomes", schema=None) as batch_op:
        batch_op.drop_column("public")
    with op.batch_alter_table("event_meetings", schema=None) as batch_op:
        batch_op.drop_column("link")
    with op.batch_alter_table("event_participants", schema=None) as batch_op:
        batch_op.drop_column("new_org")
