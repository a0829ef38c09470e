"""roadmap: tracks, typed milestone links with lag, the history of announced dates, the reference class

Revision ID: 0010
Revises: 0012
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0012"
branch_labels = None
depends_on = None


def _tail() -> list[sa.Column]:
    return [
        sa.Column("source_ids", sa.JSON(), nullable=True),
        sa.Column("unconfirmed", sa.Boolean(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("last_verified", sa.Text(), nullable=True),  # as every sourced record (migration 0013)
    ]


def upgrade() -> None:
    op.create_table(
        "roadmap_tracks",
        sa.Column("id", sa.String(length=200), nullable=False),
        sa.Column("name_en", sa.Text(), nullable=False),
        sa.Column("name_ja", sa.Text(), nullable=False),
        sa.Column("description_en", sa.Text(), nullable=True),
        sa.Column("description_ja", sa.Text(), nullable=True),
        sa.Column("target_id", sa.String(length=200), nullable=False),
        sa.Column("milestone_ids", sa.JSON(), nullable=False),
        *_tail(),
        sa.ForeignKeyConstraint(["target_id"], ["milestones.id"], name=op.f("fk_roadmap_tracks_target_id")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_roadmap_tracks")),
    )
    with op.batch_alter_table("roadmap_tracks", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_roadmap_tracks_target_id"), ["target_id"], unique=False)
    op.create_table(
        "milestone_links",
        sa.Column("from_id", sa.String(length=200), nullable=False),
        sa.Column("to_id", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=True),
        sa.Column("lag_months", sa.Integer(), nullable=True),
        *_tail(),
        sa.ForeignKeyConstraint(["from_id"], ["milestones.id"], name=op.f("fk_milestone_links_from_id")),
        sa.ForeignKeyConstraint(["to_id"], ["milestones.id"], name=op.f("fk_milestone_links_to_id")),
        sa.PrimaryKeyConstraint("from_id", "to_id", name=op.f("pk_milestone_links")),
    )
    with op.batch_alter_table("milestone_links", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_milestone_links_from_id"), ["from_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_milestone_links_to_id"), ["to_id"], unique=False)
    op.create_table(
        "milestone_dates",
        sa.Column("milestone_id", sa.String(length=200), nullable=False),
        sa.Column("announced", sa.Text(), nullable=False),
        sa.Column("date", sa.Text(), nullable=True),
        sa.Column("date_text", sa.Text(), nullable=True),
        *_tail(),
        sa.ForeignKeyConstraint(["milestone_id"], ["milestones.id"], name=op.f("fk_milestone_dates_milestone_id")),
        sa.PrimaryKeyConstraint("milestone_id", "announced", name=op.f("pk_milestone_dates")),
    )
    with op.batch_alter_table("milestone_dates", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_milestone_dates_milestone_id"), ["milestone_id"], unique=False)
    op.create_table(
        "schedule_references",
        sa.Column("id", sa.String(length=200), nullable=False),
        sa.Column("name_en", sa.Text(), nullable=False),
        sa.Column("name_ja", sa.Text(), nullable=False),
        sa.Column("country", sa.Text(), nullable=True),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("scale", sa.Text(), nullable=False),
        sa.Column("event_en", sa.Text(), nullable=False),
        sa.Column("event_ja", sa.Text(), nullable=False),
        sa.Column("decision", sa.Text(), nullable=False),
        sa.Column("decision_en", sa.Text(), nullable=False),
        sa.Column("decision_ja", sa.Text(), nullable=False),
        sa.Column("planned", sa.Text(), nullable=False),
        sa.Column("actual", sa.Text(), nullable=False),
        *_tail(),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_schedule_references")),
    )


def downgrade() -> None:
    op.drop_table("schedule_references")
    with op.batch_alter_table("milestone_dates", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_milestone_dates_milestone_id"))
    op.drop_table("milestone_dates")
    with op.batch_alter_table("milestone_links", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_milestone_links_to_id"))
        batch_op.drop_index(batch_op.f("ix_milestone_links_from_id"))
    op.drop_table("milestone_links")
    with op.batch_alter_table("roadmap_tracks", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_roadmap_tracks_target_id"))
    op.drop_table("roadmap_tracks")
